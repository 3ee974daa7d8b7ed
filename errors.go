package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
	Timeout              // a deadline passed or the context was cancelled
)

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

// HTTPStatus is the status the Deltacloud REST API answers for this code.
// RateLimited and Unavailable have no Deltacloud equivalent and use
// the standard 429 and 503.
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
	}
	return http.StatusInternalServerError
}

// Temporary reports whether an operation that failed with this code may
// succeed if simply tried again later.
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

// Error formats the error as "deltacloud: Op id: message: cause".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("deltacloud: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		if e.ID != "" {
			b.WriteString(" ")
			b.WriteString(e.ID)
		}
		b.WriteString(": ")
	}
	msg := e.Message
	if msg == "" {
		msg = e.Code.String()
	}
	b.WriteString(msg)
	if e.Err != nil && e.Err.Error() != msg {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
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
// Timeout for context errors, and CodeUnknown otherwise (including nil).
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
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return Timeout
	}
	// Other error types may match a sentinel through their Is method
	// (UnknownDriverError matches ErrNotFound).
	for code := NotFound; code <= Timeout; code++ {
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
