package libvirt_test

import (
	"context"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/libvirt"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt/libvirttest"
)

// The tests share one private libvirtd (libvirttest), started by the first
// test that needs it and stopped by TestMain.
func TestMain(m *testing.M) {
	code := m.Run()
	if err := libvirttest.StopShared(); err != nil {
		println("stopping libvirtd:", err.Error())
	}
	os.Exit(code)
}

// The operator's credentials the tests configure.
const (
	testUser     = "operator"
	testPassword = "s3cret-Passw0rd"
)

var prepared struct {
	once sync.Once
	err  error
}

// daemon returns the shared daemon with its pool and image prepared.
func daemon(t testing.TB) *libvirttest.Daemon {
	t.Helper()
	d := libvirttest.Shared(t)
	prepared.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		prepared.err = d.Prepare(ctx)
	})
	if prepared.err != nil {
		t.Fatalf("preparing the daemon: %v", prepared.err)
	}
	return d
}

// qemuConfig is a provider of the daemon's QEMU driver with the operator's
// credentials; options add to (or replace) the defaults.
func qemuConfig(d *libvirttest.Daemon, options ...string) deltacloud.Config {
	opts := map[string]string{"user": testUser, "password": testPassword, "shutdown_timeout": "1s", "memory": "64", "network": "none"}
	for i := 0; i+1 < len(options); i += 2 {
		opts[options[i]] = options[i+1]
	}
	return deltacloud.Config{
		Provider:             d.URI("qemu"),
		Credentials:          deltacloud.Credentials{User: testUser, Password: testPassword},
		NoAmbientCredentials: true,
		Options:              opts,
	}
}

// openQEMU opens a provider of the daemon's QEMU driver, closed when the
// test ends.
func openQEMU(t testing.TB, options ...string) *deltacloud.Provider {
	t.Helper()
	d := daemon(t)
	p, err := deltacloud.Open(context.Background(), "libvirt", qemuConfig(d, options...))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
