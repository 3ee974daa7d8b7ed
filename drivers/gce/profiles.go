package gce

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// CustomProfileID is the profile of N1 custom machine types.
const CustomProfileID = "custom"

// The bounds of N1 custom machine types: 1 vCPU or an even number up to
// 96, memory in multiples of 256 MiB from 0.9 to 6.5 GiB per vCPU.
const (
	customMaxCPU       = 96
	customMemStep      = 256
	customMinMiBPerCPU = 922  // 0.9 GiB
	customMaxMiBPerCPU = 6656 // 6.5 GiB
)

// customProfile is the range profile of custom machine types.
func customProfile() deltacloud.HardwareProfile {
	cpus := []string{"1"}
	for n := 2; n <= customMaxCPU; n += 2 {
		cpus = append(cpus, strconv.Itoa(n))
	}
	return deltacloud.HardwareProfile{ID: CustomProfileID, Name: CustomProfileID, Properties: []deltacloud.Property{
		deltacloud.EnumProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "2", cpus...),
		{Name: deltacloud.PropertyMemory, Kind: deltacloud.Range, Unit: deltacloud.UnitMB, First: "1024",
			Last: strconv.Itoa(customMaxCPU * customMaxMiBPerCPU), Step: strconv.Itoa(customMemStep), Default: "4096"},
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64"),
	}}
}

// customMachineType is the machine type of a custom profile's resolved
// properties, "custom-CPUS-MIB"; memory outside the per-vCPU bounds is
// InvalidArgument.
func customMachineType(props map[string]string) (string, error) {
	cpus, err1 := strconv.Atoi(props[deltacloud.PropertyCPU])
	mib, err2 := strconv.Atoi(props[deltacloud.PropertyMemory])
	if err1 != nil || err2 != nil {
		return "", invalid("custom machine type: cpu %q and memory %q must be whole numbers", props[deltacloud.PropertyCPU], props[deltacloud.PropertyMemory])
	}
	if mib < cpus*customMinMiBPerCPU || mib > cpus*customMaxMiBPerCPU {
		return "", invalid("custom machine type: %d MiB for %d vCPUs; want %d to %d MiB (0.9 to 6.5 GiB per vCPU)",
			mib, cpus, roundUp(cpus*customMinMiBPerCPU), cpus*customMaxMiBPerCPU)
	}
	return fmt.Sprintf("custom-%d-%d", cpus, mib), nil
}

func roundUp(mib int) int { return (mib + customMemStep - 1) / customMemStep * customMemStep }

// profileOf is a machine type's profile: fixed cpu, memory in MiB and
// architecture.
func profileOf(m *compute.MachineType) deltacloud.HardwareProfile {
	props := []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, strconv.FormatInt(m.GuestCpus, 10)),
		deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.FormatInt(m.MemoryMb, 10)),
	}
	if a := archOf(m.Architecture); a != "" {
		props = append(props, deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, a))
	}
	return deltacloud.HardwareProfile{ID: m.Name, Name: m.Name, Properties: props}
}

// archOf maps Compute's architecture names onto Deltacloud's.
func archOf(a string) string {
	switch strings.ToUpper(a) {
	case "X86_64":
		return "x86_64"
	case "ARM64":
		return "arm64"
	}
	return ""
}

// firstZone is the zone profiles are read from.
func (c *conn) firstZone(ctx context.Context) (string, error) {
	zs, err := c.zoneNames(ctx)
	if err != nil {
		return "", err
	}
	return zs[0], nil
}

// HardwareProfiles lists the machine types of the region's first zone and
// the custom profile.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	zone, err := c.firstZone(ctx)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.HardwareProfile
	err = c.compute.MachineTypes.List(c.scope.Project, zone).Context(ctx).Pages(ctx, func(l *compute.MachineTypeList) error {
		for _, m := range l.Items {
			if m.Deprecated == nil {
				out = append(out, profileOf(m))
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err)
	}
	out = append(out, customProfile())
	deltacloud.SortHardwareProfiles(out)
	return out, nil
}

// HardwareProfile gets one machine type.
func (c *conn) HardwareProfile(ctx context.Context, id string) (*deltacloud.HardwareProfile, error) {
	if id == CustomProfileID {
		h := customProfile()
		return &h, nil
	}
	if !nameRE.MatchString(id) {
		return nil, notFound("hardware profile", id)
	}
	zone, err := c.firstZone(ctx)
	if err != nil {
		return nil, err
	}
	m, err := c.compute.MachineTypes.Get(c.scope.Project, zone, id).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	if m.Deprecated != nil {
		return nil, notFound("hardware profile", id)
	}
	h := profileOf(m)
	return &h, nil
}
