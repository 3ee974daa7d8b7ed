package mock_test

import (
	"context"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

var goodCreds = deltacloud.Credentials{User: mock.User, Password: mock.Password}

func TestConformance(t *testing.T) {
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: goodCreds, PollInterval: time.Millisecond})
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: deltacloud.Credentials{User: mock.User, Password: "wrong"}})
		},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			var c *mock.Cloud
			if !p.As(&c) {
				t.Fatal("As(*mock.Cloud) failed")
			}
			c.SetLatency(mock.OpAll, time.Hour)
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			var c *mock.Cloud
			if !p.As(&c) {
				t.Fatal("As(*mock.Cloud) failed")
			}
			c.SetLatency(mock.OpAct, time.Hour)
			return func() { c.SetLatency(mock.OpAct, 0) }
		},
		ProfileFigures: originalMockFigures,
	})
}

// originalMockFigures are the sizes the original Deltacloud mock driver
// defined, as it wrote them: memory in GiB (m1-small's 1.7 * 1024) and
// nominal storage in GB; for the profiles with a choice, its defaults or
// first choices.
func originalMockFigures(context.Context, *testing.T) map[string]drivertest.ProfileFigure {
	gb := func(cpu int, memGiB, storage string) drivertest.ProfileFigure {
		return drivertest.ProfileFigure{CPU: cpu, Memory: memGiB, MemoryUnit: deltacloud.GiB,
			Storage: storage, StorageUnit: deltacloud.DecimalGB, StorageGB: deltacloud.DecimalGB}
	}
	return map[string]drivertest.ProfileFigure{
		"m1-small":  gb(1, "1.7", "160"),
		"m1-large":  gb(1, "10", "850"),
		"m1-xlarge": gb(4, "12", "1024"),
	}
}

// TestConformancePending runs the suite with instances that stay PENDING for
// a few polls, so the automatic pending→running transition is exercised.
func TestConformancePending(t *testing.T) {
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: goodCreds, PollInterval: time.Millisecond,
				Options: map[string]string{"pending_polls": "2"}})
		},
	})
}

// TestConformanceStorage runs the suite on a cloud persisted to a directory,
// with the firewalls collection served.
func TestConformanceStorage(t *testing.T) {
	dir := t.TempDir()
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: goodCreds, PollInterval: time.Millisecond,
				Options: map[string]string{"storage": dir, "firewalls": "true"}})
		},
	})
}
