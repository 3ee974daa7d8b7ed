package openstack_test

import (
	"net/http"
	"testing"

	"github.com/deltacloud-go/deltacloud/drivers/openstack"
)

// FuzzParseFault feeds error bodies: ParseFault never panics, and the
// classification of any status is a code.
func FuzzParseFault(f *testing.F) {
	for _, s := range []string{
		`{"itemNotFound": {"code": 404, "message": "x"}}`,
		`{"NeutronError": {"type": "SecurityGroupInUse", "message": "m", "detail": ""}}`,
		`{"error": {"title": "Unauthorized", "message": "m", "code": 401}}`,
		`<html><h1>Not Found</h1></html>`, `{"a": 1}`, `{"a": {"message": 5}}`, "",
	} {
		f.Add(409, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		fault := openstack.ParseFault(body)
		if len(fault.Message) > 64<<10 {
			t.Fatalf("message of %d bytes", len(fault.Message))
		}
		openstack.CodeFor(status, fault, false)
	})
}

// FuzzRetryAfter: any header value gives a bounded, non-negative wait.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999999999999", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		h := http.Header{}
		h.Set("Retry-After", v)
		if d := openstack.RetryAfter(h); d < 0 || d > 24*3600e9 {
			t.Fatalf("RetryAfter(%q) = %v", v, d)
		}
	})
}

// FuzzMapState: any status and task give a state.
func FuzzMapState(f *testing.F) {
	f.Add("ACTIVE", "powering-off")
	f.Fuzz(func(t *testing.T, status, task string) {
		if openstack.MapState(status, task) == "" {
			t.Fatal("empty state")
		}
	})
}
