package hetzner

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// Realms lists the locations.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	ls, err := c.client.Location.All(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Realm, 0, len(ls))
	for _, l := range ls {
		out = append(out, realmOf(l))
	}
	return out, nil
}

// Realm reads one location by name.
func (c *conn) Realm(ctx context.Context, id string) (*deltacloud.Realm, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	l, _, err := c.client.Location.GetByName(ctx, id)
	if err != nil {
		return nil, wrap(err)
	}
	if l == nil {
		return nil, notFound("location", id)
	}
	r := realmOf(l)
	return &r, nil
}

func realmOf(l *hcloud.Location) deltacloud.Realm {
	return deltacloud.Realm{ID: l.Name, Name: l.Description, State: deltacloud.RealmAvailable}
}

// Architecture is the model's name of a Hetzner architecture: x86_64 for
// x86, arm64 for arm.
func Architecture(a hcloud.Architecture) string {
	switch a {
	case hcloud.ArchitectureX86:
		return "x86_64"
	case hcloud.ArchitectureARM:
		return "arm64"
	}
	return string(a)
}

// serverTypes returns the server types, from the cache while it is fresh.
func (c *conn) serverTypes(ctx context.Context) ([]*hcloud.ServerType, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	c.typesMu.Lock()
	if c.types != nil && time.Since(c.typesAt) < c.opts.typesTTL {
		ts := c.types
		c.typesMu.Unlock()
		return ts, nil
	}
	c.typesMu.Unlock()
	ts, err := c.client.ServerType.All(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	c.typesMu.Lock()
	c.types, c.typesAt = ts, time.Now()
	c.typesMu.Unlock()
	return ts, nil
}

// offered reports whether a server type is listed: not deprecated, and
// available in some location.
func offered(t *hcloud.ServerType) bool {
	if t.IsDeprecated() {
		return false
	}
	return slices.ContainsFunc(t.Locations, func(l hcloud.ServerTypeLocation) bool { return availableAt(l) })
}

// availableAt reports whether a type can be ordered at one of its
// location entries.
func availableAt(l hcloud.ServerTypeLocation) bool {
	return l.Available && !l.IsDeprecated()
}

// offeredIn reports whether a type can be ordered in the named location.
func offeredIn(t *hcloud.ServerType, location string) bool {
	return slices.ContainsFunc(t.Locations, func(l hcloud.ServerTypeLocation) bool {
		return l.Location != nil && l.Location.Name == location && availableAt(l)
	})
}

// where lists the locations a type can be ordered in.
func where(t *hcloud.ServerType) []string {
	var out []string
	for _, l := range t.Locations {
		if l.Location != nil && availableAt(l) {
			out = append(out, l.Location.Name)
		}
	}
	return out
}

// profileOf is a server type's hardware profile.
func profileOf(t *hcloud.ServerType) deltacloud.HardwareProfile {
	return deltacloud.HardwareProfile{ID: t.Name, Name: t.Description, Properties: []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, strconv.Itoa(t.Cores)),
		deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.FormatFloat(float64(t.Memory)*1024, 'f', -1, 64)),
		deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, strconv.Itoa(t.Disk)),
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, Architecture(t.Architecture)),
	}}
}

// HardwareProfiles lists the server types offered somewhere.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	ts, err := c.serverTypes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.HardwareProfile, 0, len(ts))
	for _, t := range ts {
		if offered(t) {
			out = append(out, profileOf(t))
		}
	}
	deltacloud.SortHardwareProfiles(out)
	return out, nil
}

// HardwareProfile returns one offered server type.
func (c *conn) HardwareProfile(ctx context.Context, id string) (*deltacloud.HardwareProfile, error) {
	t, err := c.serverType(ctx, id)
	if err != nil {
		return nil, err
	}
	h := profileOf(t)
	return &h, nil
}

// serverType finds an offered server type by name.
func (c *conn) serverType(ctx context.Context, name string) (*hcloud.ServerType, error) {
	ts, err := c.serverTypes(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Name == name && offered(t) {
			return t, nil
		}
	}
	return nil, notFound("server type", name)
}

// imageTypes are the image types listed: system images and snapshots.
var imageTypes = []hcloud.ImageType{hcloud.ImageTypeSystem, hcloud.ImageTypeSnapshot}

// Images lists the system images and the project's snapshots.
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	if f.ID != "" {
		img, err := c.Image(ctx, f.ID)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Image{*img}, nil
	}
	if err := c.authorized(); err != nil {
		return nil, err
	}
	opts := hcloud.ImageListOpts{Type: imageTypes}
	switch f.Architecture {
	case "x86_64":
		opts.Architecture = []hcloud.Architecture{hcloud.ArchitectureX86}
	case "arm64":
		opts.Architecture = []hcloud.Architecture{hcloud.ArchitectureARM}
	}
	imgs, err := c.client.Image.AllWithOpts(ctx, opts)
	if err != nil {
		return nil, wrap(err)
	}
	ts, err := c.serverTypes(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Image, 0, len(imgs))
	for _, img := range imgs {
		out = append(out, imageOf(img, ts))
	}
	return out, nil
}

// Image reads one system image or snapshot.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	img, err := c.image(ctx, id)
	if err != nil {
		return nil, err
	}
	ts, err := c.serverTypes(ctx)
	if err != nil {
		return nil, err
	}
	out := imageOf(img, ts)
	return &out, nil
}

// image reads a system image or snapshot by id.
func (c *conn) image(ctx context.Context, id string) (*hcloud.Image, error) {
	n, err := c.parseID(ctx, "image", id)
	if err != nil {
		return nil, err
	}
	img, _, err := c.client.Image.GetByID(ctx, n)
	if err != nil {
		return nil, wrap(err)
	}
	if img == nil || !slices.Contains(imageTypes, img.Type) {
		return nil, notFound("image", id)
	}
	return img, nil
}

// imageOf is an image in the model; ts are the server types, for the
// profiles of the image's architecture.
func imageOf(img *hcloud.Image, ts []*hcloud.ServerType) deltacloud.Image {
	out := deltacloud.Image{
		ID: strconv.FormatInt(img.ID, 10), Name: img.Name, Description: img.Description,
		Architecture: Architecture(img.Architecture), State: strings.ToUpper(string(img.Status)),
		CreationTime: img.Created, RootType: "persistent", HardwareProfiles: []string{},
	}
	if img.Type == hcloud.ImageTypeSystem {
		out.Owner = "hetzner"
	} else {
		out.Owner = img.Labels[LabelOwner]
		if n := textFromLabels(img.Labels, LabelName); n != "" {
			out.Name = n
		}
	}
	if out.Name == "" {
		out.Name = img.Description
	}
	if out.Name == "" {
		out.Name = string(img.Type) + "-" + out.ID
	}
	for _, t := range ts {
		if t.Architecture == img.Architecture && offered(t) {
			out.HardwareProfiles = append(out.HardwareProfiles, t.Name)
		}
	}
	slices.Sort(out.HardwareProfiles)
	return out
}

// CreateImage snapshots a server and waits until the snapshot is
// available; if that fails, or the context ends, the snapshot is deleted.
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	srv, err := c.ownedServer(ctx, spec.InstanceID)
	if err != nil {
		return nil, err
	}
	if err := checkText("image name", spec.Name); err != nil {
		return nil, err
	}
	labels := c.ownerLabels()
	textLabels(labels, LabelName, spec.Name)
	labels[LabelCreate] = randomSuffix(16)
	desc := spec.Description
	if desc == "" {
		desc = spec.Name
	}
	opts := &hcloud.ServerCreateImageOpts{Type: hcloud.ImageTypeSnapshot, Labels: labels}
	if desc != "" {
		opts.Description = &desc
	}
	res, _, err := c.client.Server.CreateImage(ctx, srv, opts)
	if err != nil {
		c.cutOff(ctx, func(ctx context.Context) bool {
			imgs, err := c.client.Image.AllWithOpts(ctx, hcloud.ImageListOpts{Type: []hcloud.ImageType{hcloud.ImageTypeSnapshot},
				ListOpts: hcloud.ListOpts{LabelSelector: LabelCreate + "=" + labels[LabelCreate]}})
			if err != nil || len(imgs) == 0 {
				return false
			}
			for _, img := range imgs {
				c.deleteImage(ctx, img.ID)
			}
			return true
		})
		return nil, wrap(err)
	}
	id := res.Image.ID
	undo := func(ctx context.Context) { c.deleteImage(ctx, id) }
	if err := c.wait(ctx, res.Action); err != nil {
		c.undo(ctx, undo)
		return nil, err
	}
	img, err := c.Image(ctx, strconv.FormatInt(id, 10))
	if err != nil {
		c.undo(ctx, undo)
		return nil, err
	}
	return img, nil
}

// deleteImage deletes an image once its actions have ended (a clean-up).
func (c *conn) deleteImage(ctx context.Context, id int64) {
	c.whileLocked(ctx, func(ctx context.Context) error {
		_, err := c.client.Image.Delete(ctx, &hcloud.Image{ID: id})
		return err
	})
}

// DestroyImage deletes a snapshot the provider made.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	img, err := c.image(ctx, id)
	if err != nil {
		return err
	}
	if img.Type != hcloud.ImageTypeSnapshot || !c.owned(img.Labels) {
		return notFound("snapshot image", id)
	}
	_, err = c.client.Image.Delete(ctx, img)
	return wrap(err)
}

var (
	_ deltacloud.ImageCreator          = (*conn)(nil)
	_ deltacloud.ImageDestroyer        = (*conn)(nil)
	_ deltacloud.HardwareProfileGetter = (*conn)(nil)
	_ deltacloud.RealmGetter           = (*conn)(nil)
	_ deltacloud.ImageGetter           = (*conn)(nil)
)
