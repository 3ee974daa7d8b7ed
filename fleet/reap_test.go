package fleet_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/fleet"
)

// TestReapEveryMember: the inventory is asked per member (the same id on
// two clouds is two instances), a member whose listing fails is reported
// by name while the others are reaped, and a failed teardown on one member
// is reported with its item.
func TestReapEveryMember(t *testing.T) {
	ctx := t.Context()
	f, clouds := newFleet(t, fleet.Options{Parallelism: 4}, "a", "b", "c", "d")
	ids := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d"} {
		p, _ := f.Provider(n)
		in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"}.Marked("me"))
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = in.ID
		if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"}); err != nil {
			t.Fatal(err)
		}
	}
	if ids["a"] != ids["b"] {
		t.Fatalf("the test needs one id on two members, got %v", ids)
	}
	clouds["c"].FailNext(mock.OpInstances, 1, deltacloud.ErrAuthFailure)
	clouds["d"].FailNext(mock.OpDestroy, 1, deltacloud.ErrForbidden)
	keep := func(provider, id string) bool { return provider == "a" && id == ids["a"] }

	items, err := f.Reap(ctx, fleet.ReapOptions{Mark: "me", Keep: keep, Destroy: true})
	type got struct {
		Provider, ID string
		Outcome      deltacloud.ReapOutcome
	}
	var gots []got
	for _, it := range items {
		gots = append(gots, got{it.Provider, it.Value.ID, it.Value.Outcome})
	}
	want := []got{
		{"a", ids["a"], deltacloud.ReapKept},
		{"b", ids["b"], deltacloud.ReapDestroyed},
		{"d", ids["d"], deltacloud.ReapFailed},
	}
	if diff := cmp.Diff(want, gots); diff != "" {
		t.Errorf("items (-want +got):\n%s", diff)
	}
	if !errors.Is(err, deltacloud.ErrAuthFailure) || !errors.Is(err, deltacloud.ErrForbidden) {
		t.Errorf("error %v: want both injected faults", err)
	}
	if diff := cmp.Diff([]string{"c", "d"}, fleet.Failed(err)); diff != "" {
		t.Errorf("Failed (-want +got):\n%s", diff)
	}
	pb, _ := f.Provider("b")
	if in, err := pb.Instance(ctx, ids["b"]); err == nil && in.State != deltacloud.StateFinish {
		t.Errorf("b's orphan is still %s", in.State)
	}
	pa, _ := f.Provider("a")
	if in, err := pa.Instance(ctx, ids["a"]); err != nil || in.State == deltacloud.StateFinish {
		t.Errorf("a's kept instance: %v, %v", in, err)
	}
}
