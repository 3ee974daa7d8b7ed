package vsphere_test

import (
	"context"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/view"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

func TestConformance(t *testing.T) {
	s := newSim(t, nil)
	before := s.vms(t)
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "vsphere", s.configWire())
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			cfg := s.config()
			cfg.Credentials.Password = "wrong-password"
			return deltacloud.Open(ctx, "vsphere", cfg)
		},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			s.wire.stall(regexp.MustCompile(`.`), nil)
			t.Cleanup(func() { s.wire.stall(nil, nil) })
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			s.wire.stall(regexp.MustCompile(`^(PowerOnVM_Task|PowerOffVM_Task|ShutdownGuest|RebootGuest|ResetVM_Task|SuspendVM_Task)$`), nil)
			return func() { s.wire.stall(nil, nil) }
		},
		WaitTimeout:  30 * time.Second,
		VolumeDevice: "scsi0:3",
		ProfileFigures: func(ctx context.Context, t *testing.T) map[string]drivertest.ProfileFigure {
			return hostFigures(ctx, t, s)
		},
	})
	after := s.vms(t)
	slices.Sort(before)
	slices.Sort(after)
	if d := cmp.Diff(before, after); d != "" {
		t.Errorf("VMs left after the suite (-before +after):\n%s", d)
	}
	if disks := s.disks(t); len(disks) > 0 {
		t.Errorf("disks left after the suite: %q", disks)
	}
}

// hostFigures are the largest host's figures as the simulator states
// them, read with the raw client: logical CPUs, and memory in MiB rounded
// down to the 4 MiB vSphere sizes VM memory in.
func hostFigures(ctx context.Context, t *testing.T, s *sim) map[string]drivertest.ProfileFigure {
	t.Helper()
	v, err := view.NewManager(s.client).CreateContainerView(ctx, s.client.ServiceContent.RootFolder, []string{"HostSystem"}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Destroy(ctx)
	var hosts []mo.HostSystem
	if err := v.Retrieve(ctx, []string{"HostSystem"}, []string{"summary.hardware"}, &hosts); err != nil {
		t.Fatal(err)
	}
	var cpu, mem int
	for _, h := range hosts {
		cpu = max(cpu, int(h.Summary.Hardware.NumCpuThreads))
		mem = max(mem, int(h.Summary.Hardware.MemorySize>>20)/4*4)
	}
	return map[string]drivertest.ProfileFigure{
		"custom": {CPU: cpu, Memory: strconv.Itoa(mem), MemoryUnit: deltacloud.MiB},
	}
}

func vimRef(kind, id string) types.ManagedObjectReference {
	return types.ManagedObjectReference{Type: kind, Value: id}
}
