package digitalocean

import (
	"context"
	"strconv"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// Realms lists the regions; a region DigitalOcean marks unavailable (no new
// droplets) is UNAVAILABLE.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	rs, err := listAll(ctx, c, c.client.Regions.List)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Realm, len(rs))
	for i, r := range rs {
		out[i] = realmOf(r)
	}
	return out, nil
}

func realmOf(r godo.Region) deltacloud.Realm {
	state := deltacloud.RealmAvailable
	if !r.Available {
		state = deltacloud.RealmUnavailable
	}
	return deltacloud.Realm{ID: r.Slug, Name: r.Name, State: state}
}

// Realm finds one region in the listing (the API has no single-region
// call).
func (c *conn) Realm(ctx context.Context, id string) (*deltacloud.Realm, error) {
	rs, err := c.Realms(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if r.ID == id {
			return &r, nil
		}
	}
	return nil, notFound("region", id)
}

// HardwareProfiles lists the sizes available for new droplets, each a
// profile of fixed cpu, memory (MiB, as the API states it), storage (the
// disk in GB) and architecture x86_64, in the Deltacloud order.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	zs, err := listAll(ctx, c, c.client.Sizes.List)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.HardwareProfile
	for _, z := range zs {
		if z.Available {
			out = append(out, profileOf(z))
		}
	}
	deltacloud.SortHardwareProfiles(out)
	return out, nil
}

func profileOf(z godo.Size) deltacloud.HardwareProfile {
	return deltacloud.HardwareProfile{ID: z.Slug, Name: z.Slug, Properties: []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, strconv.Itoa(z.Vcpus)),
		deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.Itoa(z.Memory)),
		deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, strconv.Itoa(z.Disk)),
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64"),
	}}
}

// HardwareProfile finds one size in the listing (the API has no single-size
// call).
func (c *conn) HardwareProfile(ctx context.Context, id string) (*deltacloud.HardwareProfile, error) {
	hs, err := c.HardwareProfiles(ctx)
	if err != nil {
		return nil, err
	}
	for _, h := range hs {
		if h.ID == id {
			return &h, nil
		}
	}
	return nil, notFound("size", id)
}
