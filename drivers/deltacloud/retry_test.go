package deltacloud_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// faults wraps a handler: requests matching a rule get its answer instead
// while the rule has some left; every request is counted by method and
// path.
type faults struct {
	next http.Handler

	mu     sync.Mutex
	rules  []*rule
	counts map[string]int
}

type rule struct {
	method, suffix string
	n              int
	status         int    // answer with this status…
	retryAfter     string // …and this Retry-After…
	reset          bool   // …or reset the connection
}

func (f *faults) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	key := r.Method + " " + r.URL.Path
	f.counts[key]++
	var hit *rule
	for _, rl := range f.rules {
		if rl.n > 0 && rl.method == r.Method && strings.HasSuffix(r.URL.Path, rl.suffix) {
			rl.n--
			hit = rl
			break
		}
	}
	f.mu.Unlock()
	switch {
	case hit == nil:
		f.next.ServeHTTP(w, r)
	case hit.reset:
		conn, _, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with RST
		}
		conn.Close()
	default:
		if hit.retryAfter != "" {
			w.Header().Set("Retry-After", hit.retryAfter)
		}
		w.WriteHeader(hit.status)
		w.Write([]byte("injected"))
	}
}

func (f *faults) add(r rule) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = append(f.rules, &r)
}

func (f *faults) count(method, path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[method+" "+path]
}

func startFaulty(t *testing.T) (*server, *faults) {
	f := &faults{counts: map[string]int{}}
	s := startServer(t, "", func(h http.Handler) http.Handler { f.next = h; return f })
	return s, f
}

func TestRetryGETAfter503(t *testing.T) {
	s, f := startFaulty(t)
	p := s.openRemote(t, goodCreds)
	f.add(rule{method: "GET", suffix: "/realms", n: 2, status: http.StatusServiceUnavailable})
	rs, err := p.Realms(t.Context())
	if err != nil || len(rs) != 2 {
		t.Fatalf("Realms = %v, %v; want the two realms after two retries", rs, err)
	}
	if n := f.count("GET", "/api/realms"); n != 3 {
		t.Errorf("GET /api/realms was sent %d times, want 3", n)
	}
}

func TestRetryGETAfter502And504(t *testing.T) {
	s, f := startFaulty(t)
	p := s.openRemote(t, goodCreds)
	f.add(rule{method: "GET", suffix: "/instances", n: 1, status: http.StatusBadGateway})
	f.add(rule{method: "GET", suffix: "/instances", n: 1, status: http.StatusGatewayTimeout})
	if _, err := p.Instances(t.Context(), deltacloud.InstanceFilter{}); err != nil {
		t.Fatalf("Instances: %v", err)
	}
	if n := f.count("GET", "/api/instances"); n != 3 {
		t.Errorf("GET /api/instances was sent %d times, want 3", n)
	}
}

func TestRetriesRunOut(t *testing.T) {
	s, f := startFaulty(t)
	p := s.openRemote(t, goodCreds)
	f.add(rule{method: "GET", suffix: "/realms", n: 100, status: http.StatusServiceUnavailable})
	_, err := p.Realms(t.Context())
	if !errors.Is(err, deltacloud.ErrUnavailable) {
		t.Errorf("Realms = %v, want ErrUnavailable", err)
	}
	if n := f.count("GET", "/api/realms"); n != 4 {
		t.Errorf("GET /api/realms was sent %d times, want 4 (1 + 3 retries)", n)
	}
}

func TestRetriesOption(t *testing.T) {
	s, f := startFaulty(t)
	p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{Provider: s.base, Credentials: goodCreds,
		Options: map[string]string{"retries": "0"}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	f.add(rule{method: "GET", suffix: "/realms", n: 1, status: http.StatusServiceUnavailable})
	if _, err := p.Realms(t.Context()); !errors.Is(err, deltacloud.ErrUnavailable) {
		t.Errorf("Realms = %v, want ErrUnavailable", err)
	}
	if n := f.count("GET", "/api/realms"); n != 1 {
		t.Errorf("GET /api/realms was sent %d times, want 1", n)
	}
}

func TestCreateIsNeverRetried(t *testing.T) {
	s, f := startFaulty(t)
	p := s.openRemote(t, goodCreds)
	for _, r := range []rule{
		{method: "POST", suffix: "/instances", n: 1, status: http.StatusServiceUnavailable},
		{method: "POST", suffix: "/instances", n: 1, reset: true},
	} {
		before := f.count("POST", "/api/instances")
		f.add(r)
		_, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1"})
		if !errors.Is(err, deltacloud.ErrUnavailable) {
			t.Errorf("create with %+v = %v, want ErrUnavailable", r, err)
		}
		if n := f.count("POST", "/api/instances") - before; n != 1 {
			t.Errorf("create with %+v was sent %d times, want 1", r, n)
		}
	}
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil || len(ins) != 4 {
		t.Errorf("after failed creates: %d instances, %v; want the 4 fixtures", len(ins), err)
	}
}

func TestActionsAreNeverRetried(t *testing.T) {
	s, f := startFaulty(t)
	p := s.openRemote(t, goodCreds)
	f.add(rule{method: "POST", suffix: "/stop", n: 1, status: http.StatusServiceUnavailable})
	if _, err := p.Stop(t.Context(), "inst0"); !errors.Is(err, deltacloud.ErrUnavailable) {
		t.Errorf("Stop = %v, want ErrUnavailable", err)
	}
	if n := f.count("POST", "/api/instances/inst0/stop"); n != 1 {
		t.Errorf("stop was sent %d times, want 1", n)
	}
	in, err := p.Instance(t.Context(), "inst0")
	if err != nil || in.State != deltacloud.StateRunning {
		t.Errorf("inst0 = %v, %v; want still RUNNING", in, err)
	}
}

func TestRetryGETAfterConnectionReset(t *testing.T) {
	s, f := startFaulty(t)
	// Without keep-alives every request has a fresh connection, which
	// net/http never retries by itself: the retries are the driver's.
	p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{Provider: s.base, Credentials: goodCreds,
		HTTPClient: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	f.add(rule{method: "GET", suffix: "/images", n: 2, reset: true})
	imgs, err := p.Images(t.Context(), deltacloud.ImageFilter{})
	if err != nil || len(imgs) != 3 {
		t.Fatalf("Images = %d images, %v; want 3 after the resets", len(imgs), err)
	}
	if n := f.count("GET", "/api/images"); n != 3 {
		t.Errorf("GET /api/images was sent %d times, want 3", n)
	}
}

func TestRetryGETDuringOpen(t *testing.T) {
	s, f := startFaulty(t)
	f.add(rule{method: "GET", suffix: "/api", n: 1, reset: true})
	f.add(rule{method: "GET", suffix: "/instance_states", n: 1, status: http.StatusServiceUnavailable})
	p := s.openRemote(t, goodCreds)
	if err := p.Lifecycle().Validate(); err != nil {
		t.Error(err)
	}
}

func TestRetryStopsWithContext(t *testing.T) {
	s, f := startFaulty(t)
	p := s.openRemote(t, goodCreds)
	f.add(rule{method: "GET", suffix: "/realms", n: 1000, status: http.StatusServiceUnavailable})
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Realms(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, deltacloud.ErrTimeout) {
		t.Errorf("Realms = %v, want DeadlineExceeded and ErrTimeout", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Realms returned %v after a 30ms deadline", took)
	}
}

// TestRetryAfterTooLong: a 503 asking for a long wait is not retried; the
// caller sees the wait.
func TestRetryAfterTooLong(t *testing.T) {
	s, f := startFaulty(t)
	p := s.openRemote(t, goodCreds)
	f.add(rule{method: "GET", suffix: "/realms", n: 1, status: http.StatusServiceUnavailable, retryAfter: "60"})
	_, err := p.Realms(t.Context())
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.Unavailable || e.RetryAfter != time.Minute {
		t.Errorf("Realms = %#v, want Unavailable with RetryAfter 1m", err)
	}
	if n := f.count("GET", "/api/realms"); n != 1 {
		t.Errorf("GET /api/realms was sent %d times, want 1", n)
	}
}
