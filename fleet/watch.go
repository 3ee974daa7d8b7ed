package fleet

import (
	"context"
	"iter"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// Event is one member's watch event.
type Event struct {
	// Provider is the member's name.
	Provider string
	deltacloud.Event
}

// Watch watches every member's instances (each with
// deltacloud.Provider.Watch and opts) and yields their events as they come,
// each with its member's name. A member's failure is its own EventError,
// never the end of the stream: a temporary error is retried by the member's
// watch, and after any other (rejected credentials, a cloud that went away)
// the member's watch is started again after opts.MaxBackoff (default
// 8×Interval), beginning with a new EventSnapshot. The stream ends when ctx
// does or the consumer stops ranging; the members are those of the fleet
// when ranging starts.
func (f *Fleet) Watch(ctx context.Context, opts deltacloud.WatchOptions) iter.Seq[Event] {
	if opts.Interval <= 0 {
		opts.Interval = 5 * time.Second
	}
	if opts.MaxBackoff < opts.Interval {
		opts.MaxBackoff = 8 * opts.Interval
	}
	return func(yield func(Event) bool) {
		ctx, cancel := context.WithCancel(ctx)
		events := make(chan Event)
		var wg sync.WaitGroup
		defer func() {
			cancel()
			wg.Wait() // every member has stopped sending
		}()
		for _, m := range f.snapshot() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				watchMember(ctx, m, opts, events)
			}()
		}
		for {
			select {
			case <-ctx.Done():
				return
			case ev := <-events:
				if !yield(ev) {
					return
				}
			}
		}
	}
}

// watchMember runs one member's watch until ctx ends, restarting it after
// opts.MaxBackoff whenever it ends on its own.
func watchMember(ctx context.Context, m member, opts deltacloud.WatchOptions, events chan<- Event) {
	for {
		for ev := range m.p.Watch(ctx, opts) {
			select {
			case events <- Event{Provider: m.name, Event: ev}:
			case <-ctx.Done():
				return
			}
		}
		t := time.NewTimer(opts.MaxBackoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
