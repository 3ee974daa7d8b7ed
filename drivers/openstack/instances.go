package openstack

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/deltacloud-go/deltacloud"
)

// metaPrefix starts the metadata keys the driver keeps for itself.
const metaPrefix = "deltacloud-"

// Instances lists the project's servers (all pages); an id filter is one
// request.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if f.ID != "" {
		return listOne(c.Instance(ctx, f.ID))
	}
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	groups := prefetchGroups(ctx, s)
	pages, err := servers.List(s.compute, servers.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := servers.ExtractServers(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Instance, len(list))
	for i := range list {
		out[i] = instanceOf(&list[i])
	}
	if err := listingDevices(ctx, s, out); err != nil {
		return nil, err
	}
	if err := listingFirewalls(ctx, s, groups, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Instance fetches one server.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	groups := prefetchGroups(ctx, s)
	srv, err := getServer(ctx, s.compute, id)
	if err != nil {
		return nil, err
	}
	in := instanceOf(srv)
	if err := serverDevices(ctx, s, &in); err != nil {
		return nil, err
	}
	if err := serverFirewalls(ctx, s, groups, &in); err != nil {
		return nil, err
	}
	return &in, nil
}

// instanceOf maps a server (see the package doc).
func instanceOf(s *servers.Server) deltacloud.Instance {
	in := deltacloud.Instance{
		ID: s.ID, Name: s.Name, Owner: s.TenantID, RealmID: s.AvailabilityZone,
		State: MapState(s.Status, s.TaskState), LaunchTime: s.Created,
	}
	if id, ok := s.Image["id"].(string); ok {
		in.ImageID = id
	}
	if id, ok := s.Flavor["id"].(string); ok {
		in.Profile.ID = id
	}
	if s.KeyName != "" {
		in.Authentication = &deltacloud.Authentication{Method: "key", KeyName: s.KeyName}
	}
	// Names, replaced by the groups' ids from the ports (firewallids.go).
	for _, g := range s.SecurityGroups {
		if name, ok := g["name"].(string); ok && !slices.Contains(in.Firewalls, name) {
			in.Firewalls = append(in.Firewalls, name)
		}
	}
	for _, v := range s.AttachedVolumes {
		in.StorageVolumes = append(in.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: v.ID})
	}
	in.PublicAddresses, in.PrivateAddresses = addressesOf(s.Addresses)
	switch in.State {
	case deltacloud.StateRunning, deltacloud.StateStopped, deltacloud.StatePaused, deltacloud.StateSuspended:
		in.CanCreateImage = s.TaskState == ""
	}
	for k, v := range s.Metadata {
		if strings.HasPrefix(k, metaPrefix) {
			continue
		}
		if in.Tags == nil {
			in.Tags = make(map[string]string, len(s.Metadata))
		}
		in.Tags[k] = v
	}
	return in
}

// addressesOf splits a server's addresses: floating ones are public,
// fixed ones private, in the order of the networks' names.
func addressesOf(nets map[string]any) (public, private []deltacloud.Address) {
	for _, name := range slices.Sorted(maps.Keys(nets)) {
		list, _ := nets[name].([]any)
		for _, x := range list {
			a, _ := x.(map[string]any)
			addr, _ := a["addr"].(string)
			if addr == "" {
				continue
			}
			typ := deltacloud.AddressIPv4
			if v, _ := a["version"].(float64); v == 6 {
				typ = deltacloud.AddressIPv6
			}
			if kind, _ := a["OS-EXT-IPS:type"].(string); kind == "floating" {
				public = append(public, deltacloud.Address{Value: addr, Type: typ})
			} else {
				private = append(private, deltacloud.Address{Value: addr, Type: typ})
			}
		}
	}
	return public, private
}

// listOne is the listing of one object fetched by id: empty when the
// cloud does not know it.
func listOne[T any](obj *T, err error) ([]T, error) {
	switch {
	case deltacloud.CodeOf(err) == deltacloud.NotFound:
		return nil, nil
	case err != nil:
		return nil, err
	}
	return []T{*obj}, nil
}
