package digitalocean

import (
	"context"
	"strconv"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// DefaultVolumeGB is the size of a new volume when the spec names none.
const DefaultVolumeGB = 10

// maxVolumeGB is DigitalOcean's largest volume (16 TiB).
const maxVolumeGB = 16 << 10

// DevicePrefix + a volume's name is where the droplet's OS finds it.
const DevicePrefix = "/dev/disk/by-id/scsi-0DO_Volume_"

// StorageVolumes lists the block storage volumes carrying the owner tag.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	vs, err := c.volumes(ctx)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.StorageVolume
	for _, v := range vs {
		if c.owns(v.Tags) {
			out = append(out, volumeOf(v))
		}
	}
	return out, nil
}

func (c *conn) volumes(ctx context.Context) ([]godo.Volume, error) {
	return listAll(ctx, c, func(ctx context.Context, opt *godo.ListOptions) ([]godo.Volume, *godo.Response, error) {
		return c.client.Storage.ListVolumes(ctx, &godo.ListVolumeParams{ListOptions: opt})
	})
}

func volumeOf(v godo.Volume) deltacloud.StorageVolume {
	out := deltacloud.StorageVolume{ID: v.ID, Name: v.Name, Description: v.Description, Capacity: int(v.SizeGigaBytes),
		State: deltacloud.VolumeAvailable, Created: v.CreatedAt, Kind: "block"}
	if v.Region != nil {
		out.RealmID = v.Region.Slug
	}
	if len(v.DropletIDs) > 0 {
		out.State, out.InstanceID, out.Device = deltacloud.VolumeInUse, strconv.Itoa(v.DropletIDs[0]), DevicePrefix+v.Name
	}
	return out
}

// volume reads a volume the provider owns.
func (c *conn) volume(ctx context.Context, id string) (*godo.Volume, error) {
	if !plainName(id, 64) {
		return nil, notFound("volume", id)
	}
	v, _, err := c.client.Storage.GetVolume(ctx, id)
	if err != nil {
		return nil, c.wrapGet(err, "volume", id)
	}
	if !c.owns(v.Tags) {
		return nil, notFound("volume", id)
	}
	return v, nil
}

// StorageVolume reads one volume.
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	v, err := c.volume(ctx, id)
	if err != nil {
		return nil, err
	}
	out := volumeOf(*v)
	return &out, nil
}

// CreateStorageVolume creates a volume in the spec's realm or the provider's
// region: capacity in GB (default DefaultVolumeGB, or the snapshot's size),
// name (volume_name: lower-case letters, digits and dashes, starting with a
// letter, at most 64; default "vol-<random>") and description.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	name := spec.Name
	if name == "" {
		name = "vol-" + randomHex(4)
	}
	if !volumeName(name) {
		return nil, invalid("volume name %q: want lower-case letters, digits and dashes, starting with a letter, at most 64", truncate(name, 80))
	}
	size := spec.Capacity
	switch {
	case size < 0 || size > maxVolumeGB:
		return nil, invalid("capacity %d GB: want 1 to %d", size, maxVolumeGB)
	case size == 0 && spec.SnapshotID == "":
		size = DefaultVolumeGB
	}
	if spec.SnapshotID != "" {
		if _, err := c.snapshot(ctx, spec.SnapshotID); err != nil {
			return nil, err
		}
	}
	v, _, err := c.client.Storage.CreateVolume(ctx, &godo.VolumeCreateRequest{Region: cmpOr(spec.RealmID, c.region),
		Name: name, Description: spec.Description, SizeGigaBytes: int64(size), SnapshotID: spec.SnapshotID,
		Tags: []string{c.ownerTag}})
	if err != nil {
		return nil, c.wrap(err)
	}
	out := volumeOf(*v)
	return &out, nil
}

func volumeName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// DestroyStorageVolume deletes a detached volume.
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	v, err := c.volume(ctx, id)
	if err != nil {
		return err
	}
	if len(v.DropletIDs) > 0 {
		return &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: deltacloud.State(deltacloud.VolumeInUse),
			Message: "digitalocean: the volume is attached"}
	}
	_, err = c.client.Storage.DeleteVolume(ctx, id)
	return c.wrapGet(err, "volume", id)
}

// AttachStorageVolume attaches a volume to one of the provider's droplets
// and waits for the action. DigitalOcean chooses the device: the volume
// appears as DevicePrefix + its name, whatever device was asked for.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	v, err := c.volume(ctx, id)
	if err != nil {
		return nil, err
	}
	d, err := c.droplet(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	act, _, err := c.client.StorageActions.Attach(ctx, v.ID, d.ID)
	if err := c.awaitVolume(ctx, v.ID, act, err); err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// DetachStorageVolume detaches a volume from its droplet and waits.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	v, err := c.volume(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(v.DropletIDs) == 0 {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: deltacloud.State(deltacloud.VolumeAvailable),
			Message: "digitalocean: the volume is not attached"}
	}
	act, _, err := c.client.StorageActions.DetachByDropletID(ctx, v.ID, v.DropletIDs[0])
	if err := c.awaitVolume(ctx, v.ID, act, err); err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// awaitVolume waits for a volume action that start answered; a refusal
// (422: attached elsewhere, not attached) is ErrInvalidState.
func (c *conn) awaitVolume(ctx context.Context, id string, act *godo.Action, err error) error {
	if err != nil {
		if classify(err) == deltacloud.InvalidArgument {
			return &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, Message: "digitalocean: volume action refused", Err: c.wrap(err)}
		}
		return c.wrap(err)
	}
	return c.await(ctx, act, func(ctx context.Context, aid int) (*godo.Action, *godo.Response, error) {
		return c.client.StorageActions.Get(ctx, id, aid)
	})
}

// volumeDevices maps the ids of the owner's volumes to their devices, for
// the attachments an instance lists; it lists volumes only when a droplet
// has any.
func (c *conn) volumeDevices(ctx context.Context, ds []godo.Droplet) (map[string]string, error) {
	any := false
	for _, d := range ds {
		any = any || len(d.VolumeIDs) > 0
	}
	if !any {
		return nil, nil
	}
	vs, err := c.volumes(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(vs))
	for _, v := range vs {
		out[v.ID] = DevicePrefix + v.Name
	}
	return out, nil
}
