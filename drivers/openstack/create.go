package openstack

import (
	"context"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/networks"

	"github.com/deltacloud-go/deltacloud"
)

// DefaultName is the server name of a create without one (Nova requires
// a name).
const DefaultName = "deltacloud"

// cleanupTimeout bounds the deletion of a failed create's servers.
const cleanupTimeout = 2 * time.Minute

// maxMetadataLen is Nova's bound on a metadata key and value.
const maxMetadataLen = 255

// CreateInstances creates spec.Count servers, one request each; on a
// failure or the end of ctx the servers already made are deleted.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	for k := range spec.Options {
		if k != "network" {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: unknown instance option %q", k)
		}
	}
	meta, err := c.metadata(spec.Tags)
	if err != nil {
		return nil, err
	}
	netw, err := c.networks(ctx, s, spec.Options["network"])
	if err != nil {
		return nil, err
	}
	flavor := spec.ProfileID
	if flavor == "" {
		if flavor, err = smallestFlavor(ctx, s); err != nil {
			return nil, err
		}
	}
	name := spec.Name
	if name == "" {
		name = DefaultName
	}
	if len(name) > 255 {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: the name has %d bytes; Nova takes at most 255", len(name))
	}
	opts := servers.CreateOpts{Name: name, ImageRef: spec.ImageID, FlavorRef: flavor, AvailabilityZone: spec.RealmID,
		SecurityGroups: spec.Firewalls, UserData: spec.UserData, Metadata: meta, Networks: netw}
	create := servers.CreateOptsBuilder(opts)
	if spec.KeyName != "" {
		create = keyOpts{opts, spec.KeyName}
	}
	var made []deltacloud.Instance
	for range max(spec.Count, 1) {
		srv, err := servers.Create(ctx, s.compute, create, nil).Extract()
		if err != nil {
			c.undo(ctx, s, made)
			return nil, wrap(err)
		}
		in := deltacloud.Instance{ID: srv.ID, Name: name, ImageID: spec.ImageID, RealmID: spec.RealmID,
			Profile: deltacloud.InstanceProfile{ID: flavor}, State: deltacloud.StatePending}
		made = append(made, in)
		if got, err := servers.Get(ctx, s.compute, srv.ID).Extract(); err == nil {
			in := instanceOf(got)
			if err := serverFirewalls(ctx, s, nil, &in); err != nil {
				c.undo(ctx, s, made)
				return nil, err
			}
			made[len(made)-1] = in
		} else if ctx.Err() != nil {
			c.undo(ctx, s, made)
			return nil, ctx.Err()
		}
	}
	return made, nil
}

// keyOpts adds key_name to a create (gophercloud v2 keeps it in an
// extension builder).
type keyOpts struct {
	servers.CreateOpts
	keyName string
}

// ToServerCreateMap adds the key pair's name.
func (k keyOpts) ToServerCreateMap() (map[string]any, error) {
	m, err := k.CreateOpts.ToServerCreateMap()
	if err != nil {
		return nil, err
	}
	m["server"].(map[string]any)["key_name"] = k.keyName
	return m, nil
}

// undo deletes the servers of a failed create; after a cancellation it
// does so in the background, and Close waits for it.
func (c *conn) undo(ctx context.Context, s *services, made []deltacloud.Instance) {
	if len(made) == 0 {
		return
	}
	del := func(ctx context.Context) {
		ctx, cancel := context.WithTimeout(ctx, cleanupTimeout)
		defer cancel()
		for _, in := range made {
			servers.Delete(ctx, s.compute, in.ID)
		}
	}
	if ctx.Err() == nil {
		del(ctx)
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		del(context.WithoutCancel(ctx))
	}()
}

// metadata is the server metadata of a create: the user's tags and the
// owner.
func (c *conn) metadata(tags map[string]string) (map[string]string, error) {
	meta := map[string]string{MetaOwner: c.opts.owner}
	for k, v := range tags {
		if strings.HasPrefix(strings.ToLower(k), metaPrefix) {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: tag keys starting with %q are the driver's", metaPrefix)
		}
		if len(k) > maxMetadataLen || len(v) > maxMetadataLen {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: tag %q: Nova takes keys and values of at most %d bytes", k, maxMetadataLen)
		}
		meta[k] = v
	}
	return meta, nil
}

// networks resolves the network option ("auto", "none", a name or an id)
// into Nova's networks field.
func (c *conn) networks(ctx context.Context, s *services, choice string) (any, error) {
	if choice == "" {
		choice = c.opts.network
	}
	switch choice {
	case "auto", "none":
		return choice, nil
	}
	id, err := findNetwork(ctx, s, choice, false)
	if err != nil {
		return nil, err
	}
	return []servers.Network{{UUID: id}}, nil
}

// findNetwork finds a network by id, else by name; external limits the
// search to router:external networks.
func findNetwork(ctx context.Context, s *services, nameOrID string, external bool) (string, error) {
	pages, err := networks.List(s.network, externalOpts{external: external}).AllPages(ctx)
	if err != nil {
		return "", wrap(err)
	}
	list, err := networks.ExtractNetworks(pages)
	if err != nil {
		return "", wrap(err)
	}
	var byName []string
	for _, n := range list {
		if n.ID == nameOrID {
			return n.ID, nil
		}
		if n.Name == nameOrID || nameOrID == "" {
			byName = append(byName, n.ID)
		}
	}
	switch len(byName) {
	case 1:
		return byName[0], nil
	case 0:
		return "", deltacloud.Errorf(deltacloud.NotFound, "openstack: no network %q", nameOrID)
	}
	return "", deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: %d networks are named %q; give the id", len(byName), nameOrID)
}

// externalOpts lists networks, only the external ones when asked.
type externalOpts struct {
	networks.ListOpts
	external bool
}

// ToNetworkListQuery adds router:external=true.
func (o externalOpts) ToNetworkListQuery() (string, error) {
	q, err := o.ListOpts.ToNetworkListQuery()
	if err != nil || !o.external {
		return q, err
	}
	if q == "" {
		return "?router:external=true", nil
	}
	return q + "&router:external=true", nil
}

// smallestFlavor is the flavor of a create without a profile: the one
// with the least memory.
func smallestFlavor(ctx context.Context, s *services) (string, error) {
	pages, err := flavors.ListDetail(s.compute, flavors.ListOpts{}).AllPages(ctx)
	if err != nil {
		return "", wrap(err)
	}
	fs, err := flavors.ExtractFlavors(pages)
	if err != nil {
		return "", wrap(err)
	}
	if len(fs) == 0 {
		return "", deltacloud.Errorf(deltacloud.NotFound, "openstack: the project can use no flavor")
	}
	best := fs[0]
	for _, f := range fs[1:] {
		if f.RAM < best.RAM || (f.RAM == best.RAM && f.VCPUs < best.VCPUs) {
			best = f
		}
	}
	return best.ID, nil
}
