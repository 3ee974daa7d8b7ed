package api_test

import (
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud/api"
)

// TestListingMemoServesNothingStale reads the instance listing in XML and
// JSON before and after each change through the API and checks that every
// answer is the current one: a listing served again from the memo equals
// the first rendering byte for byte with the same ETag (the body's MD5),
// and a change shows at once.
func TestListingMemoServesNothingStale(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	get := func(path string) tuResp {
		t.Helper()
		r := s.must2xx(t, tuReq{Path: path, Creds: tuMockUser})
		sum := md5.Sum(r.Body)
		if got := r.Header.Get("ETag"); got != hex.EncodeToString(sum[:]) {
			t.Errorf("GET %s: ETag %q is not the body's MD5 %x", path, got, sum)
		}
		return r
	}
	post := func(path string, form url.Values) {
		t.Helper()
		s.must2xx(t, tuReq{Method: http.MethodPost, Path: path, Creds: tuMockUser, Form: form})
	}
	steps := []struct {
		name   string
		change func()
		want   []string // in the XML listing after the change
		gone   []string // not in it
	}{
		{name: "fixtures", change: func() {}, want: []string{`id="inst0"`, "<state>RUNNING</state>"}},
		{name: "inst0 stopped", change: func() { post("/api/instances/inst0/stop", nil) },
			want: []string{"<state>STOPPED</state>"}},
		{name: "vol1 attached to inst1", change: func() {
			post("/api/storage_volumes/vol1/attach", url.Values{"instance_id": {"inst1"}, "device": {"/dev/sdc"}})
		}, want: []string{`device="/dev/sdc"`}},
		{name: "inst0 destroyed", change: func() { post("/api/instances/inst0", url.Values{"_method": {"delete"}}) },
			gone: []string{`id="inst0"`}},
	}
	for _, st := range steps {
		st.change()
		for _, format := range []string{"xml", "json"} {
			path := "/api/instances?format=" + format
			first, again := get(path), get(path)
			if d := cmp.Diff(string(first.Body), string(again.Body)); d != "" || first.Header.Get("ETag") != again.Header.Get("ETag") {
				t.Errorf("%s: %s served twice differs (-first +again):\n%s", st.name, format, d)
			}
			if format != "xml" {
				continue
			}
			for _, w := range st.want {
				if !strings.Contains(string(first.Body), w) {
					t.Errorf("%s: the listing lacks %s:\n%s", st.name, w, first.Body)
				}
			}
			for _, g := range st.gone {
				if strings.Contains(string(first.Body), g) {
					t.Errorf("%s: the listing still shows %s:\n%s", st.name, g, first.Body)
				}
			}
		}
	}
}

// TestListingMemoKeepsRequestsApart: what one request had rendered is never
// served for another that differs in credentials, host, filter or format.
func TestListingMemoKeepsRequestsApart(t *testing.T) {
	s := tuStart(t, api.Options{Driver: tuScopedDriver, Logger: tuQuiet})
	as := func(user, host, query string) tuResp {
		t.Helper()
		creds := &tuCreds{user, tuScopedPassword(user)}
		req := tuReq{Path: "/api/instances" + query, Creds: creds}
		if host != "" {
			r := req.request(t, s.URL)
			r.Host = host
			resp, err := s.client.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			return tuResp{Status: resp.StatusCode, Header: resp.Header, Body: body}
		}
		return s.do(t, req)
	}
	for range 2 { // the second round is served from the memos
		if r := as("u1", "", "?format=xml"); r.Status != 200 || !strings.Contains(string(r.Body), `id="inst-u1"`) {
			t.Errorf("u1: %s", r)
		}
		if r := as("u2", "", "?format=xml"); r.Status != 200 || !strings.Contains(string(r.Body), `id="inst-u2"`) ||
			strings.Contains(string(r.Body), "inst-u1") {
			t.Errorf("u2 sees: %s", r)
		}
		bad := s.do(t, tuReq{Path: "/api/instances?format=xml", Creds: &tuCreds{"u1", "wrong"}})
		if bad.Status != http.StatusUnauthorized || strings.Contains(string(bad.Body), "inst-u1") {
			t.Errorf("u1 with a wrong password: %s", bad)
		}
		if r := as("u1", "other.example:8080", "?format=xml"); r.Status != 200 ||
			!strings.Contains(string(r.Body), "http://other.example:8080/api/instances/inst-u1") {
			t.Errorf("another Host's links: %s", r)
		}
		if r := as("u1", "", "?format=xml&state=STOPPED"); r.Status != 200 || strings.Contains(string(r.Body), "inst-u1") {
			t.Errorf("a filter that excludes inst-u1: %s", r)
		}
		if r := as("u1", "", "?format=json"); r.Status != 200 || !strings.HasPrefix(string(r.Body), `{"instances":`) {
			t.Errorf("JSON after XML: %s", r)
		}
	}
}
