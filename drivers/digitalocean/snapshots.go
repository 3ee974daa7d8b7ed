package digitalocean

import (
	"context"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// StorageSnapshots lists the volume snapshots carrying the owner tag.
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	ss, err := listAll(ctx, c, c.client.Snapshots.ListVolume)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.StorageSnapshot
	for _, s := range ss {
		if c.owns(s.Tags) {
			out = append(out, snapshotOf(s))
		}
	}
	return out, nil
}

// snapshotOf maps a volume snapshot; DigitalOcean keeps no description, and
// a snapshot it lists is complete.
func snapshotOf(s godo.Snapshot) deltacloud.StorageSnapshot {
	out := deltacloud.StorageSnapshot{ID: s.ID, Name: s.Name, VolumeID: s.ResourceID, State: deltacloud.SnapshotCompleted}
	if t, err := time.Parse(time.RFC3339, s.Created); err == nil {
		out.Created = t
	}
	return out
}

// snapshot reads a volume snapshot the provider owns.
func (c *conn) snapshot(ctx context.Context, id string) (*godo.Snapshot, error) {
	if !plainName(id, 64) {
		return nil, notFound("snapshot", id)
	}
	s, _, err := c.client.Snapshots.Get(ctx, id)
	if err != nil {
		return nil, c.wrapGet(err, "snapshot", id)
	}
	if s.ResourceType != "volume" || !c.owns(s.Tags) {
		return nil, notFound("snapshot", id)
	}
	return s, nil
}

// StorageSnapshot reads one volume snapshot.
func (c *conn) StorageSnapshot(ctx context.Context, id string) (*deltacloud.StorageSnapshot, error) {
	s, err := c.snapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	out := snapshotOf(*s)
	return &out, nil
}

// CreateStorageSnapshot snapshots one of the owner's volumes, named as asked
// or "<volume>-snap-<random>"; the description is sent, though DigitalOcean
// does not show it back.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	v, err := c.volume(ctx, spec.VolumeID)
	if err != nil {
		return nil, err
	}
	name := spec.Name
	if name == "" {
		name = v.Name + "-snap-" + randomHex(3)
	}
	s, _, err := c.client.Storage.CreateSnapshot(ctx, &godo.SnapshotCreateRequest{VolumeID: v.ID, Name: name,
		Description: spec.Description, Tags: []string{c.ownerTag}})
	if err != nil {
		return nil, c.wrap(err)
	}
	out := snapshotOf(*s)
	return &out, nil
}

// DestroyStorageSnapshot deletes a volume snapshot.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	if _, err := c.snapshot(ctx, id); err != nil {
		return err
	}
	_, err := c.client.Snapshots.Delete(ctx, id)
	return c.wrapGet(err, "snapshot", id)
}
