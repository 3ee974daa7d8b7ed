// Package deltacloud is a driver, registered as "deltacloud", that is a
// client of any Deltacloud REST server: the original Apache Deltacloud 1.1.x
// or this module's api package. A program uses a remote server like any
// other cloud:
//
//	import (
//		"github.com/deltacloud-go/deltacloud"
//		_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud"
//	)
//
//	p, err := deltacloud.Open(ctx, "deltacloud", deltacloud.Config{
//		Provider:    "http://localhost:3001/api",
//		Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"},
//		Options:     map[string]string{"driver": "ec2", "provider": "eu-west-1"},
//	})
//
// Config.Provider is the server's base URL, the address of its entry point.
// A URL with matrix parameters ("http://host:3001/api;driver=ec2") selects
// the remote driver and provider too; user information in the URL
// ("http://user:pass@host/api") is used as the credentials when
// Config.Credentials is empty, unless Config.NoAmbientCredentials is set:
// then only Config.Credentials are used, and empty ones send no
// Authorization header at all (the server refuses what needs them, 401 →
// AuthFailure). That user information is never sent in the URL, and never
// repeated: no error, log record or Info holds the user name or the
// password. Credentials go to the server as HTTP Basic with every request.
//
// Options (Config.Options):
//
//	driver    the server's driver to use (sent as X-Deltacloud-Driver)
//	provider  the server's provider to use (sent as X-Deltacloud-Provider)
//	retries   how often an idempotent GET is retried after 502, 503, 504 or a
//	          broken connection (default 3, at most 10; 0 disables retries)
//
// Open reads the entry point once: which collections the server offers and
// which features each has, so Features describes the remote cloud as it
// is, and the instance_states document, which becomes the Lifecycle. After
// that the driver follows the links the server returns (collection hrefs
// from the entry point, each instance's action links) rather than building
// paths, so servers mounted under any path work. Links are only ever
// followed on the origin (scheme, host and port) of Config.Provider: a link
// to another origin, as a server behind a proxy that does not forward the
// Host header writes them, is taken relative to it, so credentials never
// go anywhere else.
//
// Redirects are followed only within that origin, at most 5 in a row, and
// never for a blob upload (its body is streamed, so a 307 or 308 could not
// resend it and a 302 or 303 would turn the upload into a GET). A redirect
// to another scheme, host or port is not followed at all, so nothing (no
// connection, no Authorization header, no user_data) reaches its target:
// the call fails with a Backend *deltacloud.Error naming the target without
// its user information or query. This holds for a Config.HTTPClient too:
// the driver sends with a copy of it whose CheckRedirect is the driver's,
// and leaves the caller's client as it was.
//
// The driver speaks XML. Every error is a *deltacloud.Error whose Code
// follows the server's status (401 AuthFailure, 404 NotFound, 400
// InvalidArgument, 405 InvalidState, 409 Conflict, 412 and 501
// NotSupported, 429 RateLimited with RetryAfter, 500 and 502 Backend, 503
// Unavailable, 504 Timeout), with the server's message; its Err is a
// *ResponseError with the HTTP details. A 403 for an action on an instance
// the server does not know (the original's answer) is ErrNotFound.
//
// The optional collections (keys, firewalls, addresses, storage volumes and
// snapshots, buckets and blobs, metrics) and images from instances work
// over their REST routes wherever the entry point lists them. Blob content
// streams both ways: PutBlob sends the caller's reader as the raw body of
// PUT …/buckets/:id/:blob_id (Content-Length when BlobSpec.Size is known,
// chunked otherwise; Content-Type and X-Deltacloud-Blobmeta-* headers), and
// BlobContent hands the body of GET …/content to the caller unread. A
// content that turns out longer than its announced size fails before its
// last byte is sent, so the server never completes a wrong blob. The
// original server's 403 answers to state conflicts (an address in use, a
// bucket holding blobs, an attached volume) are InvalidState, its 403 for a
// taken key name Conflict.
//
// Provider.As hands out the *http.Client the driver sends with (target
// **http.Client; the copy described above) and what the entry point said
// (target *Info).
package deltacloud

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/deltacloud-go/deltacloud"
)

func init() { deltacloud.Register("deltacloud", driver{}) }

// defaultRetries is how often a GET is retried unless the retries option
// says otherwise; maxRetries bounds the option.
const (
	defaultRetries = 3
	maxRetries     = 10
)

// driver is the registered "deltacloud" driver.
type driver struct{}

// Info describes the driver: the provider is a server's base URL, which no
// list can know in advance.
func (driver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "Deltacloud"}
}

// Info is what a server's entry point says, handed out by Provider.As
// (target *Info).
type Info struct {
	// URL is the base URL the provider was opened with, without user
	// information or matrix parameters.
	URL string
	// Driver and Provider are the server's driver and provider serving
	// this client; Provider is empty for the server's default.
	Driver, Provider string
	// Version is the Deltacloud API version the server implements.
	Version string
	// Collections are the collections the server offers, in its order.
	Collections []deltacloud.Collection
}

// conn is one opened remote provider. Everything but the caches is set by
// Open and read-only afterwards.
type conn struct {
	client  *http.Client
	ownTr   *http.Transport // the transport Close may release; nil for a caller's client
	base    *url.URL
	creds   deltacloud.Credentials
	header  http.Header // X-Deltacloud-Driver/-Provider
	retries int
	log     *slog.Logger

	info      Info
	hrefs     map[deltacloud.Collection]string
	features  deltacloud.Features
	lifecycle *deltacloud.StateMachine
	// clientTokens is set when the entry point said that creates honour
	// client_token (see SupportsClientToken).
	clientTokens bool

	mu sync.Mutex
	// links are the instances' action links from the last responses,
	// by instance id, so an action needs no extra request.
	links map[string]instanceLinks
	// params are the create parameters of range and enum properties from
	// the last hardware profile listing: profile id → property → name.
	params map[string]map[string]string
}

// options are the parsed Config.Options.
type options struct {
	driver, provider string
	retries          int
}

// parseOptions reads Config.Options; an unknown key or a bad value is
// InvalidArgument.
func parseOptions(m map[string]string) (options, error) {
	o := options{retries: defaultRetries}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		v := m[k]
		switch k {
		case "driver":
			o.driver = strings.TrimSpace(v)
		case "provider":
			o.provider = strings.TrimSpace(v)
		case "retries":
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n > maxRetries {
				return o, deltacloud.Errorf(deltacloud.InvalidArgument,
					"deltacloud driver: option retries=%q is not a number from 0 to %d", v, maxRetries)
			}
			o.retries = n
		default:
			return o, deltacloud.Errorf(deltacloud.InvalidArgument,
				"deltacloud driver: unknown option %q (known: driver, provider, retries)", k)
		}
	}
	return o, nil
}

// parseBase checks the base URL and takes out what does not belong in
// requests: user information (returned as credentials) and matrix
// parameters of the last segment (returned as driver and provider).
func parseBase(raw string) (base *url.URL, user *url.Userinfo, matrix map[string]string, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, nil, nil, deltacloud.Errorf(deltacloud.InvalidArgument,
			"deltacloud driver: Config.Provider must be the server's base URL, e.g. http://localhost:3001/api")
	}
	u, perr := url.Parse(raw)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Opaque != "" {
		return nil, nil, nil, deltacloud.Errorf(deltacloud.InvalidArgument,
			"deltacloud driver: Config.Provider %q is not an http or https URL such as http://localhost:3001/api", redact(raw))
	}
	user, u.User = u.User, nil
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	// Matrix parameters: /api;driver=ec2;provider=us-west-1.
	path := u.EscapedPath()
	matrix = map[string]string{}
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		if seg, params, ok := strings.Cut(path[i+1:], ";"); ok {
			for _, kv := range strings.Split(params, ";") {
				k, v, _ := strings.Cut(kv, "=")
				k, err1 := url.PathUnescape(k)
				v, err2 := url.PathUnescape(v)
				if err1 != nil || err2 != nil {
					return nil, nil, nil, deltacloud.Errorf(deltacloud.InvalidArgument,
						"deltacloud driver: Config.Provider %q has malformed matrix parameters", redact(raw))
				}
				if k != "" {
					matrix[k] = v
				}
			}
			clean, err := url.Parse(u.Scheme + "://" + u.Host + path[:i+1] + seg)
			if err != nil {
				return nil, nil, nil, deltacloud.Errorf(deltacloud.InvalidArgument,
					"deltacloud driver: Config.Provider %q is malformed", redact(raw))
			}
			u = clean
		}
	}
	return u, user, matrix, nil
}

// redact is a provider URL for messages: without its user information,
// not even the user name (a masked password next to a real user name
// still tells who the operator's default identity is), nor a query or
// fragment. A string that is no URL with a host, such as the scheme-less
// "user:pass@host/api" (which parses as scheme "user"), is not repeated
// past its last "@".
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(malformed URL)"
	}
	if u.Opaque != "" {
		if i := strings.LastIndexByte(u.Opaque, '@'); i >= 0 {
			return "…@" + u.Opaque[i+1:]
		}
	}
	return displayURL(u)
}

// Open reads the server's entry point and instance_states; see the
// package documentation for Config.Provider and the options.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	base, user, matrix, err := parseBase(cfg.Provider)
	if err != nil {
		return nil, err
	}
	c := &conn{
		base:    base,
		creds:   cfg.Credentials,
		header:  http.Header{},
		retries: o.retries,
		log:     cmp.Or(cfg.Logger, slog.Default()),
		links:   map[string]instanceLinks{},
		params:  map[string]map[string]string{},
	}
	if c.creds.IsZero() && user != nil && !cfg.NoAmbientCredentials {
		// The URL's credentials are the opener's own default identity; a
		// server acting for others sets NoAmbientCredentials so that an
		// anonymous request does not act with them.
		c.creds.User = user.Username()
		c.creds.Password, _ = user.Password()
	}
	if d := cmp.Or(o.driver, matrix["driver"]); d != "" {
		c.header.Set("X-Deltacloud-Driver", d)
	}
	if p := cmp.Or(o.provider, matrix["provider"]); p != "" {
		c.header.Set("X-Deltacloud-Provider", p)
	}
	given := cfg.HTTPClient
	if given == nil {
		if dt, ok := http.DefaultTransport.(*http.Transport); ok {
			c.ownTr = dt.Clone()
		} else {
			c.ownTr = &http.Transport{Proxy: http.ProxyFromEnvironment}
		}
		c.ownTr.MaxIdleConnsPerHost = 16
		given = &http.Client{Transport: c.ownTr}
	}
	c.client = c.httpClient(given)
	if err := c.readEntryPoint(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// readEntryPoint reads the collections, features and lifecycle.
func (c *conn) readEntryPoint(ctx context.Context) error {
	resp, err := c.do(ctx, http.MethodGet, c.base.String(), nil)
	if err != nil {
		return err
	}
	if err := resp.expect(http.StatusOK); err != nil {
		return err
	}
	doc, derr := decodeAPI(resp.body)
	if derr != nil {
		derr.Message = fmt.Sprintf("%s is not a Deltacloud API entry point (is the path right, e.g. …/api?): %s",
			c.base.Redacted(), derr.Message)
		return derr
	}
	c.clientTokens = resp.header.Get(clientTokenHeader) == "supported"
	info := doc.Model()
	c.info = Info{URL: c.base.String(), Driver: info.Driver, Provider: info.Provider, Version: info.Version}
	c.hrefs = map[deltacloud.Collection]string{}
	for _, coll := range info.Collections {
		if _, dup := c.hrefs[coll]; dup || coll == "" {
			continue
		}
		if href, ok := doc.Href(coll); ok && href != "" {
			c.hrefs[coll] = href
			c.info.Collections = append(c.info.Collections, coll)
		}
	}
	c.features = canonicalFeatures(info.Features, c.hrefs)
	c.lifecycle = unknownLifecycle
	if href, ok := c.hrefs[deltacloud.CollectionInstanceStates]; ok {
		resp, err := c.do(ctx, http.MethodGet, href, nil)
		if err != nil {
			return err
		}
		if err := resp.expect(http.StatusOK); err != nil {
			return err
		}
		m, derr := decodeStates(resp.body)
		if derr != nil {
			return derr
		}
		c.lifecycle = m
	}
	return nil
}

// unknownLifecycle stands in for the state machine of a server without an
// instance_states collection (one that has no instances, such as a
// storage-only driver): it says nothing beyond "instances are created and
// end", and the machine treats any other state as unknown, from which
// anything may be reachable.
var unknownLifecycle = deltacloud.MustStateMachine(
	deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StateFinish),
)

// canonicalFeatures keeps the advertised features this library defines,
// with their standard definitions and the server's constraints, in
// canonical order. A feature the library does not know, or one advertised
// under another collection than its own, adds parameters the model cannot
// express, so it is left out; so are features of collections the server
// does not offer. volume_description is left out too: the storage volume
// XML this driver reads has no description, so a description sent would
// never be seen again (the Provider refuses it instead).
func canonicalFeatures(advertised deltacloud.Features, hrefs map[deltacloud.Collection]string) deltacloud.Features {
	var out deltacloud.Features
	for _, std := range deltacloud.StandardFeatures() {
		if std.Name == deltacloud.FeatureVolumeDescription {
			continue
		}
		i := slices.IndexFunc(advertised, func(f deltacloud.Feature) bool {
			return f.Name == std.Name && f.Collection == std.Collection
		})
		if i < 0 {
			continue
		}
		if _, ok := hrefs[std.Collection]; !ok {
			continue
		}
		for k, v := range advertised[i].Constraints {
			if std.Constraints == nil {
				std.Constraints = map[string]string{}
			}
			std.Constraints[k] = v
		}
		out = append(out, std)
	}
	return out
}

// href returns a collection's link, or NotSupported when the server does
// not offer the collection.
func (c *conn) href(coll deltacloud.Collection) (string, error) {
	if h, ok := c.hrefs[coll]; ok {
		return h, nil
	}
	return "", &deltacloud.Error{Code: deltacloud.NotSupported,
		Message: fmt.Sprintf("the server (driver %s) does not offer the %s collection", c.info.Driver, coll)}
}

// memberHref is where an object without a known link lives: the
// collection's href plus the escaped id.
func (c *conn) memberHref(coll deltacloud.Collection, id string) (string, error) {
	h, err := c.href(coll)
	if err != nil {
		return "", err
	}
	if id == "" {
		return "", deltacloud.Errorf(deltacloud.InvalidArgument, "empty %s id", coll)
	}
	seg := url.PathEscape(id)
	if id == "." || id == ".." {
		// Dot segments would be resolved away (RFC 3986 §5.2.4).
		seg = strings.ReplaceAll(id, ".", "%2E")
	}
	return strings.TrimRight(h, "/") + "/" + seg, nil
}

// Lifecycle is the server's instance_states, read at Open.
func (c *conn) Lifecycle() *deltacloud.StateMachine { return c.lifecycle }

// Features are the entry point's features this library defines.
func (c *conn) Features() deltacloud.Features { return c.features.Clone() }

// Collections lists the collections the server offers, in its order; the
// Provider narrows the optional collections the driver implements to them,
// so Provider.Collections shows exactly what the server serves.
func (c *conn) Collections() []deltacloud.Collection { return slices.Clone(c.info.Collections) }

// As hands out the *http.Client (target **http.Client) or what the entry
// point said (target *Info).
func (c *conn) As(target any) bool {
	switch t := target.(type) {
	case **http.Client:
		*t = c.client
	case *Info:
		*t = c.info
		t.Collections = slices.Clone(c.info.Collections)
	default:
		return false
	}
	return true
}

// Close releases idle connections of the driver's own transport; a
// caller's client is left alone.
func (c *conn) Close() error {
	if c.ownTr != nil {
		c.ownTr.CloseIdleConnections()
	}
	return nil
}
