package api_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestErrorBacktraceSection: every XML error document holds an empty CDATA
// section in <backtrace>, as the original's do; the legacy Ruby client reads
// that section and crashes on an empty element instead of raising the error.
func TestErrorBacktraceSection(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	cases := []struct {
		name string
		req  tuReq
		want int
	}{
		{"not found", tuReq{Path: "/api/instances/nosuch", Creds: tuMockUser}, http.StatusNotFound},
		{"no credentials", tuReq{Path: "/api/instances"}, http.StatusUnauthorized},
		{"wrong credentials", tuReq{Path: "/api/images", Creds: &tuCreds{"mockuser", "wrong"}}, http.StatusUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.req.Accept = "application/xml"
			r := s.do(t, c.req)
			if r.Status != c.want {
				t.Fatalf("status %d, want %d\n%s", r.Status, c.want, r)
			}
			if !strings.Contains(string(r.Body), "<backtrace><![CDATA[]]></backtrace>") {
				t.Errorf("no empty CDATA section in <backtrace>:\n%s", r.Body)
			}
		})
	}
}
