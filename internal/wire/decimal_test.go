package wire_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud/internal/wire"
)

func TestDecimalJSON(t *testing.T) {
	cases := []struct{ in, want string }{
		{"0.3", `0.3`},
		{"1024", `1024`},
		{"-1.5e-7", `-1.5e-7`},
		{" 2.5 ", `2.5`},
		{"", `""`},
		{"NaN", `"NaN"`},
		{"01", `"01"`},
		{"1.", `"1."`},
		{".5", `".5"`},
		{"1e", `"1e"`},
		{"+1", `"+1"`},
		{"0x10", `"0x10"`},
	}
	for _, c := range cases {
		got, err := json.Marshal(wire.Decimal(c.in))
		if err != nil || string(got) != c.want {
			t.Errorf("Decimal(%q) = %s, %v; want %s", c.in, got, err, c.want)
		}
		var back wire.Decimal
		if err := json.Unmarshal(got, &back); err != nil || strings.TrimSpace(string(back)) != strings.TrimSpace(c.in) {
			t.Errorf("Decimal(%q) read back as %q, %v", c.in, back, err)
		}
	}
}

// FuzzDecimalJSON: a Decimal is always valid JSON, a number exactly when
// encoding/json reads its text as one, and reads back to its text.
func FuzzDecimalJSON(f *testing.F) {
	for _, s := range []string{"0.3", "-0", "1e10", "1E+2", "00", "-", "1.e3", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := json.Marshal(wire.Decimal(s))
		if err != nil {
			t.Fatalf("Marshal(%q): %v", s, err)
		}
		var n json.Number
		isNumber := json.Unmarshal([]byte(strings.TrimSpace(s)), &n) == nil && strings.TrimSpace(s) != "" &&
			!strings.ContainsAny(strings.TrimSpace(s)[:1], `"`)
		if isNumber != (len(got) > 0 && got[0] != '"') {
			t.Fatalf("Decimal(%q) = %s; encoding/json reads it as a number: %v", s, got, isNumber)
		}
	})
}
