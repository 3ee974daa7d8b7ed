package hetzner_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner/hetznertest"
)

// config is a provider's configuration on the fake: its token, its
// endpoint, quick polls, and the options given ("name=value").
func config(s *hetznertest.Server, options ...string) deltacloud.Config {
	opts := map[string]string{"endpoint": s.URL, "poll_interval": "10ms", "stop_timeout": "1s"}
	for _, o := range options {
		k, v, _ := cut(o)
		opts[k] = v
	}
	return deltacloud.Config{
		Credentials:          deltacloud.Credentials{Password: s.Token()},
		NoAmbientCredentials: true,
		Options:              opts,
		Logger:               discard,
	}
}

func open(t *testing.T, s *hetznertest.Server, options ...string) *deltacloud.Provider {
	t.Helper()
	p, err := deltacloud.Open(t.Context(), "hetzner", config(s, options...))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestConformance(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "hetzner", config(s))
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			cfg := config(s)
			cfg.Credentials.Password = "wrong-token"
			return deltacloud.Open(ctx, "hetzner", cfg)
		},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			s.SetLatency(time.Hour)
			t.Cleanup(func() { s.SetLatency(0) })
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			s.SetActionDelay(time.Hour)
			return func() { s.SetActionDelay(30 * time.Millisecond) }
		},
		WaitTimeout:    30 * time.Second,
		VolumeCapacity: hetzner.MinVolumeSize,
		ProfileFigures: func(context.Context, *testing.T) map[string]drivertest.ProfileFigure { return figures(s) },
	})
	// Everything the suite created is gone.
	if got := s.Servers(); len(got) > 0 {
		t.Errorf("%d servers left after the suite, the first %d %q", len(got), got[0].ID, got[0].Name)
	}
	if got := s.Volumes(); len(got) > 0 {
		t.Errorf("%d volumes left after the suite", len(got))
	}
	if got := s.FloatingIPs(); len(got) > 0 {
		t.Errorf("%d floating IPs left after the suite", len(got))
	}
	if got := s.Firewalls(); len(got) > 0 {
		t.Errorf("%d firewalls left after the suite", len(got))
	}
	if got := s.Keys(); len(got) > 0 {
		t.Errorf("%d SSH keys left after the suite", len(got))
	}
	for _, img := range s.Images() {
		if img.Type != "system" {
			t.Errorf("image %d (%s) left after the suite", img.ID, img.Type)
		}
	}
}

// figures are the fake's server types as the API states them: memory in
// GB that are GiB, the local disk in GB.
func figures(s *hetznertest.Server) map[string]drivertest.ProfileFigure {
	out := map[string]drivertest.ProfileFigure{}
	for _, st := range s.ServerTypes() {
		out[st.Name] = drivertest.ProfileFigure{
			CPU: st.Cores, Memory: strconv.FormatFloat(float64(st.Memory), 'f', -1, 32), MemoryUnit: deltacloud.GiB,
			Storage: strconv.Itoa(st.Disk), StorageUnit: deltacloud.DecimalGB, StorageGB: deltacloud.DecimalGB,
		}
	}
	return out
}
