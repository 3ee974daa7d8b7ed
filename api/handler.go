// Package api serves the Deltacloud REST API (XML, JSON and browsable HTML)
// over any registered driver. It is a thin, stateless net/http handler:
// the driver and provider are chosen per request (server default, matrix
// parameters "/api;driver=ec2;provider=us-west-1", or the
// X-Deltacloud-Driver / X-Deltacloud-Provider headers), credentials arrive
// with every request as HTTP Basic, and drivers are opened through the
// registry like any other user would open them.
//
//	http.Handle("/", api.NewHandler(api.Options{Driver: "mock"}))
//
// The documents follow the Apache Deltacloud 1.1.3 server exactly where it is
// exact (status codes, headers, element and attribute names, JSON shapes,
// format negotiation), so existing Deltacloud clients work unchanged.
package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// Options configure the handler. The zero value serves the mock driver.
type Options struct {
	// Driver and Provider are the defaults for requests that choose none
	// (default driver "mock").
	Driver   string
	Provider string
	// DriverOptions are operator settings per driver, passed as
	// Config.Options when a driver is opened (e.g. {"mock": {"storage":
	// "/var/tmp/deltacloud-mock"}} so that mock state survives requests).
	DriverOptions map[string]map[string]string
	// AllowedProviders lists the provider values that name an endpoint (a
	// URL, host name or address) which requests may select. A request may
	// choose any plain name such as a region ("us-west-1"), but never an
	// endpoint of its own choosing: the server would call it.
	AllowedProviders []string
	// DefaultCredentials, when set, replace the credentials of every
	// request (the original's API_USER/API_PASSWORD).
	DefaultCredentials *deltacloud.Credentials
	// AllowAmbientCredentials lets requests without credentials act with
	// the server host's own cloud identity (the SDKs' default chains:
	// environment, credential files, instance roles, managed identities)
	// and with credentials embedded in the default provider's URL. Off by
	// default: every provider is opened with
	// deltacloud.Config.NoAmbientCredentials, so a request acts only with
	// the credentials it carries, and empty credentials are answered 401
	// wherever the cloud must be called. Turn it on only for a server that
	// no one but the host's owner can reach.
	AllowAmbientCredentials bool
	// HTTPClient and Logger are passed to drivers; Logger also receives
	// one record per request failure (default slog.Default()).
	HTTPClient *http.Client
	Logger     *slog.Logger
	// MaxBodyBytes caps request bodies (default 1 MiB).
	MaxBodyBytes int64
	// CacheSize and CacheTTL bound the cache of opened providers (default
	// 64 providers, 5 minutes); a negative CacheSize disables the cache.
	CacheSize int
	CacheTTL  time.Duration
	// Hostname names the server in the WWW-Authenticate realm (default:
	// the machine's host name).
	Hostname string
	// Prefix is the path the API is served under (default "/api"; "/"
	// serves it at the root).
	Prefix string
}

// Handler serves the Deltacloud REST API. It is safe for concurrent use.
type Handler struct {
	opts  Options
	log   *slog.Logger
	cache *providerCache
	// crossOrigin refuses state-changing requests a browser sends from
	// another site (Sec-Fetch-Site, or Origin against Host): a browser that
	// cached the Basic credentials would otherwise stop or destroy instances
	// for any page that posts a form here. Clients that send neither header
	// (curl, the Ruby client, our remote driver) pass.
	crossOrigin *http.CrossOriginProtection
	// driverHeader and providerHeader are the X-Deltacloud-Driver and
	// X-Deltacloud-Provider values of requests that keep the defaults,
	// made once.
	driverHeader, providerHeader []string
	// prefixSegs are Prefix's path segments (nil at the root).
	prefixSegs []string
	// lastBase is the base URL made last, kept for the next request to
	// the same host (nearly every one).
	lastBase atomic.Pointer[baseURL]
}

// baseURL is a request's {B} and what it was made of.
type baseURL struct {
	host string
	tls  bool
	url  string
}

// baseURL returns {B} for r: scheme://host followed by the prefix.
func (h *Handler) baseURL(r *http.Request) string {
	tls := r.TLS != nil
	if b := h.lastBase.Load(); b != nil && b.host == r.Host && b.tls == tls {
		return b.url
	}
	scheme := "http"
	if tls {
		scheme = "https"
	}
	b := &baseURL{host: r.Host, tls: tls, url: scheme + "://" + r.Host + h.opts.Prefix}
	h.lastBase.Store(b)
	return b.url
}

// NewHandler returns a handler serving opts.
func NewHandler(opts Options) *Handler {
	if opts.Driver == "" {
		opts.Driver = "mock"
	}
	opts.Driver = strings.ToLower(opts.Driver)
	opts.Provider = normalizeProvider(opts.Provider)
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.CacheSize == 0 {
		opts.CacheSize = 64
	}
	if opts.CacheTTL <= 0 {
		opts.CacheTTL = 5 * time.Minute
	}
	if opts.Hostname == "" {
		opts.Hostname, _ = os.Hostname()
	}
	if opts.Prefix == "" {
		opts.Prefix = "/api"
	}
	opts.Prefix = "/" + strings.Trim(opts.Prefix, "/")
	if opts.Prefix == "/" {
		opts.Prefix = "" // served at the root: {B} is scheme://host
	}
	log := opts.Logger
	if log == nil {
		log = slog.Default()
	}
	var prefixSegs []string
	if p := strings.Trim(opts.Prefix, "/"); p != "" {
		prefixSegs = strings.Split(p, "/")
	}
	return &Handler{opts: opts, log: log, cache: newProviderCache(opts.CacheSize, opts.CacheTTL, deltacloud.Open),
		crossOrigin:  http.NewCrossOriginProtection(),
		driverHeader: shared(opts.Driver), providerHeader: shared(shownProvider(opts.Provider)), prefixSegs: prefixSegs}
}

// Close closes the cached providers.
func (h *Handler) Close() error {
	h.cache.close()
	return nil
}

// serverHeader is what the original sends; clients may look for it.
const serverHeader = "Apache-Deltacloud/1.1.3"

// ServeHTTP handles one request in the original's order: Host check, driver
// and provider selection, format negotiation, routing, capability check,
// required parameters, then the operation.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	req := &request{h: h, w: w, r: r, start: time.Now()}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler {
				panic(p)
			}
			h.log.Error("deltacloud api: panic", "panic", p, "url", r.URL.Path, "stack", string(debug.Stack()))
			req.fail(&deltacloud.Error{Code: deltacloud.CodeUnknown, Message: "Internal Server Error"})
		}
		req.releaseProvider()
	}()
	req.serve()
}

// plainNames are provider values that are names, not endpoints.
var plainName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// normalizeProvider lower-cases a plain provider name ("US-West-1"), as the
// original does, but never an endpoint URL, whose path and embedded
// credentials are case-sensitive.
func normalizeProvider(p string) string {
	p = strings.TrimSpace(p)
	if l := strings.ToLower(p); plainName.MatchString(l) {
		return l
	}
	return p
}

// shownProvider is a provider value as responses may show it: without the
// user information of an endpoint URL, which is a secret of the operator's.
func shownProvider(p string) string { return deltacloud.RedactProvider(p) }

// providerAllowed reports whether a request may select provider p.
func (h *Handler) providerAllowed(p string) bool {
	_, ok := h.allowedProvider(p)
	return ok
}

// allowedProvider returns the provider to open for a request's p: p itself
// when it is the default or a plain name, the operator's own spelling of an
// allow-listed endpoint, or false when the request may not select it.
func (h *Handler) allowedProvider(p string) (string, bool) {
	if p == "" || p == h.opts.Provider || plainName.MatchString(p) {
		return p, true
	}
	i := slices.IndexFunc(h.opts.AllowedProviders, func(a string) bool { return strings.EqualFold(a, p) })
	if i < 0 {
		return "", false
	}
	return h.opts.AllowedProviders[i], true
}

// openProvider opens (or reuses) the provider a request selected, with the
// render memo of its cache entry (nil when the cache is off).
func (h *Handler) openProvider(ctx context.Context, driver, provider string, creds deltacloud.Credentials) (*deltacloud.Provider, *renderMemo, lease, error) {
	allowed, ok := h.allowedProvider(provider)
	if !ok {
		return nil, nil, lease{}, &deltacloud.Error{Code: deltacloud.Forbidden,
			Message: fmt.Sprintf("provider %q is not on this server's list of allowed endpoints", shownProvider(provider))}
	}
	provider = allowed
	cfg := deltacloud.Config{
		Provider:             provider,
		Credentials:          creds,
		NoAmbientCredentials: !h.opts.AllowAmbientCredentials,
		HTTPClient:           h.opts.HTTPClient,
		Logger:               h.opts.Logger,
		Options:              h.opts.DriverOptions[driver],
	}
	return h.cache.getMemo(ctx, driver, cfg)
}
