package hetzner

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// maxUserData is the API's bound on user data.
const maxUserData = 32 * 1024

// plan is a create resolved against the cloud, before anything is made.
type plan struct {
	opts  hcloud.ServerCreateOpts
	image *hcloud.Image
	st    *hcloud.ServerType
	loc   string
}

// resolve checks a spec against the cloud: the image, location, server
// type (offered there, of the image's architecture), key and firewalls.
// It creates nothing.
func (c *conn) resolve(ctx context.Context, spec deltacloud.InstanceSpec) (*plan, error) {
	if len(spec.Options) > 0 {
		for k := range spec.Options {
			return nil, invalid("create option %q is not known (the driver takes none)", k)
		}
	}
	if spec.Count > 1 {
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "hetzner: one instance per create")
	}
	if spec.Name != "" && (len(spec.Name) > maxNameLen || !hostLabel(spec.Name)) {
		return nil, invalid("name %q: want a host name label (letters, digits and '-') of at most %d characters", spec.Name, maxNameLen)
	}
	if len(spec.UserData) > maxUserData {
		return nil, invalid("user data is %d bytes; Hetzner takes at most %d", len(spec.UserData), maxUserData)
	}
	if err := checkTags(spec.Tags); err != nil {
		return nil, err
	}
	img, err := c.image(ctx, spec.ImageID)
	if deltacloud.CodeOf(err) == deltacloud.NotFound {
		return nil, invalid("image %q does not exist", spec.ImageID)
	}
	if err != nil {
		return nil, err
	}
	if img.Status != hcloud.ImageStatusAvailable {
		return nil, deltacloud.Errorf(deltacloud.InvalidState, "hetzner: image %s is %s, not available", spec.ImageID, img.Status)
	}
	loc := spec.RealmID
	if loc == "" {
		loc = c.location
	}
	ts, err := c.serverTypes(ctx)
	if err != nil {
		return nil, err
	}
	var st *hcloud.ServerType
	if spec.ProfileID != "" {
		i := slices.IndexFunc(ts, func(t *hcloud.ServerType) bool { return t.Name == spec.ProfileID && offered(t) })
		if i < 0 {
			return nil, invalid("hardware profile %q does not exist", spec.ProfileID)
		}
		st = ts[i]
		if st.Architecture != img.Architecture {
			return nil, invalid("image %s is for %s; server type %s is %s", spec.ImageID,
				Architecture(img.Architecture), st.Name, Architecture(st.Architecture))
		}
		if !offeredIn(st, loc) {
			return nil, invalid("server type %s is not offered in %s (offered in %s)", st.Name, loc, strings.Join(where(st), ", "))
		}
	} else {
		for _, t := range ts {
			if t.Architecture != img.Architecture || !offered(t) || !offeredIn(t, loc) {
				continue
			}
			if st == nil || t.Cores < st.Cores || (t.Cores == st.Cores && t.Memory < st.Memory) ||
				(t.Cores == st.Cores && t.Memory == st.Memory && t.Disk < st.Disk) {
				st = t
			}
		}
		if st == nil {
			return nil, invalid("no server type for %s images is offered in %s", Architecture(img.Architecture), loc)
		}
	}
	labels := c.ownerLabels()
	for k, v := range spec.Tags {
		labels[k] = v
	}
	textLabels(labels, LabelName, spec.Name)
	opts := hcloud.ServerCreateOpts{
		ServerType: st, Image: &hcloud.Image{ID: img.ID}, Location: &hcloud.Location{Name: loc},
		UserData: string(spec.UserData), Labels: labels, StartAfterCreate: hcloud.Ptr(true),
	}
	if spec.KeyName != "" {
		k, _, err := c.client.SSHKey.GetByName(ctx, spec.KeyName)
		if err != nil {
			return nil, wrap(err)
		}
		if k == nil {
			return nil, invalid("key %q does not exist", spec.KeyName)
		}
		opts.SSHKeys = []*hcloud.SSHKey{k}
		textLabels(labels, LabelKeyName, spec.KeyName)
	}
	for _, id := range spec.Firewalls {
		fw, err := c.ownedFirewall(ctx, id)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			return nil, invalid("firewall %q does not exist", id)
		}
		if err != nil {
			return nil, err
		}
		opts.Firewalls = append(opts.Firewalls, &hcloud.ServerCreateFirewall{Firewall: hcloud.Firewall{ID: fw.ID}})
	}
	return &plan{opts: opts, image: img, st: st, loc: loc}, nil
}

// hostLabel reports whether s is a host name label.
func hostLabel(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// CreateInstances creates one server and waits until its create action
// has succeeded. Whatever fails, or a context that ends, deletes the
// server again.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	p, err := c.resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	name := "deltacloud-" + randomSuffix(8)
	if spec.Name != "" {
		name = spec.Name + "-" + randomSuffix(6)
	}
	p.opts.Name = name
	res, _, err := c.client.Server.Create(ctx, p.opts)
	if err != nil {
		// The request may have reached the API: find the server by its
		// name, which nothing else uses, and delete it.
		c.cutOff(ctx, c.serverNamed(name))
		return nil, wrap(err)
	}
	id := res.Server.ID
	undo := func(ctx context.Context) { c.deleteServer(ctx, id) }
	if err := c.wait(ctx, append([]*hcloud.Action{res.Action}, res.NextActions...)...); err != nil {
		c.undo(ctx, undo)
		return nil, err
	}
	in, err := c.Instance(ctx, strconv.FormatInt(id, 10))
	if err != nil {
		c.undo(ctx, undo)
		return nil, err
	}
	if res.RootPassword != "" {
		in.Authentication = &deltacloud.Authentication{Method: "password", Username: "root", Password: res.RootPassword}
	}
	return []deltacloud.Instance{*in}, nil
}

// deleteServer deletes a server and waits for it, ignoring errors (a
// clean-up).
func (c *conn) deleteServer(ctx context.Context, id int64) {
	for range 3 {
		res, _, err := c.client.Server.DeleteWithResult(ctx, &hcloud.Server{ID: id})
		if isNotFound(err) {
			return
		}
		if err == nil {
			if c.client.Action.WaitFor(ctx, res.Action) == nil {
				return
			}
		}
		if ctx.Err() != nil {
			return
		}
	}
}

// serverNamed deletes the server of a name if it carries the ownership
// label, and reports whether there was one (a clean-up).
func (c *conn) serverNamed(name string) func(context.Context) bool {
	return func(ctx context.Context) bool {
		s, _, err := c.client.Server.GetByName(ctx, name)
		if err != nil || s == nil || !c.owned(s.Labels) {
			return false
		}
		c.deleteServer(ctx, s.ID)
		return true
	}
}

// findLater is the clean-up of a create whose request was cut off: the API
// may have received it and still make the object a moment later, so find
// (which deletes what it finds and reports whether it found it) is tried
// five times, at poll_interval, then twice, four and eight times that.
func (c *conn) findLater(ctx context.Context, find func(context.Context) bool) {
	wait := c.opts.pollInterval
	for try := range 5 {
		if try > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait *= 2
		}
		if find(ctx) {
			return
		}
	}
}

// whileLocked runs a clean-up's delete until the API stops answering
// "locked" (the object's create action still runs), at poll_interval, for
// as long as ctx lasts; not found counts as done.
func (c *conn) whileLocked(ctx context.Context, del func(context.Context) error) {
	for {
		err := del(ctx)
		if err == nil || isNotFound(err) || !hcloud.IsError(err, hcloud.ErrorCodeLocked) {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(c.opts.pollInterval):
		}
	}
}

// cutOff cleans up after a create request that failed: when ctx has
// ended, the API may have made the object anyway, and find looks for it
// (see findLater) in the background.
func (c *conn) cutOff(ctx context.Context, find func(context.Context) bool) {
	if ctx.Err() != nil {
		c.undo(ctx, func(ctx context.Context) { c.findLater(ctx, find) })
	}
}

// DryRun resolves a create against the cloud (image, location, server
// type, key, firewalls) without creating anything, and shows the request.
func (c *conn) DryRun(ctx context.Context, spec deltacloud.InstanceSpec) (*deltacloud.DriverPlan, error) {
	p, err := c.resolve(ctx, spec)
	if err != nil {
		return nil, err
	}
	req := map[string]string{
		"image": strconv.FormatInt(p.image.ID, 10), "server_type": p.st.Name, "location": p.loc,
	}
	if len(p.opts.SSHKeys) > 0 {
		req["ssh_keys"] = strconv.FormatInt(p.opts.SSHKeys[0].ID, 10)
	}
	if spec.UserData != nil {
		req["user_data"] = "(hidden)"
	}
	var fws []string
	for _, f := range p.opts.Firewalls {
		fws = append(fws, strconv.FormatInt(f.Firewall.ID, 10))
	}
	if fws != nil {
		req["firewalls"] = strings.Join(fws, ",")
	}
	return &deltacloud.DriverPlan{Request: req}, nil
}

var _ deltacloud.DryRunConn = (*conn)(nil)
