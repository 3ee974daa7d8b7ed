package hetzner_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner/hetznertest"
)

// TestFailedCreateLeavesNothing injects a failure at every step of a
// create — each request it makes, and the create action itself — and
// checks that the create fails and leaves no server.
func TestFailedCreateLeavesNothing(t *testing.T) {
	steps := []struct {
		name  string
		route string // a failing request; "" for the failing action
	}{
		{"image", "GET /images/{id}"},
		{"server types", "GET /server_types"},
		{"key", "GET /ssh_keys"},
		{"firewall", "GET /firewalls/{id}"},
		{"create", "POST /servers"},
		{"action poll", "GET /actions"},
		{"create action", ""},
		{"final read", "GET /servers/{id}"},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			s := hetznertest.NewServer()
			defer s.Close()
			p := open(t, s, "max_retries=0")
			ctx := t.Context()
			if _, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "k"}); err != nil {
				t.Fatal(err)
			}
			fw, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "fw", Description: "d"})
			if err != nil {
				t.Fatal(err)
			}
			if st.route == "" {
				s.FailAction("create_server", 1)
			} else {
				s.Fail(st.route, "server_error", http.StatusInternalServerError, 1)
			}
			_, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, KeyName: "k", Firewalls: []string{fw.ID}})
			if err == nil {
				t.Fatal("the create succeeded")
			}
			if !errors.Is(err, deltacloud.ErrBackend) {
				t.Errorf("the create failed with %v, want ErrBackend", err)
			}
			p.Close()
			if n := len(s.Servers()); n != 0 {
				t.Errorf("%d servers left", n)
			}
		})
	}
}

// TestCancelledCreateLeavesNothing cancels a create mid-request (after the
// API received it) and mid-wait: the create answers ErrCanceled at once,
// and Close returns once the server is gone.
func TestCancelledCreateLeavesNothing(t *testing.T) {
	for _, route := range []string{"POST /servers", "GET /actions"} {
		t.Run(route, func(t *testing.T) {
			// The create action would take 5s; the clean-up's are quick.
			s := hetznertest.NewServer(hetznertest.WithActionDelay(5 * time.Second))
			defer s.Close()
			p, err := deltacloud.Open(t.Context(), "hetzner", config(s))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			s.OnRequest(route, func() {
				s.OnRequest(route, nil)
				s.SetActionDelay(20 * time.Millisecond)
				cancel()
				time.Sleep(50 * time.Millisecond) // the client gives up before the answer
			})
			start := time.Now()
			_, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu})
			if !errors.Is(err, deltacloud.ErrCanceled) {
				t.Errorf("the cancelled create = %v, want ErrCanceled", err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("the cancelled create returned after %v", d)
			}
			p.Close()
			if !slices.Contains(s.Commands(), "create_server") {
				t.Fatalf("the fake made no server: the cancellation came too early to test anything (%q)", s.Commands())
			}
			if n := len(s.Servers()); n != 0 {
				t.Errorf("%d servers left after Close", n)
			}
		})
	}
}

// TestFailedCreatesOfOtherObjects: a volume whose create action fails and
// an image whose snapshot fails are deleted again.
func TestFailedCreatesOfOtherObjects(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	ctx := t.Context()
	s.FailAction("create_volume", 1)
	if _, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{}); err == nil {
		t.Error("the volume create succeeded")
	}
	if n := len(s.Volumes()); n != 0 {
		t.Errorf("%d volumes left", n)
	}
	in := create(t, p, deltacloud.InstanceSpec{})
	s.FailAction("create_image", 1)
	if _, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: in.ID}); err == nil {
		t.Error("the image create succeeded")
	}
	for _, img := range s.Images() {
		if img.Type != "system" {
			t.Errorf("image %d left", img.ID)
		}
	}
}

// TestCancelledCreatesOfOtherObjectsLeaveNothing cuts off the create
// request of a volume, key, firewall, address and snapshot after the API
// received it (the API makes the object), and the wait for a volume's and
// a snapshot's create action: the provider deletes the object in the
// background (once its action has ended) before Close returns.
func TestCancelledCreatesOfOtherObjectsLeaveNothing(t *testing.T) {
	volume := func(ctx context.Context, p *deltacloud.Provider, _ string) error {
		_, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
		return err
	}
	image := func(ctx context.Context, p *deltacloud.Provider, in string) error {
		_, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: in})
		return err
	}
	cases := []struct {
		route  string
		create func(ctx context.Context, p *deltacloud.Provider, instance string) error
		left   func(s *hetznertest.Server) int
	}{
		{"GET /actions", volume, func(s *hetznertest.Server) int { return len(s.Volumes()) }},
		{"GET /actions", image, func(s *hetznertest.Server) int { return len(s.Images()) - 5 }},
		{"POST /volumes", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
			return err
		}, func(s *hetznertest.Server) int { return len(s.Volumes()) }},
		{"POST /ssh_keys", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "k"})
			return err
		}, func(s *hetznertest.Server) int { return len(s.Keys()) }},
		{"POST /firewalls", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "fw", Description: "d"})
			return err
		}, func(s *hetznertest.Server) int { return len(s.Firewalls()) }},
		{"POST /floating_ips", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateAddress(ctx)
			return err
		}, func(s *hetznertest.Server) int { return len(s.FloatingIPs()) }},
		{"POST /servers/{id}/actions/{action}", func(ctx context.Context, p *deltacloud.Provider, in string) error {
			_, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: in})
			return err
		}, func(s *hetznertest.Server) int { return len(s.Images()) - 5 }},
	}
	for _, c := range cases {
		t.Run(c.route, func(t *testing.T) {
			s := hetznertest.NewServer(hetznertest.WithActionDelay(100 * time.Millisecond))
			defer s.Close()
			p, err := deltacloud.Open(t.Context(), "hetzner", config(s))
			if err != nil {
				t.Fatal(err)
			}
			in := create(t, p, deltacloud.InstanceSpec{})
			ctx, cancel := context.WithCancel(t.Context())
			s.OnRequest(c.route, func() {
				s.OnRequest(c.route, nil)
				cancel()
				time.Sleep(50 * time.Millisecond)
			})
			if err := c.create(ctx, p, in.ID); !errors.Is(err, deltacloud.ErrCanceled) {
				t.Errorf("the cancelled create = %v, want ErrCanceled", err)
			}
			p.Close()
			if n := c.left(s); n != 0 {
				t.Errorf("%d left after Close", n)
			}
		})
	}
}
