package azure

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/deltacloud-go/deltacloud"
)

// TagAddress marks the public IPs of the addresses collection, which
// outlive the instances they are associated with (an instance's own public
// IP does not carry it).
const TagAddress = "deltacloud-address"

// isAddress reports whether a public IP is one of the provider's
// addresses.
func (c *conn) isAddress(ip *armnetwork.PublicIPAddress) bool {
	return c.owned(ip.Tags) && ip.Tags[TagAddress] != nil
}

// Addresses lists the provider's addresses: the public IPs it made with
// CreateAddress. An associated address names the VM whose network
// interface holds it.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	var out []deltacloud.IPAddress
	vmOfNIC := map[string]string{}
	pg := c.ips.NewListPager(c.scope.ResourceGroup, nil)
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, ip := range page.Value {
			if !c.isAddress(ip) {
				continue
			}
			a, err := c.addressOf(ctx, ip, vmOfNIC)
			if err != nil {
				return nil, err
			}
			out = append(out, a)
		}
	}
	return out, nil
}

// addressOf maps a public IP; vmOfNIC caches the VMs of the interfaces
// looked up.
func (c *conn) addressOf(ctx context.Context, ip *armnetwork.PublicIPAddress, vmOfNIC map[string]string) (deltacloud.IPAddress, error) {
	a := deltacloud.IPAddress{ID: str(ip.Name)}
	if ip.Properties == nil {
		return a, nil
	}
	a.IP = str(ip.Properties.IPAddress)
	if ip.Properties.IPConfiguration == nil {
		return a, nil
	}
	nic := nicOfIPConfig(str(ip.Properties.IPConfiguration.ID))
	if nic == "" {
		return a, nil
	}
	vm, ok := vmOfNIC[nic]
	if !ok {
		got, err := c.nics.Get(ctx, c.scope.ResourceGroup, nic, nil)
		if err != nil && !isNotFound(err) {
			return a, wrap(err)
		}
		if err == nil && got.Properties != nil && got.Properties.VirtualMachine != nil {
			vm = lastSegment(str(got.Properties.VirtualMachine.ID))
		}
		vmOfNIC[nic] = vm
	}
	a.InstanceID = vm
	return a, nil
}

// nicOfIPConfig is the interface name of an IP configuration id
// (…/networkInterfaces/<nic>/ipConfigurations/<name>).
func nicOfIPConfig(id string) string {
	rid, err := arm.ParseResourceID(id)
	if err != nil || rid.Parent == nil || !strings.EqualFold(rid.Parent.ResourceType.Type, "networkInterfaces") {
		return ""
	}
	return rid.Parent.Name
}

// address fetches one of the provider's addresses; anything else is
// ErrNotFound.
func (c *conn) address(ctx context.Context, id string) (*armnetwork.PublicIPAddress, error) {
	if !resourceNameRE.MatchString(id) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: no address %q", id)
	}
	got, err := c.ips.Get(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return nil, notFoundAs(err, "address", id)
	}
	if !c.isAddress(&got.PublicIPAddress) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: public IP %q is not an address of owner %q", id, c.opts.owner)
	}
	return &got.PublicIPAddress, nil
}

// CreateAddress allocates a static Standard public IP named "addr-…".
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	suffix, err := randomHex(4)
	if err != nil {
		return nil, err
	}
	name := "addr-" + suffix
	poller, err := c.ips.BeginCreateOrUpdate(ctx, c.scope.ResourceGroup, name, armnetwork.PublicIPAddress{
		Location: to.Ptr(c.scope.Location),
		Tags:     map[string]*string{TagOwner: to.Ptr(c.opts.owner), TagAddress: to.Ptr("true")},
		SKU:      &armnetwork.PublicIPAddressSKU{Name: to.Ptr(armnetwork.PublicIPAddressSKUNameStandard)},
		Properties: &armnetwork.PublicIPAddressPropertiesFormat{
			PublicIPAllocationMethod: to.Ptr(armnetwork.IPAllocationMethodStatic),
		},
	}, nil)
	if err != nil {
		return nil, wrap(err)
	}
	res, err := poller.PollUntilDone(ctx, c.pollOpts())
	if err != nil {
		c.cleanupAfter(ctx, func(ctx context.Context) error { return c.deleteIP(ctx, name) })
		return nil, wrap(err)
	}
	a, err := c.addressOf(ctx, &res.PublicIPAddress, map[string]string{})
	return &a, err
}

func (c *conn) deleteIP(ctx context.Context, name string) error {
	poller, err := c.ips.BeginDelete(ctx, c.scope.ResourceGroup, name, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, c.pollOpts())
	}
	return err
}

// DestroyAddress releases an address; Azure refuses while it is associated.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	if _, err := c.address(ctx, id); err != nil {
		return err
	}
	return wrap(c.deleteIP(ctx, id))
}

// AssociateAddress puts an address on the primary IP configuration of the
// instance's primary network interface. Like an EC2 Elastic IP it replaces
// the public IP there: the instance's own public IP (made with it) is
// deleted, another address becomes free.
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	ip, err := c.address(ctx, id)
	if err != nil {
		return err
	}
	vm, err := c.ownedVM(ctx, instanceID, false)
	if err != nil {
		return err
	}
	refs := nicRefs(vm)
	if len(refs) == 0 {
		return deltacloud.Errorf(deltacloud.InvalidState, "azure: instance %s has no network interface", instanceID)
	}
	nicName := lastSegment(refs[0])
	got, err := c.nics.Get(ctx, c.scope.ResourceGroup, nicName, nil)
	if err != nil {
		return wrap(err)
	}
	nic := got.Interface
	ipc := primaryIPConfig(&nic)
	if ipc == nil {
		return deltacloud.Errorf(deltacloud.InvalidState, "azure: network interface %s has no IP configuration", nicName)
	}
	var replaced string
	if old := ipc.Properties.PublicIPAddress; old != nil && old.ID != nil {
		replaced = lastSegment(*old.ID)
	}
	ipc.Properties.PublicIPAddress = &armnetwork.PublicIPAddress{ID: ip.ID}
	if err := c.putNIC(ctx, &nic); err != nil {
		return err
	}
	if replaced == "" || strings.EqualFold(replaced, id) {
		return nil
	}
	// The instance's own IP goes; an address of the collection stays.
	old, err := c.ips.Get(ctx, c.scope.ResourceGroup, replaced, nil)
	if err == nil && c.owned(old.Tags) && !c.isAddress(&old.PublicIPAddress) {
		return wrap(c.deleteIP(ctx, replaced))
	}
	return nil
}

// DisassociateAddress removes an address from the interface holding it;
// the instance is left without a public IP.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	ip, err := c.address(ctx, id)
	if err != nil {
		return err
	}
	if ip.Properties == nil || ip.Properties.IPConfiguration == nil {
		return deltacloud.Errorf(deltacloud.InvalidState, "azure: address %s is not associated", id)
	}
	nicName := nicOfIPConfig(str(ip.Properties.IPConfiguration.ID))
	if nicName == "" {
		return deltacloud.Errorf(deltacloud.InvalidState, "azure: address %s is held by %s, not a network interface", id, str(ip.Properties.IPConfiguration.ID))
	}
	got, err := c.nics.Get(ctx, c.scope.ResourceGroup, nicName, nil)
	if err != nil {
		return wrap(err)
	}
	nic := got.Interface
	for _, ipc := range nic.Properties.IPConfigurations {
		if ipc.Properties != nil && ipc.Properties.PublicIPAddress != nil && strings.EqualFold(str(ipc.Properties.PublicIPAddress.ID), str(ip.ID)) {
			ipc.Properties.PublicIPAddress = nil
		}
	}
	return c.putNIC(ctx, &nic)
}

// primaryIPConfig is an interface's primary IP configuration (or its first).
func primaryIPConfig(nic *armnetwork.Interface) *armnetwork.InterfaceIPConfiguration {
	if nic.Properties == nil {
		return nil
	}
	var first *armnetwork.InterfaceIPConfiguration
	for _, ipc := range nic.Properties.IPConfigurations {
		if ipc == nil || ipc.Properties == nil {
			continue
		}
		if boolv(ipc.Properties.Primary) {
			return ipc
		}
		if first == nil {
			first = ipc
		}
	}
	return first
}

// putNIC writes an interface back and waits for it.
func (c *conn) putNIC(ctx context.Context, nic *armnetwork.Interface) error {
	poller, err := c.nics.BeginCreateOrUpdate(ctx, c.scope.ResourceGroup, str(nic.Name), *nic, nil)
	if err != nil {
		return wrap(err)
	}
	_, err = poller.PollUntilDone(ctx, c.pollOpts())
	return wrap(err)
}
