package azure_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// TestLive runs the conformance suite against real Azure. It runs only when
// DELTACLOUD_AZURE_PROVIDER is set ("subscription/resourceGroup/location");
// the service principal comes from AZURE_TENANT_ID, AZURE_CLIENT_ID and
// AZURE_CLIENT_SECRET when all are set, else from azidentity's default
// chain. It creates (and destroys) small VMs: DELTACLOUD_AZURE_VM_SIZE
// (default Standard_B1s) from DELTACLOUD_AZURE_IMAGE (default Ubuntu 24.04),
// and bills the subscription for them.
func TestLive(t *testing.T) {
	provider := os.Getenv("DELTACLOUD_AZURE_PROVIDER")
	if provider == "" {
		t.Skip("DELTACLOUD_AZURE_PROVIDER is not set; no live Azure test")
	}
	cfg := deltacloud.Config{Provider: provider, Options: map[string]string{"poll_interval": "5s"},
		PollInterval: 5 * time.Second, MaxPollInterval: 30 * time.Second}
	tenant, client, secret := os.Getenv("AZURE_TENANT_ID"), os.Getenv("AZURE_CLIENT_ID"), os.Getenv("AZURE_CLIENT_SECRET")
	if tenant != "" && client != "" && secret != "" {
		cfg.Credentials = deltacloud.Credentials{User: tenant + "/" + client, Password: secret}
	}
	if v := os.Getenv("DELTACLOUD_AZURE_VM_SIZE"); v != "" {
		cfg.Options["vm_size"] = v
	} else {
		cfg.Options["vm_size"] = "Standard_B1s"
	}
	spec := deltacloud.InstanceSpec{ImageID: os.Getenv("DELTACLOUD_AZURE_IMAGE"), Password: testPassword}
	if spec.ImageID == "" {
		spec.ImageID = ubuntu
	}
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "azure", cfg)
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			bad := cfg
			bad.Credentials = deltacloud.Credentials{User: "00000000-0000-0000-0000-000000000000/00000000-0000-0000-0000-000000000000", Password: "wrong"}
			return deltacloud.Open(ctx, "azure", bad)
		},
		Spec:        spec,
		WaitTimeout: 20 * time.Minute,
	})
}
