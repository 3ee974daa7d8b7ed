package openstack_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	_ "github.com/deltacloud-go/deltacloud/drivers/openstack"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

func open(ctx context.Context, c *openstacktest.Cloud, options ...string) (*deltacloud.Provider, error) {
	return deltacloud.Open(ctx, "openstack", c.Config(options...))
}

// openFake opens the driver on a new fake cloud, both closed when the
// test ends.
func openFake(t testing.TB, options ...string) (*openstacktest.Cloud, *deltacloud.Provider) {
	t.Helper()
	c := openstacktest.New(t)
	p, err := open(context.Background(), c, options...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return c, p
}

func TestConformance(t *testing.T) {
	c := openstacktest.New(t)
	drivertest.RunConformance(t, drivertest.Harness{
		// 1 MiB segments: the suite's large blobs are static large objects.
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return open(ctx, c, "segment_size", "1048576", "telemetry", "gnocchi")
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			cfg := c.Config()
			cfg.Credentials.Password = "wrong-secret"
			return deltacloud.Open(ctx, "openstack", cfg)
		},
		Spec: deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			c.SetLatency(time.Hour)
			t.Cleanup(func() { c.SetLatency(0) })
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			c.SetActionLatency(time.Hour)
			return func() { c.SetActionLatency(0) }
		},
		WaitTimeout:    30 * time.Second,
		ProfileFigures: func(context.Context, *testing.T) map[string]drivertest.ProfileFigure { return figures() },
	})
}

// figures are the fake's flavors as Nova states them: RAM in MiB, disk in
// GiB (Nova's GB).
func figures() map[string]drivertest.ProfileFigure {
	out := map[string]drivertest.ProfileFigure{}
	for _, f := range openstacktest.Flavors {
		out[f.ID] = drivertest.ProfileFigure{CPU: f.VCPUs, Memory: strconv.Itoa(f.RAM), MemoryUnit: deltacloud.MiB,
			Storage: strconv.Itoa(f.Disk), StorageUnit: deltacloud.GiB, StorageGB: deltacloud.GiB}
	}
	return out
}
