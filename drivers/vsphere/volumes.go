package vsphere

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vslm"

	"github.com/deltacloud-go/deltacloud"
)

// Volume bounds.
const (
	// volumeRoot is the datastore folder of the driver's volumes; each
	// owner has a folder below it.
	volumeRoot = "deltacloud-volumes"
	// defaultVolumeGB is the size of a volume created without a capacity.
	defaultVolumeGB = 1
	// maxVolumeGB is vSphere's largest virtual disk, 62 TB.
	maxVolumeGB = 62 * 1024
)

// volumeDir is the owner's volume folder: a digest of the owner option,
// so that any owner makes a valid path.
func (c *conn) volumeDir() string {
	sum := sha256.Sum256([]byte(c.opts.owner))
	return volumeRoot + "/" + hex.EncodeToString(sum[:8])
}

// fcd is one first class disk with its datastore.
type fcd struct {
	obj types.VStorageObject
	ds  types.ManagedObjectReference
}

// id is the disk's id, the volume's.
func (f fcd) id() string { return f.obj.Config.Id.Id }

// path is the disk's file, "[datastore] folder/file.vmdk".
func (f fcd) path() string {
	if b, ok := f.obj.Config.Backing.(*types.BaseConfigInfoDiskFileBackingInfo); ok {
		return b.FilePath
	}
	return ""
}

// owned reports whether a disk file lies in the owner's volume folder.
func (c *conn) ownedPath(path string) bool {
	_, rel, ok := strings.Cut(path, "] ")
	return ok && strings.HasPrefix(rel, c.volumeDir()+"/")
}

// datastores are the datastores volumes live on: the datastore option's,
// or every datastore of the datacenter, by name.
func (c *conn) datastores(ctx context.Context, s *state) ([]mo.Datastore, error) {
	if c.opts.datastore != "" {
		ds, err := s.finder.Datastore(ctx, c.opts.datastore)
		if err != nil {
			return nil, notFoundAs(err, "datastore", c.opts.datastore)
		}
		return []mo.Datastore{{ManagedEntity: mo.ManagedEntity{ExtensibleManagedObject: mo.ExtensibleManagedObject{Self: ds.Reference()}, Name: ds.Name()}}}, nil
	}
	var dss []mo.Datastore
	if err := c.retrieve(ctx, s, s.folders.DatastoreFolder.Reference(), []string{"Datastore"}, []string{"name"}, &dss); err != nil {
		return nil, err
	}
	slices.SortFunc(dss, func(a, b mo.Datastore) int { return strings.Compare(a.Name, b.Name) })
	return dss, nil
}

// fcds lists the owner's disks on the datastores.
func (c *conn) fcds(ctx context.Context, s *state) ([]fcd, error) {
	dss, err := c.datastores(ctx, s)
	if err != nil {
		return nil, err
	}
	m := vslm.NewObjectManager(s.c)
	var out []fcd
	for _, ds := range dss {
		ids, err := m.List(ctx, ds.Self)
		if err != nil {
			return nil, c.fail(s, err)
		}
		for _, id := range ids {
			obj, err := m.Retrieve(ctx, ds.Self, id.Id)
			if isFault(err, &types.NotFound{}) || isFault(err, &types.InvalidArgument{}) {
				continue // deleted meanwhile
			}
			if err != nil {
				return nil, c.fail(s, err)
			}
			if f := (fcd{obj: *obj, ds: ds.Self}); c.ownedPath(f.path()) {
				out = append(out, f)
			}
		}
	}
	return out, nil
}

// fcd finds one of the owner's disks.
func (c *conn) fcd(ctx context.Context, s *state, id string) (*fcd, error) {
	if !morefRE.MatchString(id) {
		return nil, notFound("volume", id)
	}
	dss, err := c.datastores(ctx, s)
	if err != nil {
		return nil, err
	}
	m := vslm.NewObjectManager(s.c)
	for _, ds := range dss {
		obj, err := m.Retrieve(ctx, ds.Self, id)
		if err != nil {
			if code, _, _ := classify(err); code == deltacloud.NotFound || code == deltacloud.InvalidArgument {
				continue
			}
			return nil, c.fail(s, err)
		}
		if f := (fcd{obj: *obj, ds: ds.Self}); c.ownedPath(f.path()) {
			return &f, nil
		}
	}
	return nil, notFound("volume", id)
}

// attachment is where a volume is attached.
type attachment struct {
	vm     types.ManagedObjectReference
	device string // "scsi<bus>:<unit>"
	disk   *types.VirtualDisk
}

// diskAttachments lists the owner's volumes attached to a VM, by volume id.
func (c *conn) diskAttachments(vm *mo.VirtualMachine) map[string]attachment {
	if vm.Config == nil {
		return nil
	}
	devices := object.VirtualDeviceList(vm.Config.Hardware.Device)
	var out map[string]attachment
	for _, d := range devices.SelectByType((*types.VirtualDisk)(nil)) {
		disk := d.(*types.VirtualDisk)
		b, ok := disk.Backing.(*types.VirtualDiskFlatVer2BackingInfo)
		if !ok || disk.VDiskId == nil || !c.ownedPath(b.FileName) {
			continue
		}
		if out == nil {
			out = map[string]attachment{}
		}
		out[disk.VDiskId.Id] = attachment{vm: vm.Self, device: deviceName(devices, disk), disk: disk}
	}
	return out
}

// deviceName names a disk's place: "scsi<bus>:<unit>".
func deviceName(devices object.VirtualDeviceList, disk *types.VirtualDisk) string {
	bus := int32(0)
	if ctl, ok := devices.FindByKey(disk.ControllerKey).(types.BaseVirtualSCSIController); ok {
		bus = ctl.GetVirtualSCSIController().BusNumber
	}
	unit := int32(0)
	if disk.UnitNumber != nil {
		unit = *disk.UnitNumber
	}
	return fmt.Sprintf("scsi%d:%d", bus, unit)
}

// attachments maps the owner's attached volumes to their VMs.
func (c *conn) attachments(ctx context.Context, s *state) (map[string]attachment, error) {
	vms, err := c.vms(ctx, s)
	if err != nil {
		return nil, err
	}
	out := map[string]attachment{}
	for i := range vms {
		for id, a := range c.diskAttachments(&vms[i]) {
			out[id] = a
		}
	}
	return out, nil
}

// volumeOf maps a disk onto a volume.
func volumeOf(f fcd, att map[string]attachment) deltacloud.StorageVolume {
	v := deltacloud.StorageVolume{
		ID:       f.id(),
		Name:     f.obj.Config.Name,
		Capacity: int((f.obj.Config.CapacityInMB + 1023) / 1024),
		State:    deltacloud.VolumeAvailable,
		Created:  f.obj.Config.CreateTime,
		Kind:     "thin",
	}
	if b, ok := f.obj.Config.Backing.(*types.BaseConfigInfoDiskFileBackingInfo); ok && b.ProvisioningType != "" {
		v.Kind = b.ProvisioningType
	}
	if a, ok := att[v.ID]; ok {
		v.State, v.InstanceID, v.Device = deltacloud.VolumeInUse, a.vm.Value, a.device
	}
	return v
}

// ownedDisks opens the session and lists the owner's disks.
func (c *conn) ownedDisks(ctx context.Context) (*state, []fcd, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, nil, err
	}
	fs, err := c.fcds(ctx, s)
	return s, fs, err
}

// StorageVolumes lists the owner's disks.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	s, fs, err := c.ownedDisks(ctx)
	if err != nil {
		return nil, err
	}
	att, err := c.attachments(ctx, s)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.StorageVolume, len(fs))
	for i, f := range fs {
		out[i] = volumeOf(f, att)
	}
	return out, nil
}

// StorageVolume returns one of the owner's disks.
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	return c.volume(ctx, s, id)
}

func (c *conn) volume(ctx context.Context, s *state, id string) (*deltacloud.StorageVolume, error) {
	f, err := c.fcd(ctx, s, id)
	if err != nil {
		return nil, err
	}
	att, err := c.attachments(ctx, s)
	if err != nil {
		return nil, err
	}
	v := volumeOf(*f, att)
	return &v, nil
}

// CreateStorageVolume creates a thin disk (1 GB unless asked otherwise) in
// the owner's folder of the first datastore (or the datastore option's),
// named as asked (volume_name) or "vol-…". A cancelled create deletes the
// disk once its task is over.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	if spec.SnapshotID != "" {
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "vsphere: volumes from snapshots are not supported")
	}
	gb := spec.Capacity
	switch {
	case gb == 0:
		gb = defaultVolumeGB
	case gb < 0 || gb > maxVolumeGB:
		return nil, invalid("capacity %d GB: want 1 to %d", gb, maxVolumeGB)
	}
	if len(spec.Name) > maxNameLen {
		return nil, invalid("volume name is %d bytes long; at most %d", len(spec.Name), maxNameLen)
	}
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	if spec.RealmID != "" {
		if _, err := c.poolFor(ctx, s, spec.RealmID); err != nil {
			return nil, err
		}
	}
	dss, err := c.datastores(ctx, s)
	if err != nil {
		return nil, err
	}
	if len(dss) == 0 {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "vsphere: the datacenter has no datastore")
	}
	ds := dss[0]
	name := spec.Name
	suffix, err := randomHex(4)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "vsphere: cannot make a name", Err: err}
	}
	if name == "" {
		name = "vol-" + suffix
	}
	dir := "[" + ds.Name + "] " + c.volumeDir()
	err = object.NewFileManager(s.c).MakeDirectory(ctx, dir, s.dc, true)
	if err != nil && !isFault(err, &types.FileAlreadyExists{}) {
		return nil, c.fail(s, err)
	}
	task, err := vslm.NewObjectManager(s.c).CreateDisk(ctx, types.VslmCreateSpec{
		Name:              name,
		CapacityInMB:      int64(gb) * 1024,
		KeepAfterDeleteVm: types.NewBool(true),
		BackingSpec: &types.VslmCreateSpecDiskFileBackingSpec{
			VslmCreateSpecBackingSpec: types.VslmCreateSpecBackingSpec{Datastore: ds.Self, Path: c.volumeDir() + "/" + baseName(name) + "-" + suffix + ".vmdk"},
			ProvisioningType:          string(types.BaseConfigInfoDiskFileBackingInfoProvisioningTypeThin),
		},
	})
	if err != nil {
		return nil, c.fail(s, err)
	}
	info, err := task.WaitForResult(ctx)
	if err != nil {
		if info == nil || info.State != types.TaskInfoStateError {
			c.deleteLater(ctx, s, task, ds.Self)
		}
		return nil, c.fail(s, err)
	}
	obj, ok := info.Result.(types.VStorageObject)
	if !ok {
		return nil, deltacloud.Errorf(deltacloud.Backend, "vsphere: the disk task returned no disk")
	}
	v := volumeOf(fcd{obj: obj, ds: ds.Self}, nil)
	return &v, nil
}

// deleteLater deletes, in the background, the disk a create task whose
// wait was abandoned makes; Close waits for it.
func (c *conn) deleteLater(ctx context.Context, s *state, task *object.Task, ds types.ManagedObjectReference) {
	c.undoTask(ctx, task, func(ctx context.Context, result types.AnyType) error {
		obj, ok := result.(types.VStorageObject)
		if !ok {
			return nil
		}
		return c.wait(ctx, s, func() (*object.Task, error) { return vslm.NewObjectManager(s.c).Delete(ctx, ds, obj.Config.Id.Id) })
	})
}

// DestroyStorageVolume deletes a detached disk; an attached one is
// ErrInvalidState.
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	s, err := c.session(ctx)
	if err != nil {
		return err
	}
	f, err := c.fcd(ctx, s, id)
	if err != nil {
		return err
	}
	att, err := c.attachments(ctx, s)
	if err != nil {
		return err
	}
	if _, ok := att[id]; ok {
		return &deltacloud.Error{Code: deltacloud.InvalidState, State: deltacloud.State(deltacloud.VolumeInUse),
			Message: "vsphere: volume " + id + " is attached"}
	}
	return c.wait(ctx, s, func() (*object.Task, error) { return vslm.NewObjectManager(s.c).Delete(ctx, f.ds, id) })
}

// AttachStorageVolume adds the disk to a VM on a SCSI controller: at
// device "scsi<bus>:<unit>", or the first free unit for an empty device.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	f, err := c.fcd(ctx, s, id)
	if err != nil {
		return nil, err
	}
	mvm, err := c.ownedVM(ctx, s, instanceID)
	if err != nil {
		return nil, err
	}
	att, err := c.attachments(ctx, s)
	if err != nil {
		return nil, err
	}
	if _, ok := att[id]; ok {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, State: deltacloud.State(deltacloud.VolumeInUse),
			Message: "vsphere: volume " + id + " is attached"}
	}
	vm := object.NewVirtualMachine(s.c, mvm.Self)
	devices, err := vm.Device(ctx)
	if err != nil {
		return nil, c.fail(s, err)
	}
	ctl, unit, err := placeDisk(devices, device)
	if err != nil {
		return nil, err
	}
	disk := &types.VirtualDisk{
		VirtualDevice: types.VirtualDevice{
			Key:           devices.NewKey(),
			ControllerKey: ctl.GetVirtualController().Key,
			UnitNumber:    &unit,
			Backing: &types.VirtualDiskFlatVer2BackingInfo{
				VirtualDeviceFileBackingInfo: types.VirtualDeviceFileBackingInfo{FileName: f.path(), Datastore: &f.ds},
				DiskMode:                     string(types.VirtualDiskModePersistent),
				ThinProvisioned:              types.NewBool(true),
			},
		},
		CapacityInKB: f.obj.Config.CapacityInMB * 1024,
		VDiskId:      &types.ID{Id: id},
	}
	spec := types.VirtualMachineConfigSpec{DeviceChange: []types.BaseVirtualDeviceConfigSpec{
		&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationAdd, Device: disk},
	}}
	if err := c.wait(ctx, s, func() (*object.Task, error) { return vm.Reconfigure(ctx, spec) }); err != nil {
		return nil, err
	}
	return c.volume(ctx, s, id)
}

// placeDisk finds the SCSI controller and unit of a device name; an empty
// name takes the first free unit of the first SCSI controller.
func placeDisk(devices object.VirtualDeviceList, device string) (types.BaseVirtualController, int32, error) {
	var ctls []types.BaseVirtualController
	for _, d := range devices.SelectByType((*types.VirtualSCSIController)(nil)) {
		ctls = append(ctls, d.(types.BaseVirtualController))
	}
	if len(ctls) == 0 {
		return nil, 0, invalid("the instance has no SCSI controller")
	}
	used := func(ctl types.BaseVirtualController, unit int32) bool {
		for _, d := range devices {
			vd := d.GetVirtualDevice()
			if vd.ControllerKey == ctl.GetVirtualController().Key && vd.UnitNumber != nil && *vd.UnitNumber == unit {
				return true
			}
		}
		return false
	}
	if device == "" {
		for unit := int32(0); unit < 16; unit++ {
			if unit != 7 && !used(ctls[0], unit) { // 7 is the controller's own
				return ctls[0], unit, nil
			}
		}
		return nil, 0, deltacloud.Errorf(deltacloud.Conflict, "vsphere: the instance's first SCSI controller is full")
	}
	bus, unit, err := ParseDevice(device)
	if err != nil {
		return nil, 0, err
	}
	for _, ctl := range ctls {
		if ctl.(types.BaseVirtualSCSIController).GetVirtualSCSIController().BusNumber != bus {
			continue
		}
		if used(ctl, unit) {
			return nil, 0, deltacloud.Errorf(deltacloud.Conflict, "vsphere: device %s is in use", device)
		}
		return ctl, unit, nil
	}
	return nil, 0, invalid("device %s: the instance has no SCSI controller %d", device, bus)
}

// ParseDevice reads a volume device, "scsi<bus>:<unit>" with a bus of 0-3
// and a unit of 0-15 other than 7 (the controller's own).
func ParseDevice(device string) (bus, unit int32, err error) {
	rest, ok := strings.CutPrefix(device, "scsi")
	b, u, ok2 := strings.Cut(rest, ":")
	nb, err1 := strconv.ParseInt(b, 10, 32)
	nu, err2 := strconv.ParseInt(u, 10, 32)
	if !ok || !ok2 || err1 != nil || err2 != nil || nb < 0 || nb > 3 || nu < 0 || nu > 15 || nu == 7 {
		return 0, 0, invalid("device %q: want scsi<bus>:<unit>, bus 0-3, unit 0-15 but 7", device)
	}
	return int32(nb), int32(nu), nil
}

// DetachStorageVolume removes the disk from its VM and keeps it.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.fcd(ctx, s, id); err != nil {
		return nil, err
	}
	att, err := c.attachments(ctx, s)
	if err != nil {
		return nil, err
	}
	a, ok := att[id]
	if !ok {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, State: deltacloud.State(deltacloud.VolumeAvailable),
			Message: "vsphere: volume " + id + " is not attached"}
	}
	if err := c.detach(ctx, s, object.NewVirtualMachine(s.c, a.vm), a.disk); err != nil {
		return nil, err
	}
	return c.volume(ctx, s, id)
}

// detach removes disks from a VM, keeping their files.
func (c *conn) detach(ctx context.Context, s *state, vm *object.VirtualMachine, disks ...*types.VirtualDisk) error {
	var spec types.VirtualMachineConfigSpec
	for _, d := range disks {
		spec.DeviceChange = append(spec.DeviceChange,
			&types.VirtualDeviceConfigSpec{Operation: types.VirtualDeviceConfigSpecOperationRemove, Device: d})
	}
	return c.wait(ctx, s, func() (*object.Task, error) { return vm.Reconfigure(ctx, spec) })
}
