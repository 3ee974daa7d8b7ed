package ec2_test

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestErrorsWithoutAnAWSCode: a proxy's 5xx page, a reset connection and a
// gateway timeout carry no AWS error code; the error still says which
// operation failed, the HTTP status and the request id, and has a code a
// caller can act on (retry the temporary ones).
func TestErrorsWithoutAnAWSCode(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		code    deltacloud.Code
		says    []string
	}{
		{"bad gateway", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Header().Set("X-Amzn-Requestid", "req-502")
			w.WriteHeader(http.StatusBadGateway)
			w.Write([]byte("<html><body>502 Bad Gateway</body></html>"))
		}, deltacloud.Unavailable, []string{"DescribeAvailabilityZones", "HTTP 502", "request id req-502"}},
		{"internal error page", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
		}, deltacloud.Backend, []string{"DescribeAvailabilityZones", "HTTP 500"}},
		{"gateway timeout", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusGatewayTimeout)
		}, deltacloud.Timeout, []string{"DescribeAvailabilityZones", "HTTP 504"}},
		{"connection reset", func(w http.ResponseWriter, r *http.Request) {
			// Read the whole request first: a reset while the client
			// still writes it shows as a write on a closed connection
			// instead, depending on timing.
			io.Copy(io.Discard, r.Body)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err != nil {
				t.Error(err)
				return
			}
			conn.(*net.TCPConn).SetLinger(0) // close with a reset
			conn.Close()
			// Whether the client sees ECONNRESET, the connection's end or a
			// write on a closed connection depends on when the reset
			// arrives; each is said as "connection reset…".
		}, deltacloud.Unavailable, []string{"DescribeAvailabilityZones", "connection reset"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv := httptest.NewServer(c.handler)
			defer srv.Close()
			p, err := deltacloud.Open(t.Context(), "ec2", deltacloud.Config{Provider: "us-east-1", Credentials: goodCreds,
				Options: map[string]string{"endpoint": srv.URL, "max_attempts": "1"}})
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			_, err = p.Realms(t.Context())
			if got := deltacloud.CodeOf(err); got != c.code {
				t.Errorf("code %v, want %v: %v", got, c.code, err)
			}
			// The message is what a REST client is shown.
			var e *deltacloud.Error
			if !errors.As(err, &e) {
				t.Fatalf("%v is not a *deltacloud.Error", err)
			}
			for _, s := range c.says {
				if !strings.Contains(e.Message, s) {
					t.Errorf("message %q does not say %q (%v)", e.Message, s, err)
				}
			}
			if strings.Contains(e.Message, "UnknownError") || strings.Contains(e.Message, "HTTP 0") {
				t.Errorf("message %q shows what is not known", e.Message)
			}
		})
	}
}
