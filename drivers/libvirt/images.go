package libvirt

import (
	"context"
	"fmt"
	"strings"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
)

// imageFormats are the volume formats offered as images.
var imageFormats = []string{"qcow2", "raw"}

// Images lists the raw and qcow2 volumes of the image pool.
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	if f.ID != "" {
		return listOne(ctx, f.ID, c.Image)
	}
	var out []deltacloud.Image
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		p, err := pool(lv, c.opts.imagePool)
		if err != nil {
			return err
		}
		vols, _, err := lv.StoragePoolListAllVolumes(p, 1, 0)
		if err != nil {
			return wrap(err)
		}
		for _, v := range vols {
			if strings.HasPrefix(v.Name, ownPrefix) || !nameRE.MatchString(v.Name) {
				continue
			}
			info, err := describeVolume(lv, v)
			if deltacloud.CodeOf(err) == deltacloud.NotFound {
				continue // deleted meanwhile
			}
			if err != nil {
				return err
			}
			if contains(imageFormats, info.format) {
				out = append(out, c.image(info))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err // a cancelled call may still be filling out
	}
	return out, nil
}

// Image returns one image by volume name.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	var img deltacloud.Image
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		info, err := c.imageVolume(lv, id)
		if err != nil {
			return err
		}
		img = c.image(info)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &img, nil
}

// imageVolume looks up an image's volume: a raw or qcow2 volume of the
// image pool not made by the driver.
func (c *conn) imageVolume(lv *golibvirt.Libvirt, id string) (volInfo, error) {
	if strings.HasPrefix(id, ownPrefix) {
		return volInfo{}, notFound("image", id)
	}
	p, err := pool(lv, c.opts.imagePool)
	if err != nil {
		return volInfo{}, err
	}
	info, err := volume(lv, p, id, "image")
	if err != nil {
		return info, err
	}
	if !contains(imageFormats, info.format) {
		return volInfo{}, notFound("image", id)
	}
	return info, nil
}

// image describes an image volume.
func (c *conn) image(info volInfo) deltacloud.Image {
	return deltacloud.Image{
		ID: info.vol.Name, Name: info.vol.Name,
		Description: fmt.Sprintf("%s image of %s in pool %s", info.format, sizeText(info.capacity), c.opts.imagePool),
		State:       "AVAILABLE",
		RootType:    "persistent",
	}
}

// sizeText writes a byte count in the largest binary unit that divides it
// evenly enough to read.
func sizeText(b uint64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(b)/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20))
	}
	return fmt.Sprintf("%d bytes", b)
}
