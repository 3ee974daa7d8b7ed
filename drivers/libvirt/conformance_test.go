package libvirt_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt"
)

// TestConformance runs the suite against the daemon's QEMU driver: real
// domains under TCG (or KVM), booting the test's own image, which halts in
// its boot sector.
func TestConformance(t *testing.T) {
	d := daemon(t)
	var slow slowDaemon
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return libvirt.OpenHooked(ctx, qemuConfig(d), libvirt.Hooks{WrapConn: slow.wrap})
		},
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			slow.slow.Store(true)
			t.Cleanup(func() { slow.slow.Store(false) })
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			cfg := qemuConfig(d)
			cfg.Credentials.Password = "wrong-password"
			return deltacloud.Open(ctx, "libvirt", cfg)
		},
		Spec:         deltacloud.InstanceSpec{UserData: []byte("#cloud-config\n{}\n")},
		WaitTimeout:  time.Minute,
		VolumeDevice: "/dev/sdf",
		ProfileFigures: func(ctx context.Context, t *testing.T) map[string]drivertest.ProfileFigure {
			lv, err := d.Connect(ctx, "qemu")
			if err != nil {
				t.Fatalf("connecting: %v", err)
			}
			defer lv.Disconnect()
			_, memKiB, cpus, _, _, _, _, _, err := lv.NodeGetInfo()
			if err != nil {
				t.Fatalf("NodeGetInfo: %v", err)
			}
			return map[string]drivertest.ProfileFigure{"host": {
				CPU: int(cpus), Memory: strconv.FormatUint(memKiB, 10), MemoryUnit: deltacloud.KiB,
			}}
		},
	})
}
