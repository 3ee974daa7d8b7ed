package gce

import (
	"context"
	"sync"
	"time"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// isVolume reports whether a disk is an owned volume (not a boot disk).
func (c *conn) isVolume(d *compute.Disk) bool {
	return d.Labels[LabelOwner] == c.opts.owner && d.Labels[LabelRole] != "boot"
}

func volumeOf(d *compute.Disk, zone string) deltacloud.StorageVolume {
	v := deltacloud.StorageVolume{ID: d.Name, Name: d.Name, Description: d.Description, Capacity: int(d.SizeGb),
		RealmID: zone, Kind: last(d.Type)}
	switch d.Status {
	case "CREATING", "RESTORING":
		v.State = deltacloud.VolumeCreating
	case "READY":
		v.State = deltacloud.VolumeAvailable
	case "DELETING":
		v.State = deltacloud.VolumeDeleting
	default:
		v.State = deltacloud.VolumeError
	}
	if len(d.Users) > 0 && v.State == deltacloud.VolumeAvailable {
		v.State, v.InstanceID = deltacloud.VolumeInUse, last(d.Users[0])
	}
	if t, err := time.Parse(time.RFC3339, d.CreationTimestamp); err == nil {
		v.Created = t
	}
	return v
}

// StorageVolumes lists the owned persistent disks of the region's zones
// that are not boot disks.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	zones, err := c.zoneNames(ctx)
	if err != nil {
		return nil, err
	}
	lists := make([][]deltacloud.StorageVolume, len(zones))
	errs := make([]error, len(zones))
	var wg sync.WaitGroup
	for i, z := range zones {
		wg.Go(func() {
			errs[i] = c.compute.Disks.List(c.scope.Project, z).Filter(c.ownerFilter()).Context(ctx).Pages(ctx, func(l *compute.DiskList) error {
				for _, d := range l.Items {
					if c.isVolume(d) {
						lists[i] = append(lists[i], volumeOf(d, z))
					}
				}
				return nil
			})
		})
	}
	wg.Wait()
	var out []deltacloud.StorageVolume
	for i := range zones {
		if errs[i] != nil {
			return nil, wrap(errs[i])
		}
		out = append(out, lists[i]...)
	}
	for i := range out {
		if err := c.device(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// device fills in an attached volume's device name, which only its
// instance knows (one read of the instance).
func (c *conn) device(ctx context.Context, v *deltacloud.StorageVolume) error {
	if v.InstanceID == "" {
		return nil
	}
	in, err := c.compute.Instances.Get(c.scope.Project, v.RealmID, v.InstanceID).Context(ctx).Do()
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return wrap(err)
	}
	for _, ad := range in.Disks {
		if last(ad.Source) == v.ID {
			v.Device = ad.DeviceName
		}
	}
	return nil
}

// disk finds an owned volume by name in the region's zones.
func (c *conn) disk(ctx context.Context, id string) (*compute.Disk, string, error) {
	if !nameRE.MatchString(id) {
		return nil, "", notFound("storage volume", id)
	}
	zones, err := c.zoneNames(ctx)
	if err != nil {
		return nil, "", err
	}
	for _, z := range zones {
		d, err := c.compute.Disks.Get(c.scope.Project, z, id).Context(ctx).Do()
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, "", wrap(err)
		}
		if c.isVolume(d) {
			return d, z, nil
		}
	}
	return nil, "", notFound("storage volume", id)
}

// StorageVolume gets one owned volume.
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	d, z, err := c.disk(ctx, id)
	if err != nil {
		return nil, err
	}
	v := volumeOf(d, z)
	if err := c.device(ctx, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// CreateStorageVolume makes a persistent disk of disk_type, named as asked
// (a valid Compute name) or "vol-…", in the spec's zone or the region's
// first, optionally from a snapshot.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	name, err := resourceName("volume", spec.Name, "vol")
	if err != nil {
		return nil, err
	}
	if len(spec.Description) > 2000 {
		return nil, invalid("the description is %d characters long; at most 2000", len(spec.Description))
	}
	zone := spec.RealmID
	if zone == "" {
		z, err := c.firstZone(ctx)
		if err != nil {
			return nil, err
		}
		zone = z
	} else if ok, err := c.inRegion(ctx, zone); err != nil {
		return nil, err
	} else if !ok {
		return nil, invalid("realm %q is not a zone of region %s", truncate(zone), c.scope.Region)
	}
	d := &compute.Disk{Name: name, Description: spec.Description, SizeGb: int64(spec.Capacity),
		Type: "zones/" + zone + "/diskTypes/" + c.opts.diskType, Labels: map[string]string{LabelOwner: c.opts.owner}}
	if spec.Capacity == 0 && spec.SnapshotID == "" {
		d.SizeGb = 10
	}
	if spec.SnapshotID != "" {
		sn, err := c.snapshot(ctx, spec.SnapshotID)
		if err != nil {
			return nil, err
		}
		d.SourceSnapshot = sn.SelfLink
	}
	op, err := c.compute.Disks.Insert(c.scope.Project, zone, d).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	// The disk exists as CREATING once the insert is accepted.
	got, err := c.compute.Disks.Get(c.scope.Project, zone, name).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	_ = op
	v := volumeOf(got, zone)
	return &v, nil
}

// DestroyStorageVolume deletes a detached volume; Compute refuses an
// attached one (ErrInvalidState).
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	_, zone, err := c.disk(ctx, id)
	if err != nil {
		return err
	}
	op, err := c.compute.Disks.Delete(c.scope.Project, zone, id).Context(ctx).Do()
	return c.wait(ctx, op, err)
}

// AttachStorageVolume attaches a volume to an instance of its zone under
// the device name given (default the disk's name).
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	d, zone, err := c.disk(ctx, id)
	if err != nil {
		return nil, err
	}
	in, inZone, err := c.instance(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	if inZone != zone {
		return nil, invalid("volume %s is in %s, instance %s in %s; a disk attaches only in its zone", id, zone, instanceID, inZone)
	}
	if device != "" && !nameRE.MatchString(device) {
		return nil, invalid("device %q: want a device name of lower-case letters, digits and dashes", truncate(device))
	}
	op, err := c.compute.Instances.AttachDisk(c.scope.Project, zone, in.Name, &compute.AttachedDisk{Source: d.SelfLink, DeviceName: device}).Context(ctx).Do()
	if err := c.wait(ctx, op, err); err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// DetachStorageVolume detaches a volume from its instance.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	d, zone, err := c.disk(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(d.Users) == 0 {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, State: deltacloud.State(deltacloud.VolumeAvailable), Message: "gce: volume " + id + " is not attached"}
	}
	in, err := c.compute.Instances.Get(c.scope.Project, zone, last(d.Users[0])).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	for _, ad := range in.Disks {
		if last(ad.Source) == id {
			op, err := c.compute.Instances.DetachDisk(c.scope.Project, zone, in.Name, ad.DeviceName).Context(ctx).Do()
			if err := c.wait(ctx, op, err); err != nil {
				return nil, err
			}
			return c.StorageVolume(ctx, id)
		}
	}
	return nil, &deltacloud.Error{Code: deltacloud.InvalidState, Message: "gce: volume " + id + " is being attached"}
}
