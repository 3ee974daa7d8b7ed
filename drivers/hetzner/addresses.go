package hetzner

import (
	"context"
	"strconv"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// Addresses lists the floating IPs carrying the ownership label.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	ips, err := c.client.FloatingIP.AllWithOpts(ctx, hcloud.FloatingIPListOpts{ListOpts: hcloud.ListOpts{LabelSelector: c.ownerSelector()}})
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.IPAddress, 0, len(ips))
	for _, ip := range ips {
		out = append(out, addressOf(ip))
	}
	return out, nil
}

// Address reads one floating IP.
func (c *conn) Address(ctx context.Context, id string) (*deltacloud.IPAddress, error) {
	ip, err := c.ownedFloatingIP(ctx, id)
	if err != nil {
		return nil, err
	}
	out := addressOf(ip)
	return &out, nil
}

func (c *conn) ownedFloatingIP(ctx context.Context, id string) (*hcloud.FloatingIP, error) {
	n, err := c.parseID(ctx, "address", id)
	if err != nil {
		return nil, err
	}
	ip, _, err := c.client.FloatingIP.GetByID(ctx, n)
	if err != nil {
		return nil, wrap(err)
	}
	if ip == nil || !c.owned(ip.Labels) {
		return nil, notFound("address", id)
	}
	return ip, nil
}

func addressOf(ip *hcloud.FloatingIP) deltacloud.IPAddress {
	out := deltacloud.IPAddress{ID: strconv.FormatInt(ip.ID, 10)}
	if ip.IP != nil {
		out.IP = ip.IP.String()
	}
	if ip.Server != nil {
		out.InstanceID = strconv.FormatInt(ip.Server.ID, 10)
	}
	return out
}

// CreateAddress creates a floating IPv4 address in the provider's
// location.
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	name := "deltacloud-" + randomSuffix(12)
	res, _, err := c.client.FloatingIP.Create(ctx, hcloud.FloatingIPCreateOpts{
		Type: hcloud.FloatingIPTypeIPv4, HomeLocation: &hcloud.Location{Name: c.location}, Name: &name,
		Labels: c.ownerLabels(), Description: hcloud.Ptr("deltacloud address"),
	})
	if err != nil {
		c.cutOff(ctx, func(ctx context.Context) bool {
			ip, _, err := c.client.FloatingIP.GetByName(ctx, name)
			if err != nil || ip == nil || !c.owned(ip.Labels) {
				return false
			}
			c.client.FloatingIP.Delete(ctx, ip)
			return true
		})
		return nil, wrap(err)
	}
	if res.Action != nil {
		if err := c.wait(ctx, res.Action); err != nil {
			c.undo(ctx, func(ctx context.Context) { c.client.FloatingIP.Delete(ctx, res.FloatingIP) })
			return nil, err
		}
	}
	out := addressOf(res.FloatingIP)
	return &out, nil
}

// DestroyAddress deletes a floating IP.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	ip, err := c.ownedFloatingIP(ctx, id)
	if err != nil {
		return err
	}
	_, err = c.client.FloatingIP.Delete(ctx, ip)
	return wrap(err)
}

// AssociateAddress assigns a floating IP to a server and waits for it.
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	ip, err := c.ownedFloatingIP(ctx, id)
	if err != nil {
		return err
	}
	s, err := c.ownedServer(ctx, instanceID)
	if err != nil {
		return err
	}
	act, _, err := c.client.FloatingIP.Assign(ctx, ip, s)
	if err != nil {
		return wrap(err)
	}
	return c.wait(ctx, act)
}

// DisassociateAddress unassigns a floating IP and waits for it.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	ip, err := c.ownedFloatingIP(ctx, id)
	if err != nil {
		return err
	}
	act, _, err := c.client.FloatingIP.Unassign(ctx, ip)
	if err != nil {
		return wrap(err)
	}
	return c.wait(ctx, act)
}

var (
	_ deltacloud.AddressConn   = (*conn)(nil)
	_ deltacloud.AddressGetter = (*conn)(nil)
)
