package wire

import (
	"fmt"
	"slices"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// States is the instance_states document, which has no XML
// declaration:
//
//	<states>
//	  <state name='start'><transition action='create' to='pending'></transition></state>
//	  <state name='pending'><transition auto='true' to='running'></transition></state>
//	  …
//	  <state name='finish'></state>
//	</states>
//
// States appear in first-reference order with lower-case names; a
// transition has either an action or auto='true'.
type States struct {
	XMLName struct{}    `xml:"states"`
	States  []StateNode `xml:"state"`
}

// Declared reports that the instance_states document has no XML
// declaration.
func (States) Declared() bool { return false }

// StateNode is one <state> with the transitions leaving it.
type StateNode struct {
	Name        string           `xml:"name,attr"`
	Transitions []TransitionNode `xml:"transition"`
}

// TransitionNode is one <transition>.
type TransitionNode struct {
	Action string `xml:"action,attr,omitempty"`
	Auto   string `xml:"auto,attr,omitempty"`
	To     string `xml:"to,attr"`
}

// NewStates builds the document for a state machine.
func NewStates(m *deltacloud.StateMachine) States {
	var d States
	if m == nil {
		return d
	}
	for _, s := range m.States() {
		n := StateNode{Name: s.MachineName()}
		for _, t := range m.TransitionsFrom(s) {
			tn := TransitionNode{To: t.To.MachineName()}
			if t.Auto {
				tn.Auto = "true"
			} else {
				tn.Action = string(t.Action)
			}
			n.Transitions = append(n.Transitions, tn)
		}
		d.States = append(d.States, n)
	}
	return d
}

// DecodeStates reads an instance_states document.
func DecodeStates(data []byte) (*States, error) { return decode[States](data) }

// Model builds the state machine the document describes. State names in
// any case become the model's upper-case States (deltacloud.ParseState).
// The transitions out of each state keep their document order, and they are
// handed to deltacloud.NewStateMachine in an order that makes the machine
// list its states in the document's order (see orderTransitions). The
// machine must be valid; a transition with both or neither of action and
// auto is an error. A state the document lists without any transition into
// or out of it cannot be represented and is dropped.
func (d *States) Model() (*deltacloud.StateMachine, error) {
	var order []deltacloud.State
	from := map[deltacloud.State][]deltacloud.Transition{}
	for _, s := range d.States {
		st := deltacloud.ParseState(s.Name)
		if _, seen := from[st]; !seen {
			order = append(order, st)
			from[st] = nil
		}
		for _, tn := range s.Transitions {
			t := deltacloud.Transition{From: st, To: deltacloud.ParseState(tn.To), Action: deltacloud.Action(text(tn.Action))}
			switch auto := strings.ToLower(text(tn.Auto)); auto {
			case "true":
				t.Auto = true
			case "", "false":
			default:
				return nil, fmt.Errorf("wire: instance_states: transition %s→%s: auto=%q is not true or false", st, t.To, tn.Auto)
			}
			from[st] = append(from[st], t)
		}
	}
	m, err := deltacloud.NewStateMachine(orderTransitions(order, from)...)
	if err != nil {
		return nil, fmt.Errorf("wire: instance_states: %w", err)
	}
	return m, nil
}

// orderTransitions lines up the transitions of each state (from, in the
// document's state order) so that the states are first referenced in that
// order, which is the order a StateMachine lists them in; the transitions of
// each state stay in their own order. Listing the states one after another
// is not enough: in start→pending, pending→error, …, error→finish,
// stopping→suspended, the finish state would come before suspended. So at
// each step it takes, from the earliest state that has one, the next
// transition that introduces no state ahead of its turn; when none can, it
// takes the earliest anyway (the document's order was not a first-reference
// order) and carries on.
func orderTransitions(order []deltacloud.State, from map[deltacloud.State][]deltacloud.Transition) []deltacloud.Transition {
	// States no transition mentions never appear in the machine, so they
	// do not wait for their turn.
	mentioned := map[deltacloud.State]bool{}
	total := 0
	for _, s := range order {
		for _, t := range from[s] {
			mentioned[t.From], mentioned[t.To] = true, true
			total++
		}
	}
	// queue is the order to reference states in: the mentioned states in
	// document order, then any that are only targets of transitions.
	var queue []deltacloud.State
	for _, s := range order {
		if mentioned[s] {
			queue = append(queue, s)
		}
	}
	for _, s := range order {
		for _, t := range from[s] {
			if !slices.Contains(queue, t.To) {
				queue = append(queue, t.To)
			}
		}
	}
	seen := map[deltacloud.State]bool{}
	next := 0 // queue[next] is the first state not yet referenced
	introduce := func(s deltacloud.State) {
		seen[s] = true
		for next < len(queue) && seen[queue[next]] {
			next++
		}
	}
	// fits reports whether taking t now references states in turn.
	fits := func(t deltacloud.Transition) bool {
		n := next
		want := func(s deltacloud.State) bool {
			if seen[s] || (n < len(queue) && queue[n] == s) {
				if !seen[s] {
					n++
				}
				return true
			}
			return false
		}
		return want(t.From) && (t.To == t.From || want(t.To))
	}
	pos := map[deltacloud.State]int{}
	out := make([]deltacloud.Transition, 0, total)
	for len(out) < total {
		pick := -1
		for i, s := range order {
			if k := pos[s]; k < len(from[s]) && fits(from[s][k]) {
				pick = i
				break
			}
		}
		if pick < 0 {
			for i, s := range order {
				if pos[s] < len(from[s]) {
					pick = i
					break
				}
			}
		}
		s := order[pick]
		t := from[s][pos[s]]
		pos[s]++
		introduce(t.From)
		introduce(t.To)
		out = append(out, t)
	}
	return out
}

// StateJSON is one state in the JSON form, which is an unwrapped array:
// [{"name":"start","transitions":[{"to":"pending","action":"create"}]},…].
type StateJSON struct {
	Name        string           `json:"name"`
	Transitions []TransitionJSON `json:"transitions"`
}

// TransitionJSON is one transition in JSON: {"to","action"} or
// {"to","auto":"true"}.
type TransitionJSON struct {
	To     string `json:"to"`
	Action string `json:"action,omitempty"`
	Auto   string `json:"auto,omitempty"`
}

// JSON returns the JSON form, an array that is never null.
func (d States) JSON() []StateJSON {
	out := make([]StateJSON, len(d.States))
	for i, s := range d.States {
		out[i] = StateJSON{Name: s.Name, Transitions: make([]TransitionJSON, len(s.Transitions))}
		for k, t := range s.Transitions {
			out[i].Transitions[k] = TransitionJSON{To: t.To, Action: t.Action, Auto: t.Auto}
		}
	}
	return out
}
