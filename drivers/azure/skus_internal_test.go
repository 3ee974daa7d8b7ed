package azure

import (
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestProfileOfUnits: a SKU's MemoryGB (GiB) becomes MiB and its
// MaxResourceVolumeMB (MiB) becomes GiB, exactly, as deltacloud.UnitMB and
// UnitGB document for Azure; figures that are missing, zero, negative or
// malformed state nothing.
func TestProfileOfUnits(t *testing.T) {
	tests := []struct {
		memGB, diskMB     string
		wantMem, wantDisk string // "" when the property must be absent
	}{
		{memGB: "0.5", diskMB: "4096", wantMem: "512", wantDisk: "4"},
		{memGB: "1.75", diskMB: "7168", wantMem: "1792", wantDisk: "7"},
		{memGB: "11400", diskMB: "8388608", wantMem: "11673600", wantDisk: "8192"},
		{memGB: "3.5", diskMB: "1000", wantMem: "3584", wantDisk: "0.9765625"}, // no truncation to 0
		{memGB: "8", diskMB: "0", wantMem: "8192"},
		{memGB: "-1", diskMB: "-1024"},
		{memGB: "lots", diskMB: "1e3"},
		{memGB: "", diskMB: ""},
	}
	for _, tt := range tests {
		sku := &armcompute.ResourceSKU{Name: to.Ptr("Standard_X"), Capabilities: []*armcompute.ResourceSKUCapabilities{
			{Name: to.Ptr("MemoryGB"), Value: to.Ptr(tt.memGB)},
			{Name: to.Ptr("MaxResourceVolumeMB"), Value: to.Ptr(tt.diskMB)},
		}}
		h := profileOf(sku)
		got := [2]string{h.Value(deltacloud.PropertyMemory), h.Value(deltacloud.PropertyStorage)}
		if d := cmp.Diff([2]string{tt.wantMem, tt.wantDisk}, got); d != "" {
			t.Errorf("MemoryGB %q, MaxResourceVolumeMB %q: (-want +got memory, storage):\n%s", tt.memGB, tt.diskMB, d)
		}
		if p, ok := h.Property(deltacloud.PropertyMemory); ok && p.Unit != deltacloud.UnitMB {
			t.Errorf("memory unit %q", p.Unit)
		}
		if p, ok := h.Property(deltacloud.PropertyStorage); ok && p.Unit != deltacloud.UnitGB {
			t.Errorf("storage unit %q", p.Unit)
		}
	}
}
