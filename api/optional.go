package api

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// Helpers shared by the handlers of the optional collections (keys,
// firewalls, addresses, storage volumes and snapshots, buckets and blobs,
// metrics) and of image creation. Every driver call runs under the
// request's context, so a client that goes away cancels it.

// forbidState maps the state and conflict errors of the optional
// collections and of image creation to 403 Forbidden, keeping the message.
// The original's mock drivers answer 403 for these (the original mock: an address in
// use or free, a non-empty bucket, a duplicate key; images of an instance
// that cannot be imaged), and the Rabbit routes of these collections have
// no 405 or 409; only instance actions answer 405 for a state that does not
// allow them, which instanceAction keeps.
func forbidState(err error) error {
	code := deltacloud.CodeOf(err)
	if code != deltacloud.InvalidState && code != deltacloud.Conflict {
		return err
	}
	msg := http.StatusText(http.StatusForbidden)
	var e *deltacloud.Error
	if errors.As(err, &e) && e.Message != "" {
		msg = e.Message
	}
	return &deltacloud.Error{Code: deltacloud.Forbidden, Message: msg, Err: err}
}

// memberPath is "/<collection>/<id>", the id escaped, for Location and
// HTML redirects.
func memberPath(c deltacloud.Collection, id string) string {
	return "/" + string(c) + "/" + url.PathEscape(id)
}

// created answers a create: 201 with Location {B}<rel> and the document,
// or, for an HTML form, a redirect to the new object's page.
func (q *request) created(rel string, doc wire.Document, jsonValue func() any, page string, data any) error {
	if q.format == formatHTML {
		q.redirect(rel)
		return nil
	}
	q.w.Header().Set("Location", q.base+rel)
	return q.render(http.StatusCreated, doc, jsonValue, page, data)
}

// noContent answers a destroy or an update without a body: 204, or, for
// an HTML form, a redirect to rel.
func (q *request) noContent(rel string) {
	if q.format == formatHTML && rel != "" {
		q.redirect(rel)
		return
	}
	q.empty(http.StatusNoContent)
}

// empty answers status without a body, with the common headers (and
// X-Backend-Runtime where the operation is timed).
func (q *request) empty(status int) {
	q.setCommonHeaders()
	if q.op.timed() {
		q.w.Header().Set("X-Backend-Runtime", q.runtime())
	}
	q.w.WriteHeader(status)
	q.wrote = true
}

// instancesForForm lists the instances a form may offer (attach,
// associate, create image); a failure leaves the list empty, so the form
// falls back to a text input.
func (q *request) instancesForForm(p *deltacloud.Provider) []deltacloud.Instance {
	ins, err := p.Instances(q.r.Context(), deltacloud.InstanceFilter{})
	if err != nil {
		return nil
	}
	return ins
}
