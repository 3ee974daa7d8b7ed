package deltacloud_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// TestMarked: Marked adds the mark to a copy of the tags and leaves the
// caller's map alone.
func TestMarked(t *testing.T) {
	tags := map[string]string{"tenant": "acme"}
	spec := deltacloud.InstanceSpec{ImageID: "img1", Tags: tags}
	got := spec.Marked("broker-1")
	want := map[string]string{"tenant": "acme", deltacloud.OwnerTag: "broker-1"}
	if diff := cmp.Diff(want, got.Tags); diff != "" {
		t.Errorf("marked tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"tenant": "acme"}, tags); diff != "" {
		t.Errorf("caller's map changed (-want +got):\n%s", diff)
	}
	if got := (deltacloud.InstanceSpec{}).Marked("m").Tags; !cmp.Equal(got, map[string]string{deltacloud.OwnerTag: "m"}) {
		t.Errorf("marked nil tags = %v", got)
	}
	if err := deltacloud.CheckTags(want); err != nil {
		t.Errorf("a marked spec's tags are not portable: %v", err)
	}
}

// reapWorld is a mock cloud with four instances of ours (kept, old orphan,
// old orphan, young), one with another program's mark and one unmarked;
// the fixtures inst0–inst3 carry no mark.
type reapWorld struct {
	p                              *deltacloud.Provider
	c                              *mock.Cloud
	now                            time.Time
	kept, old1, old2, young, other string
}

func newReapWorld(t *testing.T) *reapWorld {
	t.Helper()
	p, c := open(t, nil)
	ctx := t.Context()
	w := &reapWorld{p: p, c: c, now: time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)}
	mk := func(mark string, age time.Duration) string {
		spec := deltacloud.InstanceSpec{ImageID: "img1"}
		if mark != "" {
			spec = spec.Marked(mark)
		}
		in, err := p.CreateInstance(ctx, spec)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.SetLaunchTime(in.ID, w.now.Add(-age)); err != nil {
			t.Fatal(err)
		}
		return in.ID
	}
	w.kept = mk("me", time.Hour)
	w.old1 = mk("me", time.Hour)
	w.old2 = mk("me", 2*time.Hour)
	w.young = mk("me", time.Minute)
	w.other = mk("someone-else", time.Hour)
	mk("", time.Hour)
	return w
}

func (w *reapWorld) opts(destroy bool) deltacloud.ReapOptions {
	return deltacloud.ReapOptions{Mark: "me", MinAge: 10 * time.Minute, Destroy: destroy,
		Keep: func(id string) bool { return id == w.kept }, Now: func() time.Time { return w.now }}
}

// outcomes maps each reported instance to its outcome.
func outcomes(r *deltacloud.ReapReport) map[string]deltacloud.ReapOutcome {
	m := map[string]deltacloud.ReapOutcome{}
	for _, it := range r.Items {
		m[it.ID] = it.Outcome
	}
	return m
}

// TestReap: a dry run reports the marked, unkept, old instances as
// orphans and changes nothing; a destroying run tears exactly those down;
// another program's marked instances, unmarked ones, kept ones and young
// ones survive; a second run finds nothing left to do.
func TestReap(t *testing.T) {
	ctx := t.Context()
	w := newReapWorld(t)
	before, err := w.p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		destroy bool
		want    map[string]deltacloud.ReapOutcome
	}{
		{"dry run", false, map[string]deltacloud.ReapOutcome{w.kept: deltacloud.ReapKept,
			w.old1: deltacloud.ReapOrphan, w.old2: deltacloud.ReapOrphan, w.young: deltacloud.ReapTooYoung}},
		{"dry run again", false, map[string]deltacloud.ReapOutcome{w.kept: deltacloud.ReapKept,
			w.old1: deltacloud.ReapOrphan, w.old2: deltacloud.ReapOrphan, w.young: deltacloud.ReapTooYoung}},
		{"destroy", true, map[string]deltacloud.ReapOutcome{w.kept: deltacloud.ReapKept,
			w.old1: deltacloud.ReapDestroyed, w.old2: deltacloud.ReapDestroyed, w.young: deltacloud.ReapTooYoung}},
		{"destroy again", true, map[string]deltacloud.ReapOutcome{w.kept: deltacloud.ReapKept,
			w.young: deltacloud.ReapTooYoung}},
	} {
		rep, err := w.p.Reap(ctx, w.opts(c.destroy))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if diff := cmp.Diff(c.want, outcomes(rep)); diff != "" {
			t.Errorf("%s: outcomes (-want +got):\n%s", c.name, diff)
		}
		after, err := w.p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, in := range after {
			if in.State != deltacloud.StateFinish {
				ids = append(ids, in.ID)
			}
		}
		for _, in := range before {
			gone := c.destroy && (in.ID == w.old1 || in.ID == w.old2)
			if slices.Contains(ids, in.ID) == gone {
				t.Errorf("%s: %s present = %v, want %v", c.name, in.ID, gone, !gone)
			}
		}
	}
}

// TestReapDestroyFault: a teardown the cloud refuses fails that orphan
// only; the others are still reaped, and the error names the failure.
func TestReapDestroyFault(t *testing.T) {
	ctx := t.Context()
	w := newReapWorld(t)
	w.c.FailNext(mock.OpDestroy, 1, deltacloud.ErrForbidden)
	rep, err := w.p.Reap(ctx, w.opts(true))
	if !errors.Is(err, deltacloud.ErrForbidden) {
		t.Fatalf("Reap = %v, want the injected Forbidden", err)
	}
	if w.c.Hits(mock.OpDestroy) != 1 {
		t.Fatalf("the injected fault was hit %d times, want 1", w.c.Hits(mock.OpDestroy))
	}
	got := outcomes(rep)
	failed, destroyed := 0, 0
	for _, id := range []string{w.old1, w.old2} {
		switch got[id] {
		case deltacloud.ReapFailed:
			failed++
		case deltacloud.ReapDestroyed:
			destroyed++
		}
	}
	if failed != 1 || destroyed != 1 {
		t.Errorf("outcomes %v: want one orphan failed and the other destroyed", got)
	}
	for _, it := range rep.Items {
		if (it.Outcome == deltacloud.ReapFailed) != (it.Err != nil) {
			t.Errorf("%s: outcome %s with error %v", it.ID, it.Outcome, it.Err)
		}
	}
	if diff := cmp.Diff([]string{w.old1, w.old2}, rep.Orphans(), cmpSorted); diff != "" {
		t.Errorf("Orphans (-want +got):\n%s", diff)
	}
	// The failed one is reaped by the next run.
	rep, err = w.p.Reap(ctx, w.opts(true))
	if err != nil || len(rep.Orphans()) != 1 {
		t.Errorf("second run: %v, orphans %v; want the one left destroyed", err, rep.Orphans())
	}
}

var cmpSorted = cmp.Transformer("sorted", func(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
})

// TestReapRefuses: without a mark, and on a driver that cannot tag.
func TestReapRefuses(t *testing.T) {
	ctx := t.Context()
	p, _ := open(t, nil)
	if _, err := p.Reap(ctx, deltacloud.ReapOptions{}); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("no mark: %v, want InvalidArgument", err)
	}
	core, err := deltacloud.Open(ctx, "test-core-only", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password}})
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	if _, err := core.Reap(ctx, deltacloud.ReapOptions{Mark: "me"}); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("driver without tags: %v, want NotSupported", err)
	}
}

// TestReapUnknownAge: with MinAge, an instance without a launch time is
// not an orphan (its age cannot be proven); without MinAge it is.
func TestReapUnknownAge(t *testing.T) {
	ctx := t.Context()
	p, _ := open(t, nil)
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"}.Marked("me"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		minAge time.Duration
		want   deltacloud.ReapOutcome
	}{{time.Minute, deltacloud.ReapTooYoung}, {0, deltacloud.ReapOrphan}} {
		rep, err := p.Reap(ctx, deltacloud.ReapOptions{Mark: "me", MinAge: c.minAge})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[string]deltacloud.ReapOutcome{in.ID: c.want}, outcomes(rep)); diff != "" {
			t.Errorf("MinAge %v (-want +got):\n%s", c.minAge, diff)
		}
	}
}
