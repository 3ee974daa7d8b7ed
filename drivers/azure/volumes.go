package azure

import (
	"context"
	"regexp"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/deltacloud-go/deltacloud"
)

// TagDescription keeps the description of a volume or snapshot.
const TagDescription = "deltacloud-description"

// Storage volume defaults.
const (
	// DefaultVolumeGB is the size of a new empty volume when none is asked
	// for.
	DefaultVolumeGB = 32
	// VolumeSKU is the managed disk type of new volumes.
	VolumeSKU = armcompute.DiskStorageAccountTypesStandardSSDLRS
	// maxLUNs bounds the LUNs the driver tries when it picks one.
	maxLUNs = 64
)

// diskNameRE is Azure's rule for managed disk and snapshot names.
var diskNameRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$`)

// owned reports whether a resource carries this provider's owner tag.
func (c *conn) owned(tags map[string]*string) bool {
	return tags != nil && str(tags[TagOwner]) == c.opts.owner
}

// isDataDisk reports whether a disk is a volume: the provider's, and not an
// instance's OS disk.
func (c *conn) isDataDisk(d *armcompute.Disk) bool {
	return c.owned(d.Tags) && (d.Properties == nil || d.Properties.OSType == nil)
}

// StorageVolumes lists the provider's managed data disks (those tagged with
// the owner; instances' OS disks are not volumes). An attached disk names
// its VM and, as device, its LUN ("lun0").
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	var disks []*armcompute.Disk
	pg := c.disks.NewListByResourceGroupPager(c.scope.ResourceGroup, nil)
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, d := range page.Value {
			if c.isDataDisk(d) {
				disks = append(disks, d)
			}
		}
	}
	luns := map[string]map[string]int32{} // VM name → disk id → LUN
	out := make([]deltacloud.StorageVolume, 0, len(disks))
	for _, d := range disks {
		v, err := c.volumeOf(ctx, d, luns)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// volumeOf maps a disk; luns caches the data disks of the VMs looked up.
func (c *conn) volumeOf(ctx context.Context, d *armcompute.Disk, luns map[string]map[string]int32) (deltacloud.StorageVolume, error) {
	v := deltacloud.StorageVolume{ID: str(d.Name), Name: str(d.Name), RealmID: c.realmOf(d.Zones),
		Description: str(d.Tags[TagDescription])}
	if d.SKU != nil && d.SKU.Name != nil {
		v.Kind = string(*d.SKU.Name)
	}
	p := d.Properties
	if p == nil {
		p = &armcompute.DiskProperties{}
	}
	v.Capacity = int(i32(p.DiskSizeGB))
	if p.TimeCreated != nil {
		v.Created = *p.TimeCreated
	}
	switch strings.ToLower(str(p.ProvisioningState)) {
	case "creating", "updating":
		v.State = deltacloud.VolumeCreating
	case "deleting":
		v.State = deltacloud.VolumeDeleting
	case "failed":
		v.State = deltacloud.VolumeError
	default:
		v.State = deltacloud.VolumeAvailable
	}
	if vm := str(d.ManagedBy); vm != "" {
		v.State = deltacloud.VolumeInUse
		v.InstanceID = lastSegment(vm)
		if luns != nil {
			m, ok := luns[v.InstanceID]
			if !ok {
				m = map[string]int32{}
				got, err := c.vms.Get(ctx, c.scope.ResourceGroup, v.InstanceID, nil)
				if err != nil && !isNotFound(err) {
					return v, wrap(err)
				}
				if err == nil {
					for _, dd := range dataDisks(&got.VirtualMachine) {
						if dd.ManagedDisk != nil && dd.Lun != nil {
							m[strings.ToLower(str(dd.ManagedDisk.ID))] = *dd.Lun
						}
					}
				}
				luns[v.InstanceID] = m
			}
			if lun, ok := m[strings.ToLower(str(d.ID))]; ok {
				v.Device = lunDevice(lun)
			}
		}
	}
	return v, nil
}

// dataDisks returns a VM's data disks.
func dataDisks(vm *armcompute.VirtualMachine) []*armcompute.DataDisk {
	if vm.Properties == nil || vm.Properties.StorageProfile == nil {
		return nil
	}
	return vm.Properties.StorageProfile.DataDisks
}

// dataDiskVolumeID names the volume a VM's data disk is: the managed
// disk's name, the last segment of its resource id, as the volume
// collection names disks (the data disk's own name, which Azure sets to
// the same, when the id is missing). Unmanaged disks are no volume: "".
func dataDiskVolumeID(d *armcompute.DataDisk) string {
	if d == nil {
		return ""
	}
	if d.ManagedDisk != nil && str(d.ManagedDisk.ID) != "" {
		return lastSegment(*d.ManagedDisk.ID)
	}
	if d.Vhd != nil {
		return ""
	}
	return str(d.Name)
}

// lunDevice is the device an attached volume is shown at: its LUN, as
// "lun3", the form AttachStorageVolume takes.
func lunDevice(lun int32) string { return "lun" + strconv.Itoa(int(lun)) }

func lastSegment(id string) string { return id[strings.LastIndex(id, "/")+1:] }

// disk fetches one of the provider's volumes; anything else is ErrNotFound.
func (c *conn) disk(ctx context.Context, id string) (*armcompute.Disk, error) {
	if !diskNameRE.MatchString(id) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: no storage volume %q", id)
	}
	got, err := c.disks.Get(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return nil, wrap(err)
	}
	if !c.isDataDisk(&got.Disk) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: disk %q is not a storage volume of owner %q", id, c.opts.owner)
	}
	return &got.Disk, nil
}

// StorageVolume returns one volume.
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	d, err := c.disk(ctx, id)
	if err != nil {
		return nil, err
	}
	v, err := c.volumeOf(ctx, d, map[string]map[string]int32{})
	return &v, err
}

// CreateStorageVolume creates an empty managed disk (StandardSSD_LRS) of
// spec.Capacity GB (default 32), or a copy of a snapshot (of the
// snapshot's size unless a larger capacity is asked for), in the realm's
// zone. Its id is spec.Name (volume_name; a taken name is ErrConflict) or a
// generated "vol-…"; the description (volume_description) is kept in a
// tag.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	zone, err := c.zoneOfRealm(spec.RealmID)
	if err != nil {
		return nil, err
	}
	name := spec.Name
	if name == "" {
		suffix, err := randomHex(4)
		if err != nil {
			return nil, err
		}
		name = "vol-" + suffix
	} else if !diskNameRE.MatchString(name) {
		return nil, invalid("volume name %q: want 1-80 letters, digits, '_', '.' or '-', starting with a letter or digit and ending with a letter, digit or '_'", name)
	}
	rg := c.scope.ResourceGroup
	if _, err := c.disks.Get(ctx, rg, name, nil); err == nil {
		return nil, deltacloud.Errorf(deltacloud.Conflict, "azure: a disk named %q exists in resource group %s", name, rg)
	} else if !isNotFound(err) {
		return nil, wrap(err)
	}
	d := armcompute.Disk{
		Location: to.Ptr(c.scope.Location),
		Tags:     map[string]*string{TagOwner: to.Ptr(c.opts.owner)},
		SKU:      &armcompute.DiskSKU{Name: to.Ptr(VolumeSKU)},
		Properties: &armcompute.DiskProperties{
			CreationData: &armcompute.CreationData{CreateOption: to.Ptr(armcompute.DiskCreateOptionEmpty)},
		},
	}
	if spec.Description != "" {
		d.Tags[TagDescription] = to.Ptr(spec.Description)
	}
	if zone != "" {
		d.Zones = []*string{to.Ptr(zone)}
	}
	if spec.Capacity > 0 {
		d.Properties.DiskSizeGB = to.Ptr(int32(spec.Capacity))
	}
	if spec.SnapshotID != "" {
		snap, err := c.snapshotRes(ctx, spec.SnapshotID)
		if err != nil {
			return nil, err
		}
		d.Properties.CreationData = &armcompute.CreationData{CreateOption: to.Ptr(armcompute.DiskCreateOptionCopy), SourceResourceID: snap.ID}
	} else if spec.Capacity == 0 {
		d.Properties.DiskSizeGB = to.Ptr[int32](DefaultVolumeGB)
	}
	poller, err := c.disks.BeginCreateOrUpdate(ctx, rg, name, d, nil)
	if err != nil {
		return nil, wrap(err)
	}
	res, err := poller.PollUntilDone(ctx, c.pollOpts())
	if err != nil {
		// The disk may exist (failed, or still being made): remove it.
		c.cleanupAfter(ctx, func(ctx context.Context) error {
			p, err := c.disks.BeginDelete(ctx, rg, name, nil)
			if err == nil {
				_, err = p.PollUntilDone(ctx, c.pollOpts())
			}
			return err
		})
		return nil, wrap(err)
	}
	v, err := c.volumeOf(ctx, &res.Disk, nil)
	return &v, err
}

// DestroyStorageVolume deletes a detached disk; Azure itself refuses to
// delete an attached one (OperationNotAllowed: ErrInvalidState).
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	if _, err := c.disk(ctx, id); err != nil {
		return err
	}
	poller, err := c.disks.BeginDelete(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return wrap(err)
	}
	_, err = poller.PollUntilDone(ctx, c.pollOpts())
	return wrap(err)
}

// cleanupAfter deletes what a failed create made, even when ctx has ended:
// at once with a fresh deadline, or in the background (Close waits for it)
// after a cancellation.
func (c *conn) cleanupAfter(ctx context.Context, del func(context.Context) error) {
	run := func() {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		del(dctx)
	}
	if ctx.Err() == nil {
		run()
		return
	}
	done := c.startCleanup()
	go func() {
		defer close(done)
		run()
	}()
}

// parseLUN reads a device name "lun<N>" (or a bare number).
func parseLUN(device string) (int32, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(device), "lun"))
	if err != nil || n < 0 || n >= maxLUNs {
		return 0, invalid("device %q: want lun0 to lun%d (the data disk's LUN)", device, maxLUNs-1)
	}
	return int32(n), nil
}

// AttachStorageVolume attaches a disk to a VM as a data disk at the LUN
// device names ("lun3"), or at the lowest free LUN when device is empty,
// by updating the VM. A LUN in use is ErrConflict.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	d, err := c.disk(ctx, id)
	if err != nil {
		return nil, err
	}
	vm, err := c.ownedVM(ctx, instanceID, false)
	if err != nil {
		return nil, err
	}
	used := map[int32]bool{}
	for _, dd := range dataDisks(vm) {
		if dd.Lun != nil {
			used[*dd.Lun] = true
		}
	}
	var lun int32
	if device != "" {
		if lun, err = parseLUN(device); err != nil {
			return nil, err
		}
		if used[lun] {
			return nil, deltacloud.Errorf(deltacloud.Conflict, "azure: LUN %d of instance %s is in use", lun, instanceID)
		}
	} else {
		for used[lun] {
			lun++
		}
	}
	disks := append(dataDisks(vm), &armcompute.DataDisk{
		Lun: to.Ptr(lun), Name: d.Name, CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesAttach),
		ManagedDisk: &armcompute.ManagedDiskParameters{ID: d.ID},
	})
	if err := c.setDataDisks(ctx, instanceID, disks); err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// DetachStorageVolume removes a disk from its VM's data disks.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	d, err := c.disk(ctx, id)
	if err != nil {
		return nil, err
	}
	vmName := lastSegment(str(d.ManagedBy))
	if vmName == "" {
		return nil, deltacloud.Errorf(deltacloud.InvalidState, "azure: volume %s is not attached", id)
	}
	got, err := c.vms.Get(ctx, c.scope.ResourceGroup, vmName, nil)
	if err != nil {
		return nil, wrap(err)
	}
	var keep []*armcompute.DataDisk
	found := false
	for _, dd := range dataDisks(&got.VirtualMachine) {
		if dd.ManagedDisk != nil && strings.EqualFold(str(dd.ManagedDisk.ID), str(d.ID)) {
			found = true
			continue
		}
		keep = append(keep, dd)
	}
	if !found {
		return nil, deltacloud.Errorf(deltacloud.InvalidState, "azure: volume %s is not among the data disks of %s", id, vmName)
	}
	if keep == nil {
		keep = []*armcompute.DataDisk{}
	}
	if err := c.setDataDisks(ctx, vmName, keep); err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// setDataDisks replaces a VM's data disks (a PATCH of its storage profile)
// and waits for the update.
func (c *conn) setDataDisks(ctx context.Context, vmName string, disks []*armcompute.DataDisk) error {
	poller, err := c.vms.BeginUpdate(ctx, c.scope.ResourceGroup, vmName, armcompute.VirtualMachineUpdate{
		Properties: &armcompute.VirtualMachineProperties{StorageProfile: &armcompute.StorageProfile{DataDisks: disks}},
	}, nil)
	if err != nil {
		return wrap(err)
	}
	_, err = poller.PollUntilDone(ctx, c.pollOpts())
	return wrap(err)
}
