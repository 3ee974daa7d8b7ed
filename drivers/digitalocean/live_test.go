package digitalocean_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// TestLive runs the conformance suite against DigitalOcean itself when
// DELTACLOUD_DIGITALOCEAN_TOKEN holds an API token; it creates and deletes
// real droplets, volumes, snapshots, keys, firewalls and reserved IPs
// (billed). DELTACLOUD_DIGITALOCEAN_REGION picks the region (default nyc3);
// DELTACLOUD_DIGITALOCEAN_SPACES_KEY, _SPACES_SECRET add buckets. Without a
// token it skips, also under DELTACLOUD_TEST_STRICT=1: CI has no account.
func TestLive(t *testing.T) {
	token := os.Getenv("DELTACLOUD_DIGITALOCEAN_TOKEN")
	if token == "" {
		t.Skip("DELTACLOUD_DIGITALOCEAN_TOKEN is not set: no DigitalOcean account to test against")
	}
	if testing.Short() {
		t.Skip("the live suite creates real droplets; skipped in -short mode")
	}
	region := os.Getenv("DELTACLOUD_DIGITALOCEAN_REGION")
	opts := map[string]string{"owner": "deltacloud-live-test", "poll_interval": "3s"}
	if k := os.Getenv("DELTACLOUD_DIGITALOCEAN_SPACES_KEY"); k != "" {
		opts["spaces_key"], opts["spaces_secret"] = k, os.Getenv("DELTACLOUD_DIGITALOCEAN_SPACES_SECRET")
	}
	cfg := deltacloud.Config{Provider: region, Credentials: deltacloud.Credentials{Password: token}, Options: opts,
		NoAmbientCredentials: true}
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "digitalocean", cfg)
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			bad := cfg
			bad.Credentials.Password = "dop_v1_0000000000000000000000000000000000000000000000000000000000000000"
			return deltacloud.Open(ctx, "digitalocean", bad)
		},
		Spec:        deltacloud.InstanceSpec{ImageID: "ubuntu-24-04-x64", ProfileID: "s-1vcpu-512mb-10gb"},
		WaitTimeout: 10 * time.Minute,
	})
}
