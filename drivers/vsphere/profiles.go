package vsphere

import (
	"context"
	"strconv"

	"github.com/vmware/govmomi/vim25/mo"

	"github.com/deltacloud-go/deltacloud"
)

// The sizing bounds of vSphere 8.
const (
	// customProfile is the id of the range profile.
	customProfile = "custom"
	// memoryStep is the granularity of a VM's memory: vSphere wants a
	// multiple of 4 MiB.
	memoryStep = 4
	// maxCPU and maxMemoryMiB are the largest VM vSphere 8 runs.
	maxCPU       = 768
	maxMemoryMiB = 24 << 20
	// defaultCPU and defaultMemoryMiB are the custom profile's defaults.
	defaultCPU       = 1
	defaultMemoryMiB = 1024
)

// HostLimits are the largest VM the datacenter's hosts can run: the most
// logical CPUs of one host, and its memory in MiB rounded down to vSphere's
// 4 MiB.
type HostLimits struct {
	CPU       int
	MemoryMiB int
}

// hostLimits reads the hosts' hardware summaries.
func (c *conn) hostLimits(ctx context.Context, s *state) (HostLimits, error) {
	var hosts []mo.HostSystem
	if err := c.retrieve(ctx, s, s.folders.HostFolder.Reference(), []string{"HostSystem"}, []string{"summary.hardware"}, &hosts); err != nil {
		return HostLimits{}, err
	}
	var l HostLimits
	for _, h := range hosts {
		if hw := h.Summary.Hardware; hw != nil {
			l.CPU = max(l.CPU, int(hw.NumCpuThreads))
			l.MemoryMiB = max(l.MemoryMiB, int(hw.MemorySize>>20)/memoryStep*memoryStep)
		}
	}
	l.CPU, l.MemoryMiB = min(l.CPU, maxCPU), min(l.MemoryMiB, maxMemoryMiB)
	return l, nil
}

// HardwareProfiles lists the custom range profile, bounded by the largest
// host, and the operator's fixed profiles.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	l, err := c.hostLimits(ctx, s)
	if err != nil {
		return nil, err
	}
	return profiles(l, c.opts.profiles), nil
}

// profiles builds the profile list; without a host there is no custom
// profile.
func profiles(l HostLimits, fixed []FixedProfile) []deltacloud.HardwareProfile {
	var out []deltacloud.HardwareProfile
	if l.CPU >= 1 && l.MemoryMiB >= memoryStep {
		mem := deltacloud.RangeProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.Itoa(memoryStep),
			strconv.Itoa(l.MemoryMiB), strconv.Itoa(min(defaultMemoryMiB, l.MemoryMiB)))
		mem.Step = strconv.Itoa(memoryStep)
		out = append(out, deltacloud.HardwareProfile{ID: customProfile, Name: customProfile, Properties: []deltacloud.Property{
			deltacloud.RangeProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "1", strconv.Itoa(l.CPU), strconv.Itoa(defaultCPU)),
			mem,
		}})
	}
	for _, f := range fixed {
		out = append(out, deltacloud.HardwareProfile{ID: f.Name, Name: f.Name, Properties: []deltacloud.Property{
			deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, strconv.Itoa(f.CPU)),
			deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.Itoa(f.MemoryMiB)),
		}})
	}
	return out
}

// sizing is the cpu and memory a create asks for; zero keeps the
// template's.
type sizing struct {
	cpu       int32
	memoryMiB int64
}

// sizingOf resolves a spec's profile and overrides (already checked by the
// Provider against the profile).
func (c *conn) sizingOf(spec deltacloud.InstanceSpec) (sizing, error) {
	switch spec.ProfileID {
	case "", deltacloud.OpaqueProfileID:
		return sizing{}, nil
	case customProfile:
		z := sizing{cpu: defaultCPU, memoryMiB: defaultMemoryMiB}
		if v, ok := spec.Properties[deltacloud.PropertyCPU]; ok {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > maxCPU {
				return z, invalid("cpu %q: want 1 to %d", v, maxCPU)
			}
			z.cpu = int32(n)
		}
		if v, ok := spec.Properties[deltacloud.PropertyMemory]; ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < memoryStep || n > maxMemoryMiB || n%memoryStep != 0 {
				return z, invalid("memory %q: want %d to %d MiB in steps of %d", v, memoryStep, maxMemoryMiB, memoryStep)
			}
			z.memoryMiB = n
		}
		return z, nil
	}
	for _, f := range c.opts.profiles {
		if f.Name == spec.ProfileID {
			return sizing{cpu: int32(f.CPU), memoryMiB: int64(f.MemoryMiB)}, nil
		}
	}
	return sizing{}, invalid("hardware profile %q does not exist", spec.ProfileID)
}

// profileOf names the profile a VM of this size runs with: the first fixed
// profile of its size, else custom with its size as overrides.
func (c *conn) profileOf(cpu int32, memoryMiB int32) deltacloud.InstanceProfile {
	for _, f := range c.opts.profiles {
		if int32(f.CPU) == cpu && int32(f.MemoryMiB) == memoryMiB {
			return deltacloud.InstanceProfile{ID: f.Name}
		}
	}
	return deltacloud.InstanceProfile{ID: customProfile, Overrides: map[string]string{
		deltacloud.PropertyCPU:    strconv.Itoa(int(cpu)),
		deltacloud.PropertyMemory: strconv.Itoa(int(memoryMiB)),
	}}
}
