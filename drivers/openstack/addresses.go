package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/layer3/floatingips"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/ports"

	"github.com/deltacloud-go/deltacloud"
)

// Addresses lists the project's floating IPs; an associated one names the
// server owning its port.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := floatingips.List(s.network, floatingips.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := floatingips.ExtractFloatingIPs(pages)
	if err != nil {
		return nil, wrap(err)
	}
	owners, err := portOwners(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.IPAddress, 0, len(list))
	for _, f := range list {
		out = append(out, deltacloud.IPAddress{ID: f.ID, IP: f.FloatingIP, InstanceID: owners[f.PortID]})
	}
	return out, nil
}

// Address fetches one floating IP.
func (c *conn) Address(ctx context.Context, id string) (*deltacloud.IPAddress, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	f, err := floatingips.Get(ctx, s.network, id).Extract()
	if isNotFound(err) {
		return nil, notFound("floating IP", id)
	}
	if err != nil {
		return nil, wrap(err)
	}
	out := deltacloud.IPAddress{ID: f.ID, IP: f.FloatingIP}
	if f.PortID != "" {
		p, err := ports.Get(ctx, s.network, f.PortID).Extract()
		if err != nil && !isNotFound(err) {
			return nil, wrap(err)
		}
		if p != nil {
			out.InstanceID = p.DeviceID
		}
	}
	return &out, nil
}

// portOwners maps the project's port ids to their servers.
func portOwners(ctx context.Context, s *services) (map[string]string, error) {
	pages, err := ports.List(s.network, ports.ListOpts{DeviceOwner: ""}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := ports.ExtractPorts(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make(map[string]string, len(list))
	for _, p := range list {
		out[p.ID] = p.DeviceID
	}
	return out, nil
}

// CreateAddress allocates a floating IP from the external network.
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	ext, err := findNetwork(ctx, s, c.opts.floatingNetwork, true)
	if err != nil {
		return nil, err
	}
	f, err := floatingips.Create(ctx, s.network, floatingips.CreateOpts{FloatingNetworkID: ext}).Extract()
	if err != nil {
		return nil, wrap(err)
	}
	return &deltacloud.IPAddress{ID: f.ID, IP: f.FloatingIP}, nil
}

// DestroyAddress releases a floating IP.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	s, err := c.services(ctx)
	if err != nil {
		return err
	}
	err = floatingips.Delete(ctx, s.network, id).ExtractErr()
	if isNotFound(err) {
		return notFound("floating IP", id)
	}
	return wrap(err)
}

// AssociateAddress puts a floating IP on the server's first port.
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	s, err := c.services(ctx)
	if err != nil {
		return err
	}
	pages, err := ports.List(s.network, ports.ListOpts{DeviceID: instanceID}).AllPages(ctx)
	if err != nil {
		return wrap(err)
	}
	list, err := ports.ExtractPorts(pages)
	if err != nil {
		return wrap(err)
	}
	if len(list) == 0 {
		return deltacloud.Errorf(deltacloud.InvalidState, "openstack: server %s has no port (created with networks none?)", instanceID)
	}
	port := list[0].ID
	_, err = floatingips.Update(ctx, s.network, id, floatingips.UpdateOpts{PortID: &port}).Extract()
	return wrap(err)
}

// DisassociateAddress takes a floating IP off its port.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	s, err := c.services(ctx)
	if err != nil {
		return err
	}
	_, err = floatingips.Update(ctx, s.network, id, floatingips.UpdateOpts{PortID: new(string)}).Extract()
	return wrap(err)
}
