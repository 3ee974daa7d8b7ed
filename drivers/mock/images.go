package mock

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/deltacloud-go/deltacloud"
)

// imageRecord is a stored image.
type imageRecord = deltacloud.Image

// imageList returns the images passing f, sorted by (owner, description,
// id) as the original sorts them.
func (c *Cloud) imageList(f deltacloud.ImageFilter) []deltacloud.Image {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []deltacloud.Image
	for _, img := range c.images {
		if f.Match(*img) {
			i := *img
			i.HardwareProfiles = slices.Clone(i.HardwareProfiles)
			out = append(out, i)
		}
	}
	slices.SortFunc(out, func(a, b deltacloud.Image) int {
		return cmp.Or(strings.Compare(a.Owner, b.Owner), strings.Compare(a.Description, b.Description), compareIDs(a.ID, b.ID))
	})
	return out
}

// createImage makes an image of a visible instance, named (and identified)
// by spec.Name, described by spec.Description.
func (c *Cloud) createImage(owner string, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	if spec.Name == "" {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "the mock names an image by its name, which is required")
	}
	if err := checkName("image", spec.Name); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.visible(owner, spec.InstanceID)
	if err != nil {
		return nil, err
	}
	if !r.CreateImage {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: r.ID, State: r.State,
			Message: fmt.Sprintf("CreateImageNotSupported: instance %s cannot be imaged", r.ID)}
	}
	if c.images[spec.Name] != nil {
		return nil, conflict("image", spec.Name)
	}
	img := &imageRecord{ID: spec.Name, Name: spec.Name, Description: spec.Description, Owner: owner, Architecture: "i386", State: "AVAILABLE",
		CreationTime: time.Now().UTC().Truncate(time.Second), HardwareProfiles: allProfiles, RootType: "transient"}
	if err := c.save(dirImages, img.ID, img); err != nil {
		return nil, err
	}
	c.images[img.ID] = img
	out := *img
	out.HardwareProfiles = slices.Clone(out.HardwareProfiles)
	return &out, nil
}

// destroyImage deletes an image.
func (c *Cloud) destroyImage(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.images[id] == nil {
		return missing("image", id)
	}
	if err := c.drop(dirImages, id); err != nil {
		return err
	}
	delete(c.images, id)
	return nil
}

// visible finds an instance owner may see; any other is ErrNotFound. The
// caller holds c.mu.
func (c *Cloud) visible(owner, id string) (*record, error) {
	r, err := c.lookup(id)
	if err != nil {
		return nil, err
	}
	if r.Owner != owner {
		return nil, notFound(id)
	}
	return r, nil
}

// checkName accepts a name that becomes an id: valid UTF-8 of 1–1024 bytes
// without control characters.
func checkName(what, name string) error {
	switch {
	case name == "":
		return deltacloud.Errorf(deltacloud.InvalidArgument, "%s name is empty", what)
	case len(name) > 1024:
		return deltacloud.Errorf(deltacloud.InvalidArgument, "%s name is %d bytes; the mock takes at most 1024", what, len(name))
	case !utf8.ValidString(name):
		return deltacloud.Errorf(deltacloud.InvalidArgument, "%s name %q is not valid UTF-8", what, name)
	case strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0:
		return deltacloud.Errorf(deltacloud.InvalidArgument, "%s name %q has a control character", what, name)
	}
	return nil
}

// missing is the NotFound error of an object of kind what.
func missing(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: fmt.Sprintf("%s %q not found", what, id)}
}

// conflict is the Conflict error of a taken name.
func conflict(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.Conflict, ID: id, Message: fmt.Sprintf("%s with same name %q already exists", what, id)}
}

// uniqueID returns prefix+<unix time>, with a suffix _2, _3, … when taken.
// The caller holds c.mu.
func uniqueID(prefix string, taken func(string) bool) string {
	base := fmt.Sprintf("%s%d", prefix, time.Now().Unix())
	id := base
	for n := 2; taken(id); n++ {
		id = fmt.Sprintf("%s_%d", base, n)
	}
	return id
}

// CreateImage makes an image of an instance.
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	if err := c.begin(ctx, OpCreateImage); err != nil {
		return nil, err
	}
	return c.cloud.createImage(c.creds.User, spec)
}

// DestroyImage deletes an image.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDestroyImage); err != nil {
		return err
	}
	return c.cloud.destroyImage(id)
}
