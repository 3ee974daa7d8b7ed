package hetzner_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner/hetznertest"
)

// BenchmarkList1000 lists 1,000 servers through Provider.Instances against
// hcloud-go's own Server.All on the same fake, in the same run, with the
// same *hcloud.Client (Provider.As): both read 20 pages of 50. "x-raw" is
// the driver's time over the raw client's; the driver's listing adds the
// label selector (sent to the API) and the conversion to the model. Both
// sides include the in-process fake's work, so on a loaded machine the
// ratio is noisy; "raw-allocs/op" beside allocs/op shows the conversion's
// own cost, which does not depend on the load.
func BenchmarkList1000(b *testing.B) {
	const n = 1000
	s := hetznertest.NewServer()
	defer s.Close()
	s.AddServers(n, "bench", map[string]string{hetzner.LabelOwner: hetzner.DefaultOwner, "team": "blue"})
	cfg := config(s)
	p, err := deltacloud.Open(b.Context(), "hetzner", cfg)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var client *hcloud.Client
	if !p.As(&client) {
		b.Fatal("As(**hcloud.Client) failed")
	}
	ctx := b.Context()
	raw := func() {
		servers, err := client.Server.All(ctx)
		if err != nil || len(servers) != n {
			b.Fatalf("raw listing: %d servers, %v", len(servers), err)
		}
	}
	raw()
	// Driver and raw listings alternate, and which of them goes first
	// alternates too, so both see the same heap, caches and fake; only the
	// driver's part is timed as ns/op.
	b.ReportAllocs()
	var rawTime time.Duration
	var rawAllocs uint64
	var ms runtime.MemStats
	timedRaw := func() {
		b.StopTimer()
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		start := time.Now()
		raw()
		rawTime += time.Since(start)
		runtime.ReadMemStats(&ms)
		rawAllocs += ms.Mallocs - before
		b.StartTimer()
	}
	i := 0
	for b.Loop() {
		if i%2 == 1 {
			timedRaw()
		}
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != n {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
		if i%2 == 0 {
			timedRaw()
		}
		i++
	}
	b.ReportMetric(float64(rawTime.Nanoseconds())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(rawAllocs)/float64(b.N), "raw-allocs/op")
	b.ReportMetric(float64(b.Elapsed())/float64(rawTime), "x-raw")
}
