package mock_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/google/go-cmp/cmp"
)

// TestListingPartsAreTheCallers changes every slice, pointer and map of one
// listing, and appends to its slices: no other instance of that listing and
// nothing of the next listing may see it (a listing hands out its parts
// from shared arrays).
func TestListingPartsAreTheCallers(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	var c *mock.Cloud
	p.As(&c)
	c.AddInstances(3)
	before, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	mine, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Appends first: none may overwrite a neighbour's parts.
	for i := range mine {
		mine[i].Actions = append(mine[i].Actions, "appended")
		mine[i].PublicAddresses = append(mine[i].PublicAddresses, deltacloud.Address{Value: "appended"})
		mine[i].PrivateAddresses = append(mine[i].PrivateAddresses, deltacloud.Address{Value: "appended"})
	}
	for i, in := range mine {
		b := before[i]
		if d := cmp.Diff(append(slices.Clone(b.Actions), "appended"), in.Actions); d != "" {
			t.Errorf("%s's actions after the appends (-want +got):\n%s", in.ID, d)
		}
		if d := cmp.Diff(append(slices.Clone(b.PublicAddresses), deltacloud.Address{Value: "appended"}), in.PublicAddresses); d != "" {
			t.Errorf("%s's public addresses after the appends (-want +got):\n%s", in.ID, d)
		}
	}
	// Then changes in place.
	for i := range mine {
		in := &mine[i]
		for j := range in.Actions {
			in.Actions[j] = "changed"
		}
		for _, as := range [][]deltacloud.Address{in.PublicAddresses, in.PrivateAddresses} {
			for j := range as {
				as[j].Value = "changed"
			}
		}
		if in.Authentication != nil {
			in.Authentication.KeyName = "changed"
		}
		for k := range in.Profile.Overrides {
			in.Profile.Overrides[k] = "changed"
		}
	}
	after, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("a caller's changes reached the next listing (-before +after):\n%s", d)
	}
}

// TestListingOrderAfterChanges lists after creates and a destroy: the
// listing's cached order follows every change.
func TestListingOrderAfterChanges(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	fixtures := ids(t, p) // and the order is cached
	for i := range fixtures {
		fixtures[i], _, _ = strings.Cut(fixtures[i], ":")
	}
	var made []string
	for range 9 {
		ins, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, ins.ID)
	}
	if _, err := p.Do(ctx, made[0], deltacloud.ActionStop); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Do(ctx, made[0], deltacloud.ActionDestroy); err != nil {
		t.Fatal(err)
	}
	got := ids(t, p)
	for i := range got {
		got[i], _, _ = strings.Cut(got[i], ":")
	}
	want := append(fixtures, made[1:]...)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("order (-want +got):\n%s", d)
	}
}
