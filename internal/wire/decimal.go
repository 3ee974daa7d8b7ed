package wire

import "encoding/json"

// Decimal is a JSON member the original writes as a number that need not be
// whole (a metric sample's 0.3). Its text is written as a JSON number when it
// is one, else as a string, so a value a remote server sent that is not a
// number is kept rather than lost.
type Decimal string

// MarshalJSON writes the number, or the text as a string.
func (d Decimal) MarshalJSON() ([]byte, error) {
	if s := text(string(d)); numberLiteral(s) {
		return []byte(s), nil
	}
	return json.Marshal(string(d))
}

// UnmarshalJSON reads a number or a string.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	var n json.Number
	if err := json.Unmarshal(data, &n); err == nil {
		*d = Decimal(n)
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	*d = Decimal(s)
	return nil
}

// numberLiteral reports whether s is a JSON number as RFC 8259 defines it:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func numberLiteral(s string) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case digits() == 0:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
