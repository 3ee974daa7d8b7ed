package hetzner

import (
	"go/parser"
	"go/token"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// docTable reads the error mapping table of the package documentation:
// API error code → the deltacloud code's name.
func docTable(t *testing.T) map[string]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "driver.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Doc.Text()
	_, section, ok := strings.Cut(doc, "# Errors\n")
	if !ok {
		t.Fatal("the package documentation has no # Errors section")
	}
	out := map[string]string{}
	var pending []string
	in := false
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "\t") {
			if in {
				break
			}
			continue
		}
		in = true
		line = strings.TrimSpace(line)
		fields := strings.Split(line, "  ")
		codes, name := line, ""
		if last := strings.TrimSpace(fields[len(fields)-1]); len(fields) > 1 {
			codes, name = strings.Join(fields[:len(fields)-1], "  "), last
		}
		for _, c := range strings.Split(codes, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.Contains(c, " ") {
				pending = append(pending, c)
			}
		}
		if name != "" {
			for _, c := range pending {
				out[c] = name
			}
			pending = nil
		}
	}
	if len(out) == 0 {
		t.Fatal("the # Errors section has no table")
	}
	return out
}

// TestErrorTableIsDocumented: the documentation's table and CodeFor agree,
// both ways.
func TestErrorTableIsDocumented(t *testing.T) {
	names := map[string]deltacloud.Code{
		"NotFound": deltacloud.NotFound, "AuthFailure": deltacloud.AuthFailure, "Forbidden": deltacloud.Forbidden,
		"InvalidArgument": deltacloud.InvalidArgument, "InvalidState": deltacloud.InvalidState,
		"Conflict": deltacloud.Conflict, "NotSupported": deltacloud.NotSupported, "RateLimited": deltacloud.RateLimited,
		"Unavailable": deltacloud.Unavailable, "Backend": deltacloud.Backend, "Timeout": deltacloud.Timeout,
	}
	doc := docTable(t)
	for apiCode, name := range doc {
		want, ok := names[name]
		if !ok {
			t.Errorf("the table names %q, which is no code", name)
			continue
		}
		if got := CodeFor(hcloud.ErrorCode(apiCode), 0); got != want {
			t.Errorf("the table says %s is %s; CodeFor says %s", apiCode, name, got)
		}
	}
	for apiCode, code := range codes {
		if _, ok := doc[string(apiCode)]; !ok {
			t.Errorf("%s (%s) is missing from the documentation's table", apiCode, code)
		}
	}
}

// TestCodeForStatus: codes the table does not list go by HTTP status.
func TestCodeForStatus(t *testing.T) {
	for status, want := range map[int]deltacloud.Code{
		400: deltacloud.InvalidArgument, 401: deltacloud.AuthFailure, 403: deltacloud.Forbidden,
		404: deltacloud.NotFound, 409: deltacloud.Conflict, 412: deltacloud.InvalidState,
		422: deltacloud.InvalidArgument, 423: deltacloud.InvalidState, 429: deltacloud.RateLimited,
		500: deltacloud.Backend, 502: deltacloud.Unavailable, 503: deltacloud.Unavailable,
		504: deltacloud.Unavailable, 0: deltacloud.CodeUnknown, 200: deltacloud.CodeUnknown,
	} {
		if got := CodeFor("not_a_code", status); got != want {
			t.Errorf("CodeFor(unknown code, %d) = %s, want %s", status, got, want)
		}
	}
	// A listed code wins over the status.
	if got := CodeFor(hcloud.ErrorCodeUniquenessError, http.StatusUnprocessableEntity); got != deltacloud.Conflict {
		t.Errorf("uniqueness_error with 422 = %s, want conflict", got)
	}
}

// TestRetryAfter reads the rate limit headers.
func TestRetryAfter(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	h := func(limit, reset string) http.Header {
		x := http.Header{}
		if limit != "" {
			x.Set("RateLimit-Limit", limit)
		}
		if reset != "" {
			x.Set("RateLimit-Reset", reset)
		}
		return x
	}
	for _, c := range []struct {
		h    http.Header
		want time.Duration
	}{
		{h("3600", "1700003600"), time.Second},
		{h("3600", "1700000000"), 0},
		{h("3600", "1699990000"), 0},
		{h("60", "1700000030"), 30 * time.Second},
		{h("", "1700000005"), time.Second},
		{h("", ""), 0},
		{h("x", "y"), 0},
	} {
		if got := RetryAfter(c.h, now); got != c.want {
			t.Errorf("RetryAfter(%v) = %v, want %v", c.h, got, c.want)
		}
	}
}

// TestTextLabels: free text survives the trip through label values.
func TestTextLabels(t *testing.T) {
	for _, text := range []string{"web", "two words", "b32.looks-encoded", strings.Repeat("long text, ", 20), "ünïcödé ✓", "-dash"} {
		labels := map[string]string{}
		textLabels(labels, LabelDescription, text)
		for k, v := range labels {
			if !labelKey(k) || !labelText(v) {
				t.Errorf("%q stored as %s=%q, not a valid label", text, k, v)
			}
		}
		if got := textFromLabels(labels, LabelDescription); got != text {
			t.Errorf("%q came back as %q", text, got)
		}
	}
}
