package openstack

import (
	"context"
	"strconv"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"

	"github.com/deltacloud-go/deltacloud"
)

// HardwareProfiles lists the flavors the project can use, public and
// private (Nova lists a private flavor to the projects with access).
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := flavors.ListDetail(s.compute, flavors.ListOpts{AccessType: flavors.AllAccess}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	fs, err := flavors.ExtractFlavors(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.HardwareProfile, 0, len(fs))
	for _, f := range fs {
		out = append(out, profileOf(f))
	}
	deltacloud.SortHardwareProfiles(out)
	return out, nil
}

// HardwareProfile fetches one flavor.
func (c *conn) HardwareProfile(ctx context.Context, id string) (*deltacloud.HardwareProfile, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	f, err := flavors.Get(ctx, s.compute, id).Extract()
	if isNotFound(err) {
		return nil, notFound("flavor", id)
	}
	if err != nil {
		return nil, wrap(err)
	}
	h := profileOf(*f)
	return &h, nil
}

// profileOf maps a flavor: vCPUs, RAM in MiB, root disk in GiB (Nova's
// GB), all fixed; the flavor id is the profile id, its name the name.
func profileOf(f flavors.Flavor) deltacloud.HardwareProfile {
	return deltacloud.HardwareProfile{ID: f.ID, Name: f.Name, Properties: []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, strconv.Itoa(f.VCPUs)),
		deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.Itoa(f.RAM)),
		deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, strconv.Itoa(f.Disk)),
	}}
}
