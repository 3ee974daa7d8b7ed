package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Code classifies an error the same way on every cloud, so callers branch on
// what went wrong rather than on one SDK's error strings. Each code maps onto
// one status of the Deltacloud REST API (see [Code.HTTPStatus]).
//
// A Code is itself an error, so the exported sentinels (ErrNotFound, …) are
// plain codes and errors.Is(err, ErrNotFound) matches any *Error of that code.
type Code int

// The error codes. CodeUnknown is the zero value and never appears in an
// *Error returned by a Provider: unclassified driver errors become Backend.
const (
	CodeUnknown     Code = iota
	NotFound             // the object does not exist (or is not visible to the caller)
	AuthFailure          // credentials missing or rejected
	Forbidden            // authenticated, but not allowed
	InvalidArgument      // a parameter is malformed or out of bounds
	InvalidState         // the object's current state does not allow the operation
	Conflict             // the request conflicts with an existing object
	NotSupported         // the driver or cloud lacks the collection, operation or feature
	RateLimited          // the cloud throttled the caller; see Error.RetryAfter
	Unavailable          // the cloud is temporarily unreachable or overloaded
	Backend              // the cloud failed in a way the caller cannot fix
	Timeout              // a deadline passed (the context's or the cloud's)
	// Canceled: the caller cancelled the context. It is not Temporary:
	// nobody is waiting for a retry. errors.Is(err, context.Canceled)
	// also holds for every such error, and is the test to use when code
	// must also recognise cancellations that never went through a Provider.
	Canceled
)

// lastCode is the highest classified code, for loops over all of them.
const lastCode = Canceled

// Sentinels for errors.Is. They are Codes, so they compare by code.
var (
	ErrNotFound        error = NotFound
	ErrAuthFailure     error = AuthFailure
	ErrForbidden       error = Forbidden
	ErrInvalidArgument error = InvalidArgument
	ErrInvalidState    error = InvalidState
	ErrConflict        error = Conflict
	ErrNotSupported    error = NotSupported
	ErrRateLimited     error = RateLimited
	ErrUnavailable     error = Unavailable
	ErrBackend         error = Backend
	ErrTimeout         error = Timeout
	ErrCanceled        error = Canceled
)

var codeNames = [...]string{
	CodeUnknown:     "unknown",
	NotFound:        "not found",
	AuthFailure:     "authentication failure",
	Forbidden:       "forbidden",
	InvalidArgument: "invalid argument",
	InvalidState:    "invalid state",
	Conflict:        "conflict",
	NotSupported:    "not supported",
	RateLimited:     "rate limited",
	Unavailable:     "unavailable",
	Backend:         "backend error",
	Timeout:         "timeout",
	Canceled:        "canceled",
}

// String returns the code's name in lower-case words, e.g. "not found".
func (c Code) String() string {
	if c < 0 || int(c) >= len(codeNames) {
		return fmt.Sprintf("code(%d)", int(c))
	}
	return codeNames[c]
}

// Error makes a Code usable as a sentinel error.
func (c Code) Error() string { return "deltacloud: " + c.String() }

// StatusClientClosedRequest is the status answered for Canceled: the
// non-standard 499 that proxies use when the client went away before the
// answer, since no standard status says "the caller cancelled".
const StatusClientClosedRequest = 499

// HTTPStatus is the status the Deltacloud REST API answers for this code.
// RateLimited and Unavailable have no Deltacloud equivalent and use
// the standard 429 and 503; Canceled uses StatusClientClosedRequest.
func (c Code) HTTPStatus() int {
	switch c {
	case NotFound:
		return http.StatusNotFound
	case AuthFailure:
		return http.StatusUnauthorized
	case Forbidden:
		return http.StatusForbidden
	case InvalidArgument:
		return http.StatusBadRequest
	case InvalidState:
		return http.StatusMethodNotAllowed
	case Conflict:
		return http.StatusConflict
	case NotSupported:
		return http.StatusNotImplemented
	case RateLimited:
		return http.StatusTooManyRequests
	case Unavailable:
		return http.StatusServiceUnavailable
	case Backend:
		return http.StatusBadGateway
	case Timeout:
		return http.StatusGatewayTimeout
	case Canceled:
		return StatusClientClosedRequest
	}
	return http.StatusInternalServerError
}

// Temporary reports whether an operation that failed with this code may
// succeed if simply tried again later. Canceled is not temporary: the
// caller itself asked to stop, so retrying would defy it.
func (c Code) Temporary() bool {
	switch c {
	case RateLimited, Unavailable, Backend, Timeout:
		return true
	}
	return false
}

// Error is the one error type a Provider returns. The driver's native error,
// if any, stays reachable through errors.As / errors.Unwrap.
type Error struct {
	Code Code
	// Driver is the name of the driver whose call failed ("ec2"), and
	// Provider the provider it was opened with ("us-west-1"), so an error
	// logged far from its Provider still says which cloud failed. A
	// Provider fills both in every error of a call it made to the driver
	// (its own checks of arguments, made before any call, leave them
	// empty: no cloud was involved). Provider never
	// carries credentials: user information in a URL is removed (see
	// RedactProvider).
	Driver   string
	Provider string
	// Op names the Provider operation, e.g. "CreateInstances" or "Stop".
	Op string
	// ID is the object the operation was about, if any.
	ID string
	// Message says what went wrong in words meant for people; it never holds
	// credentials or user data.
	Message string
	// State is the object's last observed state, for InvalidState errors
	// (an instance's lifecycle state, or a volume's, address's, … in the
	// cloud's words).
	State State
	// RetryAfter is how long the cloud asked the caller to wait, for
	// RateLimited errors; zero if it did not say.
	RetryAfter time.Duration
	// Err is the underlying error (the driver's, or a context error).
	Err error
}

// Error formats the error as "deltacloud: driver (provider): Op id: message:
// cause", leaving out the parts that are empty, and says each layer once:
// the "deltacloud:" and driver prefixes of nested errors are dropped, a
// cause equal to the message is not repeated, and without a message the
// code's name is printed only when the cause does not already say it.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("deltacloud: ")
	b.WriteString(e.layer())
	c := e.cause()
	switch {
	case e.Message != "":
		b.WriteString(e.Message)
		if c != "" && c != e.Message {
			b.WriteString(": ")
			b.WriteString(c)
		}
	case c != "" && strings.Contains(c, e.Code.String()):
		b.WriteString(c)
	default:
		b.WriteString(e.Code.String())
		if c != "" {
			b.WriteString(": ")
			b.WriteString(c)
		}
	}
	return b.String()
}

// layer is the "driver (provider): Op id: " part of the message.
func (e *Error) layer() string {
	var b strings.Builder
	if e.Driver != "" {
		b.WriteString(e.Driver)
		if e.Provider != "" {
			b.WriteString(" (")
			b.WriteString(RedactProvider(e.Provider))
			b.WriteString(")")
		}
		b.WriteString(": ")
	}
	if e.Op != "" {
		b.WriteString(e.Op)
		if e.ID != "" {
			b.WriteString(" ")
			b.WriteString(e.ID)
		}
		b.WriteString(": ")
	}
	return b.String()
}

// cause is the text of e.Err without what the layers before it already
// say: the "deltacloud: " prefixes of nested errors and codes, and the
// driver's name or this error's own layers when the cause starts with them.
func (e *Error) cause() string {
	if e.Err == nil {
		return ""
	}
	c := strings.ReplaceAll(e.Err.Error(), "\n", ": ")
	c = strings.ReplaceAll(c, ": deltacloud: ", ": ")
	c = strings.TrimPrefix(c, "deltacloud: ")
	// A nested error of the same call starts with the same layers.
	c = strings.TrimPrefix(c, e.layer())
	if e.Driver != "" {
		c = strings.TrimPrefix(c, e.Driver+": ")
	}
	return c
}

// RedactProvider returns a provider value that is safe to print: a URL
// keeps its scheme, host and path but loses any user information
// ("https://user:secret@host/api" → "https://host/api"), and a value with
// user information that cannot be taken apart is hidden whole. Other
// values (region names, …) are returned unchanged.
func RedactProvider(p string) string {
	if !strings.Contains(p, "@") {
		return p
	}
	u, err := url.Parse(p)
	if err != nil || u.Host == "" {
		return "(hidden)"
	}
	u.User = nil
	return u.String()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// Is matches the Code sentinels by code.
func (e *Error) Is(target error) bool {
	c, ok := target.(Code)
	return ok && c == e.Code
}

// Errorf builds an *Error with a formatted message; drivers use it to report
// classified errors.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error (or Code) in err's chain,
// Canceled for context.Canceled, Timeout for context.DeadlineExceeded, and
// CodeUnknown otherwise (including nil).
func CodeOf(err error) Code {
	if err == nil {
		return CodeUnknown
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var c Code
	if errors.As(err, &c) {
		return c
	}
	if errors.Is(err, context.Canceled) {
		return Canceled
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return Timeout
	}
	// Other error types may match a sentinel through their Is method
	// (UnknownDriverError matches ErrNotFound).
	for code := NotFound; code <= lastCode; code++ {
		if errors.Is(err, code) {
			return code
		}
	}
	return CodeUnknown
}

// UnknownDriverError is returned by Open for a name no driver registered.
// It matches ErrNotFound and lists what is registered, so the fix is obvious.
type UnknownDriverError struct {
	Name       string
	Registered []string
}

// Error names the driver and what is registered instead.
func (e *UnknownDriverError) Error() string {
	reg := strings.Join(e.Registered, ", ")
	if reg == "" {
		reg = "none; import a driver package, e.g. _ \"github.com/deltacloud-go/deltacloud/drivers/mock\""
	}
	return fmt.Sprintf("deltacloud: driver %q is not registered (registered: %s)", e.Name, reg)
}

// Is makes errors.Is(err, ErrNotFound) true.
func (e *UnknownDriverError) Is(target error) bool { return target == ErrNotFound }
