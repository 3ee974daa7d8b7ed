package deltacloud

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/deltacloud-go/deltacloud"
)

// maxRedirects bounds the redirects one request follows.
const maxRedirects = 5

// sameOriginOnly returns a copy of client that follows redirects only within
// base's origin (scheme, host and port): a redirect elsewhere is an error
// before any connection to the other origin is made, so the credentials and
// a POST's body (user_data, say) never go there. The caller's client is not
// changed; its own CheckRedirect still has a say within the origin.
func sameOriginOnly(client *http.Client, base *url.URL) *http.Client {
	c := *client
	inner := client.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if req.URL.Scheme != base.Scheme || req.URL.Host != base.Host {
			return &deltacloud.Error{Code: deltacloud.Backend, Message: fmt.Sprintf(
				"the Deltacloud server redirected to %s://%s, outside its origin; not followed", req.URL.Scheme, req.URL.Host)}
		}
		if len(via) >= maxRedirects {
			return &deltacloud.Error{Code: deltacloud.Backend,
				Message: fmt.Sprintf("the Deltacloud server redirected more than %d times", maxRedirects)}
		}
		if inner != nil {
			return inner(req, via)
		}
		return nil
	}
	return &c
}
