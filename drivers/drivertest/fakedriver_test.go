package drivertest_test

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// fakeDriverName is the name the fake registers under. The fake is a small
// in-memory cloud that passes the conformance suite unless it is opened with
// a defect (Config.Options["defect"]), each of which breaks one promise the
// suite checks.
const fakeDriverName = "drivertest-fake"

// The only credentials the fake accepts.
const (
	fakeUser     = "u"
	fakePassword = "p"
)

// The defects the fake can be opened with.
const (
	defectRebootStops     = "reboot-stops"      // reboot leads to STOPPED instead of RUNNING
	defectGetDiffers      = "get-differs"       // Image(id) describes the image differently from the listing
	defectWrongNotFound   = "wrong-notfound"    // an unknown instance id is a plain error, not NotFound
	defectIgnoresCtx      = "ignores-ctx"       // latency cannot be cancelled
	defectAcceptsBadCreds = "accepts-bad-creds" // any credentials are accepted
	defectAutoJump        = "auto-jump"         // PENDING instances settle into STOPPED by themselves
	defectCreatedStopped  = "created-stopped"   // new instances start STOPPED, which create does not lead to
	defectDupIDs          = "dup-ids"           // every create returns the same id

	// Defects the suite does not catch yet (see TestSuiteCatchesDefects).
	defectStartNoop     = "start-noop"      // start succeeds but the instance stays STOPPED
	defectActIgnoresCtx = "act-ignores-ctx" // actions' latency cannot be cancelled
	defectRacyCreate    = "racy-create"     // creates bump the id counter without the lock
	defectIgnoresName   = "ignores-name"    // user_name is advertised but the name is dropped

	// Defects of the optional collections.
	defectPartialBlob       = "partial-blob"        // a failed upload keeps what was read
	defectIgnoresVolumeName = "ignores-volume-name" // volume_name is advertised but the name is dropped
	defectBlobCorrupt       = "blob-corrupt"        // a blob's content is served with one byte changed
	defectHidesVolumes      = "hides-volumes"       // instances never list their attached volumes
)

var fakeDefects = []string{
	defectRebootStops, defectGetDiffers, defectWrongNotFound, defectIgnoresCtx,
	defectAcceptsBadCreds, defectAutoJump, defectCreatedStopped, defectDupIDs,
	defectStartNoop, defectActIgnoresCtx, defectRacyCreate, defectIgnoresName,
	defectPartialBlob, defectIgnoresVolumeName, defectBlobCorrupt, defectHidesVolumes,
}

var fakeLifecycle = deltacloud.MustStateMachine(
	deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
)

// fakeFeatures leaves out image_description and bucket_location, so the
// suite's refusals are exercised too.
var fakeFeatures = deltacloud.MustFeatures(deltacloud.FeatureUserName, deltacloud.FeatureRealmFilter,
	deltacloud.FeatureImportKey, deltacloud.FeatureVolumeName, deltacloud.FeatureVolumeDescription,
	deltacloud.FeatureImageName)

var fakeRealms = []deltacloud.Realm{
	{ID: "north", Name: "North", State: deltacloud.RealmAvailable},
	{ID: "south", Name: "South", State: deltacloud.RealmAvailable, Limit: 10},
}

var fakeProfiles = []deltacloud.HardwareProfile{
	{ID: "large", Name: "large", Properties: []deltacloud.Property{
		deltacloud.RangeProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "1", "8", "2"),
		deltacloud.EnumProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, "4096", "4096", "8192"),
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64"),
	}},
	{ID: "small", Name: "small", Properties: []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "1"),
		deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, "1024"),
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64"),
	}},
	{ID: deltacloud.OpaqueProfileID, Name: deltacloud.OpaqueProfileID},
}

var fakeImages = []deltacloud.Image{
	{ID: "img-debian", Name: "debian", Description: "Debian 12", Owner: "fake", Architecture: "x86_64",
		State: "AVAILABLE", HardwareProfiles: []string{"small", "large"}},
	{ID: "img-alpine", Name: "alpine", Description: "Alpine 3", Owner: "fake", Architecture: "i386",
		State: "AVAILABLE", RootType: "persistent"},
}

func init() { deltacloud.Register(fakeDriverName, fakeDriver{}) }

type fakeDriver struct{}

func (fakeDriver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "in-memory fake for drivertest's own tests"}
}

// Open gives every provider its own cloud holding one running instance.
func (fakeDriver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	for k := range cfg.Options {
		if k != "defect" {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "fake: unknown option %q", k)
		}
	}
	defect := cfg.Options["defect"]
	if defect != "" && !slices.Contains(fakeDefects, defect) {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "fake: unknown defect %q (known: %v)", defect, fakeDefects)
	}
	c := &fakeConn{defect: defect, creds: cfg.Credentials, instances: map[string]*fakeInstance{},
		images: slices.Clone(fakeImages), optional: newFakeOptional()}
	c.instances["inst0"] = &fakeInstance{Instance: deltacloud.Instance{
		ID: "inst0", Name: "seed", Owner: fakeUser, ImageID: "img-debian", RealmID: "north",
		Profile: deltacloud.InstanceProfile{ID: "small"}, State: deltacloud.StateRunning,
		LaunchTime: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC),
	}}
	return c, nil
}

// fakeConn is one opened provider and its cloud. Tests reach it through
// Provider.As (target **fakeConn) to set latency.
type fakeConn struct {
	defect string
	creds  deltacloud.Credentials

	mu         sync.Mutex
	latency    time.Duration // of every call
	actLatency time.Duration // added to actions
	nextID     int
	instances  map[string]*fakeInstance // destroyed ones stay, in FINISH
	images     []deltacloud.Image       // the fixtures and images made from instances
	optional   *fakeOptional            // the optional collections (fakeoptional_test.go)
}

type fakeInstance struct {
	deltacloud.Instance
	pendingReads int // reads left before a PENDING instance runs
}

// SetLatency delays every later call by d, and actions by act more.
func (c *fakeConn) SetLatency(d, act time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latency, c.actLatency = d, act
}

func (c *fakeConn) As(target any) bool {
	p, ok := target.(**fakeConn)
	if ok {
		*p = c
	}
	return ok
}

// The calls, as begin tells them apart.
const (
	opProfiles = "profiles" // the one call that needs no credentials
	opRead     = "read"
	opCreate   = "create"
	opAct      = "act"
)

// begin applies the latency, honouring ctx unless the defect says otherwise,
// then checks the credentials when the call needs them.
func (c *fakeConn) begin(ctx context.Context, op string) error {
	c.mu.Lock()
	d := c.latency
	if op == opAct {
		d += c.actLatency
	}
	c.mu.Unlock()
	if d > 0 && (c.defect == defectIgnoresCtx || c.defect == defectActIgnoresCtx && op == opAct) {
		time.Sleep(d)
	} else if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	if op != opProfiles && c.defect != defectAcceptsBadCreds && c.creds != (deltacloud.Credentials{User: fakeUser, Password: fakePassword}) {
		return &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "fake: credentials rejected"}
	}
	return nil
}

func (c *fakeConn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	if err := c.begin(ctx, opRead); err != nil {
		return nil, err
	}
	return slices.Clone(fakeRealms), nil
}

func (c *fakeConn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	if err := c.begin(ctx, opProfiles); err != nil {
		return nil, err
	}
	out := slices.Clone(fakeProfiles)
	for i := range out {
		out[i].Properties = slices.Clone(out[i].Properties)
	}
	return out, nil
}

func (c *fakeConn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	if err := c.begin(ctx, opRead); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []deltacloud.Image
	for _, img := range c.images {
		if f.Match(img) {
			img.HardwareProfiles = slices.Clone(img.HardwareProfiles)
			out = append(out, img)
		}
	}
	return out, nil
}

func (c *fakeConn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	imgs, err := c.Images(ctx, deltacloud.ImageFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(imgs) == 0 {
		return nil, &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: "fake: no such image"}
	}
	if c.defect == defectGetDiffers {
		imgs[0].Description += " (cached)"
	}
	return &imgs[0], nil
}

func (c *fakeConn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if err := c.begin(ctx, opRead); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []deltacloud.Instance
	for _, id := range slices.Sorted(maps.Keys(c.instances)) {
		if in := c.read(c.instances[id]); f.Match(in) {
			out = append(out, in)
		}
	}
	return out, nil
}

func (c *fakeConn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	if err := c.begin(ctx, opRead); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookup(id)
	if err != nil {
		return nil, err
	}
	in := c.read(r)
	return &in, nil
}

// lookup finds an instance. The caller holds c.mu.
func (c *fakeConn) lookup(id string) (*fakeInstance, error) {
	r, ok := c.instances[id]
	switch {
	case ok:
		return r, nil
	case c.defect == defectWrongNotFound:
		return nil, errors.New("fake: no such instance")
	}
	return nil, &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: "fake: no such instance"}
}

// read returns what a read of r shows; a PENDING instance starts after a few
// reads. The caller holds c.mu.
func (c *fakeConn) read(r *fakeInstance) deltacloud.Instance {
	if r.State == deltacloud.StatePending {
		if r.pendingReads > 0 {
			r.pendingReads--
		} else if c.defect == defectAutoJump {
			r.State = deltacloud.StateStopped
		} else {
			r.State = deltacloud.StateRunning
		}
	}
	in := r.Instance
	in.Profile.Overrides = maps.Clone(in.Profile.Overrides)
	if c.defect != defectHidesVolumes {
		for _, v := range values(c.optional.volumes, same) {
			if v.InstanceID == in.ID {
				in.StorageVolumes = append(in.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: v.ID, Device: v.Device})
			}
		}
	}
	return in
}

func (c *fakeConn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	if err := c.begin(ctx, opCreate); err != nil {
		return nil, err
	}
	if len(spec.Options) > 0 {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "fake: no create options")
	}
	c.mu.Lock()
	known := slices.ContainsFunc(c.images, func(img deltacloud.Image) bool { return img.ID == spec.ImageID })
	c.mu.Unlock()
	if !known {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "fake: image %q does not exist", spec.ImageID)
	}
	realm := cmp.Or(spec.RealmID, fakeRealms[0].ID)
	if !slices.ContainsFunc(fakeRealms, func(r deltacloud.Realm) bool { return r.ID == realm }) {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "fake: realm %q does not exist", realm)
	}
	state, name := deltacloud.StatePending, spec.Name
	if c.defect == defectCreatedStopped {
		state = deltacloud.StateStopped
	}
	if c.defect == defectIgnoresName {
		name = ""
	}
	ids := c.newIDs(max(spec.Count, 1))
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []deltacloud.Instance
	for _, id := range ids {
		r := &fakeInstance{pendingReads: 2, Instance: deltacloud.Instance{
			ID: id, Name: cmp.Or(name, id), Owner: c.creds.User, ImageID: spec.ImageID, RealmID: realm,
			Profile:        deltacloud.InstanceProfile{ID: cmp.Or(spec.ProfileID, "small"), Overrides: maps.Clone(spec.Properties)},
			State:          state,
			LaunchTime:     time.Now().UTC(),
			CanCreateImage: true,
		}}
		c.instances[id] = r
		out = append(out, c.read(r))
	}
	return out, nil
}

// newIDs reserves n instance ids.
func (c *fakeConn) newIDs(n int) []string {
	if c.defect != defectRacyCreate {
		c.mu.Lock()
		defer c.mu.Unlock()
	}
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("inst%d", c.nextID+1)
		if c.defect != defectDupIDs {
			c.nextID++
		}
	}
	return ids
}

func (c *fakeConn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	if err := c.begin(ctx, opAct); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookup(id)
	if err != nil {
		return nil, err
	}
	c.read(r)
	next, ok := fakeLifecycle.Next(r.State, a)
	if !ok {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: r.State,
			Message: fmt.Sprintf("fake: %s is not allowed in %s", a, r.State)}
	}
	switch {
	case a == deltacloud.ActionReboot && c.defect == defectRebootStops:
		next = deltacloud.StateStopped
	case a == deltacloud.ActionStart && c.defect == defectStartNoop:
		next = r.State
	}
	r.State = next
	in := c.read(r)
	return &in, nil
}

func (c *fakeConn) Lifecycle() *deltacloud.StateMachine { return fakeLifecycle }

func (c *fakeConn) Features() deltacloud.Features { return fakeFeatures.Clone() }

func (c *fakeConn) Close() error { return nil }
