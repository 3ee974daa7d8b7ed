package deltacloud

import (
	"math/big"
	"slices"
	"strings"
)

// Numeric reports whether the property's values are numbers: cpu, memory,
// storage and any other property whose unit is not UnitLabel. Architecture
// is a label. The numeric methods (Bounds, SmallestAtLeast) answer only for
// numeric properties.
func (p Property) Numeric() bool { return p.numeric() }

// Contains reports whether the property allows value: the fixed value, a
// member of an enum, or a number in a range (on its step, if it has one).
// Numbers compare exactly, so "1024.0" is in an enum of "1024".
func (p Property) Contains(value string) bool {
	_, err := p.Check(value)
	return err == nil
}

// Members returns the values a fixed or enum property allows, in canonical
// form and smallest first for numbers (labels keep the cloud's order). A
// range lists nothing (ok is false): it may allow any number between its
// bounds, so use Bounds, Contains and SmallestAtLeast instead.
func (p Property) Members() (values []string, ok bool) {
	switch p.Kind {
	case Fixed:
		if p.numeric() {
			if _, ok := parseNumber(p.Default); !ok {
				return nil, false
			}
			return []string{canonicalNumber(p.Default)}, true
		}
		return []string{p.Default}, true
	case Enum:
		if !p.numeric() {
			return slices.Clone(p.Values), true
		}
		nums, ok := p.enumNumbers()
		if !ok {
			return nil, false
		}
		out := make([]string, 0, len(nums))
		for _, n := range nums {
			if s, _ := formatDecimal(n); len(out) == 0 || out[len(out)-1] != s {
				out = append(out, s)
			}
		}
		return out, true
	}
	return nil, false
}

// Bounds returns the smallest and the largest value a numeric property
// allows, in canonical form: the fixed value twice, an enum's least and
// greatest members, a range's first value and its last reachable one (with
// a step of 2 from 1, a range to 6 ends at 5). ok is false for a label
// property and for values that are not numbers.
func (p Property) Bounds() (min, max string, ok bool) {
	lo, hi, ok := p.bounds()
	if !ok {
		return "", "", false
	}
	min, _ = formatDecimal(lo)
	max, _ = formatDecimal(hi)
	return min, max, true
}

// SmallestAtLeast returns the smallest value the property allows that is at
// least atLeast, in canonical form: for a range, atLeast itself when it lies
// inside (rounded up to the next step when the range has one) or the first
// value when atLeast is below it; for an enum, its smallest member not below
// atLeast; for a fixed property, its value when that is enough. ok is false
// when nothing the property allows is that large, when the property is a
// label, or when atLeast is not a number.
func (p Property) SmallestAtLeast(atLeast string) (value string, ok bool) {
	n, ok := parseNumber(atLeast)
	if !ok || !p.numeric() {
		return "", false
	}
	v, ok := p.smallestAtLeast(n)
	if !ok {
		return "", false
	}
	return formatDecimal(v)
}

// smallestAtLeast is SmallestAtLeast on numbers.
func (p Property) smallestAtLeast(n *big.Rat) (*big.Rat, bool) {
	switch p.Kind {
	case Fixed:
		v, ok := parseNumber(p.Default)
		return v, ok && v.Cmp(n) >= 0
	case Enum:
		nums, ok := p.enumNumbers()
		if !ok {
			return nil, false
		}
		i := slices.IndexFunc(nums, func(v *big.Rat) bool { return v.Cmp(n) >= 0 })
		if i < 0 {
			return nil, false
		}
		return nums[i], true
	case Range:
		first, last, step, ok := p.rangeNumbers()
		if !ok {
			return nil, false
		}
		if n.Cmp(first) <= 0 {
			return first, true
		}
		v := new(big.Rat).Set(n)
		if step != nil {
			// first + ceil((n-first)/step) × step
			q := new(big.Rat).Quo(new(big.Rat).Sub(n, first), step)
			k := ceilRat(q)
			v.Mul(new(big.Rat).SetInt(k), step)
			v.Add(v, first)
		}
		return v, v.Cmp(last) <= 0
	}
	return nil, false
}

// bounds is Bounds on numbers.
func (p Property) bounds() (lo, hi *big.Rat, ok bool) {
	if !p.numeric() {
		return nil, nil, false
	}
	switch p.Kind {
	case Fixed:
		v, ok := parseNumber(p.Default)
		return v, v, ok
	case Enum:
		nums, ok := p.enumNumbers()
		if !ok {
			return nil, nil, false
		}
		return nums[0], nums[len(nums)-1], true
	case Range:
		first, last, step, ok := p.rangeNumbers()
		if !ok {
			return nil, nil, false
		}
		if step != nil {
			// first + floor((last-first)/step) × step
			q := new(big.Rat).Quo(new(big.Rat).Sub(last, first), step)
			k := new(big.Int).Quo(q.Num(), q.Denom()) // q ≥ 0, so Quo floors
			last = new(big.Rat).Mul(new(big.Rat).SetInt(k), step)
			last.Add(last, first)
		}
		return first, last, true
	}
	return nil, nil, false
}

// enumNumbers parses an enum's values, smallest first; false if there are
// none or one is not a number.
func (p Property) enumNumbers() ([]*big.Rat, bool) {
	if len(p.Values) == 0 {
		return nil, false
	}
	nums := make([]*big.Rat, len(p.Values))
	for i, s := range p.Values {
		v, ok := parseNumber(s)
		if !ok {
			return nil, false
		}
		nums[i] = v
	}
	slices.SortFunc(nums, (*big.Rat).Cmp)
	return nums, true
}

// rangeNumbers parses a range's bounds and step (nil when it has none or
// the step is not positive, as Check treats it); false when a bound is not
// a number or first > last.
func (p Property) rangeNumbers() (first, last, step *big.Rat, ok bool) {
	first, ok1 := parseNumber(p.First)
	last, ok2 := parseNumber(p.Last)
	if !ok1 || !ok2 || first.Cmp(last) > 0 {
		return nil, nil, nil, false
	}
	if strings.TrimSpace(p.Step) != "" {
		if s, ok := parseNumber(p.Step); ok && s.Sign() > 0 {
			step = s
		}
	}
	return first, last, step, true
}

// ceilRat rounds q up to an integer.
func ceilRat(q *big.Rat) *big.Int {
	k, m := new(big.Int).QuoRem(q.Num(), q.Denom(), new(big.Int))
	if m.Sign() > 0 {
		k.Add(k, big.NewInt(1))
	}
	return k
}
