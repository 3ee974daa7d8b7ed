// Package mock is Deltacloud's mock cloud as a driver, registered as "mock":
// realms us and eu, hardware profiles m1-small, m1-large, m1-xlarge and
// opaque, images img1–img3 and instances inst0–inst3, with only
// mockuser/mockpassword accepted (see the Deltacloud API spec §8–§9).
//
// Every Open gets its own isolated cloud, so parallel tests never interfere,
// unless the "storage" option names a directory: clouds opened on the same
// directory share one state, stored one file per instance and reloaded on the
// next Open.
//
// Options (Config.Options):
//
//	storage        directory to persist instances in
//	pending        how long new instances stay PENDING, e.g. "2s"
//	pending_polls  how many reads new instances stay PENDING for
//	activity       simulate other users: every interval (e.g. "2s") start, stop,
//	               reboot, create or destroy a random instance
//	seed           seed of the simulated activity (default: time-based)
//
// Tests reach the *Cloud through Provider.As for fault injection and latency.
package mock

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

func init() { deltacloud.Register("mock", driver{}) }

type driver struct{}

func (driver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "Mock"}
}

// shared holds the clouds backed by a storage directory, by directory.
var (
	sharedMu sync.Mutex
	shared   = map[string]*Cloud{}
)

func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	var c *Cloud
	if o.storage == "" {
		c = newCloud(fixtureInstances())
		c.refs = 1
	} else if c, err = openShared(o.storage); err != nil {
		return nil, err
	}
	if o.pending > 0 || o.pendingPolls > 0 {
		c.SetPending(o.pending, o.pendingPolls)
	}
	if o.activity > 0 {
		c.startActivity(o.activity, o.seed, o.seeded)
	}
	return &conn{cloud: c, creds: cfg.Credentials}, nil
}

func openShared(dir string) (*Cloud, error) {
	key, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if c := shared[key]; c != nil {
		c.mu.Lock()
		c.refs++
		c.mu.Unlock()
		return c, nil
	}
	st, recs, err := openStore(key)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "mock: cannot open storage " + key, Err: err}
	}
	c := newCloud(recs)
	c.store, c.key, c.refs = st, key, 1
	shared[key] = c
	return c, nil
}

// release drops one reference and stops the cloud's activity with the last.
func (c *Cloud) release() {
	sharedMu.Lock()
	c.mu.Lock()
	c.refs--
	last := c.refs == 0
	if last && c.key != "" {
		delete(shared, c.key)
	}
	c.mu.Unlock()
	sharedMu.Unlock()
	if last {
		c.stopActivityLoop()
	}
}

type options struct {
	storage      string
	pending      time.Duration
	pendingPolls int
	activity     time.Duration
	seed         uint64
	seeded       bool
}

func parseOptions(m map[string]string) (options, error) {
	var o options
	for k, v := range m {
		var err error
		switch k {
		case "storage":
			o.storage = v
		case "pending":
			o.pending, err = time.ParseDuration(v)
		case "pending_polls":
			o.pendingPolls, err = strconv.Atoi(v)
		case "activity":
			o.activity, err = time.ParseDuration(v)
		case "seed":
			o.seed, err = strconv.ParseUint(v, 10, 64)
			o.seeded = true
		default:
			return o, deltacloud.Errorf(deltacloud.InvalidArgument,
				"mock: unknown option %q (known: storage, pending, pending_polls, activity, seed)", k)
		}
		if err == nil && (o.pending < 0 || o.pendingPolls < 0 || o.activity < 0) {
			err = fmt.Errorf("must not be negative")
		}
		if err != nil {
			return o, deltacloud.Errorf(deltacloud.InvalidArgument, "mock: option %s=%q: %v", k, v, err)
		}
	}
	return o, nil
}

// conn is one opened provider: a cloud plus the caller's credentials.
type conn struct {
	cloud     *Cloud
	creds     deltacloud.Credentials
	closeOnce sync.Once
}

// auth checks the credentials, as every call that needs them does.
func (c *conn) auth() error {
	if c.creds.User != User || c.creds.Password != Password {
		return &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "Authentication Failure"}
	}
	return nil
}

// begin runs the checks every credentialed call starts with.
func (c *conn) begin(ctx context.Context, op Op) error {
	if err := c.cloud.enter(ctx, op); err != nil {
		return err
	}
	return c.auth()
}

func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	if err := c.begin(ctx, OpRealms); err != nil {
		return nil, err
	}
	return slices.Clone(realms), nil
}

func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	if err := c.cloud.enter(ctx, OpHardwareProfiles); err != nil {
		return nil, err
	}
	out := make([]deltacloud.HardwareProfile, len(profiles))
	for i, h := range profiles {
		h.Properties = slices.Clone(h.Properties)
		out[i] = h
	}
	return out, nil
}

func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	if err := c.begin(ctx, OpImages); err != nil {
		return nil, err
	}
	if f.Owner == deltacloud.OwnerSelf {
		f.Owner = c.creds.User
	}
	var out []deltacloud.Image
	for _, img := range images {
		if f.Match(img) {
			img.HardwareProfiles = slices.Clone(img.HardwareProfiles)
			out = append(out, img)
		}
	}
	return out, nil
}

func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	imgs, err := c.Images(ctx, deltacloud.ImageFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(imgs) == 0 {
		return nil, &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: fmt.Sprintf("image %q not found", id)}
	}
	return &imgs[0], nil
}

func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if err := c.begin(ctx, OpInstances); err != nil {
		return nil, err
	}
	owner := f.Owner
	if owner == "" || owner == deltacloud.OwnerSelf {
		owner = c.creds.User
	}
	f.Owner = owner
	return c.cloud.list(owner, f)
}

func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	if err := c.begin(ctx, OpInstance); err != nil {
		return nil, err
	}
	return c.cloud.get(id)
}

func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	if err := c.begin(ctx, OpCreateInstances); err != nil {
		return nil, err
	}
	spec.Count = cmp.Or(spec.Count, 1)
	return c.cloud.create(c.creds.User, spec)
}

func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	if err := c.begin(ctx, OpAct); err != nil {
		return nil, err
	}
	return c.cloud.act(id, a)
}

func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

func (c *conn) Features() deltacloud.Features { return slices.Clone(features) }

// As hands out the *Cloud for fault injection: target must be a **Cloud.
func (c *conn) As(target any) bool {
	p, ok := target.(**Cloud)
	if ok {
		*p = c.cloud
	}
	return ok
}

func (c *conn) Close() error {
	c.closeOnce.Do(c.cloud.release)
	return nil
}
