package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/api"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/google/go-cmp/cmp"
)

// The lines that may follow the snapshot summary.
var (
	changedRE   = regexp.MustCompile(`^inst\d+ changed from [A-Z_]+ to [A-Z_]+$`)
	createdRE   = regexp.MustCompile(`^inst\d+ was created and is now [A-Z_]+$`)
	destroyedRE = regexp.MustCompile(`^inst\d+ was destroyed$`)
)

// runWatcher calls run with a safety timeout, so a hang fails the test
// instead of the whole run.
func runWatcher(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	code = run(ctx, args, &out, &errOut)
	if ctx.Err() != nil {
		t.Fatalf("run(%q) did not stop by itself; stdout:\n%s\nstderr:\n%s", args, out.String(), errOut.String())
	}
	return code, out.String(), errOut.String()
}

func lines(s string) []string {
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func TestRunMockWithActivity(t *testing.T) {
	tests := []struct {
		name string
		args []string
	}{
		{"time-based seed", []string{"-interval", "20ms", "-activity", "10ms", "-duration", "2s"}},
		{"fixed seed", []string{"-interval", "20ms", "-activity", "10ms", "-duration", "2s", "-seed", "42"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			code, stdout, stderr := runWatcher(t, tt.args...)
			if code != 0 {
				t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
			}
			if stderr != "" {
				t.Errorf("stderr = %q, want nothing", stderr)
			}
			if took := time.Since(start); took < 2*time.Second {
				t.Errorf("run returned after %v, before -duration 2s", took)
			}
			got := lines(stdout)
			want := []string{"Found 4 instances in the following states:", "  RUNNING: 4"}
			if len(got) < len(want) {
				t.Fatalf("stdout has %d lines, want at least %d:\n%s", len(got), len(want), stdout)
			}
			if diff := cmp.Diff(want, got[:len(want)]); diff != "" {
				t.Errorf("summary mismatch (-want +got):\n%s", diff)
			}
			events := got[len(want):]
			if len(events) == 0 {
				t.Fatalf("no change reported in 2s of activity; stdout:\n%s", stdout)
			}
			for _, line := range events {
				if !changedRE.MatchString(line) && !createdRE.MatchString(line) && !destroyedRE.MatchString(line) {
					t.Errorf("unexpected line %q", line)
				}
			}
		})
	}
}

func TestRunMockWithoutActivity(t *testing.T) {
	code, stdout, stderr := runWatcher(t, "-interval", "10ms", "-activity", "0", "-duration", "2s")
	if code != 0 {
		t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
	}
	want := "Found 4 instances in the following states:\n  RUNNING: 4\n"
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("stdout mismatch (-want +got):\n%s", diff)
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing", stderr)
	}
}

func TestRunStopsWhenContextEnds(t *testing.T) {
	// Stands in for Ctrl-C: run is watching with no -duration when its
	// context is cancelled.
	// Cancelled once the first listing is out, however long a loaded
	// machine takes to get there; the bound only keeps a broken run from
	// hanging the test.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	if code := run(ctx, []string{"-interval", "10ms"}, cancelOnOutput(&out, "RUNNING", cancel), &errOut); code != 0 {
		t.Errorf("exit code = %d, want 0; stderr:\n%s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "Found 4 instances in the following states:\n") {
		t.Errorf("stdout = %q, want the summary first", out.String())
	}
}

func TestRunFailures(t *testing.T) {
	var registered []string
	for _, d := range deltacloud.Drivers() {
		registered = append(registered, d.Name)
	}
	tests := []struct {
		name       string
		args       []string
		wantCode   int
		wantStderr []string // substrings
	}{
		{name: "unknown flag", args: []string{"-nope"}, wantCode: 2,
			wantStderr: []string{"flag provided but not defined: -nope", "Usage: watcher"}},
		{name: "missing flag value", args: []string{"-interval"}, wantCode: 2,
			wantStderr: []string{"flag needs an argument: -interval"}},
		{name: "bad duration", args: []string{"-duration", "soon"}, wantCode: 2,
			wantStderr: []string{`invalid value "soon" for flag -duration`}},
		{name: "zero interval", args: []string{"-interval", "0"}, wantCode: 2,
			wantStderr: []string{"-interval must be positive"}},
		{name: "negative duration", args: []string{"-duration", "-1s"}, wantCode: 2,
			wantStderr: []string{"-duration must not be negative"}},
		{name: "negative activity", args: []string{"-activity", "-1s"}, wantCode: 2,
			wantStderr: []string{"-activity must not be negative"}},
		{name: "positional argument", args: []string{"mock"}, wantCode: 2,
			wantStderr: []string{`unexpected arguments ["mock"]`}},
		{name: "two positional arguments", args: []string{"http://localhost:3001/api", "mockuser"}, wantCode: 2,
			wantStderr: []string{`unexpected arguments ["http://localhost:3001/api" "mockuser"]; give none, or URL USER PASSWORD`}},
		{name: "URL USER PASSWORD with -driver", args: []string{"-driver", "mock", "http://localhost:3001/api", "u", "p"}, wantCode: 2,
			wantStderr: []string{"-driver cannot be combined with the URL USER PASSWORD arguments"}},
		{name: "URL USER PASSWORD with -password", args: []string{"-password", "x", "http://localhost:3001/api", "u", "p"}, wantCode: 2,
			wantStderr: []string{"-password cannot be combined with the URL USER PASSWORD arguments"}},
		{name: "URL USER PASSWORD with -activity", args: []string{"-activity", "1s", "http://localhost:3001/api", "u", "p"}, wantCode: 2,
			wantStderr: []string{"-activity is only for the mock driver"}},
		{name: "URL that is no URL", args: []string{"localhost", "u", "p"}, wantCode: 1,
			wantStderr: []string{`error: deltacloud: deltacloud (localhost): Open: deltacloud driver: Config.Provider "localhost" is not an http or https URL`}},
		{name: "activity on another driver", args: []string{"-driver", "ec2", "-activity", "1s"}, wantCode: 2,
			wantStderr: []string{"-activity is only for the mock driver"}},
		{name: "seed on another driver", args: []string{"-driver", "ec2", "-seed", "7"}, wantCode: 2,
			wantStderr: []string{"-seed is only for the mock driver"}},
		{name: "help", args: []string{"-h"}, wantCode: 0,
			wantStderr: []string{"Usage: watcher", "-interval duration"}},
		{name: "unknown driver", args: []string{"-driver", "nope"}, wantCode: 1,
			wantStderr: []string{`error: deltacloud: driver "nope" is not registered`,
				"(registered: " + strings.Join(registered, ", ") + ")"}},
		{name: "wrong credentials", args: []string{"-user", "x", "-password", "y", "-interval", "10ms"}, wantCode: 1,
			wantStderr: []string{"error: deltacloud: mock: Instances: Authentication Failure"}},
		{name: "wrong password only", args: []string{"-password", "y", "-interval", "10ms", "-activity", "0"}, wantCode: 1,
			wantStderr: []string{"Authentication Failure"}},
		{name: "every mock flag", args: []string{"-activity", "1ms", "-seed", "1", "-provider", "default", "-user", "mockuser", "-password", "mockpassword"}, wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := tt.args
			if tt.wantCode == 0 && tt.name != "help" {
				args = append(args, "-duration", "100ms")
			}
			code, stdout, stderr := runWatcher(t, args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d; stderr:\n%s", code, tt.wantCode, stderr)
			}
			for _, s := range tt.wantStderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not contain %q:\n%s", s, stderr)
				}
			}
			if tt.wantCode != 0 && stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestWatchRetriesTemporaryErrors(t *testing.T) {
	tests := []struct {
		name       string
		fault      error
		wantCode   int
		wantStdout string
		wantStderr []string
	}{
		{
			name:       "unavailable twice, then fine",
			fault:      deltacloud.ErrUnavailable,
			wantCode:   0,
			wantStdout: "Found 4 instances in the following states:\n  RUNNING: 4\n",
			wantStderr: []string{
				"error: deltacloud: mock: Instances: injected fault in Instances: unavailable",
				"error: deltacloud: mock: Instances: injected fault in Instances: unavailable",
			},
		},
		{
			name:       "forbidden ends the watch",
			fault:      deltacloud.ErrForbidden,
			wantCode:   1,
			wantStdout: "",
			wantStderr: []string{
				"error: deltacloud: mock: Instances: injected fault in Instances: forbidden",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{
				Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password},
			})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			var c *mock.Cloud
			if !p.As(&c) {
				t.Fatal("mock provider did not hand out its *mock.Cloud")
			}
			c.FailNext(mock.OpInstances, 2, tt.fault)

			// Cancelled once the listing is out (the watch retried past
			// the faults), not after a wall-clock time a loaded machine
			// may need more of.
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			var out, errOut bytes.Buffer
			if code := watch(ctx, p, 10*time.Millisecond, cancelOnOutput(&out, "RUNNING: 4\n", cancel), &errOut); code != tt.wantCode {
				t.Errorf("exit code = %d, want %d", code, tt.wantCode)
			}
			if diff := cmp.Diff(tt.wantStdout, out.String()); diff != "" {
				t.Errorf("stdout mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantStderr, lines(errOut.String())); diff != "" {
				t.Errorf("stderr mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProviderConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  config
		want deltacloud.Config
	}{
		{
			name: "mock defaults",
			cfg:  config{driver: "mock", activity: time.Second},
			want: deltacloud.Config{
				Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"},
				Options:     map[string]string{"activity": "1s"},
			},
		},
		{
			name: "mock with seed, no activity, own credentials",
			cfg:  config{driver: "mock", user: "x", password: "y", seed: 42},
			want: deltacloud.Config{
				Credentials: deltacloud.Credentials{User: "x", Password: "y"},
				Options:     map[string]string{"seed": "42"},
			},
		},
		{
			name: "other driver keeps empty credentials",
			cfg:  config{driver: "ec2", provider: "eu-west-1", activity: time.Second},
			want: deltacloud.Config{Provider: "eu-west-1"},
		},
		{
			name: "Deltacloud server",
			cfg:  config{driver: "deltacloud", provider: "http://localhost:3001/api", user: "mockuser", password: "mockpassword", activity: time.Second},
			want: deltacloud.Config{Provider: "http://localhost:3001/api",
				Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}},
		},
		{
			name: "other driver with credentials",
			cfg:  config{driver: "ec2", user: "AKIA", password: "secret"},
			want: deltacloud.Config{Credentials: deltacloud.Credentials{User: "AKIA", Password: "secret"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, providerConfig(tt.cfg)); diff != "" {
				t.Errorf("providerConfig mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRunRemote watches a Deltacloud REST server (the api handler over the
// mock) the way the original example was called: URL USER PASSWORD.
func TestRunRemote(t *testing.T) {
	h := api.NewHandler(api.Options{
		DriverOptions: map[string]map[string]string{"mock": {"storage": t.TempDir()}},
		Logger:        slog.New(slog.DiscardHandler),
	})
	srv := httptest.NewServer(h)
	defer h.Close()
	defer srv.Close()
	url := srv.URL + "/api"

	code, stdout, stderr := runWatcher(t, "-interval", "10ms", "-duration", "2s", url, mock.User, mock.Password)
	if code != 0 {
		t.Errorf("exit code = %d, want 0; stderr:\n%s", code, stderr)
	}
	if want := "Found 4 instances in the following states:\n  RUNNING: 4\n"; stdout != want || stderr != "" {
		t.Errorf("stdout = %q, stderr = %q; want %q and nothing", stdout, stderr, want)
	}

	code, stdout, stderr = runWatcher(t, "-interval", "10ms", url, mock.User, "wrong")
	if code != 1 || stdout != "" || !strings.Contains(stderr, "error: deltacloud: deltacloud ("+url+"): Instances: Unauthorized") {
		t.Errorf("wrong password: exit code %d, stdout %q, stderr %q; want 1, nothing, Unauthorized", code, stdout, stderr)
	}
}

// cancelOnOutput writes to w and calls cancel once what was written holds
// want: a test stops a watch when it has seen what it waits for.
func cancelOnOutput(w *bytes.Buffer, want string, cancel context.CancelFunc) io.Writer {
	return writerFunc(func(p []byte) (int, error) {
		n, err := w.Write(p)
		if strings.Contains(w.String(), want) {
			cancel()
		}
		return n, err
	})
}

// writerFunc is an io.Writer made of a function.
type writerFunc func(p []byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
