package deltacloud_test

import (
	"context"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// TestConformance runs the whole conformance suite through the remote
// driver against the api handler over the mock driver, each provider on a
// fresh handler with its own storage.
func TestConformance(t *testing.T) {
	drivertest.RunConformance(t, harness(""))
}

// TestConformanceUnderOtherPath serves the API under /cloud/api: the
// driver follows the server's links, so nothing assumes /api.
func TestConformanceUnderOtherPath(t *testing.T) {
	drivertest.RunConformance(t, harness("/cloud/api"))
}

// TestConformanceFirewalls runs the suite against a mock that serves
// firewalls too (its firewalls option), so the remote firewalls are
// covered.
func TestConformanceFirewalls(t *testing.T) {
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return startServerWith(t, "", map[string]string{"firewalls": "true"}, nil).open(ctx, goodCreds)
		},
	})
}
