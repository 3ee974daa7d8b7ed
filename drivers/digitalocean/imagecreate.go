package digitalocean

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"unicode"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/ctxsleep"
)

// maxImageName bounds an image name the driver sends.
const maxImageName = 255

// CreateImage snapshots one of the owner's droplets with the droplet
// "snapshot" action, named as asked (image_name) or "<droplet>-image-<hex>",
// waits for the action, then tags the new image with the owner tag so that
// DestroyImage may delete it. The new image is the one among the droplet's
// snapshot ids that was not there before, with that name. If the action
// fails, is refused with an unknown outcome, or the wait ends (error or
// cancellation), whatever snapshot it made is deleted again once the
// droplet's snapshot action has ended — with a bounded context of its own,
// in the background when the caller's context has ended (Close waits).
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	d, err := c.droplet(ctx, spec.InstanceID)
	if err != nil {
		return nil, err
	}
	name := spec.Name
	if err := checkImageName(name); err != nil {
		return nil, err
	}
	if name == "" {
		name = truncate(d.Name, 200) + "-image-" + randomHex(3)
	}
	before := slices.Clone(d.SnapshotIDs)
	act, _, err := c.client.DropletActions.Snapshot(ctx, d.ID, name)
	if err == nil && ctx.Err() != nil {
		err = ctx.Err()
	}
	if err != nil {
		if ctx.Err() == nil && !unknownOutcome(err) {
			return nil, c.actionErr(d, "snapshot", err)
		}
		return nil, c.discard(ctx, d.ID, before, name, c.actionErr(d, "snapshot", err))
	}
	err = c.await(ctx, act, func(ctx context.Context, id int) (*godo.Action, *godo.Response, error) {
		return c.client.Actions.Get(ctx, id)
	})
	var img *deltacloud.Image
	if err == nil {
		img, err = c.claimImage(ctx, d.ID, before, name)
	}
	if err != nil {
		return nil, c.discard(ctx, d.ID, before, name, err)
	}
	return img, nil
}

// checkImageName refuses names DigitalOcean would not keep as given.
func checkImageName(name string) error {
	if len(name) > maxImageName {
		return invalid("image name is %d bytes long; at most %d", len(name), maxImageName)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return invalid("image name holds a control character")
		}
	}
	return nil
}

// claimImage finds the image a completed snapshot action made and tags it
// with the owner tag.
func (c *conn) claimImage(ctx context.Context, dropletID int, before []int, name string) (*deltacloud.Image, error) {
	imgs, err := c.newImages(ctx, dropletID, before, name)
	if err != nil {
		return nil, err
	}
	if len(imgs) != 1 {
		return nil, deltacloud.Errorf(deltacloud.Backend,
			"digitalocean: the snapshot of droplet %d completed with %d new images named as asked", dropletID, len(imgs))
	}
	img := imgs[0]
	_, err = c.client.Tags.TagResources(ctx, c.ownerTag, &godo.TagResourcesRequest{
		Resources: []godo.Resource{{ID: strconv.Itoa(img.ID), Type: godo.ImageResourceType}}})
	if err != nil {
		return nil, c.wrap(err)
	}
	if !c.owns(img.Tags) {
		img.Tags = append(img.Tags, c.ownerTag)
	}
	out := c.imageOf(img)
	return &out, nil
}

// newImages reads a droplet's snapshot images that are not among before
// and carry the name.
func (c *conn) newImages(ctx context.Context, dropletID int, before []int, name string) ([]godo.Image, error) {
	d, _, err := c.client.Droplets.Get(ctx, dropletID)
	if err != nil {
		return nil, c.wrap(err)
	}
	var out []godo.Image
	for _, id := range d.SnapshotIDs {
		if slices.Contains(before, id) {
			continue
		}
		img, _, err := c.client.Images.GetByID(ctx, id)
		if classify(err) == deltacloud.NotFound {
			continue
		}
		if err != nil {
			return nil, c.wrap(err)
		}
		if img.Name == name {
			out = append(out, *img)
		}
	}
	return out, nil
}

// discard deletes what a failed image create made and answers cause; after
// a cancellation it does so in the background and answers ctx.Err().
func (c *conn) discard(ctx context.Context, dropletID int, before []int, name string, cause error) error {
	if ctx.Err() != nil {
		c.cleanups.Add(1)
		go func() {
			defer c.cleanups.Done()
			c.discardImages(ctx, dropletID, before, name)
		}()
		return ctx.Err()
	}
	if err := c.discardImages(ctx, dropletID, before, name); err != nil {
		return errors.Join(cause, deltacloud.Errorf(deltacloud.Backend, "digitalocean: the clean-up failed: %v", err))
	}
	return cause
}

// discardImages waits, cleanupRounds times, until the droplet has no
// snapshot action in progress and deletes the new images with the name:
// an action the API carries out after its client gave up appears late.
func (c *conn) discardImages(ctx context.Context, dropletID int, before []int, name string) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
	defer cancel()
	for i := range cleanupRounds {
		if i > 0 {
			if err := ctxsleep.Sleep(ctx, c.opts.pollInterval); err != nil {
				return err
			}
		}
		if err := c.snapshotSettled(ctx, dropletID); err != nil {
			return err
		}
		imgs, err := c.newImages(ctx, dropletID, before, name)
		if classify(err) == deltacloud.NotFound {
			return nil // the droplet is gone, and its snapshots are the account's own to see
		}
		if err != nil {
			return err
		}
		for _, img := range imgs {
			if _, err := c.client.Images.Delete(ctx, img.ID); err != nil && classify(err) != deltacloud.NotFound {
				return c.wrap(err)
			}
		}
	}
	return nil
}

// snapshotSettled waits until none of the droplet's recent actions is a
// snapshot in progress.
func (c *conn) snapshotSettled(ctx context.Context, dropletID int) error {
	for {
		acts, _, err := c.client.Droplets.Actions(ctx, dropletID, &godo.ListOptions{PerPage: 20})
		if classify(err) == deltacloud.NotFound {
			return nil
		}
		if err != nil {
			return c.wrap(err)
		}
		busy := slices.ContainsFunc(acts, func(a godo.Action) bool {
			return a.Type == "snapshot" && a.Status == godo.ActionInProgress
		})
		if !busy {
			return nil
		}
		if err := ctxsleep.Sleep(ctx, c.opts.pollInterval); err != nil {
			return err
		}
	}
}

// DestroyImage deletes a snapshot image carrying the owner tag. A public
// distribution, or an image of the account the provider did not make, is
// ErrForbidden; an unknown id ErrNotFound.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	n, err := strconv.Atoi(id)
	if err != nil || n <= 0 {
		if _, err := c.Image(ctx, id); err != nil {
			return err
		}
		return deltacloud.Errorf(deltacloud.Forbidden, "digitalocean: image %s is a public distribution", truncate(id, 64))
	}
	img, _, err := c.client.Images.GetByID(ctx, n)
	if err != nil {
		return c.wrapGet(err, "image", id)
	}
	if !listed(*img) {
		return notFound("image", id)
	}
	if img.Public || !c.owns(img.Tags) {
		return deltacloud.Errorf(deltacloud.Forbidden, "digitalocean: image %d was not made by this provider", n)
	}
	_, err = c.client.Images.Delete(ctx, n)
	return c.wrapGet(err, "image", id)
}

var (
	_ deltacloud.ImageCreator   = (*conn)(nil)
	_ deltacloud.ImageDestroyer = (*conn)(nil)
)
