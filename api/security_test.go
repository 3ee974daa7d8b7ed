package api_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud/api"
)

// TestProviderAllowList checks that a request may choose a plain provider
// name (a region) or an operator-listed endpoint, but never an endpoint of
// its own: such a request is refused with 403 and the driver is never
// opened with it.
func TestProviderAllowList(t *testing.T) {
	opts := tuMockOptions(t)
	opts.Driver = tuRecordDriver
	opts.AllowedProviders = []string{"https://keystone.example.com:5000/v2.0"}
	s := tuStart(t, opts)
	tests := []struct {
		name    string
		path    string
		header  string // X-Deltacloud-Provider
		allowed bool
		opened  string // the provider the driver is opened with, if allowed
	}{
		{name: "matrix URL", path: "/api;provider=http%3A%2F%2F10.0.0.1%2F/realms"},
		{name: "header host name", path: "/api/realms", header: "evil.example.com"},
		{name: "header address", path: "/api/realms", header: "10.0.0.1"},
		{name: "header host and port", path: "/api/realms", header: "localhost:8080"},
		{name: "header URL", path: "/api/realms", header: "https://169.254.169.254/latest"},
		{name: "matrix path", path: "/api;provider=..%2F..%2Fetc/realms"},
		{name: "matrix URL on the entry point", path: "/api;provider=http%3A%2F%2F10.0.0.1%2F"},
		{name: "header beats an allowed matrix value", path: "/api;provider=us-west-1/realms", header: "evil.example.com"},
		{name: "allow-listed endpoint", path: "/api/realms", header: "HTTPS://Keystone.example.com:5000/v2.0",
			allowed: true, opened: "https://keystone.example.com:5000/v2.0"},
		{name: "allow-listed endpoint by matrix", path: "/api;provider=https%3A%2F%2Fkeystone.example.com%3A5000%2Fv2.0/realms",
			allowed: true, opened: "https://keystone.example.com:5000/v2.0"},
		{name: "region name", path: "/api;provider=us-west-1/realms", allowed: true, opened: "us-west-1"},
		{name: "region name by header", path: "/api/realms", header: "eu_central-1", allowed: true, opened: "eu_central-1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := tuUser("allow")
			req := tuReq{Path: tt.path, Creds: &tuCreds{user, "x"}}
			if tt.header != "" {
				req.Header = map[string]string{"X-Deltacloud-Provider": tt.header}
			}
			r := s.do(t, req)
			var opened []string
			for _, cfg := range tuOpenedWith(user) {
				opened = append(opened, cfg.Provider)
			}
			if !tt.allowed {
				if r.Status != http.StatusForbidden {
					t.Fatalf("status %d, want 403\n%s", r.Status, r)
				}
				if d := tuDecodeError(t, r); d.Status != 403 {
					t.Errorf("error document status %d", d.Status)
				}
				if len(opened) != 0 {
					t.Errorf("driver opened with %q", opened)
				}
				return
			}
			if r.Status != http.StatusOK {
				t.Fatalf("status %d, want 200\n%s", r.Status, r)
			}
			if diff := cmp.Diff([]string{tt.opened}, opened); diff != "" {
				t.Errorf("driver opened with (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDefaultProviderMayBeAnEndpoint: the operator's own default provider
// is trusted even when it is an endpoint.
func TestDefaultProviderMayBeAnEndpoint(t *testing.T) {
	opts := tuMockOptions(t)
	opts.Driver, opts.Provider = tuRecordDriver, "https://cloud.internal:8443/"
	s := tuStart(t, opts)
	user := tuUser("default-endpoint")
	s.must2xx(t, tuReq{Path: "/api/realms", Creds: &tuCreds{user, "x"}})
	if got := tuOpenedWith(user); len(got) != 1 || got[0].Provider != "https://cloud.internal:8443/" {
		t.Errorf("opened with %+v", got)
	}
}

// TestDriverSwitchRefusesEndpoints: the HTML UI's switch form redirects to
// a provider only if a request may choose it.
func TestDriverSwitchRefusesEndpoints(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	for _, p := range []string{"http://10.0.0.1/", "evil.example.com"} {
		r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"driver": {"mock"}, "provider": {p}}})
		if r.Status != http.StatusMovedPermanently || r.Header.Get("Location") != s.URL+"/api;driver=mock" {
			t.Errorf("provider %q: %d Location %q, want 301 to %s/api;driver=mock", p, r.Status, r.Header.Get("Location"), s.URL)
		}
	}
}

// TestNoHeaderInjection: driver and provider values are echoed in response
// headers; escaped line breaks in them must not make headers of their own.
func TestNoHeaderInjection(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	for _, path := range []string{
		"/api;provider=a%0D%0ASet-Cookie:%20injected=1/drivers",
		"/api;driver=x%0D%0ASet-Cookie:%20injected=1/drivers",
		"/api;driver=x%0ASet-Cookie:%20injected=1/realms",
	} {
		r := s.do(t, tuReq{Path: path, Creds: tuMockUser})
		if r.Status == 0 {
			continue // reported by do
		}
		if c := r.Header.Values("Set-Cookie"); len(c) != 0 {
			t.Errorf("%s: injected header Set-Cookie %q", path, c)
		}
	}
}

// TestErrorsDoNotLeakSecrets sends secrets as Basic-auth password and as
// password, private key and user_data parameters, to requests that fail in
// several ways: no error document (XML, JSON, HTML) and no log record holds
// them.
func TestErrorsDoNotLeakSecrets(t *testing.T) {
	const (
		basicPW  = "S3cret-Basic-PW"
		paramPW  = "hunter2-param"
		keyPEM   = "-----BEGIN PRIVATE KEY-----MIIsecretkey"
		userData = "top-secret-user-data"
	)
	encoded := base64.StdEncoding.EncodeToString([]byte(userData))
	secrets := []string{basicPW, paramPW, keyPEM, userData, encoded, url.QueryEscape(encoded),
		base64.StdEncoding.EncodeToString([]byte("mockuser:" + basicPW)), "mockpassword"}
	var logs bytes.Buffer
	var logMu sync.Mutex
	opts := tuMockOptions(t)
	opts.Logger = slog.New(slog.NewTextHandler(lockedWriter{&logs, &logMu}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := tuStart(t, opts)
	form := url.Values{"image_id": {"img1"}, "user_data": {encoded}, "password": {paramPW},
		"private_key": {keyPEM}, "Root_Password": {paramPW}}
	tests := []struct {
		name   string
		req    tuReq
		status int
	}{
		// The create fails on the password parameter (no
		// authentication_password feature) before the credentials count.
		{name: "501 create with wrong credentials", req: tuReq{Method: http.MethodPost, Path: "/api/instances", Creds: &tuCreds{"mockuser", basicPW}, Form: form}, status: 501},
		{name: "501 create with the right credentials", req: tuReq{Method: http.MethodPost, Path: "/api/instances", Creds: tuMockUser, Form: form}, status: 501},
		{name: "400 bad profile value", req: tuReq{Method: http.MethodPost, Path: "/api/instances", Creds: tuMockUser,
			Form: url.Values{"image_id": {"img1"}, "hwp_id": {"m1-large"}, "hwp_cpu": {"99"}, "user_data": {encoded}}}, status: 400},
		{name: "401 index", req: tuReq{Path: "/api/instances?" + form.Encode(), Creds: &tuCreds{"mockuser", basicPW}}, status: 401},
		{name: "403 action", req: tuReq{Method: http.MethodPost, Path: "/api/instances/nope/stop", Creds: tuMockUser, Form: form}, status: 403},
		{name: "401 show", req: tuReq{Path: "/api/instances/nope?" + form.Encode(), Creds: &tuCreds{"mockuser", basicPW}}, status: 401},
		{name: "404 show", req: tuReq{Path: "/api/instances/nope?" + form.Encode(), Creds: tuMockUser}, status: 404},
		{name: "500 unknown driver", req: tuReq{Path: "/api;driver=nope/realms?" + form.Encode(), Creds: &tuCreds{"mockuser", basicPW}}, status: 500},
	}
	for _, tt := range tests {
		for _, format := range []string{"xml", "json", "html"} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				req := tt.req
				req.Accept = map[string]string{"xml": "application/xml", "json": "application/json", "html": "text/html"}[format]
				r := s.do(t, req)
				if r.Status != tt.status {
					t.Fatalf("status %d, want %d\n%s", r.Status, tt.status, r)
				}
				for _, secret := range secrets {
					if bytes.Contains(r.Body, []byte(secret)) {
						t.Errorf("error document holds %q:\n%s", secret, r.Body)
					}
					for k, vs := range r.Header {
						if strings.Contains(strings.Join(vs, " "), secret) {
							t.Errorf("header %s holds %q", k, secret)
						}
					}
				}
				if format == "xml" {
					filtered := 0
					for _, p := range tuDecodeError(t, r).Params {
						if _, sent := form[p.Name]; sent && p.Name != "image_id" {
							if p.Value != `"[FILTERED]"` {
								t.Errorf("parameter %s shown as %s, want \"[FILTERED]\"", p.Name, p.Value)
							}
							filtered++
						}
					}
					// Every request sends user_data, which the document lists.
					if filtered == 0 {
						t.Errorf("the error document lists none of the secret parameters:\n%s", r.Body)
					}
				}
			})
		}
	}
	logMu.Lock()
	defer logMu.Unlock()
	for _, secret := range secrets {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("the log holds %q:\n%s", secret, logs.String())
		}
	}
}

// lockedWriter serialises writes to a buffer shared by concurrent requests.
type lockedWriter struct {
	b  *bytes.Buffer
	mu *sync.Mutex
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// TestConcurrentCredentials runs requests of a user with the mock's
// credentials and of one with a wrong password at the same time, on one
// handler and its provider cache: the first always sees the instances, the
// second always gets 401 and never any data.
func TestConcurrentCredentials(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	const workers, rounds = 16, 20
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := range rounds {
				good := (w+i)%2 == 0
				creds := tuMockUser
				if !good {
					creds = tuBadPass
				}
				r := s.do(t, tuReq{Path: "/api/instances?format=xml", Creds: creds})
				switch {
				case good && (r.Status != 200 || !bytes.Contains(r.Body, []byte("inst0"))):
					t.Errorf("right credentials: %s", r)
				case !good && (r.Status != 401 || bytes.Contains(r.Body, []byte("inst0"))):
					t.Errorf("wrong credentials: %s", r)
				}
			}
		})
	}
	wg.Wait()
}

// TestConcurrentUsersSeeOwnInstances: with a driver that scopes instances
// by user and a cache smaller than the number of users (so providers are
// evicted while in use), every user sees exactly their own instance over
// many concurrent requests, and a user with another's password none.
func TestConcurrentUsersSeeOwnInstances(t *testing.T) {
	opts := tuMockOptions(t)
	opts.Driver, opts.CacheSize = tuScopedDriver, 4
	s := tuStart(t, opts)
	const users, rounds = 12, 15
	var wg sync.WaitGroup
	for u := range users {
		for worker := range 2 {
			wg.Go(func() {
				user := fmt.Sprintf("u%d", u)
				for i := range rounds {
					if (i+worker)%3 == 0 {
						// Another user's password is a wrong one.
						other := fmt.Sprintf("u%d", (u+1)%users)
						r := s.do(t, tuReq{Path: "/api/instances?format=json", Creds: &tuCreds{user, tuScopedPassword(other)}})
						if r.Status != 401 || bytes.Contains(r.Body, []byte("inst-")) {
							t.Errorf("%s with %s's password: %s", user, other, r)
						}
						continue
					}
					r := s.do(t, tuReq{Path: "/api/instances?format=json", Creds: &tuCreds{user, tuScopedPassword(user)}})
					if r.Status != 200 {
						t.Errorf("%s: %s", user, r)
						continue
					}
					var v struct{ Instances []struct{ ID, Owner string } }
					if err := json.Unmarshal(r.Body, &v); err != nil {
						t.Errorf("%s: %v", user, err)
						continue
					}
					if len(v.Instances) != 1 || v.Instances[0].ID != "inst-"+user || v.Instances[0].Owner != user {
						t.Errorf("%s sees %+v", user, v.Instances)
					}
				}
			})
		}
	}
	wg.Wait()
}

// TestCacheKeyedByCredentials: a provider cached for the right credentials
// never serves a request with a wrong password for the same user.
func TestCacheKeyedByCredentials(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	for i := range 3 {
		if r := s.do(t, tuReq{Path: "/api/instances", Creds: tuMockUser}); r.Status != 200 {
			t.Fatalf("round %d, right credentials: %s", i, r)
		}
		for _, bad := range []*tuCreds{tuBadPass, {"mockuser", ""}, {"mockuser", "mockpassword "}, {"mockuser\x00", "mockpassword"}} {
			if r := s.do(t, tuReq{Path: "/api/instances", Creds: bad}); r.Status != 401 {
				t.Errorf("round %d, credentials %q: status %d, want 401", i, *bad, r.Status)
			}
		}
	}
	// The same with the scoped driver, whose users differ only in their
	// password.
	opts := tuMockOptions(t)
	opts.Driver = tuScopedDriver
	s = tuStart(t, opts)
	s.must2xx(t, tuReq{Path: "/api/instances", Creds: &tuCreds{"u1", tuScopedPassword("u1")}})
	if r := s.do(t, tuReq{Path: "/api/instances", Creds: &tuCreds{"u1", tuScopedPassword("u2")}}); r.Status != 401 {
		t.Errorf("u1 with u2's password: status %d, want 401", r.Status)
	}
}

// TestRootPrefix: with Prefix "/" the API is served at the root, hrefs
// included, and matrix parameters go on the empty first segment.
func TestRootPrefix(t *testing.T) {
	h := api.NewHandler(api.Options{Prefix: "/", Logger: tuQuiet})
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, path := range []string{"/", "/;driver=mock/hardware_profiles"} {
		resp, err := http.Get(srv.URL + path + "?format=json")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || strings.Contains(string(body), srv.URL+"//") || strings.Contains(string(body), "/api/") {
			t.Errorf("GET %s = %d %s", path, resp.StatusCode, body)
		}
	}
}
