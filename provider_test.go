package deltacloud_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// open opens an isolated mock cloud with fast polling; options are mock
// options.
func open(t *testing.T, opts map[string]string) (*deltacloud.Provider, *mock.Cloud) {
	t.Helper()
	p, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{
		Credentials:  deltacloud.Credentials{User: mock.User, Password: mock.Password},
		PollInterval: time.Millisecond, MaxPollInterval: 5 * time.Millisecond,
		Options: opts,
	})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	var c *mock.Cloud
	if !p.As(&c) {
		t.Fatal("As(**mock.Cloud) = false")
	}
	return p, c
}

func TestOpenUnknownDriverListsRegistered(t *testing.T) {
	_, err := deltacloud.Open(t.Context(), "nope", deltacloud.Config{})
	var ude *deltacloud.UnknownDriverError
	if !errors.As(err, &ude) || !errors.Is(err, deltacloud.ErrNotFound) {
		t.Fatalf("Open(nope) = %v, want *UnknownDriverError matching ErrNotFound", err)
	}
	if !slices.Contains(ude.Registered, "mock") || !strings.Contains(err.Error(), "mock") {
		t.Errorf("error %q does not list the registered mock driver", err)
	}
}

func TestRegisterPanics(t *testing.T) {
	drv := deltacloud.Drivers()
	cases := map[string]func(){
		"nil driver": func() { deltacloud.Register("x-nil", nil) },
		"duplicate":  func() { deltacloud.Register("mock", fakeDriver{}) },
		"empty name": func() { deltacloud.Register("", fakeDriver{}) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Register did not panic")
				}
			}()
			f()
		})
	}
	if d := cmp.Diff(drv, deltacloud.Drivers()); d != "" {
		t.Errorf("failed Registers changed Drivers():\n%s", d)
	}
}

type fakeDriver struct{}

func (fakeDriver) Info() deltacloud.DriverInfo { return deltacloud.DriverInfo{} }
func (fakeDriver) Open(context.Context, deltacloud.Config) (deltacloud.Conn, error) {
	return nil, errors.New("fake")
}

func TestDrivers(t *testing.T) {
	ds := deltacloud.Drivers()
	i := slices.IndexFunc(ds, func(d deltacloud.DriverInfo) bool { return d.Name == "mock" })
	if i < 0 {
		t.Fatalf("Drivers() = %+v, no mock", ds)
	}
	if ds[i].Description != "Mock" {
		t.Errorf("mock description = %q", ds[i].Description)
	}
	if !slices.IsSortedFunc(ds, func(a, b deltacloud.DriverInfo) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("Drivers() not sorted: %+v", ds)
	}
}

func TestMockFixtures(t *testing.T) {
	p, _ := open(t, nil)
	ctx := t.Context()
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	if d := cmp.Diff([]string{"m1-small", "m1-large", "m1-xlarge", "opaque"}, ids); d != "" {
		t.Errorf("profile order (-want +got):\n%s", d)
	}
	x86, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{Architecture: "x86_64"})
	if err != nil {
		t.Fatal(err)
	}
	ids = ids[:0]
	for _, h := range x86 {
		ids = append(ids, h.ID)
	}
	if d := cmp.Diff([]string{"m1-large", "m1-xlarge", "opaque"}, ids); d != "" {
		t.Errorf("x86_64 profiles (-want +got):\n%s", d)
	}
	in, err := p.Instance(ctx, "inst0")
	if err != nil {
		t.Fatal(err)
	}
	want := deltacloud.Instance{
		ID: "inst0", Name: "Mock Instance With Profile Change", Owner: "mockuser", ImageID: "img1", RealmID: "us",
		Profile:          deltacloud.InstanceProfile{ID: "m1-large", Overrides: map[string]string{"memory": "12288"}},
		State:            deltacloud.StateRunning,
		Actions:          []deltacloud.Action{deltacloud.ActionReboot, deltacloud.ActionStop},
		PublicAddresses:  []deltacloud.Address{{Value: "img1.inst0.public.com", Type: deltacloud.AddressHostname}},
		PrivateAddresses: []deltacloud.Address{{Value: "img1.inst0.private.com", Type: deltacloud.AddressHostname}},
		Authentication:   &deltacloud.Authentication{Method: "key"},
		CanCreateImage:   true,
	}
	if d := cmp.Diff(want, *in); d != "" {
		t.Errorf("inst0 (-want +got):\n%s", d)
	}
	imgs, err := p.Images(ctx, deltacloud.ImageFilter{Architecture: "i386"})
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 2 || imgs[0].ID != "img2" || imgs[1].ID != "img3" {
		t.Errorf("i386 images = %+v, want img2, img3", imgs)
	}
	if _, err := p.Images(ctx, deltacloud.ImageFilter{Owner: "self"}); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("Images(owner) on mock = %v, want ErrNotSupported (no owner_id feature)", err)
	}
}

func TestCreateChecks(t *testing.T) {
	tests := []struct {
		name string
		spec deltacloud.InstanceSpec
		code deltacloud.Code
		msg  string
	}{
		{"no image", deltacloud.InstanceSpec{}, deltacloud.InvalidArgument, "image id is required"},
		{"unknown image", deltacloud.InstanceSpec{ImageID: "img9"}, deltacloud.InvalidArgument, `image "img9" does not exist`},
		{"unknown realm", deltacloud.InstanceSpec{ImageID: "img1", RealmID: "mars"}, deltacloud.InvalidArgument, `realm "mars"`},
		{"unknown profile", deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m9"}, deltacloud.InvalidArgument, `hardware profile "m9" does not exist`},
		{"cpu above range", deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large", Properties: map[string]string{"cpu": "7"}},
			deltacloud.InvalidArgument, "hardware property cpu: \"7\" is not allowed; allowed: 1 to 6"},
		{"storage not in enum", deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large", Properties: map[string]string{"storage": "900"}},
			deltacloud.InvalidArgument, "allowed: one of 850, 1024 GB"},
		{"fixed mismatch", deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-small", Properties: map[string]string{"memory": "2048"}},
			deltacloud.InvalidArgument, "allowed: 1740.8 MB"},
		{"image the profile cannot run", deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-small"},
			deltacloud.InvalidArgument, "image img1 is x86_64, but hardware profile m1-small is i386"},
		{"architecture override against the image", deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "opaque",
			Properties: map[string]string{"architecture": "i386"}},
			deltacloud.InvalidArgument, "image img1 is x86_64, but the architecture asked for is i386"},
		{"unknown image with a profile", deltacloud.InstanceSpec{ImageID: "img9", ProfileID: "m1-large"},
			deltacloud.InvalidArgument, `image "img9" does not exist`},
		{"unknown property", deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-small", Properties: map[string]string{"gpu": "1"}},
			deltacloud.InvalidArgument, `has no property "gpu"`},
		{"overrides without profile", deltacloud.InstanceSpec{ImageID: "img1", Properties: map[string]string{"cpu": "1"}},
			deltacloud.InvalidArgument, "need a hardware profile"},
		{"negative count", deltacloud.InstanceSpec{ImageID: "img1", Count: -2}, deltacloud.InvalidArgument, "at least 1"},
		{"count without feature", deltacloud.InstanceSpec{ImageID: "img1", Count: 2}, deltacloud.NotSupported, "instance_count"},
		{"firewalls without feature", deltacloud.InstanceSpec{ImageID: "img1", Firewalls: []string{"a"}}, deltacloud.NotSupported, "firewalls"},
		{"password without feature", deltacloud.InstanceSpec{ImageID: "img1", Password: "x"}, deltacloud.NotSupported, "authentication_password"},
		{"snapshot without feature", deltacloud.InstanceSpec{ImageID: "img1", Snapshot: &deltacloud.SnapshotAttachment{SnapshotID: "s", Device: "d"}},
			deltacloud.NotSupported, "attach_snapshot"},
		{"unknown driver option", deltacloud.InstanceSpec{ImageID: "img1", Options: map[string]string{"color": "red"}},
			deltacloud.InvalidArgument, `no create option "color"`},
		{"bad initial state", deltacloud.InstanceSpec{ImageID: "img1", Options: map[string]string{"initial_state": "FLYING"}},
			deltacloud.InvalidArgument, "initial_state"},
	}
	p, c := open(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.CreateInstances(t.Context(), tt.spec)
			if got := deltacloud.CodeOf(err); got != tt.code {
				t.Fatalf("err = %v (code %v), want code %v", err, got, tt.code)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %q, want it to mention %q", err, tt.msg)
			}
		})
	}
	if n := c.Len(); n != 4 {
		t.Errorf("after refused creates the cloud has %d instances, want the 4 fixtures", n)
	}
}

func TestCreateDefaultsAndOptions(t *testing.T) {
	p, _ := open(t, nil)
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img3", KeyName: "k", UserData: []byte("#!/bin/sh"),
		Metrics: true, Options: map[string]string{"initial_state": "stopped"}})
	if err != nil {
		t.Fatal(err)
	}
	if in.ID != "inst4" || in.RealmID != "us" || in.Profile.ID != "m1-small" || in.State != deltacloud.StateStopped ||
		!strings.HasPrefix(in.Name, "i-") || in.Authentication.KeyName != "k" {
		t.Errorf("created %+v", in)
	}
	if d := cmp.Diff([]deltacloud.Action{deltacloud.ActionStart, deltacloud.ActionDestroy}, in.Actions); d != "" {
		t.Errorf("actions of a stopped instance (-want +got):\n%s", d)
	}
	// Ids are never handed out twice, not even after their instances are
	// destroyed: the next one is inst5.
	if err := p.Destroy(ctx, "inst4"); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Stop(ctx, "inst1"); err != nil {
		t.Fatal(err)
	}
	if err := p.Destroy(ctx, "inst1"); err != nil {
		t.Fatal(err)
	}
	in, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil || in.ID != "inst5" {
		t.Fatalf("create after destroying inst4 and inst1 = %+v, %v; want id inst5", in, err)
	}
}

func TestProviderActions(t *testing.T) {
	p, _ := open(t, nil)
	ctx := t.Context()
	err := p.Destroy(ctx, "inst0")
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.InvalidState || e.State != deltacloud.StateRunning || e.Op != "Destroy" {
		t.Fatalf("Destroy(running) = %#v, want InvalidState in RUNNING", err)
	}
	if _, err := p.Start(ctx, "inst0"); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("Start(running) = %v", err)
	}
	// The mock's lifecycle has no suspend: refused with the state, nothing done.
	if _, err := p.Suspend(ctx, "inst0"); !errors.As(err, &e) || e.Code != deltacloud.InvalidState || e.Op != "Suspend" {
		t.Errorf("Suspend(running) on the mock = %v, want InvalidState", err)
	}
	if _, err := p.Resume(ctx, "inst0"); !errors.As(err, &e) || e.Code != deltacloud.InvalidState || e.Op != "Resume" {
		t.Errorf("Resume(running) = %v, want InvalidState", err)
	}
	if _, err := p.Do(ctx, "inst0", deltacloud.ActionCreate); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("Do(create) = %v", err)
	}
	steps := []struct {
		do   func() (*deltacloud.Instance, error)
		want deltacloud.State
	}{
		{func() (*deltacloud.Instance, error) { return p.Reboot(ctx, "inst0") }, deltacloud.StateRunning},
		{func() (*deltacloud.Instance, error) { return p.Stop(ctx, "inst0") }, deltacloud.StateStopped},
		{func() (*deltacloud.Instance, error) { return p.Start(ctx, "inst0") }, deltacloud.StateRunning},
	}
	for i, s := range steps {
		in, err := s.do()
		if err != nil || in.State != s.want {
			t.Fatalf("step %d = %+v, %v; want %s", i, in, err, s.want)
		}
	}
	if _, err := p.Stop(ctx, "nope"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Stop(nope) = %v, want ErrNotFound", err)
	}
}

func TestAuthFailure(t *testing.T) {
	p, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{Credentials: deltacloud.Credentials{User: "mockuser", Password: "nope"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Realms(t.Context()); !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Errorf("Realms = %v, want ErrAuthFailure", err)
	}
	// Hardware profiles, lifecycle and features need no credentials.
	if _, err := p.HardwareProfiles(t.Context(), deltacloud.HardwareProfileFilter{}); err != nil {
		t.Errorf("HardwareProfiles without valid credentials: %v", err)
	}
	if strings.Contains(deltacloud.Credentials{User: "u", Password: "secret"}.String(), "secret") {
		t.Error("Credentials.String shows the password")
	}
}

func TestFaultInjection(t *testing.T) {
	p, c := open(t, nil)
	native := errors.New("native SDK error")
	c.FailNext(mock.OpInstances, 1, &deltacloud.Error{Code: deltacloud.RateLimited, RetryAfter: 3 * time.Second, Err: native})
	_, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.RateLimited || e.RetryAfter != 3*time.Second || e.Op != "Instances" {
		t.Fatalf("Instances = %#v, want RateLimited with RetryAfter 3s", err)
	}
	if !errors.Is(err, native) {
		t.Errorf("the native error is not reachable through %v", err)
	}
	if _, err := p.Instances(t.Context(), deltacloud.InstanceFilter{}); err != nil {
		t.Errorf("second call = %v, the fault was for one call", err)
	}
	c.FailNext(mock.OpAll, 2, errors.New("unclassified"))
	for i := range 2 {
		if _, err := p.Realms(t.Context()); !errors.Is(err, deltacloud.ErrBackend) {
			t.Errorf("call %d = %v, want an unclassified error to become ErrBackend", i, err)
		}
	}
}

func TestDeadlineDuringCall(t *testing.T) {
	p, c := open(t, nil)
	c.SetLatency(mock.OpRealms, time.Hour)
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Millisecond)
	defer cancel()
	_, err := p.Realms(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, deltacloud.ErrTimeout) {
		t.Errorf("Realms past its deadline = %v, want DeadlineExceeded and ErrTimeout", err)
	}
}

func TestWaitFor(t *testing.T) {
	p, c := open(t, map[string]string{"pending_polls": "3"})
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		t.Fatal(err)
	}
	if in.State != deltacloud.StatePending || len(in.Actions) != 0 {
		t.Fatalf("created %s with %v, want PENDING with no actions", in.State, in.Actions)
	}
	// A temporary error while waiting is retried, not returned.
	c.FailNext(mock.OpInstance, 1, deltacloud.ErrUnavailable)
	got, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning)
	if err != nil || got.State != deltacloud.StateRunning {
		t.Fatalf("WaitFor RUNNING = %+v, %v", got, err)
	}
	// FINISH is reached when the instance disappears.
	p.Stop(ctx, in.ID)
	p.Destroy(ctx, in.ID)
	got, err = p.WaitFor(ctx, in.ID, deltacloud.StateFinish)
	if err != nil || got.State != deltacloud.StateFinish {
		t.Errorf("WaitFor FINISH of a destroyed instance = %+v, %v", got, err)
	}
	// A permanent error ends the wait.
	if _, err := p.WaitFor(ctx, "nope", deltacloud.StateRunning); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("WaitFor(nope) = %v, want ErrNotFound", err)
	}
}

func TestWaitForUnreachable(t *testing.T) {
	p, _ := open(t, nil)
	// In the mock's machine PENDING only follows START: a running instance
	// can never be pending again, so the wait fails at once.
	in, err := p.WaitFor(t.Context(), "inst0", deltacloud.StatePending)
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.InvalidState || e.State != deltacloud.StateRunning || e.Op != "WaitFor" {
		t.Fatalf("WaitFor(PENDING) of a running instance = %#v, want InvalidState with state RUNNING", err)
	}
	if in == nil || in.ID != "inst0" {
		t.Errorf("WaitFor returned %+v, want the last observed instance", in)
	}
}

func TestWaitForTimeout(t *testing.T) {
	p, _ := open(t, map[string]string{"pending": "1h"})
	in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	_, err = p.WaitFor(ctx, in.ID, deltacloud.StateRunning)
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.Timeout || e.State != deltacloud.StatePending {
		t.Errorf("WaitFor past the deadline = %#v, want Timeout with last state PENDING", err)
	}
}

func TestClose(t *testing.T) {
	p, _ := open(t, nil)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); err != nil {
		t.Errorf("second Close = %v", err)
	}
	if _, err := p.Realms(t.Context()); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("Realms after Close = %v, want ErrInvalidState", err)
	}
}

func TestWatch(t *testing.T) {
	p, c := open(t, nil)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var events []deltacloud.Event
	step := 0
	for ev := range p.Watch(ctx, deltacloud.WatchOptions{Interval: time.Millisecond}) {
		events = append(events, ev)
		if ev.Kind == deltacloud.EventError {
			continue
		}
		switch step {
		case 0: // after the snapshot: one change, one create, one removal
			p.Stop(ctx, "inst1")
			p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
			p.Stop(ctx, "inst2")
			p.Destroy(ctx, "inst2")
		case 3: // then a temporary failure, which is reported and retried
			c.FailNext(mock.OpInstances, 1, deltacloud.ErrUnavailable)
			p.Start(ctx, "inst1")
		case 4:
			cancel()
		}
		step++
	}
	type brief struct {
		Kind     deltacloud.EventKind
		ID       string
		From, To deltacloud.State
		N        int
		Code     deltacloud.Code
	}
	var got []brief
	for _, ev := range events {
		got = append(got, brief{ev.Kind, ev.Instance.ID, ev.From, ev.Instance.State, len(ev.Instances), deltacloud.CodeOf(ev.Err)})
	}
	want := []brief{
		{Kind: deltacloud.EventSnapshot, N: 4},
		{Kind: deltacloud.EventChanged, ID: "inst1", From: deltacloud.StateRunning, To: deltacloud.StateStopped},
		{Kind: deltacloud.EventCreated, ID: "inst4", To: deltacloud.StateRunning},
		{Kind: deltacloud.EventRemoved, ID: "inst2", To: deltacloud.StateRunning},
		{Kind: deltacloud.EventError, Code: deltacloud.Unavailable},
		{Kind: deltacloud.EventChanged, ID: "inst1", From: deltacloud.StateStopped, To: deltacloud.StateRunning},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}

func TestWatchEndsOnPermanentError(t *testing.T) {
	p, c := open(t, nil)
	c.FailNext(mock.OpInstances, 1, deltacloud.ErrAuthFailure)
	var kinds []deltacloud.EventKind
	for ev := range p.Watch(t.Context(), deltacloud.WatchOptions{Interval: time.Millisecond}) {
		kinds = append(kinds, ev.Kind)
	}
	if d := cmp.Diff([]deltacloud.EventKind{deltacloud.EventError}, kinds); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
}
