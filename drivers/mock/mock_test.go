package mock_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

func openMock(t *testing.T, opts map[string]string) *deltacloud.Provider {
	t.Helper()
	p, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{Credentials: goodCreds, Options: opts,
		PollInterval: time.Millisecond})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func ids(t *testing.T, p *deltacloud.Provider) []string {
	t.Helper()
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	var out []string
	for _, in := range ins {
		out = append(out, in.ID+":"+string(in.State))
	}
	return out
}

func TestIsolatedClouds(t *testing.T) {
	a, b := openMock(t, nil), openMock(t, nil)
	if _, err := a.Stop(t.Context(), "inst0"); err != nil {
		t.Fatal(err)
	}
	if got := ids(t, b); got[0] != "inst0:RUNNING" {
		t.Errorf("a change in one cloud leaked into another: %v", got)
	}
}

func TestStoragePersistsAndShares(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"storage": dir}
	p := openMock(t, opts)
	ctx := t.Context()
	if _, err := p.Stop(ctx, "inst1"); err != nil {
		t.Fatal(err)
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Name: "kept", ProfileID: "m1-large",
		Properties: map[string]string{"cpu": "4"}, UserData: []byte("data")})
	if err != nil {
		t.Fatal(err)
	}
	// A second provider on the same directory sees the same cloud at once.
	q := openMock(t, opts)
	want := []string{"inst0:RUNNING", "inst1:STOPPED", "inst2:RUNNING", "inst3:RUNNING", "inst4:RUNNING"}
	if d := cmp.Diff(want, ids(t, q)); d != "" {
		t.Errorf("shared cloud (-want +got):\n%s", d)
	}
	p.Close()
	q.Close()

	// A crash mid-write leaves a temp file; it is ignored and cleaned up.
	tmp := filepath.Join(dir, "instances", ".tmp-inst9-123")
	if err := os.WriteFile(tmp, []byte(`{"id":"inst9", "trunc`), 0o644); err != nil {
		t.Fatal(err)
	}
	r := openMock(t, opts)
	if d := cmp.Diff(want, ids(t, r)); d != "" {
		t.Errorf("reloaded cloud (-want +got):\n%s", d)
	}
	got, err := r.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "kept" || got.Profile.Overrides["cpu"] != "4" {
		t.Errorf("reloaded %+v", got)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("temp file left behind: %v", err)
	}
	// Destroy removes the file.
	r.Stop(ctx, in.ID)
	if err := r.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "instances", in.ID+".json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("destroyed instance's file remains: %v", err)
	}
}

func TestStorageCorruptFileFailsOpen(t *testing.T) {
	dir := t.TempDir()
	p := openMock(t, map[string]string{"storage": dir})
	p.Close()
	if err := os.WriteFile(filepath.Join(dir, "instances", "inst0.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{Options: map[string]string{"storage": dir}})
	if err == nil || !strings.Contains(err.Error(), "inst0.json") {
		t.Errorf("Open on a corrupt store = %v, want an error naming the file", err)
	}
}

func TestOptions(t *testing.T) {
	bad := []map[string]string{
		{"colour": "blue"},
		{"pending": "soon"},
		{"pending": "-1s"},
		{"pending_polls": "x"},
		{"activity": "-2s"},
		{"seed": "-1"},
	}
	for _, opts := range bad {
		_, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{Options: opts})
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("Open with %v = %v, want ErrInvalidArgument", opts, err)
		}
	}
}

func TestPendingForDuration(t *testing.T) {
	p := openMock(t, map[string]string{"pending": "20ms"})
	in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		t.Fatal(err)
	}
	if in.State != deltacloud.StatePending {
		t.Fatalf("created %s, want PENDING", in.State)
	}
	got, err := p.WaitFor(t.Context(), in.ID, deltacloud.StateRunning)
	if err != nil || got.State != deltacloud.StateRunning {
		t.Errorf("WaitFor = %+v, %v", got, err)
	}
}

func TestActivity(t *testing.T) {
	p := openMock(t, map[string]string{"activity": "1ms", "seed": "7"})
	var c *mock.Cloud
	p.As(&c)
	seen := map[deltacloud.EventKind]bool{}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	for ev := range p.Watch(ctx, deltacloud.WatchOptions{Interval: 2 * time.Millisecond}) {
		seen[ev.Kind] = true
		if ev.Kind == deltacloud.EventChanged {
			if !p.Lifecycle().Reachable(ev.From, ev.Instance.State) {
				t.Errorf("activity moved %s from %s to %s", ev.Instance.ID, ev.From, ev.Instance.State)
			}
		}
		if seen[deltacloud.EventChanged] && seen[deltacloud.EventCreated] && seen[deltacloud.EventRemoved] {
			break
		}
	}
	if !seen[deltacloud.EventChanged] || !seen[deltacloud.EventCreated] || !seen[deltacloud.EventRemoved] {
		t.Errorf("within a minute the activity caused only %v", seen)
	}
	if n := c.Len(); n < 3 || n > 8 {
		t.Errorf("activity left %d instances, want 3 to 8", n)
	}
	// Closing the last provider stops the activity.
	p.Close()
	n := c.Len()
	time.Sleep(20 * time.Millisecond)
	if n2 := c.Len(); n2 != n {
		t.Errorf("activity went on after Close: %d → %d instances", n, n2)
	}
}

func TestListingOrder(t *testing.T) {
	p := openMock(t, nil)
	var c *mock.Cloud
	p.As(&c)
	c.AddInstances(8)
	got := ids(t, p)
	want := []string{"inst0", "inst1", "inst2", "inst3", "inst4", "inst5", "inst6", "inst7", "inst8", "inst9", "inst10", "inst11"}
	for i := range got {
		got[i], _, _ = strings.Cut(got[i], ":")
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
}

func TestRealmFilterAndOwner(t *testing.T) {
	p := openMock(t, nil)
	eu, err := p.Instances(t.Context(), deltacloud.InstanceFilter{Realm: "eu"})
	if err != nil || len(eu) != 1 || eu[0].ID != "inst3" {
		t.Errorf("realm eu = %+v, %v; want inst3", eu, err)
	}
	other, err := p.Instances(t.Context(), deltacloud.InstanceFilter{Owner: "anotheruser"})
	if err != nil || len(other) != 0 {
		t.Errorf("owner anotheruser = %+v, %v; want none", other, err)
	}
}
