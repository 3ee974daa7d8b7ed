package deltacloud_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// allCodes lists every classified code with its sentinel, in declaration
// order.
var allCodes = []struct {
	code     deltacloud.Code
	sentinel error
}{
	{deltacloud.NotFound, deltacloud.ErrNotFound},
	{deltacloud.AuthFailure, deltacloud.ErrAuthFailure},
	{deltacloud.Forbidden, deltacloud.ErrForbidden},
	{deltacloud.InvalidArgument, deltacloud.ErrInvalidArgument},
	{deltacloud.InvalidState, deltacloud.ErrInvalidState},
	{deltacloud.Conflict, deltacloud.ErrConflict},
	{deltacloud.NotSupported, deltacloud.ErrNotSupported},
	{deltacloud.RateLimited, deltacloud.ErrRateLimited},
	{deltacloud.Unavailable, deltacloud.ErrUnavailable},
	{deltacloud.Backend, deltacloud.ErrBackend},
	{deltacloud.Timeout, deltacloud.ErrTimeout},
	{deltacloud.Canceled, deltacloud.ErrCanceled},
}

func TestCodeString(t *testing.T) {
	tests := []struct {
		code deltacloud.Code
		want string
	}{
		{deltacloud.CodeUnknown, "unknown"},
		{deltacloud.NotFound, "not found"},
		{deltacloud.AuthFailure, "authentication failure"},
		{deltacloud.Forbidden, "forbidden"},
		{deltacloud.InvalidArgument, "invalid argument"},
		{deltacloud.InvalidState, "invalid state"},
		{deltacloud.Conflict, "conflict"},
		{deltacloud.NotSupported, "not supported"},
		{deltacloud.RateLimited, "rate limited"},
		{deltacloud.Unavailable, "unavailable"},
		{deltacloud.Backend, "backend error"},
		{deltacloud.Timeout, "timeout"},
		{deltacloud.Canceled, "canceled"},
		{deltacloud.Code(-1), "code(-1)"},
		{deltacloud.Canceled + 1, fmt.Sprintf("code(%d)", int(deltacloud.Canceled+1))},
	}
	for _, tt := range tests {
		if got := tt.code.String(); got != tt.want {
			t.Errorf("Code(%d).String() = %q, want %q", int(tt.code), got, tt.want)
		}
		if got, want := tt.code.Error(), "deltacloud: "+tt.want; got != want {
			t.Errorf("Code(%d).Error() = %q, want %q", int(tt.code), got, want)
		}
	}
}

func TestCodeHTTPStatus(t *testing.T) {
	// The original's statuses, plus the standard ones for the codes Deltacloud lacks.
	tests := []struct {
		code deltacloud.Code
		want int
	}{
		{deltacloud.NotFound, 404},
		{deltacloud.AuthFailure, 401},
		{deltacloud.Forbidden, 403},
		{deltacloud.InvalidArgument, 400},
		{deltacloud.InvalidState, 405},
		{deltacloud.Conflict, 409},
		{deltacloud.NotSupported, 501},
		{deltacloud.RateLimited, 429},
		{deltacloud.Unavailable, 503},
		{deltacloud.Backend, 502},
		{deltacloud.Timeout, 504},
		{deltacloud.Canceled, 499},
		{deltacloud.CodeUnknown, http.StatusInternalServerError},
		{deltacloud.Code(99), http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := tt.code.HTTPStatus(); got != tt.want {
			t.Errorf("%v.HTTPStatus() = %d, want %d", tt.code, got, tt.want)
		}
	}
}

func TestCodeTemporary(t *testing.T) {
	temporary := map[deltacloud.Code]bool{
		deltacloud.RateLimited: true,
		deltacloud.Unavailable: true,
		deltacloud.Backend:     true,
		deltacloud.Timeout:     true,
	}
	codes := []deltacloud.Code{deltacloud.CodeUnknown}
	for _, c := range allCodes {
		codes = append(codes, c.code)
	}
	for _, c := range codes {
		if got, want := c.Temporary(), temporary[c]; got != want {
			t.Errorf("%v.Temporary() = %t, want %t", c, got, want)
		}
	}
}

// nativeError stands for a cloud SDK's own error type.
type nativeError struct {
	RequestID string
	Status    int
}

func (e *nativeError) Error() string { return fmt.Sprintf("native status %d", e.Status) }

func TestErrorIs(t *testing.T) {
	base := &deltacloud.Error{Code: deltacloud.NotFound, Op: "Instance", ID: "inst9"}
	tests := []struct {
		name   string
		err    error
		target error
		want   bool
	}{
		{"same code", base, deltacloud.ErrNotFound, true},
		{"other code", base, deltacloud.ErrForbidden, false},
		{"wrapped once", fmt.Errorf("listing: %w", base), deltacloud.ErrNotFound, true},
		{"wrapped twice", fmt.Errorf("outer: %w", fmt.Errorf("inner: %w", base)), deltacloud.ErrNotFound, true},
		{"wrapped other code", fmt.Errorf("listing: %w", base), deltacloud.ErrInvalidState, false},
		{"joined", errors.Join(errors.New("first"), base), deltacloud.ErrNotFound, true},
		{"plain error", errors.New("not found"), deltacloud.ErrNotFound, false},
		{"code as error", deltacloud.ErrConflict, deltacloud.ErrConflict, true},
		{"code as error, other", deltacloud.ErrConflict, deltacloud.ErrNotFound, false},
		{"cause reachable", &deltacloud.Error{Code: deltacloud.Timeout, Err: context.DeadlineExceeded}, context.DeadlineExceeded, true},
		{"cause reachable through wrap", fmt.Errorf("w: %w", &deltacloud.Error{Code: deltacloud.Timeout, Err: context.Canceled}), context.Canceled, true},
		{"cause code does not leak", &deltacloud.Error{Code: deltacloud.Backend, Err: deltacloud.ErrNotFound}, deltacloud.ErrBackend, true},
		{"zero Error matches no sentinel", &deltacloud.Error{}, deltacloud.ErrNotFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := errors.Is(tt.err, tt.target); got != tt.want {
				t.Errorf("errors.Is(%v, %v) = %t, want %t", tt.err, tt.target, got, tt.want)
			}
		})
	}
}

// TestErrorIsMatrix checks that every *Error matches exactly its own
// sentinel, directly and wrapped.
func TestErrorIsMatrix(t *testing.T) {
	for _, c := range allCodes {
		for _, s := range allCodes {
			want := c.code == s.code
			e := &deltacloud.Error{Code: c.code, Message: "m"}
			if got := errors.Is(e, s.sentinel); got != want {
				t.Errorf("errors.Is(*Error{%v}, %v) = %t, want %t", c.code, s.code, got, want)
			}
			if got := errors.Is(fmt.Errorf("ctx: %w", e), s.sentinel); got != want {
				t.Errorf("errors.Is(wrapped *Error{%v}, %v) = %t, want %t", c.code, s.code, got, want)
			}
		}
	}
}

func TestErrorAsNative(t *testing.T) {
	native := &nativeError{RequestID: "req-1", Status: 418}
	tests := []struct {
		name string
		err  error
	}{
		{"direct", &deltacloud.Error{Code: deltacloud.Backend, Op: "Instances", Err: native}},
		{"wrapped", fmt.Errorf("watch: %w", &deltacloud.Error{Code: deltacloud.Backend, Err: native})},
		{"native wrapped inside cause", &deltacloud.Error{Code: deltacloud.Unavailable, Err: fmt.Errorf("sdk: %w", native)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got *nativeError
			if !errors.As(tt.err, &got) {
				t.Fatalf("errors.As(%v, *nativeError) = false, want true", tt.err)
			}
			if diff := cmp.Diff(native, got); diff != "" {
				t.Errorf("native error (-want +got):\n%s", diff)
			}
			var de *deltacloud.Error
			if !errors.As(tt.err, &de) {
				t.Fatalf("errors.As(%v, *Error) = false, want true", tt.err)
			}
			if errors.Unwrap(de) == nil {
				t.Errorf("Unwrap(%v) = nil, want the cause", de)
			}
		})
	}
	var got *nativeError
	if errors.As(&deltacloud.Error{Code: deltacloud.Backend}, &got) {
		t.Errorf("errors.As(*Error without cause, *nativeError) = true, want false")
	}
}

func TestCodeOf(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		err  error
		want deltacloud.Code
	}{
		{"nil", nil, deltacloud.CodeUnknown},
		{"plain", errors.New("boom"), deltacloud.CodeUnknown},
		{"*Error", &deltacloud.Error{Code: deltacloud.Conflict}, deltacloud.Conflict},
		{"wrapped *Error", fmt.Errorf("x: %w", &deltacloud.Error{Code: deltacloud.RateLimited}), deltacloud.RateLimited},
		{"Code sentinel", deltacloud.ErrForbidden, deltacloud.Forbidden},
		{"wrapped Code sentinel", fmt.Errorf("x: %w", deltacloud.ErrNotSupported), deltacloud.NotSupported},
		{"context.Canceled", context.Canceled, deltacloud.Canceled},
		{"context.DeadlineExceeded", context.DeadlineExceeded, deltacloud.Timeout},
		{"cancelled context's error", cancelled.Err(), deltacloud.Canceled},
		{"wrapped cancellation", fmt.Errorf("dial: %w", context.Canceled), deltacloud.Canceled},
		{"wrapped deadline", fmt.Errorf("dial: %w", context.DeadlineExceeded), deltacloud.Timeout},
		{"outer *Error wins over context cause", &deltacloud.Error{Code: deltacloud.Backend, Err: context.Canceled}, deltacloud.Backend},
		{"outer *Error wins over Code cause", &deltacloud.Error{Code: deltacloud.Unavailable, Err: deltacloud.ErrNotFound}, deltacloud.Unavailable},
		{"joined", errors.Join(errors.New("a"), &deltacloud.Error{Code: deltacloud.AuthFailure}), deltacloud.AuthFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := deltacloud.CodeOf(tt.err); got != tt.want {
				t.Errorf("CodeOf(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}

func TestErrorFormatting(t *testing.T) {
	tests := []struct {
		name string
		err  *deltacloud.Error
		want string
	}{
		{"code only", &deltacloud.Error{Code: deltacloud.NotFound}, "deltacloud: not found"},
		{"op", &deltacloud.Error{Code: deltacloud.NotFound, Op: "Realms"}, "deltacloud: Realms: not found"},
		{"op and id", &deltacloud.Error{Code: deltacloud.NotFound, Op: "Instance", ID: "inst9"}, "deltacloud: Instance inst9: not found"},
		{"message replaces code name", &deltacloud.Error{Code: deltacloud.InvalidArgument, Op: "CreateInstance", Message: "image id is required"}, "deltacloud: CreateInstance: image id is required"},
		{"cause appended", &deltacloud.Error{Code: deltacloud.Backend, Op: "Instances", Err: errors.New("connection reset")}, "deltacloud: Instances: backend error: connection reset"},
		{"message and cause", &deltacloud.Error{Code: deltacloud.Timeout, Op: "WaitFor", ID: "i-1", Message: "gave up waiting for RUNNING", Err: context.DeadlineExceeded}, "deltacloud: WaitFor i-1: gave up waiting for RUNNING: context deadline exceeded"},
		{"cause equal to message is not repeated", &deltacloud.Error{Code: deltacloud.Backend, Op: "Stop", Message: "boom", Err: errors.New("boom")}, "deltacloud: Stop: boom"},
		{"Errorf", deltacloud.Errorf(deltacloud.InvalidState, "instance is %s", deltacloud.StateRunning), "deltacloud: instance is RUNNING"},
		{"driver and provider", &deltacloud.Error{Code: deltacloud.AuthFailure, Driver: "ec2", Provider: "us-west-1", Op: "Instances", Message: "Authentication Failure"}, "deltacloud: ec2 (us-west-1): Instances: Authentication Failure"},
		{"driver without provider", &deltacloud.Error{Code: deltacloud.AuthFailure, Driver: "mock", Op: "Instances", Message: "Authentication Failure"}, "deltacloud: mock: Instances: Authentication Failure"},
		{"provider URL printed without its user information", &deltacloud.Error{Code: deltacloud.NotFound, Driver: "deltacloud", Provider: "https://alice:s3cret@dc.example/api", Op: "Realms"}, "deltacloud: deltacloud (https://dc.example/api): Realms: not found"},
		{"wrapped code said once", &deltacloud.Error{Code: deltacloud.Unavailable, Driver: "mock", Op: "Instances", Err: fmt.Errorf("mock: injected fault in instances: %w", deltacloud.ErrUnavailable)}, "deltacloud: mock: Instances: injected fault in instances: unavailable"},
		{"nested error of another op", &deltacloud.Error{Code: deltacloud.NotFound, Driver: "mock", Op: "Stop", ID: "inst9", Err: &deltacloud.Error{Code: deltacloud.NotFound, Driver: "mock", Op: "Instance", ID: "inst9", Message: "instance \"inst9\" not found"}}, "deltacloud: mock: Stop inst9: Instance inst9: instance \"inst9\" not found"},
		{"nested error of the same op", &deltacloud.Error{Code: deltacloud.Backend, Driver: "mock", Op: "Instances", Err: &deltacloud.Error{Code: deltacloud.Backend, Driver: "mock", Op: "Instances", Message: "disk full"}}, "deltacloud: mock: Instances: backend error: disk full"},
		{"cancellation says canceled once", &deltacloud.Error{Code: deltacloud.Canceled, Driver: "mock", Op: "Instances", Err: context.Canceled}, "deltacloud: mock: Instances: context canceled"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.err.Error(); got != tt.want {
				t.Errorf("Error() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestErrorf(t *testing.T) {
	got := deltacloud.Errorf(deltacloud.Conflict, "key %q exists", "test-key")
	want := &deltacloud.Error{Code: deltacloud.Conflict, Message: `key "test-key" exists`}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Errorf (-want +got):\n%s", diff)
	}
}

func TestUnknownDriverError(t *testing.T) {
	tests := []struct {
		name         string
		err          *deltacloud.UnknownDriverError
		wantContains []string
	}{
		{
			name:         "some registered",
			err:          &deltacloud.UnknownDriverError{Name: "nope", Registered: []string{"ec2", "mock"}},
			wantContains: []string{`deltacloud: driver "nope" is not registered (registered: ec2, mock)`},
		},
		{
			name:         "none registered",
			err:          &deltacloud.UnknownDriverError{Name: "mock"},
			wantContains: []string{`driver "mock" is not registered`, "none", "drivers/mock"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msg := tt.err.Error()
			for _, s := range tt.wantContains {
				if !strings.Contains(msg, s) {
					t.Errorf("Error() = %q, want it to contain %q", msg, s)
				}
			}
			if !errors.Is(tt.err, deltacloud.ErrNotFound) {
				t.Errorf("errors.Is(%v, ErrNotFound) = false, want true", tt.err)
			}
			if !errors.Is(fmt.Errorf("open: %w", tt.err), deltacloud.ErrNotFound) {
				t.Errorf("errors.Is(wrapped %v, ErrNotFound) = false, want true", tt.err)
			}
			for _, c := range allCodes {
				if c.code != deltacloud.NotFound && errors.Is(tt.err, c.sentinel) {
					t.Errorf("errors.Is(%v, %v) = true, want false", tt.err, c.code)
				}
			}
		})
	}
}

func TestUnknownDriverErrorFromOpen(t *testing.T) {
	_, err := deltacloud.Open(context.Background(), "no-such-driver-for-tests", deltacloud.Config{})
	if !errors.Is(err, deltacloud.ErrNotFound) {
		t.Fatalf("Open(unknown) error = %v, want ErrNotFound", err)
	}
	var ue *deltacloud.UnknownDriverError
	if !errors.As(err, &ue) {
		t.Fatalf("Open(unknown) error = %T, want *UnknownDriverError", err)
	}
	var registered []string
	for _, d := range deltacloud.Drivers() {
		registered = append(registered, d.Name)
	}
	want := &deltacloud.UnknownDriverError{Name: "no-such-driver-for-tests", Registered: registered}
	if diff := cmp.Diff(want, ue, cmp.Comparer(func(a, b []string) bool {
		return strings.Join(a, "\x00") == strings.Join(b, "\x00")
	})); diff != "" {
		t.Errorf("UnknownDriverError (-want +got):\n%s", diff)
	}
}

// TestRedactProvider: provider values print without user information.
func TestRedactProvider(t *testing.T) {
	tests := []struct{ in, want string }{
		{"us-west-1", "us-west-1"},
		{"https://dc.example/api", "https://dc.example/api"},
		{"https://alice:s3cret@dc.example/api", "https://dc.example/api"},
		{"https://alice@dc.example:8443/api", "https://dc.example:8443/api"},
		{"alice:s3cret@dc.example", "(hidden)"},
		{"http://a:b@%zz", "(hidden)"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := deltacloud.RedactProvider(tt.in); got != tt.want {
			t.Errorf("RedactProvider(%q) = %q; want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzRedactProvider: whatever the provider value, the password of a URL
// in it never survives redaction, and neither does the error message.
func FuzzRedactProvider(f *testing.F) {
	for _, s := range []string{"https://alice:s3cret@dc.example/api", "x://u:pw@h", "us-east-1", "a:b@c", "http://[::1]:80/"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		const secret = "Zq9SECRETx"
		withSecret := "https://u:" + secret + "@" + p
		got := deltacloud.RedactProvider(withSecret)
		if strings.Contains(got, secret) && !strings.Contains(p, secret) {
			t.Fatalf("RedactProvider(%q) = %q keeps the password", withSecret, got)
		}
		e := &deltacloud.Error{Code: deltacloud.NotFound, Driver: "d", Provider: withSecret}
		if strings.Contains(e.Error(), secret) && !strings.Contains(p, secret) {
			t.Fatalf("Error() = %q keeps the password", e.Error())
		}
	})
}
