package libvirt

import (
	"context"
	"slices"
	"strconv"

	golibvirt "github.com/digitalocean/go-libvirt"
	"libvirt.org/go/libvirtxml"

	"github.com/deltacloud-go/deltacloud"
)

// hostFacts are what the driver reads about the host.
type hostFacts struct {
	hostname   string
	cpus       int
	memoryMiB  int    // whole MiB, rounded down
	memoryText string // the exact figure in MiB, as a decimal
	arch       string
	domainType string
}

// facts returns the host's facts, reading them on first use.
func (c *conn) facts(ctx context.Context) (*hostFacts, error) {
	c.mu.Lock()
	h := c.host
	c.mu.Unlock()
	if h != nil {
		return h, nil
	}
	return c.readFacts(ctx)
}

// readFacts reads the host's facts from the daemon (Realms and
// HardwareProfiles always do, so that they answer what the host says now)
// and keeps them for the other calls.
func (c *conn) readFacts(ctx context.Context) (*hostFacts, error) {
	h := &hostFacts{}
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		name, err := lv.ConnectGetHostname()
		if err != nil {
			return wrap(err)
		}
		_, memKiB, cpus, _, _, _, _, _, err := lv.NodeGetInfo()
		if err != nil {
			return wrap(err)
		}
		capsXML, err := lv.ConnectGetCapabilities()
		if err != nil {
			return wrap(err)
		}
		var caps libvirtxml.Caps
		if err := caps.Unmarshal(capsXML); err != nil {
			return &deltacloud.Error{Code: deltacloud.Backend, Message: "libvirt: unreadable host capabilities", Err: err}
		}
		h.hostname, h.cpus, h.memoryMiB = name, int(cpus), int(memKiB/1024)
		if h.memoryText, err = deltacloud.ConvertSize(strconv.FormatUint(memKiB, 10), deltacloud.KiB, deltacloud.MiB); err != nil {
			return &deltacloud.Error{Code: deltacloud.Backend, Message: "libvirt: unreadable host memory", Err: err}
		}
		if caps.Host.CPU != nil {
			h.arch = caps.Host.CPU.Arch
		}
		h.domainType = c.opts.domainType
		if h.domainType == "" {
			h.domainType = pickDomainType(caps, h.arch)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.host = h
	c.mu.Unlock()
	return h, nil
}

// pickDomainType prefers kvm, then qemu, then test, among the domain types
// the host offers for hvm guests of its architecture.
func pickDomainType(caps libvirtxml.Caps, arch string) string {
	var have []string
	for _, g := range caps.Guests {
		if g.OSType != "hvm" || (arch != "" && g.Arch.Name != arch) {
			continue
		}
		for _, d := range g.Arch.Domains {
			have = append(have, d.Type)
		}
	}
	for _, t := range []string{"kvm", "qemu", "test"} {
		if slices.Contains(have, t) {
			return t
		}
	}
	return "qemu"
}

// Realms lists the host as the one realm.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	h, err := c.readFacts(ctx)
	if err != nil {
		return nil, err
	}
	return []deltacloud.Realm{{ID: h.hostname, Name: h.hostname, State: deltacloud.RealmAvailable}}, nil
}

// HardwareProfiles lists the one profile, sized by the host.
func (c *conn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	h, err := c.readFacts(ctx)
	if err != nil {
		return nil, err
	}
	return []deltacloud.HardwareProfile{c.profile(h)}, nil
}

// HardwareProfile returns the profile "host".
func (c *conn) HardwareProfile(ctx context.Context, id string) (*deltacloud.HardwareProfile, error) {
	if id != ProfileID {
		return nil, notFound("hardware profile", id)
	}
	h, err := c.readFacts(ctx)
	if err != nil {
		return nil, err
	}
	p := c.profile(h)
	return &p, nil
}

// profile is the host's profile: cpu and memory ranges up to the host's.
func (c *conn) profile(h *hostFacts) deltacloud.HardwareProfile {
	cpus := max(h.cpus, 1)
	mem, last := max(h.memoryMiB, MinMemoryMiB), h.memoryText
	if h.memoryMiB < MinMemoryMiB {
		last = strconv.Itoa(MinMemoryMiB)
	}
	props := []deltacloud.Property{
		deltacloud.RangeProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "1", strconv.Itoa(cpus), "1"),
		deltacloud.RangeProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, strconv.Itoa(MinMemoryMiB), last,
			strconv.Itoa(min(c.opts.memoryMiB, mem))),
	}
	if h.arch != "" {
		props = append(props, deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, h.arch))
	}
	return deltacloud.HardwareProfile{ID: ProfileID, Name: ProfileID, Properties: props}
}
