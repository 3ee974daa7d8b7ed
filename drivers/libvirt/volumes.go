package libvirt

import (
	"context"
	"regexp"
	"slices"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/deltacloud-go/deltacloud"
)

const (
	// DefaultVolumeGiB is the capacity of a volume created without one.
	DefaultVolumeGiB = 1
	// maxVolumeGiB bounds a requested capacity.
	maxVolumeGiB = 64 << 10
	gib          = 1 << 30
)

// deviceRE is a device storage volumes attach at: a SCSI disk.
var deviceRE = regexp.MustCompile(`^sd[a-z]$`)

// volumePrefix starts the names of the owner's storage volumes.
func (c *conn) volumePrefix() string { return ownPrefix + c.ownerHash + "-vol-" }

// attachment is where a volume is attached.
type attachment struct{ instance, device string }

// attachments maps the owner's attached volumes to their domains, from the
// domains' metadata.
func (c *conn) attachments(lv *golibvirt.Libvirt) (map[string]attachment, error) {
	doms, _, err := lv.ConnectListAllDomains(1, 0)
	if err != nil {
		return nil, wrap(err)
	}
	out := map[string]attachment{}
	for _, d := range doms {
		m, err := c.owned(lv, d)
		if err != nil {
			return nil, err
		}
		if m == nil {
			continue
		}
		for _, disk := range m.Disks {
			out[disk.Volume] = attachment{instance: formatUUID(d.UUID), device: disk.Device}
		}
	}
	return out, nil
}

// StorageVolumes lists the owner's volumes of the volume pool.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	h, err := c.facts(ctx)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.StorageVolume
	err = c.do(ctx, func(lv *golibvirt.Libvirt) error {
		infos, err := c.ownVolumes(lv, c.volumePrefix())
		if err != nil {
			return err
		}
		att, err := c.attachments(lv)
		if err != nil {
			return err
		}
		for _, info := range infos {
			out = append(out, c.storageVolume(h, info, att))
		}
		return nil
	})
	if err != nil {
		return nil, err // a cancelled call may still be filling out
	}
	return out, nil
}

// StorageVolume returns one of the owner's volumes.
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	h, err := c.facts(ctx)
	if err != nil {
		return nil, err
	}
	var v deltacloud.StorageVolume
	err = c.do(ctx, func(lv *golibvirt.Libvirt) error {
		info, err := c.ownVolume(lv, c.volumePrefix(), id, "storage volume")
		if err != nil {
			return err
		}
		att, err := c.attachments(lv)
		if err != nil {
			return err
		}
		v = c.storageVolume(h, info, att)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// storageVolume describes a volume.
func (c *conn) storageVolume(h *hostFacts, info volInfo, att map[string]attachment) deltacloud.StorageVolume {
	v := deltacloud.StorageVolume{
		ID: info.vol.Name, Name: strings.TrimSuffix(strings.TrimPrefix(info.vol.Name, c.volumePrefix()), ".qcow2"),
		Capacity: int((info.capacity + gib - 1) / gib), RealmID: h.hostname, State: deltacloud.VolumeAvailable, Kind: info.format,
	}
	if a, ok := att[info.vol.Name]; ok {
		v.State, v.InstanceID, v.Device = deltacloud.VolumeInUse, a.instance, "/dev/"+a.device
	}
	return v
}

// ownVolumes lists the volume pool's volumes whose names start with
// prefix.
func (c *conn) ownVolumes(lv *golibvirt.Libvirt, prefix string) ([]volInfo, error) {
	p, err := pool(lv, c.opts.volumePool)
	if err != nil {
		return nil, err
	}
	vols, _, err := lv.StoragePoolListAllVolumes(p, 1, 0)
	if err != nil {
		return nil, wrap(err)
	}
	var out []volInfo
	for _, v := range vols {
		if !strings.HasPrefix(v.Name, prefix) {
			continue
		}
		info, err := describeVolume(lv, v)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, info)
	}
	slices.SortFunc(out, func(a, b volInfo) int { return strings.Compare(a.vol.Name, b.vol.Name) })
	return out, nil
}

// ownVolume looks up one volume of the volume pool whose name starts with
// prefix; others are ErrNotFound.
func (c *conn) ownVolume(lv *golibvirt.Libvirt, prefix, id, what string) (volInfo, error) {
	if !strings.HasPrefix(id, prefix) {
		return volInfo{}, notFound(what, id)
	}
	p, err := pool(lv, c.opts.volumePool)
	if err != nil {
		return volInfo{}, err
	}
	return volume(lv, p, id, what)
}

// CreateStorageVolume makes an empty qcow2 volume, or a copy of a snapshot.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	h, err := c.facts(ctx)
	if err != nil {
		return nil, err
	}
	if spec.RealmID != "" && spec.RealmID != h.hostname {
		return nil, invalid("realm %q does not exist", spec.RealmID)
	}
	if spec.Capacity < 0 || spec.Capacity > maxVolumeGiB {
		return nil, invalid("capacity %d GB: want 1 to %d", spec.Capacity, maxVolumeGiB)
	}
	name := spec.Name
	if name == "" {
		if name, err = randomHex(4); err != nil {
			return nil, err
		}
	} else if !nameRE.MatchString(name) || len(name) > 48 {
		return nil, invalid("volume name %q: want 1-48 letters, digits, '.', '_' or '-'", name)
	}
	id := c.volumePrefix() + name + ".qcow2"
	err = c.makeVolume(ctx, id, func(lv *golibvirt.Libvirt, p golibvirt.StoragePool) error {
		capacity := uint64(max(spec.Capacity, 0)) * gib
		var src *volInfo
		if spec.SnapshotID != "" {
			info, err := c.ownVolume(lv, c.snapshotPrefix(), spec.SnapshotID, "storage snapshot")
			if err != nil {
				return err
			}
			src = &info
			capacity = max(capacity, info.capacity)
		} else if capacity == 0 {
			capacity = DefaultVolumeGiB * gib
		}
		return createVolume(lv, p, id, capacity, src)
	})
	if err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// makeVolume runs a volume's creation to its end whatever ctx does (an
// abandoned call could still make the volume), then deletes the volume
// again when ctx ended meanwhile. A taken name is ErrConflict.
func (c *conn) makeVolume(ctx context.Context, id string, create func(*golibvirt.Libvirt, golibvirt.StoragePool) error) error {
	lv, err := c.client(ctx)
	if err != nil {
		return err
	}
	p, err := pool(lv, c.opts.volumePool)
	if err != nil {
		return err
	}
	if err := create(lv, p); err != nil {
		if isCode(err, golibvirt.ErrStorageVolExist) {
			return &deltacloud.Error{Code: deltacloud.Conflict, ID: id, Message: "libvirt: a volume of that name exists", Err: err}
		}
		return wrap(err)
	}
	if err := ctx.Err(); err != nil {
		deleteVolume(lv, p, id)
		return err
	}
	return nil
}

// createVolume makes a qcow2 volume of a capacity, empty or as a copy of
// src.
func createVolume(lv *golibvirt.Libvirt, p golibvirt.StoragePool, name string, capacity uint64, src *volInfo) error {
	doc, err := (&libvirtxml.StorageVolume{
		Name:     name,
		Capacity: &libvirtxml.StorageVolumeSize{Value: capacity, Unit: "bytes"},
		Target:   &libvirtxml.StorageVolumeTarget{Format: &libvirtxml.StorageVolumeTargetFormat{Type: "qcow2"}},
	}).Marshal()
	if err != nil {
		return err
	}
	if src != nil {
		_, err = lv.StorageVolCreateXMLFrom(p, doc, src.vol, 0)
	} else {
		_, err = lv.StorageVolCreateXML(p, doc, 0)
	}
	return err
}

// detachedVolume looks up one of the owner's volumes that is attached to
// no domain; an attached one is ErrInvalidState.
func (c *conn) detachedVolume(lv *golibvirt.Libvirt, id string) (volInfo, error) {
	info, err := c.ownVolume(lv, c.volumePrefix(), id, "storage volume")
	if err != nil {
		return info, err
	}
	att, err := c.attachments(lv)
	if err != nil {
		return info, err
	}
	if a, ok := att[id]; ok {
		return info, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: deltacloud.State(deltacloud.VolumeInUse),
			Message: "libvirt: the volume is attached to instance " + a.instance}
	}
	return info, nil
}

// DestroyStorageVolume deletes a detached volume.
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	return c.do(ctx, func(lv *golibvirt.Libvirt) error {
		info, err := c.detachedVolume(lv, id)
		if err != nil {
			return err
		}
		return wrap(lv.StorageVolDelete(info.vol, golibvirt.StorageVolDeleteNormal))
	})
}

// AttachStorageVolume adds a volume to a domain as a SCSI disk, live when
// the domain runs and in its configuration, and records it in the
// domain's metadata.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	dev := strings.TrimPrefix(device, "/dev/")
	if dev != "" && !deviceRE.MatchString(dev) {
		return nil, invalid("device %q: want a SCSI disk, /dev/sdb to /dev/sdz", device)
	}
	unlock := c.lockDomain(instanceID)
	defer unlock()
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		d, m, err := c.lookup(lv, instanceID)
		if err != nil {
			return err
		}
		info, err := c.detachedVolume(lv, id)
		if err != nil {
			return err
		}
		used := func(dev string) bool {
			return slices.ContainsFunc(m.Disks, func(d metaDisk) bool { return d.Device == dev })
		}
		if dev == "" {
			for r := 'b'; r <= 'z' && dev == ""; r++ {
				if !used("sd" + string(r)) {
					dev = "sd" + string(r)
				}
			}
			if dev == "" {
				return &deltacloud.Error{Code: deltacloud.Conflict, Message: "libvirt: the instance has no free SCSI device"}
			}
		} else if used(dev) {
			return &deltacloud.Error{Code: deltacloud.Conflict, Message: "libvirt: device " + dev + " is in use"}
		}
		path, err := lv.StorageVolGetPath(info.vol)
		if err != nil {
			return wrap(err)
		}
		disk, err := diskXML(path, info.format, dev, "scsi")
		if err != nil {
			return err
		}
		flags, impact, err := affect(lv, d)
		if err != nil {
			return err
		}
		if err := lv.DomainAttachDeviceFlags(d, disk, flags); err != nil {
			return wrap(err)
		}
		m.Disks = append(m.Disks, metaDisk{Volume: id, Device: dev})
		if err := setMeta(lv, d, m, impact); err != nil {
			lv.DomainDetachDeviceFlags(d, disk, flags)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// DetachStorageVolume removes a volume from its domain, live and from its
// configuration.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	var instanceID string
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		if _, err := c.ownVolume(lv, c.volumePrefix(), id, "storage volume"); err != nil {
			return err
		}
		att, err := c.attachments(lv)
		if err != nil {
			return err
		}
		a, ok := att[id]
		if !ok {
			return &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: deltacloud.State(deltacloud.VolumeAvailable),
				Message: "libvirt: the volume is not attached"}
		}
		instanceID = a.instance
		return nil
	})
	if err != nil {
		return nil, err
	}
	unlock := c.lockDomain(instanceID)
	defer unlock()
	err = c.do(ctx, func(lv *golibvirt.Libvirt) error {
		d, m, err := c.lookup(lv, instanceID)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(m.Disks, func(d metaDisk) bool { return d.Volume == id })
		if i < 0 {
			return nil // detached meanwhile
		}
		p, err := pool(lv, c.opts.volumePool)
		if err != nil {
			return err
		}
		info, err := volume(lv, p, id, "storage volume")
		if err != nil {
			return err
		}
		disk, err := diskXML(info.path, info.format, m.Disks[i].Device, "scsi")
		if err != nil {
			return err
		}
		flags, impact, err := affect(lv, d)
		if err != nil {
			return err
		}
		if err := lv.DomainDetachDeviceFlags(d, disk, flags); err != nil && !isCode(err, golibvirt.ErrDeviceMissing) {
			return wrap(err)
		}
		m.Disks = slices.Delete(m.Disks, i, i+1)
		return setMeta(lv, d, m, impact)
	})
	if err != nil {
		return nil, err
	}
	return c.StorageVolume(ctx, id)
}

// affect returns the flags that change a domain live and in its
// configuration when it runs, and its configuration only when not.
func affect(lv *golibvirt.Libvirt, d golibvirt.Domain) (uint32, golibvirt.DomainModificationImpact, error) {
	active, err := lv.DomainIsActive(d)
	if err != nil {
		return 0, 0, wrap(err)
	}
	if active == 1 {
		return uint32(golibvirt.DomainDeviceModifyLive | golibvirt.DomainDeviceModifyConfig),
			golibvirt.DomainAffectLive | golibvirt.DomainAffectConfig, nil
	}
	return uint32(golibvirt.DomainDeviceModifyConfig), golibvirt.DomainAffectConfig, nil
}

// setMeta replaces a domain's metadata element.
func setMeta(lv *golibvirt.Libvirt, d golibvirt.Domain, m *meta, impact golibvirt.DomainModificationImpact) error {
	doc, err := m.marshal(true)
	if err != nil {
		return err
	}
	return wrap(lv.DomainSetMetadata(d, int32(golibvirt.DomainMetadataElement), golibvirt.OptString{doc},
		golibvirt.OptString{metadataKey}, golibvirt.OptString{MetadataURI}, impact))
}

var _ deltacloud.VolumeConn = (*conn)(nil)
