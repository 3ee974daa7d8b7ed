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
// (a few items, where the ports would be one or more per server), made at
// the same time as the servers' request, and from the server's ports only
// for a name two groups share or none has.

// groupNames is the listing of the project's security groups by name,
// started alongside the servers' request (prefetchGroups) so that it adds
// no round trip; wait returns the ids by name (nil when the listing
// failed) or the end of ctx.
type groupNames struct {
	done   chan struct{}
	byName map[string][]string
	err    error
}

// prefetchGroups starts listing the project's security groups.
func prefetchGroups(ctx context.Context, s *services) *groupNames {
	g := &groupNames{done: make(chan struct{})}
	go func() {
		defer close(g.done)
		pages, err := groups.List(s.network, groups.ListOpts{}).AllPages(ctx)
		var list []groups.SecGroup
		if err == nil {
			list, err = groups.ExtractGroups(pages)
		}
		if err != nil {
			g.err = err
			return
		}
		g.byName = map[string][]string{}
		for _, sg := range list {
			g.byName[sg.Name] = append(g.byName[sg.Name], sg.ID)
		}
	}()
	return g
}

func (g *groupNames) wait(ctx context.Context) (map[string][]string, error) {
	select {
	case <-g.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if g.err != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	return g.byName, nil
}

// serverFirewalls replaces an instance's security group names with their
// ids. Errors other than the end of ctx leave Firewalls empty.
func serverFirewalls(ctx context.Context, s *services, g *groupNames, in *deltacloud.Instance) error {
	return firewallIDs(ctx, s, g, []*deltacloud.Instance{in})
}

// listingFirewalls does the same for a listing.
func listingFirewalls(ctx context.Context, s *services, g *groupNames, ins []deltacloud.Instance) error {
	ptrs := make([]*deltacloud.Instance, len(ins))
	for i := range ins {
		ptrs[i] = &ins[i]
	}
	return firewallIDs(ctx, s, g, ptrs)
}

// firewallIDs resolves the names with g's listing, started now if g is
// nil.
func firewallIDs(ctx context.Context, s *services, g *groupNames, ins []*deltacloud.Instance) error {
	var named []*deltacloud.Instance
	for _, in := range ins {
		if len(in.Firewalls) > 0 {
			named = append(named, in)
		}
	}
	if len(named) == 0 {
		return nil
	}
	if g == nil {
		g = prefetchGroups(ctx, s)
	}
	byName, err := g.wait(ctx)
	if err != nil {
		return err
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
