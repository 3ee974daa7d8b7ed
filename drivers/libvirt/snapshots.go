package libvirt

import (
	"context"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
)

// snapshotPrefix starts the names of the owner's snapshots.
func (c *conn) snapshotPrefix() string { return ownPrefix + c.ownerHash + "-snap-" }

// StorageSnapshots lists the owner's snapshots (full copies of volumes).
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	var out []deltacloud.StorageSnapshot
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		infos, err := c.ownVolumes(lv, c.snapshotPrefix())
		for _, info := range infos {
			out = append(out, c.snapshot(info.vol.Name))
		}
		return err
	})
	if err != nil {
		return nil, err // a cancelled call may still be filling out
	}
	return out, nil
}

// StorageSnapshot returns one snapshot.
func (c *conn) StorageSnapshot(ctx context.Context, id string) (*deltacloud.StorageSnapshot, error) {
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		_, err := c.ownVolume(lv, c.snapshotPrefix(), id, "storage snapshot")
		return err
	})
	if err != nil {
		return nil, err
	}
	s := c.snapshot(id)
	return &s, nil
}

// snapshot describes a snapshot by its name,
// "dc-<owner hash>-snap-<random>-<volume name part>".
func (c *conn) snapshot(id string) deltacloud.StorageSnapshot {
	rest := strings.TrimPrefix(id, c.snapshotPrefix())
	_, vol, _ := strings.Cut(rest, "-")
	return deltacloud.StorageSnapshot{ID: id, Name: id, VolumeID: c.volumePrefix() + vol, State: deltacloud.SnapshotCompleted}
}

// CreateStorageSnapshot copies a volume (virStorageVolCreateXMLFrom). A
// volume attached to a running domain is copied as it is on disk, like a
// power cut would leave it. Snapshots have no name or description of
// their own.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	if spec.Name != "" || spec.Description != "" {
		return nil, notSupported("libvirt snapshots have no name or description")
	}
	suffix, err := randomHex(4)
	if err != nil {
		return nil, err
	}
	vol := strings.TrimPrefix(spec.VolumeID, c.volumePrefix())
	id := c.snapshotPrefix() + suffix + "-" + vol
	err = c.makeVolume(ctx, id, func(lv *golibvirt.Libvirt, p golibvirt.StoragePool) error {
		src, err := c.ownVolume(lv, c.volumePrefix(), spec.VolumeID, "storage volume")
		if err != nil {
			return err
		}
		return createVolume(lv, p, id, src.capacity, &src)
	})
	if err != nil {
		return nil, err
	}
	s := c.snapshot(id)
	return &s, nil
}

// DestroyStorageSnapshot deletes a snapshot.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	return c.do(ctx, func(lv *golibvirt.Libvirt) error {
		info, err := c.ownVolume(lv, c.snapshotPrefix(), id, "storage snapshot")
		if err != nil {
			return err
		}
		return wrap(lv.StorageVolDelete(info.vol, golibvirt.StorageVolDeleteNormal))
	})
}

var _ deltacloud.SnapshotConn = (*conn)(nil)
