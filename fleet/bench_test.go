package fleet_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/fleet"
)

// BenchmarkListingAcrossProviders lists instances across 100 mock providers
// that each take 50 ms, next to one such provider's listing in the same run:
// with enough parallelism the fleet's listing costs about one provider's
// (the target is at most 2×, reported as fleet/single).
func BenchmarkListingAcrossProviders(b *testing.B) {
	const members, latency = 100, 50 * time.Millisecond
	ctx := context.Background()
	f := fleet.New(fleet.Options{Parallelism: members})
	defer f.Close()
	for i := range members {
		name := fmt.Sprintf("m%03d", i)
		if err := f.Open(ctx, name, "mock", deltacloud.Config{Credentials: mockCreds}); err != nil {
			b.Fatal(err)
		}
		p, _ := f.Provider(name)
		var c *mock.Cloud
		p.As(&c)
		c.SetLatency(mock.OpInstances, latency)
	}
	single, _ := f.Provider("m000")
	var singleTime, fleetTime time.Duration
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		if _, err := single.Instances(ctx, deltacloud.InstanceFilter{}); err != nil {
			b.Fatal(err)
		}
		singleTime += time.Since(start)
		start = time.Now()
		items, err := f.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(items) < members {
			b.Fatalf("%d items, %v", len(items), err)
		}
		fleetTime += time.Since(start)
	}
	b.ReportMetric(float64(fleetTime)/float64(singleTime), "fleet/single")
	b.ReportMetric(float64(fleetTime.Milliseconds())/float64(b.N), "fleet-ms/op")
}

// BenchmarkWatchCPU watches 10 mock providers of 1,000 instances each and
// reports the process's CPU time per fleet poll (every member listed and
// compared once) and per member poll (one listing of 1,000 instances and its
// comparison; the target is under 5 ms), next to the CPU time of the
// same listings made without a watch: the difference is the watch's own.
func BenchmarkWatchCPU(b *testing.B) {
	const members, instances = 10, 1000
	ctx := context.Background()
	var listings atomic.Int64
	log := slog.New(countingHandler{op: "Instances", n: &listings})
	f := fleet.New(fleet.Options{})
	defer f.Close()
	for i := range members {
		name := fmt.Sprintf("m%02d", i)
		if err := f.Open(ctx, name, "mock", deltacloud.Config{Credentials: mockCreds, Logger: log}); err != nil {
			b.Fatal(err)
		}
		p, _ := f.Provider(name)
		var c *mock.Cloud
		p.As(&c)
		c.AddInstances(instances)
	}

	// Baseline: the listings alone.
	listings.Store(0)
	before := cpuTime()
	for range b.N {
		if _, err := f.Instances(ctx, deltacloud.InstanceFilter{}); err != nil {
			b.Fatal(err)
		}
	}
	bare := cpuTime() - before

	// The watch, until it has polled every member b.N times. No instance
	// changes, so after the snapshots the stream is quiet: the count is
	// watched beside it.
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	listings.Store(0)
	before = cpuTime()
	b.ResetTimer()
	go func() {
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for listings.Load() < int64(b.N*members) {
			select {
			case <-wctx.Done():
				return
			case <-t.C:
			}
		}
		cancel()
	}()
	for ev := range f.Watch(wctx, deltacloud.WatchOptions{Interval: 2 * time.Millisecond}) {
		if ev.Kind == deltacloud.EventError {
			b.Fatal(ev.Err)
		}
	}
	watched := cpuTime() - before
	polls := float64(listings.Load()) / members
	b.ReportMetric(float64(watched.Microseconds())/1000/polls, "cpu-ms/poll")
	b.ReportMetric(float64(watched.Microseconds())/1000/polls/members, "cpu-ms/member-poll")
	b.ReportMetric(float64(bare.Microseconds())/1000/float64(b.N), "listing-cpu-ms/poll")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// countingHandler counts the providers' debug records of one operation:
// each is one driver call.
type countingHandler struct {
	op string
	n  *atomic.Int64
}

func (h countingHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h countingHandler) Handle(_ context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "op" && a.Value.String() == h.op {
			h.n.Add(1)
			return false
		}
		return true
	})
	return nil
}
func (h countingHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h countingHandler) WithGroup(string) slog.Handler      { return h }
