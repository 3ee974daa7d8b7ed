package main

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConfigProfiles: flags over environment over the profile, and a file
// holding a password must be private.
func TestConfigProfiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good.json", `{"default":"lab","profiles":{"lab":{"driver":"mock","user":"mockuser","password":"mockpassword"},
		"wrong":{"user":"mockuser","password":"nope"}}}`, 0o600)
	open := write("open.json", `{"default":"lab","profiles":{"lab":{"user":"mockuser","password":"mockpassword"}}}`, 0o644)
	bad := write("bad.json", `{"profiles":`, 0o600)
	tests := []struct {
		name   string
		vars   map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"default profile", nil, []string{"--config", good, "realms", "list"}, 0, ""},
		{"named profile", nil, []string{"--config", good, "--profile", "wrong", "realms", "list"}, 12, "authentication failure"},
		{"environment over profile", mockEnv, []string{"--config", good, "--profile", "wrong", "realms", "list"}, 0, ""},
		{"flag over environment", mockEnv, []string{"--config", good, "--password", "x", "realms", "list"}, 12, "authentication failure"},
		{"unknown profile", nil, []string{"--config", good, "--profile", "nope", "realms", "list"}, 2, `no profile "nope"`},
		{"password readable by others", nil, []string{"--config", open, "realms", "list"}, 1, "chmod 600"},
		{"malformed", nil, []string{"--config", bad, "realms", "list"}, 1, "bad.json"},
		{"missing file is no profile", mockEnv, []string{"--config", filepath.Join(dir, "none.json"), "realms", "list"}, 0, ""},
		{"missing file with a profile asked", mockEnv, []string{"--config", filepath.Join(dir, "none.json"), "--profile", "x", "realms", "list"}, 1, "none.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.vars, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want %d with %q", r.code, r.stderr, tt.code, tt.stderr)
			}
			if strings.Contains(r.stderr, "mockpassword") {
				t.Errorf("stderr shows the password")
			}
		})
	}
}

// TestCompletion: instance ids come from the cloud.
func TestCompletion(t *testing.T) {
	r := runCLI(t, mockEnv, "__complete", "instances", "stop", "inst")
	for _, id := range []string{"inst0\t", "inst1\t", "inst3\t"} {
		if !strings.Contains(r.stdout, id) {
			t.Errorf("completion lacks %q:\n%s", id, r.stdout)
		}
	}
	r = runCLI(t, mockEnv, "completion", "bash")
	if r.code != 0 || !strings.Contains(r.stdout, "bash completion") {
		t.Errorf("completion bash: exit %d, %.80q", r.code, r.stdout)
	}
}

func mustPrefix(s string) netip.Prefix { return netip.MustParsePrefix(s) }
