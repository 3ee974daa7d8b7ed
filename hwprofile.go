package deltacloud

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
)

// The standard hardware property names.
const (
	PropertyCPU          = "cpu"
	PropertyMemory       = "memory"
	PropertyStorage      = "storage"
	PropertyArchitecture = "architecture"
)

// The units of the standard hardware properties. The labels are the ones
// the Deltacloud API has always sent ("MB", "GB"); what they count is stated
// here, because the labels alone do not say it.
const (
	// UnitCount counts things: cpu is a number of virtual CPUs.
	UnitCount = "count"
	// UnitMB is the unit of memory, and it means mebibytes: 1 MB here is
	// 1,048,576 bytes (MiB), which is what clouds size memory in. Every
	// driver reports memory in MiB: EC2 gives SizeInMiB as it is, Azure's
	// MemoryGB (GiB) is multiplied by 1024, the mock's figures are the
	// original Deltacloud mock's (m1-small's 1.7 GiB is 1740.8), and the
	// remote driver passes on the server's figures, which Deltacloud
	// servers give in MiB. Convert with ConvertSize(v, MiB, …).
	UnitMB = "MB"
	// UnitGB is the unit of storage: gigabytes as the provider counts the
	// profile's local disk, which differs by cloud. EC2 states instance
	// store in decimal gigabytes (TotalSizeInGB, 10^9 bytes: DecimalGB);
	// Azure states its temporary disk in MiB (MaxResourceVolumeMB), shown
	// divided by 1024, so Azure's GB are GiB; the mock's and the remote
	// server's figures are nominal, as the original Deltacloud gave them.
	// Convert with ConvertSize(v, DecimalGB or GiB, …).
	UnitGB = "GB"
	// UnitLabel marks a property whose values are names, not numbers
	// (architecture).
	UnitLabel = "label"
)

// OpaqueProfileID is the conventional id of the profile with no properties:
// the cloud decides the sizing.
const OpaqueProfileID = "opaque"

// PropertyKind says how a hardware property may be chosen.
type PropertyKind string

// The property kinds.
const (
	// Fixed: one value, which is also the default.
	Fixed PropertyKind = "fixed"
	// Range: any number from First to Last (a multiple of Step above First
	// when Step is set).
	Range PropertyKind = "range"
	// Enum: one of Values.
	Enum PropertyKind = "enum"
)

// Property is one dimension of a hardware profile. Values are kept as the
// decimal text the cloud uses ("1740.8"), so nothing is lost to float
// rounding; numeric comparisons are exact.
type Property struct {
	Name string
	Kind PropertyKind
	Unit string
	// Default is the value used when the caller does not choose one.
	Default string
	// First, Last and Step bound a Range property; Step is optional.
	First, Last, Step string
	// Values lists an Enum property's choices.
	Values []string
}

// FixedProperty is a property with one value.
func FixedProperty(name, unit, value string) Property {
	return Property{Name: name, Kind: Fixed, Unit: unit, Default: value}
}

// RangeProperty is a numeric range first..last with a default.
func RangeProperty(name, unit, first, last, def string) Property {
	return Property{Name: name, Kind: Range, Unit: unit, First: first, Last: last, Default: def}
}

// EnumProperty is a choice among values; def must be one of them.
func EnumProperty(name, unit, def string, values ...string) Property {
	return Property{Name: name, Kind: Enum, Unit: unit, Default: def, Values: values}
}

// numeric reports whether the property's values are numbers.
func (p Property) numeric() bool { return p.Unit != UnitLabel && p.Name != PropertyArchitecture }

// Check validates a requested value and returns it in canonical form
// (numbers without superfluous zeros). The error is InvalidArgument and names
// the property and what is allowed.
func (p Property) Check(value string) (string, error) {
	value = strings.TrimSpace(value)
	if !p.numeric() {
		ok := false
		switch p.Kind {
		case Fixed, Range:
			ok = value == p.Default
		case Enum:
			ok = slices.Contains(p.Values, value)
		}
		if !ok {
			return "", p.invalid(value)
		}
		return value, nil
	}
	v, ok := parseNumber(value)
	if !ok {
		return "", &Error{Code: InvalidArgument, Message: fmt.Sprintf("hardware property %s: %q is not a number; allowed: %s", p.Name, value, p.Allowed())}
	}
	switch p.Kind {
	case Fixed:
		if !numEqual(v, p.Default) {
			return "", p.invalid(value)
		}
	case Enum:
		if !slices.ContainsFunc(p.Values, func(e string) bool { return numEqual(v, e) }) {
			return "", p.invalid(value)
		}
	case Range:
		first, ok1 := parseNumber(p.First)
		last, ok2 := parseNumber(p.Last)
		if !ok1 || !ok2 || v.Cmp(first) < 0 || v.Cmp(last) > 0 {
			return "", p.invalid(value)
		}
		if p.Step != "" {
			step, ok := parseNumber(p.Step)
			if ok && step.Sign() > 0 {
				q := new(big.Rat).Quo(new(big.Rat).Sub(v, first), step)
				if !q.IsInt() {
					return "", p.invalid(value)
				}
			}
		}
	default:
		return "", &Error{Code: InvalidArgument, Message: fmt.Sprintf("hardware property %s has unknown kind %q", p.Name, p.Kind)}
	}
	return canonicalNumber(value), nil
}

func (p Property) invalid(value string) error {
	return &Error{Code: InvalidArgument, Message: fmt.Sprintf("hardware property %s: %q is not allowed; allowed: %s", p.Name, value, p.Allowed())}
}

// Allowed describes the values the property accepts, for error messages and
// forms: "4", "1 to 6", "1 to 6 in steps of 1", "one of 850, 1024".
func (p Property) Allowed() string {
	unit := ""
	if p.Unit != "" && p.Unit != UnitLabel && p.Unit != UnitCount {
		unit = " " + p.Unit
	}
	switch p.Kind {
	case Range:
		s := p.First + " to " + p.Last + unit
		if p.Step != "" {
			s += " in steps of " + p.Step
		}
		return s
	case Enum:
		return "one of " + strings.Join(p.Values, ", ") + unit
	}
	return p.Default + unit
}

// decimalRE is a plain decimal number: no exponent, no base prefix.
var decimalRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// parseNumber reads a plain decimal number exactly.
func parseNumber(s string) (*big.Rat, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 64 || !decimalRE.MatchString(s) {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(s)
	return r, ok
}

func numEqual(v *big.Rat, s string) bool {
	w, ok := parseNumber(s)
	return ok && v.Cmp(w) == 0
}

// canonicalNumber rewrites a decimal that parseNumber accepted without sign
// noise and superfluous zeros ("012288.0" → "12288", ".50" → "0.5"). It works
// on the text, so it is exact at any precision.
func canonicalNumber(s string) string {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
}

// HardwareProfile is a named set of hardware properties a cloud offers for
// instances (an EC2 instance type, an Azure VM size, …).
type HardwareProfile struct {
	ID         string
	Name       string
	Properties []Property
}

// Opaque reports whether the profile states nothing about sizing.
func (h HardwareProfile) Opaque() bool { return len(h.Properties) == 0 }

// Property returns the named property.
func (h HardwareProfile) Property(name string) (Property, bool) {
	i := slices.IndexFunc(h.Properties, func(p Property) bool { return p.Name == name })
	if i < 0 {
		return Property{}, false
	}
	return h.Properties[i], true
}

// Value returns the default value of the named property, or "".
func (h HardwareProfile) Value(name string) string {
	p, _ := h.Property(name)
	return p.Default
}

// CheckOverrides validates requested property values against the profile and
// returns them in canonical form. A property the profile does not define is
// an error, except on an opaque profile, which passes the standard properties
// through for the cloud to decide (numbers must still be numbers).
func (h HardwareProfile) CheckOverrides(overrides map[string]string) (map[string]string, error) {
	if len(overrides) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(overrides))
	for _, name := range slices.Sorted(maps.Keys(overrides)) {
		value := overrides[name]
		p, ok := h.Property(name)
		if !ok {
			if !h.Opaque() {
				return nil, &Error{Code: InvalidArgument, Message: fmt.Sprintf("hardware profile %s has no property %q; it has: %s", h.ID, name, strings.Join(h.propertyNames(), ", "))}
			}
			switch name {
			case PropertyCPU, PropertyMemory, PropertyStorage:
				v, ok := parseNumber(value)
				if !ok || v.Sign() <= 0 {
					return nil, &Error{Code: InvalidArgument, Message: fmt.Sprintf("hardware property %s: %q is not a positive number", name, value)}
				}
				out[name] = canonicalNumber(value)
			case PropertyArchitecture:
				if strings.TrimSpace(value) == "" {
					return nil, &Error{Code: InvalidArgument, Message: "hardware property architecture is empty"}
				}
				out[name] = strings.TrimSpace(value)
			default:
				return nil, &Error{Code: InvalidArgument, Message: fmt.Sprintf("hardware property %q is not one of cpu, memory, storage, architecture", name)}
			}
			continue
		}
		v, err := p.Check(value)
		if err != nil {
			return nil, err
		}
		out[name] = v
	}
	return out, nil
}

// Resolve returns the concrete value of every property: the override where
// one is given and valid, the default otherwise.
func (h HardwareProfile) Resolve(overrides map[string]string) (map[string]string, error) {
	checked, err := h.CheckOverrides(overrides)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(h.Properties)+len(checked))
	for _, p := range h.Properties {
		out[p.Name] = p.Default
	}
	maps.Copy(out, checked)
	return out, nil
}

func (h HardwareProfile) propertyNames() []string {
	names := make([]string, len(h.Properties))
	for i, p := range h.Properties {
		names[i] = p.Name
	}
	return names
}

// Validate checks that the profile is well formed: an id, known kinds, numeric
// bounds that parse, defaults that are allowed values.
func (h HardwareProfile) Validate() error {
	if h.ID == "" {
		return fmt.Errorf("deltacloud: hardware profile without an id")
	}
	for _, p := range h.Properties {
		if p.Kind == Range {
			f, ok1 := parseNumber(p.First)
			l, ok2 := parseNumber(p.Last)
			if !ok1 || !ok2 || f.Cmp(l) > 0 {
				return fmt.Errorf("deltacloud: hardware profile %s: property %s has a bad range %q..%q", h.ID, p.Name, p.First, p.Last)
			}
		}
		if p.Kind == Enum && len(p.Values) == 0 {
			return fmt.Errorf("deltacloud: hardware profile %s: enum property %s has no values", h.ID, p.Name)
		}
		if _, err := p.Check(p.Default); err != nil {
			return fmt.Errorf("deltacloud: hardware profile %s: default of %s: %w", h.ID, p.Name, err)
		}
	}
	return nil
}

// SortHardwareProfiles orders profiles as the Deltacloud API lists them: by
// default cpu, then default memory, with profiles lacking either (opaque)
// last; ties keep their order.
func SortHardwareProfiles(hs []HardwareProfile) {
	key := func(h HardwareProfile, name string) (*big.Rat, bool) {
		return parseNumber(h.Value(name))
	}
	slices.SortStableFunc(hs, func(a, b HardwareProfile) int {
		ac, ok1 := key(a, PropertyCPU)
		am, ok2 := key(a, PropertyMemory)
		bc, ok3 := key(b, PropertyCPU)
		bm, ok4 := key(b, PropertyMemory)
		aok, bok := ok1 && ok2, ok3 && ok4
		switch {
		case !aok && !bok:
			return 0
		case !aok:
			return 1
		case !bok:
			return -1
		}
		return cmp.Or(ac.Cmp(bc), am.Cmp(bm))
	})
}

// HardwareProfileFilter narrows a hardware profile listing; empty fields
// match everything.
type HardwareProfileFilter struct {
	ID           string
	Architecture string
}

// Match reports whether h passes the filter. A profile matches an
// architecture its architecture property allows (a fixed value equal to it,
// or an enum that includes it, as EC2's types that run both i386 and x86_64
// state), the same rule RunsImage applies at create; a profile that does not
// state an architecture (opaque) matches any architecture.
func (f HardwareProfileFilter) Match(h HardwareProfile) bool {
	if f.ID != "" && h.ID != f.ID {
		return false
	}
	if f.Architecture != "" {
		if p, ok := h.Property(PropertyArchitecture); ok && p.Default != "" && !p.Contains(f.Architecture) {
			return false
		}
	}
	return true
}

// HardwareProfiles lists hardware profiles in the Deltacloud order (see
// SortHardwareProfiles). Static profiles need no credentials.
func (p *Provider) HardwareProfiles(ctx context.Context, f HardwareProfileFilter) ([]HardwareProfile, error) {
	var hs []HardwareProfile
	err := p.call(ctx, "HardwareProfiles", f.ID, func() (err error) {
		hs, err = p.conn.HardwareProfiles(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	hs = slices.DeleteFunc(hs, func(h HardwareProfile) bool { return !f.Match(h) })
	SortHardwareProfiles(hs)
	return hs, nil
}

// HardwareProfile returns one profile; an unknown id is ErrNotFound.
func (p *Provider) HardwareProfile(ctx context.Context, id string) (*HardwareProfile, error) {
	if id == "" {
		return nil, argErr("HardwareProfile", "hardware profile id is empty")
	}
	if g, ok := p.conn.(HardwareProfileGetter); ok {
		var h *HardwareProfile
		err := p.call(ctx, "HardwareProfile", id, func() (err error) {
			h, err = g.HardwareProfile(ctx, id)
			if err == nil && h == nil {
				err = &Error{Code: Backend, Message: "the driver returned nothing"}
			}
			return err
		})
		if err != nil {
			return nil, err
		}
		return h, nil
	}
	hs, err := p.HardwareProfiles(ctx, HardwareProfileFilter{ID: id})
	if err != nil {
		return nil, err
	}
	return findByID(hs, "HardwareProfile", id, func(h HardwareProfile) string { return h.ID })
}
