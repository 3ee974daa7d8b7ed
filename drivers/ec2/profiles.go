package ec2

import (
	"context"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// HardwareProfiles lists the region's instance types, one fixed profile
// each; an anonymous provider lists the built-in catalogue instead.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	if c.anonymous {
		return catalogueProfiles(), nil
	}
	var hs []deltacloud.HardwareProfile
	pg := ec2.NewDescribeInstanceTypesPaginator(c.client, &ec2.DescribeInstanceTypesInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, it := range page.InstanceTypes {
			hs = append(hs, profileOf(it))
		}
	}
	deltacloud.SortHardwareProfiles(hs)
	return hs, nil
}

// profileOf maps an instance type onto a profile of fixed properties.
func profileOf(it types.InstanceTypeInfo) deltacloud.HardwareProfile {
	id := string(it.InstanceType)
	h := deltacloud.HardwareProfile{ID: id, Name: id}
	if it.VCpuInfo != nil && it.VCpuInfo.DefaultVCpus != nil {
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount,
			strconv.Itoa(int(*it.VCpuInfo.DefaultVCpus))))
	}
	if it.MemoryInfo != nil && it.MemoryInfo.SizeInMiB != nil {
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB,
			strconv.FormatInt(*it.MemoryInfo.SizeInMiB, 10)))
	}
	if it.InstanceStorageInfo != nil && it.InstanceStorageInfo.TotalSizeInGB != nil {
		h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB,
			strconv.FormatInt(*it.InstanceStorageInfo.TotalSizeInGB, 10)))
	}
	if it.ProcessorInfo != nil {
		for _, a := range it.ProcessorInfo.SupportedArchitectures {
			if arch := archOf(a); arch != "" {
				h.Properties = append(h.Properties, deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, arch))
				break
			}
		}
	}
	return h
}

// archOf maps an EC2 architecture onto Deltacloud's names; "" if unknown.
func archOf(a types.ArchitectureType) string {
	switch a {
	case types.ArchitectureTypeX8664, types.ArchitectureTypeX8664Mac:
		return "x86_64"
	case types.ArchitectureTypeI386:
		return "i386"
	case types.ArchitectureTypeArm64, types.ArchitectureTypeArm64Mac:
		return "arm64"
	}
	return ""
}
