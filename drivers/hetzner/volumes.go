package hetzner

import (
	"context"
	"strconv"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// The bounds of a volume's size in GB.
const (
	MinVolumeSize     = 10
	MaxVolumeSize     = 10240
	DefaultVolumeSize = MinVolumeSize
)

// StorageVolumes lists the volumes carrying the ownership label.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	vs, err := c.client.Volume.AllWithOpts(ctx, hcloud.VolumeListOpts{ListOpts: hcloud.ListOpts{LabelSelector: c.ownerSelector()}})
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.StorageVolume, 0, len(vs))
	for _, v := range vs {
		out = append(out, volumeOf(v))
	}
	return out, nil
}

// StorageVolume reads one volume.
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	v, err := c.ownedVolume(ctx, id)
	if err != nil {
		return nil, err
	}
	out := volumeOf(v)
	return &out, nil
}

func (c *conn) ownedVolume(ctx context.Context, id string) (*hcloud.Volume, error) {
	n, err := c.parseID(ctx, "volume", id)
	if err != nil {
		return nil, err
	}
	v, _, err := c.client.Volume.GetByID(ctx, n)
	if err != nil {
		return nil, wrap(err)
	}
	if v == nil || !c.owned(v.Labels) {
		return nil, notFound("volume", id)
	}
	return v, nil
}

func volumeOf(v *hcloud.Volume) deltacloud.StorageVolume {
	out := deltacloud.StorageVolume{ID: strconv.FormatInt(v.ID, 10), Name: v.Name,
		Description: textFromLabels(v.Labels, LabelDescription), Capacity: v.Size, Created: v.Created, Kind: "volume"}
	if v.Location != nil {
		out.RealmID = v.Location.Name
	}
	switch {
	case v.Status == hcloud.VolumeStatusCreating:
		out.State = deltacloud.VolumeCreating
	case v.Server != nil:
		out.State = deltacloud.VolumeInUse
		out.InstanceID = strconv.FormatInt(v.Server.ID, 10)
		out.Device = volumeDevice(v.ID)
	case v.Status == hcloud.VolumeStatusAvailable:
		out.State = deltacloud.VolumeAvailable
	default:
		out.State = deltacloud.VolumeError
	}
	return out
}

// CreateStorageVolume creates a volume in the spec's realm (the provider's
// location without one) and waits until it is available; if that fails,
// or the context ends, the volume is deleted.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	if spec.SnapshotID != "" {
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "hetzner: volumes cannot be made from snapshots")
	}
	size := spec.Capacity
	if size == 0 {
		size = DefaultVolumeSize
	}
	if size < MinVolumeSize || size > MaxVolumeSize {
		return nil, invalid("capacity %d GB: Hetzner volumes are %d to %d GB", size, MinVolumeSize, MaxVolumeSize)
	}
	name := spec.Name
	if name == "" {
		name = "vol-" + randomSuffix(10)
	}
	if err := checkText("the description", spec.Description); err != nil {
		return nil, err
	}
	loc := spec.RealmID
	if loc == "" {
		loc = c.location
	}
	labels := c.ownerLabels()
	textLabels(labels, LabelDescription, spec.Description)
	res, _, err := c.client.Volume.Create(ctx, hcloud.VolumeCreateOpts{Name: name, Size: size,
		Location: &hcloud.Location{Name: loc}, Labels: labels})
	if err != nil {
		c.cutOff(ctx, func(ctx context.Context) bool {
			v, _, err := c.client.Volume.GetByName(ctx, name)
			if err != nil || v == nil || !c.owned(v.Labels) {
				return false
			}
			c.deleteVolume(ctx, v.ID)
			return true
		})
		return nil, wrap(err)
	}
	id := res.Volume.ID
	undo := func(ctx context.Context) { c.deleteVolume(ctx, id) }
	if err := c.wait(ctx, append([]*hcloud.Action{res.Action}, res.NextActions...)...); err != nil {
		c.undo(ctx, undo)
		return nil, err
	}
	v, err := c.StorageVolume(ctx, strconv.FormatInt(id, 10))
	if err != nil {
		c.undo(ctx, undo)
		return nil, err
	}
	return v, nil
}

// DestroyStorageVolume deletes a volume.
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	v, err := c.ownedVolume(ctx, id)
	if err != nil {
		return err
	}
	_, err = c.client.Volume.Delete(ctx, v)
	return wrap(err)
}

// AttachStorageVolume attaches a volume to a server and waits for it; the
// device is Hetzner's, whatever was asked.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, _ string) (*deltacloud.StorageVolume, error) {
	v, err := c.ownedVolume(ctx, id)
	if err != nil {
		return nil, err
	}
	s, err := c.ownedServer(ctx, instanceID)
	if err != nil {
		return nil, err
	}
	act, _, err := c.client.Volume.AttachWithOpts(ctx, v, hcloud.VolumeAttachOpts{Server: s, Automount: hcloud.Ptr(false)})
	if err != nil {
		return nil, wrap(err)
	}
	if err := c.wait(ctx, act); err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// DetachStorageVolume detaches a volume and waits for it.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	v, err := c.ownedVolume(ctx, id)
	if err != nil {
		return nil, err
	}
	act, _, err := c.client.Volume.Detach(ctx, v)
	if err != nil {
		return nil, wrap(err)
	}
	if err := c.wait(ctx, act); err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

var (
	_ deltacloud.VolumeConn          = (*conn)(nil)
	_ deltacloud.StorageVolumeGetter = (*conn)(nil)
)

// deleteVolume deletes a volume once its actions have ended (a clean-up).
func (c *conn) deleteVolume(ctx context.Context, id int64) {
	c.whileLocked(ctx, func(ctx context.Context) error {
		_, err := c.client.Volume.Delete(ctx, &hcloud.Volume{ID: id})
		return err
	})
}
