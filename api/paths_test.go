package api_test

import (
	"net/http"
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
