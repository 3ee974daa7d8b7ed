package main

import (
	"errors"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/google/go-cmp/cmp"
)

func TestFormatSnapshot(t *testing.T) {
	inst := func(id string, s deltacloud.State) deltacloud.Instance {
		return deltacloud.Instance{ID: id, State: s}
	}
	tests := []struct {
		name string
		ins  []deltacloud.Instance
		want []string
	}{
		{
			name: "empty",
			ins:  nil,
			want: []string{"Found 0 instances in the following states:"},
		},
		{
			name: "mock fixtures",
			ins: []deltacloud.Instance{
				inst("inst0", deltacloud.StateRunning), inst("inst1", deltacloud.StateRunning),
				inst("inst2", deltacloud.StateRunning), inst("inst3", deltacloud.StateRunning),
			},
			want: []string{
				"Found 4 instances in the following states:",
				"  RUNNING: 4",
			},
		},
		{
			name: "several states sorted by name",
			ins: []deltacloud.Instance{
				inst("a", deltacloud.StateStopped), inst("b", deltacloud.StateRunning),
				inst("c", deltacloud.StatePending), inst("d", deltacloud.StateStopped),
				inst("e", deltacloud.StateShuttingDown), inst("f", deltacloud.StateRunning),
				inst("g", deltacloud.StateStopped), inst("h", deltacloud.StateError),
			},
			want: []string{
				"Found 8 instances in the following states:",
				"  ERROR: 1",
				"  PENDING: 1",
				"  RUNNING: 2",
				"  SHUTTING_DOWN: 1",
				"  STOPPED: 3",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, formatSnapshot(tt.ins)); diff != "" {
				t.Errorf("formatSnapshot mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFormatEvent(t *testing.T) {
	authErr := &deltacloud.Error{Code: deltacloud.AuthFailure, Op: "Instances", Message: "Authentication Failure"}
	tests := []struct {
		name string
		ev   deltacloud.Event
		want string
	}{
		{
			name: "changed",
			ev: deltacloud.Event{Kind: deltacloud.EventChanged, From: deltacloud.StateRunning,
				Instance: deltacloud.Instance{ID: "inst1", Name: "MockUserInstance", State: deltacloud.StateStopped}},
			want: "inst1 changed from RUNNING to STOPPED",
		},
		{
			name: "created",
			ev: deltacloud.Event{Kind: deltacloud.EventCreated,
				Instance: deltacloud.Instance{ID: "inst4", State: deltacloud.StateRunning}},
			want: "inst4 was created and is now RUNNING",
		},
		{
			name: "created pending",
			ev: deltacloud.Event{Kind: deltacloud.EventCreated,
				Instance: deltacloud.Instance{ID: "i-0abc", Name: "web", State: deltacloud.StatePending}},
			want: "i-0abc was created and is now PENDING",
		},
		{
			name: "removed",
			ev: deltacloud.Event{Kind: deltacloud.EventRemoved,
				Instance: deltacloud.Instance{ID: "inst4", State: deltacloud.StateStopped}},
			want: "inst4 was destroyed",
		},
		{
			name: "error",
			ev:   deltacloud.Event{Kind: deltacloud.EventError, Err: authErr},
			want: "error: deltacloud: Instances: Authentication Failure",
		},
		{
			name: "plain error",
			ev:   deltacloud.Event{Kind: deltacloud.EventError, Err: errors.New("boom")},
			want: "error: boom",
		},
		{
			name: "snapshot header",
			ev: deltacloud.Event{Kind: deltacloud.EventSnapshot,
				Instances: []deltacloud.Instance{{ID: "inst0", State: deltacloud.StateRunning}}},
			want: "Found 1 instances in the following states:",
		},
		{
			name: "unknown kind",
			ev:   deltacloud.Event{Kind: deltacloud.EventKind(99), Instance: deltacloud.Instance{ID: "inst7"}},
			want: "unknown event for inst7",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, formatEvent(tt.ev)); diff != "" {
				t.Errorf("formatEvent mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
