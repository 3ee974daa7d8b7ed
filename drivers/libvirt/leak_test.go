package libvirt_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt/libvirttest"
)

// inventory is every domain and every volume of the pool, read with plain
// go-libvirt calls, not through the driver.
func inventory(t *testing.T, d *libvirttest.Daemon) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	lv, err := d.Connect(ctx, "qemu")
	if err != nil {
		t.Fatalf("connecting: %v", err)
	}
	defer lv.Disconnect()
	doms, _, err := lv.ConnectListAllDomains(1, 0)
	if err != nil {
		t.Fatalf("listing domains: %v", err)
	}
	var out []string
	for _, dom := range doms {
		out = append(out, "domain "+dom.Name)
	}
	p, err := lv.StoragePoolLookupByName(libvirttest.Pool)
	if err != nil {
		t.Fatalf("pool: %v", err)
	}
	vols, _, err := lv.StoragePoolListAllVolumes(p, 1, 0)
	if err != nil {
		t.Fatalf("listing volumes: %v", err)
	}
	for _, v := range vols {
		out = append(out, "volume "+v.Name)
	}
	slices.Sort(out)
	return out
}

var errInjected = errors.New("injected failure")

// TestCreateLeavesNothing fails, then cancels, a create at each of its
// steps, and checks that no domain or volume is left behind; a real
// failure of the daemon (a network that does not exist, refused at start)
// is cleaned up the same way.
func TestCreateLeavesNothing(t *testing.T) {
	d := daemon(t)
	before := inventory(t, d)
	spec := deltacloud.InstanceSpec{ImageID: libvirttest.Image, Name: "leak", UserData: []byte("#cloud-config\n{}\n")}
	type mode struct {
		name string
		hook func(cancel context.CancelFunc) error
		want error
	}
	modes := []mode{
		{"fail", func(context.CancelFunc) error { return errInjected }, errInjected},
		{"cancel", func(cancel context.CancelFunc) error { cancel(); return nil }, context.Canceled},
	}
	for _, step := range libvirt.CreateSteps {
		for _, m := range modes {
			t.Run(m.name+"@"+step, func(t *testing.T) {
				ctx, cancel := context.WithCancel(t.Context())
				defer cancel()
				p, err := libvirt.OpenHooked(ctx, qemuConfig(d), libvirt.Hooks{Step: func(_ context.Context, s string) error {
					if s == step {
						return m.hook(cancel)
					}
					return nil
				}})
				if err != nil {
					t.Fatalf("Open: %v", err)
				}
				_, err = p.CreateInstance(ctx, spec)
				if !errors.Is(err, m.want) {
					t.Errorf("create = %v, want %v", err, m.want)
				}
				p.Close() // waits for a background clean-up
				if d := cmp.Diff(before, inventory(t, d)); d != "" {
					t.Errorf("left behind (-before +after):\n%s", d)
				}
			})
		}
	}
	t.Run("daemon refuses start", func(t *testing.T) {
		p := openQEMU(t, "network", "no-such-network")
		_, err := p.CreateInstance(t.Context(), spec)
		if err == nil {
			t.Fatal("create on a missing network succeeded")
		}
		if d := cmp.Diff(before, inventory(t, d)); d != "" {
			t.Errorf("left behind (-before +after):\n%s", d)
		}
	})
}

// TestDestroyLeavesNothing: destroying an instance with a seed removes its
// domain, overlay and seed.
func TestDestroyLeavesNothing(t *testing.T) {
	d := daemon(t)
	before := inventory(t, d)
	p := openQEMU(t)
	in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: libvirttest.Image, UserData: []byte("x")})
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	if got := len(inventory(t, d)) - len(before); got != 3 {
		t.Errorf("create added %d domains and volumes, want 3 (domain, overlay, seed)", got)
	}
	if err := p.Destroy(t.Context(), in.ID); err != nil {
		t.Fatalf("Destroy: %v", err)
	}
	if d := cmp.Diff(before, inventory(t, d)); d != "" {
		t.Errorf("left behind (-before +after):\n%s", d)
	}
}
