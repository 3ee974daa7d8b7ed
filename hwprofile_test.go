package deltacloud_test

import (
	"errors"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	dc "github.com/deltacloud-go/deltacloud"
)

// The mock driver's hardware profiles.
var (
	m1Small = dc.HardwareProfile{ID: "m1-small", Name: "m1-small", Properties: []dc.Property{
		dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "1"),
		dc.FixedProperty(dc.PropertyMemory, dc.UnitMB, "1740.8"),
		dc.FixedProperty(dc.PropertyStorage, dc.UnitGB, "160"),
		dc.FixedProperty(dc.PropertyArchitecture, dc.UnitLabel, "i386"),
	}}
	m1Large = dc.HardwareProfile{ID: "m1-large", Name: "m1-large", Properties: []dc.Property{
		dc.RangeProperty(dc.PropertyCPU, dc.UnitCount, "1", "6", "1"),
		dc.RangeProperty(dc.PropertyMemory, dc.UnitMB, "7680", "15360", "10240"),
		dc.EnumProperty(dc.PropertyStorage, dc.UnitGB, "850", "850", "1024"),
		dc.FixedProperty(dc.PropertyArchitecture, dc.UnitLabel, "x86_64"),
	}}
	m1XLarge = dc.HardwareProfile{ID: "m1-xlarge", Name: "m1-xlarge", Properties: []dc.Property{
		dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "4"),
		dc.RangeProperty(dc.PropertyMemory, dc.UnitMB, "12288", "32768", "12288"),
		dc.EnumProperty(dc.PropertyStorage, dc.UnitGB, "1024", "1024", "2048", "4096"),
		dc.FixedProperty(dc.PropertyArchitecture, dc.UnitLabel, "x86_64"),
	}}
	opaqueProfile = dc.HardwareProfile{ID: dc.OpaqueProfileID, Name: dc.OpaqueProfileID}

	mockProfiles = []dc.HardwareProfile{m1Small, m1Large, m1XLarge, opaqueProfile}
)

func mustProperty(t testing.TB, h dc.HardwareProfile, name string) dc.Property {
	t.Helper()
	p, ok := h.Property(name)
	if !ok {
		t.Fatalf("profile %s has no property %s", h.ID, name)
	}
	return p
}

// wantInvalidArgument fails unless err is an *Error with Code InvalidArgument
// whose message contains every one of wantContains.
func wantInvalidArgument(t *testing.T, err error, wantContains ...string) {
	t.Helper()
	var e *dc.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if e.Code != dc.InvalidArgument || !errors.Is(err, dc.ErrInvalidArgument) {
		t.Errorf("error %v has code %v, want invalid argument", err, e.Code)
	}
	for _, s := range wantContains {
		if !strings.Contains(e.Message, s) {
			t.Errorf("error message %q does not contain %q", e.Message, s)
		}
	}
}

func TestPropertyCheck(t *testing.T) {
	cpu := mustProperty(t, m1Large, dc.PropertyCPU)
	memory := mustProperty(t, m1Large, dc.PropertyMemory)
	storage := mustProperty(t, m1Large, dc.PropertyStorage)
	arch := mustProperty(t, m1Large, dc.PropertyArchitecture)
	smallMemory := mustProperty(t, m1Small, dc.PropertyMemory)
	smallCPU := mustProperty(t, m1Small, dc.PropertyCPU)
	stepped := dc.Property{Name: dc.PropertyCPU, Kind: dc.Range, Unit: dc.UnitCount, First: "1", Last: "9", Step: "2", Default: "1"}
	halfSteps := dc.Property{Name: dc.PropertyStorage, Kind: dc.Range, Unit: dc.UnitGB, First: "1", Last: "3", Step: "0.5", Default: "1"}
	archEnum := dc.EnumProperty(dc.PropertyArchitecture, dc.UnitLabel, "i386", "i386", "x86_64")

	tests := []struct {
		name  string
		p     dc.Property
		value string
		want  string // "" means an error is expected
	}{
		{"range in", cpu, "3", "3"},
		{"range lower bound", cpu, "1", "1"},
		{"range upper bound", cpu, "6", "6"},
		{"range below", cpu, "0", ""},
		{"range above", cpu, "7", ""},
		{"range negative", cpu, "-1", ""},
		{"range spaces trimmed", cpu, " 4 ", "4"},
		{"range trailing zeros", cpu, "4.0", "4"},
		{"range fraction without step", cpu, "2.5", "2.5"},
		{"range canonical", memory, "12288.0", "12288"},
		{"range canonical fraction", memory, "12288.50", "12288.5"},
		{"range leading zeros", memory, "08192", "8192"},
		{"range just above", memory, "15360.1", ""},
		{"range just below", memory, "7679.99", ""},
		{"exponent is not a decimal", memory, "1e4", ""},
		{"hex is not a decimal", memory, "0x2000", ""},
		{"fraction is not a decimal", cpu, "4/2", ""},
		{"binary is not a decimal", cpu, "0b11", ""},
		{"octal is not a decimal", cpu, "0o5", ""},
		{"word", cpu, "two", ""},
		{"empty", cpu, "", ""},
		{"NaN", cpu, "NaN", ""},
		{"range exact beyond 20 decimals", memory, "7680.0000000000000000000001", "7680.0000000000000000000001"},
		{"step member", stepped, "5", "5"},
		{"step last", stepped, "9", "9"},
		{"step non-member", stepped, "4", ""},
		{"half step member", halfSteps, "1.5", "1.5"},
		{"half step non-member", halfSteps, "1.25", ""},
		{"enum member", storage, "1024", "1024"},
		{"enum default", storage, "850", "850"},
		{"enum member numerically", storage, "1024.00", "1024"},
		{"enum non-member", storage, "900", ""},
		{"enum spaces trimmed", storage, " 850 ", "850"},
		{"fixed equal", smallMemory, "1740.8", "1740.8"},
		{"fixed equal numerically", smallMemory, "1740.80", "1740.8"},
		{"fixed equal with leading zero", smallMemory, "01740.8", "1740.8"},
		{"fixed other", smallMemory, "1740.9", ""},
		{"fixed integer", smallCPU, "1.0", "1"},
		{"fixed integer other", smallCPU, "2", ""},
		{"architecture fixed", arch, "x86_64", "x86_64"},
		{"architecture fixed spaces", arch, " x86_64 ", "x86_64"},
		{"architecture fixed other", arch, "i386", ""},
		{"architecture is not numeric", arch, "64", ""},
		{"architecture enum member", archEnum, "x86_64", "x86_64"},
		{"architecture enum non-member", archEnum, "arm64", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.p.Check(tt.value)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("%s.Check(%q) = %q, nil; want an error", tt.p.Name, tt.value, got)
				}
				wantInvalidArgument(t, err, tt.p.Name)
				return
			}
			if err != nil {
				t.Fatalf("%s.Check(%q) error = %v", tt.p.Name, tt.value, err)
			}
			if got != tt.want {
				t.Errorf("%s.Check(%q) = %q, want %q", tt.p.Name, tt.value, got, tt.want)
			}
		})
	}
}

func TestPropertyCheckMessage(t *testing.T) {
	stepped := dc.Property{Name: dc.PropertyCPU, Kind: dc.Range, Unit: dc.UnitCount, First: "1", Last: "9", Step: "2", Default: "1"}
	tests := []struct {
		name         string
		p            dc.Property
		value        string
		wantContains []string
	}{
		{"range", mustProperty(t, m1Large, dc.PropertyMemory), "20000", []string{"memory", `"20000"`, "7680 to 15360 MB"}},
		{"count has no unit", mustProperty(t, m1Large, dc.PropertyCPU), "9", []string{"cpu", `"9"`, "1 to 6"}},
		{"not a number", mustProperty(t, m1Large, dc.PropertyCPU), "many", []string{"cpu", `"many"`, "not a number", "1 to 6"}},
		{"step", stepped, "4", []string{"cpu", "1 to 9 in steps of 2"}},
		{"enum", mustProperty(t, m1Large, dc.PropertyStorage), "900", []string{"storage", `"900"`, "one of 850, 1024 GB"}},
		{"fixed", mustProperty(t, m1Small, dc.PropertyMemory), "2048", []string{"memory", `"2048"`, "1740.8 MB"}},
		{"label", mustProperty(t, m1Small, dc.PropertyArchitecture), "x86_64", []string{"architecture", `"x86_64"`, "i386"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.p.Check(tt.value)
			if err == nil {
				t.Fatalf("%s.Check(%q) succeeded, want an error", tt.p.Name, tt.value)
			}
			wantInvalidArgument(t, err, tt.wantContains...)
		})
	}
}

func TestPropertyAllowed(t *testing.T) {
	tests := []struct {
		p    dc.Property
		want string
	}{
		{mustProperty(t, m1Large, dc.PropertyCPU), "1 to 6"},
		{mustProperty(t, m1Large, dc.PropertyMemory), "7680 to 15360 MB"},
		{mustProperty(t, m1Large, dc.PropertyStorage), "one of 850, 1024 GB"},
		{mustProperty(t, m1Large, dc.PropertyArchitecture), "x86_64"},
		{mustProperty(t, m1Small, dc.PropertyMemory), "1740.8 MB"},
		{mustProperty(t, m1XLarge, dc.PropertyStorage), "one of 1024, 2048, 4096 GB"},
		{dc.Property{Name: dc.PropertyCPU, Kind: dc.Range, Unit: dc.UnitCount, First: "1", Last: "9", Step: "2"}, "1 to 9 in steps of 2"},
	}
	for _, tt := range tests {
		if got := tt.p.Allowed(); got != tt.want {
			t.Errorf("%s.Allowed() = %q, want %q", tt.p.Name, got, tt.want)
		}
	}
}

func TestCheckOverrides(t *testing.T) {
	tests := []struct {
		name         string
		h            dc.HardwareProfile
		overrides    map[string]string
		want         map[string]string
		wantErr      bool
		wantContains []string
	}{
		{name: "none", h: m1Large, overrides: nil, want: nil},
		{name: "canonical memory", h: m1Large, overrides: map[string]string{"memory": "12288.0"}, want: map[string]string{"memory": "12288"}},
		{
			name:      "several",
			h:         m1Large,
			overrides: map[string]string{"cpu": "2", "memory": "8192", "storage": "1024.0", "architecture": "x86_64"},
			want:      map[string]string{"cpu": "2", "memory": "8192", "storage": "1024", "architecture": "x86_64"},
		},
		{name: "fixed numerically equal", h: m1Small, overrides: map[string]string{"memory": "1740.80"}, want: map[string]string{"memory": "1740.8"}},
		{name: "out of range", h: m1Large, overrides: map[string]string{"memory": "99999"}, wantErr: true, wantContains: []string{"memory", "7680 to 15360 MB"}},
		{name: "one bad among good", h: m1XLarge, overrides: map[string]string{"memory": "16384", "storage": "3000"}, wantErr: true, wantContains: []string{"storage", "one of 1024, 2048, 4096 GB"}},
		{
			name:         "unknown property",
			h:            m1Large,
			overrides:    map[string]string{"gpu": "1"},
			wantErr:      true,
			wantContains: []string{"m1-large", `"gpu"`, "cpu, memory, storage, architecture"},
		},
		{
			name:         "unknown property although standard",
			h:            dc.HardwareProfile{ID: "cpu-only", Properties: []dc.Property{dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "2")}},
			overrides:    map[string]string{"memory": "1024"},
			wantErr:      true,
			wantContains: []string{"cpu-only", `"memory"`},
		},
		{
			name:      "opaque passes standard properties",
			h:         opaqueProfile,
			overrides: map[string]string{"cpu": "2", "memory": "2048.0", "storage": "20", "architecture": " arm64 "},
			want:      map[string]string{"cpu": "2", "memory": "2048", "storage": "20", "architecture": "arm64"},
		},
		{name: "opaque zero", h: opaqueProfile, overrides: map[string]string{"cpu": "0"}, wantErr: true, wantContains: []string{"cpu", "positive"}},
		{name: "opaque negative", h: opaqueProfile, overrides: map[string]string{"memory": "-512"}, wantErr: true, wantContains: []string{"memory", "positive"}},
		{name: "opaque not a number", h: opaqueProfile, overrides: map[string]string{"storage": "lots"}, wantErr: true, wantContains: []string{"storage", `"lots"`}},
		{name: "opaque non-standard", h: opaqueProfile, overrides: map[string]string{"gpu": "1"}, wantErr: true, wantContains: []string{`"gpu"`, "cpu, memory, storage, architecture"}},
		// A positive value must stay positive (and exact): rounding it to
		// 20 decimals turns it into "0", which CheckOverrides itself rejects.
		{name: "opaque tiny positive stays exact", h: opaqueProfile, overrides: map[string]string{"cpu": "0.0000000000000000000001"}, want: map[string]string{"cpu": "0.0000000000000000000001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.h.CheckOverrides(tt.overrides)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("CheckOverrides(%v) = %v, nil; want an error", tt.overrides, got)
				}
				if got != nil {
					t.Errorf("CheckOverrides(%v) returned %v with the error", tt.overrides, got)
				}
				wantInvalidArgument(t, err, tt.wantContains...)
				return
			}
			if err != nil {
				t.Fatalf("CheckOverrides(%v) error = %v", tt.overrides, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CheckOverrides(%v) (-want +got):\n%s", tt.overrides, diff)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name      string
		h         dc.HardwareProfile
		overrides map[string]string
		want      map[string]string
		wantErr   bool
	}{
		{"m1-small defaults", m1Small, nil, map[string]string{"cpu": "1", "memory": "1740.8", "storage": "160", "architecture": "i386"}, false},
		{"m1-large defaults", m1Large, nil, map[string]string{"cpu": "1", "memory": "10240", "storage": "850", "architecture": "x86_64"}, false},
		{"m1-large override", m1Large, map[string]string{"memory": "12288.0", "cpu": "4"}, map[string]string{"cpu": "4", "memory": "12288", "storage": "850", "architecture": "x86_64"}, false},
		{"m1-xlarge override", m1XLarge, map[string]string{"storage": "4096"}, map[string]string{"cpu": "4", "memory": "12288", "storage": "4096", "architecture": "x86_64"}, false},
		{"m1-large bad override", m1Large, map[string]string{"cpu": "9"}, nil, true},
		{"opaque", opaqueProfile, nil, map[string]string{}, false},
		{"opaque override", opaqueProfile, map[string]string{"cpu": "2"}, map[string]string{"cpu": "2"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.h.Resolve(tt.overrides)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Resolve(%v) = %v, nil; want an error", tt.overrides, got)
				}
				wantInvalidArgument(t, err)
				return
			}
			if err != nil {
				t.Fatalf("Resolve(%v) error = %v", tt.overrides, err)
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Resolve(%v) (-want +got):\n%s", tt.overrides, diff)
			}
		})
	}
}

func TestHardwareProfileAccessors(t *testing.T) {
	if !opaqueProfile.Opaque() || m1Small.Opaque() {
		t.Errorf("Opaque(): opaque = %t, m1-small = %t; want true, false", opaqueProfile.Opaque(), m1Small.Opaque())
	}
	if got := m1Large.Value(dc.PropertyMemory); got != "10240" {
		t.Errorf("m1-large Value(memory) = %q, want 10240", got)
	}
	if got := m1Large.Value("gpu"); got != "" {
		t.Errorf("m1-large Value(gpu) = %q, want empty", got)
	}
	if _, ok := opaqueProfile.Property(dc.PropertyCPU); ok {
		t.Errorf("opaque Property(cpu) found, want none")
	}
}

func TestHardwareProfileValidate(t *testing.T) {
	for _, h := range mockProfiles {
		if err := h.Validate(); err != nil {
			t.Errorf("%s: Validate() = %v", h.ID, err)
		}
	}
	tests := []struct {
		name         string
		h            dc.HardwareProfile
		wantContains []string
	}{
		{"no id", dc.HardwareProfile{Name: "nameless"}, []string{"without an id"}},
		{"reversed range", dc.HardwareProfile{ID: "p", Properties: []dc.Property{dc.RangeProperty(dc.PropertyCPU, dc.UnitCount, "6", "1", "1")}}, []string{"p", "cpu", "bad range"}},
		{"unparsable range", dc.HardwareProfile{ID: "p", Properties: []dc.Property{dc.RangeProperty(dc.PropertyMemory, dc.UnitMB, "a lot", "2048", "1024")}}, []string{"memory", "bad range"}},
		{"empty enum", dc.HardwareProfile{ID: "p", Properties: []dc.Property{dc.EnumProperty(dc.PropertyStorage, dc.UnitGB, "1")}}, []string{"storage", "no values"}},
		{"range default outside", dc.HardwareProfile{ID: "p", Properties: []dc.Property{dc.RangeProperty(dc.PropertyCPU, dc.UnitCount, "1", "6", "0")}}, []string{"default of cpu"}},
		{"enum default not a member", dc.HardwareProfile{ID: "p", Properties: []dc.Property{dc.EnumProperty(dc.PropertyStorage, dc.UnitGB, "900", "850", "1024")}}, []string{"default of storage"}},
		{"fixed default not a number", dc.HardwareProfile{ID: "p", Properties: []dc.Property{dc.FixedProperty(dc.PropertyMemory, dc.UnitMB, "big")}}, []string{"default of memory"}},
		{"unknown kind", dc.HardwareProfile{ID: "p", Properties: []dc.Property{{Name: dc.PropertyCPU, Kind: "weird", Unit: dc.UnitCount, Default: "1"}}}, []string{"cpu", "weird"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.h.Validate()
			if err == nil {
				t.Fatalf("Validate() = nil, want an error")
			}
			for _, s := range tt.wantContains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Validate() = %q, want it to contain %q", err, s)
				}
			}
		})
	}
}

func profileIDs(hs []dc.HardwareProfile) []string {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	return ids
}

func TestSortHardwareProfiles(t *testing.T) {
	cpuOnly := dc.HardwareProfile{ID: "cpu-only", Properties: []dc.Property{dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "1")}}
	opaqueB := dc.HardwareProfile{ID: "opaque-b"}
	big4 := dc.HardwareProfile{ID: "four-small", Properties: []dc.Property{
		dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "4"),
		dc.FixedProperty(dc.PropertyMemory, dc.UnitMB, "1024"),
	}}
	tests := []struct {
		name string
		in   []dc.HardwareProfile
		want []string
	}{
		{"mock reversed", []dc.HardwareProfile{opaqueProfile, m1XLarge, m1Large, m1Small}, []string{"m1-small", "m1-large", "m1-xlarge", "opaque"}},
		{"mock shuffled", []dc.HardwareProfile{m1Large, opaqueProfile, m1Small, m1XLarge}, []string{"m1-small", "m1-large", "m1-xlarge", "opaque"}},
		{"cpu before memory", []dc.HardwareProfile{big4, m1Large}, []string{"m1-large", "four-small"}},
		{"opaque ties keep order", []dc.HardwareProfile{opaqueB, m1Large, opaqueProfile}, []string{"m1-large", "opaque-b", "opaque"}},
		{"lacking memory sorts last", []dc.HardwareProfile{cpuOnly, m1XLarge}, []string{"m1-xlarge", "cpu-only"}},
		{"empty", nil, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hs := append([]dc.HardwareProfile(nil), tt.in...)
			dc.SortHardwareProfiles(hs)
			if diff := cmp.Diff(tt.want, profileIDs(hs)); diff != "" {
				t.Errorf("SortHardwareProfiles (-want +got):\n%s", diff)
			}
		})
	}
}

// multiArch is a profile that runs two architectures, as EC2's t2.micro
// does: x86_64 by default, i386 on request.
var multiArch = dc.HardwareProfile{ID: "t2.micro", Name: "t2.micro", Properties: []dc.Property{
	dc.FixedProperty(dc.PropertyCPU, dc.UnitCount, "1"),
	dc.EnumProperty(dc.PropertyArchitecture, dc.UnitLabel, "x86_64", "i386", "x86_64"),
}}

func TestHardwareProfileFilterMatch(t *testing.T) {
	tests := []struct {
		name string
		f    dc.HardwareProfileFilter
		want []string
	}{
		{"empty matches all", dc.HardwareProfileFilter{}, []string{"m1-small", "m1-large", "m1-xlarge", "opaque", "t2.micro"}},
		{"id", dc.HardwareProfileFilter{ID: "m1-large"}, []string{"m1-large"}},
		{"unknown id", dc.HardwareProfileFilter{ID: "m9"}, []string{}},
		{"architecture (opaque matches any, an enum any of its values)", dc.HardwareProfileFilter{Architecture: "x86_64"},
			[]string{"m1-large", "m1-xlarge", "opaque", "t2.micro"}},
		{"other architecture", dc.HardwareProfileFilter{Architecture: "i386"}, []string{"m1-small", "opaque", "t2.micro"}},
		{"architecture no enum value has", dc.HardwareProfileFilter{Architecture: "arm64"}, []string{"opaque"}},
		{"id and architecture", dc.HardwareProfileFilter{ID: "m1-small", Architecture: "x86_64"}, []string{}},
		{"opaque by id and any architecture", dc.HardwareProfileFilter{ID: "opaque", Architecture: "arm64"}, []string{"opaque"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []string{}
			for _, h := range append(slices.Clone(mockProfiles), multiArch) {
				if tt.f.Match(h) {
					got = append(got, h.ID)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Match(%+v) (-want +got):\n%s", tt.f, diff)
			}
		})
	}
}

// decimalSyntax is what a caller may write for a number: decimal digits,
// an optional sign and fraction.
var decimalSyntax = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$`)

func FuzzCheckOverrides(f *testing.F) {
	for _, s := range [][2]string{
		{"cpu", "3"}, {"cpu", "0"}, {"cpu", "6.0"}, {"memory", "12288.0"}, {"memory", "7680"},
		{"memory", "15360.0001"}, {"storage", "850"}, {"storage", "1024.00"}, {"storage", "851"},
		{"architecture", "x86_64"}, {"architecture", " i386"}, {"gpu", "1"}, {"memory", "-1"},
		{"memory", "1e4"}, {"cpu", ".5"}, {"cpu", "+2"}, {"cpu", ""}, {"memory", " 8192 "},
		{"storage", "0x10"}, {"cpu", "0.00000000000000000001"}, {"memory", "7680.00000000000000000001"},
	} {
		f.Add(s[0], s[1])
	}
	profiles := []dc.HardwareProfile{m1Large, opaqueProfile}
	f.Fuzz(func(t *testing.T, name, value string) {
		for _, h := range profiles {
			out, err := h.CheckOverrides(map[string]string{name: value})
			if err != nil {
				var e *dc.Error
				if !errors.As(err, &e) || e.Code != dc.InvalidArgument {
					t.Fatalf("%s: CheckOverrides(%q: %q) error %v (%T) is not an InvalidArgument *Error", h.ID, name, value, err, err)
				}
				if out != nil {
					t.Fatalf("%s: CheckOverrides(%q: %q) returned %v with error %v", h.ID, name, value, out, err)
				}
				continue
			}
			got, ok := out[name]
			if !ok || len(out) != 1 {
				t.Fatalf("%s: CheckOverrides(%q: %q) = %v, want exactly the one property", h.ID, name, value, out)
			}
			// Canonical: checking the output again returns it unchanged.
			again, err := h.CheckOverrides(map[string]string{name: got})
			if err != nil || again[name] != got {
				t.Fatalf("%s: CheckOverrides(%q: %q) = %q, but checking %q again gives %v, %v", h.ID, name, value, got, got, again, err)
			}
			p, defined := h.Property(name)
			numeric := name != dc.PropertyArchitecture && (!defined || p.Unit != dc.UnitLabel)
			if !numeric {
				continue
			}
			in := strings.TrimSpace(value)
			if !decimalSyntax.MatchString(in) {
				t.Fatalf("%s: CheckOverrides(%q: %q) accepted %q, which is not a decimal number", h.ID, name, value, got)
			}
			want, _ := new(big.Rat).SetString(in)
			v, ok := new(big.Rat).SetString(got)
			if !ok || v.Cmp(want) != 0 {
				t.Fatalf("%s: CheckOverrides(%q: %q) = %q, which is not the same number", h.ID, name, value, got)
			}
			if !defined {
				if v.Sign() <= 0 {
					t.Fatalf("%s: CheckOverrides(%q: %q) = %q, which is not positive", h.ID, name, value, got)
				}
				continue
			}
			switch p.Kind {
			case dc.Range:
				first, _ := new(big.Rat).SetString(p.First)
				last, _ := new(big.Rat).SetString(p.Last)
				if v.Cmp(first) < 0 || v.Cmp(last) > 0 {
					t.Fatalf("%s: CheckOverrides(%q: %q) = %q, outside %s..%s", h.ID, name, value, got, p.First, p.Last)
				}
			case dc.Enum:
				member := false
				for _, e := range p.Values {
					w, _ := new(big.Rat).SetString(e)
					member = member || v.Cmp(w) == 0
				}
				if !member {
					t.Fatalf("%s: CheckOverrides(%q: %q) = %q, not one of %v", h.ID, name, value, got, p.Values)
				}
			case dc.Fixed:
				w, _ := new(big.Rat).SetString(p.Default)
				if v.Cmp(w) != 0 {
					t.Fatalf("%s: CheckOverrides(%q: %q) = %q, not the fixed %s", h.ID, name, value, got, p.Default)
				}
			}
		}
	})
}
