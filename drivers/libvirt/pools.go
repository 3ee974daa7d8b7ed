package libvirt

import (
	"fmt"
	"regexp"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/deltacloud-go/deltacloud"
)

// ownPrefix starts the name of every volume the driver makes; such
// volumes are never images.
const ownPrefix = "dc-"

// nameRE is what the driver accepts as a libvirt pool, network or volume
// name part: it needs no quoting anywhere and cannot climb directories.
var nameRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$`)

// volInfo is what the driver reads of a pool volume.
type volInfo struct {
	vol      golibvirt.StorageVol
	path     string
	format   string
	capacity uint64 // bytes
}

// pool looks a storage pool up; a missing one is an operator's mistake,
// reported as such.
func pool(lv *golibvirt.Libvirt, name string) (golibvirt.StoragePool, error) {
	p, err := lv.StoragePoolLookupByName(name)
	if isCode(err, golibvirt.ErrNoStoragePool) {
		return p, &deltacloud.Error{Code: deltacloud.Backend, Message: fmt.Sprintf("libvirt: storage pool %q does not exist (options image_pool, volume_pool)", name), Err: err}
	}
	return p, wrap(err)
}

// volume reads a volume of a pool by name; ErrNotFound names what as
// missing.
func volume(lv *golibvirt.Libvirt, p golibvirt.StoragePool, name, what string) (volInfo, error) {
	if !nameRE.MatchString(name) {
		return volInfo{}, notFound(what, name)
	}
	v, err := lv.StorageVolLookupByName(p, name)
	if isCode(err, golibvirt.ErrNoStorageVol) {
		return volInfo{}, notFound(what, name)
	}
	if err != nil {
		return volInfo{}, wrap(err)
	}
	return describeVolume(lv, v)
}

// describeVolume reads a volume's path, format and capacity.
func describeVolume(lv *golibvirt.Libvirt, v golibvirt.StorageVol) (volInfo, error) {
	doc, err := lv.StorageVolGetXMLDesc(v, 0)
	if err != nil {
		return volInfo{}, wrap(err)
	}
	var x libvirtxml.StorageVolume
	if err := x.Unmarshal(doc); err != nil {
		return volInfo{}, &deltacloud.Error{Code: deltacloud.Backend, Message: "libvirt: unreadable volume description", Err: err}
	}
	info := volInfo{vol: v}
	if x.Target != nil {
		info.path = x.Target.Path
		if x.Target.Format != nil {
			info.format = x.Target.Format.Type
		}
	}
	if x.Capacity != nil {
		info.capacity = scaleBytes(x.Capacity.Value, x.Capacity.Unit)
	}
	return info, nil
}

// scaleBytes applies a libvirt size unit (libvirt reports bytes).
func scaleBytes(v uint64, unit string) uint64 {
	switch unit {
	case "", "B", "bytes":
		return v
	case "KiB", "K", "k":
		return v << 10
	case "MiB", "M":
		return v << 20
	case "GiB", "G":
		return v << 30
	}
	return v
}

// deleteVolume deletes a volume of a pool by name; one already gone is
// not an error.
func deleteVolume(lv *golibvirt.Libvirt, p golibvirt.StoragePool, name string) error {
	v, err := lv.StorageVolLookupByName(p, name)
	if isCode(err, golibvirt.ErrNoStorageVol) {
		return nil
	}
	if err != nil {
		return wrap(err)
	}
	if err := lv.StorageVolDelete(v, golibvirt.StorageVolDeleteNormal); err != nil && !isCode(err, golibvirt.ErrNoStorageVol) {
		return wrap(err)
	}
	return nil
}
