package api

import (
	"crypto/tls"
	"net/http/httptest"
	"testing"
)

// TestBaseURLFollowsEachRequest: the base URL kept from the last request
// is used only for the same host and scheme.
func TestBaseURLFollowsEachRequest(t *testing.T) {
	h := NewHandler(Options{Prefix: "/api"})
	defer h.Close()
	steps := []struct {
		host string
		tls  bool
		want string
	}{
		{"a.example", false, "http://a.example/api"},
		{"a.example", false, "http://a.example/api"},
		{"a.example", true, "https://a.example/api"},
		{"b.example:8080", true, "https://b.example:8080/api"},
		{"a.example", false, "http://a.example/api"},
	}
	for i, st := range steps {
		r := httptest.NewRequest("GET", "/api", nil)
		r.Host = st.host
		r.TLS = nil
		if st.tls {
			r.TLS = &tls.ConnectionState{}
		}
		if got := h.baseURL(r); got != st.want {
			t.Errorf("step %d: %s (tls %v): base %q, want %q", i, st.host, st.tls, got, st.want)
		}
	}
}
