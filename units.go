package deltacloud

import (
	"fmt"
	"math/big"
)

// SizeUnit is a unit of data size, counted in bytes, for exact conversions
// between the units clouds publish their figures in (ConvertSize). It is
// separate from the Unit labels of hardware properties: the label "MB" on
// memory means MiB (see UnitMB), while DecimalMB here is 10^6 bytes.
type SizeUnit int64

// The binary (IEC) and decimal (SI) size units.
const (
	Bytes SizeUnit = 1
	KiB   SizeUnit = 1 << 10
	MiB   SizeUnit = 1 << 20
	GiB   SizeUnit = 1 << 30
	TiB   SizeUnit = 1 << 40

	DecimalKB SizeUnit = 1e3
	DecimalMB SizeUnit = 1e6
	DecimalGB SizeUnit = 1e9
	DecimalTB SizeUnit = 1e12
)

// String names the unit ("MiB", "GB" for DecimalGB).
func (u SizeUnit) String() string {
	switch u {
	case Bytes:
		return "B"
	case KiB:
		return "KiB"
	case MiB:
		return "MiB"
	case GiB:
		return "GiB"
	case TiB:
		return "TiB"
	case DecimalKB:
		return "kB"
	case DecimalMB:
		return "MB"
	case DecimalGB:
		return "GB"
	case DecimalTB:
		return "TB"
	}
	return fmt.Sprintf("%d bytes", int64(u))
}

// ConvertSize converts a decimal figure from one size unit to another
// exactly: ConvertSize("0.5", GiB, MiB) is "512" and ConvertSize("475",
// DecimalGB, GiB) is "442.378222942352294921875". Because every unit is a
// product of powers of 2 and 5, the result is always a finite decimal, so
// nothing is rounded. A value that is not a plain decimal number, or a unit
// that is not positive, is ErrInvalidArgument.
func ConvertSize(value string, from, to SizeUnit) (string, error) {
	if from <= 0 || to <= 0 {
		return "", &Error{Code: InvalidArgument, Message: fmt.Sprintf("size units must be positive, not %d and %d bytes", from, to)}
	}
	v, ok := parseNumber(value)
	if !ok {
		return "", &Error{Code: InvalidArgument, Message: fmt.Sprintf("size %q is not a decimal number", value)}
	}
	v.Mul(v, big.NewRat(int64(from), int64(to)))
	s, ok := formatDecimal(v)
	if !ok {
		// Only units that are not products of 2s and 5s get here.
		return "", &Error{Code: InvalidArgument, Message: fmt.Sprintf("%s %s has no exact decimal value in %s", value, from, to)}
	}
	return s, nil
}

// formatDecimal writes r as an exact decimal without superfluous zeros;
// false when r has no finite decimal expansion (a third).
func formatDecimal(r *big.Rat) (string, bool) {
	if r.IsInt() {
		return r.Num().String(), true
	}
	n, exact := r.FloatPrec()
	if !exact {
		return "", false
	}
	return canonicalNumber(r.FloatString(n)), true
}
