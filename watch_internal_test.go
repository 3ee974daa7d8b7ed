package deltacloud

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func inst(id string, s State) Instance { return Instance{ID: id, State: s} }

// collectDiff runs diffInstances, stopping after limit events (no limit if
// negative), and returns the events and the result.
func collectDiff(prev, cur []Instance, now time.Time, limit int) ([]Event, bool) {
	var got []Event
	ok := diffInstances(newInstanceSet(prev), newInstanceSet(cur), now, func(e Event) bool {
		got = append(got, e)
		return limit < 0 || len(got) < limit
	})
	return got, ok
}

func TestDiffInstances(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	created := func(in Instance) Event { return Event{Kind: EventCreated, Instance: in, Time: now} }
	changed := func(in Instance, from State) Event {
		return Event{Kind: EventChanged, Instance: in, From: from, Time: now}
	}
	removed := func(in Instance) Event { return Event{Kind: EventRemoved, Instance: in, Time: now} }

	renamed := inst("b", StateRunning)
	renamed.Name = "new name"

	tests := []struct {
		name      string
		prev, cur []Instance
		want      []Event
	}{
		{"both empty", nil, nil, nil},
		{"unchanged", []Instance{inst("a", StateRunning), inst("b", StateStopped)}, []Instance{inst("a", StateRunning), inst("b", StateStopped)}, nil},
		{"reordered is unchanged", []Instance{inst("a", StateRunning), inst("b", StateStopped)}, []Instance{inst("b", StateStopped), inst("a", StateRunning)}, nil},
		{"other fields are not watched", []Instance{inst("b", StateRunning)}, []Instance{renamed}, nil},
		{"first instances", nil, []Instance{inst("a", StatePending)}, []Event{created(inst("a", StatePending))}},
		{
			"created in current order",
			[]Instance{inst("m", StateRunning)},
			[]Instance{inst("z", StatePending), inst("m", StateRunning), inst("a", StatePending)},
			[]Event{created(inst("z", StatePending)), created(inst("a", StatePending))},
		},
		{
			"changed carries From and the new instance",
			[]Instance{inst("a", StateRunning), inst("b", StateRunning)},
			[]Instance{inst("a", StateRunning), inst("b", StateStopping)},
			[]Event{changed(inst("b", StateStopping), StateRunning)},
		},
		{
			"removed in previous order, as last seen",
			[]Instance{inst("c", StateStopped), inst("a", StateRunning), inst("b", StateStopping)},
			[]Instance{inst("a", StateRunning)},
			[]Event{removed(inst("c", StateStopped)), removed(inst("b", StateStopping))},
		},
		{"all removed", []Instance{inst("a", StateRunning)}, nil, []Event{removed(inst("a", StateRunning))}},
		{
			"same ids in the same order, several changed",
			[]Instance{inst("a", StateRunning), inst("b", StateRunning), inst("c", StatePending)},
			[]Instance{inst("a", StateStopping), inst("b", StateRunning), inst("c", StateRunning)},
			[]Event{changed(inst("a", StateStopping), StateRunning), changed(inst("c", StateRunning), StatePending)},
		},
		{
			"as many instances, one replaced",
			[]Instance{inst("a", StateRunning), inst("b", StateRunning)},
			[]Instance{inst("a", StateStopped), inst("c", StatePending)},
			[]Event{changed(inst("a", StateStopped), StateRunning), created(inst("c", StatePending)), removed(inst("b", StateRunning))},
		},
		{
			"created and changed in current order, then removed",
			[]Instance{inst("gone1", StateStopped), inst("b", StatePending), inst("a", StateRunning), inst("gone2", StateRunning)},
			[]Instance{inst("a", StateStopped), inst("new", StatePending), inst("b", StateRunning)},
			[]Event{
				changed(inst("a", StateStopped), StateRunning),
				created(inst("new", StatePending)),
				changed(inst("b", StateRunning), StatePending),
				removed(inst("gone1", StateStopped)),
				removed(inst("gone2", StateRunning)),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := collectDiff(tt.prev, tt.cur, now, -1)
			if !ok {
				t.Errorf("diffInstances returned false although yield never did")
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDiffInstancesStopsEarly(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	prev := []Instance{inst("gone1", StateRunning), inst("a", StateRunning), inst("gone2", StateRunning)}
	cur := []Instance{inst("new", StatePending), inst("a", StateStopped)}
	// Four events in all: created new, changed a, removed gone1, gone2.
	all := []Event{
		{Kind: EventCreated, Instance: inst("new", StatePending), Time: now},
		{Kind: EventChanged, Instance: inst("a", StateStopped), From: StateRunning, Time: now},
		{Kind: EventRemoved, Instance: inst("gone1", StateRunning), Time: now},
		{Kind: EventRemoved, Instance: inst("gone2", StateRunning), Time: now},
	}
	tests := []struct {
		limit  int
		wantOK bool
	}{
		{1, false}, // stop on a created event
		{2, false}, // stop on a changed event
		{3, false}, // stop on a removed event
		{4, false}, // stop on the very last event: still reported
		{5, true},  // never stopped
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("limit %d", tt.limit), func(t *testing.T) {
			got, ok := collectDiff(prev, cur, now, tt.limit)
			if ok != tt.wantOK {
				t.Errorf("diffInstances returned %t, want %t", ok, tt.wantOK)
			}
			want := all[:min(tt.limit, len(all))]
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestNewInstanceSet(t *testing.T) {
	ins := []Instance{inst("a", StateRunning), inst("b", StateStopped), inst("c", StatePending)}
	s := newInstanceSet(ins)
	if s.index != nil {
		t.Errorf("a new set is indexed before a diff needs it: %v", s.index)
	}
	if diff := cmp.Diff(map[string]int{"a": 0, "b": 1, "c": 2}, s.indexed()); diff != "" {
		t.Errorf("index (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(ins, s.list); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
}

const benchInstances = 10_000

// benchListings builds two listings of n instances: in the second, 1% have
// changed state, 5 are gone and 5 are new. It returns the expected number
// of events.
func benchListings(n int) (prev, cur []Instance, events int) {
	prev = make([]Instance, n)
	for i := range prev {
		prev[i] = Instance{
			ID: fmt.Sprintf("i-%08x", i), Name: fmt.Sprintf("instance %d", i),
			ImageID: "img1", RealmID: "us", State: StateRunning,
			Actions: []Action{ActionReboot, ActionStop},
		}
	}
	const churn = 5
	cur = make([]Instance, 0, n)
	for i, in := range prev {
		switch {
		case i < churn:
			continue // removed
		case i%100 == 50:
			in.State = StateStopped
			events++
		}
		cur = append(cur, in)
	}
	for i := range churn {
		cur = append(cur, Instance{ID: fmt.Sprintf("new-%d", i), State: StatePending})
	}
	return prev, cur, events + 2*churn
}

// BenchmarkWatchDiff measures what Watch does per listing of 10,000
// instances with 1% changed: index the new listing and diff it against the
// previous one. "x-baseline" compares it, in the same run, with the least any
// O(n) diff must do: index the listing by id (BenchmarkWatchDiffBaseline).
func BenchmarkWatchDiff(b *testing.B) {
	prev, cur, want := benchListings(benchInstances)
	ps := newInstanceSet(prev)
	now := time.Now()
	var events int
	count := func(Event) bool { events++; return true }
	diffInstances(ps, newInstanceSet(cur), now, count)
	if events != want {
		b.Fatalf("diff yielded %d events, want %d", events, want)
	}
	b.ReportAllocs()
	for b.Loop() {
		diffInstances(ps, newInstanceSet(cur), now, count)
	}
	diff := b.Elapsed()
	start := time.Now()
	for range b.N {
		indexByID(cur)
	}
	baseline := time.Since(start)
	b.ReportMetric(float64(diff.Nanoseconds())/float64(b.N*len(cur)), "ns/instance")
	b.ReportMetric(float64(diff)/float64(baseline), "x-baseline")
}

var benchSink map[string]int

// BenchmarkWatchDiffBaseline is the least any O(n) diff must do: walk the
// listing once and index it by id.
func BenchmarkWatchDiffBaseline(b *testing.B) {
	_, cur, _ := benchListings(benchInstances)
	b.ReportAllocs()
	for b.Loop() {
		indexByID(cur)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(cur)), "ns/instance")
}

// indexByID is the baseline's work: one walk, one map.
func indexByID(ins []Instance) {
	m := make(map[string]int, len(ins))
	for i, in := range ins {
		m[in.ID] = i
	}
	benchSink = m
}
