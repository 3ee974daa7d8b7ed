package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud/api"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// mockEnv is the environment of a user of the mock cloud.
var mockEnv = map[string]string{"DELTACLOUD_USER": "mockuser", "DELTACLOUD_PASSWORD": "mockpassword"}

// result is what one run printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command in-process with vars as its environment and no
// config file unless args name one.
func runCLI(t *testing.T, vars map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	if !strings.Contains(strings.Join(args, " "), "--config") {
		args = append([]string{"--config", filepath.Join(t.TempDir(), "none.json")}, args...)
	}
	code := run(t.Context(), args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] }})
	return result{code, out.String(), errb.String()}
}

// golden compares got with testdata/name, or writes it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
}

// TestGolden: tables and documents on the mock, byte for byte.
func TestGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"instances_list.txt", []string{"instances", "list"}},
		{"instances_show.json", []string{"instances", "show", "inst0", "-o", "json"}},
		{"instances_show.yaml", []string{"instances", "show", "inst1", "-o", "yaml"}},
		{"instances_list_stopped.txt", []string{"instances", "list", "--state", "stopped"}},
		{"profiles_list.txt", []string{"profiles", "list"}},
		{"profiles_show.json", []string{"profiles", "show", "m1-large", "-o", "json"}},
		{"realms_list.txt", []string{"realms", "list"}},
		{"images_list.txt", []string{"images", "list"}},
		{"images_list_owner.json", []string{"images", "list", "--owner", "mockuser", "-o", "json"}},
		{"volumes_list.txt", []string{"volumes", "list"}},
		{"snapshots_list.txt", []string{"snapshots", "list"}},
		{"addresses_list.txt", []string{"addresses", "list"}},
		{"buckets_list.txt", []string{"buckets", "list"}},
		{"metrics_list.txt", []string{"metrics", "list"}},
		{"states.txt", []string{"states"}},
		{"states.dot", []string{"states", "--dot"}},
		{"states.json", []string{"states", "-o", "json"}},
		{"features.txt", []string{"features"}},
		{"stop.txt", []string{"instances", "stop", "inst0", "--wait"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			r := runCLI(t, mockEnv, tt.args...)
			if r.code != 0 {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			golden(t, tt.golden, r.stdout)
		})
	}
}

// TestExitCodes: each failure has its documented status and says why on
// stderr, with nothing on stdout.
func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		vars   map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"not found", mockEnv, []string{"instances", "show", "nope"}, 11, "[not found]"},
		{"no credentials", nil, []string{"instances", "list"}, 12, "[authentication failure]"},
		{"wrong password", map[string]string{"DELTACLOUD_USER": "mockuser", "DELTACLOUD_PASSWORD": "x"}, []string{"realms", "list"}, 12, "[authentication failure]"},
		{"action not allowed", mockEnv, []string{"instances", "start", "inst0"}, 15, "[invalid state]"},
		{"suspend where the lifecycle has none", mockEnv, []string{"instances", "suspend", "inst0"}, 15, "[invalid state]"},
		{"bad profile value", mockEnv, []string{"instances", "create", "--image", "img1", "--profile", "m1-large", "--memory", "1"}, 14, "[invalid argument]"},
		{"unknown driver", mockEnv, []string{"--driver", "nosuch", "realms", "list"}, 11, "nosuch"},
		{"collection not served", mockEnv, []string{"firewalls", "list"}, 17, "[not supported]"},
		{"unknown command", mockEnv, []string{"instances", "bogus"}, 2, "unknown command"},
		{"unknown flag", mockEnv, []string{"instances", "list", "--bogus"}, 2, "unknown flag"},
		{"missing argument", mockEnv, []string{"instances", "show"}, 2, "takes INSTANCE"},
		{"required flag", mockEnv, []string{"instances", "create"}, 2, `"image"`},
		{"bad output", mockEnv, []string{"realms", "list", "-o", "xml"}, 2, "table, json or yaml"},
		{"bad option", mockEnv, []string{"-O", "novalue", "realms", "list"}, 2, "key=value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.vars, tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) || r.stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stderr with %q", r.code, r.stdout, r.stderr, tt.code, tt.stderr)
			}
			if strings.Contains(r.stderr, "mockpassword") {
				t.Errorf("stderr shows the password: %q", r.stderr)
			}
		})
	}
}

// TestCanceled: Ctrl-C (a cancelled context) exits 130.
func TestCanceled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	var out, errb bytes.Buffer
	code := run(ctx, []string{"--config", filepath.Join(t.TempDir(), "x"), "instances", "list"},
		env{stdout: &out, stderr: &errb, getenv: func(k string) string { return mockEnv[k] }})
	if code != exitCanceled {
		t.Errorf("exit %d (%s), want %d", code, errb.String(), exitCanceled)
	}
}

// TestCreateWait creates on a mock that persists between runs, waits for
// it to run with a line per state on stderr, and finds it in a later run.
func TestCreateWait(t *testing.T) {
	store := t.TempDir()
	r := runCLI(t, mockEnv, "-O", "storage="+store, "-O", "pending_polls=2", "instances", "create",
		"--image", "img1", "--profile", "m1-large", "--memory", "12288", "--name", "web", "--tag", "team=a", "--wait", "-o", "json")
	if r.code != 0 {
		t.Fatalf("create: exit %d, %s", r.code, r.stderr)
	}
	var doc struct {
		Instance struct {
			ID, Name, State string
			Profile         struct {
				Properties map[string]string
			} `json:"hardware_profile"`
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("%v in %s", err, r.stdout)
	}
	in := doc.Instance
	if in.State != "RUNNING" || in.Name != "web" || in.Profile.Properties["memory"] != "12288" {
		t.Errorf("created %+v", in)
	}
	if want := in.ID + ": PENDING\n" + in.ID + ": RUNNING\n"; r.stderr != want {
		t.Errorf("progress %q, want %q", r.stderr, want)
	}
	r = runCLI(t, mockEnv, "-O", "storage="+store, "instances", "show", in.ID)
	if r.code != 0 || !strings.Contains(r.stdout, "web") {
		t.Errorf("show in a later run: exit %d, %s%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, mockEnv, "-O", "storage="+store, "instances", "stop", in.ID, "--wait")
	if r.code != 0 {
		t.Fatalf("stop: exit %d, %s", r.code, r.stderr)
	}
	r = runCLI(t, mockEnv, "-O", "storage="+store, "instances", "destroy", in.ID, "--wait")
	if r.code != 0 || r.stdout != in.ID+" destroyed\n" {
		t.Errorf("destroy: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
}

// TestUserDataBound: a user-data file over the bound is refused before the
// cloud is called.
func TestUserDataBound(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ud")
	if err := os.WriteFile(path, bytes.Repeat([]byte("x"), maxUserData+1), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, mockEnv, "instances", "create", "--image", "img1", "--user-data", path)
	if r.code != exitUsage || !strings.Contains(r.stderr, "larger than") {
		t.Errorf("exit %d, %q", r.code, r.stderr)
	}
}

// TestRemote: the same commands through a Deltacloud REST server (the
// handler examples/server serves) with --url give the same tables.
func TestRemote(t *testing.T) {
	srv := httptest.NewServer(api.NewHandler(api.Options{}))
	defer srv.Close()
	for _, args := range [][]string{{"instances", "list"}, {"profiles", "list"}, {"realms", "list"}, {"states"}} {
		local := runCLI(t, mockEnv, args...)
		remote := runCLI(t, mockEnv, append([]string{"--url", srv.URL + "/api"}, args...)...)
		if remote.code != 0 {
			t.Fatalf("%v: exit %d, %s", args, remote.code, remote.stderr)
		}
		if diff := cmp.Diff(local.stdout, remote.stdout); diff != "" {
			t.Errorf("%v: local vs remote (-local +remote):\n%s", args, diff)
		}
	}
	r := runCLI(t, mockEnv, "--url", srv.URL+"/api", "instances", "show", "nope")
	if r.code != 11 {
		t.Errorf("remote not found: exit %d, %s", r.code, r.stderr)
	}
	r = runCLI(t, nil, "--url", srv.URL+"/api", "instances", "list")
	if r.code != 12 {
		t.Errorf("remote without credentials: exit %d, %s", r.code, r.stderr)
	}
}

// TestFirewallRules: a firewall made, opened and closed again with the
// command, on a mock that serves firewalls.
func TestFirewallRules(t *testing.T) {
	o := []string{"-O", "storage=" + t.TempDir(), "-O", "firewalls=true"}
	if r := runCLI(t, mockEnv, append(o, "firewalls", "create", "web", "--description", "web servers")...); r.code != 0 {
		t.Fatalf("create: exit %d, %s", r.code, r.stderr)
	}
	r := runCLI(t, mockEnv, append(o, "firewalls", "rules", "add", "web", "--port", "80-81", "--source", "10.0.0.0/8", "-o", "json")...)
	if r.code != 0 {
		t.Fatalf("add rule: exit %d, %s", r.code, r.stderr)
	}
	var doc struct {
		Firewall struct {
			Rules []struct{ ID string } `json:"rules"`
		} `json:"firewall"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil || len(doc.Firewall.Rules) != 1 {
		t.Fatalf("rules in %s: %v", r.stdout, err)
	}
	if r := runCLI(t, mockEnv, append(o, "firewalls", "show", "web")...); !strings.Contains(r.stdout, "80-81") || !strings.Contains(r.stdout, "10.0.0.0/8") {
		t.Errorf("show:\n%s%s", r.stdout, r.stderr)
	}
	if r := runCLI(t, mockEnv, append(o, "firewalls", "rules", "delete", "web", doc.Firewall.Rules[0].ID)...); r.code != 0 {
		t.Errorf("delete rule: exit %d, %s", r.code, r.stderr)
	}
	if r := runCLI(t, mockEnv, append(o, "firewalls", "destroy", "web")...); r.code != 0 || r.stdout != "firewall web destroyed\n" {
		t.Errorf("destroy: exit %d, %q %s", r.code, r.stdout, r.stderr)
	}
}
