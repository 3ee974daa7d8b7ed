package vsphere_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/ambienttest"
)

// TestNoAmbientCredentials: with NoAmbientCredentials and no credentials
// the driver never logs in with the provider URL's user information (the
// operator's), and contacts nothing.
func TestNoAmbientCredentials(t *testing.T) {
	vc := ambienttest.NewStandIn(t, "vcenter")
	u, _ := url.Parse(vc.URL)
	u.User = url.UserPassword("operator", "operator-secret")
	u.Path = "/sdk"
	p, err := deltacloud.Open(t.Context(), "vsphere", deltacloud.Config{Provider: u.String(), NoAmbientCredentials: true})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := t.Context()
	calls := map[string]func() error{
		"Ping":      func() error { return p.Ping(ctx) },
		"Realms":    func() error { _, err := p.Realms(ctx); return err },
		"Instances": func() error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err },
		"Images":    func() error { _, err := p.Images(ctx, deltacloud.ImageFilter{}); return err },
		"HardwareProfiles": func() error {
			_, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
			return err
		},
		"CreateInstance": func() error { _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "vm-1"}); return err },
		"Stop":           func() error { _, err := p.Stop(ctx, "vm-1"); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, deltacloud.ErrAuthFailure) {
			t.Errorf("%s = %v, want ErrAuthFailure", name, err)
		}
	}
	if seen := vc.Seen(); len(seen) > 0 {
		t.Errorf("the driver contacted vCenter: %q", seen)
	}
}

// TestProviderUserinfo: without the flag, empty credentials mean the
// provider URL's user information (an operator's configuration).
func TestProviderUserinfo(t *testing.T) {
	s := newSim(t, nil)
	u, _ := url.Parse(s.url)
	u.User = url.UserPassword(s.user, s.password)
	p := s.open(t, deltacloud.Config{Provider: u.String(), Options: map[string]string{"insecure": "true"}})
	if err := p.Ping(t.Context()); err != nil {
		t.Fatalf("Ping with the URL's user information: %v", err)
	}
	if _, err := p.Realms(t.Context()); err != nil {
		t.Fatal(err)
	}
}

// TestTLSIsChecked: without insecure, vCenter's self-signed certificate is
// refused.
func TestTLSIsChecked(t *testing.T) {
	s := newSim(t, nil)
	cfg := s.config()
	delete(cfg.Options, "insecure")
	p := s.open(t, cfg)
	err := p.Ping(t.Context())
	if !errors.Is(err, deltacloud.ErrUnavailable) || !strings.Contains(err.Error(), "insecure") {
		t.Fatalf("Ping with an untrusted certificate = %v, want ErrUnavailable naming the insecure option", err)
	}
}
