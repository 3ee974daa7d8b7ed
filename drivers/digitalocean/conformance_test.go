package digitalocean_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// config opens the driver on a fake with fast polling; opts are more
// option pairs.
func config(s *dotest.Server, token string, opts ...string) deltacloud.Config {
	o := map[string]string{"endpoint": s.URL, "poll_interval": "1ms", "stop_timeout": "1s",
		"spaces_key": "DO00FAKEKEY", "spaces_secret": "fake-secret", "spaces_endpoint": s.Spaces().URL, "spaces_part_size": "5"}
	for i := 0; i+1 < len(opts); i += 2 {
		o[opts[i]] = opts[i+1]
	}
	return deltacloud.Config{Provider: "nyc3", Credentials: deltacloud.Credentials{Password: token},
		Options: o, PollInterval: time.Millisecond, MaxPollInterval: 5 * time.Millisecond}
}

func open(ctx context.Context, s *dotest.Server, opts ...string) (*deltacloud.Provider, error) {
	return deltacloud.Open(ctx, "digitalocean", config(s, dotest.Token, opts...))
}

func TestConformance(t *testing.T) {
	s := dotest.NewServer(t)
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) { return open(ctx, s) },
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "digitalocean", config(s, "dop_v1_wrong"))
		},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			s.SetLatency(time.Hour)
			s.Spaces().SetLatency(time.Hour)
			t.Cleanup(func() { s.SetLatency(0); s.Spaces().SetLatency(0) })
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			s.SetActionLatency(time.Hour)
			return func() { s.SetActionLatency(0) }
		},
		WaitTimeout:    30 * time.Second,
		ProfileFigures: figures,
	})
	if got := s.Resources(); len(got) != 0 {
		t.Errorf("resources left after the suite: %q", got)
	}
}

// figures are the fake's sizes as the API states them: memory in MiB, disk
// in GB.
func figures(context.Context, *testing.T) map[string]drivertest.ProfileFigure {
	out := map[string]drivertest.ProfileFigure{}
	for _, z := range dotest.Sizes {
		out[z.Slug] = drivertest.ProfileFigure{CPU: z.Vcpus, Memory: strconv.Itoa(z.Memory), MemoryUnit: deltacloud.MiB,
			Storage: strconv.Itoa(z.Disk), StorageUnit: deltacloud.DecimalGB, StorageGB: deltacloud.DecimalGB}
	}
	return out
}
