package deltacloud

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// maxRedirects bounds the redirects one request follows. A Deltacloud
// server needs none (the original answers API clients directly); a few
// allow for a proxy that adds a trailing slash or the like.
const maxRedirects = 5

// httpClient returns the client the driver sends with: a copy of the
// caller's client (or of a new one on the driver's own transport) whose
// CheckRedirect is checkRedirect. The caller's client is not changed, and
// its own CheckRedirect is not consulted: the net/http default would send
// the Authorization header to another port of the same host, and a 307 or
// 308 would resend the body (user_data, passwords) to any host at all.
func (c *conn) httpClient(given *http.Client) *http.Client {
	var cl http.Client
	if given != nil {
		cl = *given
	}
	cl.CheckRedirect = c.checkRedirect
	return &cl
}

// checkRedirect lets the client follow a redirect only to the origin
// (scheme, host and port) of the base URL, at most maxRedirects times,
// and never for a request whose body was streamed: 307 and 308 would need
// the body again, which was read once, and 301, 302 and 303 would turn an
// upload into a GET whose answer would be taken for the upload's. It runs
// before the client connects anywhere for the redirect, so a refused
// redirect opens no connection to its target.
func (c *conn) checkRedirect(req *http.Request, via []*http.Request) error {
	first := via[0]
	target := displayURL(req.URL)
	switch {
	case !sameOrigin(req.URL, c.base):
		return redirectError(first, via[len(via)-1], target,
			fmt.Sprintf("the driver sends requests only to %s", origin(c.base)))
	case streamed(first):
		return redirectError(first, via[len(via)-1], target, "a streamed body cannot be sent again")
	case len(via) > maxRedirects:
		return redirectError(first, via[len(via)-1], target,
			fmt.Sprintf("stopped after %d redirects", maxRedirects))
	}
	// Credentials of the driver's own go with the request (the client
	// copies Authorization within a host); ones the server puts in the
	// Location are not used, nor repeated in errors.
	req.URL.User = nil
	return nil
}

// redirectError is the error of a redirect the driver does not follow: a
// Backend error naming the request and the target. The client wraps it in
// a *url.Error whose URL is the raw Location; transportError unwraps it.
func redirectError(first, last *http.Request, target, why string) *deltacloud.Error {
	return &deltacloud.Error{Code: deltacloud.Backend,
		Message: fmt.Sprintf("the Deltacloud server redirected %s %s to %s, which the driver does not follow: %s",
			first.Method, displayURL(last.URL), target, why)}
}

// streamed reports whether req has a body the client cannot replay.
func streamed(req *http.Request) bool {
	return req.GetBody == nil && req.Body != nil && req.Body != http.NoBody
}

// isRedirect reports whether status is one a client follows.
func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// sameOrigin reports whether a and b have the same scheme, host and port,
// a missing port being the scheme's default.
func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Hostname(), b.Hostname()) &&
		port(a) == port(b)
}

func port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}

// origin is scheme://host[:port] of u.
func origin(u *url.URL) string { return u.Scheme + "://" + u.Host }

// displayURL is u for messages and logs: without user information (not
// even the user name), query or fragment, which may carry secrets.
func displayURL(u *url.URL) string {
	v := *u
	v.User, v.RawQuery, v.ForceQuery, v.Fragment, v.RawFragment = nil, "", false, "", ""
	return v.String()
}
