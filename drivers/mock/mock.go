// Package mock is Deltacloud's mock cloud as a driver, registered as "mock":
// realms us and eu, hardware profiles m1-small, m1-large, m1-xlarge and
// opaque, images img1–img3 and instances inst0–inst3, with only
// mockuser/mockpassword accepted, and the optional collections of the
// original Deltacloud mock: keys (test-key), storage volumes (vol1–vol3, vol3
// attached to inst1 at /dev/sda1), storage snapshots (snap1–snap3), buckets
// (bucket1 with blob1–blob3, bucket2 with blob4 and blob5), addresses
// (192.168.0.1–192.168.0.4), metrics (one per visible instance), images
// made from instances and, with the firewalls option, firewalls (the group
// "default": tcp 22 from 0.0.0.0/0).
//
// Every Open gets its own isolated cloud, so parallel tests never interfere,
// unless the "storage" option names a directory: clouds opened on the same
// directory share one state, stored one JSON file per object in one directory
// per collection and reloaded on the next Open. Blob content is streamed to
// a file and renamed into place, so a blob never has to fit in memory, and an
// upload whose content fails or whose context ends keeps nothing. Without
// storage, blob content is kept in memory.
//
// Options (Config.Options):
//
//	storage        directory to persist the cloud in
//	pending        how long new instances stay PENDING, e.g. "2s"
//	pending_polls  how many reads new instances stay PENDING for
//	activity       simulate other users: every interval (e.g. "2s") start, stop,
//	               reboot, create or destroy a random instance
//	seed           seed of the simulated activity (default: time-based) and of
//	               the metric samples (default 0)
//	firewalls      "true" serves the firewalls collection (default false, as
//	               the original mock has none)
//
// Where this mock differs from the original, on purpose:
//   - Errors are typed: an unknown id of any collection is ErrNotFound
//     (the original answers 500 for some, and destroying an unknown image
//     "succeeds"); a taken key, firewall, bucket or image name is
//     ErrConflict (403 in the original); deleting a non-empty bucket, an
//     attached volume or an address in use, disassociating a free address
//     and imaging inst3 are ErrInvalidState.
//   - A volume can be attached only to a RUNNING instance: attaching to
//     any other is ErrInvalidState carrying the instance's state. The
//     original does not check; this lets the portable state checks be
//     tested against a driver that forbids it.
//   - Metric of an unknown or invisible instance is ErrNotFound (the
//     original returns the first instance's metric whatever the id), and
//     the six samples per property are a function of the seed option, the
//     instance and the property, so tests see the same numbers every run.
//   - Images made from instances are owned by the authenticated user (the
//     original says root): the account that made an image owns it, as on
//     EC2. Their id is the name, which is required (ErrInvalidArgument
//     without one); state AVAILABLE, architecture i386. Destroying a
//     fixture image is allowed (in this cloud only).
//   - Created volumes and snapshots are named volume_<unixtime> and
//     store_snapshot_<unixtime> as in the original, with a suffix _2, _3, …
//     when that id is taken, so two creates in one second never collide.
//   - Created instances are inst<N> with N one more than any id the cloud
//     ever handed out: an id is never used twice, not even after its
//     instance is destroyed, and with storage the count survives restarts
//     (the original re-used the lowest free number, so its first created
//     instance was inst3; ours, after the fixtures, is inst4).
//   - Blobs are named per bucket (the original keeps blob ids global).
//     Metadata names are lower-cased, as the original stored them; two
//     names equal but for case are ErrInvalidArgument.
//   - Names that become ids (keys, firewalls, buckets, blobs, images) must
//     be valid UTF-8 of 1–1024 bytes without control characters.
//   - Associating an address with an instance that already has one frees
//     the old one (as EC2 does); destroying an instance frees its addresses
//     and detaches its volumes. As in the original, an associated address
//     becomes the instance's public address (ipv4). Instances list their
//     attached volumes from the attach to the detach; the fixture inst1
//     lists vol3, which is attached to it (the original's inst1 lists
//     none, although its vol3 says it is attached there).
//   - A volume attached without a device gets the first free /dev/sdf …
//     /dev/sdz; a device the instance already uses is ErrConflict.
//   - Created keys, listed keys and test-key carry their PEM private key, as
//     the original's listings do.
//   - Creates honour client tokens (InstanceSpec.ClientToken, per owner): a
//     create repeated with a token and the same spec answers the first
//     one's instances (destroyed ones as FINISH), with another spec it is
//     ErrConflict. Tokens are kept with the storage, so a restart keeps
//     them. Provider.DryRun checks a create as the create would.
//
// Tests reach the *Cloud through Provider.As for fault injection and latency
// (FailNext, SetLatency), naming operations as the Provider's errors do
// (OpCreateInstances is "CreateInstances"), and prove with Hits that an
// injected fault was hit.
package mock

import (
	"cmp"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
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
		c = newCloud(fixtureState())
		c.refs = 1
	} else if c, err = openShared(o.storage); err != nil {
		return nil, err
	}
	if o.seeded {
		c.mu.Lock()
		c.metricSeed = o.seed
		c.mu.Unlock()
	}
	if o.pending > 0 || o.pendingPolls > 0 {
		c.SetPending(o.pending, o.pendingPolls)
	}
	if o.activity > 0 {
		c.startActivity(o.activity, o.seed, o.seeded)
	}
	cn := &conn{cloud: c, creds: cfg.Credentials}
	if o.firewalls {
		return &fwConn{cn}, nil
	}
	return cn, nil
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
	st, objs, err := openStore(key)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "mock: cannot open storage " + key, Err: err}
	}
	seq, err := st.getSeq()
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.Backend, Message: "mock: cannot read the storage's id sequence", Err: storageErr(err)}
	}
	c := newCloud(objs)
	c.store, c.key, c.refs = st, key, 1
	c.instSeq = max(c.instSeq, seq)
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
		c.closed = true
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
	firewalls    bool
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
		case "firewalls":
			o.firewalls, err = strconv.ParseBool(v)
		default:
			return o, deltacloud.Errorf(deltacloud.InvalidArgument,
				"mock: unknown option %q (known: storage, pending, pending_polls, activity, seed, firewalls)", k)
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
	closedF   atomic.Bool
}

// errClosed answers calls made on a Provider after its Close.
// The root Provider refuses such calls itself with the same code; this
// covers a driver used directly.
var errClosed = &deltacloud.Error{Code: deltacloud.InvalidState, Message: "mock: the provider is closed"}

func (c *conn) isClosed() bool { return c.closedF.Load() }

// auth checks the credentials, as every call that needs them does.
func (c *conn) auth() error {
	if c.creds.User != User || c.creds.Password != Password {
		return &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "Authentication Failure"}
	}
	return nil
}

// begin runs the checks every credentialed call starts with.
func (c *conn) begin(ctx context.Context, ops ...Op) error {
	if c.isClosed() {
		return errClosed
	}
	if err := c.cloud.enter(ctx, ops...); err != nil {
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
	return c.cloud.imageList(f), nil
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
	if err := c.begin(ctx, actionOps[a], OpAct); err != nil {
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

// Close releases the cloud. It does not wait for running calls: a streamed
// PutBlob may take as long as its reader does. A call that has not yet
// committed when the last Provider on a storage directory closes fails with
// ErrUnavailable and leaves nothing behind (see Cloud.closed); one that
// committed first is on disk before Close returns, so a Provider opened
// afterwards sees exactly the acknowledged changes.
func (c *conn) Close() error {
	c.closedF.Store(true)
	c.closeOnce.Do(c.cloud.release)
	return nil
}
