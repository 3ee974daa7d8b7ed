package vsphere_test

import (
	"context"
	"testing"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

// BenchmarkList1000 lists 1,000 owned VMs of the simulator through
// Provider.Instances, against the raw govmomi retrieval of the same
// properties (a container view made, read and destroyed, as the driver
// does) in the same run: "x-raw" is the driver's time over the raw time.
// The properties include each VM's devices, where attached volumes show,
// which makes up most of the time of both.
func BenchmarkList1000(b *testing.B) {
	const n = 1000
	// Two compute resources (a cluster and a host) with 500 VMs each, less
	// the one the simulator helper makes a template, plus one more below.
	s := newSim(b, func(m *simulator.Model) { m.Machine = n / 2 })
	ctx := b.Context()
	p := s.open(b, s.config())
	// The owner attribute on every VM but the template, as the driver's
	// creates leave it.
	cfm := object.NewCustomFieldsManager(s.client)
	def, err := cfm.Add(ctx, vsphere.FieldOwner, "VirtualMachine", nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	vms := rawList(ctx, b, s.client, s.client.ServiceContent.RootFolder)
	owned := 0
	for _, vm := range vms {
		if vm.Config != nil && vm.Config.Template {
			continue
		}
		if err := cfm.Set(ctx, vm.Self, def.Key, vsphere.DefaultOwner); err != nil {
			b.Fatal(err)
		}
		owned++
	}
	if owned != n-1 {
		b.Fatalf("%d VMs to list, want %d", owned, n-1)
	}
	if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: s.template}); err != nil {
		b.Fatal(err)
	}
	list := func() {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != n {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
	}
	// The raw listing uses the driver's own client, so both go over the
	// same connection and session.
	var vc *vim25.Client
	if !p.As(&vc) {
		b.Fatal("As(**vim25.Client) failed")
	}
	// Below the datacenter's VM folder, as the driver lists.
	dc, err := find.NewFinder(vc).DefaultDatacenter(ctx)
	if err != nil {
		b.Fatal(err)
	}
	folders, err := dc.Folders(ctx)
	if err != nil {
		b.Fatal(err)
	}
	raw := func() {
		if got := rawList(ctx, b, vc, folders.VmFolder.Reference()); len(got) != n+1 {
			b.Fatalf("raw listing: %d VMs", len(got))
		}
	}
	// Both are timed by hand, in alternating order, so that neither pays
	// for the other's garbage more often; ns/op is the driver's listing
	// with the raw one beside it.
	b.ReportAllocs()
	var driverTime, rawTime time.Duration
	i := 0
	for b.Loop() {
		first, second, firstTime, secondTime := list, raw, &driverTime, &rawTime
		if i%2 == 1 {
			first, second, firstTime, secondTime = raw, list, &rawTime, &driverTime
		}
		i++
		start := time.Now()
		first()
		*firstTime += time.Since(start)
		start = time.Now()
		second()
		*secondTime += time.Since(start)
	}
	b.ReportMetric(float64(driverTime.Nanoseconds())/float64(b.N), "driver-ns/op")
	b.ReportMetric(float64(rawTime.Nanoseconds())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(driverTime)/float64(rawTime), "x-raw")
}

// rawList reads the properties the driver reads of every VM below root,
// with govmomi alone.
func rawList(ctx context.Context, b *testing.B, c *vim25.Client, root types.ManagedObjectReference) []mo.VirtualMachine {
	v, err := view.NewManager(c).CreateContainerView(ctx, root, []string{"VirtualMachine"}, true)
	if err != nil {
		b.Fatal(err)
	}
	defer v.Destroy(ctx)
	var vms []mo.VirtualMachine
	if err := v.Retrieve(ctx, []string{"VirtualMachine"}, vsphere.VMProps, &vms); err != nil {
		b.Fatal(err)
	}
	return vms
}
