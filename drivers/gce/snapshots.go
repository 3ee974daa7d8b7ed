package gce

import (
	"context"
	"time"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

func snapshotOf(s *compute.Snapshot) deltacloud.StorageSnapshot {
	out := deltacloud.StorageSnapshot{ID: s.Name, Name: s.Name, Description: s.Description, VolumeID: last(s.SourceDisk)}
	switch s.Status {
	case "CREATING", "UPLOADING":
		out.State = deltacloud.SnapshotPending
	case "READY":
		out.State = deltacloud.SnapshotCompleted
	case "DELETING":
		out.State = deltacloud.SnapshotPending
	default:
		out.State = deltacloud.SnapshotError
	}
	if t, err := time.Parse(time.RFC3339, s.CreationTimestamp); err == nil {
		out.Created = t
	}
	return out
}

// StorageSnapshots lists the owned disk snapshots.
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	var out []deltacloud.StorageSnapshot
	err := c.compute.Snapshots.List(c.scope.Project).Filter(c.ownerFilter()).Context(ctx).Pages(ctx, func(l *compute.SnapshotList) error {
		for _, s := range l.Items {
			if s.Labels[LabelOwner] == c.opts.owner {
				out = append(out, snapshotOf(s))
			}
		}
		return nil
	})
	return out, wrap(err)
}

// snapshot gets an owned snapshot.
func (c *conn) snapshot(ctx context.Context, id string) (*compute.Snapshot, error) {
	if !nameRE.MatchString(id) {
		return nil, notFound("storage snapshot", id)
	}
	s, err := c.compute.Snapshots.Get(c.scope.Project, id).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	if s.Labels[LabelOwner] != c.opts.owner {
		return nil, notFound("storage snapshot", id)
	}
	return s, nil
}

// StorageSnapshot gets one owned snapshot.
func (c *conn) StorageSnapshot(ctx context.Context, id string) (*deltacloud.StorageSnapshot, error) {
	s, err := c.snapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	out := snapshotOf(s)
	return &out, nil
}

// CreateStorageSnapshot snapshots a volume; the snapshot is named as asked
// (a valid Compute name) or "snap-…", and is PENDING until Compute has it.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	name, err := resourceName("snapshot", spec.Name, "snap")
	if err != nil {
		return nil, err
	}
	d, _, err := c.disk(ctx, spec.VolumeID)
	if err != nil {
		return nil, err
	}
	s := &compute.Snapshot{Name: name, Description: spec.Description, SourceDisk: d.SelfLink,
		Labels: map[string]string{LabelOwner: c.opts.owner}}
	if _, err := c.compute.Snapshots.Insert(c.scope.Project, s).Context(ctx).Do(); err != nil {
		return nil, wrap(err)
	}
	return c.StorageSnapshot(ctx, name)
}

// DestroyStorageSnapshot deletes an owned snapshot.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	if _, err := c.snapshot(ctx, id); err != nil {
		return err
	}
	op, err := c.compute.Snapshots.Delete(c.scope.Project, id).Context(ctx).Do()
	return c.wait(ctx, op, err)
}
