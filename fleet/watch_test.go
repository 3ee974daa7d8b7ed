package fleet_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/fleet"
)

// TestWatchEveryMember: one stream carries every member's events, tagged;
// a member whose watch ends on a lasting error (rejected credentials) shows
// the error and is watched again, starting with a new snapshot, while the
// others go on.
func TestWatchEveryMember(t *testing.T) {
	f, clouds := newFleet(t, fleet.Options{}, "a", "b")
	clouds["b"].FailNext(mock.OpInstances, 1, deltacloud.ErrAuthFailure)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	seen := map[string][]deltacloud.EventKind{}
	var created string
	for ev := range f.Watch(ctx, deltacloud.WatchOptions{Interval: 5 * time.Millisecond, MaxBackoff: 10 * time.Millisecond}) {
		seen[ev.Provider] = append(seen[ev.Provider], ev.Kind)
		switch {
		case ev.Provider == "a" && ev.Kind == deltacloud.EventSnapshot:
			p, _ := f.Provider("a")
			in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
			if err != nil {
				t.Fatal(err)
			}
			created = in.ID
		case ev.Provider == "a" && ev.Kind == deltacloud.EventCreated && ev.Instance.ID != created:
			t.Errorf("created event for %s, want %s", ev.Instance.ID, created)
		case ev.Kind == deltacloud.EventError && ev.Provider != "b":
			t.Errorf("error event from %s: %v", ev.Provider, ev.Err)
		}
		if slices.Contains(seen["a"], deltacloud.EventCreated) && slices.Contains(seen["b"], deltacloud.EventSnapshot) {
			break
		}
	}
	if ctx.Err() != nil {
		t.Fatalf("the watch ended with its context; seen %v", seen)
	}
	want := []deltacloud.EventKind{deltacloud.EventError, deltacloud.EventSnapshot}
	if diff := cmp.Diff(want, seen["b"][:2]); diff != "" {
		t.Errorf("b's events (-want +got):\n%s", diff)
	}
	if seen["a"][0] != deltacloud.EventSnapshot {
		t.Errorf("a's first event is %v, want a snapshot", seen["a"][0])
	}
}

// TestWatchEndsWithItsContext: cancelling the context ends the stream even
// when a member is stuck in a call.
func TestWatchEndsWithItsContext(t *testing.T) {
	f, clouds := newFleet(t, fleet.Options{}, "a", "stuck")
	clouds["stuck"].SetLatency(mock.OpAll, time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n := 0
	for ev := range f.Watch(ctx, deltacloud.WatchOptions{Interval: time.Millisecond}) {
		if ev.Provider != "a" {
			t.Errorf("event from %s: %+v", ev.Provider, ev)
		}
		if n++; n == 1 {
			cancel()
		}
	}
	if n == 0 {
		t.Error("no event before the cancel")
	}
}
