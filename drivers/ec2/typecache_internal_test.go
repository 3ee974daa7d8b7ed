package ec2

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// TestTypeCache: a fresh catalogue is served without loading, a stale one
// is loaded again, a failed load is not kept, a zero TTL keeps nothing, and
// concurrent callers of a stale cache share one load.
func TestTypeCache(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var loads atomic.Int32
	var fail atomic.Bool
	load := func(context.Context) ([]deltacloud.HardwareProfile, error) {
		loads.Add(1)
		if fail.Load() {
			return nil, errors.New("throttled")
		}
		return []deltacloud.HardwareProfile{{ID: "m5.large"}}, nil
	}
	tc := &typeCache{ttl: time.Hour, now: func() time.Time { return now }}
	ctx := t.Context()
	steps := []struct {
		name      string
		advance   time.Duration
		fail      bool
		wantErr   bool
		wantLoads int32
	}{
		{name: "first use loads", wantLoads: 1},
		{name: "fresh is served", advance: 59 * time.Minute, wantLoads: 1},
		{name: "stale loads again", advance: time.Minute, wantLoads: 2},
		{name: "a failed load", advance: time.Hour, fail: true, wantErr: true, wantLoads: 3},
		{name: "is not kept", wantLoads: 4},
		{name: "and then it is fresh", wantLoads: 4},
	}
	for _, s := range steps {
		now = now.Add(s.advance)
		fail.Store(s.fail)
		hs, err := tc.get(ctx, load)
		if (err != nil) != s.wantErr || (err == nil && len(hs) != 1) {
			t.Errorf("%s: get = %v, %v", s.name, hs, err)
		}
		if n := loads.Load(); n != s.wantLoads {
			t.Errorf("%s: %d loads, want %d", s.name, n, s.wantLoads)
		}
	}
	if _, ok := (&typeCache{ttl: 0, now: time.Now}).fresh(); ok {
		t.Error("a zero TTL cache says it is fresh")
	}

	// Concurrent callers share one load.
	tc = &typeCache{ttl: time.Hour, now: time.Now}
	loads.Store(0)
	release := make(chan struct{})
	slow := func(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
		<-release
		return load(ctx)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := tc.get(ctx, slow); err != nil {
				t.Error(err)
			}
		}()
	}
	time.Sleep(10 * time.Millisecond) // let them queue; more loads would show below
	close(release)
	wg.Wait()
	if n := loads.Load(); n != 1 {
		t.Errorf("8 concurrent callers made %d loads, want 1", n)
	}

	// A waiting caller's own context ends its wait.
	tc = &typeCache{ttl: time.Hour, now: time.Now}
	block := make(chan struct{})
	defer close(block)
	go tc.get(context.Background(), func(context.Context) ([]deltacloud.HardwareProfile, error) { <-block; return nil, nil })
	for {
		tc.mu.Lock()
		busy := tc.loading != nil
		tc.mu.Unlock()
		if busy {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := tc.get(cctx, load); !errors.Is(err, context.Canceled) {
		t.Errorf("waiting with a cancelled context = %v, want context.Canceled", err)
	}
}
