package api

import (
	"net/http"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// Images made from instances and deleted.

// imageCreate is POST {B}/images: instance_id, and name and description
// where the features image_name and image_description are advertised; 201
// with Location and the image. An instance that cannot be imaged is 403
// (forbidState), an unknown one 404.
func imageCreate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	img, err := p.CreateImage(q.r.Context(), deltacloud.ImageSpec{InstanceID: q.params.Get("instance_id"),
		Name: q.params.Get("name"), Description: q.params.Get("description")})
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewImage(q.base, *img, imageOptions(p))
	return q.created(memberPath(deltacloud.CollectionImages, img.ID), doc, func() any { return doc.ShowJSON() }, "image", doc)
}

// imageDestroy is DELETE {B}/images/:id: 204 (HTML: back to the images).
func imageDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyImage(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.noContent("/images")
	return nil
}

// imageNewPage is the HTML form of POST {B}/images for the instance
// instance_id; without it, or for an unknown instance, 404.
func imageNewPage(q *request) error {
	id := q.params.Get("instance_id")
	if id == "" {
		return &deltacloud.Error{Code: deltacloud.NotFound, Message: "Choose an instance to image: instance_id is missing"}
	}
	p, err := q.open()
	if err != nil {
		return err
	}
	in, err := p.Instance(q.r.Context(), id)
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, nil, nil, "new_image", formPage{Features: p.Features(), InstanceID: id, Instance: in})
}
