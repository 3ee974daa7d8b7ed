package libvirt_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt/libvirttest"
)

// BenchmarkList200 lists 200 domains of the daemon's test driver through
// Provider.Instances, and the same data with plain go-libvirt calls on a
// connection of its own (the domain list, then each domain's metadata
// element and info, as the driver needs them, four domains at a time like
// the driver), alternately in the same run; it reports driver/raw, the
// driver's overhead (target ≤ 1.10).
func BenchmarkList200(b *testing.B) {
	d := daemon(b)
	ctx := context.Background()
	keep, err := d.PrepareTest(ctx)
	if err != nil {
		b.Fatalf("preparing the test driver: %v", err)
	}
	defer keep.Disconnect()
	p, err := deltacloud.Open(ctx, "libvirt", deltacloud.Config{
		Provider: d.URI("test"),
		Options:  map[string]string{"image_pool": libvirttest.TestPool, "network": "none", "memory": "64"},
	})
	if err != nil {
		b.Fatalf("Open: %v", err)
	}
	defer p.Close()
	var created []string
	defer func() {
		for _, id := range created {
			p.Destroy(ctx, id)
		}
	}()
	for i := range 200 {
		in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: libvirttest.Image, Name: fmt.Sprintf("bench-%03d", i)})
		if err != nil {
			b.Fatalf("CreateInstance %d: %v", i, err)
		}
		created = append(created, in.ID)
	}
	raw, err := d.Connect(ctx, "test")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Disconnect()
	// The raw side reads four domains at a time too, as the driver does,
	// so the ratio is the driver's own cost and not its concurrency.
	listRaw := func() int {
		doms, _, err := raw.ConnectListAllDomains(1, 0)
		if err != nil {
			b.Fatal(err)
		}
		var n atomic.Int32
		next := make(chan golibvirt.Domain)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for dom := range next {
					if _, err := raw.DomainGetMetadata(dom, int32(golibvirt.DomainMetadataElement), golibvirt.OptString{libvirt.MetadataURI}, 0); err != nil {
						continue
					}
					if _, _, _, _, _, err := raw.DomainGetInfo(dom); err == nil {
						n.Add(1)
					}
				}
			})
		}
		for _, dom := range doms {
			next <- dom
		}
		close(next)
		wg.Wait()
		return int(n.Load())
	}
	var tRaw, tDriver time.Duration
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		mid := time.Now()
		nRaw := listRaw()
		end := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		if len(ins) != 200 || nRaw != 200 {
			b.Fatalf("listed %d through the driver, %d raw; want 200", len(ins), nRaw)
		}
		tDriver += mid.Sub(start)
		tRaw += end.Sub(mid)
	}
	b.ReportMetric(float64(tRaw.Microseconds())/float64(b.N), "raw-µs/list")
	b.ReportMetric(float64(tDriver.Microseconds())/float64(b.N), "driver-µs/list")
	b.ReportMetric(float64(tDriver)/float64(tRaw), "driver/raw")
}
