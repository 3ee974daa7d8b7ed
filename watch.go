package deltacloud

import (
	"context"
	"errors"
	"iter"
	"slices"
	"time"

	"github.com/deltacloud-go/deltacloud/internal/ctxsleep"
)

// EventKind says what a watch Event reports.
type EventKind int

// The watch event kinds.
const (
	// EventSnapshot carries the first successful listing in Instances.
	EventSnapshot EventKind = iota
	// EventCreated: Instance appeared since the previous listing.
	EventCreated
	// EventChanged: Instance's state changed from From.
	EventChanged
	// EventRemoved: Instance (as last seen) is gone.
	EventRemoved
	// EventError: a listing failed with Err. The watch goes on after a
	// temporary error and ends after any other.
	EventError
)

var eventKindNames = [...]string{"snapshot", "created", "changed", "removed", "error"}

// String returns the kind's name.
func (k EventKind) String() string {
	if k < 0 || int(k) >= len(eventKindNames) {
		return "unknown"
	}
	return eventKindNames[k]
}

// Event is one observation of a watch.
type Event struct {
	Kind      EventKind
	Instance  Instance
	From      State
	Instances []Instance
	Err       error
	// Time is when the listing that produced the event finished.
	Time time.Time
}

// WatchOptions configure Watch.
type WatchOptions struct {
	// Interval between listings; default 5s.
	Interval time.Duration
	// MaxBackoff caps the delay after failed listings; default 8×Interval.
	MaxBackoff time.Duration
	// Filter narrows what is watched.
	Filter InstanceFilter
	// Initial, when not nil, is a listing the caller already holds (from
	// Instances with the same Filter): the watch compares its first
	// listing with it and yields what changed since, instead of a
	// snapshot. Use it to see the "created" event of an instance created
	// between calling Watch and ranging over it. An empty, non-nil slice
	// means "no instances".
	Initial []Instance
}

// Watch lists instances once per interval and yields what changed: first a
// snapshot, then instances created, changed state or removed. Each listing is
// compared with the previous one in O(n).
//
// Nothing is listed when Watch is called: the first listing is taken when
// ranging starts, so what happens in between is part of the snapshot, not
// an event (an instance created meanwhile appears in the snapshot, never as
// EventCreated). To see changes from a known point, list the instances
// first and pass them as WatchOptions.Initial; the watch then starts with
// the difference and yields no snapshot. A temporary error (rate limiting,
// an unavailable or failing cloud) is yielded as an EventError and retried
// with backoff; any other error is yielded and ends the watch. The watch ends
// when ctx does or the consumer stops ranging.
func (p *Provider) Watch(ctx context.Context, opts WatchOptions) iter.Seq[Event] {
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	if opts.MaxBackoff < opts.Interval {
		opts.MaxBackoff = 8 * opts.Interval
	}
	var initial *instanceSet
	if opts.Initial != nil {
		ins := slices.DeleteFunc(slices.Clone(opts.Initial), func(in Instance) bool { return !opts.Filter.Match(in) })
		initial = newInstanceSet(ins)
	}
	return func(yield func(Event) bool) {
		prev := initial
		delay := opts.Interval
		for ctx.Err() == nil {
			ins, err := p.Instances(ctx, opts.Filter)
			now := time.Now()
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				if !yield(Event{Kind: EventError, Err: err, Time: now}) || !CodeOf(err).Temporary() {
					return
				}
				delay = min(delay*2, opts.MaxBackoff)
				if e := (*Error)(nil); errors.As(err, &e) && e.RetryAfter > delay {
					delay = e.RetryAfter
				}
			} else {
				delay = opts.Interval
				cur := newInstanceSet(ins)
				if prev == nil {
					if !yield(Event{Kind: EventSnapshot, Instances: slices.Clone(ins), Time: now}) {
						return
					}
				} else if !diffInstances(prev, cur, now, yield) {
					return
				}
				prev = cur
			}
			if ctxsleep.Sleep(ctx, jitter(delay)) != nil {
				return
			}
		}
	}
}

// instanceSet is one listing, indexed by id on demand, keeping the
// listing's order.
type instanceSet struct {
	list  []Instance
	index map[string]int // nil until a diff needs it
}

func newInstanceSet(ins []Instance) *instanceSet {
	return &instanceSet{list: ins}
}

// indexed returns s's index by id, making it on first use.
func (s *instanceSet) indexed() map[string]int {
	if s.index == nil {
		s.index = make(map[string]int, len(s.list))
		for i, in := range s.list {
			s.index[in.ID] = i
		}
	}
	return s.index
}

// diffInstances yields the events that turn prev into cur: created and
// changed in cur's order, then removed in prev's order. It stops early and
// returns false when yield does. A poll that lists the same instances in
// the same order as the last, the usual case, is compared position by
// position without indexing either listing.
func diffInstances(prev, cur *instanceSet, now time.Time, yield func(Event) bool) bool {
	if slices.EqualFunc(prev.list, cur.list, func(a, b Instance) bool { return a.ID == b.ID }) {
		for i, in := range cur.list {
			if from := prev.list[i].State; from != in.State {
				if !yield(Event{Kind: EventChanged, Instance: in, From: from, Time: now}) {
					return false
				}
			}
		}
		return true
	}
	pi, ci := prev.indexed(), cur.indexed()
	for _, in := range cur.list {
		i, ok := pi[in.ID]
		switch {
		case !ok:
			if !yield(Event{Kind: EventCreated, Instance: in, Time: now}) {
				return false
			}
		case prev.list[i].State != in.State:
			if !yield(Event{Kind: EventChanged, Instance: in, From: prev.list[i].State, Time: now}) {
				return false
			}
		}
	}
	for _, in := range prev.list {
		if _, ok := ci[in.ID]; !ok {
			if !yield(Event{Kind: EventRemoved, Instance: in, Time: now}) {
				return false
			}
		}
	}
	return true
}
