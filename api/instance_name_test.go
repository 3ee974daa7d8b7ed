package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// TestEmptyInstanceName creates instances with name= (present, empty),
// without name and through the HTML form with its field left blank, and
// reads each back in XML and JSON: name= keeps the empty name, written as
// <name></name> and "name":"", where the others get the default
// i-<unix time>.
func TestEmptyInstanceName(t *testing.T) {
	cases := []struct {
		name string
		req  tuReq
		want *regexp.Regexp
	}{
		{"name= in the form", tuReq{Path: "/api/instances?format=xml", Form: url.Values{"image_id": {"img1"}, "name": {""}}}, regexp.MustCompile(`^$`)},
		{"name= in the query", tuReq{Path: "/api/instances?format=xml&image_id=img1&name="}, regexp.MustCompile(`^$`)},
		{"no name", tuReq{Path: "/api/instances?format=xml", Form: url.Values{"image_id": {"img1"}}}, regexp.MustCompile(`^i-[0-9]+$`)},
		{"HTML form left blank", tuReq{Path: "/api/instances", Accept: "text/html", Form: url.Values{"image_id": {"img1"}, "name": {""}}}, regexp.MustCompile(`^i-[0-9]+$`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tuStart(t, tuMockOptions(t))
			tc.req.Method, tc.req.Creds = http.MethodPost, tuMockUser
			if r := s.do(t, tc.req); r.Status != http.StatusCreated && r.Status != http.StatusSeeOther && r.Status != http.StatusFound {
				t.Fatalf("create: %s", r)
			}
			const id = "inst4" // the first instance created on the fixtures
			x := tuParseXML(t, s.must2xx(t, tuReq{Path: "/api/instances/" + id + "?format=xml", Creds: tuMockUser}).Body)
			n := x.Child("name")
			if n == nil {
				t.Fatalf("no <name> element:\n%+v", x)
			}
			if !tc.want.MatchString(n.Text) {
				t.Errorf("XML name %q, want %v", n.Text, tc.want)
			}
			var doc struct {
				Instance map[string]any `json:"instance"`
			}
			if err := json.Unmarshal(s.must2xx(t, tuReq{Path: "/api/instances/" + id + "?format=json", Creds: tuMockUser}).Body, &doc); err != nil {
				t.Fatal(err)
			}
			if name, ok := doc.Instance["name"].(string); !ok || !tc.want.MatchString(name) {
				t.Errorf("JSON name %#v, want a string matching %v", doc.Instance["name"], tc.want)
			}
		})
	}
}
