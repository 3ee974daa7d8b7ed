package azuretest

import (
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
)

// TestPublicKey is the OpenSSH key of the SSH public key resource
// "test-key".
const TestPublicKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDeltacloudGoAzureFakeKeyForTestsOnly0000000 test@deltacloud"

// size is a VM size of the fixtures, with Azure's published figures: the
// resource SKU capabilities (vCPUs, MemoryGB in GiB, MaxResourceVolumeMB)
// and, as the virtual machine sizes API states it, memoryInMB (MiB).
type size struct {
	name, family, vcpus, memGB, tempMB, arch string
	memMB                                    int32
	restricted                               bool
}

var sizes = []size{
	{"Standard_B1s", "standardBSFamily", "1", "1", "4096", "x64", 1024, false},
	{"Standard_B2s", "standardBSFamily", "2", "4", "8192", "x64", 4096, false},
	{"Standard_D2s_v5", "standardDSv5Family", "2", "8", "0", "x64", 8192, false},
	{"Standard_D4s_v5", "standardDSv5Family", "4", "16", "0", "x64", 16384, false},
	{"Standard_D2ps_v5", "standardDPSv5Family", "2", "8", "0", "Arm64", 8192, false},
	{"Standard_B1ls", "standardBSFamily", "1", "0.5", "4096", "x64", 512, false},
	{"Standard_M416ms_v2", "standardMSv2Family", "416", "11400", "8388608", "x64", 11673600, true},
}

// VMSizes lists the subscription's VM sizes as Azure's virtual machine
// sizes API states them (numberOfCores, memoryInMB and resourceDiskSizeInMB,
// all MiB), restricted ones included. It is the cloud's second statement of
// the figures the driver reads from the resource SKUs (vCPUs, MemoryGB,
// MaxResourceVolumeMB), so tests can check the driver's conversions against
// it.
func (s *Subscription) VMSizes() []armcompute.VirtualMachineSize {
	out := make([]armcompute.VirtualMachineSize, 0, len(sizes))
	for _, z := range sizes {
		cores, _ := strconv.ParseInt(z.vcpus, 10, 32)
		disk, _ := strconv.ParseInt(z.tempMB, 10, 32)
		out = append(out, armcompute.VirtualMachineSize{
			Name: to.Ptr(z.name), NumberOfCores: to.Ptr(int32(cores)),
			MemoryInMB: to.Ptr(z.memMB), ResourceDiskSizeInMB: to.Ptr(int32(disk)),
		})
	}
	return out
}

// marketplace lists the marketplace images: URN without version, versions
// (oldest first), OS and architecture.
var marketplace = []struct {
	urn      string
	versions []string
	os       armcompute.OperatingSystemTypes
	arch     armcompute.ArchitectureTypes
}{
	{"Canonical:ubuntu-24_04-lts:server", []string{"24.04.202409120", "24.04.202501140"}, armcompute.OperatingSystemTypesLinux, armcompute.ArchitectureTypesX64},
	{"Canonical:ubuntu-24_04-lts:server-arm64", []string{"24.04.202501140"}, armcompute.OperatingSystemTypesLinux, armcompute.ArchitectureTypesArm64},
	{"Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2", []string{"22.04.202412100"}, armcompute.OperatingSystemTypesLinux, armcompute.ArchitectureTypesX64},
	{"Debian:debian-12:12-gen2", []string{"0.20250113.1990"}, armcompute.OperatingSystemTypesLinux, armcompute.ArchitectureTypesX64},
	{"MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition", []string{"20348.2966.241205"}, armcompute.OperatingSystemTypesWindows, armcompute.ArchitectureTypesX64},
}

// addFixtures fills the subscription's catalogue and resource group.
func (s *Subscription) addFixtures() {
	for _, z := range sizes {
		sku := &armcompute.ResourceSKU{
			ResourceType: to.Ptr("virtualMachines"), Name: to.Ptr(z.name), Tier: to.Ptr("Standard"),
			Size: to.Ptr(strings.TrimPrefix(z.name, "Standard_")), Family: to.Ptr(z.family),
			Locations:    []*string{to.Ptr(Location)},
			LocationInfo: []*armcompute.ResourceSKULocationInfo{{Location: to.Ptr(Location), Zones: []*string{to.Ptr("1"), to.Ptr("2"), to.Ptr("3")}}},
			Capabilities: []*armcompute.ResourceSKUCapabilities{
				{Name: to.Ptr("vCPUs"), Value: to.Ptr(z.vcpus)},
				{Name: to.Ptr("MemoryGB"), Value: to.Ptr(z.memGB)},
				{Name: to.Ptr("MaxResourceVolumeMB"), Value: to.Ptr(z.tempMB)},
				{Name: to.Ptr("CpuArchitectureType"), Value: to.Ptr(z.arch)},
			},
		}
		if z.restricted {
			sku.Restrictions = []*armcompute.ResourceSKURestrictions{{
				Type: to.Ptr(armcompute.ResourceSKURestrictionsTypeLocation), Values: []*string{to.Ptr(Location)},
				ReasonCode:      to.Ptr(armcompute.ResourceSKURestrictionsReasonCodeNotAvailableForSubscription),
				RestrictionInfo: &armcompute.ResourceSKURestrictionInfo{Locations: []*string{to.Ptr(Location)}},
			}}
		}
		s.skus = append(s.skus, sku)
	}
	// A disk SKU, which listings of VM sizes must skip.
	s.skus = append(s.skus, &armcompute.ResourceSKU{ResourceType: to.Ptr("disks"), Name: to.Ptr("Premium_LRS"),
		Locations: []*string{to.Ptr(Location)}})
	for _, m := range marketplace {
		parts := strings.Split(m.urn, ":")
		for _, v := range m.versions {
			id := "/Subscriptions/" + SubscriptionID + "/Providers/Microsoft.Compute/Locations/" + Location +
				"/Publishers/" + parts[0] + "/ArtifactTypes/VMImage/Offers/" + parts[1] + "/Skus/" + parts[2] + "/Versions/" + v
			s.market[strings.ToLower(m.urn)] = append(s.market[strings.ToLower(m.urn)], &armcompute.VirtualMachineImage{
				ID: to.Ptr(id), Name: to.Ptr(v), Location: to.Ptr(Location),
				Properties: &armcompute.VirtualMachineImageProperties{
					Architecture:     to.Ptr(m.arch),
					HyperVGeneration: to.Ptr(armcompute.HyperVGenerationTypesV2),
					OSDiskImage:      &armcompute.OSDiskImage{OperatingSystem: to.Ptr(m.os)},
				},
			})
		}
	}
	g := s.groups[strings.ToLower(ResourceGroup)]
	g.images["golden-image"] = &armcompute.Image{
		ID: to.Ptr(computeID(ResourceGroup, "images", "golden-image")), Name: to.Ptr("golden-image"),
		Location: to.Ptr(Location), Type: to.Ptr("Microsoft.Compute/images"),
		Properties: &armcompute.ImageProperties{
			HyperVGeneration:  to.Ptr(armcompute.HyperVGenerationTypesV2),
			ProvisioningState: to.Ptr("Succeeded"),
			StorageProfile: &armcompute.ImageStorageProfile{OSDisk: &armcompute.ImageOSDisk{
				OSType: to.Ptr(armcompute.OperatingSystemTypesLinux), OSState: to.Ptr(armcompute.OperatingSystemStateTypesGeneralized),
			}},
		},
	}
	g.keys["test-key"] = &armcompute.SSHPublicKeyResource{
		ID: to.Ptr(computeID(ResourceGroup, "sshPublicKeys", "test-key")), Name: to.Ptr("test-key"),
		Location: to.Ptr(Location), Type: to.Ptr("Microsoft.Compute/sshPublicKeys"),
		Properties: &armcompute.SSHPublicKeyResourceProperties{PublicKey: to.Ptr(TestPublicKey)},
	}
}
