package deltacloud_test

import (
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestClientTokenOverREST retries a create whose answer was lost on the
// way back: the token travels as client_token, and the retry answers the
// instance the first request made. A server that does not advertise
// tokens gets none: the Provider refuses the create before sending it.
func TestClientTokenOverREST(t *testing.T) {
	var mu sync.Mutex
	var tokens []string
	drop := 1
	s := startServer(t, "", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || !strings.HasSuffix(r.URL.Path, "/instances") {
				h.ServeHTTP(w, r)
				return
			}
			r.ParseForm()
			mu.Lock()
			tokens = append(tokens, r.PostForm.Get("client_token"))
			lose := drop > 0
			drop--
			mu.Unlock()
			if lose {
				// The server creates, but the answer is lost.
				h.ServeHTTP(discard{header: http.Header{}}, r)
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	p := s.openRemote(t, goodCreds)
	if !p.SupportsClientToken() {
		t.Fatal("SupportsClientToken = false against a server that advertises it")
	}
	direct, cloud := s.openDirect(t)
	before := cloud.Len()
	spec := deltacloud.InstanceSpec{ImageID: "img1", ClientToken: "rest-1"}
	if _, err := p.CreateInstance(t.Context(), spec); err == nil {
		t.Fatal("the create whose answer was lost succeeded")
	}
	in, err := p.CreateInstance(t.Context(), spec)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if n := cloud.Len(); n != before+1 {
		t.Errorf("%d instances after a create and its retry, want %d", n, before+1)
	}
	got, err := direct.Instance(t.Context(), in.ID)
	if err != nil || got.ID != in.ID {
		t.Errorf("the retry answered %s, which the cloud does not have: %v", in.ID, err)
	}
	mu.Lock()
	if want := "rest-1"; len(tokens) != 2 || tokens[0] != want || tokens[1] != want {
		t.Errorf("client_token sent %q, want %q twice", tokens, want)
	}
	mu.Unlock()

	// A server that does not say it honours tokens.
	plain := startServer(t, "", func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(stripHeader{ResponseWriter: w, name: "X-Deltacloud-Client-Token"}, r)
		})
	})
	q := plain.openRemote(t, goodCreds)
	if q.SupportsClientToken() {
		t.Fatal("SupportsClientToken = true against a server that does not advertise it")
	}
	if _, err := q.CreateInstance(t.Context(), spec); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("create with a token on that server = %v, want ErrNotSupported", err)
	}
}

// discard is a ResponseWriter that drops the answer.
type discard struct{ header http.Header }

func (d discard) Header() http.Header         { return d.header }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

// stripHeader removes one response header before it is sent.
type stripHeader struct {
	http.ResponseWriter
	name string
}

func (s stripHeader) WriteHeader(code int) {
	s.ResponseWriter.Header().Del(s.name)
	s.ResponseWriter.WriteHeader(code)
}

func (s stripHeader) Write(b []byte) (int, error) {
	s.ResponseWriter.Header().Del(s.name)
	return s.ResponseWriter.Write(b)
}
