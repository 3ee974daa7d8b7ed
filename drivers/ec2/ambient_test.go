package ec2_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/ambienttest"
)

// TestNoAmbientCredentials: with Config.NoAmbientCredentials and no
// credentials, nothing is sent anywhere: calls that need AWS fail with
// ErrAuthFailure and hardware profiles come from the built-in catalogue.
func TestNoAmbientCredentials(t *testing.T) {
	cloud, metadata := ambienttest.AWS(t)
	cloudURL := cloud.URL
	seen := func() []string { return append(cloud.Seen(), metadata.Seen()...) }
	opts := map[string]string{"endpoint": cloudURL, "s3_endpoint": cloudURL, "s3_path_style": "true",
		"cloudwatch_endpoint": cloudURL, "max_attempts": "1"}
	open := func(t *testing.T, noAmbient bool) *deltacloud.Provider {
		p, err := deltacloud.Open(t.Context(), "ec2", deltacloud.Config{Provider: "us-east-1",
			Options: opts, NoAmbientCredentials: noAmbient})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { p.Close() })
		return p
	}

	t.Run("control: without the flag the host's identity signs", func(t *testing.T) {
		p := open(t, false)
		p.Realms(t.Context())
		got := seen()
		if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), ambienttest.AWSAccessKey) {
			t.Fatalf("the stand-in saw %q; want a request signed with the host's key (else this test proves nothing)", got)
		}
	})
	before := len(seen())

	p := open(t, true)
	ctx := t.Context()
	calls := map[string]func() error{
		"Realms":    func() error { _, err := p.Realms(ctx); return err },
		"Images":    func() error { _, err := p.Images(ctx, deltacloud.ImageFilter{}); return err },
		"Instances": func() error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err },
		"CreateInstance": func() error {
			_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-12345678", ProfileID: "t2.micro"})
			return err
		},
		"Buckets": func() error { _, err := p.Buckets(ctx); return err },
		"Keys":    func() error { _, err := p.Keys(ctx); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, deltacloud.ErrAuthFailure) {
			t.Errorf("%s: err = %v, want ErrAuthFailure", name, err)
		}
	}
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil || len(hs) == 0 {
		t.Fatalf("HardwareProfiles = %d profiles, %v; want the built-in catalogue", len(hs), err)
	}
	h, err := p.HardwareProfile(ctx, "t2.micro")
	if err != nil {
		t.Fatalf("HardwareProfile(t2.micro): %v", err)
	}
	if mem := h.Value(deltacloud.PropertyMemory); mem != "1024" {
		t.Errorf("t2.micro memory = %q, want 1024 MiB", mem)
	}
	if got := seen()[before:]; len(got) != 0 {
		t.Errorf("an anonymous provider reached the network:\n%s", strings.Join(got, "\n"))
	}
}

// TestCatalogue: the built-in profiles are valid, unique and fixed.
func TestCatalogue(t *testing.T) {
	p, err := deltacloud.Open(t.Context(), "ec2", deltacloud.Config{NoAmbientCredentials: true,
		Options: map[string]string{"endpoint": "http://127.0.0.1:1"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	hs, err := p.HardwareProfiles(t.Context(), deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, h := range hs {
		if seen[h.ID] {
			t.Errorf("%s listed twice", h.ID)
		}
		seen[h.ID] = true
		if err := h.Validate(); err != nil {
			t.Errorf("%s: %v", h.ID, err)
		}
		for _, name := range []string{deltacloud.PropertyCPU, deltacloud.PropertyMemory, deltacloud.PropertyArchitecture} {
			if h.Value(name) == "" {
				t.Errorf("%s has no %s", h.ID, name)
			}
		}
	}
	x86, err := p.HardwareProfiles(t.Context(), deltacloud.HardwareProfileFilter{Architecture: "x86_64"})
	if err != nil || len(x86) == 0 || len(x86) == len(hs) {
		t.Errorf("architecture=x86_64 kept %d of %d profiles (%v); want some, not all", len(x86), len(hs), err)
	}
}
