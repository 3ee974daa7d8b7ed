package fleet_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/fleet"
)

// pick is what a test compares of a candidate.
type pick struct {
	Provider, Realm, Profile, Image string
	Properties                      map[string]string
}

func picks(cs []fleet.Candidate) []pick {
	var out []pick
	for _, c := range cs {
		out = append(out, pick{c.Provider, c.Realm.ID, c.Profile.ID, c.Image.ID, c.Properties})
	}
	return out
}

func TestMatch(t *testing.T) {
	f, _ := newFleet(t, fleet.Options{}, "a")
	tests := []struct {
		name     string
		need     fleet.Need
		first    []pick // the leading candidates, in rank order
		n        int    // how many candidates in all
		rejected string // a reason that must be among the rejections
	}{
		{
			name: "memory range resolved to the minimum",
			need: fleet.Need{Requirements: deltacloud.Requirements{MinMemoryMiB: "8000", Architecture: "x86_64"}},
			first: []pick{
				{"a", "eu", "m1-large", "img1", map[string]string{"memory": "8000", "architecture": "x86_64"}},
				{"a", "us", "m1-large", "img1", map[string]string{"memory": "8000", "architecture": "x86_64"}},
				{"a", "eu", "m1-xlarge", "img1", map[string]string{"memory": "12288", "architecture": "x86_64"}},
			},
			n:        6,
			rejected: "memory 1740.8 MiB below 8000",
		},
		{
			name: "smallest profile first",
			need: fleet.Need{Requirements: deltacloud.Requirements{MinCPU: "1"}, ImageID: "img2", Realm: "us"},
			first: []pick{
				{"a", "us", "m1-small", "img2", map[string]string{"cpu": "1"}},
				{"a", "us", "opaque", "img2", map[string]string{"cpu": "1"}},
			},
			n:        2, // img2 is i386: only m1-small and the opaque profile run it
			rejected: "image img2 is i386",
		},
		{
			name:     "nothing stated fits but the opaque profile",
			need:     fleet.Need{Requirements: deltacloud.Requirements{MinMemoryMiB: "999999"}, ImageID: "img1", Realm: "us"},
			first:    []pick{{"a", "us", "opaque", "img1", map[string]string{"memory": "999999"}}},
			n:        1,
			rejected: "below 999999",
		},
		{
			name:     "no such image",
			need:     fleet.Need{ImageID: "nosuch"},
			rejected: "no image nosuch",
		},
		{
			name:     "no such realm",
			need:     fleet.Need{Realm: "mars"},
			rejected: "no available realm mars",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := f.Match(context.Background(), tt.need)
			if err != nil {
				t.Fatal(err)
			}
			got := picks(m.Candidates)
			if len(got) != tt.n {
				t.Errorf("%d candidates, want %d: %+v", len(got), tt.n, got)
			}
			if len(got) > len(tt.first) {
				got = got[:len(tt.first)]
			}
			if diff := cmp.Diff(tt.first, got); diff != "" {
				t.Errorf("leading candidates (-want +got):\n%s", diff)
			}
			if tt.rejected != "" && !slicesContainsReason(m.Rejected, tt.rejected) {
				t.Errorf("no rejection says %q: %+v", tt.rejected, m.Rejected)
			}
		})
	}
}

func slicesContainsReason(rs []fleet.Rejection, s string) bool {
	for _, r := range rs {
		if strings.Contains(r.Reason, s) {
			return true
		}
	}
	return false
}

// TestMatchRanksOpaqueLast: a profile that states nothing is a guess, so it
// comes after every profile that states its sizes.
func TestMatchRanksOpaqueLast(t *testing.T) {
	f, _ := newFleet(t, fleet.Options{}, "a")
	m, err := f.Match(context.Background(), fleet.Need{ImageID: "img1"})
	if err != nil {
		t.Fatal(err)
	}
	seenOpaque := false
	for _, c := range m.Candidates {
		if c.Profile.Opaque() {
			seenOpaque = true
		} else if seenOpaque {
			t.Fatalf("%s ranked after the opaque profile: %+v", c.Profile.ID, picks(m.Candidates))
		}
	}
	if !seenOpaque {
		t.Error("the opaque profile is not a candidate")
	}
}

// TestMatchAcrossProviders: candidates of every member, a failing member
// named in the error, and the best candidate created as it is.
func TestMatchAcrossProviders(t *testing.T) {
	f, clouds := newFleet(t, fleet.Options{}, "a", "b", "c")
	clouds["c"].FailNext(mock.OpRealms, 1, deltacloud.ErrUnavailable)
	ctx := context.Background()
	m, err := f.Match(ctx, fleet.Need{Requirements: deltacloud.Requirements{MinCPU: "2", MinMemoryMiB: "8192"}, ImageID: "img1", Realm: "us"})
	if !errors.Is(err, deltacloud.ErrUnavailable) || !cmp.Equal(fleet.Failed(err), []string{"c"}) {
		t.Errorf("err = %v, want c's failure", err)
	}
	var from []string
	for _, c := range m.Candidates {
		if c.Profile.ID == "m1-large" {
			from = append(from, c.Provider)
		}
	}
	if diff := cmp.Diff([]string{"a", "b"}, from); diff != "" {
		t.Errorf("m1-large candidates by provider (-want +got):\n%s", diff)
	}
	best := m.Candidates[0]
	p, _ := f.Provider(best.Provider)
	in, err := p.CreateInstance(ctx, best.Spec())
	if err != nil {
		t.Fatalf("creating the best candidate %+v: %v", best.Spec(), err)
	}
	if in.Profile.ID != best.Profile.ID || in.RealmID != "us" || in.Profile.Overrides["memory"] != best.Properties["memory"] {
		t.Errorf("created %+v from %+v", in, best.Spec())
	}
}
