package deltacloud_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	dc "github.com/deltacloud-go/deltacloud"
)

// stepped is a range with a step that does not divide it: 1, 3, 5.
var stepped = dc.Property{Name: dc.PropertyCPU, Kind: dc.Range, Unit: dc.UnitCount, First: "1", Last: "6", Step: "2", Default: "1"}

// memStep is a memory range with a fractional step: 512, 1024.5, 1537.
var memStep = dc.Property{Name: dc.PropertyMemory, Kind: dc.Range, Unit: dc.UnitMB, First: "512", Last: "2048", Step: "512.5", Default: "512"}

func TestPropertyBounds(t *testing.T) {
	tests := []struct {
		name     string
		p        dc.Property
		min, max string
		ok       bool
	}{
		{"fixed", mustProperty(t, m1Small, dc.PropertyMemory), "1740.8", "1740.8", true},
		{"range", mustProperty(t, m1Large, dc.PropertyMemory), "7680", "15360", true},
		{"range ends at its last step", stepped, "1", "5", true},
		{"fractional step", memStep, "512", "1537", true},
		{"enum", mustProperty(t, m1XLarge, dc.PropertyStorage), "1024", "4096", true},
		{"enum out of order", dc.EnumProperty(dc.PropertyStorage, dc.UnitGB, "20", "20", "5.50", "100"), "5.5", "100", true},
		{"label", mustProperty(t, m1Small, dc.PropertyArchitecture), "", "", false},
		{"not a number", dc.FixedProperty(dc.PropertyMemory, dc.UnitMB, "lots"), "", "", false},
		{"inverted range", dc.RangeProperty(dc.PropertyCPU, dc.UnitCount, "4", "2", "4"), "", "", false},
		{"empty enum", dc.Property{Name: dc.PropertyCPU, Kind: dc.Enum, Unit: dc.UnitCount}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			min, max, ok := tt.p.Bounds()
			if d := cmp.Diff([]any{tt.min, tt.max, tt.ok}, []any{min, max, ok}); d != "" {
				t.Errorf("Bounds() (-want +got):\n%s", d)
			}
		})
	}
}

func TestPropertyMembers(t *testing.T) {
	tests := []struct {
		name string
		p    dc.Property
		want []string
		ok   bool
	}{
		{"fixed", mustProperty(t, m1Small, dc.PropertyCPU), []string{"1"}, true},
		{"fixed canonical", dc.FixedProperty(dc.PropertyMemory, dc.UnitMB, "0512.0"), []string{"512"}, true},
		{"enum sorted, duplicates once", dc.EnumProperty(dc.PropertyStorage, dc.UnitGB, "2048", "2048", "1024", "1024.0"), []string{"1024", "2048"}, true},
		{"label enum keeps order", dc.EnumProperty(dc.PropertyArchitecture, dc.UnitLabel, "x86_64", "x86_64", "i386"), []string{"x86_64", "i386"}, true},
		{"label fixed", mustProperty(t, m1Small, dc.PropertyArchitecture), []string{"i386"}, true},
		{"range lists nothing", mustProperty(t, m1Large, dc.PropertyCPU), nil, false},
		{"enum with a non-number", dc.EnumProperty(dc.PropertyStorage, dc.UnitGB, "1", "1", "big"), nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.p.Members()
			if d := cmp.Diff(tt.want, got); d != "" || ok != tt.ok {
				t.Errorf("Members() ok = %v, want %v (-want +got):\n%s", ok, tt.ok, d)
			}
		})
	}
}

func TestPropertyContains(t *testing.T) {
	tests := []struct {
		p     dc.Property
		value string
		want  bool
	}{
		{stepped, "3", true},
		{stepped, "3.0", true},
		{stepped, "4", false},
		{stepped, "6", false},
		{memStep, "1024.5", true},
		{memStep, "1024", false},
		{mustProperty(t, m1Large, dc.PropertyStorage), "1024.00", true},
		{mustProperty(t, m1Large, dc.PropertyStorage), "900", false},
		{mustProperty(t, m1Small, dc.PropertyArchitecture), "i386", true},
		{mustProperty(t, m1Small, dc.PropertyArchitecture), "x86_64", false},
		{mustProperty(t, m1Small, dc.PropertyMemory), "1740.80", true},
		{mustProperty(t, m1Small, dc.PropertyMemory), "1e3", false},
	}
	for _, tt := range tests {
		if got := tt.p.Contains(tt.value); got != tt.want {
			t.Errorf("%s %s: Contains(%q) = %v, want %v", tt.p.Name, tt.p.Allowed(), tt.value, got, tt.want)
		}
	}
}

func TestPropertySmallestAtLeast(t *testing.T) {
	memRange := mustProperty(t, m1Large, dc.PropertyMemory)    // 7680..15360
	storeEnum := mustProperty(t, m1XLarge, dc.PropertyStorage) // 1024, 2048, 4096
	tests := []struct {
		name    string
		p       dc.Property
		atLeast string
		want    string
		ok      bool
	}{
		{"range below first gives first", memRange, "4096", "7680", true},
		{"range inside gives the value", memRange, "8000", "8000", true},
		{"range inside, canonical", memRange, "08000.50", "8000.5", true},
		{"range at last", memRange, "15360", "15360", true},
		{"range above last", memRange, "15360.1", "", false},
		{"step rounds up", stepped, "2", "3", true},
		{"step exact", stepped, "5", "5", true},
		{"step past the last reachable", stepped, "5.5", "", false},
		{"fractional step", memStep, "1000", "1024.5", true},
		{"fractional step, exact decimals", memStep, "1024.50000000000000000001", "1537", true},
		{"enum smallest member", storeEnum, "1500", "2048", true},
		{"enum equal member", storeEnum, "2048.0", "2048", true},
		{"enum too big", storeEnum, "5000", "", false},
		{"fixed enough", mustProperty(t, m1Small, dc.PropertyMemory), "1024", "1740.8", true},
		{"fixed short", mustProperty(t, m1Small, dc.PropertyMemory), "1740.81", "", false},
		{"zero asks nothing", mustProperty(t, m1Small, dc.PropertyCPU), "0", "1", true},
		{"label", mustProperty(t, m1Small, dc.PropertyArchitecture), "1", "", false},
		{"not a number", memRange, "4GiB", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.p.SmallestAtLeast(tt.atLeast)
			if got != tt.want || ok != tt.ok {
				t.Errorf("SmallestAtLeast(%q) = %q, %v; want %q, %v", tt.atLeast, got, ok, tt.want, tt.ok)
			}
			if ok && !tt.p.Contains(got) {
				t.Errorf("SmallestAtLeast(%q) = %q, which the property does not allow", tt.atLeast, got)
			}
		})
	}
}

// FuzzSmallestAtLeast checks, for any range with a step, that the answer is
// allowed, not below what was asked, and that the step before it is either
// below what was asked or not allowed.
func FuzzSmallestAtLeast(f *testing.F) {
	f.Add("1", "6", "2", "2")
	f.Add("512", "2048", "512.5", "1000")
	f.Add("0.1", "0.3", "0.1", "0.25")
	f.Fuzz(func(t *testing.T, first, last, step, atLeast string) {
		p := dc.Property{Name: dc.PropertyMemory, Kind: dc.Range, Unit: dc.UnitMB, First: first, Last: last, Step: step, Default: first}
		got, ok := p.SmallestAtLeast(atLeast)
		if !ok {
			return
		}
		if !p.Contains(got) {
			t.Fatalf("%s: SmallestAtLeast(%q) = %q, not allowed", p.Allowed(), atLeast, got)
		}
		g, _ := new(big.Rat).SetString(got)
		a, ok := new(big.Rat).SetString(strings.TrimSpace(atLeast))
		if !ok || g.Cmp(a) < 0 {
			t.Fatalf("%s: SmallestAtLeast(%q) = %q, below what was asked", p.Allowed(), atLeast, got)
		}
		if s, _ := new(big.Rat).SetString(step); s != nil && s.Sign() > 0 {
			prev := new(big.Rat).Sub(g, s)
			if prev.Cmp(a) >= 0 && p.Contains(prev.FloatString(40)) {
				t.Fatalf("%s: SmallestAtLeast(%q) = %q, but %s is smaller, allowed and enough", p.Allowed(), atLeast, got, prev.FloatString(40))
			}
		}
		lo, hi, ok := p.Bounds()
		if !ok {
			t.Fatalf("%s: Bounds failed while SmallestAtLeast answered %q", p.Allowed(), got)
		}
		if !p.Contains(lo) || !p.Contains(hi) {
			t.Fatalf("%s: Bounds() = %s, %s, not both allowed", p.Allowed(), lo, hi)
		}
		if v, _ := dc.ConvertSize(got, dc.MiB, dc.MiB); v != got {
			t.Fatalf("%s: SmallestAtLeast(%q) = %q, not canonical (%q)", p.Allowed(), atLeast, got, v)
		}
	})
}
