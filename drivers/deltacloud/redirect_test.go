package deltacloud_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestRedirectsStayOnOrigin: a server that redirects (302, 303, 307, 308) to
// another origin gets an error back; the other origin never even sees a
// connection, so neither the Basic credentials nor a POST's user_data nor a
// blob's content reach it. A redirect within the origin is followed.
func TestRedirectsStayOnOrigin(t *testing.T) {
	var elsewhere atomic.Int64
	other := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the other origin got %s %s (Authorization %q)", r.Method, r.URL, r.Header.Get("Authorization"))
	}))
	other.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			elsewhere.Add(1)
		}
	}
	other.Start()
	t.Cleanup(other.Close)

	var status atomic.Int64 // 0: no redirects
	s := startServer(t, "", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case strings.HasSuffix(r.URL.Path, "/realms") && r.URL.Query().Get("moved") == "":
				// Within the origin: followed.
				http.Redirect(w, r, r.URL.Path+"?moved=1", http.StatusFound)
			case status.Load() != 0:
				http.Redirect(w, r, other.URL+r.URL.RequestURI(), int(status.Load()))
			default:
				h.ServeHTTP(w, r)
			}
		})
	})
	p := s.openRemote(t, goodCreds)
	ctx := t.Context()
	if rs, err := p.Realms(ctx); err != nil || len(rs) == 0 {
		t.Fatalf("Realms through a same-origin redirect: %v, %v", rs, err)
	}
	calls := map[string]func() error{
		"GET instances": func() error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err },
		"POST instances with user_data": func() error {
			_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", UserData: []byte("secret-user-data")})
			return err
		},
		"PUT blob": func() error {
			_, err := p.PutBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: "redirected"}, strings.NewReader("secret content"))
			return err
		},
	}
	for _, code := range []int{http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		status.Store(int64(code))
		for name, call := range calls {
			err := call()
			if err == nil {
				t.Errorf("%d, %s: followed off the origin without an error", code, name)
				continue
			}
			if errors.Is(err, deltacloud.ErrUnavailable) || strings.Contains(err.Error(), mockPasswordHint) {
				t.Errorf("%d, %s: err = %v; want a Backend refusal without secrets", code, name, err)
			}
		}
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other origin saw %d connections", n)
	}
}

// mockPasswordHint is a part of the mock's password that must never show.
const mockPasswordHint = "mockpassword"
