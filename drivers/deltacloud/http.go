package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/ctxsleep"
)

// maxBody caps how much of a response is read: a listing of 10,000
// instances is about 12 MB of XML.
const maxBody = 64 << 20

// Retry timing: the first retry waits about baseDelay, each further one
// twice as long, at most maxDelay; a Retry-After longer than maxRetryAfter
// is not waited for but returned to the caller.
const (
	baseDelay     = 50 * time.Millisecond
	maxDelay      = time.Second
	maxRetryAfter = 2 * time.Second
)

// response is one HTTP answer, read completely.
type response struct {
	method string
	url    string // without user information, for errors
	status int
	header http.Header
	body   []byte
}

// expect returns nil when the status is one of want, and the error the
// server's answer describes otherwise.
func (r *response) expect(want ...int) *deltacloud.Error {
	if slices.Contains(want, r.status) {
		return nil
	}
	return r.err()
}

// err is the error the answer describes.
func (r *response) err() *deltacloud.Error {
	return responseError(r.method, r.url, r.status, r.header, r.body)
}

// resolve turns a link from the server (absolute or relative) into the URL
// to request. Only the origin of the base URL is ever called: a link to
// another scheme, host or port keeps its path and query but is rebased onto
// that origin, so credentials go nowhere else, and a server behind a proxy
// that rewrites neither Host nor scheme still works.
func (c *conn) resolve(href string) (*url.URL, error) {
	u, err := c.base.Parse(strings.TrimSpace(href))
	if err != nil || u.Opaque != "" {
		return nil, &deltacloud.Error{Code: deltacloud.Backend,
			Message: fmt.Sprintf("the server sent a malformed link %q", href), Err: err}
	}
	if u.Scheme != c.base.Scheme || u.Host != c.base.Host {
		u.Scheme, u.Host = c.base.Scheme, c.base.Host
	}
	u.User, u.Fragment, u.RawFragment = nil, "", ""
	return u, nil
}

// do sends one request to href (a link from the server, or the base URL),
// with form as an urlencoded body when not nil, and reads the answer. GET
// requests are retried with jittered, growing delays after 502, 503, 504
// and broken connections; nothing else is ever retried, so a create or an
// action happens at most once. An error is a *deltacloud.Error for a
// request that got no answer; an answer of any status is returned as is.
func (c *conn) do(ctx context.Context, method, href string, form url.Values) (*response, error) {
	u, err := c.resolve(href)
	if err != nil {
		return nil, err
	}
	attempts := 1
	if method == http.MethodGet {
		attempts += c.retries
	}
	for attempt := 0; ; attempt++ {
		resp, err := c.once(ctx, method, u, form)
		if attempt+1 >= attempts {
			return resp, err
		}
		wait, ok := retryWait(ctx, attempt, resp, err)
		if !ok {
			return resp, err
		}
		attrs := []slog.Attr{slog.String("method", method), slog.String("url", u.Redacted()),
			slog.Int("attempt", attempt+1), slog.Duration("wait", wait)}
		if resp != nil {
			attrs = append(attrs, slog.Int("status", resp.status))
		} else {
			attrs = append(attrs, slog.Any("err", err))
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "deltacloud driver: retrying", attrs...)
		if err := ctxsleep.Sleep(ctx, wait); err != nil {
			return nil, contextError(ctx, err)
		}
	}
}

// retryWait says whether a GET that got resp or err is worth trying again,
// and after how long.
func retryWait(ctx context.Context, attempt int, resp *response, err error) (time.Duration, bool) {
	if ctx.Err() != nil {
		return 0, false
	}
	wait := backoff(attempt)
	if resp == nil {
		return wait, transient(err)
	}
	switch resp.status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
	default:
		return 0, false
	}
	if ra, ok := retryAfter(resp.header, time.Now()); ok {
		if ra > maxRetryAfter {
			return 0, false
		}
		wait = max(wait, ra)
	}
	return wait, true
}

// backoff is the wait before retry attempt+1: baseDelay doubled per
// attempt, at most maxDelay, with the upper half jittered.
func backoff(attempt int) time.Duration {
	d := maxDelay
	if attempt < 10 {
		d = min(baseDelay<<attempt, maxDelay)
	}
	return d/2 + rand.N(d/2+1)
}

// transient reports whether a request failed in a way that may not happen
// again: the connection was reset, refused or closed early, or timed out
// by the client's own deadline.
func transient(err error) bool {
	if err == nil {
		return false
	}
	for _, e := range []error{io.EOF, io.ErrUnexpectedEOF, syscall.ECONNRESET, syscall.ECONNREFUSED,
		syscall.ECONNABORTED, syscall.EPIPE} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// once sends one request and reads the answer.
func (c *conn) once(ctx context.Context, method string, u *url.URL, form url.Values) (*response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := c.newRequest(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return c.roundTrip(ctx, req, u)
}

// newRequest builds a request with the driver's headers and credentials.
func (c *conn) newRequest(ctx context.Context, method string, u *url.URL, body io.Reader) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u.String(), body)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidArgument,
			Message: fmt.Sprintf("cannot build a request for %s", u.Redacted()), Err: err}
	}
	req.Header.Set("Accept", "application/xml")
	req.Header.Set("User-Agent", "deltacloud-go")
	for k, vs := range c.header {
		req.Header[k] = slices.Clone(vs)
	}
	if c.creds.User != "" || c.creds.Password != "" {
		req.SetBasicAuth(c.creds.User, c.creds.Password)
	}
	return req, nil
}

// roundTrip sends req and reads the whole answer.
func (c *conn) roundTrip(ctx context.Context, req *http.Request, u *url.URL) (*response, error) {
	hr, err := c.client.Do(req)
	if err != nil {
		return nil, c.transportError(ctx, req.Method, u, err)
	}
	defer hr.Body.Close()
	return c.readResponse(ctx, req.Method, u, hr)
}

// readResponse reads an answer's body, at most maxBody bytes of it.
func (c *conn) readResponse(ctx context.Context, method string, u *url.URL, hr *http.Response) (*response, error) {
	data, err := io.ReadAll(io.LimitReader(hr.Body, maxBody+1))
	if err != nil {
		return nil, c.transportError(ctx, method, u, err)
	}
	if len(data) > maxBody {
		return nil, &deltacloud.Error{Code: deltacloud.Backend,
			Message: fmt.Sprintf("the answer to %s %s is larger than %d bytes", method, u.Redacted(), maxBody)}
	}
	return &response{method: method, url: u.Redacted(), status: hr.StatusCode, header: hr.Header, body: data}, nil
}

// transportError classifies a request that got no (complete) answer.
func (c *conn) transportError(ctx context.Context, method string, u *url.URL, err error) error {
	var de *deltacloud.Error
	if errors.As(err, &de) {
		// A redirect checkRedirect refused, without the *url.Error around
		// it, whose URL is the raw Location.
		return de
	}
	if ctx.Err() != nil {
		return contextError(ctx, err)
	}
	code := deltacloud.Unavailable
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		code = deltacloud.Timeout
	}
	return &deltacloud.Error{Code: code,
		Message: fmt.Sprintf("no answer from the Deltacloud server to %s %s", method, u.Redacted()), Err: err}
}

// contextError is the error of a request cut short by its context: a
// Timeout (Canceled when the caller cancelled) whose chain holds the
// context's error.
func contextError(ctx context.Context, err error) error {
	cerr := ctx.Err()
	if cerr == nil {
		cerr = err
	} else if err != nil && !errors.Is(err, cerr) {
		cerr = errors.Join(cerr, err)
	}
	code := deltacloud.Timeout
	if errors.Is(cerr, context.Canceled) {
		code = deltacloud.Canceled
	}
	return &deltacloud.Error{Code: code, Err: cerr}
}
