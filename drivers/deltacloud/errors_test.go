package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// TestStatusCodes checks every status the issue names against the code it
// must become, with the server's message kept, for XML, JSON and
// plain-text bodies.
func TestStatusCodes(t *testing.T) {
	tests := []struct {
		status int
		code   deltacloud.Code
	}{
		{400, deltacloud.InvalidArgument},
		{401, deltacloud.AuthFailure},
		{403, deltacloud.Forbidden},
		{404, deltacloud.NotFound},
		{405, deltacloud.InvalidState},
		{406, deltacloud.InvalidArgument},
		{409, deltacloud.Conflict},
		{412, deltacloud.NotSupported},
		{418, deltacloud.InvalidArgument},
		{429, deltacloud.RateLimited},
		{500, deltacloud.Backend},
		{501, deltacloud.NotSupported},
		{502, deltacloud.Backend},
		{503, deltacloud.Unavailable},
		{504, deltacloud.Timeout},
		{599, deltacloud.Backend},
		{200, deltacloud.Backend}, // a success where another was due
		{302, deltacloud.Backend},
	}
	for _, tt := range tests {
		msg := fmt.Sprintf("message of %d", tt.status)
		xmlDoc, err := wire.Marshal(wire.NewErrorDoc(wire.ErrorInfo{Status: tt.status, Message: msg, Driver: "mock"}))
		if err != nil {
			t.Fatal(err)
		}
		bodies := map[string][]byte{
			"xml":   xmlDoc,
			"json":  fmt.Appendf(nil, `{"code":%d,"message":%q,"error":"Deltacloud::Exceptions::X"}`, tt.status, msg),
			"plain": []byte(msg + "\n"),
		}
		for kind, body := range bodies {
			e := responseError("GET", "http://h/api/x", tt.status, http.Header{}, body)
			if e.Code != tt.code || e.Message != msg {
				t.Errorf("%d %s: code %v, message %q; want %v, %q", tt.status, kind, e.Code, e.Message, tt.code, msg)
			}
			if !errors.Is(e, tt.code) {
				t.Errorf("%d %s: errors.Is(err, %v) = false", tt.status, kind, tt.code)
			}
		}
		// No body, or an HTML page: the status's standard message.
		for _, body := range []string{"", "<html><body><h1>Oops</h1></body></html>", "  \n"} {
			e := responseError("GET", "", tt.status, http.Header{}, []byte(body))
			if e.Code != tt.code || e.Message == "" || strings.Contains(e.Message, "<") {
				t.Errorf("%d with body %q: code %v, message %q", tt.status, body, e.Code, e.Message)
			}
		}
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tt := range []struct {
		header string
		want   time.Duration
		ok     bool
	}{
		{"7", 7 * time.Second, true},
		{" 0 ", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"", 0, false},
		{"soon", 0, false},
		{"-3", 0, false},
		{"99999999999999999999", 0, false},
	} {
		h := http.Header{}
		if tt.header != "" {
			h.Set("Retry-After", tt.header)
		}
		got, ok := retryAfter(h, now)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Retry-After %q = %v, %v; want %v, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
	h := http.Header{"Retry-After": {"7"}}
	if e := responseError("GET", "", 429, h, nil); e.Code != deltacloud.RateLimited || e.RetryAfter != 7*time.Second {
		t.Errorf("429 with Retry-After 7 = %v, RetryAfter %v", e.Code, e.RetryAfter)
	}
	if e := responseError("GET", "", 404, h, nil); e.RetryAfter != 0 {
		t.Errorf("404 with Retry-After: RetryAfter %v, want 0", e.RetryAfter)
	}
}

func TestCleanMessage(t *testing.T) {
	long := strings.Repeat("é", 400)
	for in, want := range map[string]string{
		"  Not\r\n Found\t":  "Not Found",
		"a\x00b\x1bc":        "a b c",
		"bad \xff utf-8":     "bad \uFFFD utf-8",
		long:                 strings.Repeat("é", maxMessage/2) + "…",
		"Required parameter": "Required parameter",
	} {
		if got := cleanMessage(in); got != want {
			t.Errorf("cleanMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestErrorsOverHTTP sends each error through a server and the Provider:
// the error reaching the caller keeps code, message, Retry-After and the
// HTTP details.
func TestErrorsOverHTTP(t *testing.T) {
	status := http.StatusTooManyRequests
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api" {
			w.Write([]byte(`<api driver='x' version='1.1.3'><link href='/api/realms' rel='realms'/></api>`))
			return
		}
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(status)
		wire.Encode(w, wire.NewErrorDoc(wire.ErrorInfo{Status: status, Message: "Slow down, please"}))
	}))
	defer srv.Close()
	p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{Provider: srv.URL + "/api"})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = p.Realms(t.Context())
	var e *deltacloud.Error
	var re *ResponseError
	if !errors.As(err, &e) || e.Code != deltacloud.RateLimited || e.Message != "Slow down, please" ||
		e.RetryAfter != 30*time.Second || e.Op != "Realms" || !errors.As(err, &re) || re.StatusCode != 429 ||
		re.URL != srv.URL+"/api/realms" {
		t.Errorf("Realms = %#v, want RateLimited, the message, RetryAfter 30s, a 429 ResponseError", err)
	}
	want := "deltacloud: deltacloud (" + srv.URL + "/api): Realms: Slow down, please: GET " + srv.URL + "/api/realms: 429 Too Many Requests"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
	// Collections the server does not offer are NotSupported, without a
	// request.
	if _, err := p.Images(t.Context(), deltacloud.ImageFilter{}); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("Images on a server without images = %v, want ErrNotSupported", err)
	}
	// A server without instance_states gets the stand-in machine.
	if err := p.Lifecycle().Validate(); err != nil {
		t.Errorf("stand-in lifecycle: %v", err)
	}
}

func TestContextErrors(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api" {
			w.Write([]byte(`<api driver='x' version='1.1.3'><link href='/api/realms' rel='realms'/></api>`))
			return
		}
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	c, err := driver{}.Open(t.Context(), deltacloud.Config{Provider: srv.URL + "/api"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err = c.Realms(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, deltacloud.ErrTimeout) {
		t.Errorf("Realms past the deadline = %v, want DeadlineExceeded and ErrTimeout", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Realms took %v after the deadline", took)
	}
}
