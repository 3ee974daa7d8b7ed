package vsphere

import (
	"context"
	"slices"
	"strings"

	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// Realms lists the datacenter's resource pools, by name.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	pools, err := c.pools(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Realm, len(pools))
	for i, p := range pools {
		out[i] = deltacloud.Realm{ID: p.ref.Value, Name: p.name, State: deltacloud.RealmAvailable}
	}
	return out, nil
}

// pool is one resource pool with its realm name.
type pool struct {
	ref  types.ManagedObjectReference
	name string
}

// pools lists the datacenter's resource pools sorted by name: a compute
// resource's root pool is named "datacenter/cluster", a child pool
// "datacenter/cluster/child/…".
func (c *conn) pools(ctx context.Context, s *state) ([]pool, error) {
	var rps []mo.ResourcePool
	if err := c.retrieve(ctx, s, s.folders.HostFolder.Reference(), []string{"ResourcePool"}, []string{"name", "parent"}, &rps); err != nil {
		return nil, err
	}
	var crs []mo.ComputeResource
	if err := c.retrieve(ctx, s, s.folders.HostFolder.Reference(), []string{"ComputeResource"}, []string{"name"}, &crs); err != nil {
		return nil, err
	}
	names := map[types.ManagedObjectReference]string{}
	parents := map[types.ManagedObjectReference]types.ManagedObjectReference{}
	for _, cr := range crs {
		names[cr.Self] = cr.Name
	}
	for _, rp := range rps {
		names[rp.Self] = rp.Name
		if rp.Parent != nil {
			parents[rp.Self] = *rp.Parent
		}
	}
	dc := s.dc.Name()
	out := make([]pool, 0, len(rps))
	for _, rp := range rps {
		var parts []string
		cur := rp.Self
		for range 64 {
			parent, ok := parents[cur]
			if !ok {
				break
			}
			if parent.Type == "ResourcePool" || parent.Type == "VirtualApp" {
				parts = append(parts, names[cur])
			} else {
				parts = append(parts, names[parent]) // the compute resource; its root pool is unnamed
				break
			}
			cur = parent
		}
		slices.Reverse(parts)
		out = append(out, pool{ref: rp.Self, name: dc + "/" + strings.Join(parts, "/")})
	}
	slices.SortFunc(out, func(a, b pool) int { return strings.Compare(a.name, b.name) })
	return out, nil
}
