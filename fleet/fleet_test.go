package fleet_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/fleet"
)

var mockCreds = deltacloud.Credentials{User: mock.User, Password: mock.Password}

// newFleet opens a fleet of isolated mock clouds under names and returns
// each cloud for fault injection.
func newFleet(t *testing.T, opts fleet.Options, names ...string) (*fleet.Fleet, map[string]*mock.Cloud) {
	t.Helper()
	f := fleet.New(opts)
	t.Cleanup(func() { f.Close() })
	clouds := map[string]*mock.Cloud{}
	for _, n := range names {
		if err := f.Open(context.Background(), n, "mock", deltacloud.Config{Credentials: mockCreds}); err != nil {
			t.Fatal(err)
		}
		p, _ := f.Provider(n)
		var c *mock.Cloud
		if !p.As(&c) {
			t.Fatal("mock provider has no *mock.Cloud")
		}
		clouds[n] = c
	}
	return f, clouds
}

type origin struct{ Provider, ID string }

func origins[T any](items []fleet.Item[T], id func(T) string) []origin {
	var out []origin
	for _, it := range items {
		out = append(out, origin{it.Provider, id(it.Value)})
	}
	return out
}

func TestListingsSayWhereEachItemCameFrom(t *testing.T) {
	ctx := context.Background()
	f, _ := newFleet(t, fleet.Options{}, "west", "east")
	realms, err := f.Realms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []origin{{"east", "us"}, {"east", "eu"}, {"west", "us"}, {"west", "eu"}}
	if diff := cmp.Diff(want, origins(realms, func(r deltacloud.Realm) string { return r.ID })); diff != "" {
		t.Errorf("realms (-want +got):\n%s", diff)
	}
	ins, err := f.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(ins); got == 0 || got%2 != 0 || ins[0].Provider != "east" || ins[len(ins)-1].Provider != "west" {
		t.Errorf("instances: %d items, first from %q, last from %q", got, ins[0].Provider, ins[len(ins)-1].Provider)
	}
	hwps, err := f.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{ID: "m1-small"})
	if err != nil || len(hwps) != 2 {
		t.Errorf("hardware profiles m1-small: %d, %v; want one per member", len(hwps), err)
	}
	imgs, err := f.Images(ctx, deltacloud.ImageFilter{ID: "img1"})
	if err != nil || len(imgs) != 2 {
		t.Errorf("images img1: %d, %v; want one per member", len(imgs), err)
	}
}

// TestOneFailingMemberLeavesTheOthers: a member's failure is reported with
// its name, errors.Is sees its cause, and the others' results are returned.
func TestOneFailingMemberLeavesTheOthers(t *testing.T) {
	f, clouds := newFleet(t, fleet.Options{}, "a", "b", "c")
	clouds["b"].FailNext(mock.OpRealms, 1, deltacloud.ErrUnavailable)
	realms, err := f.Realms(context.Background())
	if !errors.Is(err, deltacloud.ErrUnavailable) {
		t.Fatalf("err = %v, want one wrapping ErrUnavailable", err)
	}
	var pe *fleet.ProviderError
	if !errors.As(err, &pe) || pe.Provider != "b" {
		t.Errorf("err = %v, want a *ProviderError for b", err)
	}
	if diff := cmp.Diff([]string{"b"}, fleet.Failed(err)); diff != "" {
		t.Errorf("Failed (-want +got):\n%s", diff)
	}
	want := []origin{{"a", "us"}, {"a", "eu"}, {"c", "us"}, {"c", "eu"}}
	if diff := cmp.Diff(want, origins(realms, func(r deltacloud.Realm) string { return r.ID })); diff != "" {
		t.Errorf("realms of the others (-want +got):\n%s", diff)
	}
}

// TestSlowMemberMeetsItsDeadline: a member that never answers is cut off at
// the per-provider timeout; the call returns the others' results.
func TestSlowMemberMeetsItsDeadline(t *testing.T) {
	f, clouds := newFleet(t, fleet.Options{Timeout: 50 * time.Millisecond}, "fast", "stuck")
	clouds["stuck"].SetLatency(mock.OpAll, time.Hour)
	realms, err := f.Realms(context.Background())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the stuck member's deadline", err)
	}
	if diff := cmp.Diff([]string{"stuck"}, fleet.Failed(err)); diff != "" {
		t.Errorf("Failed (-want +got):\n%s", diff)
	}
	if len(realms) != 2 || realms[0].Provider != "fast" {
		t.Errorf("realms = %+v, want the fast member's two", realms)
	}
}

func TestParallelismIsBounded(t *testing.T) {
	names := []string{"m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"}
	f, _ := newFleet(t, fleet.Options{Parallelism: 3}, names...)
	var running, peak atomic.Int32
	items, err := fleet.Collect(context.Background(), f, func(ctx context.Context, p *deltacloud.Provider) ([]int, error) {
		n := running.Add(1)
		defer running.Add(-1)
		for {
			old := peak.Load()
			if n <= old || peak.CompareAndSwap(old, n) {
				break
			}
		}
		_, err := p.Realms(ctx)
		return []int{1}, err
	})
	if err != nil || len(items) != len(names) {
		t.Fatalf("Collect = %d items, %v", len(items), err)
	}
	if p := peak.Load(); p < 1 || p > 3 {
		t.Errorf("%d members were reached at once, want at most 3", p)
	}
}

func TestCancelledCallReportsEveryMember(t *testing.T) {
	f, _ := newFleet(t, fleet.Options{Parallelism: 1}, "a", "b")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	items, err := f.Realms(ctx)
	if len(items) != 0 || !errors.Is(err, context.Canceled) {
		t.Errorf("Realms on a cancelled context = %d items, %v", len(items), err)
	}
	if diff := cmp.Diff([]string{"a", "b"}, fleet.Failed(err)); diff != "" {
		t.Errorf("Failed (-want +got):\n%s", diff)
	}
}

func TestMembership(t *testing.T) {
	ctx := context.Background()
	f, _ := newFleet(t, fleet.Options{}, "a")
	p, _ := f.Provider("a")
	if err := f.Add("a", p); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("adding a taken name: %v, want ErrConflict", err)
	}
	if err := f.Add("", p); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("adding without a name: %v, want ErrInvalidArgument", err)
	}
	err := f.Open(ctx, "broken", "no-such-driver", deltacloud.Config{})
	var pe *fleet.ProviderError
	if !errors.As(err, &pe) || pe.Provider != "broken" || !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("opening an unknown driver: %v", err)
	}
	if diff := cmp.Diff([]string{"a"}, f.Names()); diff != "" {
		t.Errorf("names (-want +got):\n%s", diff)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Realms(ctx); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("a member after Close: %v, want the closed provider's ErrInvalidState", err)
	}
	if len(f.Names()) != 0 {
		t.Errorf("a closed fleet still has members %v", f.Names())
	}
	if err := f.Add("b", p); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("adding to a closed fleet: %v", err)
	}
}
