package openstack

import (
	"context"
	"time"

	"github.com/gophercloud/gophercloud/v2/openstack/blockstorage/v3/volumes"

	"github.com/deltacloud-go/deltacloud"
)

// DefaultVolumeCapacity is the size in GB of a volume created without a
// capacity or a snapshot.
const DefaultVolumeCapacity = 1

// cinder returns the authenticated services with their Cinder client, or
// ErrNotSupported when the catalog has no block-storage endpoint.
func (c *conn) cinder(ctx context.Context) (*services, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	if s.volume == nil {
		return nil, s.volumeErr
	}
	return s, nil
}

// StorageVolumes lists the project's Cinder volumes that carry the
// owner's metadata (all pages).
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	list, err := allVolumes(ctx, s)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.StorageVolume
	for i := range list {
		if list[i].Metadata[MetaOwner] == c.opts.owner {
			out = append(out, volumeOf(&list[i]))
		}
	}
	return out, nil
}

// allVolumes lists every volume of the project, owned or not.
func allVolumes(ctx context.Context, s *services) ([]volumes.Volume, error) {
	pages, err := volumes.List(s.volume, volumes.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := volumes.ExtractVolumes(pages)
	return list, wrap(err)
}

// StorageVolume fetches one owned volume; another's is ErrNotFound.
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	v, err := c.getVolume(ctx, s, id)
	if err != nil {
		return nil, err
	}
	out := volumeOf(v)
	return &out, nil
}

// getVolume fetches an owned volume.
func (c *conn) getVolume(ctx context.Context, s *services, id string) (*volumes.Volume, error) {
	v, err := volumes.Get(ctx, s.volume, id).Extract()
	if isNotFound(err) || (err == nil && v.Metadata[MetaOwner] != c.opts.owner) {
		return nil, notFound("volume", id)
	}
	return v, wrap(err)
}

// CreateStorageVolume creates a Cinder volume with the owner's metadata
// and returns it as Cinder first answers (CREATING). A create whose ctx
// ends before the answer deletes, in the background, whatever it made.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	if len(spec.Name) > 255 || len(spec.Description) > 255 {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: Cinder takes names and descriptions of at most 255 bytes")
	}
	size := spec.Capacity
	if size == 0 && spec.SnapshotID == "" {
		size = DefaultVolumeCapacity
	}
	token := newToken()
	opts := volumes.CreateOpts{Name: spec.Name, Description: spec.Description, Size: size,
		AvailabilityZone: spec.RealmID, SnapshotID: spec.SnapshotID,
		Metadata: map[string]string{MetaOwner: c.opts.owner, metaCreate: token}}
	v, err := volumes.Create(ctx, s.volume, opts, nil).Extract()
	if err != nil {
		if ctx.Err() != nil {
			c.reap(ctx, func(ctx context.Context) (string, bool, bool, error) {
				list, err := allVolumes(ctx, s)
				for i := range list {
					if v := &list[i]; v.Metadata[metaCreate] == token {
						return v.ID, MapVolumeState(v.Status) != deltacloud.VolumeCreating, true, nil
					}
				}
				return "", false, false, err
			}, func(ctx context.Context, id string) error { return volumes.Delete(ctx, s.volume, id, nil).ExtractErr() })
			return nil, ctx.Err()
		}
		if spec.SnapshotID != "" && (isNotFound(err) || badField(err, "snapshot_id")) {
			// Cinder's schema refuses an id that is no UUID (400): no
			// snapshot has it either.
			return nil, notFound("snapshot", spec.SnapshotID)
		}
		return nil, wrap(err)
	}
	out := volumeOf(v)
	return &out, nil
}

// DestroyStorageVolume deletes an owned volume; Cinder's refusal of an
// attached or busy volume (400) is ErrInvalidState.
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	s, err := c.cinder(ctx)
	if err != nil {
		return err
	}
	if _, err := c.getVolume(ctx, s, id); err != nil {
		return err
	}
	err = volumes.Delete(ctx, s.volume, id, nil).ExtractErr()
	if isNotFound(err) {
		return notFound("volume", id)
	}
	return stateOn400(err, id)
}

// cinderTime is a Cinder created_at in whole seconds: Cinder answers a
// create with the microseconds of a time its MySQL DATETIME columns do not
// keep, so every later read has .000000; whole seconds on both paths make
// a create's answer agree with what is read back.
func cinderTime(t time.Time) time.Time { return t.Truncate(time.Second) }

// volumeOf maps a Cinder volume (see the package doc).
func volumeOf(v *volumes.Volume) deltacloud.StorageVolume {
	out := deltacloud.StorageVolume{ID: v.ID, Name: v.Name, Description: v.Description, Capacity: v.Size,
		RealmID: v.AvailabilityZone, State: MapVolumeState(v.Status), Created: cinderTime(v.CreatedAt), Kind: v.VolumeType}
	if len(v.Attachments) > 0 {
		out.InstanceID, out.Device = v.Attachments[0].ServerID, v.Attachments[0].Device
	}
	return out
}

// MapVolumeState maps Cinder's volume status (see the package doc).
func MapVolumeState(status string) deltacloud.VolumeState {
	switch status {
	case "creating", "downloading", "restoring-backup":
		return deltacloud.VolumeCreating
	case "available":
		return deltacloud.VolumeAvailable
	case "reserved", "attaching", "in-use", "detaching":
		return deltacloud.VolumeInUse
	case "deleting":
		return deltacloud.VolumeDeleting
	case "error", "error_deleting", "error_backing-up", "error_restoring", "error_extending", "error_managing":
		return deltacloud.VolumeError
	}
	// Transient statuses of an operation on the volume (extending,
	// retyping, uploading, backing-up, maintenance, awaiting-transfer):
	// the volume takes no new operation until it is back.
	return deltacloud.VolumeCreating
}
