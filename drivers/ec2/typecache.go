package ec2

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// DefaultInstanceTypesTTL is how long a provider keeps the region's
// instance-type catalogue unless the instance_types_ttl option says
// otherwise. The catalogue changes a few times a year, while listing it
// costs about ten pages on AWS.
const DefaultInstanceTypesTTL = time.Hour

// maxInstanceTypesTTL bounds the instance_types_ttl option.
const maxInstanceTypesTTL = 7 * 24 * time.Hour

// typeCache keeps one provider's listing of instance types for a while, so
// that listing profiles, checking a create's profile and showing which
// profiles an image fits do not each list the whole catalogue. A zero ttl
// keeps nothing. Concurrent callers of a stale cache share one listing.
type typeCache struct {
	ttl time.Duration
	now func() time.Time

	mu       sync.Mutex
	profiles []deltacloud.HardwareProfile // sorted; nil when empty
	fetched  time.Time
	loading  chan struct{} // closed when the listing in flight ends
}

// fresh returns the cached profiles while they are fresh.
func (tc *typeCache) fresh() ([]deltacloud.HardwareProfile, bool) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return tc.freshLocked()
}

func (tc *typeCache) freshLocked() ([]deltacloud.HardwareProfile, bool) {
	if tc.ttl <= 0 || tc.profiles == nil || tc.now().Sub(tc.fetched) >= tc.ttl {
		return nil, false
	}
	return tc.profiles, true
}

// get returns the catalogue, from the cache while it is fresh and from
// load otherwise. Callers must not modify what it returns. While one caller
// loads, the others wait for it (or for their own ctx) and then use its
// result, or load themselves if it failed.
func (tc *typeCache) get(ctx context.Context, load func(context.Context) ([]deltacloud.HardwareProfile, error)) ([]deltacloud.HardwareProfile, error) {
	if tc.ttl <= 0 {
		return load(ctx)
	}
	for {
		tc.mu.Lock()
		if hs, ok := tc.freshLocked(); ok {
			tc.mu.Unlock()
			return hs, nil
		}
		if wait := tc.loading; wait != nil {
			tc.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		tc.loading = done
		tc.mu.Unlock()

		hs, err := load(ctx)
		tc.mu.Lock()
		if err == nil {
			if hs == nil {
				hs = []deltacloud.HardwareProfile{}
			}
			tc.profiles, tc.fetched = hs, tc.now()
		}
		tc.loading = nil
		close(done)
		tc.mu.Unlock()
		return hs, err
	}
}

// lookup finds one profile in a catalogue; the copy is the caller's.
func lookup(hs []deltacloud.HardwareProfile, id string) (*deltacloud.HardwareProfile, bool) {
	i := slices.IndexFunc(hs, func(h deltacloud.HardwareProfile) bool { return h.ID == id })
	if i < 0 {
		return nil, false
	}
	h := cloneProfile(hs[i])
	return &h, true
}

// cloneProfiles copies a cached catalogue for a caller, who may change it.
func cloneProfiles(hs []deltacloud.HardwareProfile) []deltacloud.HardwareProfile {
	out := make([]deltacloud.HardwareProfile, len(hs))
	for i, h := range hs {
		out[i] = cloneProfile(h)
	}
	return out
}

func cloneProfile(h deltacloud.HardwareProfile) deltacloud.HardwareProfile {
	h.Properties = slices.Clone(h.Properties)
	for i := range h.Properties {
		h.Properties[i].Values = slices.Clone(h.Properties[i].Values)
	}
	return h
}
