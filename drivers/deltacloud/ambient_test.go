package deltacloud_test

import (
	"bytes"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	dcremote "github.com/deltacloud-go/deltacloud/drivers/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// authRecorder wraps a handler and records the Authorization header of
// every request ("" for none).
type authRecorder struct {
	next http.Handler
	mu   sync.Mutex
	seen []string
}

func (a *authRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.seen = append(a.seen, r.Header.Get("Authorization"))
	a.mu.Unlock()
	a.next.ServeHTTP(w, r)
}

// distinct is the set of Authorization headers seen, in order of first
// appearance.
func (a *authRecorder) distinct() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var out []string
	for _, s := range a.seen {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func basic(user, password string) string {
	r, _ := http.NewRequest(http.MethodGet, "/", nil)
	r.SetBasicAuth(user, password)
	return r.Header.Get("Authorization")
}

// TestNoAmbientCredentials: with Config.NoAmbientCredentials, the user
// information in Config.Provider is never sent: the request's own
// credentials are, and empty ones send no Authorization header at all
// (the server then refuses what needs credentials). Without the flag the
// URL's credentials stand in for empty ones, as before.
func TestNoAmbientCredentials(t *testing.T) {
	urlCreds := basic(mock.User, mock.Password)
	tests := []struct {
		name      string
		noAmbient bool
		creds     deltacloud.Credentials
		wantAuth  []string // Authorization headers seen, first appearance order
		wantCode  deltacloud.Code
	}{
		{"flag, no credentials", true, deltacloud.Credentials{}, []string{""}, deltacloud.AuthFailure},
		{"flag, own credentials", true, badCreds, []string{basic(badCreds.User, badCreds.Password)}, deltacloud.AuthFailure},
		{"flag, own good credentials", true, goodCreds, []string{basic(goodCreds.User, goodCreds.Password)}, 0},
		{"no flag, no credentials", false, deltacloud.Credentials{}, []string{urlCreds}, 0},
		{"no flag, own credentials", false, badCreds, []string{basic(badCreds.User, badCreds.Password)}, deltacloud.AuthFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rec *authRecorder
			s := startServer(t, "", func(h http.Handler) http.Handler {
				rec = &authRecorder{next: h}
				return rec
			})
			u, _ := url.Parse(s.base)
			u.User = url.UserPassword(mock.User, mock.Password)
			p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{
				Provider: u.String(), Credentials: tt.creds, NoAmbientCredentials: tt.noAmbient, Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			_, err = p.Realms(t.Context())
			if got := deltacloud.CodeOf(err); got != tt.wantCode {
				t.Errorf("Realms: err = %v (code %q), want code %q", err, got, tt.wantCode)
			}
			if diff := cmp.Diff(tt.wantAuth, rec.distinct()); diff != "" {
				t.Errorf("Authorization headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProviderUserinfoNeverEchoed: neither the user name nor the password
// of Config.Provider appears in an error, a log record or the Info the
// driver hands out, whether the URL is malformed, unreachable, answers an
// error, or works.
func TestProviderUserinfoNeverEchoed(t *testing.T) {
	const user, password = "alice-user", "s3cr3t-pw"
	closed, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closedAddr := closed.Addr().String()
	closed.Close()
	failing := startServer(t, "", func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "broken", http.StatusServiceUnavailable)
		})
	})
	working := startServer(t, "", nil)
	withUser := func(base string) string {
		u, _ := url.Parse(base)
		u.User = url.UserPassword(user, password)
		return u.String()
	}
	tests := []struct {
		name, provider string
		wantErr        bool
	}{
		{"not http", "ftp://" + user + ":" + password + "@127.0.0.1/api", true},
		{"no scheme", user + ":" + password + "@127.0.0.1:3001/api", true},
		{"malformed escape", withUser(working.base) + ";driver=%zz", true},
		{"unreachable", "http://" + user + ":" + password + "@" + closedAddr + "/api", true},
		{"server error", withUser(failing.base), true},
		{"works", withUser(working.base) + ";driver=mock", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{
				Provider: tt.provider, Logger: logger, Options: map[string]string{"retries": "1"}})
			var said []string
			if err != nil {
				said = append(said, err.Error())
				for e := errors.Unwrap(err); e != nil; e = errors.Unwrap(e) {
					said = append(said, e.Error())
				}
			}
			if (err != nil) != tt.wantErr {
				t.Fatalf("Open(%q): err = %v, want an error: %v", tt.provider, err, tt.wantErr)
			}
			if p != nil {
				defer p.Close()
				var info dcremote.Info
				if !p.As(&info) {
					t.Fatal("As(*Info) = false")
				}
				said = append(said, info.URL)
				_, rerr := p.Realms(t.Context())
				if rerr != nil {
					said = append(said, rerr.Error())
				}
			}
			said = append(said, logs.String())
			for _, s := range said {
				for _, secret := range []string{user, password, "xxxxx"} {
					if strings.Contains(s, secret) {
						t.Errorf("%q contains %q", s, secret)
					}
				}
			}
		})
	}
}
