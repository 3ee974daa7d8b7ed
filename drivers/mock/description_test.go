package mock_test

import (
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestDescriptionsKept: the mock advertises image_description and
// volume_description and keeps the description given on create, also
// across a restart on storage.
func TestDescriptionsKept(t *testing.T) {
	opts := map[string]string{"storage": t.TempDir()}
	p := openRaw(t, opts)
	ctx := t.Context()
	for _, f := range []deltacloud.FeatureName{deltacloud.FeatureImageDescription, deltacloud.FeatureVolumeDescription} {
		if !p.Features().Has(f) {
			t.Errorf("%s is not advertised", f)
		}
	}
	img := must(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst1", Name: "described", Description: "my image"}))(t)
	vol := must(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "v", Description: "my volume"}))(t)
	check := func(p *deltacloud.Provider, how string) {
		t.Helper()
		if got := must(p.Image(ctx, img.ID))(t).Description; got != "my image" {
			t.Errorf("%s: image description %q, want %q", how, got, "my image")
		}
		if got := must(p.StorageVolume(ctx, vol.ID))(t).Description; got != "my volume" {
			t.Errorf("%s: volume description %q, want %q", how, got, "my volume")
		}
	}
	check(p, "created")
	p.Close()
	p = openRaw(t, opts)
	defer p.Close()
	check(p, "after a restart")
}
