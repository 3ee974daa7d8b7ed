package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestClientTokenParam creates instances with client_token: a repeat with
// the same parameters answers the first instance, other parameters are 409,
// a token out of bounds is 400; the entry point advertises the support, and
// /api/docs documents the parameter.
func TestClientTokenParam(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	ep := s.must2xx(t, tuReq{Path: "/api?format=xml", Creds: tuMockUser})
	if got := ep.Header.Get("X-Deltacloud-Client-Token"); got != "supported" {
		t.Errorf("entry point X-Deltacloud-Client-Token = %q, want supported", got)
	}
	create := func(form url.Values) tuResp {
		return s.do(t, tuReq{Method: http.MethodPost, Path: "/api/instances?format=xml", Creds: tuMockUser, Form: form})
	}
	base := url.Values{"image_id": {"img1"}, "name": {"web"}, "client_token": {"order-1"}}
	first := create(base)
	if first.Status != http.StatusCreated {
		t.Fatalf("first create: %s", first)
	}
	loc := first.Header.Get("Location")
	cases := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"same token and parameters", base, http.StatusCreated},
		{"same token, other name", url.Values{"image_id": {"img1"}, "name": {"db"}, "client_token": {"order-1"}}, http.StatusConflict},
		{"token too long", url.Values{"image_id": {"img1"}, "client_token": {strings.Repeat("x", 65)}}, http.StatusBadRequest},
		{"token with a newline", url.Values{"image_id": {"img1"}, "client_token": {"a\nb"}}, http.StatusBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := create(c.form)
			if r.Status != c.status {
				t.Fatalf("create: %s; want %d", r, c.status)
			}
			if c.status == http.StatusCreated && r.Header.Get("Location") != loc {
				t.Errorf("repeat created %s, want the first create's %s", r.Header.Get("Location"), loc)
			}
		})
	}
	list := string(s.must2xx(t, tuReq{Path: "/api/instances?format=xml", Creds: tuMockUser}).Body)
	if n := strings.Count(list, "<name>web</name>"); n != 1 {
		t.Errorf("%d instances named web, want 1", n)
	}
	docs := string(s.must2xx(t, tuReq{Path: "/api/docs/instances/create?format=xml"}).Body)
	if !strings.Contains(docs, "client_token") {
		t.Errorf("/api/docs/instances/create does not document client_token:\n%s", docs)
	}
}
