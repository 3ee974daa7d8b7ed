package deltacloud

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/ctxsleep"
)

// send sends one request whose body is streamed from body: with a
// Content-Length when size is positive, chunked otherwise (size 0 with a
// nil body sends none). The answer is read whole, as it is a document.
// It is never retried: the body cannot be read twice.
func (c *conn) send(ctx context.Context, method, href string, header http.Header, body io.Reader, size int64) (*response, error) {
	u, err := c.resolve(href)
	if err != nil {
		return nil, err
	}
	var rc io.Reader
	switch {
	case body != nil && size > 0:
		rc = &exactReader{r: body, left: size}
	case body != nil:
		// NewRequest must not see the concrete type: it would take the
		// length of a *bytes.Reader and friends, not the caller's size.
		rc = struct{ io.Reader }{body}
	}
	req, err := c.newRequest(ctx, method, u, rc)
	if err != nil {
		return nil, err
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	switch {
	case body == nil:
		req.ContentLength = 0
	case size > 0:
		req.ContentLength = size
	default:
		req.ContentLength = -1 // chunked
	}
	resp, err := c.roundTrip(ctx, req, u)
	if err == nil && streamed(req) && isRedirect(resp.status) && resp.header.Get("Location") != "" {
		// The client hands out a 307 or 308 it cannot follow without the
		// body; it is refused like any redirect of a streamed body.
		target := "(a malformed Location)"
		if loc, lerr := u.Parse(resp.header.Get("Location")); lerr == nil {
			target = displayURL(loc)
		}
		return nil, redirectError(req, req, target, "a streamed body cannot be sent again")
	}
	return resp, err
}

// open sends a GET and hands back the answer's body unread when it is 200,
// for content that must be streamed. Like do, it retries after 502, 503,
// 504 and broken connections, which all happen before any content is
// handed out. Any other answer is returned as the error it describes.
func (c *conn) open(ctx context.Context, href string) (*http.Response, error) {
	u, err := c.resolve(href)
	if err != nil {
		return nil, err
	}
	for attempt := 0; ; attempt++ {
		hr, resp, err := c.openOnce(ctx, u)
		if hr != nil {
			return hr, nil
		}
		if attempt >= c.retries {
			return nil, failure(resp, err)
		}
		wait, ok := retryWait(ctx, attempt, resp, err)
		if !ok {
			return nil, failure(resp, err)
		}
		c.log.LogAttrs(ctx, slog.LevelDebug, "deltacloud driver: retrying", slog.String("method", http.MethodGet),
			slog.String("url", u.Redacted()), slog.Int("attempt", attempt+1), slog.Duration("wait", wait))
		if err := ctxsleep.Sleep(ctx, wait); err != nil {
			return nil, contextError(ctx, err)
		}
	}
}

// openOnce sends one GET: a 200 answer comes back unread, any other read
// whole.
func (c *conn) openOnce(ctx context.Context, u *url.URL) (*http.Response, *response, error) {
	req, err := c.newRequest(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Accept", "*/*")
	hr, err := c.client.Do(req)
	if err != nil {
		return nil, nil, c.transportError(ctx, http.MethodGet, u, err)
	}
	if hr.StatusCode == http.StatusOK {
		hr.Body = &bodyReader{ctx: ctx, rc: hr.Body, c: c, u: u}
		return hr, nil, nil
	}
	defer hr.Body.Close()
	resp, err := c.readResponse(ctx, http.MethodGet, u, hr)
	return nil, resp, err
}

// exactReader passes on exactly left bytes of r, and fails before it passes
// on the last one if r holds more: the transport checks a body against its
// Content-Length only after sending it, by which time the server has a
// complete request and would keep the blob cut short.
type exactReader struct {
	r    io.Reader
	left int64
	done bool
}

func (e *exactReader) Read(p []byte) (int, error) {
	switch {
	case e.done || e.left == 0:
		return 0, io.EOF
	case len(p) == 0:
		return 0, nil
	case e.left > 1:
		n, err := e.r.Read(p[:min(int64(len(p)), e.left-1)])
		e.left -= int64(n)
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return n, err
	}
	// The last byte: read it, then make sure nothing follows.
	n, err := io.ReadFull(e.r, p[:1])
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return 0, err
	}
	var probe [1]byte
	for {
		m, err := e.r.Read(probe[:])
		switch {
		case m > 0:
			return 0, errors.New("the content is longer than its announced size")
		case err == io.EOF:
			e.left, e.done = 0, true
			return n, nil
		case err != nil:
			return 0, err
		}
	}
}

// failure is the error of a request that got resp or err.
func failure(resp *response, err error) error {
	if err != nil {
		return err
	}
	return resp.err()
}

// bodyReader streams an answer's body, turning transport failures into
// the driver's errors: the context's end is a Timeout holding ctx.Err(), a
// broken connection Unavailable. Close may be called from another
// goroutine to abandon the stream.
type bodyReader struct {
	ctx  context.Context
	rc   io.ReadCloser
	c    *conn
	u    *url.URL
	once sync.Once
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if err == nil || err == io.EOF {
		return n, err
	}
	if b.ctx.Err() != nil {
		return n, contextError(b.ctx, err)
	}
	var de *deltacloud.Error
	if errors.As(err, &de) {
		return n, err
	}
	return n, b.c.transportError(b.ctx, http.MethodGet, b.u, err)
}

func (b *bodyReader) Close() error {
	var err error
	b.once.Do(func() { err = b.rc.Close() })
	return err
}
