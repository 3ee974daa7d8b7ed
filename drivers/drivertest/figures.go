package drivertest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// ProfileFigure is what a cloud itself states about one of its sizes, in
// the cloud's own units, taken from the cloud (or its fake's catalogue),
// never from the driver under test. The suite checks that the driver's
// profile of that id says the same in the model's units: cpu in virtual
// CPUs, memory in MiB (deltacloud.UnitMB) and storage in the gigabytes the
// cloud counts its local disk in (deltacloud.UnitGB).
type ProfileFigure struct {
	// CPU is the number of virtual CPUs; 0 when the cloud states none.
	CPU int
	// Memory is the memory size, a decimal number of MemoryUnit ("1024"
	// MiB, "1.7" GiB); empty when the cloud states none.
	Memory     string
	MemoryUnit deltacloud.SizeUnit
	// Storage is the size's local (instance or temporary) disk, a decimal
	// number of StorageUnit; empty or "0" when it has none, and then the
	// profile must not state storage.
	Storage     string
	StorageUnit deltacloud.SizeUnit
	// StorageGB is what a gigabyte of the profile's storage stands for on
	// this cloud (see deltacloud.UnitGB): deltacloud.DecimalGB where the
	// cloud counts decimal gigabytes, deltacloud.GiB where binary. Zero
	// means DecimalGB.
	StorageGB deltacloud.SizeUnit
}

// testProfileFigures checks every listed profile against the figures the
// cloud states for it (Harness.ProfileFigures).
func (s *suite) testProfileFigures(t *testing.T) {
	if s.h.ProfileFigures == nil {
		t.Skip("Harness.ProfileFigures is nil: the profiles' figures are not compared with the cloud's")
	}
	ctx, p := t.Context(), s.open(t)
	figures := s.h.ProfileFigures(ctx, t)
	if len(figures) == 0 {
		t.Fatal("Harness.ProfileFigures returned no figures")
	}
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatalf("HardwareProfiles: %v", err)
	}
	checked := 0
	for _, h := range hs {
		if h.Opaque() {
			continue
		}
		f, ok := figures[h.ID]
		if !ok {
			t.Errorf("profile %s: the cloud states no figures for it (Harness.ProfileFigures)", h.ID)
			continue
		}
		checked++
		for _, problem := range checkFigure(h, f) {
			t.Errorf("profile %s: %s", h.ID, problem)
		}
	}
	if checked == 0 {
		t.Errorf("none of the %d profiles listed has figures from the cloud", len(hs))
	}
}

// checkFigure lists how profile h disagrees with the cloud's figure f.
func checkFigure(h deltacloud.HardwareProfile, f ProfileFigure) []string {
	var problems []string
	if f.CPU > 0 {
		problems = append(problems, checkValue(h, deltacloud.PropertyCPU, deltacloud.UnitCount, strconv.Itoa(f.CPU), "")...)
	}
	if f.Memory != "" {
		want, err := deltacloud.ConvertSize(f.Memory, f.MemoryUnit, deltacloud.MiB)
		if err != nil {
			problems = append(problems, fmt.Sprintf("the cloud's memory figure %s %s: %v", f.Memory, f.MemoryUnit, err))
		} else {
			problems = append(problems, checkValue(h, deltacloud.PropertyMemory, deltacloud.UnitMB, want,
				fmt.Sprintf(" (the cloud states %s %s)", f.Memory, f.MemoryUnit))...)
		}
	}
	if strings.Trim(f.Storage, "0.") == "" {
		if p, ok := h.Property(deltacloud.PropertyStorage); ok {
			problems = append(problems, fmt.Sprintf("storage is %s, but the cloud states no local disk", p.Allowed()))
		}
		return problems
	}
	gb := f.StorageGB
	if gb == 0 {
		gb = deltacloud.DecimalGB
	}
	want, err := deltacloud.ConvertSize(f.Storage, f.StorageUnit, gb)
	if err != nil {
		return append(problems, fmt.Sprintf("the cloud's storage figure %s %s: %v", f.Storage, f.StorageUnit, err))
	}
	return append(problems, checkValue(h, deltacloud.PropertyStorage, deltacloud.UnitGB, want,
		fmt.Sprintf(" (the cloud states %s %s, and this cloud's GB are %s)", f.Storage, f.StorageUnit, gb))...)
}

// checkValue says what is wrong with property name of h when it should
// allow want in unit; nothing when it does.
func checkValue(h deltacloud.HardwareProfile, name, unit, want, why string) []string {
	shown := want
	if unit != deltacloud.UnitCount {
		shown += " " + unit
	}
	p, ok := h.Property(name)
	if !ok {
		return []string{fmt.Sprintf("%s is missing; the cloud's figure is %s%s", name, shown, why)}
	}
	var problems []string
	if p.Unit != unit {
		problems = append(problems, fmt.Sprintf("%s is in %q, want %q", name, p.Unit, unit))
	}
	if !p.Contains(want) {
		problems = append(problems, fmt.Sprintf("%s is %s, but the cloud's figure is %s%s", name, p.Allowed(), shown, why))
	}
	return problems
}
