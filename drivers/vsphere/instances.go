package vsphere

import (
	"context"
	"net/netip"
	"slices"
	"strings"

	"github.com/vmware/govmomi/vim25/mo"

	"github.com/deltacloud-go/deltacloud"
)

// vmProps are the VM properties an instance or an image is made of.
var vmProps = []string{
	"name", "config.template", "config.hardware.numCPU", "config.hardware.memoryMB", "config.guestId",
	"config.createDate", "config.annotation", "config.hardware.device", "runtime.powerState", "resourcePool",
	"customValue", "guest.ipAddress",
}

// vms reads every VM and template of the datacenter.
func (c *conn) vms(ctx context.Context, s *state) ([]mo.VirtualMachine, error) {
	var vms []mo.VirtualMachine
	err := c.retrieve(ctx, s, s.folders.VmFolder.Reference(), []string{"VirtualMachine"}, vmProps, &vms)
	return vms, err
}

// vm reads one VM or template; an id vCenter does not know is ErrNotFound.
func (c *conn) vm(ctx context.Context, s *state, id string) (*mo.VirtualMachine, error) {
	r, ok := ref("VirtualMachine", id)
	if !ok {
		return nil, notFound("VM", id)
	}
	var vm mo.VirtualMachine
	if err := c.retrieveOne(ctx, s, r, vmProps, &vm); err != nil {
		return nil, notFoundAs(err, "VM", id)
	}
	return &vm, nil
}

// isTemplate reports whether a VM is a template.
func isTemplate(vm *mo.VirtualMachine) bool { return vm.Config != nil && vm.Config.Template }

// owns reports whether the provider manages a VM: one carrying its owner
// attribute, or any VM with all_vms.
func (c *conn) owns(s *state, vm *mo.VirtualMachine) bool {
	if isTemplate(vm) {
		return false
	}
	if c.opts.allVMs {
		return true
	}
	owner, _, _ := s.fields.get()
	v, ok := fieldValue(vm.CustomValue, owner)
	return ok && v == c.opts.owner
}

// Instances lists the provider's VMs.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	if f.ID != "" {
		in, err := c.instance(ctx, s, f.ID)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Instance{*in}, nil
	}
	vms, err := c.vms(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Instance, 0, len(vms))
	for i := range vms {
		if !c.owns(s, &vms[i]) {
			continue
		}
		in := c.instanceOf(s, &vms[i])
		if f.Match(in) {
			out = append(out, in)
		}
	}
	return out, nil
}

// Instance returns one of the provider's VMs; any other id is ErrNotFound.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	return c.instance(ctx, s, id)
}

func (c *conn) instance(ctx context.Context, s *state, id string) (*deltacloud.Instance, error) {
	vm, err := c.ownedVM(ctx, s, id)
	if err != nil {
		return nil, err
	}
	in := c.instanceOf(s, vm)
	return &in, nil
}

// ownedVM reads a VM the provider manages; others are ErrNotFound.
func (c *conn) ownedVM(ctx context.Context, s *state, id string) (*mo.VirtualMachine, error) {
	vm, err := c.vm(ctx, s, id)
	if err != nil {
		return nil, err
	}
	if !c.owns(s, vm) {
		return nil, notFound("instance", id)
	}
	return vm, nil
}

// instanceOf maps a VM onto an instance.
func (c *conn) instanceOf(s *state, vm *mo.VirtualMachine) deltacloud.Instance {
	owner, nameKey, imageKey := s.fields.get()
	in := deltacloud.Instance{
		ID:             vm.Self.Value,
		Name:           vm.Name,
		State:          MapState(vm.Runtime.PowerState),
		CanCreateImage: true,
		Extra:          map[string]string{"vm_name": vm.Name},
	}
	if v, ok := fieldValue(vm.CustomValue, nameKey); ok {
		in.Name = v
	}
	in.Owner, _ = fieldValue(vm.CustomValue, owner)
	in.ImageID, _ = fieldValue(vm.CustomValue, imageKey)
	if vm.ResourcePool != nil {
		in.RealmID = vm.ResourcePool.Value
	}
	if cfg := vm.Config; cfg != nil {
		in.Profile = c.profileOf(cfg.Hardware.NumCPU, cfg.Hardware.MemoryMB)
		if cfg.CreateDate != nil {
			in.LaunchTime = *cfg.CreateDate
		}
	}
	for id, a := range c.diskAttachments(vm) {
		in.StorageVolumes = append(in.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: id, Device: a.device})
	}
	slices.SortFunc(in.StorageVolumes, func(a, b deltacloud.VolumeAttachment) int { return strings.Compare(a.Device, b.Device) })
	if vm.Guest != nil && vm.Guest.IpAddress != "" {
		if ip, err := netip.ParseAddr(vm.Guest.IpAddress); err == nil {
			typ := deltacloud.AddressIPv4
			if ip.Is6() {
				typ = deltacloud.AddressIPv6
			}
			in.PrivateAddresses = []deltacloud.Address{{Value: ip.String(), Type: typ}}
		}
	}
	return in
}

// stateOf is a VM's Deltacloud state, for errors.
func stateOf(vm *mo.VirtualMachine) deltacloud.State { return MapState(vm.Runtime.PowerState) }
