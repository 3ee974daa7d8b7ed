package openstack

import (
	"context"
	"sort"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/availabilityzones"

	"github.com/deltacloud-go/deltacloud"
)

// Realms lists Nova's availability zones for servers.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := availabilityzones.List(s.compute).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	zs, err := availabilityzones.ExtractAvailabilityZones(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Realm, 0, len(zs))
	for _, z := range zs {
		st := deltacloud.RealmUnavailable
		if z.ZoneState.Available {
			st = deltacloud.RealmAvailable
		}
		out = append(out, deltacloud.Realm{ID: z.ZoneName, Name: z.ZoneName, State: st})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
