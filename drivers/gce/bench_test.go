package gce_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

// BenchmarkList1000 lists 1,000 instances through the Provider and through
// the raw compute client's paged list (the same zones and owner filter) on
// the same fake, and reports the ratio of their times per listing.
func BenchmarkList1000(b *testing.B) {
	s := gcetest.New(b)
	s.AddInstances(1000, "vm", map[string]string{"deltacloud-owner": "deltacloud"})
	ctx := context.Background()
	p, err := open(ctx, s, "buckets=false")
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	var svc *compute.Service
	if !p.As(&svc) {
		b.Fatal("As(**compute.Service) = false")
	}
	// The raw side lists the zones at the same time, as the driver does, so
	// the ratio is the driver's own cost.
	raw := func() int {
		counts := make([]int, len(gcetest.Zones))
		errs := make([]error, len(gcetest.Zones))
		var wg sync.WaitGroup
		for i, z := range gcetest.Zones {
			wg.Go(func() {
				errs[i] = svc.Instances.List(gcetest.Project, z).Filter(`labels.deltacloud-owner = "deltacloud"`).
					Pages(ctx, func(l *compute.InstanceList) error { counts[i] += len(l.Items); return nil })
			})
		}
		wg.Wait()
		n := 0
		for i := range counts {
			if errs[i] != nil {
				b.Fatal(errs[i])
			}
			n += counts[i]
		}
		return n
	}
	driver := func() int {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil {
			b.Fatal(err)
		}
		return len(ins)
	}
	if raw() != 1000 || driver() != 1000 {
		b.Fatal("the listings do not see 1000 instances")
	}
	var tRaw, tDriver time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Alternate the order so neither side always runs warm.
		first, second := raw, driver
		tf, ts := &tRaw, &tDriver
		if i%2 == 1 {
			first, second, tf, ts = driver, raw, &tDriver, &tRaw
		}
		start := time.Now()
		first()
		*tf += time.Since(start)
		start = time.Now()
		second()
		*ts += time.Since(start)
	}
	b.ReportMetric(float64(tDriver)/float64(tRaw), "driver/raw")
}
