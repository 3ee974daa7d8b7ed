package deltacloud_test

import (
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

const benchInstances = 1000

// BenchmarkListInstances lists 1,000 instances through the remote driver,
// over loopback from the api handler over the mock, and, in the same run,
// directly on the mock cloud the handler serves (timed outside b's timer,
// as drivers/mock's benchmark times its baseline). It reports both per
// listing and their ratio, "x-direct": what the REST round trip (render,
// HTTP, parse) costs over the listing itself.
func BenchmarkListInstances(b *testing.B) {
	s := startServer(b, "", nil)
	direct, cloud := s.openDirect(b)
	// Not persisted, but the handler's mock shares this in-process cloud
	// while both stay open on the same storage directory.
	cloud.AddInstances(benchInstances - 4)
	remote := s.openRemote(b, goodCreds)
	ctx := b.Context()
	for name, p := range map[string]*deltacloud.Provider{"direct": direct, "REST": remote} {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != benchInstances {
			b.Fatalf("%s listing: %d instances, %v", name, len(ins), err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		ins, err := remote.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != benchInstances {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
	}
	viaREST := b.Elapsed()
	start := time.Now()
	for range b.N {
		ins, err := direct.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != benchInstances {
			b.Fatalf("direct listing: %d instances, %v", len(ins), err)
		}
	}
	directly := time.Since(start)
	b.ReportMetric(float64(directly.Nanoseconds())/float64(b.N), "direct-ns/op")
	b.ReportMetric(float64(viaREST.Nanoseconds())/float64(b.N), "rest-ns/op")
	b.ReportMetric(float64(viaREST)/float64(directly), "x-direct")
}
