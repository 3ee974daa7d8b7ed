package azure

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/deltacloud-go/deltacloud"
)

// Instances lists the resource group's VMs carrying the ownership tag (of
// the owner filter when given). Four listings are joined: the VMs, their run
// time statuses (the subscription's status-only listing), and the resource
// group's network interfaces and public IPs for the addresses. An id filter
// reads just that VM.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if f.ID != "" {
		in, err := c.Instance(ctx, f.ID)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Instance{*in}, nil
	}
	owner := c.opts.owner
	if f.Owner != "" && f.Owner != deltacloud.OwnerSelf {
		owner = f.Owner
	}
	var vms []*armcompute.VirtualMachine
	pg := c.vms.NewListPager(c.scope.ResourceGroup, nil)
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, vm := range page.Value {
			if vm != nil && tag(vm.Tags, TagOwner) == owner {
				vms = append(vms, vm)
			}
		}
	}
	if len(vms) == 0 {
		return nil, nil
	}
	views := map[string]*armcompute.VirtualMachineInstanceView{}
	spg := c.vms.NewListAllPager(&armcompute.VirtualMachinesClientListAllOptions{StatusOnly: to.Ptr("true")})
	for spg.More() {
		page, err := spg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, vm := range page.Value {
			if vm != nil && vm.ID != nil && vm.Properties != nil {
				views[strings.ToLower(*vm.ID)] = vm.Properties.InstanceView
			}
		}
	}
	net, err := c.listNetwork(ctx)
	if err != nil {
		return nil, err
	}
	ins := make([]deltacloud.Instance, 0, len(vms))
	for _, vm := range vms {
		iv := views[strings.ToLower(str(vm.ID))]
		ins = append(ins, c.instanceOf(vm, iv, "", net))
	}
	return ins, nil
}

// network holds the network interfaces and public IPs by lower-case id.
type network struct {
	nics map[string]*armnetwork.Interface
	ips  map[string]*armnetwork.PublicIPAddress
}

// listNetwork lists the resource group's interfaces and public IPs.
func (c *conn) listNetwork(ctx context.Context) (network, error) {
	n := network{nics: map[string]*armnetwork.Interface{}, ips: map[string]*armnetwork.PublicIPAddress{}}
	npg := c.nics.NewListPager(c.scope.ResourceGroup, nil)
	for npg.More() {
		page, err := npg.NextPage(ctx)
		if err != nil {
			return n, wrap(err)
		}
		for _, x := range page.Value {
			if x != nil && x.ID != nil {
				n.nics[strings.ToLower(*x.ID)] = x
			}
		}
	}
	ipg := c.ips.NewListPager(c.scope.ResourceGroup, nil)
	for ipg.More() {
		page, err := ipg.NextPage(ctx)
		if err != nil {
			return n, wrap(err)
		}
		for _, x := range page.Value {
			if x != nil && x.ID != nil {
				n.ips[strings.ToLower(*x.ID)] = x
			}
		}
	}
	return n, nil
}

// Instance reads one VM with its instance view, interfaces and public IPs.
// A VM without the ownership tag is not found.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	vm, err := c.ownedVM(ctx, id, true)
	if err != nil {
		return nil, err
	}
	net := network{nics: map[string]*armnetwork.Interface{}, ips: map[string]*armnetwork.PublicIPAddress{}}
	for _, ref := range nicRefs(vm) {
		rid, err := arm.ParseResourceID(ref)
		if err != nil {
			continue
		}
		nic, err := c.nics.Get(ctx, rid.ResourceGroupName, rid.Name, nil)
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, wrap(err)
		}
		net.nics[strings.ToLower(ref)] = &nic.Interface
		for _, ipID := range publicIPRefs(&nic.Interface) {
			rid, err := arm.ParseResourceID(ipID)
			if err != nil {
				continue
			}
			ip, err := c.ips.Get(ctx, rid.ResourceGroupName, rid.Name, nil)
			if isNotFound(err) {
				continue
			}
			if err != nil {
				return nil, wrap(err)
			}
			net.ips[strings.ToLower(ipID)] = &ip.PublicIPAddress
		}
	}
	in := c.instanceOf(vm, nil, "", net)
	return &in, nil
}

// ownedVM reads a VM (with its instance view if asked) and checks the
// ownership tag; anything else is NotFound, never another owner's VM.
func (c *conn) ownedVM(ctx context.Context, id string, view bool) (*armcompute.VirtualMachine, error) {
	if !resourceNameRE.MatchString(id) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: instance %q not found", id)
	}
	var o *armcompute.VirtualMachinesClientGetOptions
	if view {
		o = &armcompute.VirtualMachinesClientGetOptions{Expand: to.Ptr(armcompute.InstanceViewTypesInstanceView)}
	}
	resp, err := c.vms.Get(ctx, c.scope.ResourceGroup, id, o)
	if err != nil {
		return nil, notFoundAs(err, "instance", id)
	}
	if tag(resp.Tags, TagOwner) != c.opts.owner {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: instance %q not found (VM %s lacks the tag %s=%s)", id, id, TagOwner, c.opts.owner)
	}
	return &resp.VirtualMachine, nil
}

func tag(tags map[string]*string, key string) string { return str(tags[key]) }

// nicRefs lists a VM's network interface ids, the primary first.
func nicRefs(vm *armcompute.VirtualMachine) []string {
	var ids []string
	if vm.Properties == nil || vm.Properties.NetworkProfile == nil {
		return nil
	}
	for _, r := range vm.Properties.NetworkProfile.NetworkInterfaces {
		if r == nil || r.ID == nil {
			continue
		}
		if r.Properties != nil && boolv(r.Properties.Primary) {
			ids = append([]string{*r.ID}, ids...)
		} else {
			ids = append(ids, *r.ID)
		}
	}
	return ids
}

// publicIPRefs lists the public IP ids of an interface.
func publicIPRefs(nic *armnetwork.Interface) []string {
	var ids []string
	if nic.Properties == nil {
		return nil
	}
	for _, ipc := range nic.Properties.IPConfigurations {
		if ipc != nil && ipc.Properties != nil && ipc.Properties.PublicIPAddress != nil && ipc.Properties.PublicIPAddress.ID != nil {
			ids = append(ids, *ipc.Properties.PublicIPAddress.ID)
		}
	}
	return ids
}

// instanceOf maps a VM. iv is its instance view when it came separately;
// power overrides the power state (a create that just completed is
// running).
func (c *conn) instanceOf(vm *armcompute.VirtualMachine, iv *armcompute.VirtualMachineInstanceView, power string, net network) deltacloud.Instance {
	prov, pow := statesOf(vm, iv)
	if power != "" {
		pow = power
	}
	state := MapState(prov, pow)
	name := str(vm.Name)
	out := deltacloud.Instance{
		ID:      name,
		Name:    name,
		Owner:   tag(vm.Tags, TagOwner),
		RealmID: c.realmOf(vm.Zones),
		State:   state,
		Extra: map[string]string{
			"resource_id":        str(vm.ID),
			"provisioning_state": strings.ToLower(prov),
			"power_state":        strings.ToLower(pow),
		},
	}
	if n := tag(vm.Tags, TagName); n != "" {
		out.Name = n
	}
	out.Tags = userTags(vm.Tags)
	p := vm.Properties
	if p == nil {
		return out
	}
	if p.TimeCreated != nil {
		out.LaunchTime = *p.TimeCreated
	}
	if p.HardwareProfile != nil && p.HardwareProfile.VMSize != nil {
		out.Profile.ID = string(*p.HardwareProfile.VMSize)
	}
	if sp := p.StorageProfile; sp != nil {
		out.ImageID = c.imageIDOf(sp.ImageReference)
		if sp.OSDisk != nil {
			if sp.OSDisk.OSType != nil {
				out.Extra["os_type"] = strings.ToLower(string(*sp.OSDisk.OSType))
			}
			// The OS disk is not a storage volume (the volume collection
			// leaves it out), so it is named here, not attached.
			if sp.OSDisk.Name != nil {
				out.Extra["os_disk"] = *sp.OSDisk.Name
			}
		}
		for _, d := range sp.DataDisks {
			if id := dataDiskVolumeID(d); id != "" {
				out.StorageVolumes = append(out.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: id, Device: lunDevice(i32(d.Lun))})
			}
		}
	}
	if op := p.OSProfile; op != nil {
		a := &deltacloud.Authentication{Method: "password", Username: str(op.AdminUsername)}
		if lc := op.LinuxConfiguration; lc != nil && lc.SSH != nil && len(lc.SSH.PublicKeys) > 0 {
			a.Method = "key"
			a.KeyName = tag(vm.Tags, TagKeyName)
		}
		out.Authentication = a
	}
	for _, ref := range nicRefs(vm) {
		nic := net.nics[strings.ToLower(ref)]
		if nic == nil || nic.Properties == nil {
			continue
		}
		for _, ipc := range nic.Properties.IPConfigurations {
			if ipc == nil || ipc.Properties == nil {
				continue
			}
			if a := str(ipc.Properties.PrivateIPAddress); a != "" {
				out.PrivateAddresses = append(out.PrivateAddresses, deltacloud.Address{Value: a, Type: addrType(ipc.Properties.PrivateIPAddressVersion)})
			}
			if ipc.Properties.PublicIPAddress == nil {
				continue
			}
			ip := net.ips[strings.ToLower(str(ipc.Properties.PublicIPAddress.ID))]
			if ip == nil || ip.Properties == nil {
				continue
			}
			if a := str(ip.Properties.IPAddress); a != "" {
				out.PublicAddresses = append(out.PublicAddresses, deltacloud.Address{Value: a, Type: addrType(ip.Properties.PublicIPAddressVersion)})
			}
			if d := ip.Properties.DNSSettings; d != nil && str(d.Fqdn) != "" {
				out.PublicAddresses = append(out.PublicAddresses, deltacloud.Address{Value: *d.Fqdn, Type: deltacloud.AddressHostname})
			}
		}
	}
	return out
}

func addrType(v *armnetwork.IPVersion) deltacloud.AddressType {
	if v != nil && *v == armnetwork.IPVersionIPv6 {
		return deltacloud.AddressIPv6
	}
	return deltacloud.AddressIPv4
}

// imageIDOf names the image a VM was made from: its URN, the name of an
// image of the resource group, or another image's resource id.
func (c *conn) imageIDOf(ref *armcompute.ImageReference) string {
	if ref == nil {
		return ""
	}
	if ref.Publisher != nil {
		return URN{Publisher: *ref.Publisher, Offer: str(ref.Offer), SKU: str(ref.SKU), Version: str(ref.Version)}.String()
	}
	id := str(ref.ID)
	if rid, err := arm.ParseResourceID(id); err == nil && strings.EqualFold(rid.ResourceGroupName, c.scope.ResourceGroup) &&
		strings.EqualFold(rid.SubscriptionID, c.scope.SubscriptionID) && strings.EqualFold(rid.ResourceType.String(), "Microsoft.Compute/images") {
		return rid.Name
	}
	if id == "" {
		id = str(ref.CommunityGalleryImageID)
	}
	if id == "" {
		id = str(ref.SharedGalleryImageID)
	}
	return id
}
