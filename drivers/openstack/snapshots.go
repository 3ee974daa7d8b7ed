package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/snapshots"

	"github.com/deltacloud-go/deltacloud"
)

// StorageSnapshots lists the project's Cinder snapshots that carry the
// owner's metadata (all pages).
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := snapshots.List(s.volume, snapshots.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := snapshots.ExtractSnapshots(pages)
	if err != nil {
		return nil, wrap(err)
	}
	var out []deltacloud.StorageSnapshot
	for i := range list {
		if list[i].Metadata[MetaOwner] == c.opts.owner {
			out = append(out, snapshotOf(&list[i]))
		}
	}
	return out, nil
}

// StorageSnapshot fetches one owned snapshot; another's is ErrNotFound.
func (c *conn) StorageSnapshot(ctx context.Context, id string) (*deltacloud.StorageSnapshot, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	sn, err := c.getSnapshot(ctx, s, id)
	if err != nil {
		return nil, err
	}
	out := snapshotOf(sn)
	return &out, nil
}

// getSnapshot fetches an owned snapshot.
func (c *conn) getSnapshot(ctx context.Context, s *services, id string) (*snapshots.Snapshot, error) {
	sn, err := snapshots.Get(ctx, s.volume, id).Extract()
	if isNotFound(err) || (err == nil && sn.Metadata[MetaOwner] != c.opts.owner) {
		return nil, notFound("snapshot", id)
	}
	return sn, wrap(err)
}

// CreateStorageSnapshot snapshots an owned volume (force, so an attached
// volume can be snapshotted too) with the owner's metadata. A create
// whose ctx ends before Cinder answers deletes, in the background, the
// snapshot it made.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	if len(spec.Name) > 255 || len(spec.Description) > 255 {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: Cinder takes names and descriptions of at most 255 bytes")
	}
	if _, err := c.getVolume(ctx, s, spec.VolumeID); err != nil {
		return nil, err
	}
	token := newToken()
	opts := snapshots.CreateOpts{VolumeID: spec.VolumeID, Name: spec.Name, Description: spec.Description, Force: true,
		Metadata: map[string]string{MetaOwner: c.opts.owner, metaCreate: token}}
	sn, err := snapshots.Create(ctx, s.volume, opts).Extract()
	if err != nil {
		if ctx.Err() != nil {
			c.reap(ctx, func(ctx context.Context) (string, bool, bool, error) {
				pages, err := snapshots.List(s.volume, snapshots.ListOpts{VolumeID: spec.VolumeID}).AllPages(ctx)
				if err != nil {
					return "", false, false, err
				}
				list, err := snapshots.ExtractSnapshots(pages)
				for i := range list {
					if sn := &list[i]; sn.Metadata[metaCreate] == token {
						return sn.ID, sn.Status != "creating", true, nil
					}
				}
				return "", false, false, err
			}, func(ctx context.Context, id string) error { return snapshots.Delete(ctx, s.volume, id).ExtractErr() })
			return nil, ctx.Err()
		}
		if isNotFound(err) {
			return nil, notFound("volume", spec.VolumeID)
		}
		return nil, stateOn400(err, spec.VolumeID)
	}
	out := snapshotOf(sn)
	return &out, nil
}

// DestroyStorageSnapshot deletes an owned snapshot; one Cinder is still
// making is ErrInvalidState.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	s, err := c.cinder(ctx)
	if err != nil {
		return err
	}
	if _, err := c.getSnapshot(ctx, s, id); err != nil {
		return err
	}
	err = snapshots.Delete(ctx, s.volume, id).ExtractErr()
	if isNotFound(err) {
		return notFound("snapshot", id)
	}
	return stateOn400(err, id)
}

// snapshotOf maps a Cinder snapshot.
func snapshotOf(s *snapshots.Snapshot) deltacloud.StorageSnapshot {
	return deltacloud.StorageSnapshot{ID: s.ID, Name: s.Name, Description: s.Description, VolumeID: s.VolumeID,
		State: MapSnapshotState(s.Status), Created: cinderTime(s.CreatedAt)}
}

// MapSnapshotState maps Cinder's snapshot status (see the package doc).
func MapSnapshotState(status string) deltacloud.SnapshotState {
	switch status {
	case "available", "backing-up", "restoring", "unmanaging":
		return deltacloud.SnapshotCompleted
	case "error", "error_deleting":
		return deltacloud.SnapshotError
	}
	// creating, deleting
	return deltacloud.SnapshotPending
}
