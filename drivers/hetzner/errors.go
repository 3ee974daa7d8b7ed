package hetzner

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// codes is the error mapping table of the package documentation: the
// Hetzner Cloud API's error codes (the "error.code" of an answer, or the
// code of a failed action) and what they mean here.
var codes = map[hcloud.ErrorCode]deltacloud.Code{
	hcloud.ErrorCodeNotFound:                 deltacloud.NotFound,
	hcloud.ErrorCodeUnauthorized:             deltacloud.AuthFailure,
	hcloud.ErrorCodeForbidden:                deltacloud.Forbidden,
	hcloud.ErrorCodeProtected:                deltacloud.Forbidden,
	hcloud.ErrorCodeResourceLimitExceeded:    deltacloud.Forbidden,
	hcloud.ErrorCodeResourceLocked:           deltacloud.Forbidden,
	hcloud.ErrorCodeInvalidInput:             deltacloud.InvalidArgument,
	hcloud.ErrorCodeJSONError:                deltacloud.InvalidArgument,
	hcloud.ErrorCodeInvalidServerType:        deltacloud.InvalidArgument,
	hcloud.ErrorUnsupportedError:             deltacloud.InvalidArgument,
	hcloud.ErrorCodeNetworksOverlap:          deltacloud.InvalidArgument,
	hcloud.ErrorCodeLocked:                   deltacloud.InvalidState,
	hcloud.ErrorCodeServerNotStopped:         deltacloud.InvalidState,
	hcloud.ErrorCodeVolumeAlreadyAttached:    deltacloud.InvalidState,
	hcloud.ErrorCodeServerAlreadyAttached:    deltacloud.InvalidState,
	hcloud.ErrorCodeResourceInUse:            deltacloud.InvalidState,
	hcloud.ErrorCodeFirewallAlreadyApplied:   deltacloud.InvalidState,
	hcloud.ErrorCodePrimaryIPAssigned:        deltacloud.InvalidState,
	hcloud.ErrorCodeUniquenessError:          deltacloud.Conflict,
	hcloud.ErrorCodeConflict:                 deltacloud.Conflict,
	hcloud.ErrorCodeRateLimitExceeded:        deltacloud.RateLimited,
	hcloud.ErrorCodeResourceUnavailable:      deltacloud.Unavailable,
	hcloud.ErrorCodeNoSpaceLeftInLocation:    deltacloud.Unavailable,
	hcloud.ErrorCodePlacementError:           deltacloud.Unavailable,
	hcloud.ErrorCodeMaintenance:              deltacloud.Unavailable,
	hcloud.ErrorCodeRobotUnavailable:         deltacloud.Unavailable,
	hcloud.ErrorCodeBadGateway:               deltacloud.Unavailable,
	hcloud.ErrorCodeTimeout:                  deltacloud.Timeout,
	hcloud.ErrorDeprecatedAPIEndpoint:        deltacloud.NotSupported,
	hcloud.ErrorCodeServiceError:             deltacloud.Backend,
	hcloud.ErrorCodeServerError:              deltacloud.Backend,
	hcloud.ErrorCodeUnknownError:             deltacloud.Backend,
	hcloud.ErrorCodeFirewallResourceNotFound: deltacloud.NotFound,
}

// CodeFor classifies a Hetzner Cloud API error by its code and, for a code
// the table does not list, by its HTTP status (0 when there was none, as for
// a failed action): 422 InvalidArgument and 423 InvalidState (the API's
// validation and lock answers), the others as deltacloud.CodeForHTTPStatus
// reads them.
func CodeFor(code hcloud.ErrorCode, status int) deltacloud.Code {
	if c, ok := codes[code]; ok {
		return c
	}
	switch status {
	case http.StatusUnprocessableEntity:
		return deltacloud.InvalidArgument
	case http.StatusLocked:
		return deltacloud.InvalidState
	}
	return deltacloud.CodeForHTTPStatus(status)
}

// errNoToken is the error of a provider without an API token.
var errNoToken = errors.New("hetzner: no API token (the password of the credentials; HCLOUD_TOKEN is not read with Config.NoAmbientCredentials)")

// classify returns the code of an error from hcloud-go; CodeUnknown when
// it has none.
func classify(err error) deltacloud.Code {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return deltacloud.Timeout
	}
	if errors.Is(err, errNoToken) {
		return deltacloud.AuthFailure
	}
	var he hcloud.Error
	if errors.As(err, &he) {
		status := 0
		if r := he.Response(); r != nil && r.Response != nil {
			status = r.StatusCode
		}
		return CodeFor(he.Code, status)
	}
	var ae hcloud.ActionError
	if errors.As(err, &ae) {
		if c := CodeFor(hcloud.ErrorCode(ae.Code), 0); c != deltacloud.CodeUnknown {
			return c
		}
		return deltacloud.Backend
	}
	if errors.Is(err, hcloud.ErrStatusCode) {
		// An error status without the API's body (a proxy's answer).
		if s := statusOf(err); s != 0 {
			return CodeFor("", s)
		}
		return deltacloud.Backend
	}
	// hcloud-go refuses a token that cannot be a header value before
	// sending anything.
	if strings.Contains(err.Error(), "Authorization token contains invalid characters") {
		return deltacloud.AuthFailure
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return deltacloud.Timeout
	}
	var oe *net.OpError
	if errors.As(err, &oe) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return deltacloud.Unavailable
	}
	return deltacloud.CodeUnknown
}

// statusOf reads the status of hcloud-go's "server responded with status
// code N" error.
func statusOf(err error) int {
	s := err.Error()
	i := strings.LastIndexByte(s, ' ')
	n, _ := strconv.Atoi(s[i+1:])
	return n
}

// ErrorCode classifies hcloud-go errors for the Provider
// (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return classify(err) }

// RetryAfter says how long to wait after a rate-limited answer, from its
// RateLimit-* headers: the API refills its bucket by one request every
// hour/RateLimit-Limit (a second for the usual 3600 an hour), so the wait
// is that long, or until RateLimit-Reset if that comes sooner; zero when
// the headers say nothing.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	limit, _ := strconv.Atoi(h.Get("RateLimit-Limit"))
	reset, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64)
	if limit <= 0 && err != nil {
		return 0
	}
	wait := time.Second
	if limit > 0 {
		wait = time.Hour / time.Duration(limit)
	}
	if err == nil {
		until := time.Unix(reset, 0).Sub(now)
		if until < 0 {
			until = 0
		}
		wait = min(wait, until)
	}
	return wait
}

// wrap turns an hcloud-go error into a *deltacloud.Error that keeps it in
// Err (errors.As still reaches hcloud.Error and hcloud.ActionError).
// Context errors pass unchanged.
func wrap(err error) error {
	if err == nil {
		return nil
	}
	var de *deltacloud.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := classify(err)
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	out := &deltacloud.Error{Code: code, Message: "hetzner: " + code.String(), Err: err}
	var he hcloud.Error
	var ae hcloud.ActionError
	switch {
	case errors.As(err, &he):
		out.Message = "hetzner: " + string(he.Code)
		if code == deltacloud.RateLimited {
			if r := he.Response(); r != nil && r.Response != nil {
				out.RetryAfter = RetryAfter(r.Header, time.Now())
			}
		}
	case errors.As(err, &ae):
		out.Message = "hetzner: an action failed"
		if a := ae.Action(); a != nil {
			out.Message = "hetzner: action " + a.Command + " failed"
		}
	case errors.Is(err, errNoToken):
		out.Message = ""
	}
	return out
}

// isNotFound reports whether err is the API's not_found.
func isNotFound(err error) bool { return hcloud.IsError(err, hcloud.ErrorCodeNotFound) }

// notFound is the ErrNotFound of an object the provider does not show.
func notFound(kind, id string) error {
	return deltacloud.Errorf(deltacloud.NotFound, "hetzner: no %s %s", kind, id)
}

// invalid is an InvalidArgument error.
func invalid(format string, args ...any) error {
	return deltacloud.Errorf(deltacloud.InvalidArgument, "hetzner: "+format, args...)
}
