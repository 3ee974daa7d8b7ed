package drivertest_test

import (
	"context"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// A driver's author runs the whole suite from one test in the driver's own
// package, here for the mock: Open gives a provider the suite may create
// and destroy instances on, OpenBadCredentials one the cloud refuses, and
// Slow and SlowActions let it cancel calls mid-flight (each case is skipped
// when its function is nil). Run it with go test -race.
func ExampleRunConformance() {
	testConformance := func(t *testing.T) {
		creds := deltacloud.Credentials{User: mock.User, Password: mock.Password}
		drivertest.RunConformance(t, drivertest.Harness{
			Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
				return deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: creds, PollInterval: time.Millisecond})
			},
			OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
				return deltacloud.Open(ctx, "mock", deltacloud.Config{
					Credentials: deltacloud.Credentials{User: mock.User, Password: "wrong"}})
			},
			Slow: func(t *testing.T, p *deltacloud.Provider) {
				var c *mock.Cloud
				if !p.As(&c) {
					t.Fatal("As(*mock.Cloud) failed")
				}
				c.SetLatency(mock.OpAll, time.Hour)
			},
			WaitTimeout: time.Minute,
		})
	}
	// In a driver's package this is func TestConformance(t *testing.T).
	_ = testConformance
}
