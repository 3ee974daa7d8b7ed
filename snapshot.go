package deltacloud

import (
	"context"
	"time"
)

// SnapshotState is a storage snapshot's state.
type SnapshotState string

// The storage snapshot states.
const (
	SnapshotPending   SnapshotState = "PENDING"
	SnapshotCompleted SnapshotState = "COMPLETED"
	SnapshotError     SnapshotState = "ERROR"
)

// StorageSnapshot is a point-in-time copy of a storage volume.
type StorageSnapshot struct {
	ID          string
	Name        string
	Description string
	VolumeID    string
	State       SnapshotState
	Created     time.Time
}

// StorageSnapshotSpec describes a snapshot to take; VolumeID is required.
type StorageSnapshotSpec struct {
	VolumeID    string
	Name        string
	Description string
}

// StorageSnapshots lists the snapshots.
func (p *Provider) StorageSnapshots(ctx context.Context) ([]StorageSnapshot, error) {
	return list(ctx, p, "StorageSnapshots", CollectionStorageSnapshots, func(c SnapshotConn) ([]StorageSnapshot, error) {
		return c.StorageSnapshots(ctx)
	})
}

// StorageSnapshot returns one snapshot; an unknown id is ErrNotFound.
func (p *Provider) StorageSnapshot(ctx context.Context, id string) (*StorageSnapshot, error) {
	if err := requireID("StorageSnapshot", "snapshot", id); err != nil {
		return nil, err
	}
	if _, ok := p.conn.(StorageSnapshotGetter); ok {
		return one(ctx, p, "StorageSnapshot", id, CollectionStorageSnapshots, func(c StorageSnapshotGetter) (*StorageSnapshot, error) {
			return c.StorageSnapshot(ctx, id)
		})
	}
	ss, err := p.StorageSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	return findByID(ss, "StorageSnapshot", id, func(s StorageSnapshot) string { return s.ID })
}

// CreateStorageSnapshot snapshots a volume; an unknown volume is
// ErrNotFound.
func (p *Provider) CreateStorageSnapshot(ctx context.Context, spec StorageSnapshotSpec) (*StorageSnapshot, error) {
	const op = "CreateStorageSnapshot"
	if err := requireID(op, "volume", spec.VolumeID); err != nil {
		return nil, err
	}
	if _, ok := p.conn.(VolumeConn); ok && p.serves(CollectionStorageVolumes) {
		if _, err := p.volumeFor(ctx, op, spec.VolumeID); err != nil {
			return nil, err
		}
	}
	return one(ctx, p, op, spec.VolumeID, CollectionStorageSnapshots, func(c SnapshotConn) (*StorageSnapshot, error) {
		return c.CreateStorageSnapshot(ctx, spec)
	})
}

// DestroyStorageSnapshot deletes a snapshot.
func (p *Provider) DestroyStorageSnapshot(ctx context.Context, id string) error {
	if err := requireID("DestroyStorageSnapshot", "snapshot", id); err != nil {
		return err
	}
	return do(ctx, p, "DestroyStorageSnapshot", id, CollectionStorageSnapshots, func(c SnapshotConn) error {
		return c.DestroyStorageSnapshot(ctx, id)
	})
}
