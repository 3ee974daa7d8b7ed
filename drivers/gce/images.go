package gce

import (
	"context"
	"errors"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// imageOf maps a Compute image onto an image with the given id: a family
// id ("debian-cloud/debian-12") or the image's name.
func imageOf(id, project string, img *compute.Image) deltacloud.Image {
	out := deltacloud.Image{
		ID: id, Name: img.Name, Description: img.Description, Owner: project,
		Architecture: archOf(img.Architecture), State: imageState(img.Status), RootType: "persistent",
	}
	if t, err := time.Parse(time.RFC3339, img.CreationTimestamp); err == nil {
		out.CreationTime = t
	}
	return out
}

func imageState(s string) string {
	switch s {
	case "READY":
		return "AVAILABLE"
	case "FAILED":
		return "ERROR"
	}
	return s
}

// Images lists the curated families (each the family's current image) and
// the project's own images. A family that does not exist (any more) is
// left out.
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
	fams := make([]*deltacloud.Image, len(c.opts.families))
	errs := make([]error, len(c.opts.families))
	var wg sync.WaitGroup
	for i, fam := range c.opts.families {
		wg.Go(func() {
			img, err := c.family(ctx, fam)
			if !errors.Is(err, deltacloud.ErrNotFound) {
				fams[i], errs[i] = img, err
			}
		})
	}
	var own []deltacloud.Image
	err := c.compute.Images.List(c.scope.Project).Context(ctx).Pages(ctx, func(l *compute.ImageList) error {
		for _, img := range l.Items {
			own = append(own, imageOf(img.Name, c.scope.Project, img))
		}
		return nil
	})
	wg.Wait()
	if err != nil {
		return nil, wrap(err)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, errs[0]
	}
	var out []deltacloud.Image
	for _, img := range fams {
		if img != nil {
			out = append(out, *img)
		}
	}
	return append(out, own...), nil
}

// family resolves a "project/family" id to the family's current image.
func (c *conn) family(ctx context.Context, id string) (*deltacloud.Image, error) {
	project, fam, _ := strings.Cut(id, "/")
	img, err := c.compute.Images.GetFromFamily(project, fam).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	out := imageOf(id, project, img)
	return &out, nil
}

// Image gets a family (by "project/family") or one of the project's
// images (by name). Families outside the images option are served too, so
// any public family can be launched.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	switch {
	case familyRE.MatchString(id):
		return c.family(ctx, id)
	case !nameRE.MatchString(id):
		return nil, notFound("image", id)
	}
	img, err := c.compute.Images.Get(c.scope.Project, id).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	out := imageOf(id, c.scope.Project, img)
	return &out, nil
}

// sourceImage is the URL an instance's boot disk is made from.
func (c *conn) sourceImage(id string) string {
	if project, fam, ok := strings.Cut(id, "/"); ok {
		return "projects/" + project + "/global/images/family/" + fam
	}
	return "projects/" + c.scope.Project + "/global/images/" + id
}

// CreateImage makes an image of the instance's boot disk, labelled with
// the owner (forceCreate: the instance may be running). The name is the
// spec's (a valid Compute name) or "img-…".
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	name, err := resourceName("image", spec.Name, "img")
	if err != nil {
		return nil, err
	}
	in, zone, err := c.instance(ctx, spec.InstanceID)
	if err != nil {
		return nil, err
	}
	boot := bootDisk(in)
	if boot == "" {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, Message: "gce: instance " + in.Name + " has no boot disk"}
	}
	img := &compute.Image{Name: name, Description: spec.Description, SourceDisk: boot,
		Labels: map[string]string{LabelOwner: c.opts.owner}}
	_ = zone
	op, err := c.compute.Images.Insert(c.scope.Project, img).ForceCreate(true).Context(ctx).Do()
	if err := c.wait(ctx, op, err); err != nil {
		return nil, err
	}
	return c.Image(ctx, name)
}

// DestroyImage deletes an image the provider made (one with the owner
// label); other images are ErrNotFound.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	if !nameRE.MatchString(id) {
		return notFound("image", id)
	}
	img, err := c.compute.Images.Get(c.scope.Project, id).Context(ctx).Do()
	if err != nil {
		return wrap(err)
	}
	if img.Labels[LabelOwner] != c.opts.owner {
		return notFound("image", id)
	}
	op, err := c.compute.Images.Delete(c.scope.Project, id).Context(ctx).Do()
	return c.wait(ctx, op, err)
}

// bootDisk is the URL of an instance's boot disk.
func bootDisk(in *compute.Instance) string {
	for _, d := range in.Disks {
		if d.Boot {
			return d.Source
		}
	}
	return ""
}
