package openstack

import (
	"context"
	"slices"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"

	"github.com/deltacloud-go/deltacloud"
)

// Nova shows a server's security groups by name only (and only once the
// server has ports), while a firewall's id is the Neutron security group's
// id. instanceOf leaves Nova's names in Firewalls as a mark that there are
// some to look up; the ids come from one listing of the project's groups
// (a few items, where the ports would be one or more per server), and
// from the server's ports only for a name two groups share or none has.

// serverFirewalls replaces an instance's security group names with their
// ids. Errors other than the end of ctx leave Firewalls empty.
func serverFirewalls(ctx context.Context, s *services, in *deltacloud.Instance) error {
	return firewallIDs(ctx, s, []*deltacloud.Instance{in})
}

// listingFirewalls does the same for a listing.
func listingFirewalls(ctx context.Context, s *services, ins []deltacloud.Instance) error {
	ptrs := make([]*deltacloud.Instance, len(ins))
	for i := range ins {
		ptrs[i] = &ins[i]
	}
	return firewallIDs(ctx, s, ptrs)
}

func firewallIDs(ctx context.Context, s *services, ins []*deltacloud.Instance) error {
	var named []*deltacloud.Instance
	for _, in := range ins {
		if len(in.Firewalls) > 0 {
			named = append(named, in)
		}
	}
	if len(named) == 0 {
		return nil
	}
	byName := map[string][]string{}
	pages, err := groups.List(s.network, groups.ListOpts{}).AllPages(ctx)
	var list []groups.SecGroup
	if err == nil {
		list, err = groups.ExtractGroups(pages)
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	for _, g := range list {
		byName[g.Name] = append(byName[g.Name], g.ID)
	}
	var unresolved []*deltacloud.Instance
	for _, in := range named {
		ids := make([]string, 0, len(in.Firewalls))
		for _, name := range in.Firewalls {
			if len(byName[name]) != 1 {
				unresolved = append(unresolved, in)
				ids = nil
				break
			}
			if id := byName[name][0]; !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		in.Firewalls = ids
	}
	return portFirewalls(ctx, s, unresolved)
}

// portFirewalls reads the groups on the instances' ports: the ports of the
// one server, or one listing of the project's ports for several.
func portFirewalls(ctx context.Context, s *services, ins []*deltacloud.Instance) error {
	if len(ins) == 0 {
		return nil
	}
	opts := ports.ListOpts{}
	if len(ins) == 1 {
		opts.DeviceID = ins[0].ID
	}
	pages, err := ports.List(s.network, opts).AllPages(ctx)
	var list []ports.Port
	if err == nil {
		list, err = ports.ExtractPorts(pages)
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	byServer := map[string][]string{}
	for _, p := range list {
		for _, g := range p.SecurityGroups {
			if !slices.Contains(byServer[p.DeviceID], g) {
				byServer[p.DeviceID] = append(byServer[p.DeviceID], g)
			}
		}
	}
	for _, in := range ins {
		in.Firewalls = byServer[in.ID]
	}
	return nil
}
