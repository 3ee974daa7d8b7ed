package digitalocean_test

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
)

// TestCodeFor is the package doc's error table.
func TestCodeFor(t *testing.T) {
	cases := []struct {
		status int
		id     string
		want   deltacloud.Code
	}{
		{401, "unauthorized", deltacloud.AuthFailure},
		{403, "forbidden", deltacloud.Forbidden},
		{404, "not_found", deltacloud.NotFound},
		{409, "conflict", deltacloud.Conflict},
		{422, "unprocessable_entity", deltacloud.InvalidArgument},
		{400, "bad_request", deltacloud.InvalidArgument},
		{429, "too_many_requests", deltacloud.RateLimited},
		{500, "server_error", deltacloud.Backend},
		{503, "service_unavailable", deltacloud.Unavailable},
		{502, "", deltacloud.Unavailable},
		{504, "", deltacloud.Timeout},
		{599, "", deltacloud.Backend},
		{401, "", deltacloud.AuthFailure},
		{404, "", deltacloud.NotFound},
		{418, "", deltacloud.CodeUnknown},
	}
	for _, c := range cases {
		if got := digitalocean.CodeFor(c.status, c.id); got != c.want {
			t.Errorf("CodeFor(%d, %q) = %v, want %v", c.status, c.id, got, c.want)
		}
	}
}

// TestErrorsThroughTheProvider injects each answer into the fake and
// checks the code a Provider call returns, and that the token never shows.
func TestErrorsThroughTheProvider(t *testing.T) {
	cases := []struct {
		status int
		id     string
		want   error
	}{
		{401, "unauthorized", deltacloud.ErrAuthFailure},
		{403, "forbidden", deltacloud.ErrForbidden},
		{422, "unprocessable_entity", deltacloud.ErrInvalidArgument},
		{500, "server_error", deltacloud.ErrBackend},
		{503, "service_unavailable", deltacloud.ErrUnavailable},
	}
	for _, c := range cases {
		t.Run(strconv.Itoa(c.status), func(t *testing.T) {
			s := dotest.NewServer(t)
			p := openT(t, s)
			s.Fail("GET", "/v2/regions", 1, c.status, c.id)
			_, err := p.Realms(t.Context())
			if !errors.Is(err, c.want) {
				t.Fatalf("Realms = %v, want %v", err, c.want)
			}
			var er *godo.ErrorResponse
			if !errors.As(err, &er) || er.Response.StatusCode != c.status {
				t.Errorf("godo's error is not reachable: %#v", err)
			}
			if strings.Contains(err.Error(), dotest.Token) {
				t.Errorf("the error shows the token: %v", err)
			}
		})
	}
}

func TestRateLimited(t *testing.T) {
	cases := []struct {
		name, retryAfter string
		want, slack      time.Duration
	}{
		{"Retry-After", "7", 7 * time.Second, 0},
		{"RateLimit-Reset", "", time.Minute, 2 * time.Second},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := dotest.NewServer(t)
			p := openT(t, s)
			s.Throttle(1, c.retryAfter)
			_, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
			var e *deltacloud.Error
			if !errors.As(err, &e) || e.Code != deltacloud.RateLimited {
				t.Fatalf("Instances = %v, want RateLimited", err)
			}
			if e.RetryAfter < c.want-c.slack || e.RetryAfter > c.want {
				t.Errorf("RetryAfter = %v, want %v (−%v)", e.RetryAfter, c.want, c.slack)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	cases := []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"seconds", h("Retry-After", "30"), 30 * time.Second},
		{"date", h("Retry-After", now.Add(90*time.Second).UTC().Format(http.TimeFormat)), 90 * time.Second},
		{"reset when exhausted", h("RateLimit-Remaining", "0", "RateLimit-Reset", "1700000042"), 42 * time.Second},
		{"reset ignored while requests remain", h("RateLimit-Remaining", "3", "RateLimit-Reset", "1700000042"), 0},
		{"reset in the past", h("RateLimit-Remaining", "0", "RateLimit-Reset", "1600000000"), 0},
		{"reset too far", h("RateLimit-Remaining", "0", "RateLimit-Reset", "1800000000"), 0},
		{"garbage", h("Retry-After", "soon", "RateLimit-Remaining", "0", "RateLimit-Reset", "x"), 0},
		{"none", h(), 0},
	}
	for _, c := range cases {
		if got := digitalocean.RetryAfter(c.h, now); got != c.want {
			t.Errorf("%s: RetryAfter = %v, want %v", c.name, got, c.want)
		}
	}
}

func FuzzRetryAfter(f *testing.F) {
	f.Add("30", "0", "1700000042")
	f.Add("Wed, 21 Oct 2015 07:28:00 GMT", "", "")
	f.Fuzz(func(t *testing.T, ra, remaining, reset string) {
		h := http.Header{"Retry-After": {ra}, "Ratelimit-Remaining": {remaining}, "Ratelimit-Reset": {reset}}
		if d := digitalocean.RetryAfter(h, time.Now()); d < 0 || d > time.Hour {
			t.Errorf("RetryAfter(%q, %q, %q) = %v", ra, remaining, reset, d)
		}
	})
}

// TestPaging lists more droplets than a page holds and checks none is lost
// or repeated.
func TestPaging(t *testing.T) {
	s := dotest.NewServer(t)
	s.AddDroplets(450, digitalocean.TagOwnerPrefix+digitalocean.DefaultOwner)
	s.AddDroplets(5) // not ours
	p := openT(t, s)
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, in := range ins {
		seen[in.ID] = true
	}
	if len(ins) != 450 || len(seen) != 450 {
		t.Errorf("listed %d droplets (%d distinct), want 450", len(ins), len(seen))
	}
	if got := s.Calls("GET /v2/droplets"); got != 3 {
		t.Errorf("%d list requests, want 3 pages of 200", got)
	}
}

// TestNoAmbientCredentials: no token and the flag — nothing is sent, even
// with DIGITALOCEAN_TOKEN set and Spaces keys configured.
func TestNoAmbientCredentials(t *testing.T) {
	s := dotest.NewServer(t)
	t.Setenv(digitalocean.TokenEnv, dotest.Token)
	cfg := config(s, "")
	cfg.NoAmbientCredentials = true
	p, err := deltacloud.Open(t.Context(), "digitalocean", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := t.Context()
	calls := map[string]func() error{
		"Instances": func() error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err },
		"Realms":    func() error { _, err := p.Realms(ctx); return err },
		"Ping":      func() error { return p.Ping(ctx) },
		"Buckets":   func() error { _, err := p.Buckets(ctx); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, deltacloud.ErrAuthFailure) {
			t.Errorf("%s = %v, want ErrAuthFailure", name, err)
		}
	}
	for _, route := range []string{"GET /v2/droplets", "GET /v2/regions", "GET /v2/account"} {
		if n := s.Calls(route); n != 0 {
			t.Errorf("%s was called %d times", route, n)
		}
	}
	if n := s.Spaces().Calls("ListBuckets"); n != 0 {
		t.Errorf("Spaces was called %d times", n)
	}
	// Without the flag the environment's token is used.
	cfg.NoAmbientCredentials = false
	p2, err := deltacloud.Open(ctx, "digitalocean", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	if err := p2.Ping(ctx); err != nil {
		t.Errorf("Ping with %s = %v", digitalocean.TokenEnv, err)
	}
}

func TestOptions(t *testing.T) {
	s := dotest.NewServer(t)
	cases := []struct {
		opts []string
		want error
	}{
		{[]string{"owner", "team a"}, deltacloud.ErrInvalidArgument},
		{[]string{"poll_interval", "-1s"}, deltacloud.ErrInvalidArgument},
		{[]string{"endpoint", "https://user:pw@example.com/"}, deltacloud.ErrInvalidArgument},
		{[]string{"spaces_part_size", "4"}, deltacloud.ErrInvalidArgument},
		{[]string{"spaces_secret", ""}, deltacloud.ErrInvalidArgument}, // key without secret
		{[]string{"no_such_option", "1"}, deltacloud.ErrInvalidArgument},
		{[]string{"owner", "team-a"}, nil},
	}
	for _, c := range cases {
		p, err := deltacloud.Open(t.Context(), "digitalocean", config(s, dotest.Token, c.opts...))
		if !errors.Is(err, c.want) && !(c.want == nil && err == nil) {
			t.Errorf("Open with %q = %v, want %v", c.opts, err, c.want)
		}
		if err == nil {
			p.Close()
		}
	}
	if _, err := deltacloud.Open(t.Context(), "digitalocean", deltacloud.Config{Provider: "https://evil.example/"}); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("Open with a URL as provider = %v, want ErrInvalidArgument", err)
	}
}

func openT(t *testing.T, s *dotest.Server, opts ...string) *deltacloud.Provider {
	t.Helper()
	p, err := open(t.Context(), s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}
