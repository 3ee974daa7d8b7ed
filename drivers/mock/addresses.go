package mock

import (
	"context"
	"fmt"
	"net/netip"
	"slices"

	"github.com/deltacloud-go/deltacloud"
)

// addressRecord is a stored address.
type addressRecord = deltacloud.IPAddress

// firstAddress is allocated when the cloud holds no address.
var firstAddress = netip.MustParseAddr("192.168.0.1")

func (c *Cloud) addressList() []deltacloud.IPAddress {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]deltacloud.IPAddress, 0, len(c.addresses))
	for _, a := range c.addresses {
		out = append(out, *a)
	}
	slices.SortFunc(out, compareAddresses)
	return out
}

// compareAddresses orders addresses numerically, ids that are no IP last.
func compareAddresses(a, b deltacloud.IPAddress) int {
	x, errx := netip.ParseAddr(a.IP)
	y, erry := netip.ParseAddr(b.IP)
	switch {
	case errx == nil && erry == nil:
		if c := x.Compare(y); c != 0 {
			return c
		}
	case errx == nil:
		return -1
	case erry == nil:
		return 1
	}
	return compareIDs(a.ID, b.ID)
}

// createAddress allocates the address after the highest one held.
func (c *Cloud) createAddress() (*deltacloud.IPAddress, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var top netip.Addr
	for _, a := range c.addresses {
		if ip, err := netip.ParseAddr(a.IP); err == nil && ip.Is4() && (!top.IsValid() || ip.Compare(top) > 0) {
			top = ip
		}
	}
	next := firstAddress
	if top.IsValid() {
		next = top.Next()
		if !next.IsValid() || !next.Is4() {
			return nil, deltacloud.Errorf(deltacloud.Unavailable, "no IPv4 address is left after %s", top)
		}
	}
	a := &addressRecord{ID: next.String(), IP: next.String()}
	if err := c.save(dirAddresses, a.ID, a); err != nil {
		return nil, err
	}
	c.addresses[a.ID] = a
	out := *a
	return &out, nil
}

func (c *Cloud) destroyAddress(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.addresses[id]
	if a == nil {
		return missing("address", id)
	}
	if a.InstanceID != "" {
		return addressInUse(a)
	}
	if err := c.drop(dirAddresses, id); err != nil {
		return err
	}
	delete(c.addresses, id)
	return nil
}

func addressInUse(a *addressRecord) error {
	return &deltacloud.Error{Code: deltacloud.InvalidState, ID: a.ID, State: "ASSOCIATED",
		Message: fmt.Sprintf("address %s is associated with instance %s", a.ID, a.InstanceID)}
}

// associateAddress points a free address at a visible instance; an address
// the instance already had is freed.
func (c *Cloud) associateAddress(owner, id, instanceID string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.addresses[id]
	if a == nil {
		return missing("address", id)
	}
	if a.InstanceID != "" {
		return addressInUse(a)
	}
	if _, err := c.visible(owner, instanceID); err != nil {
		return err
	}
	for _, old := range c.addresses {
		if old.InstanceID == instanceID {
			if err := c.setAddress(old, ""); err != nil {
				return err
			}
		}
	}
	return c.setAddress(a, instanceID)
}

func (c *Cloud) disassociateAddress(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.addresses[id]
	if a == nil {
		return missing("address", id)
	}
	if a.InstanceID == "" {
		return &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: "FREE",
			Message: fmt.Sprintf("address %s is not associated with an instance", id)}
	}
	return c.setAddress(a, "")
}

// setAddress stores a's new association. The caller holds c.mu.
func (c *Cloud) setAddress(a *addressRecord, instanceID string) error {
	na := *a
	na.InstanceID = instanceID
	if err := c.save(dirAddresses, na.ID, &na); err != nil {
		return err
	}
	*a = na
	return nil
}

// Addresses lists the addresses in numeric order.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	if err := c.begin(ctx, OpAddresses); err != nil {
		return nil, err
	}
	return c.cloud.addressList(), nil
}

// CreateAddress allocates the address after the highest one (192.168.0.5
// on a fresh cloud).
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	if err := c.begin(ctx, OpCreateAddress); err != nil {
		return nil, err
	}
	return c.cloud.createAddress()
}

// DestroyAddress releases a free address.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDestroyAddress); err != nil {
		return err
	}
	return c.cloud.destroyAddress(id)
}

// AssociateAddress makes a free address the instance's public address.
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	if err := c.begin(ctx, OpAssociateAddress); err != nil {
		return err
	}
	return c.cloud.associateAddress(c.creds.User, id, instanceID)
}

// DisassociateAddress frees an address; the instance gets its host name
// back.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDisassociateAddress); err != nil {
		return err
	}
	return c.cloud.disassociateAddress(id)
}
