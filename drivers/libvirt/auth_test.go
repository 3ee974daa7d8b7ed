package libvirt_test

import (
	"errors"
	"net"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// countingSocket is a unix socket that counts the connections made to it
// and closes them: a stand-in for a daemon that must never be contacted.
func countingSocket(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s.sock")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var n atomic.Int32
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			n.Add(1)
			c.Close()
		}
	}()
	return path, &n
}

// TestCredentialsRefused: a server's anonymous request, a wrong password
// and credentials without the operator's options are ErrAuthFailure for
// every call that needs the daemon, and nothing is contacted; the error
// does not hold a password.
func TestCredentialsRefused(t *testing.T) {
	sock, dialled := countingSocket(t)
	operator := map[string]string{"user": testUser, "password": testPassword}
	cases := []struct {
		name    string
		creds   deltacloud.Credentials
		options map[string]string
	}{
		{"anonymous", deltacloud.Credentials{}, operator},
		{"wrong password", deltacloud.Credentials{User: testUser, Password: "guess-Pa55"}, operator},
		{"wrong user", deltacloud.Credentials{User: "someone", Password: testPassword}, operator},
		{"password prefix", deltacloud.Credentials{User: testUser, Password: testPassword[:5]}, operator},
		{"no operator options", deltacloud.Credentials{User: testUser, Password: testPassword}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ctx := t.Context()
			p, err := deltacloud.Open(ctx, "libvirt", deltacloud.Config{
				Provider: "qemu:///system?socket=" + sock, Credentials: c.creds, NoAmbientCredentials: true, Options: c.options,
			})
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer p.Close()
			calls := map[string]func() error{
				"Ping":      func() error { return p.Ping(ctx) },
				"Realms":    func() error { _, err := p.Realms(ctx); return err },
				"Instances": func() error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err },
				"Images":    func() error { _, err := p.Images(ctx, deltacloud.ImageFilter{}); return err },
				"Create": func() error {
					_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "tiny.raw"})
					return err
				},
				"Destroy":        func() error { return p.Destroy(ctx, "00000000-0000-0000-0000-000000000000") },
				"StorageVolumes": func() error { _, err := p.StorageVolumes(ctx); return err },
			}
			for name, call := range calls {
				err := call()
				if !errors.Is(err, deltacloud.ErrAuthFailure) {
					t.Errorf("%s = %v, want ErrAuthFailure", name, err)
				} else if msg := err.Error(); strings.Contains(msg, testPassword) || (c.creds.Password != "" && strings.Contains(msg, c.creds.Password)) {
					t.Errorf("%s: the error shows a password: %s", name, msg)
				}
			}
			if n := dialled.Load(); n != 0 {
				t.Errorf("the daemon's socket was contacted %d times", n)
			}
		})
	}
}

// TestCredentialsAccepted: the operator's credentials, and a program's own
// provider without credentials and without NoAmbientCredentials, reach the
// daemon.
func TestCredentialsAccepted(t *testing.T) {
	d := daemon(t)
	cases := []struct {
		name string
		cfg  deltacloud.Config
	}{
		{"operator's credentials", qemuConfig(d)},
		{"program without credentials", deltacloud.Config{Provider: d.URI("qemu")}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := deltacloud.Open(t.Context(), "libvirt", c.cfg)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer p.Close()
			if err := p.Ping(t.Context()); err != nil {
				t.Errorf("Ping: %v", err)
			}
			if _, err := p.Instances(t.Context(), deltacloud.InstanceFilter{}); err != nil {
				t.Errorf("Instances: %v", err)
			}
		})
	}
}
