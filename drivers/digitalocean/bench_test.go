package digitalocean_test

import (
	"context"
	"testing"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
)

// BenchmarkList1000 lists 1,000 droplets through Provider.Instances and
// through godo's paged Droplets.ListByTag on the same fake, in the same run,
// and reports the driver's time over the raw client's as "ratio".
func BenchmarkList1000(b *testing.B) {
	s := dotest.NewServer(b)
	tag := digitalocean.TagOwnerPrefix + digitalocean.DefaultOwner
	s.AddDroplets(1000, tag)
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "digitalocean", config(s, dotest.Token))
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var raw *godo.Client
	if !p.As(&raw) {
		b.Fatal("As(**godo.Client) failed")
	}
	rawList := func() int {
		n := 0
		opt := &godo.ListOptions{Page: 1, PerPage: 200}
		for {
			ds, resp, err := raw.Droplets.ListByTag(ctx, tag, opt)
			if err != nil {
				b.Fatal(err)
			}
			n += len(ds)
			if resp.Links == nil || resp.Links.IsLastPage() {
				return n
			}
			opt.Page++
		}
	}
	driverList := func() int {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil {
			b.Fatal(err)
		}
		return len(ins)
	}
	var rawTime, driverTime time.Duration
	timed := func(list func() int) time.Duration {
		t0 := time.Now()
		if n := list(); n != 1000 {
			b.Fatalf("listed %d droplets, want 1000", n)
		}
		return time.Since(t0)
	}
	// Each iteration runs both, in alternating order, so that neither
	// always profits from a warm cache.
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			rawTime += timed(rawList)
			driverTime += timed(driverList)
		} else {
			driverTime += timed(driverList)
			rawTime += timed(rawList)
		}
		i++
	}
	b.ReportMetric(float64(driverTime)/float64(rawTime), "ratio")
	b.ReportMetric(float64(rawTime.Microseconds())/float64(b.N), "raw-µs/op")
}
