package gce

import (
	"context"
	"strings"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// regionZones lists the zones of the provider's region, sorted as Compute
// lists them.
func (c *conn) regionZones(ctx context.Context) ([]*compute.Zone, error) {
	var out []*compute.Zone
	err := c.compute.Zones.List(c.scope.Project).Context(ctx).Pages(ctx, func(l *compute.ZoneList) error {
		for _, z := range l.Items {
			if last(z.Region) == c.scope.Region {
				out = append(out, z)
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err)
	}
	names := make([]string, len(out))
	for i, z := range out {
		names[i] = z.Name
	}
	c.mu.Lock()
	c.zones = names
	c.mu.Unlock()
	return out, nil
}

// zoneNames are the region's zones, listed once per provider.
func (c *conn) zoneNames(ctx context.Context) ([]string, error) {
	c.mu.Lock()
	zs := c.zones
	c.mu.Unlock()
	if zs != nil {
		return zs, nil
	}
	if _, err := c.regionZones(ctx); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.zones) == 0 {
		return nil, &deltacloud.Error{Code: deltacloud.NotFound, Message: "gce: region " + c.scope.Region + " has no zones in project " + c.scope.Project}
	}
	return c.zones, nil
}

// inRegion reports whether zone is one of the region's.
func (c *conn) inRegion(ctx context.Context, zone string) (bool, error) {
	zs, err := c.zoneNames(ctx)
	if err != nil {
		return false, err
	}
	for _, z := range zs {
		if z == zone {
			return true, nil
		}
	}
	return false, nil
}

func realmOf(z *compute.Zone) deltacloud.Realm {
	state := deltacloud.RealmAvailable
	if z.Status != "UP" {
		state = deltacloud.RealmUnavailable
	}
	return deltacloud.Realm{ID: z.Name, Name: z.Name, State: state}
}

// Realms lists the region's zones.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	zs, err := c.regionZones(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Realm, len(zs))
	for i, z := range zs {
		out[i] = realmOf(z)
	}
	return out, nil
}

// Realm gets one zone of the region.
func (c *conn) Realm(ctx context.Context, id string) (*deltacloud.Realm, error) {
	if !nameRE.MatchString(id) || !strings.HasPrefix(id, c.scope.Region+"-") {
		return nil, notFound("realm", id)
	}
	z, err := c.compute.Zones.Get(c.scope.Project, id).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	if last(z.Region) != c.scope.Region {
		return nil, notFound("realm", id)
	}
	r := realmOf(z)
	return &r, nil
}

// last is the last path segment of a resource URL.
func last(u string) string { return u[strings.LastIndex(u, "/")+1:] }
