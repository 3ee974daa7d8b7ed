package deltacloud_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// scriptedLifecycle is a cloud that passes through STOPPING, as EC2 does,
// and may fail into ERROR while pending.
var scriptedLifecycle = deltacloud.MustStateMachine(
	deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateError),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
	deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
)

// scripted is one instance "i-1" on a cloud whose surprises a test
// scripts. An instance in a state the cloud leaves by itself moves on after
// settleReads reads (never when settleReads is 0); beforeAct runs before
// each action is checked, so a test can move the instance between the
// Provider's check and the cloud's; onRead runs after each read.
type scripted struct {
	mu          sync.Mutex
	state       deltacloud.State
	exists      bool
	reads       int // reads in the current state
	settleReads int
	beforeAct   func(s *scripted, a deltacloud.Action)
	onRead      func(s *scripted, n int)
	actFaults   []error // returned by the next actions, in order
	totalReads  int
	log         []string
}

func (s *scripted) Realms(context.Context) ([]deltacloud.Realm, error) { return nil, nil }
func (s *scripted) HardwareProfiles(context.Context) ([]deltacloud.HardwareProfile, error) {
	return nil, nil
}
func (s *scripted) Images(context.Context, deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	return nil, nil
}
func (s *scripted) CreateInstances(context.Context, deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	return nil, deltacloud.ErrNotSupported
}
func (s *scripted) Lifecycle() *deltacloud.StateMachine { return scriptedLifecycle }
func (s *scripted) Features() deltacloud.Features       { return nil }
func (s *scripted) Close() error                        { return nil }

func (s *scripted) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	in, err := s.Instance(ctx, "i-1")
	if err != nil {
		return nil, nil
	}
	return []deltacloud.Instance{*in}, nil
}

// Instance reads the instance, moving it on first if it has been read in
// a transitional state often enough.
func (s *scripted) Instance(_ context.Context, id string) (*deltacloud.Instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.totalReads++
	if s.onRead != nil {
		s.onRead(s, s.totalReads)
	}
	if !s.exists || id != "i-1" {
		return nil, &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: "no such instance"}
	}
	s.reads++
	if s.settleReads > 0 && s.reads > s.settleReads {
		switch s.state {
		case deltacloud.StatePending:
			s.set(deltacloud.StateRunning)
		case deltacloud.StateStopping:
			s.set(deltacloud.StateStopped)
		}
	}
	return &deltacloud.Instance{ID: "i-1", State: s.state}, nil
}

// set changes the state; the caller holds mu.
func (s *scripted) set(st deltacloud.State) {
	s.log = append(s.log, "→"+string(st))
	s.state, s.reads = st, 0
}

func (s *scripted) Act(_ context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.beforeAct != nil {
		s.beforeAct(s, a)
	}
	if len(s.actFaults) > 0 {
		err := s.actFaults[0]
		s.actFaults = s.actFaults[1:]
		s.log = append(s.log, string(a)+" failed")
		return nil, err
	}
	next, ok := scriptedLifecycle.Next(s.state, a)
	if !ok {
		s.log = append(s.log, string(a)+" refused in "+string(s.state))
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: s.state,
			Message: fmt.Sprintf("cannot %s in %s", a, s.state)}
	}
	s.log = append(s.log, string(a))
	s.set(next)
	if next == deltacloud.StateFinish {
		s.exists = false
	}
	return &deltacloud.Instance{ID: "i-1", State: next}, nil
}

// scriptedDriver opens the scripted cloud the test put in the config's
// options, by name.
type scriptedDriver struct{}

var (
	scriptsMu sync.Mutex
	scripts   = map[string]*scripted{}
)

func (scriptedDriver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "scripted"}
}
func (scriptedDriver) Open(_ context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	scriptsMu.Lock()
	defer scriptsMu.Unlock()
	return scripts[cfg.Provider], nil
}

func init() { deltacloud.Register("drive-scripted", scriptedDriver{}) }

// openScripted opens a Provider on s.
func openScripted(t *testing.T, s *scripted) *deltacloud.Provider {
	t.Helper()
	scriptsMu.Lock()
	scripts[t.Name()] = s
	scriptsMu.Unlock()
	p, err := deltacloud.Open(t.Context(), "drive-scripted", deltacloud.Config{Provider: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// fast polls without waiting noticeably; outcomes depend on read counts
// only, never on time.
var fast = deltacloud.WaitOptions{PollInterval: time.Microsecond, MaxPollInterval: time.Microsecond}

func TestDriveScripted(t *testing.T) {
	tests := []struct {
		name      string
		cloud     *scripted
		target    deltacloud.State
		wantState deltacloud.State
		wantLog   []string
	}{
		{
			name:      "teardown waits through STOPPING",
			cloud:     &scripted{state: deltacloud.StateRunning, exists: true, settleReads: 2},
			target:    deltacloud.StateFinish,
			wantState: deltacloud.StateFinish,
			wantLog:   []string{"stop", "→STOPPING", "→STOPPED", "destroy", "→FINISH"},
		},
		{
			name:      "waits out PENDING before stopping",
			cloud:     &scripted{state: deltacloud.StatePending, exists: true, settleReads: 3},
			target:    deltacloud.StateStopped,
			wantState: deltacloud.StateStopped,
			wantLog:   []string{"→RUNNING", "stop", "→STOPPING", "→STOPPED"},
		},
		{
			name:      "already there",
			cloud:     &scripted{state: deltacloud.StateStopped, exists: true},
			target:    deltacloud.StateStopped,
			wantState: deltacloud.StateStopped,
		},
		{
			name: "someone starts it between the check and the destroy: the cloud refuses, Drive plans again",
			cloud: &scripted{state: deltacloud.StateStopped, exists: true, settleReads: 1,
				beforeAct: func(s *scripted, a deltacloud.Action) {
					if a == deltacloud.ActionDestroy && s.state == deltacloud.StateStopped && !contains(s.log, "start") {
						s.log = append(s.log, "start")
						s.set(deltacloud.StateRunning)
					}
				}},
			target:    deltacloud.StateFinish,
			wantState: deltacloud.StateFinish,
			wantLog: []string{"start", "→RUNNING", "destroy refused in RUNNING",
				"stop", "→STOPPING", "→STOPPED", "destroy", "→FINISH"},
		},
		{
			name: "someone stops it while Drive waits for RUNNING to stop it: no stop needed",
			cloud: &scripted{state: deltacloud.StatePending, exists: true, settleReads: 2,
				onRead: func(s *scripted, n int) {
					if n == 2 {
						s.log = append(s.log, "other: stop")
						s.set(deltacloud.StateStopping)
					}
				}},
			target:    deltacloud.StateStopped,
			wantState: deltacloud.StateStopped,
			wantLog:   []string{"other: stop", "→STOPPING", "→STOPPED"},
		},
		{
			name: "temporary failures of an action are retried",
			cloud: &scripted{state: deltacloud.StateRunning, exists: true, settleReads: 1,
				actFaults: []error{deltacloud.ErrUnavailable, &deltacloud.Error{Code: deltacloud.RateLimited}}},
			target:    deltacloud.StateStopped,
			wantState: deltacloud.StateStopped,
			wantLog:   []string{"stop failed", "stop failed", "stop", "→STOPPING", "→STOPPED"},
		},
		{
			name:      "an instance already gone is torn down",
			cloud:     &scripted{},
			target:    deltacloud.StateFinish,
			wantState: deltacloud.StateFinish,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openScripted(t, tt.cloud)
			in, err := p.Drive(t.Context(), "i-1", tt.target, fast)
			if err != nil {
				t.Fatalf("Drive = %v", err)
			}
			if in.State != tt.wantState || in.ID != "i-1" {
				t.Errorf("Drive returned %+v; want i-1 in %s", in, tt.wantState)
			}
			tt.cloud.mu.Lock()
			defer tt.cloud.mu.Unlock()
			if d := cmp.Diff(tt.wantLog, tt.cloud.log); d != "" {
				t.Errorf("what happened (-want +got):\n%s", d)
			}
		})
	}
}

func contains(log []string, s string) bool {
	for _, l := range log {
		if l == s {
			return true
		}
	}
	return false
}

func TestDriveFailures(t *testing.T) {
	cancelAt := func(n int, cancel *context.CancelFunc) func(*scripted, int) {
		return func(_ *scripted, got int) {
			if got == n {
				(*cancel)()
			}
		}
	}
	var cancel context.CancelFunc
	tests := []struct {
		name      string
		cloud     *scripted
		target    deltacloud.State
		code      deltacloud.Code
		wantState deltacloud.State
		cause     error
	}{
		{name: "unknown state", cloud: &scripted{state: deltacloud.StateRunning, exists: true},
			target: "RUNING", code: deltacloud.InvalidArgument},
		{name: "START is no target", cloud: &scripted{state: deltacloud.StateRunning, exists: true},
			target: deltacloud.StateStart, code: deltacloud.InvalidArgument},
		{name: "unreachable from ERROR", cloud: &scripted{state: deltacloud.StateError, exists: true},
			target: deltacloud.StateRunning, code: deltacloud.InvalidState, wantState: deltacloud.StateError},
		{name: "not found", cloud: &scripted{}, target: deltacloud.StateRunning, code: deltacloud.NotFound},
		{name: "a refusal that is not about state ends the drive",
			cloud:  &scripted{state: deltacloud.StateRunning, exists: true, actFaults: []error{deltacloud.ErrForbidden}},
			target: deltacloud.StateStopped, code: deltacloud.Forbidden, wantState: deltacloud.StateRunning},
		{name: "cancelled while the cloud never settles",
			cloud:  &scripted{state: deltacloud.StateStopping, exists: true, onRead: cancelAt(3, &cancel)},
			target: deltacloud.StateStopped, code: deltacloud.Canceled, wantState: deltacloud.StateStopping, cause: context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := openScripted(t, tt.cloud)
			var ctx context.Context
			ctx, cancel = context.WithCancel(t.Context())
			defer cancel()
			_, err := p.Drive(ctx, "i-1", tt.target, fast)
			var e *deltacloud.Error
			if !errors.As(err, &e) || e.Code != tt.code || e.Op != "Drive" || e.State != tt.wantState {
				t.Fatalf("Drive = %#v; want code %v, op Drive, state %q", err, tt.code, tt.wantState)
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("Drive = %v; want it to wrap %v", err, tt.cause)
			}
			if tt.code == deltacloud.Canceled && e.Code.Temporary() {
				t.Errorf("a cancelled drive is Temporary")
			}
		})
	}
}

// TestDriveMock drives the mock cloud's pending instances: create, wait
// through PENDING, stop, and tear down; the instance is gone afterwards.
func TestDriveMock(t *testing.T) {
	p, _ := open(t, map[string]string{"pending_polls": "3"})
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		t.Fatal(err)
	}
	if in.State != deltacloud.StatePending {
		t.Fatalf("created instance is %s; want PENDING", in.State)
	}
	got, err := p.Drive(ctx, in.ID, deltacloud.StateStopped)
	if err != nil || got.State != deltacloud.StateStopped {
		t.Fatalf("Drive(STOPPED) = %+v, %v", got, err)
	}
	got, err = p.Drive(ctx, in.ID, deltacloud.StateRunning)
	if err != nil || got.State != deltacloud.StateRunning {
		t.Fatalf("Drive(RUNNING) = %+v, %v", got, err)
	}
	got, err = p.Drive(ctx, in.ID, deltacloud.StateFinish)
	if err != nil || got.State != deltacloud.StateFinish || got.ID != in.ID {
		t.Fatalf("Drive(FINISH) = %+v, %v", got, err)
	}
	if _, err := p.Instance(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Instance after teardown = %v; want ErrNotFound", err)
	}
}

// TestDriveMockActivity tears down every instance of a mock cloud whose
// simulated other users start, stop and reboot instances meanwhile. Each
// drive either ends with the instance gone or fails with an error that says
// why; none returns a half-done success.
func TestDriveMockActivity(t *testing.T) {
	p, _ := open(t, map[string]string{"activity": "1ms", "seed": "7", "pending_polls": "2"})
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range ins {
		got, err := p.Drive(ctx, in.ID, deltacloud.StateFinish)
		if err != nil {
			t.Fatalf("Drive(%s, FINISH) = %v", in.ID, err)
		}
		if got.State != deltacloud.StateFinish {
			t.Errorf("Drive(%s, FINISH) returned state %s", in.ID, got.State)
		}
		if _, err := p.Instance(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotFound) {
			// The simulated users may create an instance with a freed id;
			// only the mock's id re-use makes that possible.
			t.Logf("Instance(%s) after teardown = %v", in.ID, err)
		}
	}
}

// TestWaitProgress: WaitFor and Drive show every instance they read to
// WaitOptions.Progress, ending with the target.
func TestWaitProgress(t *testing.T) {
	p, _ := open(t, map[string]string{"pending_polls": "3"})
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		t.Fatal(err)
	}
	var seen []deltacloud.State
	opts := deltacloud.WaitOptions{PollInterval: time.Millisecond, Progress: func(in *deltacloud.Instance) { seen = append(seen, in.State) }}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning, opts); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]deltacloud.State{deltacloud.StatePending, deltacloud.StateRunning}, slices.Compact(seen)); diff != "" {
		t.Errorf("WaitFor progress (-want +got, repeats folded):\n%s", diff)
	}
	seen = nil
	if _, err := p.Drive(ctx, in.ID, deltacloud.StateStopped, opts); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]deltacloud.State{deltacloud.StateRunning, deltacloud.StateStopped}, slices.Compact(seen)); diff != "" {
		t.Errorf("Drive progress (-want +got, repeats folded):\n%s", diff)
	}
}
