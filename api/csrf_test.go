package api_test

import (
	"net/http"
	"net/url"
	"testing"
)

// TestCrossSiteFormsRefused: a browser's form post from another site (it
// would carry cached Basic credentials) cannot stop or destroy an instance,
// while same-origin forms and API clients that send no browser headers
// (curl, the Ruby client) work; every response carries the HTML security
// headers.
func TestCrossSiteFormsRefused(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	stop := func(h map[string]string) tuReq {
		return tuReq{Method: http.MethodPost, Path: "/api/instances/inst0/stop", Creds: tuMockUser, Header: h,
			Form: url.Values{}, Accept: "text/html"}
	}
	destroy := func(h map[string]string) tuReq {
		return tuReq{Method: http.MethodPost, Path: "/api/instances/inst1", Creds: tuMockUser, Header: h,
			Form: url.Values{"_method": {"delete"}}, Accept: "text/html"}
	}
	for _, c := range []struct {
		name   string
		req    tuReq
		status int
	}{
		{"stop, Origin of another site", stop(map[string]string{"Origin": "https://evil.example"}), http.StatusForbidden},
		{"stop, Sec-Fetch-Site cross-site", stop(map[string]string{"Sec-Fetch-Site": "cross-site"}), http.StatusForbidden},
		{"destroy, Sec-Fetch-Site cross-site", destroy(map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}), http.StatusForbidden},
		{"destroy, Origin of another site", destroy(map[string]string{"Origin": "https://evil.example"}), http.StatusForbidden},
	} {
		r := s.do(t, c.req)
		if r.Status != c.status {
			t.Errorf("%s: %d, want %d\n%s", c.name, r.Status, c.status, r)
		}
	}
	// Nothing happened to either instance.
	for _, id := range []string{"inst0", "inst1"} {
		if r := s.do(t, tuReq{Path: "/api/instances/" + id, Creds: tuMockUser, Accept: "application/xml"}); r.Status != http.StatusOK {
			t.Fatalf("%s after the refused posts: %s", id, r)
		}
	}
	// The same from the UI's own origin, and from plain API clients, works.
	if r := s.do(t, stop(map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": s.URL})); r.Status >= 400 {
		t.Errorf("same-origin stop: %s", r)
	}
	r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/instances/inst1/stop", Creds: tuMockUser, Accept: "application/xml"})
	if r.Status >= 400 {
		t.Errorf("API client stop: %s", r)
	}
	for _, h := range []string{"X-Frame-Options", "X-XSS-Protection", "Content-Security-Policy", "Referrer-Policy", "X-Content-Type-Options"} {
		if s.do(t, tuReq{Path: "/api", Accept: "text/html"}).Header.Get(h) == "" {
			t.Errorf("the HTML entry point has no %s header", h)
		}
	}
}
