package hetzner_test

import (
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
// label selector (sent to the API) and the conversion to the model.
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
	// Driver and raw listings alternate, so both see the same heap, caches
	// and fake; only the driver's part is timed as ns/op.
	b.ReportAllocs()
	var rawTime time.Duration
	for b.Loop() {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != n {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
		b.StopTimer()
		start := time.Now()
		raw()
		rawTime += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(rawTime.Nanoseconds())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(b.Elapsed())/float64(rawTime), "x-raw")
}
