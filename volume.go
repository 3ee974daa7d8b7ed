package deltacloud

import (
	"context"
	"time"
)

// VolumeState is a storage volume's state, upper case as in the Deltacloud
// API.
type VolumeState string

// The storage volume states.
const (
	VolumeCreating  VolumeState = "CREATING"
	VolumeAvailable VolumeState = "AVAILABLE"
	VolumeInUse     VolumeState = "IN-USE"
	VolumeDeleting  VolumeState = "DELETING"
	VolumeError     VolumeState = "ERROR"
)

// StorageVolume is a block device that outlives instances (EBS volumes,
// Azure managed disks).
type StorageVolume struct {
	ID          string
	Name        string
	Description string
	// Capacity is the size in GB.
	Capacity int
	RealmID  string
	State    VolumeState
	Created  time.Time
	// Kind is the cloud's volume type (e.g. "gp3"), if any.
	Kind string
	// InstanceID and Device say where the volume is attached; empty when it
	// is not.
	InstanceID string
	Device     string
}

// Attached reports whether the volume is attached to an instance.
func (v *StorageVolume) Attached() bool { return v.InstanceID != "" || v.State == VolumeInUse }

// StorageVolumeSpec describes a volume to create; every field is optional.
type StorageVolumeSpec struct {
	// Name needs the volume_name feature.
	Name string
	// Description needs the volume_description feature.
	Description string
	// Capacity in GB; zero lets the driver choose (or take the snapshot's).
	Capacity int
	RealmID  string
	// SnapshotID creates the volume from a snapshot.
	SnapshotID string
}

// StorageVolumes lists the volumes.
func (p *Provider) StorageVolumes(ctx context.Context) ([]StorageVolume, error) {
	return list(ctx, p, "StorageVolumes", CollectionStorageVolumes, func(c VolumeConn) ([]StorageVolume, error) { return c.StorageVolumes(ctx) })
}

// StorageVolume returns one volume; an unknown id is ErrNotFound.
func (p *Provider) StorageVolume(ctx context.Context, id string) (*StorageVolume, error) {
	if err := requireID("StorageVolume", "volume", id); err != nil {
		return nil, err
	}
	if _, ok := p.conn.(StorageVolumeGetter); ok {
		return one(ctx, p, "StorageVolume", id, CollectionStorageVolumes, func(c StorageVolumeGetter) (*StorageVolume, error) {
			return c.StorageVolume(ctx, id)
		})
	}
	vs, err := p.StorageVolumes(ctx)
	if err != nil {
		return nil, err
	}
	return findByID(vs, "StorageVolume", id, func(v StorageVolume) string { return v.ID })
}

// CreateStorageVolume creates a volume.
func (p *Provider) CreateStorageVolume(ctx context.Context, spec StorageVolumeSpec) (*StorageVolume, error) {
	const op = "CreateStorageVolume"
	if err := p.needFeature(op, spec.Name != "", "name", FeatureVolumeName); err != nil {
		return nil, err
	}
	if err := p.needFeature(op, spec.Description != "", "description", FeatureVolumeDescription); err != nil {
		return nil, err
	}
	if spec.Capacity < 0 {
		return nil, argErr(op, "capacity is %d GB; it must not be negative", spec.Capacity)
	}
	return one(ctx, p, op, "", CollectionStorageVolumes, func(c VolumeConn) (*StorageVolume, error) {
		return c.CreateStorageVolume(ctx, spec)
	})
}

// DestroyStorageVolume deletes a volume; an attached one is ErrInvalidState.
func (p *Provider) DestroyStorageVolume(ctx context.Context, id string) error {
	const op = "DestroyStorageVolume"
	v, err := p.volumeFor(ctx, op, id)
	if err != nil {
		return err
	}
	if v.Attached() {
		return stateErr(op, id, string(v.State), "volume is attached to instance %s; detach it first", v.InstanceID)
	}
	return do(ctx, p, op, id, CollectionStorageVolumes, func(c VolumeConn) error { return c.DestroyStorageVolume(ctx, id) })
}

// AttachStorageVolume attaches an available volume to an instance at device
// (which may be empty where the cloud picks one).
func (p *Provider) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*StorageVolume, error) {
	const op = "AttachStorageVolume"
	if err := requireID(op, "instance", instanceID); err != nil {
		return nil, err
	}
	v, err := p.volumeFor(ctx, op, id)
	if err != nil {
		return nil, err
	}
	if v.State != VolumeAvailable || v.Attached() {
		return nil, stateErr(op, id, string(v.State), "volume is %s; only an AVAILABLE volume can be attached", v.State)
	}
	if _, err := p.instanceFor(ctx, op, instanceID); err != nil {
		return nil, err
	}
	return one(ctx, p, op, id, CollectionStorageVolumes, func(c VolumeConn) (*StorageVolume, error) {
		return c.AttachStorageVolume(ctx, id, instanceID, device)
	})
}

// DetachStorageVolume detaches an attached volume.
func (p *Provider) DetachStorageVolume(ctx context.Context, id string) (*StorageVolume, error) {
	const op = "DetachStorageVolume"
	v, err := p.volumeFor(ctx, op, id)
	if err != nil {
		return nil, err
	}
	if !v.Attached() {
		return nil, stateErr(op, id, string(v.State), "volume is %s, not attached", v.State)
	}
	return one(ctx, p, op, id, CollectionStorageVolumes, func(c VolumeConn) (*StorageVolume, error) {
		return c.DetachStorageVolume(ctx, id)
	})
}

func (p *Provider) volumeFor(ctx context.Context, op, id string) (*StorageVolume, error) {
	if err := requireID(op, "volume", id); err != nil {
		return nil, err
	}
	v, err := p.StorageVolume(ctx, id)
	return v, renameOp(err, op)
}
