package api

import (
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// instanceOptions says which extra action links instances get:
// create_image where the driver makes images from instances (and the
// instance allows it). run needs run_on_instance, which no driver offers.
func instanceOptions(p *deltacloud.Provider) wire.InstanceOptions {
	return wire.InstanceOptions{CreateImage: p.Supports(deltacloud.CapabilityCreateImage)}
}

func instancesIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	f := deltacloud.InstanceFilter{ID: q.params.Get("id"), Realm: q.params.Get("realm_id"), Owner: q.params.Get("owner_id")}
	if s := q.params.Get("state"); s != "" {
		f.State = deltacloud.ParseState(s)
	}
	ins, err := p.Instances(q.r.Context(), f)
	if err != nil {
		return err
	}
	return q.renderListing(&instancesListing{q: q, f: f, ins: ins, opts: instanceOptions(p)})
}

// instancesListing is GET /instances through the provider's memo.
type instancesListing struct {
	q    *request
	f    deltacloud.InstanceFilter
	ins  []deltacloud.Instance
	opts wire.InstanceOptions
}

// unfilteredVariants are the variants of unfiltered listings, by
// InstanceOptions.Run and CreateImage, made once: most listings have no
// filter.
var unfilteredVariants = func() (v [2][2]string) {
	for i, run := range []bool{false, true} {
		for j, create := range []bool{false, true} {
			v[i][j] = instancesVariant(deltacloud.InstanceFilter{}, wire.InstanceOptions{Run: run, CreateImage: create})
		}
	}
	return v
}()

func boolIndex(b bool) int {
	if b {
		return 1
	}
	return 0
}

// instancesVariant is the memo variant of a filter and options.
func instancesVariant(f deltacloud.InstanceFilter, opts wire.InstanceOptions) string {
	return strings.Join([]string{f.ID, string(f.State), f.Realm, f.Owner, f.TagKey, f.TagValue,
		strconv.FormatBool(opts.Run), strconv.FormatBool(opts.CreateImage)}, "\x00")
}

func (l *instancesListing) key() (route, variant string) {
	// The filter is in the key although the data reflect it: a listing
	// must not be served for a request it was not made for.
	if l.f == (deltacloud.InstanceFilter{}) {
		return "instances", unfilteredVariants[boolIndex(l.opts.Run)][boolIndex(l.opts.CreateImage)]
	}
	return "instances", instancesVariant(l.f, l.opts)
}

func (l *instancesListing) same(old any) bool {
	o, ok := old.([]deltacloud.Instance)
	return ok && instancesEqual(o, l.ins)
}

func (l *instancesListing) keep() any { return cloneInstances(l.ins) }

func (l *instancesListing) build() (wire.Document, func() any, string, any) {
	doc := wire.NewInstances(l.q.base, l.ins, l.opts)
	return doc, func() any { return doc.JSON() }, "instances", doc
}

// instancesEqual reports whether two listings hold the same instances,
// field by field (a launch time in the same location too, as it is
// rendered): what a listing renders from. TestInstancesEqualSeesEveryField
// fails when a field is added to Instance and not compared here.
func instancesEqual(a, b []deltacloud.Instance) bool {
	if len(a) != len(b) || (a == nil) != (b == nil) {
		return false
	}
	for i := range a {
		x, y := &a[i], &b[i]
		if x.ID != y.ID || x.Name != y.Name || x.Owner != y.Owner || x.ImageID != y.ImageID || x.RealmID != y.RealmID ||
			x.Profile.ID != y.Profile.ID || !maps.Equal(x.Profile.Overrides, y.Profile.Overrides) ||
			x.State != y.State || !slices.Equal(x.Actions, y.Actions) ||
			!slices.Equal(x.PublicAddresses, y.PublicAddresses) || !slices.Equal(x.PrivateAddresses, y.PrivateAddresses) ||
			!x.LaunchTime.Equal(y.LaunchTime) || x.LaunchTime.Location() != y.LaunchTime.Location() ||
			(x.Authentication == nil) != (y.Authentication == nil) ||
			(x.Authentication != nil && *x.Authentication != *y.Authentication) ||
			!slices.Equal(x.Firewalls, y.Firewalls) || !slices.Equal(x.StorageVolumes, y.StorageVolumes) ||
			x.CanCreateImage != y.CanCreateImage || !maps.Equal(x.Extra, y.Extra) ||
			(x.Extra == nil) != (y.Extra == nil) || !maps.Equal(x.Tags, y.Tags) ||
			(x.Tags == nil) != (y.Tags == nil) {
			return false
		}
	}
	return true
}

// cloneInstances copies instances deeply, so that a memo's copy cannot
// change with what a driver returned. TestInstancesEqualSeesEveryField
// fails when a field is added to Instance and not copied here.
func cloneInstances(ins []deltacloud.Instance) []deltacloud.Instance {
	if ins == nil {
		return nil
	}
	out := make([]deltacloud.Instance, len(ins))
	for i, in := range ins {
		in.Profile.Overrides = maps.Clone(in.Profile.Overrides)
		in.Actions = slices.Clone(in.Actions)
		in.PublicAddresses = slices.Clone(in.PublicAddresses)
		in.PrivateAddresses = slices.Clone(in.PrivateAddresses)
		if in.Authentication != nil {
			a := *in.Authentication
			in.Authentication = &a
		}
		in.Firewalls = slices.Clone(in.Firewalls)
		in.StorageVolumes = slices.Clone(in.StorageVolumes)
		in.Extra = maps.Clone(in.Extra)
		in.Tags = maps.Clone(in.Tags)
		out[i] = in
	}
	return out
}

func instanceShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	in, err := p.Instance(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewInstance(q.base, *in, instanceOptions(p))
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "instance", doc)
}

// passThrough are undeclared create parameters some drivers read: the mock's initial_state, EC2's subnet_id. Other unknown
// parameters are ignored, as the original ignores them.
var passThrough = []string{"initial_state", "subnet_id"}

// firewallParam matches firewalls1…firewallsN.
var firewallParam = regexp.MustCompile(`^firewalls[0-9]+$`)

// instanceSpec reads POST /api/instances into a spec. The Provider checks
// it (features, profile values) before the driver sees it.
func instanceSpec(q *request) (deltacloud.InstanceSpec, error) {
	v := q.params
	spec := deltacloud.InstanceSpec{
		ImageID:   v.Get("image_id"),
		RealmID:   v.Get("realm_id"),
		ProfileID: v.Get("hwp_id"),
		Name:      v.Get("name"),
		KeyName:   v.Get("keyname"),
		Password:  v.Get("password"),
		Metrics:   v.Get("metrics") != "",
		// The Provider bounds the token and refuses it where the driver
		// does not honour it.
		ClientToken: v.Get("client_token"),
	}
	// name= with no value asks for an unnamed instance, as on the original
	// server; the HTML form's field left blank means no name was chosen,
	// so the driver names the instance.
	if _, ok := v["name"]; ok && q.format != formatHTML {
		spec.NameSet = true
	}
	for _, prop := range []string{deltacloud.PropertyCPU, deltacloud.PropertyMemory, deltacloud.PropertyStorage, deltacloud.PropertyArchitecture} {
		if val := v.Get("hwp_" + prop); val != "" {
			if spec.Properties == nil {
				spec.Properties = map[string]string{}
			}
			spec.Properties[prop] = val
		}
	}
	if ud := v.Get("user_data"); ud != "" {
		data, err := base64.StdEncoding.DecodeString(strings.TrimSpace(ud))
		if err != nil {
			return spec, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "user_data is not valid base64"}
		}
		spec.UserData = data
	}
	var fwKeys []string
	for k := range v {
		if firewallParam.MatchString(k) {
			fwKeys = append(fwKeys, k)
		}
	}
	slices.SortFunc(fwKeys, func(a, b string) int {
		na, _ := strconv.Atoi(strings.TrimPrefix(a, "firewalls"))
		nb, _ := strconv.Atoi(strings.TrimPrefix(b, "firewalls"))
		return na - nb
	})
	for _, k := range append([]string{"firewalls"}, fwKeys...) {
		for _, fw := range v[k] {
			if fw = strings.TrimSpace(fw); fw != "" && !slices.Contains(spec.Firewalls, fw) {
				spec.Firewalls = append(spec.Firewalls, fw)
			}
		}
	}
	if c := v.Get("instance_count"); c != "" {
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > 1000 {
			return spec, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: fmt.Sprintf("instance_count %q is not a number from 1 to 1000", c)}
		}
		spec.Count = n
	}
	if s, d := v.Get("snapshot_id"), v.Get("device_name"); s != "" || d != "" {
		spec.Snapshot = &deltacloud.SnapshotAttachment{SnapshotID: s, Device: d}
	}
	for _, k := range passThrough {
		if val := v.Get(k); val != "" {
			if spec.Options == nil {
				spec.Options = map[string]string{}
			}
			spec.Options[k] = val
		}
	}
	return spec, nil
}

func instanceCreate(q *request) error {
	spec, err := instanceSpec(q)
	if err != nil {
		return err
	}
	p, err := q.open()
	if err != nil {
		return err
	}
	ins, err := p.CreateInstances(q.r.Context(), spec)
	if err != nil {
		return err
	}
	opts := instanceOptions(p)
	if q.format == formatHTML {
		target := "/instances"
		if len(ins) == 1 {
			target += "/" + url.PathEscape(ins[0].ID)
		}
		q.redirect(target)
		return nil
	}
	if len(ins) == 1 {
		doc := wire.NewInstance(q.base, ins[0], opts)
		q.w.Header().Set("Location", q.base+"/instances/"+url.PathEscape(ins[0].ID))
		return q.render(http.StatusCreated, doc, func() any { return doc.ShowJSON() }, "instance", doc)
	}
	doc := wire.NewInstances(q.base, ins, opts)
	return q.render(http.StatusCreated, doc, func() any { return doc.JSON() }, "instances", doc)
}

// instanceAction performs reboot/start/stop/suspend/resume (202 with the
// instance) or destroy (204). An unknown instance is 403 and an action the
// state does not allow 405, as the original answers.
func instanceAction(a deltacloud.Action) func(*request) error {
	return func(q *request) error {
		p, err := q.open()
		if err != nil {
			return err
		}
		in, err := p.Do(q.r.Context(), q.id, a)
		if errors.Is(err, deltacloud.ErrNotFound) {
			return &deltacloud.Error{Code: deltacloud.Forbidden, Message: "Forbidden", Err: err}
		}
		if err != nil {
			return err
		}
		if q.format == formatHTML {
			if a == deltacloud.ActionDestroy {
				q.redirect("/instances")
			} else {
				q.redirect("/instances/" + url.PathEscape(q.id))
			}
			return nil
		}
		if a == deltacloud.ActionDestroy {
			q.setCommonHeaders()
			q.w.Header().Set("X-Backend-Runtime", q.runtime())
			q.w.WriteHeader(http.StatusNoContent)
			q.wrote = true
			return nil
		}
		doc := wire.NewInstance(q.base, *in, instanceOptions(p))
		return q.render(http.StatusAccepted, doc, func() any { return doc.JSON() }, "instance", doc)
	}
}

// redirect answers an HTML form with 302 to rel (a path under {B}), as the
// original does for creates, destroys and actions in the browsable UI,
// keeping the request's driver and provider selection.
func (q *request) redirect(rel string) {
	q.setCommonHeaders()
	http.Redirect(q.w, q.r, q.pageData(nil).URL(rel), http.StatusFound)
	q.wrote = true
}
