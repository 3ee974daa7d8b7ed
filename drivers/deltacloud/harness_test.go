package deltacloud_test

// Shared helpers: a real api handler over the mock driver on 127.0.0.1,
// each with its own mock storage directory, and providers opened on it
// through the remote driver and, for comparison and fault injection,
// directly on the same mock cloud.

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

var (
	goodCreds = deltacloud.Credentials{User: mock.User, Password: mock.Password}
	badCreds  = deltacloud.Credentials{User: mock.User, Password: "wrong-password"}
	quiet     = slog.New(slog.DiscardHandler)
)

// server is an api handler serving the mock driver on its own storage
// directory.
type server struct {
	*httptest.Server
	dir  string // the mock's storage directory
	base string // the API's base URL
}

// startServer serves the API under prefix ("" means /api) until the test
// ends. wrap, if not nil, wraps the handler (fault injection, counting).
func startServer(tb testing.TB, prefix string, wrap func(http.Handler) http.Handler) *server {
	tb.Helper()
	return startServerWith(tb, prefix, nil, wrap)
}

// startServerWith is startServer with more options for the mock (e.g.
// firewalls=true).
func startServerWith(tb testing.TB, prefix string, mockOpts map[string]string, wrap func(http.Handler) http.Handler) *server {
	tb.Helper()
	dir := tb.TempDir()
	opts := map[string]string{"storage": dir}
	for k, v := range mockOpts {
		opts[k] = v
	}
	h := api.NewHandler(api.Options{
		Prefix:        prefix,
		DriverOptions: map[string]map[string]string{"mock": opts},
		Logger:        quiet,
	})
	var handler http.Handler = h
	if wrap != nil {
		handler = wrap(h)
	}
	srv := httptest.NewServer(handler)
	tb.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	if prefix == "" {
		prefix = "/api"
	}
	return &server{Server: srv, dir: dir, base: srv.URL + prefix}
}

// openRemote opens the remote driver on s, closed when the test ends.
func (s *server) openRemote(tb testing.TB, creds deltacloud.Credentials) *deltacloud.Provider {
	tb.Helper()
	p, err := s.open(tb.Context(), creds)
	if err != nil {
		tb.Fatalf("Open deltacloud %s: %v", s.base, err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

func (s *server) open(ctx context.Context, creds deltacloud.Credentials) (*deltacloud.Provider, error) {
	return deltacloud.Open(ctx, "deltacloud", deltacloud.Config{
		Provider: s.base, Credentials: creds, PollInterval: time.Millisecond, Logger: quiet,
	})
}

// openDirect opens the mock driver on the server's storage directory, so it
// shares the cloud the handler serves (clouds on one directory share their
// state in-process), and returns the cloud for fault injection.
func (s *server) openDirect(tb testing.TB) (*deltacloud.Provider, *mock.Cloud) {
	tb.Helper()
	p, err := deltacloud.Open(tb.Context(), "mock", deltacloud.Config{
		Credentials: goodCreds, PollInterval: time.Millisecond, Logger: quiet,
		Options: map[string]string{"storage": s.dir},
	})
	if err != nil {
		tb.Fatalf("Open mock on %s: %v", s.dir, err)
	}
	tb.Cleanup(func() { p.Close() })
	var c *mock.Cloud
	if !p.As(&c) {
		tb.Fatal("mock provider did not hand out its *mock.Cloud")
	}
	return p, c
}

// servers remembers which server each remote provider of the conformance
// harness was opened on, for Slow and SlowActions.
var servers sync.Map // *deltacloud.Provider → *server

func harness(prefix string) drivertest.Harness {
	open := func(creds deltacloud.Credentials) func(context.Context, *testing.T) (*deltacloud.Provider, error) {
		return func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			s := startServer(t, prefix, nil)
			p, err := s.open(ctx, creds)
			if err == nil {
				servers.Store(p, s)
				t.Cleanup(func() { servers.Delete(p) })
			}
			return p, err
		}
	}
	cloudOf := func(t *testing.T, p *deltacloud.Provider) *mock.Cloud {
		s, ok := servers.Load(p)
		if !ok {
			t.Fatal("provider was not opened by the harness")
		}
		_, c := s.(*server).openDirect(t)
		return c
	}
	return drivertest.Harness{
		Open:               open(goodCreds),
		OpenBadCredentials: open(badCreds),
		Slow: func(t *testing.T, p *deltacloud.Provider) {
			cloudOf(t, p).SetLatency(mock.OpAll, time.Hour)
		},
		SlowActions: func(t *testing.T, p *deltacloud.Provider) func() {
			c := cloudOf(t, p)
			c.SetLatency(mock.OpAct, time.Hour)
			return func() { c.SetLatency(mock.OpAct, 0) }
		},
	}
}
