package azure_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// BenchmarkListInstances lists 1,000 VMs through the driver against the raw
// SDK pagers on the same fake, in the same run, with the same *Client
// values (Provider.As). A driver listing is four paged listings joined (VMs,
// their statuses, interfaces, public IPs); "x-raw" is its time over the
// same four pagers driven directly, "x-vm-pager" over the VM pager alone
// (which lacks the power states and addresses).
func BenchmarkListInstances(b *testing.B) {
	const n = 1000
	s := azuretest.New()
	s.SetLROSteps(0)
	s.SetPageSize(250)
	ctx := b.Context()
	p, err := deltacloud.Open(ctx, "azure", s.Config())
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	for i := range n {
		if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Name: "bench-" + strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
	var compute *armcompute.ClientFactory
	var network *armnetwork.ClientFactory
	if !p.As(&compute) || !p.As(&network) {
		b.Fatal("As failed")
	}
	vms, nics, ips := compute.NewVirtualMachinesClient(), network.NewInterfacesClient(), network.NewPublicIPAddressesClient()
	vmPager := func() int {
		count := 0
		pg := vms.NewListPager(azuretest.ResourceGroup, nil)
		for pg.More() {
			page, err := pg.NextPage(ctx)
			if err != nil {
				b.Fatal(err)
			}
			count += len(page.Value)
		}
		return count
	}
	raw := func() int {
		count := vmPager()
		spg := vms.NewListAllPager(&armcompute.VirtualMachinesClientListAllOptions{StatusOnly: to.Ptr("true")})
		for spg.More() {
			if _, err := spg.NextPage(ctx); err != nil {
				b.Fatal(err)
			}
		}
		npg := nics.NewListPager(azuretest.ResourceGroup, nil)
		for npg.More() {
			if _, err := npg.NextPage(ctx); err != nil {
				b.Fatal(err)
			}
		}
		ipg := ips.NewListPager(azuretest.ResourceGroup, nil)
		for ipg.More() {
			if _, err := ipg.NextPage(ctx); err != nil {
				b.Fatal(err)
			}
		}
		return count
	}
	if got := raw(); got != n {
		b.Fatalf("raw listing found %d VMs, want %d", got, n)
	}
	// Driver and raw listings alternate, so both see the same heap and
	// caches; only the driver's part is timed as ns/op.
	b.ReportAllocs()
	var rawTime, vmTime time.Duration
	for b.Loop() {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != n {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
		b.StopTimer()
		start := time.Now()
		raw()
		rawTime += time.Since(start)
		start = time.Now()
		vmPager()
		vmTime += time.Since(start)
		b.StartTimer()
	}
	driver := b.Elapsed()
	b.ReportMetric(float64(rawTime.Nanoseconds())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(driver)/float64(rawTime), "x-raw")
	b.ReportMetric(float64(driver)/float64(vmTime), "x-vm-pager")
}
