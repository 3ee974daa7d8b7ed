package hetzner_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
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

// cutOff makes the client give up the next request of route after the API
// received it: the request's hook runs cancel (which ends the client's
// context) and waits until the client has given up; only then does the
// fake deal with the request, and its answer reaches no one. With a lookup
// route, the API makes the object a moment later still: once the client's
// clean-up has looked for it (the first request of lookup) and found
// nothing; the clean-up's next look-up waits until the object is made.
// dealt, after Close, waits until the fake has dealt with the request (at
// once if the clean-up did not look twice).
func cutOff(t *testing.T, s *hetznertest.Server, route, lookup string, cancel func()) (dealt func()) {
	lookedUp, made := make(chan struct{}), make(chan struct{})
	release := sync.OnceFunc(func() { close(lookedUp) })
	if lookup == "" {
		release()
	}
	var cut atomic.Pointer[http.Request]
	s.OnRequest(route, func(r *http.Request) {
		s.OnRequest(route, nil)
		cut.Store(r)
		cancel()
		if givenUp(t, r) {
			<-lookedUp
		}
	})
	s.OnAnswer(route, func(r *http.Request) {
		if r == cut.Load() {
			s.OnAnswer(route, nil)
			close(made)
		}
	})
	if lookup != "" {
		var n atomic.Int32
		s.OnRequest(lookup, func(*http.Request) {
			if n.Add(1) == 2 { // the first look-up found nothing
				release()
				<-made
			}
		})
	}
	return func() {
		release()
		select {
		case <-made:
		case <-time.After(time.Minute):
			t.Fatalf("the fake did not deal with the cut-off %s within a minute", route)
		}
	}
}

// givenUp waits, in an OnRequest hook, until the client has given the
// request up (its context ended and the connection closed), and reports
// whether it has.
func givenUp(t *testing.T, r *http.Request) bool {
	select {
	case <-r.Context().Done():
		return true
	case <-time.After(time.Minute):
		t.Errorf("%s %s: the client kept waiting for the answer a minute after its context was cancelled", r.Method, r.URL.Path)
		return false
	}
}

// TestCancelledCreateLeavesNothing cancels a create mid-request (after the
// API received it; the server appears after the first look-up of its name)
// and mid-wait: the create answers ErrCanceled at once, and Close returns
// once the server is gone.
func TestCancelledCreateLeavesNothing(t *testing.T) {
	for _, c := range []struct{ route, lookup string }{{"POST /servers", "GET /servers"}, {"GET /actions", ""}} {
		t.Run(c.route, func(t *testing.T) {
			// The create action would take 5s; the clean-up's are quick.
			s := hetznertest.NewServer(hetznertest.WithActionDelay(5 * time.Second))
			defer s.Close()
			p, err := deltacloud.Open(t.Context(), "hetzner", config(s))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(t.Context())
			dealt := cutOff(t, s, c.route, c.lookup, func() {
				s.SetActionDelay(20 * time.Millisecond)
				cancel()
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
			dealt()
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
// received it (the API makes the object after the first look-up for it),
// and the wait for a volume's and a snapshot's create action: the provider
// deletes the object in the background (once its action has ended) before
// Close returns.
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
		route, lookup string
		create        func(ctx context.Context, p *deltacloud.Provider, instance string) error
		left          func(s *hetznertest.Server) int
	}{
		{"GET /actions", "", volume, func(s *hetznertest.Server) int { return len(s.Volumes()) }},
		{"GET /actions", "", image, func(s *hetznertest.Server) int { return len(s.Images()) - 5 }},
		{"POST /volumes", "GET /volumes", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
			return err
		}, func(s *hetznertest.Server) int { return len(s.Volumes()) }},
		{"POST /ssh_keys", "GET /ssh_keys", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "k"})
			return err
		}, func(s *hetznertest.Server) int { return len(s.Keys()) }},
		{"POST /firewalls", "GET /firewalls", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "fw", Description: "d"})
			return err
		}, func(s *hetznertest.Server) int { return len(s.Firewalls()) }},
		{"POST /floating_ips", "GET /floating_ips", func(ctx context.Context, p *deltacloud.Provider, _ string) error {
			_, err := p.CreateAddress(ctx)
			return err
		}, func(s *hetznertest.Server) int { return len(s.FloatingIPs()) }},
		{"POST /servers/{id}/actions/{action}", "GET /images", func(ctx context.Context, p *deltacloud.Provider, in string) error {
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
			dealt := cutOff(t, s, c.route, c.lookup, cancel)
			if err := c.create(ctx, p, in.ID); !errors.Is(err, deltacloud.ErrCanceled) {
				t.Errorf("the cancelled create = %v, want ErrCanceled", err)
			}
			p.Close()
			dealt()
			if n := c.left(s); n != 0 {
				t.Errorf("%d left after Close", n)
			}
		})
	}
}
