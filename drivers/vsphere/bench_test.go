package vsphere_test

import (
	"context"
	"testing"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

// BenchmarkList1000 lists 1,000 owned VMs of the simulator through
// Provider.Instances, against the raw govmomi retrieval of the same
// properties (a container view made, read and destroyed, as the driver
// does) in the same run: "x-raw" is the driver's time over the raw time.
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
	vms := rawList(ctx, b, s)
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
	b.ReportAllocs()
	var rawTime time.Duration
	for b.Loop() {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(ins) != n {
			b.Fatalf("listing: %d instances, %v", len(ins), err)
		}
		b.StopTimer()
		start := time.Now()
		if got := rawList(ctx, b, s); len(got) != n+1 {
			b.Fatalf("raw listing: %d VMs", len(got))
		}
		rawTime += time.Since(start)
		b.StartTimer()
	}
	b.ReportMetric(float64(rawTime.Nanoseconds())/float64(b.N), "raw-ns/op")
	b.ReportMetric(float64(b.Elapsed())/float64(rawTime), "x-raw")
}

// rawList reads the properties the driver reads of every VM, with govmomi
// alone.
func rawList(ctx context.Context, b *testing.B, s *sim) []mo.VirtualMachine {
	v, err := view.NewManager(s.client).CreateContainerView(ctx, s.client.ServiceContent.RootFolder, []string{"VirtualMachine"}, true)
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
