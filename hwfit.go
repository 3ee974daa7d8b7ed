package deltacloud

import (
	"fmt"
	"math/big"
	"strings"
)

// Requirements are the least a workload needs from a hardware profile, for
// HardwareProfile.Fit. An empty field asks nothing. Numbers are decimal text
// ("4096", "0.5") in the units the standard properties use, so they compare
// exactly with the profile's values: vCPUs, memory in MiB (UnitMB), storage
// in GB as the provider counts it (UnitGB). ConvertSize turns other units
// into these.
type Requirements struct {
	MinCPU       string
	MinMemoryMiB string
	MinStorageGB string
	// Architecture, when set, must be one the profile allows ("x86_64").
	Architecture string
}

// Shortfall is one way a hardware profile falls short of Requirements.
type Shortfall struct {
	// Property is the property that falls short ("memory").
	Property string
	// Reason says why in words: "memory range 512–2048 MiB below 4096".
	Reason string
}

// FitError says why a hardware profile cannot meet Requirements, one
// Shortfall per property, so a caller choosing among profiles can show the
// reason for every one it passed over. It matches ErrInvalidArgument.
type FitError struct {
	ProfileID  string
	Shortfalls []Shortfall
}

// Error lists the shortfalls: "deltacloud: hardware profile m1-small does
// not fit: memory 1740.8 MiB below 4096".
func (e *FitError) Error() string {
	reasons := make([]string, len(e.Shortfalls))
	for i, s := range e.Shortfalls {
		reasons[i] = s.Reason
	}
	return fmt.Sprintf("deltacloud: hardware profile %s does not fit: %s", e.ProfileID, strings.Join(reasons, "; "))
}

// Is makes errors.Is(err, ErrInvalidArgument) true.
func (e *FitError) Is(target error) bool { return target == ErrInvalidArgument }

// Fit chooses the property values that meet r on this profile and returns
// them as the overrides to put in InstanceSpec.Properties: for each property
// r constrains, a range resolves to the smallest value that fits (on its
// step), an enum to its smallest member that fits, a fixed value stays as it
// is, and the architecture is the one asked for. Properties r does not
// constrain are left out, so they keep the profile's defaults.
//
// When the profile cannot meet r, the error is a *FitError naming every
// property that falls short; a property the profile does not state cannot
// meet a minimum. An opaque profile states nothing and lets the cloud decide,
// so it fits anything: the overrides are r's figures as asked. A figure in r
// that is not a non-negative decimal number is ErrInvalidArgument (*Error).
func (h HardwareProfile) Fit(r Requirements) (map[string]string, error) {
	mins := []struct{ name, value string }{
		{PropertyCPU, r.MinCPU},
		{PropertyMemory, r.MinMemoryMiB},
		{PropertyStorage, r.MinStorageGB},
	}
	out := map[string]string{}
	var short []Shortfall
	for _, m := range mins {
		if strings.TrimSpace(m.value) == "" {
			continue
		}
		n, ok := parseNumber(m.value)
		if !ok || n.Sign() < 0 {
			return nil, &Error{Code: InvalidArgument, Message: fmt.Sprintf("minimum %s %q is not a non-negative decimal number", m.name, m.value)}
		}
		if h.Opaque() {
			out[m.name] = canonicalNumber(m.value)
			continue
		}
		p, ok := h.Property(m.name)
		if !ok {
			short = append(short, Shortfall{m.name, m.name + " not stated by the profile"})
			continue
		}
		v, ok := p.smallestAtLeast(n)
		if !ok {
			short = append(short, Shortfall{m.name, p.shortOf(canonicalNumber(m.value))})
			continue
		}
		out[m.name], _ = formatDecimal(v)
	}
	if arch := strings.TrimSpace(r.Architecture); arch != "" {
		p, ok := h.Property(PropertyArchitecture)
		switch {
		case h.Opaque():
			out[PropertyArchitecture] = arch
		case !ok:
			short = append(short, Shortfall{PropertyArchitecture, "architecture not stated by the profile"})
		case !p.Contains(arch):
			short = append(short, Shortfall{PropertyArchitecture, "architecture " + p.describe() + ", not " + arch})
		default:
			out[PropertyArchitecture] = arch
		}
	}
	if len(short) > 0 {
		return nil, &FitError{ProfileID: h.ID, Shortfalls: short}
	}
	return out, nil
}

// shortOf says why nothing the property allows reaches min.
func (p Property) shortOf(min string) string {
	if _, _, ok := p.bounds(); !ok {
		return fmt.Sprintf("%s %s is not a number", p.Name, p.describe())
	}
	return fmt.Sprintf("%s %s below %s", p.Name, p.describe(), min)
}

// describe puts the property's allowed values in words with the unit
// people read: "range 512–2048 MiB", "one of 850, 1024 GB", "1740.8 MiB".
func (p Property) describe() string {
	unit := ""
	if u := DisplayUnit(p.Unit); u != "" {
		unit = " " + u
	}
	switch p.Kind {
	case Range:
		lo, hi, ok := p.bounds()
		if !ok {
			return fmt.Sprintf("range %s–%s%s", p.First, p.Last, unit)
		}
		s := fmt.Sprintf("range %s–%s%s", mustDecimal(lo), mustDecimal(hi), unit)
		if _, _, step, _ := p.rangeNumbers(); step != nil {
			s += " in steps of " + mustDecimal(step)
		}
		return s
	case Enum:
		vs, ok := p.Members()
		if !ok {
			vs = p.Values
		}
		return "one of " + strings.Join(vs, ", ") + unit
	}
	if p.numeric() {
		return canonicalNumber(p.Default) + unit
	}
	return p.Default
}

// mustDecimal formats a number read from decimal text, which always has a
// finite decimal form.
func mustDecimal(r *big.Rat) string {
	s, _ := formatDecimal(r)
	return s
}

// DisplayUnit is the unit of a property as people should read it: memory's
// "MB" label means mebibytes, so it shows as "MiB"; counts and labels show
// no unit; any other unit shows as the cloud gave it.
func DisplayUnit(unit string) string {
	switch unit {
	case UnitMB:
		return "MiB"
	case UnitCount, UnitLabel:
		return ""
	}
	return unit
}
