package wire

import (
	"fmt"
	"strings"
	"time"
)

// TimeLayout is how the original server writes the times of its mock
// fixtures, such as an image's creation_time: "Thu Oct 25 14:27:53 CEST
// 2012". It is Ruby 1.8's Time#to_s, strftime("%a %b %d %H:%M:%S %Z %Y"),
// whose %d pads the day with a zero ("Tue Oct 02 …"); the fixtures store
// that text as is.
const TimeLayout = "Mon Jan 02 15:04:05 MST 2006"

// CreatedTimeLayout is how the original server writes the times of objects
// it made itself (a new volume's created, a blob's last_modified):
// "2026-12-04 14:08:17 +0000", Ruby 1.9's Time#to_s, always with a numeric
// zone.
const CreatedTimeLayout = "2006-01-02 15:04:05 -0700"

// zoneOffsets are the zone abbreviations FormatTime writes and ParseTime
// understands, with their offsets from UTC in seconds. An abbreviation means
// nothing by itself to a parser (Go reads an unknown one as UTC+0), so only
// common, unambiguous ones are listed; other zones are written numerically.
var zoneOffsets = map[string]int{
	"UTC": 0, "GMT": 0, "UT": 0, "WET": 0,
	"WEST": 1 * 3600, "BST": 1 * 3600, "CET": 1 * 3600,
	"CEST": 2 * 3600, "EET": 2 * 3600, "SAST": 2 * 3600,
	"EEST": 3 * 3600, "MSK": 3 * 3600,
	"SGT": 8 * 3600, "HKT": 8 * 3600, "AWST": 8 * 3600,
	"JST": 9 * 3600, "KST": 9 * 3600, "ACST": 9*3600 + 1800,
	"AEST": 10 * 3600, "AEDT": 11 * 3600,
	"NZST": 12 * 3600, "NZDT": 13 * 3600,
	"HST": -10 * 3600, "AKST": -9 * 3600, "AKDT": -8 * 3600,
	"PST": -8 * 3600, "PDT": -7 * 3600, "MST": -7 * 3600, "MDT": -6 * 3600,
	"CST": -6 * 3600, "CDT": -5 * 3600, "EST": -5 * 3600, "EDT": -4 * 3600,
}

// FormatTime writes t as the original server does, or "" for the zero time.
// The original wrote two forms, and the time's location says which: a time
// in a named zone (time.FixedZone("CEST", 7200), or "UTC" as a FixedZone, as
// the mock's fixtures and ParseTime of a fixture's text give) is written in
// TimeLayout, as the fixtures were; a time in time.UTC (what time.Now().UTC()
// and the clouds' APIs give) or in a zone without a known, unambiguous
// abbreviation is written in CreatedTimeLayout, as the original wrote objects
// it made. A time with a fraction of a second is written in RFC 3339, which
// keeps it. ParseTime reads all of these back to the same instant and form.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Nanosecond() != 0 {
		return t.Format(time.RFC3339Nano)
	}
	if t.Location() != time.UTC {
		name, off := t.Zone()
		if o, ok := zoneOffsets[name]; ok && o == off {
			return t.Format(TimeLayout)
		}
	}
	return t.Format(CreatedTimeLayout)
}

// namedUTC is UTC written by its name (TimeLayout); time.UTC itself is
// written numerically (CreatedTimeLayout).
var namedUTC = time.FixedZone("UTC", 0)

// parseLayouts are the time forms Deltacloud servers send: Ruby 1.8's
// Time#to_s (mock fixtures), its numeric-zone variant, RFC 3339 (EC2 and
// OpenStack pass their clouds' times through), Ruby 1.9's Time#to_s and
// ctime.
var parseLayouts = []string{
	"Mon Jan _2 15:04:05 MST 2006",
	"Mon Jan _2 15:04:05 -0700 2006",
	time.RFC3339Nano,
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02T15:04:05",
	time.ANSIC,
}

// ParseTime reads a time in any of the forms Deltacloud servers write (see
// FormatTime); "" is the zero time. A zone abbreviation gets its offset from
// a table of common, unambiguous zones; an unknown one is taken as UTC, as a
// parser cannot know better. Times without a zone are UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range parseLayouts {
		t, err := time.ParseInLocation(layout, s, time.UTC)
		if err != nil {
			continue
		}
		if name, off := t.Zone(); off == 0 && name != "" && name != "UTC" {
			if o, ok := zoneOffsets[name]; ok {
				t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.FixedZone(name, o))
			}
		} else if layout == parseLayouts[0] && name == "UTC" {
			// Keep the named form, so the time is written back as it came.
			t = t.In(namedUTC)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("wire: unrecognised time %q", s)
}
