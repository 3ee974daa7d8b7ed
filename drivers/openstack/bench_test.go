package openstack_test

import (
	"context"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// BenchmarkListServers lists 1,000 servers through the Provider and
// through gophercloud's pager on the same client and fake, alternating
// within one run (each first in turn); it reports the ratio driver/pager (the bound is
// 1.05).
func BenchmarkListServers(b *testing.B) {
	ctx := context.Background()
	c := openstacktest.NewCloud()
	defer c.Close()
	p, err := open(ctx, c)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ins, err := p.CreateInstances(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1", Count: 1000})
	if err != nil {
		b.Fatal(err)
	}
	// Wait until all are ACTIVE, so both sides list the same bodies.
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		all, err := p.Instances(ctx, deltacloud.InstanceFilter{State: deltacloud.StateRunning})
		if err == nil && len(all) == len(ins) {
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d servers running after a minute (%v)", len(all), len(ins), err)
		}
	}
	var compute *gophercloud.ServiceClient
	if !p.As(&compute) {
		b.Fatal("no compute client")
	}
	viaDriver := func() {
		got, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(got) != len(ins) {
			b.Fatalf("Instances: %d, %v", len(got), err)
		}
	}
	viaPager := func() {
		pages, err := servers.List(compute, servers.ListOpts{}).AllPages(ctx)
		if err != nil {
			b.Fatal(err)
		}
		list, err := servers.ExtractServers(pages)
		if err != nil || len(list) != len(ins) {
			b.Fatalf("pager: %d servers, %v", len(list), err)
		}
	}
	timed := func(f func()) time.Duration { t0 := time.Now(); f(); return time.Since(t0) }
	var driver, pager time.Duration
	b.ResetTimer()
	for i := range b.N {
		// Alternate which goes first, so neither pays for the other's
		// garbage more often.
		if i%2 == 0 {
			driver += timed(viaDriver)
			pager += timed(viaPager)
		} else {
			pager += timed(viaPager)
			driver += timed(viaDriver)
		}
	}
	b.ReportMetric(float64(driver)/float64(pager), "driver/pager")
	b.ReportMetric(float64(driver.Microseconds())/float64(b.N)/1000, "driver-ms/op")
	b.ReportMetric(float64(pager.Microseconds())/float64(b.N)/1000, "pager-ms/op")
}
