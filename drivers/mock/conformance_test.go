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
	})
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
