package api

import (
	"slices"
	"strings"
	"testing"
)

var (
	stdFormats    = []format{formatXML, formatJSON, formatHTML}
	statesFormats = []format{formatXML, formatJSON, formatHTML, formatGV}
)

// TestNegotiate checks format selection as the original server does it: format=
// decides when present; else the Accept header by q-value among the formats
// the route offers, ties going xml > json > html; no or an empty Accept
// header means XML; */* means HTML; nothing acceptable is 406 (ok false).
func TestNegotiate(t *testing.T) {
	tests := []struct {
		name    string
		param   string
		has     bool // the query string has format=
		accept  string
		offered []format
		want    format
		ok      bool
	}{
		// format= beats Accept.
		{name: "format json beats Accept xml", param: "json", has: true, accept: "application/xml", offered: stdFormats, want: formatJSON, ok: true},
		{name: "format xml beats */*", param: "xml", has: true, accept: "*/*", offered: stdFormats, want: formatXML, ok: true},
		{name: "format html", param: "html", has: true, offered: stdFormats, want: formatHTML, ok: true},
		{name: "format is case-insensitive", param: "JSON", has: true, offered: stdFormats, want: formatJSON, ok: true},
		{name: "format bogus is 406 whatever Accept says", param: "bogus", has: true, accept: "application/xml", offered: stdFormats},
		{name: "empty format= decides too: 406", param: "", has: true, accept: "application/xml", offered: stdFormats},
		{name: "format gv only on instance_states", param: "gv", has: true, offered: stdFormats},
		{name: "format gv on instance_states", param: "gv", has: true, offered: statesFormats, want: formatGV, ok: true},
		{name: "format png is offered nowhere", param: "png", has: true, offered: statesFormats},

		// No or an empty Accept header: XML.
		{name: "no Accept", offered: stdFormats, want: formatXML, ok: true},
		{name: "blank Accept", accept: "  ", offered: stdFormats, want: formatXML, ok: true},
		{name: "no Accept on a route without XML", offered: []format{formatHTML}},

		// Media types.
		{name: "*/* is HTML", accept: "*/*", offered: stdFormats, want: formatHTML, ok: true},
		{name: "application/xml", accept: "application/xml", offered: stdFormats, want: formatXML, ok: true},
		{name: "text/xml", accept: "text/xml", offered: stdFormats, want: formatXML, ok: true},
		{name: "application/json", accept: "application/json", offered: stdFormats, want: formatJSON, ok: true},
		{name: "text/html", accept: "text/html", offered: stdFormats, want: formatHTML, ok: true},
		{name: "application/xhtml+xml", accept: "application/xhtml+xml", offered: stdFormats, want: formatHTML, ok: true},
		{name: "media types are case-insensitive", accept: "Application/JSON", offered: stdFormats, want: formatJSON, ok: true},
		{name: "spaces around parts and parameters", accept: " text/plain ,  application/json ; q=1 ", offered: stdFormats, want: formatJSON, ok: true},
		{name: "application/unknown is 406", accept: "application/unknown", offered: stdFormats},
		{name: "unknown next to a known type", accept: "application/unknown, application/json;q=0.1", offered: stdFormats, want: formatJSON, ok: true},
		{name: "gv by Accept on instance_states", accept: "application/ghostscript", offered: statesFormats, want: formatGV, ok: true},
		{name: "gv by Accept elsewhere is 406", accept: "application/ghostscript", offered: stdFormats},
		{name: "png by Accept is offered nowhere", accept: "image/png", offered: statesFormats},
		{name: "a type the route lacks falls to the next best", accept: "application/ghostscript, application/xml;q=0.5", offered: stdFormats, want: formatXML, ok: true},

		// q-values.
		{name: "higher q wins", accept: "application/xml;q=0.5, application/json", offered: stdFormats, want: formatJSON, ok: true},
		{name: "html by q", accept: "application/json;q=0.9, text/html", offered: stdFormats, want: formatHTML, ok: true},
		{name: "*/* with a low q", accept: "*/*;q=0.1, application/json;q=0.2", offered: stdFormats, want: formatJSON, ok: true},
		{name: "q=0 is not acceptable", accept: "application/xml;q=0, application/json;q=0.1", offered: stdFormats, want: formatJSON, ok: true},
		{name: "only q=0 is 406", accept: "application/json;q=0", offered: stdFormats},
		{name: "invalid q ignores the part", accept: "application/xml;q=abc, application/json;q=0.1", offered: stdFormats, want: formatJSON, ok: true},
		{name: "q above 1 ignores the part", accept: "application/xml;q=2, application/json;q=0.5", offered: stdFormats, want: formatJSON, ok: true},
		{name: "malformed part is skipped", accept: "garbage;;;=, application/json", offered: stdFormats, want: formatJSON, ok: true},
		{name: "browser Accept is HTML", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", offered: stdFormats, want: formatHTML, ok: true},

		// Ties: xml > json > html, whatever the order in the header.
		{name: "tie html json xml", accept: "text/html, application/json, application/xml", offered: stdFormats, want: formatXML, ok: true},
		{name: "tie html json", accept: "text/html, application/json", offered: stdFormats, want: formatJSON, ok: true},
		{name: "tie */* json", accept: "*/*, application/json", offered: stdFormats, want: formatJSON, ok: true},
		{name: "tie at equal q", accept: "application/json;q=0.5, application/xml;q=0.5", offered: stdFormats, want: formatXML, ok: true},
		{name: "tie html gv", accept: "application/ghostscript, text/html", offered: statesFormats, want: formatHTML, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := negotiate(tt.param, tt.has, tt.accept, tt.offered)
			if ok != tt.ok || (ok && got != tt.want) {
				t.Errorf("negotiate(%q, %v, %q, %v) = %q, %v; want %q, %v", tt.param, tt.has, tt.accept, tt.offered, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// FuzzNegotiate: negotiate never panics, and what it accepts is one of the
// offered formats: the format parameter's when there is one, XML when there
// is no Accept header.
func FuzzNegotiate(f *testing.F) {
	f.Add("", false, "", uint8(0b111))
	f.Add("json", true, "application/xml", uint8(0b111))
	f.Add("", false, "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", uint8(0b111))
	f.Add("", false, "application/json;q=0.5, application/xml;q=0.5", uint8(0b011))
	f.Add("", false, "application/ghostscript;q=1.0", uint8(0b1111))
	f.Add("GV", true, "", uint8(0b11111))
	f.Add("", false, `*/*;q="0.5";charset=utf-8, text/xml;level=1;q=0.001`, uint8(0b10101))
	all := []format{formatXML, formatJSON, formatHTML, formatGV, formatPNG}
	f.Fuzz(func(t *testing.T, param string, has bool, accept string, mask uint8) {
		var offered []format
		for i, fm := range all {
			if mask&(1<<i) != 0 {
				offered = append(offered, fm)
			}
		}
		got, ok := negotiate(param, has, accept, offered)
		if !ok {
			return
		}
		if !slices.Contains(offered, got) {
			t.Fatalf("negotiate(%q, %v, %q, %v) = %q, not offered", param, has, accept, offered, got)
		}
		if has && got != format(strings.ToLower(strings.TrimSpace(param))) {
			t.Fatalf("negotiate(%q, true, …) = %q, not the format parameter", param, got)
		}
		if !has && strings.TrimSpace(accept) == "" && got != formatXML {
			t.Fatalf("no Accept gave %q, want xml", got)
		}
	})
}
