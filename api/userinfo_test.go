package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/deltacloud-go/deltacloud/api"
)

// TestProviderUserinfoIsSecret: a default provider URL with credentials in
// it (-i deltacloud -P http://user:password@host/api) never shows them —
// not in headers, the entry point, error documents or HTML pages — keeps
// their case, and does not serve a request without credentials.
func TestProviderUserinfoIsSecret(t *testing.T) {
	const user, password = "Operator", "MixedCase-Secret"
	var mu sync.Mutex
	var auths []string
	inner := api.NewHandler(tuMockOptions(t))
	t.Cleanup(func() { inner.Close() })
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, _, ok := r.BasicAuth(); ok {
			mu.Lock()
			auths = append(auths, u)
			mu.Unlock()
		}
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(backend.Close)
	provider := strings.Replace(backend.URL, "http://", "http://"+user+":"+password+"@", 1) + "/api"
	seenUsers := func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), auths...) }

	opts := tuMockOptions(t)
	opts.Driver, opts.Provider = "deltacloud", provider
	s := tuStart(t, opts)
	for _, req := range []tuReq{
		{Path: "/api"},
		{Path: "/api", Accept: "application/json"},
		{Path: "/api", Accept: "text/html"},
		{Path: "/api/instances"},
		{Path: "/api/instances", Creds: &tuCreds{}},
		{Path: "/api/instances", Accept: "text/html"},
		{Path: "/api/nonexistent"},
		{Path: "/api/hardware_profiles/nonexistent", Accept: "application/json"},
	} {
		r := s.do(t, req)
		for _, secret := range []string{password, strings.ToLower(password), user + ":"} {
			if strings.Contains(r.String(), secret) {
				t.Errorf("GET %s (%s) shows the provider's credentials:\n%s", req.Path, req.Accept, r)
			}
		}
		if req.Path == "/api/instances" && r.Status != http.StatusUnauthorized {
			t.Errorf("GET %s without credentials = %d, want 401", req.Path, r.Status)
		}
	}
	if got := s.do(t, tuReq{Path: "/api"}).Header.Get("X-Deltacloud-Provider"); got != backend.URL+"/api" {
		t.Errorf("X-Deltacloud-Provider = %q, want %q", got, backend.URL+"/api")
	}
	if got := seenUsers(); len(got) > 0 {
		t.Errorf("requests without credentials acted with the provider URL's credentials: %q", got)
	}

	// With the operator's opt-in they do serve, in their own case.
	opts.AllowAmbientCredentials = true
	optIn := tuStart(t, opts)
	optIn.do(t, tuReq{Path: "/api/instances"})
	if got := seenUsers(); len(got) == 0 || got[len(got)-1] != user {
		t.Errorf("with AllowAmbientCredentials the backend saw users %q, want %q", got, user)
	}
}
