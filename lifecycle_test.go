package deltacloud_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	dc "github.com/deltacloud-go/deltacloud"
)

// The state machines of the original server's drivers.
var (
	mockTransitions = []dc.Transition{
		dc.On(dc.StateStart, dc.ActionCreate, dc.StatePending),
		dc.Auto(dc.StatePending, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionReboot, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopped),
		dc.On(dc.StateStopped, dc.ActionStart, dc.StateRunning),
		dc.On(dc.StateStopped, dc.ActionDestroy, dc.StateFinish),
	}
	ec2Transitions = []dc.Transition{
		dc.Auto(dc.StateStart, dc.StatePending),
		dc.Auto(dc.StatePending, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionReboot, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopping),
		dc.Auto(dc.StateStopping, dc.StateStopped),
		dc.On(dc.StateStopped, dc.ActionStart, dc.StateRunning),
		dc.On(dc.StateStopped, dc.ActionDestroy, dc.StateFinish),
	}
	// openstackSpecTransitions is the original's OpenStack machine as written. ERROR
	// has no way out, which Validate allows for ERROR alone.
	openstackSpecTransitions = []dc.Transition{
		dc.On(dc.StateStart, dc.ActionCreate, dc.StatePending),
		dc.Auto(dc.StatePending, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionReboot, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopping),
		dc.Auto(dc.StateStopping, dc.StateStopped),
		dc.Auto(dc.StateStopped, dc.StateFinish),
		dc.Auto(dc.StateRunning, dc.StateError),
		dc.Auto(dc.StatePending, dc.StateError),
		dc.Auto(dc.StateStopping, dc.StateError),
	}
	// openstackTransitions is the original's machine plus destroy out of ERROR (as its text says:
	// OpenStack offers reboot and destroy), which makes it valid.
	openstackTransitions = append(slices.Clone(openstackSpecTransitions),
		dc.On(dc.StateError, dc.ActionDestroy, dc.StateFinish))

	mockMachine      = dc.MustStateMachine(mockTransitions...)
	ec2Machine       = dc.MustStateMachine(ec2Transitions...)
	openstackMachine = dc.MustStateMachine(openstackTransitions...)
)

const stateNowhere dc.State = "NOWHERE"

func TestStateMachineStates(t *testing.T) {
	tests := []struct {
		name string
		m    *dc.StateMachine
		want []dc.State
	}{
		{"mock", mockMachine, []dc.State{dc.StateStart, dc.StatePending, dc.StateRunning, dc.StateStopped, dc.StateFinish}},
		{"ec2", ec2Machine, []dc.State{dc.StateStart, dc.StatePending, dc.StateRunning, dc.StateStopping, dc.StateStopped, dc.StateFinish}},
		{"openstack", openstackMachine, []dc.State{dc.StateStart, dc.StatePending, dc.StateRunning, dc.StateStopping, dc.StateStopped, dc.StateFinish, dc.StateError}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.m.States()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("States() (-want +got):\n%s", diff)
			}
			for _, s := range tt.want {
				if !tt.m.Has(s) {
					t.Errorf("Has(%s) = false, want true", s)
				}
			}
			if tt.m.Has(stateNowhere) {
				t.Errorf("Has(%s) = true, want false", stateNowhere)
			}
			// The result is a copy.
			got[0] = stateNowhere
			if s := tt.m.States()[0]; s != dc.StateStart {
				t.Errorf("States()[0] after mutating an earlier result = %s, want START", s)
			}
		})
	}
}

func TestStateMachineTransitionsAreCopies(t *testing.T) {
	ts := mockMachine.Transitions()
	if diff := cmp.Diff(mockTransitions, ts); diff != "" {
		t.Errorf("Transitions() (-want +got):\n%s", diff)
	}
	ts[0].To = stateNowhere
	if got := mockMachine.Transitions()[0].To; got != dc.StatePending {
		t.Errorf("Transitions()[0].To after mutating an earlier result = %s, want PENDING", got)
	}
	from := mockMachine.TransitionsFrom(dc.StateRunning)
	want := []dc.Transition{
		dc.On(dc.StateRunning, dc.ActionReboot, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopped),
	}
	if diff := cmp.Diff(want, from); diff != "" {
		t.Errorf("TransitionsFrom(RUNNING) (-want +got):\n%s", diff)
	}
	from[0].Action = dc.ActionDestroy
	if got := mockMachine.TransitionsFrom(dc.StateRunning)[0].Action; got != dc.ActionReboot {
		t.Errorf("TransitionsFrom(RUNNING)[0].Action after mutating an earlier result = %s, want reboot", got)
	}
}

func TestStateMachineActions(t *testing.T) {
	tests := []struct {
		name  string
		m     *dc.StateMachine
		state dc.State
		want  []dc.Action
	}{
		{"mock start (create is not listed)", mockMachine, dc.StateStart, nil},
		{"mock pending", mockMachine, dc.StatePending, nil},
		{"mock running", mockMachine, dc.StateRunning, []dc.Action{dc.ActionReboot, dc.ActionStop}},
		{"mock stopped", mockMachine, dc.StateStopped, []dc.Action{dc.ActionStart, dc.ActionDestroy}},
		{"mock finish", mockMachine, dc.StateFinish, nil},
		{"mock unknown state", mockMachine, stateNowhere, nil},
		{"ec2 start", ec2Machine, dc.StateStart, nil},
		{"ec2 running", ec2Machine, dc.StateRunning, []dc.Action{dc.ActionReboot, dc.ActionStop}},
		{"ec2 stopping", ec2Machine, dc.StateStopping, nil},
		{"ec2 stopped", ec2Machine, dc.StateStopped, []dc.Action{dc.ActionStart, dc.ActionDestroy}},
		{"openstack running", openstackMachine, dc.StateRunning, []dc.Action{dc.ActionReboot, dc.ActionStop}},
		{"openstack stopped", openstackMachine, dc.StateStopped, nil},
		{"openstack error", openstackMachine, dc.StateError, []dc.Action{dc.ActionDestroy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.m.Actions(tt.state)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Actions(%s) (-want +got):\n%s", tt.state, diff)
			}
		})
	}
}

func TestStateMachineNext(t *testing.T) {
	tests := []struct {
		name   string
		m      *dc.StateMachine
		from   dc.State
		action dc.Action
		want   dc.State
		wantOK bool
	}{
		{"mock create", mockMachine, dc.StateStart, dc.ActionCreate, dc.StatePending, true},
		{"mock reboot", mockMachine, dc.StateRunning, dc.ActionReboot, dc.StateRunning, true},
		{"mock stop", mockMachine, dc.StateRunning, dc.ActionStop, dc.StateStopped, true},
		{"mock start", mockMachine, dc.StateStopped, dc.ActionStart, dc.StateRunning, true},
		{"mock destroy", mockMachine, dc.StateStopped, dc.ActionDestroy, dc.StateFinish, true},
		{"mock destroy while running", mockMachine, dc.StateRunning, dc.ActionDestroy, "", false},
		{"mock auto is not an action", mockMachine, dc.StatePending, "", "", false},
		{"mock unknown state", mockMachine, stateNowhere, dc.ActionStop, "", false},
		{"ec2 create is automatic", ec2Machine, dc.StateStart, dc.ActionCreate, "", false},
		{"ec2 stop", ec2Machine, dc.StateRunning, dc.ActionStop, dc.StateStopping, true},
		{"ec2 nothing while stopping", ec2Machine, dc.StateStopping, dc.ActionStart, "", false},
		{"openstack destroy from error", openstackMachine, dc.StateError, dc.ActionDestroy, dc.StateFinish, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.m.Next(tt.from, tt.action)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Next(%s, %q) = %q, %t; want %q, %t", tt.from, tt.action, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestStateMachineReachable(t *testing.T) {
	tests := []struct {
		name     string
		m        *dc.StateMachine
		from, to dc.State
		want     bool
	}{
		{"mock running→finish", mockMachine, dc.StateRunning, dc.StateFinish, true},
		{"mock start→finish", mockMachine, dc.StateStart, dc.StateFinish, true},
		{"mock stopped→running", mockMachine, dc.StateStopped, dc.StateRunning, true},
		{"mock finish→running", mockMachine, dc.StateFinish, dc.StateRunning, false},
		{"mock running→pending", mockMachine, dc.StateRunning, dc.StatePending, false},
		{"mock running→start", mockMachine, dc.StateRunning, dc.StateStart, false},
		{"mock same state", mockMachine, dc.StateFinish, dc.StateFinish, true},
		{"mock unknown from", mockMachine, stateNowhere, dc.StateRunning, true},
		{"mock unknown to", mockMachine, dc.StateRunning, stateNowhere, false},
		{"ec2 stopping→running", ec2Machine, dc.StateStopping, dc.StateRunning, true},
		{"ec2 stopped→stopping", ec2Machine, dc.StateStopped, dc.StateStopping, true},
		{"ec2 finish→stopped", ec2Machine, dc.StateFinish, dc.StateStopped, false},
		{"openstack stopped→running", openstackMachine, dc.StateStopped, dc.StateRunning, false},
		{"openstack error→running", openstackMachine, dc.StateError, dc.StateRunning, false},
		{"openstack pending→error", openstackMachine, dc.StatePending, dc.StateError, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Reachable(tt.from, tt.to); got != tt.want {
				t.Errorf("Reachable(%s, %s) = %t, want %t", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestStateMachineStable(t *testing.T) {
	autoLoop := dc.MustStateMachine(
		dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
		dc.Auto(dc.StateRunning, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionDestroy, dc.StateFinish),
	)
	tests := []struct {
		name  string
		m     *dc.StateMachine
		state dc.State
		want  bool
	}{
		{"mock start", mockMachine, dc.StateStart, true},
		{"mock pending", mockMachine, dc.StatePending, false},
		{"mock running (reboot loop is an action)", mockMachine, dc.StateRunning, true},
		{"mock stopped", mockMachine, dc.StateStopped, true},
		{"mock finish", mockMachine, dc.StateFinish, true},
		{"ec2 start", ec2Machine, dc.StateStart, false},
		{"ec2 stopping", ec2Machine, dc.StateStopping, false},
		{"ec2 stopped", ec2Machine, dc.StateStopped, true},
		{"openstack running only fails to error", openstackMachine, dc.StateRunning, true},
		{"openstack stopped finishes by itself", openstackMachine, dc.StateStopped, false},
		{"openstack error", openstackMachine, dc.StateError, true},
		{"automatic self-loop", autoLoop, dc.StateRunning, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.m.Stable(tt.state); got != tt.want {
				t.Errorf("Stable(%s) = %t, want %t", tt.state, got, tt.want)
			}
		})
	}
}

func TestStateMachinePlan(t *testing.T) {
	// Autos are free: A reaches T through three automatic steps although a
	// direct action exists, and the action edge is listed first so a plain
	// BFS would find it first.
	autoCheaper := dc.MustStateMachine(
		dc.On(dc.StateStart, dc.ActionCreate, dc.StatePending),
		dc.On(dc.StatePending, dc.ActionStart, dc.StateRunning),
		dc.Auto(dc.StatePending, dc.StateStopping),
		dc.Auto(dc.StateStopping, dc.StateStopped),
		dc.Auto(dc.StateStopped, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionDestroy, dc.StateFinish),
	)
	// One action and two autos beat two actions.
	fewerActions := dc.MustStateMachine(
		dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopped),
		dc.On(dc.StateStopped, dc.ActionDestroy, dc.StateFinish),
		dc.On(dc.StateRunning, dc.ActionReboot, dc.StatePending),
		dc.Auto(dc.StatePending, dc.StateStopping),
		dc.Auto(dc.StateStopping, dc.StateFinish),
	)
	tests := []struct {
		name     string
		m        *dc.StateMachine
		from, to dc.State
		want     []dc.Action
		wantErr  bool
	}{
		{"mock running→finish", mockMachine, dc.StateRunning, dc.StateFinish, []dc.Action{dc.ActionStop, dc.ActionDestroy}, false},
		{"mock pending→running waits", mockMachine, dc.StatePending, dc.StateRunning, []dc.Action{}, false},
		{"mock same state", mockMachine, dc.StateRunning, dc.StateRunning, []dc.Action{}, false},
		{"mock stopped→running", mockMachine, dc.StateStopped, dc.StateRunning, []dc.Action{dc.ActionStart}, false},
		{"mock pending→finish", mockMachine, dc.StatePending, dc.StateFinish, []dc.Action{dc.ActionStop, dc.ActionDestroy}, false},
		{"mock start→running creates", mockMachine, dc.StateStart, dc.StateRunning, []dc.Action{dc.ActionCreate}, false},
		{"mock start→finish", mockMachine, dc.StateStart, dc.StateFinish, []dc.Action{dc.ActionCreate, dc.ActionStop, dc.ActionDestroy}, false},
		{"mock finish→running", mockMachine, dc.StateFinish, dc.StateRunning, nil, true},
		{"mock running→pending", mockMachine, dc.StateRunning, dc.StatePending, nil, true},
		{"mock unknown from", mockMachine, stateNowhere, dc.StateRunning, nil, true},
		{"mock unknown to", mockMachine, dc.StateRunning, stateNowhere, nil, true},
		{"mock unknown same state", mockMachine, stateNowhere, stateNowhere, []dc.Action{}, false},
		{"ec2 running→finish", ec2Machine, dc.StateRunning, dc.StateFinish, []dc.Action{dc.ActionStop, dc.ActionDestroy}, false},
		{"ec2 start→running waits", ec2Machine, dc.StateStart, dc.StateRunning, []dc.Action{}, false},
		{"ec2 running→stopped", ec2Machine, dc.StateRunning, dc.StateStopped, []dc.Action{dc.ActionStop}, false},
		{"ec2 stopping→running", ec2Machine, dc.StateStopping, dc.StateRunning, []dc.Action{dc.ActionStart}, false},
		{"ec2 stopping→finish", ec2Machine, dc.StateStopping, dc.StateFinish, []dc.Action{dc.ActionDestroy}, false},
		{"ec2 finish→running", ec2Machine, dc.StateFinish, dc.StateRunning, nil, true},
		{"openstack pending→stopped", openstackMachine, dc.StatePending, dc.StateStopped, []dc.Action{dc.ActionStop}, false},
		{"openstack running→error waits", openstackMachine, dc.StateRunning, dc.StateError, []dc.Action{}, false},
		{"openstack error→finish", openstackMachine, dc.StateError, dc.StateFinish, []dc.Action{dc.ActionDestroy}, false},
		{"openstack stopped→running", openstackMachine, dc.StateStopped, dc.StateRunning, nil, true},
		{"autos cost nothing", autoCheaper, dc.StatePending, dc.StateRunning, []dc.Action{}, false},
		{"autos cost nothing, then act", autoCheaper, dc.StatePending, dc.StateFinish, []dc.Action{dc.ActionDestroy}, false},
		{"fewest actions", fewerActions, dc.StateRunning, dc.StateFinish, []dc.Action{dc.ActionReboot}, false},
	}
	// OpenStack's RUNNING falls into ERROR automatically only on failure;
	// a plan must not count on it, so RUNNING → FINISH is [stop], not
	// [destroy] through ERROR, while ERROR itself is reached by waiting.
	if got, err := openstackMachine.Plan(dc.StateRunning, dc.StateFinish); err != nil || !slices.Equal(got, []dc.Action{dc.ActionStop}) {
		t.Errorf("openstack Plan(RUNNING, FINISH) = %v, %v; want [stop]", got, err)
	}
	if got, err := openstackMachine.Plan(dc.StateRunning, dc.StateError); err != nil || len(got) != 0 {
		t.Errorf("openstack Plan(RUNNING, ERROR) = %v, %v; want []", got, err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.m.Plan(tt.from, tt.to)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Plan(%s, %s) = %v, nil; want an error", tt.from, tt.to, got)
				}
				if got != nil {
					t.Errorf("Plan(%s, %s) returned plan %v with error %v; want nil", tt.from, tt.to, got, err)
				}
				if !errors.Is(err, dc.ErrInvalidState) {
					t.Errorf("Plan(%s, %s) error = %v; want errors.Is(err, ErrInvalidState)", tt.from, tt.to, err)
				}
				var e *dc.Error
				if !errors.As(err, &e) {
					t.Fatalf("Plan(%s, %s) error is %T, want *Error", tt.from, tt.to, err)
				}
				if e.Op != "Plan" || e.State != tt.from {
					t.Errorf("Plan(%s, %s) error Op, State = %q, %q; want \"Plan\", %q", tt.from, tt.to, e.Op, e.State, tt.from)
				}
				if !strings.Contains(e.Message, string(tt.to)) {
					t.Errorf("Plan(%s, %s) error message %q does not name the target", tt.from, tt.to, e.Message)
				}
				return
			}
			if err != nil {
				t.Fatalf("Plan(%s, %s) error = %v", tt.from, tt.to, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Plan(%s, %s) (-want +got):\n%s", tt.from, tt.to, diff)
			}
		})
	}
}

// TestPlanFollowsNext checks that a plan can be carried out: each action,
// taken where the plan takes it, leads where Next says it does. A machine in
// which one state has the same action twice, to different states, must
// either be rejected by NewStateMachine or be planned through the transition
// Next follows. (Found by FuzzPlan.)
func TestStateMachinePlanFollowsNext(t *testing.T) {
	ts := []dc.Transition{
		dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
		dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopped),
		dc.On(dc.StateStopped, dc.ActionDestroy, dc.StateRunning),
		dc.On(dc.StateStopped, dc.ActionDestroy, dc.StateFinish),
	}
	m, err := dc.NewStateMachine(ts...)
	if err != nil {
		return // rejecting the ambiguous machine is one correct answer
	}
	plan, err := m.Plan(dc.StateRunning, dc.StateFinish)
	if err != nil {
		t.Fatalf("Plan(RUNNING, FINISH) error = %v", err)
	}
	end, stuck := simulate(m, ts, dc.StateRunning, plan)
	if stuck >= 0 || !end[dc.StateFinish] {
		next, _ := m.Next(dc.StateStopped, dc.ActionDestroy)
		t.Errorf("NewStateMachine accepted two destroy transitions out of STOPPED, and Plan(RUNNING, FINISH) = %v, "+
			"but following it with Next ends in %v (Next(STOPPED, destroy) = %s), not FINISH", plan, slices.Sorted(maps.Keys(end)), next)
	}
}

func TestNewStateMachineErrors(t *testing.T) {
	tests := []struct {
		name         string
		ts           []dc.Transition
		wantContains []string
	}{
		{"no transitions", nil, []string{"no transitions"}},
		{
			"no transition out of START",
			[]dc.Transition{dc.On(dc.StateRunning, dc.ActionDestroy, dc.StateFinish)},
			[]string{"no transition out of START"},
		},
		{
			"state unreachable from START",
			[]dc.Transition{
				dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
				dc.On(dc.StateRunning, dc.ActionDestroy, dc.StateFinish),
				dc.On(dc.StateStopped, dc.ActionStart, dc.StateRunning),
			},
			[]string{"STOPPED is unreachable from START"},
		},
		{
			"FINISH unreachable",
			[]dc.Transition{
				dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
				dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopped),
			},
			[]string{"FINISH is unreachable from START", "FINISH is unreachable from RUNNING", "FINISH is unreachable from STOPPED"},
		},
		{
			"dead-end state",
			[]dc.Transition{
				dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
				dc.On(dc.StateRunning, dc.ActionDestroy, dc.StateFinish),
				dc.Auto(dc.StateRunning, dc.StateStopping),
			},
			[]string{"FINISH is unreachable from STOPPING"},
		},
		{
			"one action to two states",
			[]dc.Transition{
				dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
				dc.On(dc.StateRunning, dc.ActionStop, dc.StateStopped),
				dc.On(dc.StateStopped, dc.ActionDestroy, dc.StateRunning),
				dc.On(dc.StateStopped, dc.ActionDestroy, dc.StateFinish),
			},
			[]string{"STOPPED", "destroy"},
		},
		{
			"both action and auto",
			[]dc.Transition{
				{From: dc.StateStart, To: dc.StateRunning, Action: dc.ActionCreate, Auto: true},
				dc.On(dc.StateRunning, dc.ActionDestroy, dc.StateFinish),
			},
			[]string{"exactly one of an action or auto"},
		},
		{
			"neither action nor auto",
			[]dc.Transition{
				dc.On(dc.StateStart, dc.ActionCreate, dc.StateRunning),
				{From: dc.StateRunning, To: dc.StateFinish},
			},
			[]string{"exactly one of an action or auto"},
		},
		{
			"empty state",
			[]dc.Transition{
				dc.On(dc.StateStart, dc.ActionCreate, ""),
			},
			[]string{"empty state"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := dc.NewStateMachine(tt.ts...)
			if err == nil {
				t.Fatalf("NewStateMachine() = %v, nil; want an error", m)
			}
			if m != nil {
				t.Errorf("NewStateMachine() returned a machine with error %v", err)
			}
			for _, s := range tt.wantContains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			defer func() {
				if recover() == nil {
					t.Errorf("MustStateMachine did not panic")
				}
			}()
			dc.MustStateMachine(tt.ts...)
		})
	}
}

func TestStateMachineValidateValid(t *testing.T) {
	for name, m := range map[string]*dc.StateMachine{"mock": mockMachine, "ec2": ec2Machine, "openstack": openstackMachine} {
		if err := m.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v", name, err)
		}
	}
}

func TestParseState(t *testing.T) {
	tests := []struct {
		in   string
		want dc.State
	}{
		{"running", dc.StateRunning},
		{"RUNNING", dc.StateRunning},
		{" Stopped ", dc.StateStopped},
		{"shutting-down", dc.StateShuttingDown},
		{"shutting_down", dc.StateShuttingDown},
		{"", dc.StateUnknown},
		{"   ", dc.StateUnknown},
	}
	for _, tt := range tests {
		if got := dc.ParseState(tt.in); got != tt.want {
			t.Errorf("ParseState(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := dc.StateShuttingDown.MachineName(); got != "shutting_down" {
		t.Errorf("MachineName() = %q, want %q", got, "shutting_down")
	}
}

// Fuzzing Plan: machines are decoded from bytes, two bytes per transition.

var (
	fuzzStates  = []dc.State{dc.StateStart, dc.StatePending, dc.StateRunning, dc.StateStopping, dc.StateStopped, dc.StateError, dc.StateFinish}
	fuzzActions = []dc.Action{dc.ActionCreate, dc.ActionStart, dc.ActionStop, dc.ActionReboot, dc.ActionDestroy}
)

const fuzzMaxTransitions = 32

// decodeMachine reads transitions from data: the first byte of a pair picks
// from (b%7) and to (b/7%7), the second an action (b%6 < 5) or auto.
func decodeMachine(data []byte) []dc.Transition {
	var ts []dc.Transition
	for i := 0; i+1 < len(data) && len(ts) < fuzzMaxTransitions; i += 2 {
		from := fuzzStates[int(data[i])%len(fuzzStates)]
		to := fuzzStates[int(data[i])/len(fuzzStates)%len(fuzzStates)]
		if k := int(data[i+1]) % (len(fuzzActions) + 1); k < len(fuzzActions) {
			ts = append(ts, dc.On(from, fuzzActions[k], to))
		} else {
			ts = append(ts, dc.Auto(from, to))
		}
	}
	return ts
}

// encodeMachine is decodeMachine's inverse, for seeds.
func encodeMachine(ts []dc.Transition) []byte {
	var b []byte
	for _, t := range ts {
		from, to := slices.Index(fuzzStates, t.From), slices.Index(fuzzStates, t.To)
		k := len(fuzzActions)
		if !t.Auto {
			k = slices.Index(fuzzActions, t.Action)
		}
		b = append(b, byte(from+len(fuzzStates)*to), byte(k))
	}
	return b
}

// fuzzState picks a state of the pool, or one the machine cannot know.
func fuzzState(i uint8) dc.State {
	if int(i)%(len(fuzzStates)+1) == len(fuzzStates) {
		return stateNowhere
	}
	return fuzzStates[int(i)%(len(fuzzStates)+1)]
}

// autoClosure adds to set every state reachable from it by automatic
// transitions.
func autoClosure(ts []dc.Transition, set map[dc.State]bool) map[dc.State]bool {
	for changed := true; changed; {
		changed = false
		for _, t := range ts {
			if t.Auto && set[t.From] && !set[t.To] {
				set[t.To] = true
				changed = true
			}
		}
	}
	return set
}

// minActions is a brute-force search over (state, actions used): level k
// holds every state reachable with at most k actions, autos being free. It
// returns the least k whose level holds to, or -1.
func minActions(ts []dc.Transition, from, to dc.State) int {
	level := autoClosure(ts, map[dc.State]bool{from: true})
	for k := 0; k <= len(ts); k++ {
		if level[to] {
			return k
		}
		next := map[dc.State]bool{}
		for s := range level {
			next[s] = true
		}
		for _, t := range ts {
			if !t.Auto && level[t.From] {
				next[t.To] = true
			}
		}
		level = autoClosure(ts, next)
	}
	return -1
}

// simulate follows a plan through m: autos are taken freely between actions
// and each action follows Next from any state the instance may be in. It
// returns the states the instance may end in, or the index of the first
// action no such state allows.
func simulate(m *dc.StateMachine, ts []dc.Transition, from dc.State, plan []dc.Action) (map[dc.State]bool, int) {
	cur := autoClosure(ts, map[dc.State]bool{from: true})
	for i, a := range plan {
		next := map[dc.State]bool{}
		for s := range cur {
			if to, ok := m.Next(s, a); ok {
				next[to] = true
			}
		}
		if len(next) == 0 {
			return cur, i
		}
		cur = autoClosure(ts, next)
	}
	return cur, -1
}

func FuzzPlan(f *testing.F) {
	for _, ts := range [][]dc.Transition{mockTransitions, ec2Transitions, openstackTransitions} {
		for i := range len(fuzzStates) + 1 {
			f.Add(encodeMachine(ts), uint8(i), uint8((i*3+2)%(len(fuzzStates)+1)))
		}
		f.Add(encodeMachine(ts), uint8(2), uint8(6))
	}
	f.Fuzz(func(t *testing.T, data []byte, fromIdx, toIdx uint8) {
		ts := decodeMachine(data)
		m, err := dc.NewStateMachine(ts...)
		if err != nil {
			t.Skip()
		}
		from, to := fuzzState(fromIdx), fuzzState(toIdx)
		plan, err := m.Plan(from, to)
		reachable := m.Reachable(from, to)
		if !reachable && err == nil {
			t.Fatalf("machine %v: Reachable(%s, %s) = false but Plan = %v", ts, from, to, plan)
		}
		// Plans never count on an automatic fall into ERROR unless ERROR is
		// the target, so the brute force leaves those transitions out.
		planTs := slices.DeleteFunc(slices.Clone(ts), func(t dc.Transition) bool {
			return t.Auto && t.To == dc.StateError && to != dc.StateError
		})
		want := minActions(planTs, from, to)
		if from == to {
			want = 0
		}
		if err != nil {
			if !errors.Is(err, dc.ErrInvalidState) {
				t.Fatalf("machine %v: Plan(%s, %s) error %v is not ErrInvalidState", ts, from, to, err)
			}
			if want >= 0 && m.Has(from) {
				t.Fatalf("machine %v: Plan(%s, %s) error %v, but %d actions get there", ts, from, to, err, want)
			}
			return
		}
		if want < 0 {
			t.Fatalf("machine %v: Plan(%s, %s) = %v, but brute force finds no path", ts, from, to, plan)
		}
		if len(plan) != want {
			t.Fatalf("machine %v: Plan(%s, %s) = %v (%d actions), brute force needs %d", ts, from, to, plan, len(plan), want)
		}
		if from == to {
			return
		}
		end, stuck := simulate(m, planTs, from, plan)
		if stuck >= 0 {
			t.Fatalf("machine %v: Plan(%s, %s) = %v, but action %d (%s) is not allowed in any of %v", ts, from, to, plan, stuck, plan[stuck], end)
		}
		if !end[to] {
			t.Fatalf("machine %v: Plan(%s, %s) = %v ends in %v, not %s", ts, from, to, plan, end, to)
		}
		for _, s := range fuzzStates {
			m.Actions(s)
			m.Stable(s)
		}
	})
}

// TestErrorSinkIsValid: the original's OpenStack machine leaves ERROR only by the
// cloud's clean-up, so ERROR may be a dead end; no other state may.
func TestErrorSinkIsValid(t *testing.T) {
	m, err := dc.NewStateMachine(openstackSpecTransitions...)
	if err != nil {
		t.Fatalf("NewStateMachine(original OpenStack) = %v, want valid", err)
	}
	if plan, err := m.Plan(dc.StateRunning, dc.StateFinish); err != nil || !slices.Equal(plan, []dc.Action{dc.ActionStop}) {
		t.Errorf("Plan(RUNNING, FINISH) = %v, %v; want [stop]", plan, err)
	}
	if _, err := m.Plan(dc.StateError, dc.StateFinish); !errors.Is(err, dc.ErrInvalidState) {
		t.Errorf("Plan(ERROR, FINISH) = %v, want ErrInvalidState", err)
	}
}

// TestSuspendAndPause: the private clouds' states are ordinary members of a
// machine; a plan from a paused or suspended instance to its end resumes it
// first.
func TestSuspendAndPause(t *testing.T) {
	paused := dc.MustStateMachine(append(slices.Clone(mockTransitions),
		dc.On(dc.StateRunning, dc.ActionSuspend, dc.StatePaused),
		dc.On(dc.StatePaused, dc.ActionResume, dc.StateRunning))...)
	suspended := dc.MustStateMachine(append(slices.Clone(mockTransitions),
		dc.On(dc.StateRunning, dc.ActionSuspend, dc.StateSuspended),
		dc.On(dc.StateSuspended, dc.ActionResume, dc.StateRunning))...)
	tests := []struct {
		name        string
		m           *dc.StateMachine
		from        dc.State
		wantActions []dc.Action
		wantPlan    []dc.Action
	}{
		{"paused", paused, dc.StatePaused, []dc.Action{dc.ActionResume},
			[]dc.Action{dc.ActionResume, dc.ActionStop, dc.ActionDestroy}},
		{"suspended", suspended, dc.StateSuspended, []dc.Action{dc.ActionResume},
			[]dc.Action{dc.ActionResume, dc.ActionStop, dc.ActionDestroy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.wantActions, tt.m.Actions(tt.from)); diff != "" {
				t.Errorf("Actions(%s) (-want +got):\n%s", tt.from, diff)
			}
			if !slices.Contains(tt.m.Actions(dc.StateRunning), dc.ActionSuspend) {
				t.Errorf("Actions(RUNNING) = %v, want suspend among them", tt.m.Actions(dc.StateRunning))
			}
			plan, err := tt.m.Plan(tt.from, dc.StateFinish)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.wantPlan, plan); diff != "" {
				t.Errorf("Plan(%s, FINISH) (-want +got):\n%s", tt.from, diff)
			}
			if got := dc.ParseState(strings.ToLower(string(tt.from))); got != tt.from {
				t.Errorf("ParseState(%q) = %s", tt.from.MachineName(), got)
			}
		})
	}
}
