package vsphere

import (
	"context"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vslm"

	"github.com/deltacloud-go/deltacloud"
)

// maxSnapshotText bounds a snapshot's name and description.
const maxSnapshotText = 1024

// Storage snapshots are the snapshots of the owner's first class disks,
// each a snapshot of one volume. A snapshot's id is "<volume id>.<snapshot
// id>"; vSphere keeps one text per snapshot, its description, which is
// the requested description (or name) and shows as both.

// snapshotID joins a volume's and a snapshot's ids.
func snapshotID(volume, snap string) string { return volume + "." + snap }

// splitSnapshotID takes a snapshot id apart.
func splitSnapshotID(id string) (volume, snap string, ok bool) {
	volume, snap, ok = strings.Cut(id, ".")
	return volume, snap, ok && volume != "" && snap != "" && morefRE.MatchString(volume) && morefRE.MatchString(snap)
}

// snapshotsOf lists one disk's snapshots.
func (c *conn) snapshotsOf(ctx context.Context, s *state, f fcd) ([]deltacloud.StorageSnapshot, error) {
	info, err := vslm.NewObjectManager(s.c).RetrieveSnapshotInfo(ctx, f.ds, f.id())
	if err != nil {
		return nil, c.fail(s, err)
	}
	out := make([]deltacloud.StorageSnapshot, 0, len(info.Snapshots))
	for _, sn := range info.Snapshots {
		if sn.Id == nil {
			continue
		}
		out = append(out, deltacloud.StorageSnapshot{
			ID: snapshotID(f.id(), sn.Id.Id), Name: sn.Description, Description: sn.Description,
			VolumeID: f.id(), State: deltacloud.SnapshotCompleted, Created: sn.CreateTime,
		})
	}
	return out, nil
}

// StorageSnapshots lists the snapshots of the owner's volumes.
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	s, fs, err := c.ownedDisks(ctx)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.StorageSnapshot
	for _, f := range fs {
		sns, err := c.snapshotsOf(ctx, s, f)
		if err != nil {
			return nil, err
		}
		out = append(out, sns...)
	}
	return out, nil
}

// StorageSnapshot returns one snapshot of the owner's volumes.
func (c *conn) StorageSnapshot(ctx context.Context, id string) (*deltacloud.StorageSnapshot, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	_, sn, err := c.snapshot(ctx, s, id)
	return sn, err
}

func (c *conn) snapshot(ctx context.Context, s *state, id string) (*fcd, *deltacloud.StorageSnapshot, error) {
	volume, _, ok := splitSnapshotID(id)
	if !ok {
		return nil, nil, notFound("snapshot", id)
	}
	f, err := c.fcd(ctx, s, volume)
	if deltacloud.CodeOf(err) == deltacloud.NotFound {
		return nil, nil, notFound("snapshot", id)
	}
	if err != nil {
		return nil, nil, err
	}
	sns, err := c.snapshotsOf(ctx, s, *f)
	if err != nil {
		return nil, nil, err
	}
	for i := range sns {
		if sns[i].ID == id {
			return f, &sns[i], nil
		}
	}
	return nil, nil, notFound("snapshot", id)
}

// CreateStorageSnapshot snapshots a volume. A cancelled create deletes the
// snapshot once its task is over.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	desc := spec.Description
	if desc == "" {
		desc = spec.Name
	}
	if len(desc) > maxSnapshotText {
		return nil, invalid("snapshot description is %d bytes long; at most %d", len(desc), maxSnapshotText)
	}
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	f, err := c.fcd(ctx, s, spec.VolumeID)
	if err != nil {
		return nil, err
	}
	m := vslm.NewObjectManager(s.c)
	task, err := m.CreateSnapshot(ctx, f.ds, f.id(), desc)
	if err != nil {
		return nil, c.fail(s, err)
	}
	info, err := task.WaitForResult(ctx)
	if err != nil {
		if info == nil || info.State != types.TaskInfoStateError {
			c.deleteSnapshotLater(ctx, s, task, *f)
		}
		return nil, c.fail(s, err)
	}
	sid, ok := resultID(info.Result)
	if !ok {
		return nil, deltacloud.Errorf(deltacloud.Backend, "vsphere: the snapshot task returned no snapshot")
	}
	_, sn, err := c.snapshot(ctx, s, snapshotID(f.id(), sid))
	return sn, err
}

// resultID reads the id a snapshot task returns.
func resultID(r types.AnyType) (string, bool) {
	switch id := r.(type) {
	case types.ID:
		return id.Id, id.Id != ""
	case *types.ID:
		return id.Id, id != nil && id.Id != ""
	}
	return "", false
}

// deleteSnapshotLater deletes, in the background, the snapshot a task
// whose wait was abandoned makes; Close waits for it.
func (c *conn) deleteSnapshotLater(ctx context.Context, s *state, task *object.Task, f fcd) {
	c.undoTask(ctx, task, func(ctx context.Context, result types.AnyType) error {
		sid, ok := resultID(result)
		if !ok {
			return nil
		}
		return c.wait(ctx, s, func() (*object.Task, error) { return vslm.NewObjectManager(s.c).DeleteSnapshot(ctx, f.ds, f.id(), sid) })
	})
}

// DestroyStorageSnapshot deletes a snapshot.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	s, err := c.session(ctx)
	if err != nil {
		return err
	}
	f, _, err := c.snapshot(ctx, s, id)
	if err != nil {
		return err
	}
	_, sid, _ := splitSnapshotID(id)
	return c.wait(ctx, s, func() (*object.Task, error) {
		return vslm.NewObjectManager(s.c).DeleteSnapshot(ctx, f.ds, f.id(), sid)
	})
}
