package mock_test

import (
	"slices"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

const benchInstances = 10_000

// BenchmarkListInstances lists 10,000 mock instances through the Provider.
// The baseline is cloning an already built 10,000-instance listing, the
// least any listing must do to hand over its result; "x-baseline" is the
// ratio of the two in the same run.
func BenchmarkListInstances(b *testing.B) {
	p, err := deltacloud.Open(b.Context(), "mock", deltacloud.Config{Credentials: goodCreds})
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var c *mock.Cloud
	p.As(&c)
	c.AddInstances(benchInstances - 4)
	ctx := b.Context()
	built, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(built) != benchInstances {
		b.Fatalf("listing: %d instances, %v", len(built), err)
	}
	b.ReportAllocs()
	for b.Loop() {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != benchInstances {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
	}
	listing := b.Elapsed()
	// The baseline, as many times, outside the benchmark's timer.
	start := time.Now()
	for range b.N {
		out := slices.Clone(built)
		for i := range out {
			out[i].Actions = slices.Clone(out[i].Actions)
		}
	}
	baseline := time.Since(start)
	b.ReportMetric(float64(listing.Nanoseconds())/float64(b.N)/benchInstances, "ns/instance")
	b.ReportMetric(float64(listing)/float64(baseline), "x-baseline")
}
