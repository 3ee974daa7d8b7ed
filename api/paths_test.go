package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestPathsAsTheOriginal: empty path segments are skipped as the original
// skips them ("/api//instances" is the listing, which the 1.1.3 Ruby client
// asks for), but a trailing slash after a collection names an empty id and
// is 404, for every collection.
func TestPathsAsTheOriginal(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	cases := []struct {
		path   string
		status int
	}{
		{"/api//instances", http.StatusOK},
		{"/api//realms", http.StatusOK},
		{"/api///hardware_profiles", http.StatusOK},
		{"/api//instances/inst0", http.StatusOK},
		{"/api/", http.StatusOK},
		{"/api", http.StatusOK},
		{"/api/instances/", http.StatusNotFound},
		{"/api/realms/", http.StatusNotFound},
		{"/api/images/", http.StatusNotFound},
		{"/api/hardware_profiles/", http.StatusNotFound},
		{"/api/keys/", http.StatusNotFound},
		{"/api/storage_volumes/", http.StatusNotFound},
		{"/api/buckets/", http.StatusNotFound},
		{"/api/instances/inst0/", http.StatusNotFound},
	}
	for _, c := range cases {
		r := s.do(t, tuReq{Path: c.path, Creds: tuMockUser, Accept: "application/xml"})
		if r.Status != c.status {
			t.Errorf("GET %s = %d, want %d\n%s", c.path, r.Status, c.status, r)
		}
	}
}

// TestIDFilterOnEveryIndex: "?id=" filters every collection's index, as
// the original's: an unknown id lists nothing, a known one only itself.
func TestIDFilterOnEveryIndex(t *testing.T) {
	opts := tuMockOptions(t)
	opts.DriverOptions["mock"]["firewalls"] = "true"
	s := tuStart(t, opts)
	for _, c := range []struct{ collection, known string }{
		{"keys", "test-key"},
		{"addresses", ""},
		{"buckets", "bucket1"},
		{"storage_volumes", "vol1"},
		{"storage_snapshots", "snap1"},
		{"firewalls", ""},
		{"metrics", ""},
		{"instances", "inst0"},
		{"realms", "us"},
		{"images", "img1"},
	} {
		r := s.do(t, tuReq{Path: "/api/" + c.collection + "?id=unknown-id", Creds: tuMockUser, Accept: "application/xml"})
		if r.Status != http.StatusOK {
			t.Errorf("%s?id=unknown-id = %d\n%s", c.collection, r.Status, r)
			continue
		}
		if n := strings.Count(string(r.Body), " href="); n != 0 {
			t.Errorf("%s?id=unknown-id lists %d items:\n%s", c.collection, n, r.Body)
		}
		if c.known == "" {
			continue
		}
		r = s.do(t, tuReq{Path: "/api/" + c.collection + "?id=" + c.known, Creds: tuMockUser, Accept: "application/xml"})
		if !strings.Contains(string(r.Body), "id='"+c.known+"'") && !strings.Contains(string(r.Body), `id="`+c.known+`"`) {
			t.Errorf("%s?id=%s does not list it:\n%s", c.collection, c.known, r.Body)
		}
	}
}
