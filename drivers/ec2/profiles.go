package ec2

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/deltacloud-go/deltacloud"
)

// HardwareProfiles lists the region's instance types, one profile each,
// from the provider's cache of the catalogue (instance_types_ttl); an
// anonymous provider lists the built-in catalogue instead.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	if c.anonymous {
		return catalogueProfiles(), nil
	}
	hs, err := c.types.get(ctx, c.listTypes)
	if err != nil {
		return nil, err
	}
	return cloneProfiles(hs), nil
}

// listTypes lists every instance type of the region, page by page.
func (c *conn) listTypes(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
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

// maxTypeName bounds the instance type names sent to EC2; the longest AWS
// has are about 25 characters.
const maxTypeName = 64

// HardwareProfile returns one instance type: from the cached catalogue while
// it is fresh, otherwise with one DescribeInstanceTypes request naming the
// type. An unknown type is ErrNotFound (EC2 answers InvalidInstanceType).
func (c *conn) HardwareProfile(ctx context.Context, id string) (*deltacloud.HardwareProfile, error) {
	if c.anonymous {
		if h, ok := lookup(catalogueProfiles(), id); ok {
			return h, nil
		}
		return nil, notFound("instance type", id)
	}
	if hs, ok := c.types.fresh(); ok {
		if h, ok := lookup(hs, id); ok {
			return h, nil
		}
		return nil, notFound("instance type", id)
	}
	if !plausibleType(id) {
		return nil, notFound("instance type", id)
	}
	out, err := c.client.DescribeInstanceTypes(ctx, &ec2.DescribeInstanceTypesInput{
		InstanceTypes: []types.InstanceType{types.InstanceType(id)}})
	if err != nil {
		if isUnknownType(err) {
			return nil, &deltacloud.Error{Code: deltacloud.NotFound, ID: id,
				Message: fmt.Sprintf("ec2: instance type %q not found", id), Err: err}
		}
		return nil, c.wrap(err)
	}
	for _, it := range out.InstanceTypes {
		if string(it.InstanceType) == id {
			h := profileOf(it)
			return &h, nil
		}
	}
	return nil, notFound("instance type", id)
}

// plausibleType reports whether id could name an instance type
// ("family.size": lower-case letters, digits, dashes and one dot), so that
// anything else is NotFound without a request.
func plausibleType(id string) bool {
	if len(id) == 0 || len(id) > maxTypeName {
		return false
	}
	dots := 0
	for _, r := range id {
		switch {
		case r == '.':
			dots++
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-':
		default:
			return false
		}
	}
	return dots == 1
}

// isUnknownType reports whether EC2 refused a DescribeInstanceTypes because
// a named type does not exist: it answers InvalidInstanceType, which is not
// one of its "….NotFound" codes.
func isUnknownType(err error) bool {
	var api smithy.APIError
	return errors.As(err, &api) && (api.ErrorCode() == "InvalidInstanceType" || CodeFor(api.ErrorCode()) == deltacloud.NotFound)
}

// profileOf maps an instance type onto a profile of fixed properties, but
// for the architecture: a type that runs several (t2.micro runs i386 and
// x86_64) gets an enum whose default is x86_64 when it is one of them.
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
		if p, ok := archProperty(it.ProcessorInfo.SupportedArchitectures); ok {
			h.Properties = append(h.Properties, p)
		}
	}
	return h
}

// archProperty is the architecture property of a type supporting archs:
// fixed when they map onto one Deltacloud architecture, an enum in EC2's
// order otherwise, defaulting to x86_64 when offered (what images mostly
// are), else to the first.
func archProperty(archs []types.ArchitectureType) (deltacloud.Property, bool) {
	var names []string
	for _, a := range archs {
		if n := archOf(a); n != "" && !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	switch len(names) {
	case 0:
		return deltacloud.Property{}, false
	case 1:
		return deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, names[0]), true
	}
	def := names[0]
	if slices.Contains(names, "x86_64") {
		def = "x86_64"
	}
	return deltacloud.EnumProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, def, names...), true
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
