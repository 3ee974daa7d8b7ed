package deltacloud_test

import (
	"errors"
	"testing"

	dc "github.com/deltacloud-go/deltacloud"
)

func TestConvertSize(t *testing.T) {
	tests := []struct {
		value    string
		from, to dc.SizeUnit
		want     string
	}{
		{"0.5", dc.GiB, dc.MiB, "512"},
		{"1.7", dc.GiB, dc.MiB, "1740.8"},
		{"16384", dc.MiB, dc.GiB, "16"},
		{"4095", dc.MiB, dc.GiB, "3.9990234375"},
		{"475", dc.DecimalGB, dc.GiB, "442.378222942352294921875"},
		{"1", dc.GiB, dc.DecimalGB, "1.073741824"},
		{"1", dc.Bytes, dc.MiB, "0.00000095367431640625"},
		{"1024", dc.KiB, dc.MiB, "1"},
		{"2", dc.TiB, dc.GiB, "2048"},
		{"1.5", dc.DecimalTB, dc.DecimalGB, "1500"},
		{"007.50", dc.MiB, dc.MiB, "7.5"},
		{"0", dc.GiB, dc.MiB, "0"},
	}
	for _, tt := range tests {
		got, err := dc.ConvertSize(tt.value, tt.from, tt.to)
		if err != nil || got != tt.want {
			t.Errorf("ConvertSize(%q, %s, %s) = %q, %v; want %q", tt.value, tt.from, tt.to, got, err, tt.want)
		}
	}
}

func TestConvertSizeErrors(t *testing.T) {
	tests := []struct {
		value    string
		from, to dc.SizeUnit
	}{
		{"1e3", dc.MiB, dc.GiB},
		{"", dc.MiB, dc.GiB},
		{"four", dc.MiB, dc.GiB},
		{"1", 0, dc.GiB},
		{"1", dc.MiB, -1},
		{"1", dc.Bytes, 3}, // a third has no finite decimal
	}
	for _, tt := range tests {
		got, err := dc.ConvertSize(tt.value, tt.from, tt.to)
		if !errors.Is(err, dc.ErrInvalidArgument) {
			t.Errorf("ConvertSize(%q, %s, %s) = %q, %v; want ErrInvalidArgument", tt.value, tt.from, tt.to, got, err)
		}
	}
}

func TestSizeUnitString(t *testing.T) {
	for u, want := range map[dc.SizeUnit]string{dc.MiB: "MiB", dc.GiB: "GiB", dc.DecimalGB: "GB", dc.Bytes: "B", 3: "3 bytes"} {
		if got := u.String(); got != want {
			t.Errorf("SizeUnit(%d).String() = %q, want %q", int64(u), got, want)
		}
	}
}

func TestDisplayUnit(t *testing.T) {
	for unit, want := range map[string]string{dc.UnitMB: "MiB", dc.UnitGB: "GB", dc.UnitCount: "", dc.UnitLabel: "", "GHz": "GHz"} {
		if got := dc.DisplayUnit(unit); got != want {
			t.Errorf("DisplayUnit(%q) = %q, want %q", unit, got, want)
		}
	}
}
