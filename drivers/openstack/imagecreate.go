package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/image/v2/images"

	"github.com/deltacloud-go/deltacloud"
)

// CreateImage snapshots a server (Nova createImage) and returns the new
// image, queued until Glance has it.
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	name := spec.Name
	if name == "" {
		name = spec.InstanceID + "-image"
	}
	id, err := servers.CreateImage(ctx, s.compute, spec.InstanceID, servers.CreateImageOpts{Name: name}).ExtractImageID()
	if isNotFound(err) {
		return nil, notFound("server", spec.InstanceID)
	}
	if err != nil {
		return nil, wrap(err)
	}
	img, err := c.Image(ctx, id)
	if err != nil {
		return &deltacloud.Image{ID: id, Name: name, State: "QUEUED"}, nil
	}
	return img, nil
}

// DestroyImage deletes an image the project owns.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	s, err := c.services(ctx)
	if err != nil {
		return err
	}
	err = images.Delete(ctx, s.image, id).ExtractErr()
	if isNotFound(err) {
		return notFound("image", id)
	}
	return wrap(err)
}
