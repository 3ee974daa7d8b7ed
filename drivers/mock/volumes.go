package mock

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// volumeRecord is a stored storage volume.
type volumeRecord = deltacloud.StorageVolume

// snapshotRecord is a stored storage snapshot.
type snapshotRecord = deltacloud.StorageSnapshot

func (c *Cloud) volumeList() []deltacloud.StorageVolume {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]deltacloud.StorageVolume, 0, len(c.volumes))
	for _, v := range c.volumes {
		out = append(out, *v)
	}
	slices.SortFunc(out, func(a, b deltacloud.StorageVolume) int { return compareIDs(a.ID, b.ID) })
	return out
}

// createVolume makes an AVAILABLE volume: id volume_<unixtime>, name the
// spec's or "Volume" + id, capacity the spec's, else the snapshot's volume's,
// else 1 GB; described by the spec's description.
func (c *Cloud) createVolume(spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	if spec.Capacity < 0 {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "capacity %d GB is negative", spec.Capacity)
	}
	if spec.RealmID != "" && !slices.ContainsFunc(realms, func(r deltacloud.Realm) bool { return r.ID == spec.RealmID }) {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "realm %q does not exist", spec.RealmID)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	capacity := spec.Capacity
	if spec.SnapshotID != "" {
		s := c.snapshots[spec.SnapshotID]
		if s == nil {
			return nil, missing("snapshot", spec.SnapshotID)
		}
		if v := c.volumes[s.VolumeID]; v != nil && capacity == 0 {
			capacity = v.Capacity
		}
	}
	id := uniqueID("volume_", func(id string) bool { return c.volumes[id] != nil })
	v := &volumeRecord{ID: id, Name: spec.Name, Description: spec.Description, Capacity: max(capacity, 1), RealmID: spec.RealmID,
		State: deltacloud.VolumeAvailable, Created: time.Now().UTC().Truncate(time.Second)}
	if v.Name == "" {
		v.Name = "Volume" + id
	}
	if err := c.save(dirVolumes, id, v); err != nil {
		return nil, err
	}
	c.volumes[id] = v
	out := *v
	return &out, nil
}

func (c *Cloud) destroyVolume(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.volumes[id]
	if v == nil {
		return missing("storage volume", id)
	}
	if v.InstanceID != "" || v.State == deltacloud.VolumeInUse {
		return &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: deltacloud.State(v.State),
			Message: fmt.Sprintf("storage volume %s is attached to instance %s", id, v.InstanceID)}
	}
	if err := c.drop(dirVolumes, id); err != nil {
		return err
	}
	delete(c.volumes, id)
	return nil
}

// attachVolume attaches an AVAILABLE volume to a RUNNING visible instance
// at device, or at the first free /dev/sdf…/dev/sdz when device is empty.
func (c *Cloud) attachVolume(owner, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.volumes[id]
	if v == nil {
		return nil, missing("storage volume", id)
	}
	if v.State != deltacloud.VolumeAvailable || v.InstanceID != "" {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: deltacloud.State(v.State),
			Message: fmt.Sprintf("storage volume %s is %s; only an AVAILABLE volume can be attached", id, v.State)}
	}
	r, err := c.visible(owner, instanceID)
	if err != nil {
		return nil, err
	}
	if r.State != deltacloud.StateRunning {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: instanceID, State: r.State,
			Message: fmt.Sprintf("instance %s is %s; the mock attaches volumes to RUNNING instances only", instanceID, r.State)}
	}
	used := map[string]bool{}
	for _, o := range c.volumes {
		if o.InstanceID == instanceID {
			used[o.Device] = true
		}
	}
	if device == "" {
		for l := 'f'; l <= 'z' && device == ""; l++ {
			if d := "/dev/sd" + string(l); !used[d] {
				device = d
			}
		}
		if device == "" {
			return nil, &deltacloud.Error{Code: deltacloud.Conflict, ID: id,
				Message: fmt.Sprintf("instance %s has no free device left", instanceID)}
		}
	} else if used[device] {
		return nil, &deltacloud.Error{Code: deltacloud.Conflict, ID: id,
			Message: fmt.Sprintf("device %s of instance %s is in use", device, instanceID)}
	}
	nv := *v
	nv.State, nv.InstanceID, nv.Device = deltacloud.VolumeInUse, instanceID, device
	if err := c.save(dirVolumes, id, &nv); err != nil {
		return nil, err
	}
	*v = nv
	return &nv, nil
}

func (c *Cloud) detachVolume(id string) (*deltacloud.StorageVolume, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.volumes[id]
	if v == nil {
		return nil, missing("storage volume", id)
	}
	if v.InstanceID == "" && v.State != deltacloud.VolumeInUse {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: deltacloud.State(v.State),
			Message: fmt.Sprintf("storage volume %s is %s, not attached", id, v.State)}
	}
	nv := *v
	nv.State, nv.InstanceID, nv.Device = deltacloud.VolumeAvailable, "", ""
	if err := c.save(dirVolumes, id, &nv); err != nil {
		return nil, err
	}
	*v = nv
	return &nv, nil
}

func (c *Cloud) snapshotList() []deltacloud.StorageSnapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]deltacloud.StorageSnapshot, 0, len(c.snapshots))
	for _, s := range c.snapshots {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b deltacloud.StorageSnapshot) int { return compareIDs(a.ID, b.ID) })
	return out
}

// createSnapshot takes a COMPLETED snapshot of a volume: id
// store_snapshot_<unixtime>, named the spec's name or its id.
func (c *Cloud) createSnapshot(spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.volumes[spec.VolumeID] == nil {
		return nil, missing("storage volume", spec.VolumeID)
	}
	id := uniqueID("store_snapshot_", func(id string) bool { return c.snapshots[id] != nil })
	s := &snapshotRecord{ID: id, Name: spec.Name, Description: spec.Description, VolumeID: spec.VolumeID,
		State: deltacloud.SnapshotCompleted, Created: time.Now().UTC().Truncate(time.Second)}
	if s.Name == "" {
		s.Name = id
	}
	if err := c.save(dirSnapshots, id, s); err != nil {
		return nil, err
	}
	c.snapshots[id] = s
	out := *s
	return &out, nil
}

func (c *Cloud) destroySnapshot(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snapshots[id] == nil {
		return missing("storage snapshot", id)
	}
	if err := c.drop(dirSnapshots, id); err != nil {
		return err
	}
	delete(c.snapshots, id)
	return nil
}

// StorageVolumes lists the volumes, sorted by id.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	if err := c.begin(ctx, OpStorageVolumes); err != nil {
		return nil, err
	}
	return c.cloud.volumeList(), nil
}

// CreateStorageVolume creates an AVAILABLE volume.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	if err := c.begin(ctx, OpCreateStorageVolume); err != nil {
		return nil, err
	}
	return c.cloud.createVolume(spec)
}

// DestroyStorageVolume deletes a detached volume.
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDestroyStorageVolume); err != nil {
		return err
	}
	return c.cloud.destroyVolume(id)
}

// AttachStorageVolume attaches an AVAILABLE volume to a RUNNING instance.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	if err := c.begin(ctx, OpAttachStorageVolume); err != nil {
		return nil, err
	}
	return c.cloud.attachVolume(c.creds.User, id, instanceID, device)
}

// DetachStorageVolume makes an attached volume AVAILABLE again.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	if err := c.begin(ctx, OpDetachStorageVolume); err != nil {
		return nil, err
	}
	return c.cloud.detachVolume(id)
}

// StorageSnapshots lists the snapshots, sorted by id.
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	if err := c.begin(ctx, OpStorageSnapshots); err != nil {
		return nil, err
	}
	return c.cloud.snapshotList(), nil
}

// CreateStorageSnapshot takes a COMPLETED snapshot of a volume.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	if err := c.begin(ctx, OpCreateStorageSnapshot); err != nil {
		return nil, err
	}
	return c.cloud.createSnapshot(spec)
}

// DestroyStorageSnapshot deletes a snapshot.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDestroyStorageSnapshot); err != nil {
		return err
	}
	return c.cloud.destroySnapshot(id)
}
