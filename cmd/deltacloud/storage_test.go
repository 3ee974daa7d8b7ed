package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestBlobRoundTrip: a file put with the command comes back the same, to
// a file and to stdout; a failed get leaves no file.
func TestBlobRoundTrip(t *testing.T) {
	dir, store := t.TempDir(), t.TempDir()
	data := make([]byte, 3<<20+17)
	rand.Read(data)
	in := filepath.Join(dir, "data.bin")
	if err := os.WriteFile(in, data, 0o600); err != nil {
		t.Fatal(err)
	}
	o := []string{"-O", "storage=" + store}
	if r := runCLI(t, mockEnv, append(o, "blobs", "put", "bucket1", in, "--metadata", "k=v")...); r.code != 0 {
		t.Fatalf("put: exit %d, %s", r.code, r.stderr)
	}
	out := filepath.Join(dir, "out.bin")
	if r := runCLI(t, mockEnv, append(o, "blobs", "get", "bucket1", "data.bin", "--output-file", out)...); r.code != 0 {
		t.Fatalf("get: exit %d, %s", r.code, r.stderr)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, data) {
		t.Errorf("file: %d bytes back, want the %d put", len(got), len(data))
	}
	if r := runCLI(t, mockEnv, append(o, "blobs", "get", "bucket1", "data.bin")...); r.stdout != string(data) {
		t.Errorf("stdout: %d bytes back, want %d", len(r.stdout), len(data))
	}
	r := runCLI(t, mockEnv, append(o, "blobs", "show", "bucket1", "data.bin", "-o", "json")...)
	if !strings.Contains(r.stdout, `"k": "v"`) && !strings.Contains(r.stdout, `"k":"v"`) {
		t.Errorf("show lacks the metadata: %s", r.stdout)
	}
	missing := filepath.Join(dir, "missing.bin")
	if r := runCLI(t, mockEnv, append(o, "blobs", "get", "bucket1", "nope", "--output-file", missing)...); r.code != 11 {
		t.Errorf("get nope: exit %d, %s", r.code, r.stderr)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 2 {
		t.Errorf("a failed get left files: %v", ents)
	}
}

func TestParseRule(t *testing.T) {
	tests := []struct {
		name           string
		protocol, port string
		addrs, groups  []string
		want           deltacloud.FirewallRuleSpec
		wantErr        string
	}{
		{"one port", "tcp", "22", []string{"0.0.0.0/0"}, nil, deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 22, PortTo: 22,
			Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: mustPrefix("0.0.0.0/0")}}}, ""},
		{"range and group", "udp", "8000-8080", nil, []string{"me/web"}, deltacloud.FirewallRuleSpec{Protocol: "udp", PortFrom: 8000, PortTo: 8080,
			Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceGroup, Group: "web", Owner: "me"}}}, ""},
		{"bad port", "tcp", "ssh", []string{"0.0.0.0/0"}, nil, deltacloud.FirewallRuleSpec{}, "not a port"},
		{"bad block", "tcp", "22", []string{"everyone"}, nil, deltacloud.FirewallRuleSpec{}, "not an address block"},
		{"no source", "tcp", "22", nil, nil, deltacloud.FirewallRuleSpec{}, "needs --source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseRule(tt.protocol, tt.port, tt.addrs, tt.groups)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || exitCode(err) != exitUsage {
					t.Errorf("err %v, want a usage error with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b interface{ String() string }) bool { return a.String() == b.String() })); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBar(t *testing.T) {
	tests := []struct {
		n, total int64
		want     string
	}{
		{0, 100, "[                              ]   0% 0.0 MiB"},
		{50, 100, "[###############               ]  50% 0.0 MiB"},
		{3 << 20, 3 << 20, "[##############################] 100% 3.0 MiB"},
		{5 << 20, 0, "5.0 MiB"},
		{200, 100, "[##############################] 100% 0.0 MiB"},
	}
	for _, tt := range tests {
		if got := bar(tt.n, tt.total); got != tt.want {
			t.Errorf("bar(%d, %d) = %q, want %q", tt.n, tt.total, got, tt.want)
		}
	}
}
