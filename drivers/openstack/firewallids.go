package openstack

import (
	"context"
	"slices"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"

	"github.com/deltacloud-go/deltacloud"
)

// Nova shows a server's security groups by name only (and only once the
// server has ports), while a firewall's id is the Neutron security group's
// id: the ids come from the server's ports. instanceOf leaves Nova's names
// in Firewalls as a mark that there are some to look up.

// serverFirewalls replaces an instance's security group names with the ids
// on its ports (one Neutron request, made only when Nova shows groups).
// Errors other than the end of ctx leave Firewalls empty.
func serverFirewalls(ctx context.Context, s *services, in *deltacloud.Instance) error {
	if len(in.Firewalls) == 0 {
		return nil
	}
	return firewallIDs(ctx, s, ports.ListOpts{DeviceID: in.ID}, []*deltacloud.Instance{in})
}

// listingFirewalls does the same for a listing with one Neutron port
// listing of the project.
func listingFirewalls(ctx context.Context, s *services, ins []deltacloud.Instance) error {
	var some []*deltacloud.Instance
	for i := range ins {
		if len(ins[i].Firewalls) > 0 {
			some = append(some, &ins[i])
		}
	}
	if len(some) == 0 {
		return nil
	}
	return firewallIDs(ctx, s, ports.ListOpts{}, some)
}

func firewallIDs(ctx context.Context, s *services, opts ports.ListOpts, ins []*deltacloud.Instance) error {
	byServer := map[string][]string{}
	pages, err := ports.List(s.network, opts).AllPages(ctx)
	var list []ports.Port
	if err == nil {
		list, err = ports.ExtractPorts(pages)
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		list = nil
	}
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
