package ec2

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// catalogueType is one instance type of the built-in catalogue.
type catalogueType struct {
	name    string
	vcpus   int
	mib     int
	storage int    // instance-store GB; 0 when EBS only
	arch    string // EC2's architecture names, comma-separated
}

// catalogue lists common current-generation instance types with AWS's
// published vCPU and memory figures. It answers HardwareProfiles when the
// provider has no credentials and may not use the host's identity
// (Config.NoAmbientCredentials): like the original Deltacloud server, which
// served EC2's hardware profiles to anonymous clients from static data, it
// lets a client see the sizes before it signs in, without calling AWS with
// anybody's identity. A signed-in provider lists the region's real offering.
var catalogue = []catalogueType{
	{"t2.nano", 1, 512, 0, "i386,x86_64"},
	{"t2.micro", 1, 1024, 0, "i386,x86_64"},
	{"t2.small", 1, 2048, 0, "i386,x86_64"},
	{"t2.medium", 2, 4096, 0, "i386,x86_64"},
	{"t2.large", 2, 8192, 0, "x86_64"},
	{"t2.xlarge", 4, 16384, 0, "x86_64"},
	{"t2.2xlarge", 8, 32768, 0, "x86_64"},
	{"t3.nano", 2, 512, 0, "x86_64"},
	{"t3.micro", 2, 1024, 0, "x86_64"},
	{"t3.small", 2, 2048, 0, "x86_64"},
	{"t3.medium", 2, 4096, 0, "x86_64"},
	{"t3.large", 2, 8192, 0, "x86_64"},
	{"t3.xlarge", 4, 16384, 0, "x86_64"},
	{"t3.2xlarge", 8, 32768, 0, "x86_64"},
	{"t4g.micro", 2, 1024, 0, "arm64"},
	{"t4g.small", 2, 2048, 0, "arm64"},
	{"t4g.medium", 2, 4096, 0, "arm64"},
	{"t4g.large", 2, 8192, 0, "arm64"},
	{"m5.large", 2, 8192, 0, "x86_64"},
	{"m5.xlarge", 4, 16384, 0, "x86_64"},
	{"m5.2xlarge", 8, 32768, 0, "x86_64"},
	{"m5.4xlarge", 16, 65536, 0, "x86_64"},
	{"m5.8xlarge", 32, 131072, 0, "x86_64"},
	{"m5.12xlarge", 48, 196608, 0, "x86_64"},
	{"m5.24xlarge", 96, 393216, 0, "x86_64"},
	{"m5d.large", 2, 8192, 75, "x86_64"},
	{"m5d.xlarge", 4, 16384, 150, "x86_64"},
	{"m6g.medium", 1, 4096, 0, "arm64"},
	{"m6g.large", 2, 8192, 0, "arm64"},
	{"m6g.xlarge", 4, 16384, 0, "arm64"},
	{"c5.large", 2, 4096, 0, "x86_64"},
	{"c5.xlarge", 4, 8192, 0, "x86_64"},
	{"c5.2xlarge", 8, 16384, 0, "x86_64"},
	{"c5.4xlarge", 16, 32768, 0, "x86_64"},
	{"c5.9xlarge", 36, 73728, 0, "x86_64"},
	{"c5d.large", 2, 4096, 50, "x86_64"},
	{"c6g.medium", 1, 2048, 0, "arm64"},
	{"c6g.large", 2, 4096, 0, "arm64"},
	{"r5.large", 2, 16384, 0, "x86_64"},
	{"r5.xlarge", 4, 32768, 0, "x86_64"},
	{"r5.2xlarge", 8, 65536, 0, "x86_64"},
	{"r5.4xlarge", 16, 131072, 0, "x86_64"},
	{"i3.large", 2, 15616, 475, "x86_64"},
	{"i3.xlarge", 4, 31232, 950, "x86_64"},
}

// catalogueProfiles returns the built-in catalogue as profiles, shaped as
// profileOf shapes the types AWS lists.
func catalogueProfiles() []deltacloud.HardwareProfile {
	hs := make([]deltacloud.HardwareProfile, 0, len(catalogue))
	for _, t := range catalogue {
		h := deltacloud.HardwareProfile{ID: t.name, Name: t.name, Properties: []deltacloud.Property{
			deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, strconv.Itoa(t.vcpus)),
			deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.Itoa(t.mib)),
		}}
		if t.storage > 0 {
			h.Properties = append(h.Properties,
				deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, strconv.Itoa(t.storage)))
		}
		var archs []types.ArchitectureType
		for _, a := range strings.Split(t.arch, ",") {
			archs = append(archs, types.ArchitectureType(a))
		}
		if p, ok := archProperty(archs); ok {
			h.Properties = append(h.Properties, p)
		}
		hs = append(hs, h)
	}
	deltacloud.SortHardwareProfiles(hs)
	return hs
}
