package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestRunSeveralClouds: -cloud watches several clouds together, every line
// tagged with its cloud; it stops only when its context does.
func TestRunSeveralClouds(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var mu sync.Mutex
	var out, errOut bytes.Buffer
	seen := func() bool { // both summaries and a change from each cloud
		s := out.String()
		return strings.Contains(s, "[east] Found 4") && strings.Contains(s, "[west] Found 4") &&
			regexp.MustCompile(`(?m)^\[east\] inst`).MatchString(s) && regexp.MustCompile(`(?m)^\[west\] inst`).MatchString(s)
	}
	stdout := writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		n, err := out.Write(p)
		if seen() {
			cancel()
		}
		return n, err
	})
	code := run(ctx, []string{"-cloud", "east=mock", "-cloud", "west=mock", "-interval", "10ms", "-activity", "5ms"}, stdout, &errOut)
	if code != 0 || errOut.Len() != 0 {
		t.Errorf("exit code %d, stderr %q; want 0 and nothing", code, errOut.String())
	}
	mu.Lock()
	defer mu.Unlock()
	if !seen() {
		t.Fatalf("the watch ended before both clouds reported; stdout:\n%s", out.String())
	}
	tagged := regexp.MustCompile(`^\[(east|west)\] (Found \d+ instances in the following states:|  [A-Z_]+: \d+|inst\d+ .*)$`)
	for _, line := range lines(out.String()) {
		if !tagged.MatchString(line) {
			t.Errorf("untagged or unexpected line %q", line)
		}
	}
}

func TestParseCloudFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    []cloudSpec
		problem string
	}{
		{args: []string{"-cloud", "a=mock", "-cloud", "b=ec2@eu-west-1"},
			want: []cloudSpec{{"a", "mock", ""}, {"b", "ec2", "eu-west-1"}}},
		{args: []string{"-cloud", "a=mock", "-cloud", "a=mock"}, problem: "taken"},
		{args: []string{"-cloud", "=mock"}, problem: "NAME=DRIVER"},
		{args: []string{"-cloud", "a"}, problem: "NAME=DRIVER"},
		{args: []string{"-cloud", "a b=mock"}, problem: "letters"},
		{args: []string{"-cloud", "a=mock", "-driver", "ec2"}, problem: "-driver cannot be combined with -cloud"},
		{args: []string{"-cloud", "a=mock", "http://x/api", "u", "p"}, problem: "cannot be combined with -cloud"},
	}
	for _, tt := range tests {
		var stderr bytes.Buffer
		cfg, err := parseFlags(tt.args, &stderr)
		if tt.problem != "" {
			if err == nil || !strings.Contains(stderr.String(), tt.problem) {
				t.Errorf("parseFlags(%q) = %v, stderr %q; want a problem with %q", tt.args, err, stderr.String(), tt.problem)
			}
			continue
		}
		if err != nil {
			t.Errorf("parseFlags(%q): %v", tt.args, err)
			continue
		}
		if diff := cmp.Diff(tt.want, cfg.clouds, cmp.AllowUnexported(cloudSpec{})); diff != "" {
			t.Errorf("parseFlags(%q) clouds (-want +got):\n%s", tt.args, diff)
		}
	}
}

// TestCloudCredentialsFromEnvironment: a cloud's credentials come from its
// own environment variables, never from another cloud's or the command line.
func TestCloudCredentialsFromEnvironment(t *testing.T) {
	env := map[string]string{"DELTACLOUD_MY_AWS_USER": "AKIA1", "DELTACLOUD_MY_AWS_PASSWORD": "s3cret"}
	got := cloudConfig(config{}, cloudSpec{"my-aws", "ec2", "eu-west-1"}, func(k string) string { return env[k] })
	want := deltacloud.Config{Provider: "eu-west-1", Credentials: deltacloud.Credentials{User: "AKIA1", Password: "s3cret"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	lab := cloudConfig(config{activity: time.Second}, cloudSpec{"lab", "mock", ""}, func(k string) string { return env[k] })
	if lab.Credentials.User != "mockuser" || lab.Options["activity"] != "1s" {
		t.Errorf("mock cloud config = %+v", lab)
	}
}
