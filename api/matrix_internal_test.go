package api

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestSplitMatrix checks the removal of matrix parameters (";k=v") from
// escaped paths.
func TestSplitMatrix(t *testing.T) {
	type m = map[string]map[string]string
	tests := []struct {
		name   string
		path   string
		segs   []string
		matrix m
		ok     bool
	}{
		{name: "driver and provider", path: "/api;driver=ec2;provider=us-west-1/instances",
			segs: []string{"api", "instances"}, matrix: m{"api": {"driver": "ec2", "provider": "us-west-1"}}, ok: true},
		{name: "any order", path: "/api;provider=us-west-1;driver=ec2/instances",
			segs: []string{"api", "instances"}, matrix: m{"api": {"driver": "ec2", "provider": "us-west-1"}}, ok: true},
		{name: "on the last segment", path: "/api;driver=ec2",
			segs: []string{"api"}, matrix: m{"api": {"driver": "ec2"}}, ok: true},
		{name: "more path after", path: "/api;driver=ec2/hardware_profiles/m1-small",
			segs: []string{"api", "hardware_profiles", "m1-small"}, matrix: m{"api": {"driver": "ec2"}}, ok: true},
		{name: "escaped value", path: "/api;provider=http%3A%2F%2F10.0.0.1%2F/realms",
			segs: []string{"api", "realms"}, matrix: m{"api": {"provider": "http://10.0.0.1/"}}, ok: true},
		{name: "escaped key", path: "/api;dri%76er=mock",
			segs: []string{"api"}, matrix: m{"api": {"driver": "mock"}}, ok: true},
		{name: "escaped semicolon is data, not a parameter", path: "/api/instances/a%3Bdriver=x",
			segs: []string{"api", "instances", "a;driver=x"}, matrix: m{}, ok: true},
		{name: "escaped slash stays in its segment", path: "/api/images/a%2Fb",
			segs: []string{"api", "images", "a/b"}, matrix: m{}, ok: true},
		{name: "other segments", path: "/api/instances;image_id=img1",
			segs: []string{"api", "instances"}, matrix: m{"instances": {"image_id": "img1"}}, ok: true},
		{name: "action segment", path: "/api/instances/inst1/run;id=inst1",
			segs: []string{"api", "instances", "inst1", "run"}, matrix: m{"run": {"id": "inst1"}}, ok: true},
		{name: "no value", path: "/api;driver",
			segs: []string{"api"}, matrix: m{"api": {"driver": ""}}, ok: true},
		{name: "empty parameters are skipped", path: "/api;;driver=mock;",
			segs: []string{"api"}, matrix: m{"api": {"driver": "mock"}}, ok: true},
		{name: "value with =", path: "/api;provider=a=b",
			segs: []string{"api"}, matrix: m{"api": {"provider": "a=b"}}, ok: true},
		{name: "repeated key: last wins", path: "/api;driver=ec2;driver=mock",
			segs: []string{"api"}, matrix: m{"api": {"driver": "mock"}}, ok: true},
		{name: "no matrix", path: "/api/realms/us",
			segs: []string{"api", "realms", "us"}, matrix: m{}, ok: true},
		{name: "trailing slash", path: "/api/",
			segs: []string{"api"}, matrix: m{}, ok: true},
		{name: "inner empty segment (skipped, as the original)", path: "/api//realms",
			segs: []string{"api", "realms"}, matrix: m{}, ok: true},
		{name: "empty path", path: "", matrix: m{}, ok: true},
		{name: "root", path: "/", matrix: m{}, ok: true},
		{name: "parameters of the root", path: "/;driver=x", matrix: m{"": {"driver": "x"}}, ok: true},
		{name: "malformed escape in a segment", path: "/api/realms/%zz"},
		{name: "malformed escape in a value", path: "/api;driver=%zz/realms"},
		{name: "malformed escape in a key", path: "/api;%g0=x"},
		{name: "truncated escape", path: "/api;provider=%4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			segs, matrix, ok := splitMatrix(tt.path, nil)
			if ok != tt.ok {
				t.Fatalf("splitMatrix(%q) ok = %v, want %v", tt.path, ok, tt.ok)
			}
			if !ok {
				return
			}
			if diff := cmp.Diff(tt.segs, segs); diff != "" {
				t.Errorf("segments (-want +got):\n%s", diff)
			}
			// No parameters may come as a nil map: one is made only when needed.
			if diff := cmp.Diff(tt.matrix, matrix, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("matrix (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzSplitMatrix: splitMatrix never panics; every parameter belongs to a
// segment it returns (or to the empty root segment); and the clean segments, escaped and joined again,
// make a path without parameters that splits into the same segments
// (leading and trailing empty segments aside, which the path form cannot
// keep).
func FuzzSplitMatrix(f *testing.F) {
	for _, s := range []string{
		"/api;driver=ec2;provider=us-west-1/instances", "/api;provider=http%3A%2F%2F10.0.0.1%2F",
		"/api/instances/a%3Bb", "/api//x;;=;a=%20", "", "/", ";", "/;x=1/a/", "/api;driver=%zz", "%2F%3B;%3B=%3B",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		segs, matrix, ok := splitMatrix(path, nil)
		if !ok {
			return
		}
		for name := range matrix {
			// A path of one empty segment ("/;k=v") returns no segments
			// but keeps its parameters under "".
			if !slices.Contains(segs, name) && (name != "" || len(segs) != 0) {
				t.Fatalf("splitMatrix(%q): parameters of %q, which is not a segment of %q", path, name, segs)
			}
		}
		escaped := make([]string, len(segs))
		for i, s := range segs {
			escaped[i] = url.PathEscape(s)
		}
		clean := "/" + strings.Join(escaped, "/")
		if strings.Contains(clean, ";") {
			t.Fatalf("re-joined %q holds a ';'", clean)
		}
		segs2, matrix2, ok := splitMatrix(clean, nil)
		if !ok {
			t.Fatalf("re-joined %q does not split", clean)
		}
		if len(matrix2) != 0 {
			t.Fatalf("re-joined %q has parameters %v", clean, matrix2)
		}
		trim := func(s []string) []string {
			for len(s) > 0 && s[0] == "" {
				s = s[1:]
			}
			for len(s) > 0 && s[len(s)-1] == "" {
				s = s[:len(s)-1]
			}
			return s
		}
		if !slices.Equal(trim(segs), trim(segs2)) {
			t.Fatalf("splitMatrix(%q) = %q; re-joined as %q it splits into %q", path, segs, clean, segs2)
		}
	})
}
