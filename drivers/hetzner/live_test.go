package hetzner_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner"
)

// TestLive runs the conformance suite against Hetzner Cloud. It runs only
// when DELTACLOUD_HETZNER_TOKEN is set (a read & write API token of a
// project the suite may create servers, volumes, floating IPs, firewalls,
// SSH keys and snapshots in), in DELTACLOUD_HETZNER_LOCATION (default
// fsn1), from DELTACLOUD_HETZNER_IMAGE (an image id; default the first
// image listed) on the smallest server type offered for it, and bills the
// project for them. It skips otherwise, also under DELTACLOUD_TEST_STRICT=1:
// CI has no Hetzner account.
func TestLive(t *testing.T) {
	token := os.Getenv("DELTACLOUD_HETZNER_TOKEN")
	if token == "" {
		t.Skip("DELTACLOUD_HETZNER_TOKEN is not set; no live Hetzner Cloud test")
	}
	cfg := deltacloud.Config{
		Provider:     os.Getenv("DELTACLOUD_HETZNER_LOCATION"),
		Credentials:  deltacloud.Credentials{Password: token},
		Options:      map[string]string{"owner": "deltacloud-drivertest", "poll_interval": "2s"},
		PollInterval: 5 * time.Second, MaxPollInterval: 30 * time.Second,
	}
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "hetzner", cfg)
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			bad := cfg
			bad.Credentials = deltacloud.Credentials{Password: "not-a-valid-token"}
			return deltacloud.Open(ctx, "hetzner", bad)
		},
		Spec:           deltacloud.InstanceSpec{ImageID: os.Getenv("DELTACLOUD_HETZNER_IMAGE")},
		WaitTimeout:    15 * time.Minute,
		VolumeCapacity: hetzner.MinVolumeSize,
	})
}
