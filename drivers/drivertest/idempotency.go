package drivertest

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// testClientToken checks idempotent creates: where the provider honours
// client tokens, two creates with one token make one instance and answer
// the same id, and the token reused for another spec (another name, where
// names are advertised) is ErrConflict; where it does not, a create with a
// token is refused with ErrNotSupported and makes nothing.
func (s *suite) testClientToken(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	spec := s.spec(t, p)
	spec.ClientToken = fmt.Sprintf("drivertest-%d", time.Now().UnixNano())
	before := s.count(t, p)
	if !p.SupportsClientToken() {
		ins, err := p.CreateInstances(ctx, spec)
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			s.cleanup(t, p, ins...)
			t.Fatalf("create with a token on a provider without token support = %v, want ErrNotSupported", err)
		}
		if after := s.count(t, p); after != before {
			t.Errorf("the refused create changed the instance count from %d to %d", before, after)
		}
		t.Skip("the provider does not honour client tokens")
	}
	first, err := p.CreateInstance(ctx, spec)
	if err != nil {
		t.Fatalf("CreateInstance with a token: %v", err)
	}
	t.Cleanup(func() { s.cleanup(t, p, *first) })
	again, err := p.CreateInstance(ctx, spec)
	if err != nil {
		t.Fatalf("CreateInstance repeated with the token: %v", err)
	}
	if again.ID != first.ID {
		s.cleanup(t, p, *again)
		t.Fatalf("the repeated create answered %s, want the first create's %s", again.ID, first.ID)
	}
	if after := s.count(t, p); after != before+1 {
		t.Errorf("two creates with one token changed the instance count from %d to %d, want %d", before, after, before+1)
	}
	if p.Features().Has(deltacloud.FeatureUserName) {
		other := spec
		other.Name = spec.Name + "-other"
		ins, err := p.CreateInstances(ctx, other)
		if !errors.Is(err, deltacloud.ErrConflict) {
			s.cleanup(t, p, ins...)
			t.Errorf("the token reused for another name = %v, want ErrConflict", err)
		}
	}
	if after := s.count(t, p); after != before+1 {
		t.Errorf("after the conflicting create the instance count is %d, want %d", after, before+1)
	}
}

// testDryRun checks Provider.DryRun: it returns a plan for the suite's spec
// whose spec is that spec checked, and refuses an unknown hardware profile
// with ErrInvalidArgument, creating nothing either way.
func (s *suite) testDryRun(t *testing.T) {
	ctx, p := t.Context(), s.open(t)
	spec := s.spec(t, p)
	before := s.count(t, p)
	plan, err := p.DryRun(ctx, spec)
	if err != nil {
		t.Fatalf("DryRun of the suite's spec: %v", err)
	}
	want := spec
	want.Count = max(want.Count, 1)
	if d := cmp.Diff(want.ImageID, plan.Spec.ImageID); d != "" || plan.Spec.Count != want.Count || plan.Name != spec.Name {
		t.Errorf("plan spec = %+v (name %q), want the checked spec %+v", plan.Spec, plan.Name, want)
	}
	if plan.Image == nil && plan.Driver == nil {
		t.Error("the plan has neither the image nor a driver plan")
	}
	if plan.Image != nil && plan.Image.ID != spec.ImageID {
		t.Errorf("plan image = %s, want %s", plan.Image.ID, spec.ImageID)
	}
	if spec.ProfileID != "" && (plan.Profile == nil || plan.Profile.ID != spec.ProfileID) {
		t.Errorf("plan profile = %+v, want %s", plan.Profile, spec.ProfileID)
	}
	if spec.RealmID != "" && (plan.Realm == nil || plan.Realm.ID != spec.RealmID) {
		t.Errorf("plan realm = %+v, want %s", plan.Realm, spec.RealmID)
	}
	if d := plan.Driver; d != nil {
		for _, secret := range []string{spec.Password, string(spec.UserData)} {
			for k, v := range d.Request {
				if secret != "" && v == secret {
					t.Errorf("the driver plan shows a secret under %s", k)
				}
			}
		}
	}
	bad := spec
	bad.ProfileID = "drivertest-no-such-profile"
	if _, err := p.DryRun(ctx, bad); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("DryRun with an unknown profile = %v, want ErrInvalidArgument", err)
	}
	if hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{}); err == nil {
		for _, h := range hs {
			i := slices.IndexFunc(h.Properties, func(pr deltacloud.Property) bool { return pr.Kind == deltacloud.Range })
			if i < 0 {
				continue
			}
			bad := spec
			bad.ProfileID, bad.Properties = h.ID, map[string]string{h.Properties[i].Name: "999999999999"}
			if _, err := p.DryRun(ctx, bad); !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Errorf("DryRun with %s=999999999999 on %s = %v, want ErrInvalidArgument", h.Properties[i].Name, h.ID, err)
			}
			break
		}
	}
	if after := s.count(t, p); after != before {
		t.Errorf("dry runs changed the instance count from %d to %d", before, after)
	}
}
