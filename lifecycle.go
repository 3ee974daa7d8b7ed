package deltacloud

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// State is an instance's lifecycle state. Values are the upper-case strings
// instances carry in the Deltacloud API ("RUNNING"); the state machine
// documents use the lower-case form ([State.MachineName]).
type State string

// The standard states. StateStart is the pseudo-state before
// creation and never appears on an instance.
const (
	StateStart        State = "START"
	StatePending      State = "PENDING"
	StateRunning      State = "RUNNING"
	StateStopping     State = "STOPPING"
	StateStopped      State = "STOPPED"
	StateShuttingDown State = "SHUTTING_DOWN"
	// StateSuspended is saved to disk with nothing running (vSphere's
	// suspended); ActionResume brings it back.
	StateSuspended State = "SUSPENDED"
	// StatePaused keeps memory with its vCPUs stopped (libvirt's paused);
	// ActionResume lets it run on.
	StatePaused  State = "PAUSED"
	StateFinish  State = "FINISH"
	StateError   State = "ERROR"
	StateUnknown State = "UNKNOWN"
)

// ParseState reads a state in any case, with '-' or '_' ("shutting-down").
// The empty string is StateUnknown.
func ParseState(s string) State {
	s = strings.TrimSpace(s)
	if s == "" {
		return StateUnknown
	}
	return State(strings.ToUpper(strings.ReplaceAll(s, "-", "_")))
}

// MachineName is the lower-case name used in instance_states documents.
func (s State) MachineName() string { return strings.ToLower(string(s)) }

// Action is something a user does to an instance.
type Action string

// The standard actions. ActionCreate only labels the transition out of
// StateStart; it is not an action on an existing instance.
const (
	ActionCreate  Action = "create"
	ActionStart   Action = "start"
	ActionStop    Action = "stop"
	ActionReboot  Action = "reboot"
	ActionDestroy Action = "destroy"
	// ActionSuspend and ActionResume exist only on clouds whose lifecycle
	// has StateSuspended or StatePaused (private clouds: vSphere, libvirt);
	// the original API had neither.
	ActionSuspend Action = "suspend"
	ActionResume  Action = "resume"
)

// Transition is one edge of a StateMachine: taken when the user performs
// Action, or by the cloud itself when Auto is set (and Action is empty).
type Transition struct {
	From, To State
	Action   Action
	Auto     bool
}

// On is a transition taken on a user action.
func On(from State, a Action, to State) Transition {
	return Transition{From: from, To: to, Action: a}
}

// Auto is a transition the cloud makes by itself.
func Auto(from, to State) Transition { return Transition{From: from, To: to, Auto: true} }

// StateMachine is a driver's instance lifecycle: which transitions exist,
// which actions each state allows, and how to get from one state to another.
// It is immutable and safe for concurrent use.
type StateMachine struct {
	transitions []Transition
	states      []State // first-reference order, as the API lists them
	from        map[State][]Transition
	actions     map[State][]Action // Actions' answers, made once
}

// NewStateMachine builds and validates a state machine (see
// [StateMachine.Validate]). Transitions are kept in the order given; that order
// is the order of each state's allowed actions.
func NewStateMachine(ts ...Transition) (*StateMachine, error) {
	m := &StateMachine{from: map[State][]Transition{}}
	seen := map[State]bool{}
	add := func(s State) {
		if !seen[s] {
			seen[s] = true
			m.states = append(m.states, s)
		}
	}
	for _, t := range ts {
		if t.Auto != (t.Action == "") {
			return nil, fmt.Errorf("deltacloud: transition %s→%s must have exactly one of an action or auto", t.From, t.To)
		}
		if t.From == "" || t.To == "" {
			return nil, errors.New("deltacloud: transition with an empty state")
		}
		if !t.Auto {
			if _, dup := m.next(t.From, t.Action); dup {
				return nil, fmt.Errorf("deltacloud: two transitions out of %s on %s; an action must lead to one state", t.From, t.Action)
			}
		}
		add(t.From)
		add(t.To)
		m.transitions = append(m.transitions, t)
		m.from[t.From] = append(m.from[t.From], t)
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	m.actions = map[State][]Action{}
	for s, ts := range m.from {
		for _, t := range ts {
			if !t.Auto && t.Action != ActionCreate && !slices.Contains(m.actions[s], t.Action) {
				m.actions[s] = append(m.actions[s], t.Action)
			}
		}
	}
	return m, nil
}

// MustStateMachine is NewStateMachine for drivers' package-level machines; it
// panics on an invalid machine, which is a programming error.
func MustStateMachine(ts ...Transition) *StateMachine {
	m, err := NewStateMachine(ts...)
	if err != nil {
		panic(err)
	}
	return m
}

// Validate checks that every state is reachable from StateStart and that
// StateFinish is reachable from every state, so no instance can get stuck.
// StateError is the one exception: clouds such as OpenStack let instances
// fall into it with no way out but the cloud's own clean-up.
func (m *StateMachine) Validate() error {
	if len(m.transitions) == 0 {
		return errors.New("deltacloud: state machine has no transitions")
	}
	if len(m.from[StateStart]) == 0 {
		return errors.New("deltacloud: state machine has no transition out of START")
	}
	fromStart := m.reach(StateStart)
	var bad []string
	for _, s := range m.states {
		if !fromStart[s] {
			bad = append(bad, fmt.Sprintf("%s is unreachable from START", s))
		}
		if s != StateError && !m.reach(s)[StateFinish] {
			bad = append(bad, fmt.Sprintf("FINISH is unreachable from %s", s))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("deltacloud: invalid state machine: %s", strings.Join(bad, "; "))
	}
	return nil
}

// reach returns the set of states reachable from s (including s).
func (m *StateMachine) reach(s State) map[State]bool {
	seen := map[State]bool{s: true}
	queue := []State{s}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, t := range m.from[cur] {
			if !seen[t.To] {
				seen[t.To] = true
				queue = append(queue, t.To)
			}
		}
	}
	return seen
}

// States lists the states in first-reference order.
func (m *StateMachine) States() []State { return slices.Clone(m.states) }

// Transitions lists every transition in definition order.
func (m *StateMachine) Transitions() []Transition { return slices.Clone(m.transitions) }

// TransitionsFrom lists the transitions leaving s.
func (m *StateMachine) TransitionsFrom(s State) []Transition { return slices.Clone(m.from[s]) }

// Has reports whether s is a state of the machine.
func (m *StateMachine) Has(s State) bool { return slices.Contains(m.states, s) }

// Actions returns the user actions allowed in state s, in definition order.
// The create action is never listed: it applies before an instance exists.
// The slice is the caller's own.
func (m *StateMachine) Actions(s State) []Action {
	return slices.Clone(m.actions[s])
}

// Next returns the state that action a leads to from s.
func (m *StateMachine) Next(s State, a Action) (State, bool) { return m.next(s, a) }

func (m *StateMachine) next(s State, a Action) (State, bool) {
	for _, t := range m.from[s] {
		if !t.Auto && t.Action == a {
			return t.To, true
		}
	}
	return "", false
}

// Reachable reports whether any sequence of transitions (by users or by the
// cloud) leads from one state to the other. A state the machine does not know
// is treated as able to reach anything, since nothing can be concluded.
func (m *StateMachine) Reachable(from, to State) bool {
	if from == to || !m.Has(from) {
		return true
	}
	return m.reach(from)[to]
}

// Plan returns the shortest list of user actions that takes an instance from
// one state to the other; automatic transitions cost nothing. An empty plan
// means "just wait" (or "already there"). An unreachable target is an
// InvalidState error. Automatic transitions into StateError are failures
// that may happen, not progress to count on, so plans use them only to
// reach StateError itself.
func (m *StateMachine) Plan(from, to State) ([]Action, error) {
	if from == to {
		return []Action{}, nil
	}
	if !m.Has(from) || !m.Has(to) {
		return nil, &Error{Code: InvalidState, Op: "Plan", State: from,
			Message: fmt.Sprintf("the state machine has no path from %s to %s", from, to)}
	}
	// 0-1 breadth-first search: automatic edges weigh 0, actions weigh 1.
	type step struct {
		prev   State
		action Action
		auto   bool
	}
	const inf = int(^uint(0) >> 1)
	dist := map[State]int{from: 0}
	how := map[State]step{}
	deque := []State{from}
	for len(deque) > 0 {
		cur := deque[0]
		deque = deque[1:]
		for _, t := range m.from[cur] {
			if t.Auto && t.To == StateError && to != StateError {
				continue
			}
			w := 1
			if t.Auto {
				w = 0
			}
			d, ok := dist[t.To]
			if !ok {
				d = inf
			}
			if dist[cur]+w < d {
				dist[t.To] = dist[cur] + w
				how[t.To] = step{prev: cur, action: t.Action, auto: t.Auto}
				if w == 0 {
					deque = append([]State{t.To}, deque...)
				} else {
					deque = append(deque, t.To)
				}
			}
		}
	}
	if _, ok := dist[to]; !ok {
		return nil, &Error{Code: InvalidState, Op: "Plan", State: from,
			Message: fmt.Sprintf("%s cannot be reached from %s", to, from)}
	}
	plan := []Action{}
	for s := to; s != from; s = how[s].prev {
		if !how[s].auto {
			plan = append(plan, how[s].action)
		}
	}
	slices.Reverse(plan)
	return plan, nil
}

// Stable reports whether an instance in state s stays there until a user acts,
// i.e. no automatic transition leaves s (falling into StateError, which may
// happen anywhere, does not count).
func (m *StateMachine) Stable(s State) bool {
	for _, t := range m.from[s] {
		if t.Auto && t.To != s && t.To != StateError {
			return false
		}
	}
	return true
}
