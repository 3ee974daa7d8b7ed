package digitalocean

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// OwnerDigitalOcean is the owner of the public distribution images.
const OwnerDigitalOcean = "digitalocean"

// Images lists the public distributions (id: the slug, "ubuntu-24-04-x64")
// and the account's droplet snapshots (id: the image number). With an id
// filter it looks that one image up.
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	if f.ID != "" {
		img, err := c.Image(ctx, f.ID)
		if errors.Is(err, deltacloud.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Image{*img}, nil
	}
	dists, err := listAll(ctx, c, c.client.Images.ListDistribution)
	if err != nil {
		return nil, err
	}
	own, err := listAll(ctx, c, c.client.Images.ListUser)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Image, 0, len(dists)+len(own))
	for _, img := range append(dists, own...) {
		if listed(img) {
			out = append(out, c.imageOf(img))
		}
	}
	return out, nil
}

// listed reports whether an image is one the provider shows: a public
// distribution or one of the account's own images.
func listed(img godo.Image) bool {
	return !img.Public || (img.Type == "base" || img.Type == "distribution") && img.Slug != ""
}

// Image looks one image up by slug or number.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	var img *godo.Image
	var err error
	if n, perr := strconv.Atoi(id); perr == nil && n > 0 {
		img, _, err = c.client.Images.GetByID(ctx, n)
	} else if plainName(id, 128) {
		img, _, err = c.client.Images.GetBySlug(ctx, id)
	} else {
		return nil, notFound("image", id)
	}
	if err != nil {
		if classify(err) == deltacloud.NotFound {
			return nil, notFound("image", id)
		}
		return nil, c.wrap(err)
	}
	if !listed(*img) {
		return nil, notFound("image", id)
	}
	out := c.imageOf(*img)
	return &out, nil
}

// imageID is how an image is named: its slug, else its number.
func imageID(img godo.Image) string {
	if img.Slug != "" {
		return img.Slug
	}
	return strconv.Itoa(img.ID)
}

// imageOf maps an image: a public one is named "<distribution> <name>" and
// owned by OwnerDigitalOcean, one of the account's keeps its own name and
// is owned by the provider's owner when it carries the owner tag.
func (c *conn) imageOf(img godo.Image) deltacloud.Image {
	out := deltacloud.Image{ID: imageID(img), Name: img.Name,
		Description: img.Description, Architecture: "x86_64", State: strings.ToUpper(img.Status),
		RootType: "persistent"}
	switch {
	case img.Public:
		out.Owner = OwnerDigitalOcean
		out.Name = strings.TrimSpace(img.Distribution + " " + img.Name)
	case c.owns(img.Tags):
		out.Owner = c.opts.owner
	}
	if strings.HasSuffix(img.Slug, "-x32") {
		out.Architecture = "i386"
	}
	if t, err := time.Parse(time.RFC3339, img.Created); err == nil {
		out.CreationTime = t
	}
	return out
}

// createImage is how a create names its image: a number is a snapshot's id,
// anything else a slug.
func createImage(id string) godo.DropletCreateImage {
	if n, err := strconv.Atoi(id); err == nil && n > 0 {
		return godo.DropletCreateImage{ID: n}
	}
	return godo.DropletCreateImage{Slug: id}
}
