package deltacloud

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The decoders turn a successful answer's body into the model; a document
// they cannot read is a Backend *deltacloud.Error, never a panic.

func decodeAPI(body []byte) (*wire.API, *deltacloud.Error) {
	d, err := wire.DecodeAPI(body)
	if err != nil {
		return nil, decodeError("entry point", err)
	}
	return d, nil
}

func decodeStates(body []byte) (*deltacloud.StateMachine, *deltacloud.Error) {
	d, err := wire.DecodeStates(body)
	if err != nil {
		return nil, decodeError("instance_states", err)
	}
	m, err := d.Model()
	if err != nil {
		return nil, decodeError("instance_states", err)
	}
	return m, nil
}

func decodeRealms(body []byte) ([]deltacloud.Realm, *deltacloud.Error) {
	d, err := wire.DecodeRealms(body)
	if err != nil {
		return nil, decodeError("realms", err)
	}
	rs, err := d.Model()
	if err != nil {
		return nil, decodeError("realms", err)
	}
	return rs, nil
}

func decodeRealm(body []byte) (*deltacloud.Realm, *deltacloud.Error) {
	d, err := wire.DecodeRealm(body)
	if err != nil {
		return nil, decodeError("realm", err)
	}
	r, err := d.Model()
	if err != nil {
		return nil, decodeError("realm", err)
	}
	return &r, nil
}

func decodeHardwareProfiles(body []byte) ([]deltacloud.HardwareProfile, *wire.HardwareProfiles, *deltacloud.Error) {
	d, err := wire.DecodeHardwareProfiles(body)
	if err != nil {
		return nil, nil, decodeError("hardware_profiles", err)
	}
	hs, err := d.Model()
	if err != nil {
		return nil, nil, decodeError("hardware_profiles", err)
	}
	return hs, d, nil
}

func decodeImages(body []byte) ([]deltacloud.Image, *deltacloud.Error) {
	d, err := wire.DecodeImages(body)
	if err != nil {
		return nil, decodeError("images", err)
	}
	imgs, err := d.Model()
	if err != nil {
		return nil, decodeError("images", err)
	}
	return imgs, nil
}

func decodeImage(body []byte) (*deltacloud.Image, *deltacloud.Error) {
	d, err := wire.DecodeImage(body)
	if err != nil {
		return nil, decodeError("image", err)
	}
	img, err := d.Model()
	if err != nil {
		return nil, decodeError("image", err)
	}
	return &img, nil
}

// decodeInstanceDocs reads an <instances> list or a single <instance> (as
// a create answers either), keeping the documents for their links.
func decodeInstanceDocs(body []byte) ([]deltacloud.Instance, []wire.Instance, *deltacloud.Error) {
	var docs []wire.Instance
	switch rootElement(body) {
	case "instance":
		d, err := wire.DecodeInstance(body)
		if err != nil {
			return nil, nil, decodeError("instance", err)
		}
		docs = []wire.Instance{*d}
	default:
		d, err := wire.DecodeInstances(body)
		if err != nil {
			return nil, nil, decodeError("instances", err)
		}
		docs = d.Instances
	}
	ins := make([]deltacloud.Instance, len(docs))
	for i := range docs {
		in, err := docs[i].Model()
		if err != nil {
			return nil, nil, decodeError("instance", err)
		}
		ins[i] = in
	}
	return ins, docs, nil
}

// decodeInstance reads one <instance>.
func decodeInstance(body []byte) (*deltacloud.Instance, *wire.Instance, *deltacloud.Error) {
	d, err := wire.DecodeInstance(body)
	if err != nil {
		return nil, nil, decodeError("instance", err)
	}
	in, err := d.Model()
	if err != nil {
		return nil, nil, decodeError("instance", err)
	}
	return &in, d, nil
}

// rootElement is the name of a document's root element, or "" if there is
// none to be found.
func rootElement(body []byte) string {
	d := xml.NewDecoder(bytes.NewReader(body))
	// Only the element's name matters, so any declared encoding will do.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		tok, err := d.Token()
		if err != nil {
			return ""
		}
		if se, ok := tok.(xml.StartElement); ok {
			return se.Name.Local
		}
	}
}

// get fetches a collection (with query parameters) or a member and checks
// for 200.
func (c *conn) get(ctx context.Context, href string, query url.Values) (*response, error) {
	if len(query) > 0 {
		u, err := c.resolve(href)
		if err != nil {
			return nil, err
		}
		q := u.Query()
		for k, vs := range query {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		href = u.String()
	}
	resp, err := c.do(ctx, http.MethodGet, href, nil)
	if err != nil {
		return nil, err
	}
	if err := resp.expect(http.StatusOK); err != nil {
		return nil, err
	}
	return resp, nil
}

// getCollection fetches a collection the server offers.
func (c *conn) getCollection(ctx context.Context, coll deltacloud.Collection, query url.Values) (*response, error) {
	href, err := c.href(coll)
	if err != nil {
		return nil, err
	}
	return c.get(ctx, href, query)
}

// getMember fetches one object by id.
func (c *conn) getMember(ctx context.Context, coll deltacloud.Collection, id string) (*response, error) {
	href, err := c.memberHref(coll, id)
	if err != nil {
		return nil, err
	}
	return c.get(ctx, href, nil)
}

// Realms lists the realms collection.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	resp, err := c.getCollection(ctx, deltacloud.CollectionRealms, nil)
	if err != nil {
		return nil, err
	}
	rs, derr := decodeRealms(resp.body)
	if derr != nil {
		return nil, derr
	}
	return rs, nil
}

// Realm reads one realm from the collection's href plus its escaped id.
func (c *conn) Realm(ctx context.Context, id string) (*deltacloud.Realm, error) {
	resp, err := c.getMember(ctx, deltacloud.CollectionRealms, id)
	if err != nil {
		return nil, err
	}
	r, derr := decodeRealm(resp.body)
	if derr != nil {
		return nil, derr
	}
	return r, nil
}

// HardwareProfiles lists the profiles with their kinds, ranges and enums.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	resp, err := c.getCollection(ctx, deltacloud.CollectionHardwareProfiles, nil)
	if err != nil {
		return nil, err
	}
	hs, docs, derr := decodeHardwareProfiles(resp.body)
	if derr != nil {
		return nil, derr
	}
	c.rememberParams(docs)
	return hs, nil
}

// rememberParams keeps the create parameter of every range and enum
// property, which CreateInstances sends overrides as.
func (c *conn) rememberParams(docs *wire.HardwareProfiles) {
	params := map[string]map[string]string{}
	for i := range docs.HardwareProfiles {
		d := &docs.HardwareProfiles[i]
		h, err := d.Model()
		if err != nil {
			continue
		}
		for _, p := range h.Properties {
			if pp, ok := d.Param(p.Name); ok && pp.Name != "" {
				if params[h.ID] == nil {
					params[h.ID] = map[string]string{}
				}
				params[h.ID][p.Name] = pp.Name
			}
		}
	}
	c.mu.Lock()
	c.params = params
	c.mu.Unlock()
}

// paramName is the create parameter overriding property prop of profile:
// the one the profile's document names, else hwp_<prop>.
func (c *conn) paramName(profile, prop string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if name := c.params[profile][prop]; name != "" {
		return name
	}
	return wire.ParamPrefix + prop
}

// Images lists images, narrowed on the server by id, architecture and
// owner (the Provider applies the filter again).
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	q := url.Values{}
	setIf(q, "id", f.ID)
	setIf(q, "architecture", f.Architecture)
	setIf(q, "owner_id", f.Owner)
	resp, err := c.getCollection(ctx, deltacloud.CollectionImages, q)
	if err != nil {
		return nil, err
	}
	imgs, derr := decodeImages(resp.body)
	if derr != nil {
		return nil, derr
	}
	return imgs, nil
}

// Image reads one image.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	resp, err := c.getMember(ctx, deltacloud.CollectionImages, id)
	if err != nil {
		return nil, err
	}
	img, derr := decodeImage(resp.body)
	if derr != nil {
		return nil, derr
	}
	return img, nil
}

// Instances lists instances, narrowed on the server by id, state, realm
// and owner, and keeps their action links for Act.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	q := url.Values{}
	setIf(q, "id", f.ID)
	setIf(q, "state", string(f.State))
	setIf(q, "realm_id", f.Realm)
	setIf(q, "owner_id", f.Owner)
	resp, err := c.getCollection(ctx, deltacloud.CollectionInstances, q)
	if err != nil {
		return nil, err
	}
	ins, docs, derr := decodeInstanceDocs(resp.body)
	if derr != nil {
		return nil, derr
	}
	c.rememberLinks(docs, f == deltacloud.InstanceFilter{})
	return ins, nil
}

// Instance reads one instance and keeps its action links for Act.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	in, _, err := c.fetchInstance(ctx, id)
	return in, err
}

// fetchInstance reads one instance from its own link, or from the
// collection's, and remembers its action links.
func (c *conn) fetchInstance(ctx context.Context, id string) (*deltacloud.Instance, *wire.Instance, error) {
	href := c.cachedLinks(id).href
	if href == "" {
		var err error
		if href, err = c.memberHref(deltacloud.CollectionInstances, id); err != nil {
			return nil, nil, err
		}
	}
	resp, err := c.get(ctx, href, nil)
	if err != nil {
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			c.forget(id)
		}
		return nil, nil, err
	}
	in, doc, derr := decodeInstance(resp.body)
	if derr != nil {
		return nil, nil, derr
	}
	c.rememberLinks([]wire.Instance{*doc}, false)
	return in, doc, nil
}

func setIf(q url.Values, k, v string) {
	if v != "" {
		q.Set(k, v)
	}
}
