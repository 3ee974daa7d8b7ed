package digitalocean

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/s3store"
)

// CodeFor classifies a DigitalOcean error answer by its HTTP status and its
// error id (the "id" of the body); the table is in the package doc. An id
// the driver knows wins over the status.
func CodeFor(status int, id string) deltacloud.Code {
	switch id {
	case "unauthorized":
		return deltacloud.AuthFailure
	case "forbidden":
		return deltacloud.Forbidden
	case "not_found":
		return deltacloud.NotFound
	case "conflict":
		return deltacloud.Conflict
	case "unprocessable_entity", "bad_request":
		return deltacloud.InvalidArgument
	case "too_many_requests":
		return deltacloud.RateLimited
	case "server_error":
		return deltacloud.Backend
	case "service_unavailable":
		return deltacloud.Unavailable
	}
	switch {
	case status == http.StatusUnauthorized:
		return deltacloud.AuthFailure
	case status == http.StatusForbidden:
		return deltacloud.Forbidden
	case status == http.StatusNotFound:
		return deltacloud.NotFound
	case status == http.StatusConflict:
		return deltacloud.Conflict
	case status == http.StatusBadRequest, status == http.StatusUnprocessableEntity:
		return deltacloud.InvalidArgument
	case status == http.StatusTooManyRequests:
		return deltacloud.RateLimited
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable:
		return deltacloud.Unavailable
	case status == http.StatusGatewayTimeout:
		return deltacloud.Timeout
	case status >= 500:
		return deltacloud.Backend
	}
	return deltacloud.CodeUnknown
}

// errorIDOf is the error id of an answer, which godo does not keep: the
// transport copies it into a header (see tokenTransport).
func errorIDOf(er *godo.ErrorResponse) string {
	return er.Response.Header.Get(errorIDHeader)
}

// classify returns the code of a godo or transport error.
func classify(err error) deltacloud.Code {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return deltacloud.Timeout
	}
	if errors.Is(err, errNoToken) {
		return deltacloud.AuthFailure
	}
	var de *deltacloud.Error
	if errors.As(err, &de) {
		return de.Code
	}
	var er *godo.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return CodeFor(er.Response.StatusCode, errorIDOf(er))
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

// ErrorCode classifies godo's errors for the Provider (deltacloud.ErrorCoder).
func (c *conn) ErrorCode(err error) deltacloud.Code { return classify(err) }

// wrap turns a godo error into a *deltacloud.Error keeping it in Err;
// RateLimited errors get RetryAfter. Context errors pass unchanged.
func (c *conn) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	code := classify(err)
	if code == deltacloud.CodeUnknown {
		code = deltacloud.Backend
	}
	msg := "digitalocean: " + code.String()
	var er *godo.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		msg = fmt.Sprintf("digitalocean: HTTP %d", er.Response.StatusCode)
		if id := errorIDOf(er); id != "" {
			msg += " " + id
		}
		if er.Message != "" {
			msg += ": " + truncate(er.Message, 300)
		}
		if er.RequestID != "" {
			msg += " (request " + truncate(er.RequestID, 64) + ")"
		}
		err = opaque{er} // the message already says it; keep it reachable
	}
	e := &deltacloud.Error{Code: code, Message: msg, Err: err}
	if code == deltacloud.RateLimited && er != nil && er.Response != nil {
		e.RetryAfter = RetryAfter(er.Response.Header, time.Now())
	}
	return e
}

// opaque keeps godo's error reachable with errors.As without printing it
// again: godo's text repeats the URL and status the message already has.
type opaque struct{ er *godo.ErrorResponse }

func (o opaque) Error() string { return "" }

func (o opaque) As(target any) bool {
	if p, ok := target.(**godo.ErrorResponse); ok {
		*p = o.er
		return true
	}
	return false
}

// RetryAfter is how long a throttled caller should wait: the Retry-After
// header, else, when RateLimit-Remaining is 0, the time until
// RateLimit-Reset (a Unix time); zero when neither says, and never more
// than an hour.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if d, ok := s3store.ParseRetryAfter(h.Get("Retry-After"), now); ok {
		return d
	}
	if h.Get("RateLimit-Remaining") != "0" {
		return 0
	}
	reset, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64)
	if err != nil {
		return 0
	}
	d := time.Unix(reset, 0).Sub(now)
	if d < 0 || d > time.Hour {
		return 0
	}
	return d
}

// notFound is the error of an id this provider does not show.
func notFound(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: id,
		Message: fmt.Sprintf("digitalocean: %s %q not found", what, truncate(id, 100))}
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// wrapGet is wrap for a lookup by id: the API's 404 becomes the driver's
// not-found error naming the object.
func (c *conn) wrapGet(err error, what, id string) error {
	if err != nil && classify(err) == deltacloud.NotFound {
		return notFound(what, id)
	}
	return c.wrap(err)
}
