package mock

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// Op names a mock operation for fault injection and latency. The names
// are the Provider's: an Op is the Op of the *deltacloud.Error a call of
// that Provider method returns ("Instances", "CreateImage", "Destroy"), so
// a test injects a fault under the name it then sees in the error.
type Op string

// The operations of the mock cloud. OpAll applies to every operation.
// OpCreateInstances serves both Provider.CreateInstance (Error.Op
// "CreateInstance", accepted as a name for it too) and CreateInstances.
// An action is under its own name (OpStart, OpStop, OpReboot, OpDestroy)
// and under OpAct ("Do"), which matches every action.
const (
	OpAll              Op = "*"
	OpRealms           Op = "Realms"
	OpHardwareProfiles Op = "HardwareProfiles"
	OpImages           Op = "Images"
	OpImage            Op = "Image"
	OpInstances        Op = "Instances"
	OpInstance         Op = "Instance"
	OpCreateInstances  Op = "CreateInstances"
	OpAct              Op = "Do"
	OpStart            Op = "Start"
	OpStop             Op = "Stop"
	OpReboot           Op = "Reboot"
	OpDestroy          Op = "Destroy"

	OpCreateImage  Op = "CreateImage"
	OpDestroyImage Op = "DestroyImage"

	OpKeys       Op = "Keys"
	OpCreateKey  Op = "CreateKey"
	OpDestroyKey Op = "DestroyKey"

	OpFirewalls          Op = "Firewalls"
	OpCreateFirewall     Op = "CreateFirewall"
	OpDestroyFirewall    Op = "DestroyFirewall"
	OpAddFirewallRule    Op = "AddFirewallRule"
	OpDeleteFirewallRule Op = "DeleteFirewallRule"

	OpAddresses           Op = "Addresses"
	OpCreateAddress       Op = "CreateAddress"
	OpDestroyAddress      Op = "DestroyAddress"
	OpAssociateAddress    Op = "AssociateAddress"
	OpDisassociateAddress Op = "DisassociateAddress"

	OpStorageVolumes       Op = "StorageVolumes"
	OpCreateStorageVolume  Op = "CreateStorageVolume"
	OpDestroyStorageVolume Op = "DestroyStorageVolume"
	OpAttachStorageVolume  Op = "AttachStorageVolume"
	OpDetachStorageVolume  Op = "DetachStorageVolume"

	OpStorageSnapshots       Op = "StorageSnapshots"
	OpCreateStorageSnapshot  Op = "CreateStorageSnapshot"
	OpDestroyStorageSnapshot Op = "DestroyStorageSnapshot"

	OpBuckets         Op = "Buckets"
	OpBucket          Op = "Bucket"
	OpCreateBucket    Op = "CreateBucket"
	OpDestroyBucket   Op = "DestroyBucket"
	OpBlob            Op = "Blob"
	OpBlobContent     Op = "BlobContent"
	OpPutBlob         Op = "PutBlob"
	OpDestroyBlob     Op = "DestroyBlob"
	OpSetBlobMetadata Op = "SetBlobMetadata"

	OpMetrics Op = "Metrics"
	OpMetric  Op = "Metric"
)

// Cloud is one mock cloud's state. Users' tests reach it through
// Provider.As to inject faults and latency:
//
//	var c *mock.Cloud
//	p.As(&c)
//	c.FailNext(mock.OpInstances, 2, deltacloud.ErrUnavailable)
//
// It is safe for concurrent use.
type Cloud struct {
	mu        sync.Mutex
	instances map[string]*record
	// order is instances sorted by id, nil when it must be sorted again.
	order     []*record
	images    map[string]*imageRecord
	keys      map[string]*keyRecord
	firewalls map[string]*fwRecord
	addresses map[string]*addressRecord
	volumes   map[string]*volumeRecord
	snapshots map[string]*snapshotRecord
	buckets   map[string]*bucketRecord
	blobs     map[blobKey]*blobRecord
	// tokens are the client tokens of past creates, by tokenKey.
	tokens map[string]*tokenRecord
	store  *store // nil: in memory only
	// gen numbers blob uploads, so each has its own content file.
	gen uint64
	// metricSeed seeds the metric samples.
	metricSeed uint64
	key        string // storage directory, for sharing
	refs       int
	// closed is set, under mu, when the last Provider on a storage
	// directory closes. From then on every write to the store fails with
	// ErrUnavailable instead of reaching the disk, so a call still running
	// on the released cloud can neither acknowledge a change a new Provider
	// on the same directory (which loads the directory afresh) would not
	// see, nor write a file back after that Provider has loaded or changed
	// it. Every change to the store is made under mu, so each one either
	// completes before the release or is refused.
	closed bool
	// instSeq is the number of the next instance id ("inst<N>"). It only
	// grows, so a destroyed instance's id is never handed out again (real
	// clouds never reuse ids, and callers key logs and caches on them);
	// with storage it is kept in the store's sequence file.
	instSeq int

	pendingFor   time.Duration
	pendingPolls int

	faults  map[Op]*fault
	hits    map[Op]int // calls failed by the faults of each Op
	latency map[Op]time.Duration

	stopActivity context.CancelFunc
	activityDone chan struct{}
}

type fault struct {
	n   int
	err error
}

// state is the objects of a cloud, as loaded or as the fixtures.
type state struct {
	instances []*record
	images    []*imageRecord
	keys      []*keyRecord
	firewalls []*fwRecord
	addresses []*addressRecord
	volumes   []*volumeRecord
	snapshots []*snapshotRecord
	buckets   []*bucketRecord
	blobs     []*blobRecord
	tokens    []*tokenRecord
}

func newCloud(st *state) *Cloud {
	c := &Cloud{
		instances: byID(st.instances, func(r *record) string { return r.ID }),
		images:    byID(st.images, func(r *imageRecord) string { return r.ID }),
		keys:      byID(st.keys, func(r *keyRecord) string { return r.ID }),
		firewalls: byID(st.firewalls, func(r *fwRecord) string { return r.ID }),
		addresses: byID(st.addresses, func(r *addressRecord) string { return r.ID }),
		volumes:   byID(st.volumes, func(r *volumeRecord) string { return r.ID }),
		snapshots: byID(st.snapshots, func(r *snapshotRecord) string { return r.ID }),
		buckets:   byID(st.buckets, func(r *bucketRecord) string { return r.ID }),
		blobs:     byID(st.blobs, func(r *blobRecord) blobKey { return blobKey{r.BucketID, r.ID} }),
		tokens:    indexTokens(st.tokens, st.instances),
		faults:    map[Op]*fault{},
		hits:      map[Op]int{},
		latency:   map[Op]time.Duration{},
	}
	c.gen = uint64(time.Now().UnixNano())
	c.instSeq = maxInstNumber(st.instances)
	return c
}

// byID indexes objects by their key.
func byID[K comparable, T any](objs []*T, key func(*T) K) map[K]*T {
	m := make(map[K]*T, len(objs))
	for _, o := range objs {
		m[key(o)] = o
	}
	return m
}

// FailNext makes the next n calls of op fail with err, which may be a Code
// sentinel (deltacloud.ErrUnavailable), an *deltacloud.Error (e.g. with
// RetryAfter) or any error. n ≤ 0 clears the fault. Hits counts the calls
// it failed.
func (c *Cloud) FailNext(op Op, n int, err error) {
	op = op.canonical()
	c.mu.Lock()
	defer c.mu.Unlock()
	if n <= 0 || err == nil {
		delete(c.faults, op)
		return
	}
	c.faults[op] = &fault{n: n, err: err}
}

// Hits reports how many calls an injected fault registered under op has
// failed since the cloud was made (under OpAll: the faults injected for
// every operation), so a test can prove the fault it injected was hit and
// not just left unused.
func (c *Cloud) Hits(op Op) int {
	op = op.canonical()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits[op]
}

// SetLatency delays every call of op by d (zero clears it). A delayed call
// returns early with the context's error when the context ends.
func (c *Cloud) SetLatency(op Op, d time.Duration) {
	op = op.canonical()
	c.mu.Lock()
	defer c.mu.Unlock()
	if d <= 0 {
		delete(c.latency, op)
		return
	}
	c.latency[op] = d
}

// SetPending makes new instances start PENDING and become RUNNING only after
// d has passed and they have been read polls times (either may be zero).
func (c *Cloud) SetPending(d time.Duration, polls int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pendingFor, c.pendingPolls = d, max(polls, 0)
}

// enter applies injected latency and faults to a call known by ops (the
// operation's names, most specific first). At most one fault fails it:
// the first armed one of ops, then OpAll's.
func (c *Cloud) enter(ctx context.Context, ops ...Op) error {
	ops = append(ops, OpAll)
	c.mu.Lock()
	var d time.Duration
	var err error
	for _, k := range ops {
		d += c.latency[k]
		if f := c.faults[k]; f != nil && err == nil {
			err = f.err
			c.hits[k]++
			if f.n--; f.n <= 0 {
				delete(c.faults, k)
			}
		}
	}
	c.mu.Unlock()
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	if err != nil {
		return fmt.Errorf("mock: injected fault in %s: %w", ops[0], err)
	}
	return ctx.Err()
}

// Len returns the number of instances in the cloud, of every owner.
func (c *Cloud) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.instances)
}

// AddInstances adds n running instances owned by mockuser, for load tests and
// benchmarks; they are not persisted.
func (c *Cloud) AddInstances(n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	next := 0
	for range n {
		next = c.freeID(next)
		id := "inst" + strconv.Itoa(next)
		c.putInstance(id, &record{ID: id, Name: "bulk-" + id, Owner: User, ImageID: "img1", RealmID: "us",
			ProfileID: "m1-small", State: deltacloud.StateRunning, CreateImage: true, AddressImage: "img1"})
	}
}

// SetLaunchTime gives an instance a launch time. The mock launches
// without one, as the original did (the REST API's golden replies carry no
// create_time), so a test of something that looks at an instance's age,
// such as deltacloud.ReapOptions.MinAge, sets it here. It fails with
// ErrNotFound for an unknown instance.
func (c *Cloud) SetLaunchTime(id string, t time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookup(id)
	if err != nil {
		return err
	}
	old := r.LaunchTime
	r.LaunchTime = t.UTC()
	if err := c.persist(r); err != nil {
		r.LaunchTime = old
		return err
	}
	return nil
}

// saveSeq advances the instance sequence to n, storing it first when the
// cloud is backed by a directory. The caller holds c.mu.
func (c *Cloud) saveSeq(n int) error {
	if err := c.writable(); err != nil {
		return err
	}
	if c.store != nil {
		if err := storageErr(c.store.putSeq(n)); err != nil {
			return err
		}
	}
	c.instSeq = n
	return nil
}

// maxInstNumber returns one more than the highest N of the "inst<N>" ids.
func maxInstNumber(rs []*record) int {
	next := 0
	for _, r := range rs {
		if n, err := strconv.Atoi(strings.TrimPrefix(r.ID, "inst")); err == nil && strings.HasPrefix(r.ID, "inst") && n >= next {
			next = n + 1
		}
	}
	return next
}

// freeID returns the first N ≥ from with no instance "inst<N>". The caller
// holds c.mu.
func (c *Cloud) freeID(from int) int {
	for n := from; ; n++ {
		if _, taken := c.instances["inst"+strconv.Itoa(n)]; !taken {
			return n
		}
	}
}

// list returns the instances visible to owner that pass f, in numeric id
// order, settling pending ones.
func (c *Cloud) list(owner string, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	recs := c.sortedInstances()
	n := 0
	for _, r := range recs {
		if r.Owner != owner {
			continue
		}
		if err := c.settle(r, now); err != nil {
			return nil, err
		}
		n++
	}
	out := make([]deltacloud.Instance, 0, n)
	v, b := c.view(), newParts(n)
	for _, r := range recs {
		if r.Owner != owner {
			continue
		}
		// The slot is zero (made so, or cleared below): rendering in
		// place spares copying and clearing a large struct.
		out = out[:len(out)+1]
		in := &out[len(out)-1]
		if c.renderInto(in, r, v, b); !f.Match(*in) {
			*in = deltacloud.Instance{}
			out = out[:len(out)-1]
		}
	}
	return out, nil
}

// sortedInstances returns the instances in id order (inst2 before inst10),
// sorted again only after an instance was added or removed. The caller
// holds c.mu and must not change the slice.
func (c *Cloud) sortedInstances() []*record {
	if c.order == nil {
		c.order = slices.Collect(maps.Values(c.instances))
		slices.SortFunc(c.order, func(a, b *record) int { return compareIDs(a.ID, b.ID) })
	}
	return c.order
}

// putInstance stores r under id and removeInstance drops id; both keep the
// sorted order honest. The caller holds c.mu.
func (c *Cloud) putInstance(id string, r *record) {
	c.instances[id] = r
	c.order = nil
}

func (c *Cloud) removeInstance(id string) {
	delete(c.instances, id)
	c.order = nil
}

// splitNumber splits "inst12" into "inst" and 12 so ids sort numerically;
// an id without a number gets -1.
func splitNumber(s string) (string, int) {
	i := len(s)
	for i > 0 && s[i-1] >= '0' && s[i-1] <= '9' {
		i--
	}
	n, err := strconv.Atoi(s[i:])
	if err != nil || len(s)-i > 9 {
		return s, -1
	}
	return s[:i], n
}

// lookup finds an instance's record, settling it if pending. The caller
// holds c.mu.
func (c *Cloud) lookup(id string) (*record, error) {
	r, ok := c.instances[id]
	if !ok {
		return nil, notFound(id)
	}
	return r, c.settle(r, time.Now())
}

// settle applies r's automatic transition and stores the result. The caller
// holds c.mu.
func (c *Cloud) settle(r *record, now time.Time) error {
	if r.settle(now) {
		return c.persist(r)
	}
	return nil
}

// get returns one instance, settling it if pending.
func (c *Cloud) get(id string) (*deltacloud.Instance, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookup(id)
	if err != nil {
		return nil, err
	}
	in := c.render(r, c.view(), newParts(1))
	return &in, nil
}

// links are the other collections' facts shown on instances: the
// associated addresses and the attached volumes, by instance id. They are
// read from the addresses and volumes themselves (which are what is
// stored), so an instance lists a volume exactly while the volume says it
// is attached to it: from the attach to the detach, across restarts.
type links struct {
	addresses map[string]string
	volumes   map[string][]deltacloud.VolumeAttachment
}

// view gathers the links of every instance. The caller holds c.mu.
func (c *Cloud) view() links {
	// The maps are made only when there is a link: most listings have none.
	var l links
	for _, a := range c.addresses {
		if a.InstanceID != "" {
			if l.addresses == nil {
				l.addresses = map[string]string{}
			}
			l.addresses[a.InstanceID] = a.IP
		}
	}
	for _, v := range c.volumes {
		if v.InstanceID != "" {
			if l.volumes == nil {
				l.volumes = map[string][]deltacloud.VolumeAttachment{}
			}
			l.volumes[v.InstanceID] = append(l.volumes[v.InstanceID], deltacloud.VolumeAttachment{VolumeID: v.ID, Device: v.Device})
		}
	}
	for _, vs := range l.volumes {
		slices.SortFunc(vs, func(a, b deltacloud.VolumeAttachment) int { return compareIDs(a.VolumeID, b.VolumeID) })
	}
	return l
}

// render is r in the portable model with its links: an associated address
// replaces the public host name, as on the original mock, and the attached
// volumes are listed.
func (c *Cloud) render(r *record, l links, b *parts) deltacloud.Instance {
	var in deltacloud.Instance
	c.renderInto(&in, r, l, b)
	return in
}

// renderInto is render writing into in, which must be zero.
func (c *Cloud) renderInto(in *deltacloud.Instance, r *record, l links, b *parts) {
	r.render(in, b)
	if ip := l.addresses[r.ID]; ip != "" {
		in.PublicAddresses = b.address(ip, deltacloud.AddressIPv4)
	}
	if vs := l.volumes[r.ID]; len(vs) > 0 {
		in.StorageVolumes = slices.Clone(vs)
	}
}

// compareIDs orders ids with numeric suffixes numerically (inst2 < inst10).
func compareIDs(a, b string) int {
	pa, na := splitNumber(a)
	pb, nb := splitNumber(b)
	return cmp.Or(strings.Compare(pa, pb), cmp.Compare(na, nb), strings.Compare(a, b))
}

func notFound(id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: fmt.Sprintf("instance %q not found", id)}
}

// createParams are a create's resolved parameters.
type createParams struct {
	state   deltacloud.State
	realm   string
	profile string
}

// checkCreate checks what a create asks for against the cloud and resolves
// the driver's defaults; DryRun and create share it, so a dry run
// refuses exactly what a create would. The caller holds c.mu.
func (c *Cloud) checkCreate(spec deltacloud.InstanceSpec) (createParams, error) {
	cp := createParams{state: deltacloud.StateRunning, realm: cmp.Or(spec.RealmID, "us"), profile: cmp.Or(spec.ProfileID, "m1-small")}
	for k, v := range spec.Options {
		switch k {
		case "initial_state":
			switch deltacloud.ParseState(v) {
			case deltacloud.StateRunning, "STARTED":
			case deltacloud.StateStopped:
				cp.state = deltacloud.StateStopped
			default:
				return cp, deltacloud.Errorf(deltacloud.InvalidArgument, "initial_state %q is not one of RUNNING, STARTED, STOPPED", v)
			}
		default:
			return cp, deltacloud.Errorf(deltacloud.InvalidArgument, "the mock driver has no create option %q; it has initial_state", k)
		}
	}
	if !slices.ContainsFunc(realms, func(r deltacloud.Realm) bool { return r.ID == cp.realm }) {
		return cp, deltacloud.Errorf(deltacloud.InvalidArgument, "realm %q does not exist", cp.realm)
	}
	if c.images[spec.ImageID] == nil {
		return cp, deltacloud.Errorf(deltacloud.InvalidArgument, "image %q does not exist", spec.ImageID)
	}
	return cp, nil
}

// create adds spec.Count instances owned by owner. A spec with a client
// token the owner used before answers that create's instances (see
// replay) instead.
func (c *Cloud) create(owner string, spec deltacloud.InstanceSpec) (_ []deltacloud.Instance, rerr error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ins, ok, err := c.replay(owner, spec); ok {
		return ins, err
	}
	cp, err := c.checkCreate(spec)
	if err != nil {
		return nil, err
	}
	var digest string
	if spec.ClientToken != "" {
		digest = deltacloud.SpecDigest(spec)
	}
	now := time.Now()
	name := spec.Name
	if name == "" && !spec.NameSet {
		name = fmt.Sprintf("i-%d", now.Unix()) // as the original names them
	}
	out := make([]deltacloud.Instance, 0, spec.Count)
	ids := make([]string, 0, spec.Count)
	// A create that fails part way (storage) takes back the instances it
	// made, so a failed create leaves nothing behind; a removal that fails
	// too is joined to the error with the ids, for the caller to reap.
	ok := false
	defer func() {
		if ok {
			return
		}
		for _, id := range ids {
			c.removeInstance(id)
			if err := c.drop(dirInstances, id); err != nil && rerr != nil {
				rerr = errors.Join(rerr, fmt.Errorf("mock: instance %s of the failed create is left in storage: %w", id, err))
			}
		}
	}()
	b := newParts(spec.Count)
	for range spec.Count {
		next := c.freeID(c.instSeq)
		// The sequence is stored before the instance, so a crash between
		// the two can skip a number but never reuse one.
		if err := c.saveSeq(next + 1); err != nil {
			return nil, err
		}
		id := "inst" + strconv.Itoa(next)
		r := &record{
			ID: id, Name: name, Owner: owner,
			ImageID: spec.ImageID, RealmID: cp.realm, ProfileID: cp.profile, Overrides: maps.Clone(spec.Properties),
			State: cp.state, KeyName: spec.KeyName, UserData: spec.UserData, Metrics: spec.Metrics,
			CreateImage: true, AddressImage: spec.ImageID, Tags: maps.Clone(spec.Tags),
			ClientToken: spec.ClientToken, SpecDigest: digest,
		}
		if cp.state == deltacloud.StateRunning && (c.pendingFor > 0 || c.pendingPolls > 0) {
			r.State, r.PendingUntil, r.PendingPolls = deltacloud.StatePending, now.Add(c.pendingFor), c.pendingPolls
		}
		if err := c.persist(r); err != nil {
			return nil, err
		}
		c.putInstance(id, r)
		ids = append(ids, id)
		out = append(out, c.render(r, links{}, b))
	}
	if err := c.remember(owner, spec, digest, name, cp, ids); err != nil {
		return nil, err
	}
	ok = true
	return out, nil
}

// act performs an action, checking the instance's state like a real cloud.
func (c *Cloud) act(id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookup(id)
	if err != nil {
		return nil, err
	}
	next, ok := lifecycle.Next(r.State, a)
	if !ok {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: r.State,
			Message: fmt.Sprintf("instance %s is %s; %s is not allowed", id, r.State, a)}
	}
	if next == deltacloud.StateFinish {
		in := c.render(r, c.view(), newParts(1))
		if err := c.freeHeld(id); err != nil {
			return nil, err
		}
		if err := c.drop(dirInstances, id); err != nil {
			return nil, err
		}
		c.removeInstance(id)
		in.State, in.Actions = deltacloud.StateFinish, nil
		return &in, nil
	}
	old := r.State
	r.State = next
	if err := c.persist(r); err != nil {
		r.State = old
		return nil, err
	}
	in := c.render(r, c.view(), newParts(1))
	return &in, nil
}

// freeHeld frees what a destroyed instance held, as EC2 does on termination:
// its addresses are disassociated and its volumes detached. The caller holds
// c.mu.
func (c *Cloud) freeHeld(id string) error {
	for _, a := range c.addresses {
		if a.InstanceID == id {
			na := *a
			na.InstanceID = ""
			if err := c.save(dirAddresses, na.ID, &na); err != nil {
				return err
			}
			*a = na
		}
	}
	for _, v := range c.volumes {
		if v.InstanceID == id {
			nv := *v
			nv.InstanceID, nv.Device, nv.State = "", "", deltacloud.VolumeAvailable
			if err := c.save(dirVolumes, nv.ID, &nv); err != nil {
				return err
			}
			*v = nv
		}
	}
	return nil
}

// persist writes r when the cloud is backed by a directory. The caller holds
// c.mu.
func (c *Cloud) persist(r *record) error { return c.save(dirInstances, r.ID, r) }

// save writes one object of a collection when the cloud is backed by a
// directory. The caller holds c.mu.
func (c *Cloud) save(coll, id string, v any) error {
	if err := c.writable(); err != nil || c.store == nil {
		return err
	}
	return storageErr(c.store.put(coll, id, v))
}

// writable refuses changes to a cloud whose last Provider has closed. The
// caller holds c.mu.
func (c *Cloud) writable() error {
	if c.closed {
		return errReleased
	}
	return nil
}

// errReleased answers a call that was still running when the last Provider
// on its storage directory closed.
var errReleased = &deltacloud.Error{Code: deltacloud.Unavailable,
	Message: "mock: the provider was closed while the call was running; nothing was changed"}

// storageErr turns a file-system error into a Backend error that names the
// failed operation and the system's reason but not the path: paths are the
// operator's internals (and temp names mean nothing to a caller), and the
// api layer shows error messages to clients.
func storageErr(err error) error {
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return &deltacloud.Error{Code: deltacloud.Backend, Message: "mock: storage " + pe.Op + " failed: " + pe.Err.Error(), Err: pe.Err}
	case errors.As(err, &le):
		return &deltacloud.Error{Code: deltacloud.Backend, Message: "mock: storage " + le.Op + " failed: " + le.Err.Error(), Err: le.Err}
	}
	return &deltacloud.Error{Code: deltacloud.Backend, Message: "mock: storage failed: " + err.Error(), Err: err}
}

// drop deletes one object's file when the cloud is backed by a directory.
// The caller holds c.mu.
func (c *Cloud) drop(coll, id string) error {
	if err := c.writable(); err != nil || c.store == nil {
		return err
	}
	return storageErr(c.store.remove(coll, id))
}
