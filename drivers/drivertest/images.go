package drivertest

import (
	"context"
	"errors"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// testImagesFromInstances makes an image from an instance of the suite's
// own and destroys it, where the provider supports that.
func (s *suite) testImagesFromInstances(t *testing.T) {
	p := s.open(t)
	if !p.Supports(deltacloud.CapabilityCreateImage) {
		t.Skip("the provider does not support create_image")
	}
	ctx := t.Context()
	_, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "drivertest-no-such-instance-0"})
	wantErr(t, err, deltacloud.ErrNotFound, "CreateImage from an unknown instance")
	_, err = p.CreateImage(ctx, deltacloud.ImageSpec{})
	wantErr(t, err, deltacloud.ErrInvalidArgument, "CreateImage without an instance")

	in := s.running(t, p)
	if !in.CanCreateImage {
		t.Skipf("the suite's instance %s cannot be imaged", in.ID)
	}
	spec := deltacloud.ImageSpec{InstanceID: in.ID}
	refused := map[string]deltacloud.ImageSpec{}
	if p.Features().Has(deltacloud.FeatureImageName) {
		spec.Name = uniqueName("img")
	} else {
		refused[deltacloud.FeatureImageName] = deltacloud.ImageSpec{InstanceID: in.ID, Name: uniqueName("img")}
	}
	if p.Features().Has(deltacloud.FeatureImageDescription) {
		spec.Description = "drivertest image"
	} else {
		refused[deltacloud.FeatureImageDescription] = deltacloud.ImageSpec{InstanceID: in.ID, Description: "drivertest"}
	}
	before := s.imageCount(t, p)
	for feature, sp := range refused {
		img, err := p.CreateImage(ctx, sp)
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("CreateImage with %s (not advertised) = %v, want ErrNotSupported", feature, err)
			if err == nil {
				s.destroyImage(p, img.ID)
			}
		}
	}
	if after := s.imageCount(t, p); after != before {
		t.Errorf("refused creates changed the number of images from %d to %d", before, after)
	}

	img, err := p.CreateImage(ctx, spec)
	if err != nil {
		t.Fatalf("CreateImage(%+v): %v", spec, err)
	}
	t.Cleanup(func() { s.destroyImage(p, img.ID) })
	if spec.Name != "" && img.Name != spec.Name {
		t.Errorf("image %s made from %s is named %q; the spec asked for %q (image_name is advertised)", img.ID, in.ID, img.Name, spec.Name)
	}
	if spec.Description != "" && img.Description != spec.Description {
		t.Errorf("image %s made from %s is described %q; the spec asked for %q (image_description is advertised)",
			img.ID, in.ID, img.Description, spec.Description)
	}
	got, err := p.Image(ctx, img.ID)
	if err != nil {
		t.Fatalf("Image(%q) after CreateImage: %v", img.ID, err)
	}
	if got.ID != img.ID || got.Name != img.Name {
		t.Errorf("Image(%q) is %q named %q; CreateImage returned %q named %q", img.ID, got.ID, got.Name, img.ID, img.Name)
	}

	if !p.Supports(deltacloud.CapabilityDestroyImage) {
		return
	}
	if err := p.DestroyImage(ctx, img.ID); err != nil {
		t.Fatalf("DestroyImage(%q): %v", img.ID, err)
	}
	s.waitGone(t, "image "+img.ID, func(ctx context.Context) error { _, err := p.Image(ctx, img.ID); return err })
}

// destroyImage deletes an image after the test where the provider can,
// ignoring errors.
func (s *suite) destroyImage(p *deltacloud.Provider, id string) {
	if !p.Supports(deltacloud.CapabilityDestroyImage) {
		return
	}
	ctx, cancel := s.cleanupCtx()
	defer cancel()
	p.DestroyImage(ctx, id)
}

func (s *suite) imageCount(t *testing.T, p *deltacloud.Provider) int {
	t.Helper()
	imgs, err := p.Images(t.Context(), deltacloud.ImageFilter{})
	if err != nil {
		t.Fatalf("Images: %v", err)
	}
	return len(imgs)
}
