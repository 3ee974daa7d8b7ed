package deltacloud

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// Image is a template instances are launched from.
type Image struct {
	ID          string
	Name        string
	Description string
	// Owner is the account that published the image.
	Owner        string
	Architecture string
	// State is the image's state in the cloud's words, upper case
	// ("AVAILABLE"); empty if the cloud does not say.
	State        string
	CreationTime time.Time
	// HardwareProfiles are the ids of the profiles the image can run on;
	// nil means the cloud does not restrict them.
	HardwareProfiles []string
	// RootType is "transient" (instance store) or "persistent" (block
	// storage); empty means transient, the Deltacloud default.
	RootType string
}

// ImageFilter narrows an image listing; empty fields match everything.
// Owner is passed to the driver when it advertises the owner_id feature,
// and applied by the Provider to the listing otherwise.
type ImageFilter struct {
	ID           string
	Owner        string
	Architecture string
}

// Match reports whether img passes the filter.
func (f ImageFilter) Match(img Image) bool {
	return (f.ID == "" || img.ID == f.ID) &&
		(f.Owner == "" || img.Owner == f.Owner) &&
		(f.Architecture == "" || img.Architecture == f.Architecture)
}

// Images lists images. A filter by owner is the cloud's own where the
// driver advertises owner_id; otherwise the Provider keeps the images of
// that owner from the full listing, as a filter it can apply itself must
// not be refused. OwnerSelf, the authenticated account, needs owner_id:
// only the cloud knows which account that is.
func (p *Provider) Images(ctx context.Context, f ImageFilter) ([]Image, error) {
	byCloud := p.features.Has(FeatureOwnerID)
	if f.Owner == OwnerSelf && !byCloud {
		return nil, &Error{Code: NotSupported, Op: "Images", Message: fmt.Sprintf(
			"owner_id=%s needs the %s feature, which driver %s does not advertise: only the cloud knows the caller's account",
			OwnerSelf, FeatureOwnerID, p.driver)}
	}
	df := f
	if !byCloud {
		df.Owner = "" // the driver lists every owner's; Match below keeps f.Owner's
	}
	var imgs []Image
	err := p.call(ctx, "Images", f.ID, func() (err error) {
		imgs, err = p.conn.Images(ctx, df)
		return err
	})
	if err != nil {
		return nil, err
	}
	if f.Owner == OwnerSelf {
		f.Owner = ""
	}
	return slices.DeleteFunc(imgs, func(img Image) bool { return !f.Match(img) }), nil
}

// Image returns one image; an unknown id is ErrNotFound.
func (p *Provider) Image(ctx context.Context, id string) (*Image, error) {
	if id == "" {
		return nil, argErr("Image", "image id is empty")
	}
	if g, ok := p.conn.(ImageGetter); ok {
		var img *Image
		err := p.call(ctx, "Image", id, func() (err error) {
			img, err = g.Image(ctx, id)
			return err
		})
		return img, err
	}
	imgs, err := p.Images(ctx, ImageFilter{ID: id})
	if err != nil {
		return nil, err
	}
	return findByID(imgs, "Image", id, func(i Image) string { return i.ID })
}

// ImageSpec describes an image to make from an instance.
type ImageSpec struct {
	InstanceID string
	// Name needs the image_name feature.
	Name string
	// Description needs the image_description feature.
	Description string
}

// CreateImage makes an image from an instance. An unknown instance is
// ErrNotFound; one that cannot be imaged (Instance.CanCreateImage false) is
// ErrInvalidState.
func (p *Provider) CreateImage(ctx context.Context, spec ImageSpec) (*Image, error) {
	const op = "CreateImage"
	c, ok := p.conn.(ImageCreator)
	if !ok {
		return nil, &Error{Code: NotSupported, Op: op, Message: "driver " + p.driver + " cannot create images"}
	}
	if err := requireID(op, "instance", spec.InstanceID); err != nil {
		return nil, err
	}
	if err := p.needFeature(op, spec.Name != "", "name", FeatureImageName); err != nil {
		return nil, err
	}
	if err := p.needFeature(op, spec.Description != "", "description", FeatureImageDescription); err != nil {
		return nil, err
	}
	in, err := p.instanceFor(ctx, op, spec.InstanceID)
	if err != nil {
		return nil, err
	}
	if !in.CanCreateImage {
		return nil, &Error{Code: InvalidState, Op: op, ID: spec.InstanceID, State: in.State,
			Message: "an image cannot be created from this instance"}
	}
	var img *Image
	err = p.call(ctx, op, spec.InstanceID, func() (err error) {
		img, err = c.CreateImage(ctx, spec)
		return err
	})
	if err == nil && img == nil {
		err = &Error{Code: Backend, Op: op, ID: spec.InstanceID, Message: "the driver returned nothing"}
	}
	if err != nil {
		return nil, err
	}
	return img, nil
}

// DestroyImage deletes an image.
func (p *Provider) DestroyImage(ctx context.Context, id string) error {
	const op = "DestroyImage"
	c, ok := p.conn.(ImageDestroyer)
	if !ok {
		return &Error{Code: NotSupported, Op: op, Message: "driver " + p.driver + " cannot destroy images"}
	}
	if err := requireID(op, "image", id); err != nil {
		return err
	}
	return p.call(ctx, op, id, func() error { return c.DestroyImage(ctx, id) })
}
