package api

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestLaunchFormArchitectureChoice checks that a profile whose architecture
// is a choice (EC2's types that run i386 and x86_64) offers only the
// image's architecture, the one value the create accepts for that image.
func TestLaunchFormArchitectureChoice(t *testing.T) {
	both := deltacloud.HardwareProfile{ID: "t2.micro", Properties: []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "1"),
		deltacloud.EnumProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "i386", "i386", "x86_64"),
	}}
	tests := []struct {
		arch       string
		wantValue  string
		wantValues []string
	}{
		{"x86_64", "x86_64", []string{"x86_64"}},
		{"i386", "i386", []string{"i386"}},
		{"", "i386", []string{"i386", "x86_64"}}, // the image does not say: every choice
	}
	for _, tt := range tests {
		f := launchForm{Image: deltacloud.Image{ID: "ami-1", Architecture: tt.arch}, Profiles: []deltacloud.HardwareProfile{both}}
		if err := f.choose(""); err != nil {
			t.Fatal(err)
		}
		var got *propertyField
		for i := range f.Properties {
			if f.Properties[i].Name == deltacloud.PropertyArchitecture {
				got = &f.Properties[i]
			}
		}
		if got == nil {
			t.Fatalf("image %q: no architecture field in %+v", tt.arch, f.Properties)
		}
		if d := cmp.Diff(tt.wantValues, got.Values); d != "" || got.Value != tt.wantValue {
			t.Errorf("image %q: value %q, want %q; choices (-want +got):\n%s", tt.arch, got.Value, tt.wantValue, d)
		}
		// Whatever the form posts, the create accepts for this image.
		for _, v := range got.Values {
			if err := both.RunsImage(f.Image, map[string]string{deltacloud.PropertyArchitecture: v}); err != nil {
				t.Errorf("image %q: the form offers %s, which the create refuses: %v", tt.arch, v, err)
			}
		}
	}
}
