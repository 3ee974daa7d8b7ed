package deltacloud_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestWatchInitial: an instance created after Watch is called but before
// ranging starts is part of the first listing. Without Initial it is in
// the snapshot; with the caller's own earlier listing as Initial it is a
// created event, and no snapshot is yielded.
func TestWatchInitial(t *testing.T) {
	type brief struct {
		Kind deltacloud.EventKind
		ID   string
		N    int
	}
	tests := []struct {
		name        string
		withInitial bool
		want        brief
	}{
		{"without Initial the creation is in the snapshot", false, brief{Kind: deltacloud.EventSnapshot, N: 5}},
		{"with Initial the creation is an event", true, brief{Kind: deltacloud.EventCreated, ID: "inst4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := open(t, nil)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			opts := deltacloud.WatchOptions{Interval: time.Millisecond}
			if tt.withInitial {
				snap, err := p.Instances(ctx, deltacloud.InstanceFilter{})
				if err != nil {
					t.Fatal(err)
				}
				opts.Initial = snap
			}
			events := p.Watch(ctx, opts)
			if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"}); err != nil {
				t.Fatal(err)
			}
			var got brief
			for ev := range events {
				got = brief{ev.Kind, ev.Instance.ID, len(ev.Instances)}
				break
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("first event (-want +got):\n%s", d)
			}
		})
	}
}

// TestWatchInitialEmpty: an empty, non-nil Initial means "no instances", so
// every listed instance is created.
func TestWatchInitialEmpty(t *testing.T) {
	p, _ := open(t, nil)
	var ids []string
	for ev := range p.Watch(t.Context(), deltacloud.WatchOptions{Interval: time.Millisecond, Initial: []deltacloud.Instance{}}) {
		if ev.Kind != deltacloud.EventCreated {
			t.Fatalf("event %v; want only created events", ev.Kind)
		}
		if ids = append(ids, ev.Instance.ID); len(ids) == 4 {
			break
		}
	}
	if d := cmp.Diff([]string{"inst0", "inst1", "inst2", "inst3"}, ids); d != "" {
		t.Errorf("created (-want +got):\n%s", d)
	}
}
