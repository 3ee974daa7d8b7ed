package deltacloud

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// The optional collections (keys, firewalls, addresses, storage volumes and
// snapshots, buckets and blobs, metrics) and images from instances. The
// driver implements every one of their interfaces; Collections, from the
// server's entry point, narrows them to what the server offers, and a
// route the server's driver lacks answers 412, which is NotSupported. Paths
// are built from the collection's href the entry point gave, so servers
// mounted anywhere work.

// decodeDoc decodes a document with dec and converts it with model; what
// names the document in errors.
func decodeDoc[D, M any](what string, body []byte, dec func([]byte) (*D, error), model func(*D) (M, error)) (M, error) {
	var zero M
	d, err := dec(body)
	if err != nil {
		return zero, decodeError(what, err)
	}
	m, err := model(d)
	if err != nil {
		return zero, decodeError(what, err)
	}
	return m, nil
}

// noErr adapts a Model method that cannot fail to decodeDoc.
func noErr[D, M any](model func(*D) M) func(*D) (M, error) {
	return func(d *D) (M, error) { return model(d), nil }
}

// list fetches a collection and decodes its index.
func list[D, M any](ctx context.Context, c *conn, coll deltacloud.Collection, dec func([]byte) (*D, error), model func(*D) (M, error)) (M, error) {
	var zero M
	resp, err := c.getCollection(ctx, coll, nil)
	if err != nil {
		return zero, err
	}
	return decodeDoc(string(coll), resp.body, dec, model)
}

// member fetches one object of a collection and decodes it.
func member[D, M any](ctx context.Context, c *conn, coll deltacloud.Collection, id string, dec func([]byte) (*D, error), model func(*D) (M, error)) (*M, error) {
	resp, err := c.getMember(ctx, coll, id)
	if err != nil {
		return nil, err
	}
	m, err := decodeDoc(string(coll), resp.body, dec, model)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// post sends a form to href and returns the document of the answer (one
// of want): its body, or for an answer without one the document at its
// Location. It is never retried.
func (c *conn) post(ctx context.Context, href string, form url.Values, want ...int) ([]byte, error) {
	if form == nil {
		form = url.Values{}
	}
	resp, err := c.do(ctx, http.MethodPost, href, form)
	if err != nil {
		return nil, err
	}
	if err := resp.expect(want...); err != nil {
		return nil, err
	}
	return c.document(ctx, resp)
}

// document is an answer's body, or the document at its Location when the
// body is empty.
func (c *conn) document(ctx context.Context, resp *response) ([]byte, error) {
	if len(bytes.TrimSpace(resp.body)) > 0 {
		return resp.body, nil
	}
	loc := resp.header.Get("Location")
	if loc == "" {
		return nil, &deltacloud.Error{Code: deltacloud.Backend,
			Message: "the server answered " + resp.method + " " + resp.url + " with neither a document nor a Location"}
	}
	got, err := c.get(ctx, loc, nil)
	if err != nil {
		return nil, err
	}
	return got.body, nil
}

// create posts a create form to a collection (201, or 200 and 202 from
// lenient servers) and decodes the created object.
func create[D, M any](ctx context.Context, c *conn, coll deltacloud.Collection, form url.Values, dec func([]byte) (*D, error), model func(*D) (M, error)) (*M, error) {
	href, err := c.href(coll)
	if err != nil {
		return nil, err
	}
	body, err := c.post(ctx, href, form, http.StatusCreated, http.StatusOK, http.StatusAccepted)
	if err != nil {
		return nil, err
	}
	m, err := decodeDoc(string(coll), body, dec, model)
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// destroy deletes an object at href (204, or 200 and 202).
func (c *conn) destroy(ctx context.Context, href string) error {
	resp, err := c.do(ctx, http.MethodDelete, href, nil)
	if err != nil {
		return err
	}
	if err := resp.expect(http.StatusNoContent, http.StatusOK, http.StatusAccepted); err != nil {
		return err
	}
	return nil
}

// destroyMember deletes one object of a collection.
func (c *conn) destroyMember(ctx context.Context, coll deltacloud.Collection, id string) error {
	href, err := c.memberHref(coll, id)
	if err != nil {
		return err
	}
	return c.destroy(ctx, href)
}

// subHref is the href of a path below an object: the object's href plus
// escaped segments.
func (c *conn) subHref(coll deltacloud.Collection, id string, segs ...string) (string, error) {
	href, err := c.memberHref(coll, id)
	if err != nil {
		return "", err
	}
	for _, s := range segs {
		if s == "" {
			return "", deltacloud.Errorf(deltacloud.InvalidArgument, "empty id below %s %q", coll, id)
		}
		href += "/" + escapeSegment(s)
	}
	return href, nil
}

// escapeSegment escapes an id for one path segment; dot segments would be
// resolved away (RFC 3986 §5.2.4), so their dots are escaped too.
func escapeSegment(id string) string {
	if id == "." || id == ".." {
		return strings.ReplaceAll(id, ".", "%2E")
	}
	return url.PathEscape(id)
}

// stateConflict reports a refusal the original server answers with 403
// (or 405) because of the object's state, such as releasing an associated
// address or deleting a bucket that holds blobs, as InvalidState.
func stateConflict(err error, id string) error {
	e, ok := err.(*deltacloud.Error)
	if !ok || (e.Code != deltacloud.Forbidden && e.Code != deltacloud.InvalidState) {
		return err
	}
	e.Code, e.ID = deltacloud.InvalidState, id
	return e
}

// formOf builds a form from name/value pairs, leaving out empty values.
func formOf(kv ...string) url.Values {
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			f.Set(kv[i], kv[i+1])
		}
	}
	return f
}
