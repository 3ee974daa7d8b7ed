package deltacloud_test

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// redirector wraps a handler: the first n requests whose method and path
// suffix match are answered with status and a Location built by to (from
// the request), everything else goes to next. hits counts the redirects
// it answered.
type redirector struct {
	next           http.Handler
	method, suffix string
	status         int
	to             func(r *http.Request) string

	mu   sync.Mutex
	n    int
	hits int
}

func (rd *redirector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rd.mu.Lock()
	hit := rd.n > 0 && r.Method == rd.method && strings.HasSuffix(r.URL.Path, rd.suffix)
	if hit {
		rd.n--
		rd.hits++
	}
	rd.mu.Unlock()
	if !hit {
		rd.next.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Location", rd.to(r))
	w.WriteHeader(rd.status)
}

func (rd *redirector) redirects() int {
	rd.mu.Lock()
	defer rd.mu.Unlock()
	return rd.hits
}

// elsewhere is a second listener on 127.0.0.1 (another port, so another
// origin) that counts every connection it accepts, whether or not a
// request arrives on it, and the Authorization headers it sees.
type elsewhere struct {
	*httptest.Server
	conns atomic.Int64
	auths atomic.Int64
}

func startElsewhere(t *testing.T) *elsewhere {
	t.Helper()
	e := &elsewhere{}
	e.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "" {
			e.auths.Add(1)
		}
		w.Header().Set("Content-Type", "application/xml")
		w.Write([]byte("<instances/>"))
	}))
	e.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			e.conns.Add(1)
		}
	}
	e.Start()
	t.Cleanup(e.Close)
	return e
}

// TestRedirectOffOrigin: a server that redirects a request to another
// port (another origin) gets an error, and the other listener gets no
// connection at all, for every redirect status and for a GET, a POST
// with user_data and blob uploads of known and unknown size. The
// redirect's target carries user information, which no message repeats.
func TestRedirectOffOrigin(t *testing.T) {
	ops := []struct {
		name, method, suffix string
		run                  func(t *testing.T, p *deltacloud.Provider) error
	}{
		{"GET instances", http.MethodGet, "/instances", func(t *testing.T, p *deltacloud.Provider) error {
			_, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
			return err
		}},
		{"POST instance with user_data", http.MethodPost, "/instances", func(t *testing.T, p *deltacloud.Provider) error {
			_, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1", UserData: []byte("secret user data")})
			return err
		}},
		{"PUT blob of known size", http.MethodPut, "/b1/blob1", func(t *testing.T, p *deltacloud.Provider) error {
			_, err := p.PutBlob(t.Context(), "b1", deltacloud.BlobSpec{ID: "blob1", Size: 5}, strings.NewReader("hello"))
			return err
		}},
		{"PUT blob of unknown size", http.MethodPut, "/b1/blob1", func(t *testing.T, p *deltacloud.Provider) error {
			_, err := p.PutBlob(t.Context(), "b1", deltacloud.BlobSpec{ID: "blob1"}, struct{ *bytes.Reader }{bytes.NewReader([]byte("hello"))})
			return err
		}},
	}
	for _, status := range []int{http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, op := range ops {
			t.Run(fmt.Sprintf("%d %s", status, op.name), func(t *testing.T) {
				other := startElsewhere(t)
				target, _ := url.Parse(other.URL)
				var rd *redirector
				s := startServer(t, "", func(h http.Handler) http.Handler {
					rd = &redirector{next: h, method: op.method, suffix: op.suffix, status: status, n: 1,
						to: func(r *http.Request) string {
							return "http://eve:topsecret@" + target.Host + r.URL.Path
						}}
					return rd
				})
				p := s.openRemote(t, goodCreds)
				if op.method == http.MethodPut {
					if _, err := p.CreateBucket(t.Context(), deltacloud.BucketSpec{Name: "b1"}); err != nil {
						t.Fatal(err)
					}
				}
				err := op.run(t, p)
				if n := other.conns.Load(); n != 0 {
					t.Errorf("the other origin accepted %d connections (%d with Authorization)", n, other.auths.Load())
				}
				if rd.redirects() != 1 {
					t.Fatalf("the server answered %d redirects, want 1", rd.redirects())
				}
				var e *deltacloud.Error
				if !errors.As(err, &e) || e.Code != deltacloud.Backend {
					t.Fatalf("err = %v, want a *deltacloud.Error with code Backend", err)
				}
				msg := err.Error()
				if !strings.Contains(msg, target.Host) {
					t.Errorf("error %q does not name the redirect target %s", msg, target.Host)
				}
				for _, secret := range []string{"eve", "topsecret", goodCreds.Password} {
					if strings.Contains(msg, secret) {
						t.Errorf("error %q contains %q", msg, secret)
					}
				}
			})
		}
	}
}

// TestRedirectSameOrigin: redirects within the origin are followed with
// the credentials (the mock answers nothing without them) and, on 307 and
// 308, with the form body, except for a streamed upload, which follows no
// redirect at all; a redirect loop ends after a bounded number of
// requests.
func TestRedirectSameOrigin(t *testing.T) {
	self := func(r *http.Request) string { return r.URL.Path } // a relative Location
	tests := []struct {
		name, method, suffix string
		status, n            int
		run                  func(t *testing.T, p *deltacloud.Provider) error
		wantErr              bool
		wantRedirects        int
	}{
		{name: "GET 302", method: http.MethodGet, suffix: "/instances", status: http.StatusFound, n: 1,
			run: func(t *testing.T, p *deltacloud.Provider) error {
				_, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
				return err
			}, wantRedirects: 1},
		{name: "GET 308 twice", method: http.MethodGet, suffix: "/realms", status: http.StatusPermanentRedirect, n: 2,
			run: func(t *testing.T, p *deltacloud.Provider) error {
				rs, err := p.Realms(t.Context())
				if err == nil && len(rs) == 0 {
					err = errors.New("no realms after the redirects")
				}
				return err
			}, wantRedirects: 2},
		{name: "POST 307 with user_data", method: http.MethodPost, suffix: "/instances", status: http.StatusTemporaryRedirect, n: 1,
			run: func(t *testing.T, p *deltacloud.Provider) error {
				in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1", Name: "moved", UserData: []byte("#!/bin/sh\n")})
				if err == nil && in.Name != "moved" {
					err = fmt.Errorf("created %+v, want the name moved", in)
				}
				return err
			}, wantRedirects: 1},
		{name: "streamed PUT 307", method: http.MethodPut, suffix: "/b1/blob1", status: http.StatusTemporaryRedirect, n: 1,
			run: func(t *testing.T, p *deltacloud.Provider) error {
				_, err := p.PutBlob(t.Context(), "b1", deltacloud.BlobSpec{ID: "blob1", Size: 5}, strings.NewReader("hello"))
				return err
			}, wantErr: true, wantRedirects: 1},
		{name: "streamed PUT 303", method: http.MethodPut, suffix: "/b1/blob1", status: http.StatusSeeOther, n: 1,
			run: func(t *testing.T, p *deltacloud.Provider) error {
				_, err := p.PutBlob(t.Context(), "b1", deltacloud.BlobSpec{ID: "blob1"}, strings.NewReader("hello"))
				return err
			}, wantErr: true, wantRedirects: 1},
		{name: "loop", method: http.MethodGet, suffix: "/instances", status: http.StatusFound, n: 1000,
			run: func(t *testing.T, p *deltacloud.Provider) error {
				_, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
				return err
			}, wantErr: true, wantRedirects: 6}, // the request and maxRedirects (5) redirects
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rd *redirector
			s := startServer(t, "", func(h http.Handler) http.Handler {
				rd = &redirector{next: h, method: tt.method, suffix: tt.suffix, status: tt.status, n: tt.n, to: self}
				return rd
			})
			p := s.openRemote(t, goodCreds)
			if tt.method == http.MethodPut {
				if _, err := p.CreateBucket(t.Context(), deltacloud.BucketSpec{Name: "b1"}); err != nil {
					t.Fatal(err)
				}
			}
			err := tt.run(t, p)
			if got := rd.redirects(); got != tt.wantRedirects {
				t.Errorf("the server answered %d redirects, want %d", got, tt.wantRedirects)
			}
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("err = %v, want none", err)
				}
				return
			}
			var e *deltacloud.Error
			if !errors.As(err, &e) || e.Code != deltacloud.Backend || !strings.Contains(e.Message, "redirected") {
				t.Fatalf("err = %v, want a Backend *deltacloud.Error about the redirect", err)
			}
			if tt.method == http.MethodPut {
				if _, err := p.Blob(t.Context(), "b1", "blob1"); !errors.Is(err, deltacloud.ErrNotFound) {
					t.Errorf("Blob after the refused upload: err = %v, want ErrNotFound", err)
				}
			}
		})
	}
}

// TestRedirectCallersClient: the driver follows its own redirect rules on
// a client the caller gives it, even one whose CheckRedirect allows
// everything, and leaves that client as it was.
func TestRedirectCallersClient(t *testing.T) {
	other := startElsewhere(t)
	s := startServer(t, "", func(h http.Handler) http.Handler {
		return &redirector{next: h, method: http.MethodGet, suffix: "/instances", status: http.StatusFound, n: 1,
			to: func(r *http.Request) string { return other.URL + r.URL.Path }}
	})
	allowAll := func(*http.Request, []*http.Request) error { return nil }
	client := &http.Client{Transport: &http.Transport{}, CheckRedirect: allowAll}
	p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{
		Provider: s.base, Credentials: goodCreds, HTTPClient: client, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = p.Instances(t.Context(), deltacloud.InstanceFilter{})
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.Backend {
		t.Errorf("err = %v, want a Backend *deltacloud.Error", err)
	}
	if n := other.conns.Load(); n != 0 {
		t.Errorf("the other origin accepted %d connections", n)
	}
	if fmt.Sprintf("%p", client.CheckRedirect) != fmt.Sprintf("%p", allowAll) {
		t.Error("the caller's CheckRedirect was replaced")
	}
	var used *http.Client
	if !p.As(&used) || used == client || used.Transport != client.Transport {
		t.Errorf("As(**http.Client) = %p with transport %p, want a copy of %p sharing transport %p",
			used, used.Transport, client, client.Transport)
	}
}
