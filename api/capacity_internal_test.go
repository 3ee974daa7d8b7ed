package api

import (
	"errors"
	"strconv"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// FuzzParseCapacity: the capacity parser never panics, fails only with
// InvalidArgument, and what it accepts is a whole number of GB in bounds
// that reads back the same.
func FuzzParseCapacity(f *testing.F) {
	for _, s := range []string{"", "1", " 10 ", "5GB", "5 gb", "-1", "1.5", "1e3", "0x10", "99999999999999999999", "GB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseCapacity(s)
		if err != nil {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Fatalf("%q: %v is not InvalidArgument", s, err)
			}
			return
		}
		if n < 0 || n > maxCapacity {
			t.Fatalf("%q: %d out of bounds", s, n)
		}
		if back, err := parseCapacity(strconv.Itoa(n)); err != nil || back != n {
			t.Fatalf("%q → %d → %d, %v", s, n, back, err)
		}
	})
}
