package deltacloud

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// maxLinks bounds the link cache; past it the cache starts over.
const maxLinks = 1 << 16

// instanceLinks is what the driver keeps of an instance between calls: its
// own link and its action links, so that an action right after a read (as
// Provider.Do does) costs one request.
type instanceLinks struct {
	href    string
	actions wire.Actions
}

// rememberLinks keeps the links of instance documents. A complete listing
// replaces the cache, so it holds no instance that no longer exists.
func (c *conn) rememberLinks(docs []wire.Instance, complete bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if complete || len(c.links)+len(docs) > maxLinks {
		c.links = make(map[string]instanceLinks, len(docs))
	}
	for i := range docs {
		d := &docs[i]
		id := strings.TrimSpace(d.ID)
		if id == "" {
			continue
		}
		c.links[id] = instanceLinks{href: strings.TrimSpace(d.Href), actions: d.Actions}
	}
}

func (c *conn) cachedLinks(id string) instanceLinks {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.links[id]
}

func (c *conn) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.links, id)
}

// Act follows the instance's link for the action: the one from the last
// read of the instance, else from a fresh read. An action the instance does
// not offer is InvalidState. Actions are never retried. Destroy answers 204
// without a body, so it returns a nil instance.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	if id == "" {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "empty instance id")
	}
	link, ok := c.cachedLinks(id).actions.Find(string(a))
	if !ok {
		in, doc, err := c.fetchInstance(ctx, id)
		if err != nil {
			return nil, err
		}
		if link, ok = doc.Actions.Find(string(a)); !ok {
			return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: in.State,
				Message: fmt.Sprintf("instance is %s, which allows %v, not %s", in.State, in.Actions, a)}
		}
	}
	method, err := linkMethod(link, a)
	if err != nil {
		return nil, err
	}
	var form map[string][]string
	if method != http.MethodDelete {
		form = map[string][]string{}
	}
	resp, err := c.do(ctx, method, link.Href, form)
	if err != nil {
		return nil, err
	}
	switch resp.status {
	case http.StatusOK, http.StatusAccepted, http.StatusCreated:
		in, doc, derr := decodeInstance(resp.body)
		if derr != nil {
			return nil, derr
		}
		c.rememberLinks([]wire.Instance{*doc}, false)
		return in, nil
	case http.StatusNoContent:
		if a == deltacloud.ActionDestroy {
			c.forget(id)
			return nil, nil
		}
		// The action gave no document: read the instance as it is now.
		in, _, err := c.fetchInstance(ctx, id)
		return in, err
	}
	return nil, c.actionError(ctx, id, resp)
}

// linkMethod is the HTTP method of an action link: its method attribute,
// or DELETE for destroy and POST for anything else when it has none.
func linkMethod(l wire.Link, a deltacloud.Action) (string, error) {
	m := strings.ToUpper(strings.TrimSpace(l.Method))
	switch m {
	case "":
		if a == deltacloud.ActionDestroy {
			return http.MethodDelete, nil
		}
		return http.MethodPost, nil
	case http.MethodPost, http.MethodDelete, http.MethodPut:
		return m, nil
	}
	return "", &deltacloud.Error{Code: deltacloud.Backend,
		Message: fmt.Sprintf("the server's %s link has method %q", a, l.Method)}
}

// actionError classifies a failed action. The original server (and ours)
// answers 403 for an action on an instance it does not know, so a 403 is
// checked with a read: an instance that is gone is NotFound. A 405 carries
// the instance's state when a read can tell it.
func (c *conn) actionError(ctx context.Context, id string, resp *response) error {
	e := resp.err()
	e.ID = id
	switch resp.status {
	case http.StatusForbidden:
		_, _, err := c.fetchInstance(ctx, id)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			c.forget(id)
			return &deltacloud.Error{Code: deltacloud.NotFound, ID: id,
				Message: fmt.Sprintf("instance %q not found (the server answered %d %s)", id, resp.status, e.Message), Err: e.Err}
		}
	case http.StatusNotFound:
		c.forget(id)
	case http.StatusMethodNotAllowed:
		if in, _, err := c.fetchInstance(ctx, id); err == nil {
			e.State = in.State
		}
	}
	return e
}

// CreateInstances posts the spec to the instances collection as the
// Deltacloud create parameters: image_id, realm_id, hwp_id, one
// parameter per property override (named as the profile's document says,
// hwp_<property> by default), name, keyname, password, user_data in base64,
// firewalls1…N, instance_count, metrics, snapshot_id and device_name,
// client_token (only ever set where the server advertised it, see
// SupportsClientToken), and spec.Options as further parameters. A create
// is never retried.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	href, err := c.href(deltacloud.CollectionInstances)
	if err != nil {
		return nil, err
	}
	form, err := c.createForm(spec)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, http.MethodPost, href, form)
	if err != nil {
		return nil, err
	}
	if err := resp.expect(http.StatusCreated, http.StatusOK, http.StatusAccepted); err != nil {
		return nil, err
	}
	body := resp.body
	if len(bytes.TrimSpace(body)) == 0 {
		// Nothing but a Location: read what was created.
		loc := resp.header.Get("Location")
		if loc == "" {
			return nil, &deltacloud.Error{Code: deltacloud.Backend,
				Message: "the server answered the create with neither a document nor a Location"}
		}
		got, err := c.get(ctx, loc, nil)
		if err != nil {
			return nil, err
		}
		body = got.body
	}
	ins, docs, derr := decodeInstanceDocs(body)
	if derr != nil {
		return nil, derr
	}
	c.rememberLinks(docs, false)
	return ins, nil
}

// reservedParams are create parameters the spec's own fields set, which
// spec.Options must not override.
var reservedParams = []string{"image_id", "realm_id", "hwp_id", "name", "keyname", "password", "user_data",
	"firewalls", "instance_count", "metrics", "snapshot_id", "device_name", "client_token", "format", "_method", "id"}

func (c *conn) createForm(spec deltacloud.InstanceSpec) (map[string][]string, error) {
	form := map[string][]string{}
	set := func(k, v string) {
		if v != "" {
			form[k] = []string{v}
		}
	}
	set("image_id", spec.ImageID)
	set("realm_id", spec.RealmID)
	set("hwp_id", spec.ProfileID)
	for _, prop := range sortedKeys(spec.Properties) {
		set(c.paramName(spec.ProfileID, prop), spec.Properties[prop])
	}
	if spec.NameSet {
		form["name"] = []string{spec.Name} // name= asks for no name
	} else {
		set("name", spec.Name)
	}
	set("client_token", spec.ClientToken)
	set("keyname", spec.KeyName)
	set("password", spec.Password)
	if spec.UserData != nil {
		set("user_data", encodeUserData(spec.UserData))
	}
	for i, fw := range spec.Firewalls {
		set(fmt.Sprintf("firewalls%d", i+1), fw)
	}
	if spec.Count > 1 {
		set("instance_count", fmt.Sprint(spec.Count))
	}
	if spec.Metrics {
		set("metrics", "true")
	}
	if s := spec.Snapshot; s != nil {
		set("snapshot_id", s.SnapshotID)
		set("device_name", s.Device)
	}
	for _, k := range sortedKeys(spec.Options) {
		if reserved(k) {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument,
				"create option %q would override a parameter the spec sets; use the spec's field", k)
		}
		if _, taken := form[k]; taken {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "create option %q is already set by the spec", k)
		}
		form[k] = []string{spec.Options[k]}
	}
	return form, nil
}

func reserved(k string) bool {
	return slices.Contains(reservedParams, k) || strings.HasPrefix(k, wire.ParamPrefix) ||
		(strings.HasPrefix(k, "firewalls") && strings.Trim(k[len("firewalls"):], "0123456789") == "")
}

// encodeUserData is user_data as the API wants it: standard base64.
func encodeUserData(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }
