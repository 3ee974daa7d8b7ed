package gce

import (
	"context"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

func addressOf(a *compute.Address) deltacloud.IPAddress {
	out := deltacloud.IPAddress{ID: a.Name, IP: a.Address}
	for _, u := range a.Users {
		if isInstanceURL(u) {
			out.InstanceID = last(u)
		}
	}
	return out
}

func isInstanceURL(u string) bool {
	return len(u) > 0 && last(u) != "" && containsSegment(u, "instances")
}

func containsSegment(u, seg string) bool {
	for i := 0; i+len(seg)+2 <= len(u); i++ {
		if u[i] == '/' && u[i+1:i+1+len(seg)] == seg && u[i+1+len(seg)] == '/' {
			return true
		}
	}
	return false
}

// Addresses lists the owned static external addresses of the region.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	var out []deltacloud.IPAddress
	err := c.compute.Addresses.List(c.scope.Project, c.scope.Region).Filter(c.ownerFilter()).Context(ctx).Pages(ctx, func(l *compute.AddressList) error {
		for _, a := range l.Items {
			if a.Labels[LabelOwner] == c.opts.owner {
				out = append(out, addressOf(a))
			}
		}
		return nil
	})
	return out, wrap(err)
}

// address gets an owned address.
func (c *conn) address(ctx context.Context, id string) (*compute.Address, error) {
	if !nameRE.MatchString(id) {
		return nil, notFound("address", id)
	}
	a, err := c.compute.Addresses.Get(c.scope.Project, c.scope.Region, id).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	if a.Labels[LabelOwner] != c.opts.owner {
		return nil, notFound("address", id)
	}
	return a, nil
}

// Address gets one owned address.
func (c *conn) Address(ctx context.Context, id string) (*deltacloud.IPAddress, error) {
	a, err := c.address(ctx, id)
	if err != nil {
		return nil, err
	}
	out := addressOf(a)
	return &out, nil
}

// CreateAddress reserves a static external address named "addr-…".
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	name := "addr-" + randomSuffix()
	a := &compute.Address{Name: name, AddressType: "EXTERNAL", Labels: map[string]string{LabelOwner: c.opts.owner}}
	op, err := c.compute.Addresses.Insert(c.scope.Project, c.scope.Region, a).Context(ctx).Do()
	if err := c.wait(ctx, op, err); err != nil {
		return nil, err
	}
	return c.Address(ctx, name)
}

// DestroyAddress releases a free address.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	if _, err := c.address(ctx, id); err != nil {
		return err
	}
	op, err := c.compute.Addresses.Delete(c.scope.Project, c.scope.Region, id).Context(ctx).Do()
	return c.wait(ctx, op, err)
}

// AssociateAddress replaces the external access config of the instance's
// first network interface with one holding the address.
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	a, err := c.address(ctx, id)
	if err != nil {
		return err
	}
	in, zone, err := c.instance(ctx, instanceID)
	if err != nil {
		return err
	}
	if len(in.NetworkInterfaces) == 0 {
		return &deltacloud.Error{Code: deltacloud.InvalidState, Message: "gce: instance " + instanceID + " has no network interface"}
	}
	nic := in.NetworkInterfaces[0]
	for _, ac := range nic.AccessConfigs {
		op, err := c.compute.Instances.DeleteAccessConfig(c.scope.Project, zone, in.Name, ac.Name, nic.Name).Context(ctx).Do()
		if err := c.wait(ctx, op, err); err != nil {
			return err
		}
	}
	op, err := c.compute.Instances.AddAccessConfig(c.scope.Project, zone, in.Name, nic.Name,
		&compute.AccessConfig{Name: externalNAT, Type: "ONE_TO_ONE_NAT", NatIP: a.Address}).Context(ctx).Do()
	return c.wait(ctx, op, err)
}

// DisassociateAddress removes the access config holding the address; the
// instance is left without an external IP.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	a, err := c.address(ctx, id)
	if err != nil {
		return err
	}
	out := addressOf(a)
	if out.InstanceID == "" {
		return &deltacloud.Error{Code: deltacloud.InvalidState, Message: "gce: address " + id + " is not associated"}
	}
	in, zone, err := c.instance(ctx, out.InstanceID)
	if err != nil {
		return err
	}
	for _, nic := range in.NetworkInterfaces {
		for _, ac := range nic.AccessConfigs {
			if ac.NatIP == a.Address {
				op, err := c.compute.Instances.DeleteAccessConfig(c.scope.Project, zone, in.Name, ac.Name, nic.Name).Context(ctx).Do()
				return c.wait(ctx, op, err)
			}
		}
	}
	return &deltacloud.Error{Code: deltacloud.InvalidState, Message: "gce: address " + id + " is not on instance " + out.InstanceID}
}
