package digitalocean

import (
	"context"
	"net/netip"
	"strconv"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// Addresses lists the account's reserved IPs (IPv4), all of them:
// DigitalOcean cannot tag them. The id is the address itself.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	ips, err := listAll(ctx, c, c.client.ReservedIPs.List)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.IPAddress, len(ips))
	for i, ip := range ips {
		out[i] = addressOf(ip)
	}
	return out, nil
}

func addressOf(ip godo.ReservedIP) deltacloud.IPAddress {
	a := deltacloud.IPAddress{ID: ip.IP, IP: ip.IP}
	if ip.Droplet != nil {
		a.InstanceID = strconv.Itoa(ip.Droplet.ID)
	}
	return a
}

// Address reads one reserved IP.
func (c *conn) Address(ctx context.Context, id string) (*deltacloud.IPAddress, error) {
	if _, err := netip.ParseAddr(id); err != nil {
		return nil, notFound("reserved IP", id)
	}
	ip, _, err := c.client.ReservedIPs.Get(ctx, id)
	if err != nil {
		return nil, c.wrapGet(err, "reserved IP", id)
	}
	a := addressOf(*ip)
	return &a, nil
}

// CreateAddress reserves an IP in the provider's region.
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	ip, _, err := c.client.ReservedIPs.Create(ctx, &godo.ReservedIPCreateRequest{Region: c.region})
	if err != nil {
		return nil, c.wrap(err)
	}
	a := addressOf(*ip)
	return &a, nil
}

// DestroyAddress releases a reserved IP.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	if _, err := netip.ParseAddr(id); err != nil {
		return notFound("reserved IP", id)
	}
	_, err := c.client.ReservedIPs.Delete(ctx, id)
	return c.wrapGet(err, "reserved IP", id)
}

// AssociateAddress assigns the IP to one of the provider's droplets and
// waits for the action.
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	d, err := c.droplet(ctx, instanceID)
	if err != nil {
		return err
	}
	act, _, err := c.client.ReservedIPActions.Assign(ctx, id, d.ID)
	if err != nil {
		return c.wrapGet(err, "reserved IP", id)
	}
	return c.await(ctx, act, func(ctx context.Context, aid int) (*godo.Action, *godo.Response, error) {
		return c.client.ReservedIPActions.Get(ctx, id, aid)
	})
}

// DisassociateAddress unassigns the IP and waits for the action.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	act, _, err := c.client.ReservedIPActions.Unassign(ctx, id)
	if err != nil {
		return c.wrapGet(err, "reserved IP", id)
	}
	return c.await(ctx, act, func(ctx context.Context, aid int) (*godo.Action, *godo.Response, error) {
		return c.client.ReservedIPActions.Get(ctx, id, aid)
	})
}
