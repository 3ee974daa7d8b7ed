package azure_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// testPassword satisfies Azure's password rules.
const testPassword = "Drivertest-Pa55word"

func open(ctx context.Context, s *azuretest.Subscription, options ...string) (*deltacloud.Provider, error) {
	return deltacloud.Open(ctx, "azure", s.Config(options...))
}

func TestConformance(t *testing.T) {
	s := azuretest.New()
	// Buckets and blobs are Azurite's, when it is installed.
	var storage []string
	if a, why := startAzurite(t); a != nil {
		storage = storageOptions(s, a)
	} else {
		t.Logf("the buckets collection is not tested: %s", why)
	}
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) { return open(ctx, s, storage...) },
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			cfg := s.Config()
			cfg.Credentials.Password = "wrong-secret"
			return deltacloud.Open(ctx, "azure", cfg)
		},
		Spec: deltacloud.InstanceSpec{Password: testPassword},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			s.SetLatency(time.Hour)
			t.Cleanup(func() { s.SetLatency(0) })
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			s.SetActionLatency(time.Hour)
			return func() { s.SetActionLatency(0) }
		},
		WaitTimeout:    30 * time.Second,
		VolumeDevice:   "lun1",
		ProfileFigures: func(context.Context, *testing.T) map[string]drivertest.ProfileFigure { return azureFigures(s) },
	})
	// Everything the suite created is gone; what is left is the fixtures
	// and the shared network.
	want := []string{
		"/subscriptions/" + azuretest.SubscriptionID + "/resourceGroups/" + azuretest.ResourceGroup + "/providers/Microsoft.Compute/images/golden-image",
		"/subscriptions/" + azuretest.SubscriptionID + "/resourceGroups/" + azuretest.ResourceGroup + "/providers/Microsoft.Compute/sshPublicKeys/test-key",
		"/subscriptions/" + azuretest.SubscriptionID + "/resourceGroups/" + azuretest.ResourceGroup + "/providers/Microsoft.Network/virtualNetworks/deltacloud-vnet",
	}
	if got := s.Resources(); !equal(got, want) {
		t.Errorf("resources left after the suite:\n%q\nwant\n%q", got, want)
	}
}

// azureFigures are the subscription's VM sizes as Azure's virtual machine
// sizes API states them: memory and temporary disk in MiB. The profiles
// show memory in MiB and the disk in GiB, Azure's gigabytes.
func azureFigures(s *azuretest.Subscription) map[string]drivertest.ProfileFigure {
	out := map[string]drivertest.ProfileFigure{}
	for _, z := range s.VMSizes() {
		out[*z.Name] = drivertest.ProfileFigure{
			CPU: int(*z.NumberOfCores), Memory: strconv.Itoa(int(*z.MemoryInMB)), MemoryUnit: deltacloud.MiB,
			Storage: strconv.Itoa(int(*z.ResourceDiskSizeInMB)), StorageUnit: deltacloud.MiB, StorageGB: deltacloud.GiB,
		}
	}
	return out
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
