package ec2_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// BenchmarkListInstances lists 1,000 instances through the driver against
// paging through DescribeInstances directly with the same *ec2.Client on the
// same fake endpoint, interleaved in the same run. "x-direct" is the
// driver's cost over the direct calls (issue #6 target: ≤ 1.05).
func BenchmarkListInstances(b *testing.B) {
	const n = 1000
	s := ec2test.NewServer(b)
	s.SetPageSize(500)
	s.SetPendingReads(0)
	ctx := b.Context()
	p, err := openFake(ctx, s, goodCreds)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
	if err != nil || len(imgs) == 0 {
		b.Fatalf("images: %v", err)
	}
	if _, err := p.CreateInstances(ctx, deltacloud.InstanceSpec{ImageID: imgs[0].ID, Count: n}); err != nil {
		b.Fatal(err)
	}
	var client *ec2.Client
	if !p.As(&client) {
		b.Fatal("As(**ec2.Client) failed")
	}
	direct := func() int {
		count := 0
		pg := ec2.NewDescribeInstancesPaginator(client, &ec2.DescribeInstancesInput{MaxResults: aws.Int32(1000)})
		for pg.HasMorePages() {
			out, err := pg.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range out.Reservations {
				count += len(r.Instances)
			}
		}
		return count
	}
	if got := direct(); got != n {
		b.Fatalf("direct listing found %d instances, want %d", got, n)
	}
	list := func() {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != n {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
	}
	// The two listings alternate, each going first every other time, so
	// drift in the machine's load or the fake's state falls on both sides
	// alike; ns/op covers one of each.
	var driverTime, directTime time.Duration
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		first, second := list, func() { direct() }
		firstTime, secondTime := &driverTime, &directTime
		if i%2 == 1 {
			first, second = second, first
			firstTime, secondTime = secondTime, firstTime
		}
		i++
		t0 := time.Now()
		first()
		t1 := time.Now()
		second()
		*firstTime += t1.Sub(t0)
		*secondTime += time.Since(t1)
	}
	b.ReportMetric(float64(driverTime.Nanoseconds())/float64(b.N), "driver-ns/op")
	b.ReportMetric(float64(directTime.Nanoseconds())/float64(b.N), "direct-ns/op")
	b.ReportMetric(float64(driverTime)/float64(directTime), "x-direct")
}

// BenchmarkHardwareProfile looks one profile up with Provider.HardwareProfile
// on a provider that keeps no catalogue (instance_types_ttl=0), so every
// lookup goes to EC2, against the baseline of listing the catalogue and
// picking the profile out (what a lookup cost before the id filter), in the
// same run, with the fake serving one type per page as a large catalogue
// makes many pages. It reports the requests each costs ("requests/op" must
// be exactly 1, "list-requests/op" is the catalogue's pages), their times,
// and "x-list", the lookup's time over the listing's. "cached-requests/op"
// is a lookup's cost with the default TTL once the catalogue is cached: 0.
func BenchmarkHardwareProfile(b *testing.B) {
	s := ec2test.NewServer(b)
	s.SetPageSize(1)
	ctx := b.Context()
	p, err := openFake(ctx, s, goodCreds, "instance_types_ttl", "0")
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	cached, err := openFake(ctx, s, goodCreds)
	if err != nil {
		b.Fatal(err)
	}
	defer cached.Close()
	if _, err := cached.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{}); err != nil {
		b.Fatal(err)
	}
	const id = "c5.xlarge"
	get := func() {
		if h, err := p.HardwareProfile(ctx, id); err != nil || h.ID != id {
			b.Fatalf("HardwareProfile(%s) = %v, %v", id, h, err)
		}
	}
	list := func() {
		hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{ID: id})
		if err != nil || len(hs) != 1 {
			b.Fatalf("HardwareProfiles(id=%s) = %d, %v", id, len(hs), err)
		}
	}
	var getTime, listTime time.Duration
	var getReqs, listReqs, cachedReqs int
	calls := func() int { return s.Calls("DescribeInstanceTypes") }
	for b.Loop() {
		n0 := calls()
		t0 := time.Now()
		get()
		t1 := time.Now()
		n1 := calls()
		list()
		t2 := time.Now()
		n2 := calls()
		if _, err := cached.HardwareProfile(ctx, id); err != nil {
			b.Fatal(err)
		}
		getTime += t1.Sub(t0)
		listTime += t2.Sub(t1)
		getReqs += n1 - n0
		listReqs += n2 - n1
		cachedReqs += calls() - n2
	}
	n := float64(b.N)
	b.ReportMetric(float64(getReqs)/n, "requests/op")
	b.ReportMetric(float64(listReqs)/n, "list-requests/op")
	b.ReportMetric(float64(cachedReqs)/n, "cached-requests/op")
	b.ReportMetric(float64(getTime.Nanoseconds())/n, "get-ns/op")
	b.ReportMetric(float64(listTime.Nanoseconds())/n, "list-ns/op")
	b.ReportMetric(float64(getTime)/float64(listTime), "x-list")
}
