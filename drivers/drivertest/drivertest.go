// Package drivertest is the conformance suite every driver runs in its own
// tests, through the portable API users see:
//
//	func TestConformance(t *testing.T) {
//		drivertest.RunConformance(t, drivertest.Harness{
//			Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
//				return deltacloud.Open(ctx, "mydriver", cfg)
//			},
//		})
//	}
//
// It checks that listings and get-by-id agree, that an instance can be
// created, driven through every action its states allow with each observed
// transition inside the driver's declared state machine, and destroyed; that
// unadvertised features, unknown ids and bad credentials give the right typed
// errors; that cancelled contexts return promptly; that concurrent use is
// race-free (run it with -race); and, given the cloud's own figures
// (Harness.ProfileFigures), that every hardware profile states the cloud's
// cpu, memory in MiB and storage. Idempotent creates are checked where the
// provider honours client tokens (two creates with one token make one
// instance, same id) and refused where it does not; Provider.DryRun plans
// the suite's spec, refuses a bad profile and creates nothing.
//
// The optional collections (keys, firewalls, addresses, storage volumes and
// snapshots, buckets and blobs, metrics) and images from instances are
// tested for every provider that serves them (Provider.Collections,
// Provider.Supports) and skipped otherwise; a collection the provider does
// not list must answer ErrNotSupported. The suite creates every object it
// uses, with unique names, and removes it afterwards, so it needs no
// fixtures: listings agree with gets, unknown ids are ErrNotFound, features
// are honoured where advertised and refused where not, state checks give
// ErrInvalidState (a volume attached to the suite's instance, an associated
// address, a non-empty bucket), and blobs of several MiB make the round trip
// intact by SHA-256, while failed, mis-sized and cancelled uploads keep
// nothing.
package drivertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
)

// Harness tells the suite how to reach the driver under test.
type Harness struct {
	// Open opens a provider with valid credentials on a cloud where the
	// suite may create and destroy instances. It is called several times;
	// the suite closes what it opens.
	Open func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error)
	// OpenBadCredentials opens a provider with credentials the cloud
	// rejects. Nil skips that case.
	OpenBadCredentials func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error)
	// Spec is what the suite creates; an empty ImageID means the first
	// image listed.
	Spec deltacloud.InstanceSpec
	// Slow makes every later call of p take a long time (a minute or more),
	// so the suite can cancel one mid-flight. Nil skips that case.
	Slow func(t *testing.T, p *deltacloud.Provider)
	// SlowActions makes only later instance actions of p slow, so the
	// suite can cancel an action after the Provider's own instance read, and
	// returns a function that makes them fast again (the suite then destroys
	// its instance). Nil skips that case.
	SlowActions func(t *testing.T, p *deltacloud.Provider) (restore func())
	// WaitTimeout bounds each wait for an instance to settle, and for a
	// volume, address, snapshot or image to reach the state the suite
	// waits for (default 5m).
	WaitTimeout time.Duration
	// VolumeDevice is the device the suite attaches its storage volume at
	// (default "/dev/sdf").
	VolumeDevice string
	// VolumeCapacity is the capacity in GB of the storage volumes the
	// suite creates (default 1); a cloud with a larger minimum (Hetzner's
	// volumes are at least 10 GB) sets its minimum.
	VolumeCapacity int
	// BlobSize is the size in bytes of the large blobs the suite writes,
	// reads back and cancels mid-stream (default a little over 4 MiB).
	BlobSize int64
	// ProfileFigures returns what the cloud itself states about its sizes,
	// by profile id, read from the cloud or its fake's own catalogue (never
	// from the driver), so the suite can check that every listed profile
	// states the same cpu, memory (MiB) and storage as the cloud. Nil skips
	// that case.
	ProfileFigures func(ctx context.Context, t *testing.T) map[string]ProfileFigure
}

// RunConformance runs the whole suite as subtests of t.
func RunConformance(t *testing.T, h Harness) {
	t.Helper()
	if h.Open == nil {
		t.Fatal("drivertest: Harness.Open is nil")
	}
	if h.WaitTimeout <= 0 {
		h.WaitTimeout = 5 * time.Minute
	}
	if h.VolumeDevice == "" {
		h.VolumeDevice = "/dev/sdf"
	}
	if h.VolumeCapacity <= 0 {
		h.VolumeCapacity = 1
	}
	if h.BlobSize <= 0 {
		h.BlobSize = defaultBlobSize
	}
	s := &suite{h: h}
	t.Run("Model", s.testModel)
	t.Run("Realms", s.testRealms)
	t.Run("HardwareProfiles", s.testHardwareProfiles)
	t.Run("ProfileFigures", s.testProfileFigures)
	t.Run("Images", s.testImages)
	t.Run("Instances", s.testInstances)
	t.Run("UnknownIDs", s.testUnknownIDs)
	t.Run("UnadvertisedFeatures", s.testUnadvertisedFeatures)
	t.Run("InvalidArguments", s.testInvalidArguments)
	t.Run("ClientToken", s.testClientToken)
	t.Run("DryRun", s.testDryRun)
	t.Run("Lifecycle", s.testLifecycle)
	t.Run("ActionNotAllowed", s.testActionNotAllowed)
	t.Run("BadCredentials", s.testBadCredentials)
	t.Run("Cancellation", s.testCancellation)
	t.Run("Concurrency", s.testConcurrency)
	t.Run("OptionalCollections", s.testOptionalCollections)
	t.Run("Keys", s.testKeys)
	t.Run("Firewalls", s.testFirewalls)
	t.Run("Addresses", s.testAddresses)
	t.Run("StorageVolumes", s.testStorageVolumes)
	t.Run("StorageSnapshots", s.testStorageSnapshots)
	t.Run("Buckets", s.testBuckets)
	t.Run("Blobs", s.testBlobs)
	t.Run("Metrics", s.testMetrics)
	t.Run("ImagesFromInstances", s.testImagesFromInstances)
}

type suite struct{ h Harness }

// open opens a provider that is closed when the test ends.
func (s *suite) open(t *testing.T) *deltacloud.Provider {
	t.Helper()
	p, err := s.h.Open(t.Context(), t)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func (s *suite) testModel(t *testing.T) {
	p := s.open(t)
	m := p.Lifecycle()
	if err := m.Validate(); err != nil {
		t.Errorf("Lifecycle: %v", err)
	}
	for _, f := range p.Features() {
		std, ok := deltacloud.StandardFeature(f.Name)
		if !ok {
			t.Errorf("feature %q is not a standard feature", f.Name)
			continue
		}
		if f.Collection != std.Collection || f.Operation != std.Operation || !slices.Equal(f.Params, std.Params) {
			t.Errorf("feature %s = %+v, want the standard %+v", f.Name, f, std)
		}
	}
	cs := p.Collections()
	for _, want := range []deltacloud.Collection{deltacloud.CollectionRealms, deltacloud.CollectionHardwareProfiles,
		deltacloud.CollectionImages, deltacloud.CollectionInstances, deltacloud.CollectionInstanceStates} {
		if !slices.Contains(cs, want) {
			t.Errorf("Collections() = %v, missing %s", cs, want)
		}
	}
}

func (s *suite) testRealms(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	rs, err := p.Realms(ctx)
	if err != nil {
		t.Fatalf("Realms: %v", err)
	}
	if len(rs) == 0 {
		t.Fatal("Realms: none")
	}
	for _, r := range rs {
		got, err := p.Realm(ctx, r.ID)
		if err != nil {
			t.Errorf("Realm(%q): %v", r.ID, err)
			continue
		}
		if d := cmp.Diff(r, *got); d != "" {
			t.Errorf("Realm(%q) differs from the listing (-list +get):\n%s", r.ID, d)
		}
	}
}

func (s *suite) testHardwareProfiles(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatalf("HardwareProfiles: %v", err)
	}
	if len(hs) == 0 {
		t.Fatal("HardwareProfiles: none")
	}
	for _, h := range hs {
		if err := h.Validate(); err != nil {
			t.Errorf("profile %s: %v", h.ID, err)
		}
		got, err := p.HardwareProfile(ctx, h.ID)
		if err != nil {
			t.Errorf("HardwareProfile(%q): %v", h.ID, err)
			continue
		}
		if d := cmp.Diff(h, *got); d != "" {
			t.Errorf("HardwareProfile(%q) differs from the listing (-list +get):\n%s", h.ID, d)
		}
	}
	sorted := slices.Clone(hs)
	deltacloud.SortHardwareProfiles(sorted)
	if d := cmp.Diff(sorted, hs); d != "" {
		t.Errorf("HardwareProfiles is not in the Deltacloud order (-want +got):\n%s", d)
	}
}

func (s *suite) testImages(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
	if err != nil {
		t.Fatalf("Images: %v", err)
	}
	if len(imgs) == 0 {
		t.Fatal("Images: none")
	}
	for _, img := range imgs[:min(len(imgs), 20)] {
		got, err := p.Image(ctx, img.ID)
		if err != nil {
			t.Errorf("Image(%q): %v", img.ID, err)
			continue
		}
		if d := cmp.Diff(img, *got); d != "" {
			t.Errorf("Image(%q) differs from the listing (-list +get):\n%s", img.ID, d)
		}
		byID, err := p.Images(ctx, deltacloud.ImageFilter{ID: img.ID})
		if err != nil || len(byID) != 1 || byID[0].ID != img.ID {
			t.Errorf("Images(id=%q) = %d images, %v; want exactly that image", img.ID, len(byID), err)
		}
	}
	arch := imgs[0].Architecture
	if arch != "" {
		byArch, err := p.Images(ctx, deltacloud.ImageFilter{Architecture: arch})
		if err != nil {
			t.Fatalf("Images(architecture=%q): %v", arch, err)
		}
		for _, img := range byArch {
			if img.Architecture != arch {
				t.Errorf("Images(architecture=%q) returned %s of %q", arch, img.ID, img.Architecture)
			}
		}
	}
}

// instanceFromListing ignores what may change between two calls on a live
// cloud.
var instanceFromListing = cmpopts.IgnoreFields(deltacloud.Instance{}, "State", "Actions")

func (s *suite) testInstances(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	m := p.Lifecycle()
	for _, in := range ins {
		checkActions(t, m, in)
		got, err := p.Instance(ctx, in.ID)
		if err != nil {
			t.Errorf("Instance(%q): %v", in.ID, err)
			continue
		}
		if d := cmp.Diff(in, *got, instanceFromListing); d != "" {
			t.Errorf("Instance(%q) differs from the listing (-list +get):\n%s", in.ID, d)
		}
		byID, err := p.Instances(ctx, deltacloud.InstanceFilter{ID: in.ID})
		if err != nil || len(byID) != 1 {
			t.Errorf("Instances(id=%q) = %d instances, %v; want exactly one", in.ID, len(byID), err)
		}
	}
	if len(ins) > 0 {
		st := ins[0].State
		byState, err := p.Instances(ctx, deltacloud.InstanceFilter{State: st})
		if err != nil {
			t.Fatalf("Instances(state=%s): %v", st, err)
		}
		for _, in := range byState {
			if in.State != st {
				t.Errorf("Instances(state=%s) returned %s in %s", st, in.ID, in.State)
			}
		}
	}
}

// checkActions checks that an instance's allowed actions are actions of the
// state machine.
func checkActions(t *testing.T, m *deltacloud.StateMachine, in deltacloud.Instance) {
	t.Helper()
	var known []deltacloud.Action
	for _, tr := range m.Transitions() {
		if !tr.Auto {
			known = append(known, tr.Action)
		}
	}
	for _, a := range in.Actions {
		if !slices.Contains(known, a) {
			t.Errorf("instance %s in %s allows %q, which the state machine does not have", in.ID, in.State, a)
		}
	}
}

func (s *suite) testUnknownIDs(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	const id = "drivertest-no-such-id-0"
	calls := map[string]func() error{
		"Realm":           func() error { _, err := p.Realm(ctx, id); return err },
		"HardwareProfile": func() error { _, err := p.HardwareProfile(ctx, id); return err },
		"Image":           func() error { _, err := p.Image(ctx, id); return err },
		"Instance":        func() error { _, err := p.Instance(ctx, id); return err },
		"Stop":            func() error { _, err := p.Stop(ctx, id); return err },
		"Destroy":         func() error { return p.Destroy(ctx, id) },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("%s(%q) = %v, want ErrNotFound", name, id, err)
		}
	}
}

// spec returns the harness's spec with an image filled in, and a name where
// the provider advertises user_name, so the suite can check it is honoured.
func (s *suite) spec(t *testing.T, p *deltacloud.Provider) deltacloud.InstanceSpec {
	t.Helper()
	spec := s.h.Spec
	if spec.Name == "" && p.Features().Has(deltacloud.FeatureUserName) {
		spec.Name = "drivertest"
	}
	if spec.ImageID == "" {
		imgs, err := p.Images(t.Context(), deltacloud.ImageFilter{})
		if err != nil || len(imgs) == 0 {
			t.Fatalf("Images: %d images, %v", len(imgs), err)
		}
		spec.ImageID = imgs[0].ID
	}
	return spec
}

func (s *suite) testUnadvertisedFeatures(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	base := s.spec(t, p)
	cases := []struct {
		feature deltacloud.FeatureName
		set     func(*deltacloud.InstanceSpec)
	}{
		{deltacloud.FeatureUserName, func(sp *deltacloud.InstanceSpec) { sp.Name = "drivertest" }},
		{deltacloud.FeatureAuthenticationKey, func(sp *deltacloud.InstanceSpec) { sp.KeyName = "drivertest" }},
		{deltacloud.FeatureAuthenticationPassword, func(sp *deltacloud.InstanceSpec) { sp.Password = "drivertest" }},
		{deltacloud.FeatureUserData, func(sp *deltacloud.InstanceSpec) { sp.UserData = []byte("drivertest") }},
		{deltacloud.FeatureFirewalls, func(sp *deltacloud.InstanceSpec) { sp.Firewalls = []string{"default"} }},
		{deltacloud.FeatureInstanceCount, func(sp *deltacloud.InstanceSpec) { sp.Count = 2 }},
		{deltacloud.FeatureMetrics, func(sp *deltacloud.InstanceSpec) { sp.Metrics = true }},
		{deltacloud.FeatureAttachSnapshot, func(sp *deltacloud.InstanceSpec) {
			sp.Snapshot = &deltacloud.SnapshotAttachment{SnapshotID: "snap1", Device: "/dev/sdb"}
		}},
	}
	before := s.count(t, p)
	for _, c := range cases {
		if p.Features().Has(c.feature) {
			continue
		}
		spec := base
		c.set(&spec)
		ins, err := p.CreateInstances(ctx, spec)
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("create with %s (not advertised) = %v, want ErrNotSupported", c.feature, err)
			s.cleanup(t, p, ins...)
		}
	}
	if after := s.count(t, p); after != before {
		t.Errorf("refused creates changed the instance count from %d to %d", before, after)
	}
	// A listing filter the driver does not advertise is applied by the
	// Provider: never refused, and what it lists passes it.
	if ins, err := p.Instances(ctx, deltacloud.InstanceFilter{Realm: "any"}); err != nil {
		t.Errorf("Instances(realm) = %v, want a listing (realm_filter advertised: %v)", err, p.Features().Has(deltacloud.FeatureRealmFilter))
	} else {
		for _, in := range ins {
			if in.RealmID != "any" {
				t.Errorf("Instances(realm any) listed %s in realm %q", in.ID, in.RealmID)
			}
		}
	}
	if imgs, err := p.Images(ctx, deltacloud.ImageFilter{Owner: "any"}); err != nil {
		t.Errorf("Images(owner) = %v, want a listing (owner_id advertised: %v)", err, p.Features().Has(deltacloud.FeatureOwnerID))
	} else {
		for _, img := range imgs {
			if img.Owner != "any" {
				t.Errorf("Images(owner any) listed %s of %q", img.ID, img.Owner)
			}
		}
	}
	// Only the cloud knows which account is the caller's.
	if !p.Features().Has(deltacloud.FeatureOwnerID) {
		if _, err := p.Images(ctx, deltacloud.ImageFilter{Owner: deltacloud.OwnerSelf}); !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("Images(owner self) without owner_id = %v, want ErrNotSupported", err)
		}
	}
}

func (s *suite) count(t *testing.T, p *deltacloud.Provider) int {
	t.Helper()
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	return len(ins)
}

func (s *suite) testInvalidArguments(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	base := s.spec(t, p)
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatalf("HardwareProfiles: %v", err)
	}
	cases := map[string]func(*deltacloud.InstanceSpec){
		"no image":         func(sp *deltacloud.InstanceSpec) { sp.ImageID = "" },
		"negative count":   func(sp *deltacloud.InstanceSpec) { sp.Count = -1 },
		"unknown profile":  func(sp *deltacloud.InstanceSpec) { sp.ProfileID = "drivertest-no-such-profile" },
		"overrides alone":  func(sp *deltacloud.InstanceSpec) { sp.ProfileID, sp.Properties = "", map[string]string{"cpu": "1"} },
		"unknown property": nil,
		"out of range":     nil,
	}
	for _, h := range hs {
		if h.Opaque() {
			continue
		}
		cases["unknown property"] = func(sp *deltacloud.InstanceSpec) {
			sp.ProfileID, sp.Properties = h.ID, map[string]string{"drivertest": "1"}
		}
		for _, prop := range h.Properties {
			if prop.Kind == deltacloud.Range || prop.Kind == deltacloud.Enum {
				cases["out of range"] = func(sp *deltacloud.InstanceSpec) {
					sp.ProfileID, sp.Properties = h.ID, map[string]string{prop.Name: "999999999999"}
				}
			}
		}
	}
	before := s.count(t, p)
	for name, set := range cases {
		if set == nil {
			continue
		}
		spec := base
		set(&spec)
		ins, err := p.CreateInstances(ctx, spec)
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("create with %s = %v, want ErrInvalidArgument", name, err)
			s.cleanup(t, p, ins...)
		}
	}
	if after := s.count(t, p); after != before {
		t.Errorf("refused creates changed the instance count from %d to %d", before, after)
	}
}

// create makes one instance, destroyed when the test ends.
func (s *suite) create(t *testing.T, p *deltacloud.Provider) deltacloud.Instance {
	t.Helper()
	in, err := p.CreateInstance(t.Context(), s.spec(t, p))
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	t.Cleanup(func() { s.cleanup(t, p, *in) })
	return *in
}

// cleanup destroys instances by the shortest plan, ignoring errors: it runs
// after failures too.
func (s *suite) cleanup(t *testing.T, p *deltacloud.Provider, ins ...deltacloud.Instance) {
	ctx, cancel := context.WithTimeout(context.Background(), s.h.WaitTimeout)
	defer cancel()
	for _, in := range ins {
		for range 10 {
			cur, err := p.Instance(ctx, in.ID)
			if err != nil || cur.State == deltacloud.StateFinish {
				break
			}
			if cur.Can(deltacloud.ActionDestroy) {
				p.Destroy(ctx, in.ID)
				break
			}
			plan, err := p.Lifecycle().Plan(cur.State, deltacloud.StateFinish)
			if err != nil || len(plan) == 0 || !cur.Can(plan[0]) {
				break
			}
			p.Do(ctx, in.ID, plan[0])
			s.settle(ctx, p, in.ID)
		}
	}
}

// settle polls an instance until it is in a stable state of the machine
// (one no automatic transition leaves) and returns it with the states seen.
func (s *suite) settle(ctx context.Context, p *deltacloud.Provider, id string) (*deltacloud.Instance, []deltacloud.State, error) {
	ctx, cancel := context.WithTimeout(ctx, s.h.WaitTimeout)
	defer cancel()
	m := p.Lifecycle()
	var seen []deltacloud.State
	delay := 10 * time.Millisecond
	for {
		in, err := p.Instance(ctx, id)
		if err != nil {
			return nil, seen, err
		}
		if len(seen) == 0 || seen[len(seen)-1] != in.State {
			seen = append(seen, in.State)
		}
		if m.Stable(in.State) {
			return in, seen, nil
		}
		select {
		case <-ctx.Done():
			return in, seen, fmt.Errorf("instance %s did not settle: still %s: %w", id, in.State, ctx.Err())
		case <-time.After(delay):
		}
		delay = min(delay*2, 5*time.Second)
	}
}

// autoClosure is every state reachable from s by automatic transitions alone.
func autoClosure(m *deltacloud.StateMachine, s deltacloud.State) []deltacloud.State {
	out := []deltacloud.State{s}
	for i := 0; i < len(out); i++ {
		for _, tr := range m.TransitionsFrom(out[i]) {
			if tr.Auto && !slices.Contains(out, tr.To) {
				out = append(out, tr.To)
			}
		}
	}
	return out
}

// checkAutoMoves checks that states seen while nobody acted follow automatic
// transitions.
func checkAutoMoves(t *testing.T, m *deltacloud.StateMachine, id string, seen []deltacloud.State) {
	t.Helper()
	for i := 1; i < len(seen); i++ {
		if !slices.Contains(autoClosure(m, seen[i-1]), seen[i]) {
			t.Errorf("instance %s moved from %s to %s by itself; the state machine has no automatic way", id, seen[i-1], seen[i])
		}
	}
}

// checkActionMove checks the state an action led to: the action's target
// and what follows it automatically; for an action the machine lacks in that
// state (EC2's destroy of an instance-store instance), any reachable state.
// Right after the call (settled false) the old state is accepted too, as the
// cloud may not have started yet; once settled it is not, so an action that
// does nothing fails.
func checkActionMove(t *testing.T, m *deltacloud.StateMachine, id string, from deltacloud.State, a deltacloud.Action, to deltacloud.State, settled bool) {
	t.Helper()
	if to == from && !settled {
		return
	}
	next, ok := m.Next(from, a)
	if !ok {
		if !m.Reachable(from, to) {
			t.Errorf("instance %s: %s from %s led to %s, which the state machine cannot reach", id, a, from, to)
		}
		return
	}
	if !slices.Contains(autoClosure(m, next), to) {
		t.Errorf("instance %s: %s from %s led to %s; the state machine says %s", id, a, from, to, next)
	}
}

func (s *suite) testLifecycle(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	m := p.Lifecycle()
	created := s.create(t, p)
	id := created.ID
	if want := s.spec(t, p).Name; want != "" && created.Name != want {
		t.Errorf("created instance is named %q; the spec asked for %q (user_name is advertised)", created.Name, want)
	}
	if !slices.Contains(autoClosure(m, mustNext(t, m, deltacloud.StateStart, created)), created.State) {
		t.Errorf("created instance is %s; the state machine does not lead there from START", created.State)
	}
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	if !slices.ContainsFunc(ins, func(in deltacloud.Instance) bool { return in.ID == id }) {
		t.Fatalf("created instance %s is not listed", id)
	}
	in, seen, err := s.settle(ctx, p, id)
	if err != nil {
		t.Fatalf("settle %s: %v", id, err)
	}
	checkAutoMoves(t, m, id, append([]deltacloud.State{created.State}, seen...))

	// Try every allowed action but destroy once per state, then destroy.
	tried := map[[2]string]bool{}
	for range 20 {
		checkActions(t, m, *in)
		var a deltacloud.Action
		for _, x := range in.Actions {
			if x != deltacloud.ActionDestroy && !tried[[2]string{string(in.State), string(x)}] {
				a = x
				break
			}
		}
		if a == "" {
			break
		}
		tried[[2]string{string(in.State), string(a)}] = true
		from := in.State
		out, err := p.Do(ctx, id, a)
		if err != nil {
			t.Fatalf("%s %s in %s: %v", a, id, from, err)
		}
		checkActionMove(t, m, id, from, a, out.State, false)
		if in, seen, err = s.settle(ctx, p, id); err != nil {
			t.Fatalf("settle %s after %s: %v", id, a, err)
		}
		checkAutoMoves(t, m, id, append([]deltacloud.State{out.State}, seen...))
		checkActionMove(t, m, id, from, a, in.State, true)
	}
	if len(tried) == 0 {
		t.Errorf("instance %s in %s allows no action but destroy; nothing was exercised", id, in.State)
	}

	// Destroy, following the plan where the current state does not allow it.
	for range 10 {
		if in.Can(deltacloud.ActionDestroy) {
			break
		}
		plan, err := m.Plan(in.State, deltacloud.StateFinish)
		if err != nil || len(plan) == 0 {
			t.Fatalf("no plan from %s to FINISH: %v", in.State, err)
		}
		if _, err := p.Do(ctx, id, plan[0]); err != nil {
			t.Fatalf("%s %s: %v", plan[0], id, err)
		}
		if in, _, err = s.settle(ctx, p, id); err != nil {
			t.Fatalf("settle %s: %v", id, err)
		}
	}
	if err := p.Destroy(ctx, id); err != nil {
		t.Fatalf("Destroy %s: %v", id, err)
	}
	wctx, cancel := context.WithTimeout(ctx, s.h.WaitTimeout)
	defer cancel()
	if _, err := p.WaitFor(wctx, id, deltacloud.StateFinish); err != nil {
		t.Fatalf("WaitFor FINISH after Destroy: %v", err)
	}
	ins, err = p.Instances(ctx, deltacloud.InstanceFilter{ID: id})
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	for _, in := range ins {
		if in.State != deltacloud.StateFinish {
			t.Errorf("destroyed instance %s is listed as %s", id, in.State)
		}
	}
}

// mustNext returns where create leads from START (automatic or not).
func mustNext(t *testing.T, m *deltacloud.StateMachine, start deltacloud.State, created deltacloud.Instance) deltacloud.State {
	t.Helper()
	for _, tr := range m.TransitionsFrom(start) {
		if tr.Auto || tr.Action == deltacloud.ActionCreate {
			return tr.To
		}
	}
	t.Fatalf("the state machine has no create transition out of START (instance %s)", created.ID)
	return ""
}

func (s *suite) testActionNotAllowed(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	in := s.create(t, p)
	in2, _, err := s.settle(ctx, p, in.ID)
	if err != nil {
		t.Fatalf("settle: %v", err)
	}
	for _, a := range []deltacloud.Action{deltacloud.ActionStart, deltacloud.ActionStop, deltacloud.ActionReboot, deltacloud.ActionDestroy} {
		if in2.Can(a) {
			continue
		}
		_, err := p.Do(ctx, in.ID, a)
		var e *deltacloud.Error
		if !errors.As(err, &e) || e.Code != deltacloud.InvalidState || e.State != in2.State {
			t.Errorf("%s in %s = %v, want ErrInvalidState carrying the state", a, in2.State, err)
		}
		return
	}
	t.Skipf("instance in %s allows every standard action", in2.State)
}

func (s *suite) testBadCredentials(t *testing.T) {
	if s.h.OpenBadCredentials == nil {
		t.Skip("Harness.OpenBadCredentials is nil")
	}
	ctx := t.Context()
	p, err := s.h.OpenBadCredentials(ctx, t)
	if err != nil {
		if !errors.Is(err, deltacloud.ErrAuthFailure) {
			t.Fatalf("Open with bad credentials = %v, want ErrAuthFailure", err)
		}
		return
	}
	defer p.Close()
	if _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Errorf("Instances with bad credentials = %v, want ErrAuthFailure", err)
	}
	if _, err := p.CreateInstance(ctx, s.spec2()); !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Errorf("CreateInstance with bad credentials = %v, want ErrAuthFailure", err)
	}
}

// spec2 is the harness spec with a placeholder image, for calls that must
// fail before the image matters.
func (s *suite) spec2() deltacloud.InstanceSpec {
	spec := s.h.Spec
	if spec.ImageID == "" {
		spec.ImageID = "drivertest-image"
	}
	return spec
}

func (s *suite) testCancellation(t *testing.T) {
	p := s.open(t)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	calls := map[string]func(context.Context) error{
		"Realms": func(ctx context.Context) error { _, err := p.Realms(ctx); return err },
		"HardwareProfiles": func(ctx context.Context) error {
			_, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
			return err
		},
		"Images":         func(ctx context.Context) error { _, err := p.Images(ctx, deltacloud.ImageFilter{}); return err },
		"Instances":      func(ctx context.Context) error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err },
		"CreateInstance": func(ctx context.Context) error { _, err := p.CreateInstance(ctx, s.spec2()); return err },
		"WaitFor":        func(ctx context.Context) error { _, err := p.WaitFor(ctx, "x", deltacloud.StateRunning); return err },
	}
	for name, call := range calls {
		if err := call(cancelled); !errors.Is(err, context.Canceled) || !errors.Is(err, deltacloud.ErrCanceled) {
			t.Errorf("%s with a cancelled context = %v, want context.Canceled and ErrCanceled", name, err)
		}
	}
	s.testCancelAction(t)
	if s.h.Slow == nil {
		return
	}
	s.h.Slow(t, p)
	ctx, cancelAll := context.WithCancel(t.Context())
	defer cancelAll()
	errcs := map[string]chan error{}
	for name, call := range calls {
		errc := make(chan error, 1)
		errcs[name] = errc
		go func() { errc <- call(ctx) }()
	}
	time.AfterFunc(20*time.Millisecond, cancelAll)
	deadline := time.After(30 * time.Second)
	for name, errc := range errcs {
		select {
		case err := <-errc:
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s cancelled mid-call = %v, want context.Canceled", name, err)
			}
		case <-deadline:
			t.Fatalf("%s did not return within 30s of its context being cancelled", name)
		}
	}
}

// testCancelAction cancels a slow instance action mid-flight.
func (s *suite) testCancelAction(t *testing.T) {
	if s.h.SlowActions == nil {
		return
	}
	p := s.open(t)
	in, _, err := s.settle(t.Context(), p, s.create(t, p).ID)
	if err != nil {
		t.Fatalf("settle: %v", err)
	}
	var a deltacloud.Action
	for _, x := range in.Actions {
		if x != deltacloud.ActionDestroy {
			a = x
			break
		}
	}
	if a == "" {
		t.Fatalf("instance %s in %s allows no action but destroy to cancel", in.ID, in.State)
	}
	restore := s.h.SlowActions(t, p)
	defer restore()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	errc := make(chan error, 1)
	go func() { _, err := p.Do(ctx, in.ID, a); errc <- err }()
	time.AfterFunc(20*time.Millisecond, cancel)
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s cancelled mid-call = %v, want context.Canceled", a, err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not return within 30s of its context being cancelled", a)
	}
}

func (s *suite) testConcurrency(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	spec := s.spec(t, p)
	done := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); err != nil {
					errs <- fmt.Errorf("Instances: %w", err)
					return
				}
				if _, err := p.Images(ctx, deltacloud.ImageFilter{}); err != nil {
					errs <- fmt.Errorf("Images: %w", err)
					return
				}
			}
		}()
	}
	// Three creates at once, racing each other and the listings.
	var (
		mu      sync.Mutex
		created []deltacloud.Instance
		cwg     sync.WaitGroup
	)
	for range 3 {
		cwg.Add(1)
		go func() {
			defer cwg.Done()
			in, err := p.CreateInstance(ctx, spec)
			if err != nil {
				errs <- fmt.Errorf("CreateInstance: %w", err)
				return
			}
			mu.Lock()
			created = append(created, *in)
			mu.Unlock()
		}()
	}
	cwg.Wait()
	s.cleanup(t, p, created...)
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	ids := map[string]bool{}
	for _, in := range created {
		if ids[in.ID] {
			t.Errorf("two creates returned the same id %s", in.ID)
		}
		ids[in.ID] = true
	}
}
