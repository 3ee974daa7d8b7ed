package deltacloud_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	dc "github.com/deltacloud-go/deltacloud"
)

func TestHardwareProfileFit(t *testing.T) {
	small512 := dc.HardwareProfile{ID: "small", Properties: []dc.Property{
		dc.RangeProperty(dc.PropertyMemory, dc.UnitMB, "512", "2048", "1024"),
	}}
	multiArch := dc.HardwareProfile{ID: "multi", Properties: []dc.Property{
		dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "2"),
		dc.EnumProperty(dc.PropertyArchitecture, dc.UnitLabel, "x86_64", "x86_64", "i386"),
	}}
	tests := []struct {
		name  string
		h     dc.HardwareProfile
		r     dc.Requirements
		want  map[string]string
		short []dc.Shortfall
	}{
		{"nothing asked", m1Large, dc.Requirements{}, map[string]string{}, nil},
		{"range and enum resolve to the smallest fit", m1Large,
			dc.Requirements{MinCPU: "2", MinMemoryMiB: "8192", MinStorageGB: "900", Architecture: "x86_64"},
			map[string]string{"cpu": "2", "memory": "8192", "storage": "1024", "architecture": "x86_64"}, nil},
		{"below a range gives its first value", m1XLarge, dc.Requirements{MinMemoryMiB: "4096", MinStorageGB: "1"},
			map[string]string{"memory": "12288", "storage": "1024"}, nil},
		{"fixed values as they are", m1Small, dc.Requirements{MinCPU: "1", MinMemoryMiB: "1024.0"},
			map[string]string{"cpu": "1", "memory": "1740.8"}, nil},
		{"stepped range rounds up", dc.HardwareProfile{ID: "s", Properties: []dc.Property{stepped}},
			dc.Requirements{MinCPU: "2"}, map[string]string{"cpu": "3"}, nil},
		{"enum architecture", multiArch, dc.Requirements{Architecture: "i386"},
			map[string]string{"architecture": "i386"}, nil},
		{"opaque passes the figures through", opaqueProfile,
			dc.Requirements{MinCPU: "2", MinMemoryMiB: "04096", Architecture: "arm64"},
			map[string]string{"cpu": "2", "memory": "4096", "architecture": "arm64"}, nil},
		{"range too small", small512, dc.Requirements{MinMemoryMiB: "4096"}, nil,
			[]dc.Shortfall{{"memory", "memory range 512–2048 MiB below 4096"}}},
		{"every shortfall is listed", m1Small,
			dc.Requirements{MinCPU: "2", MinMemoryMiB: "4096", MinStorageGB: "100", Architecture: "x86_64"}, nil,
			[]dc.Shortfall{
				{"cpu", "cpu 1 below 2"},
				{"memory", "memory 1740.8 MiB below 4096"},
				{"architecture", "architecture i386, not x86_64"},
			}},
		{"enum too small", m1XLarge, dc.Requirements{MinStorageGB: "8192"}, nil,
			[]dc.Shortfall{{"storage", "storage one of 1024, 2048, 4096 GB below 8192"}}},
		{"step past the last reachable", dc.HardwareProfile{ID: "s", Properties: []dc.Property{stepped}},
			dc.Requirements{MinCPU: "6"}, nil,
			[]dc.Shortfall{{"cpu", "cpu range 1–5 in steps of 2 below 6"}}},
		{"unstated property", small512, dc.Requirements{MinCPU: "1", MinStorageGB: "10", Architecture: "x86_64"}, nil,
			[]dc.Shortfall{
				{"cpu", "cpu not stated by the profile"},
				{"storage", "storage not stated by the profile"},
				{"architecture", "architecture not stated by the profile"},
			}},
		{"enum architecture without it", multiArch, dc.Requirements{Architecture: "arm64"}, nil,
			[]dc.Shortfall{{"architecture", "architecture one of x86_64, i386, not arm64"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.h.Fit(tt.r)
			if tt.short != nil {
				var fe *dc.FitError
				if !errors.As(err, &fe) {
					t.Fatalf("Fit() = %v, %v; want a *FitError", got, err)
				}
				if d := cmp.Diff(tt.short, fe.Shortfalls); d != "" {
					t.Errorf("shortfalls (-want +got):\n%s", d)
				}
				if fe.ProfileID != tt.h.ID || !errors.Is(err, dc.ErrInvalidArgument) {
					t.Errorf("FitError %+v: want profile %s and ErrInvalidArgument", fe, tt.h.ID)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fit(): %v", err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("Fit() (-want +got):\n%s", d)
			}
			// The overrides are what the profile accepts at create.
			if _, err := tt.h.CheckOverrides(got); err != nil {
				t.Errorf("CheckOverrides(Fit()) = %v", err)
			}
		})
	}
}

func TestHardwareProfileFitBadRequirements(t *testing.T) {
	for _, r := range []dc.Requirements{{MinCPU: "two"}, {MinMemoryMiB: "-1"}, {MinStorageGB: "1e3"}} {
		_, err := m1Large.Fit(r)
		var fe *dc.FitError
		if errors.As(err, &fe) {
			t.Errorf("Fit(%+v) = %v, a FitError; want a plain invalid-argument error", r, err)
		}
		wantInvalidArgument(t, err)
	}
}

func TestFitErrorMessage(t *testing.T) {
	_, err := m1Small.Fit(dc.Requirements{MinMemoryMiB: "4096", Architecture: "x86_64"})
	const want = "deltacloud: hardware profile m1-small does not fit: memory 1740.8 MiB below 4096; architecture i386, not x86_64"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
