package deltacloud_test

import (
	"testing"

	dc "github.com/deltacloud-go/deltacloud"
)

func TestHardwareProfileRunsImage(t *testing.T) {
	x86 := dc.Image{ID: "img1", Architecture: "x86_64"}
	i386 := dc.Image{ID: "img2", Architecture: "i386"}
	anyArch := dc.Image{ID: "img0"}
	listed := dc.Image{ID: "img4", Architecture: "x86_64", HardwareProfiles: []string{"m1-xlarge"}}
	both := dc.HardwareProfile{ID: "t2.micro", Properties: []dc.Property{
		dc.EnumProperty(dc.PropertyArchitecture, dc.UnitLabel, "i386", "i386", "x86_64"),
	}}
	noArch := dc.HardwareProfile{ID: "bare", Properties: []dc.Property{dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "1")}}
	tests := []struct {
		name      string
		h         dc.HardwareProfile
		img       dc.Image
		overrides map[string]string
		wantErr   string // "" means it runs
	}{
		{"same architecture", m1Large, x86, nil, ""},
		{"fixed architecture differs", m1Small, x86, nil, "image img1 is x86_64, but hardware profile m1-small is i386"},
		{"fixed architecture differs the other way", m1Large, i386, nil, "image img2 is i386, but hardware profile m1-large is x86_64"},
		{"enum allows the image's", both, x86, nil, ""},
		{"enum override is the image's", both, x86, map[string]string{"architecture": "x86_64"}, ""},
		{"enum override is not the image's", both, x86, map[string]string{"architecture": "i386"}, "image img1 is x86_64, but the architecture asked for is i386"},
		{"enum without it", both, dc.Image{ID: "arm", Architecture: "arm64"}, nil, "image arm is arm64, but hardware profile t2.micro is one of i386, x86_64"},
		{"opaque runs anything", opaqueProfile, x86, nil, ""},
		{"opaque with an override against the image", opaqueProfile, x86, map[string]string{"architecture": "i386"}, "the architecture asked for is i386"},
		{"profile without architecture", noArch, i386, nil, ""},
		{"image without architecture", m1Small, anyArch, nil, ""},
		{"image lists the profile", m1XLarge, listed, nil, ""},
		{"image does not list the profile", m1Large, listed, nil, "image img4 does not run on hardware profile m1-large; it runs on: m1-xlarge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.h.RunsImage(tt.img, tt.overrides)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("RunsImage() = %v, want nil", err)
				}
			} else {
				wantInvalidArgument(t, err, tt.wantErr)
			}
			if tt.overrides == nil && tt.h.CanRun(tt.img) != (tt.wantErr == "") {
				t.Errorf("CanRun() = %v, RunsImage() = %v: they disagree", tt.h.CanRun(tt.img), err)
			}
		})
	}
}
