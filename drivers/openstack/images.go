package openstack

import (
	"context"
	"fmt"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"

	"github.com/deltacloud-go/deltacloud"
)

// Images lists the Glance images the project sees: its own, public ones
// and those shared with it (Glance's default listing); an id filter is one
// request.
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	if f.ID != "" {
		return listOne(c.Image(ctx, f.ID))
	}
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := images.List(s.image, images.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := images.ExtractImages(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Image, 0, len(list))
	for _, img := range list {
		out = append(out, imageOf(img))
	}
	return out, nil
}

// Image fetches one image.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	img, err := images.Get(ctx, s.image, id).Extract()
	if isNotFound(err) {
		return nil, notFound("image", id)
	}
	if err != nil {
		return nil, wrap(err)
	}
	out := imageOf(*img)
	return &out, nil
}

// imageOf maps a Glance image: architecture and OS from the properties
// "architecture" and "os_distro"/"os_version" (Glance's common image
// properties), the state in upper case (ACTIVE, QUEUED, SAVING, …).
func imageOf(img images.Image) deltacloud.Image {
	prop := func(k string) string {
		if v, ok := img.Properties[k].(string); ok {
			return v
		}
		return ""
	}
	desc := prop("description")
	if desc == "" {
		desc = img.Name
		if d, v := prop("os_distro"), prop("os_version"); d != "" {
			desc = strings.TrimSpace(fmt.Sprintf("%s %s (%s)", d, v, img.Name))
		}
	}
	return deltacloud.Image{
		ID: img.ID, Name: img.Name, Description: desc, Owner: img.Owner,
		Architecture: normalArch(prop("architecture")), State: strings.ToUpper(string(img.Status)),
		CreationTime: img.CreatedAt, RootType: "transient",
	}
}

// normalArch maps Glance's architecture names (libosinfo's) onto the
// model's: aarch64 is arm64, i686 is i386; others pass unchanged.
func normalArch(a string) string {
	switch strings.ToLower(a) {
	case "aarch64":
		return "arm64"
	case "i686", "i586", "i486":
		return "i386"
	}
	return a
}
