// Package hetznertest is an in-memory Hetzner Cloud API for tests: an
// httptest server that speaks the API's JSON, marshalling
// github.com/hetznercloud/hcloud-go's own schema types (package
// hcloud/schema), so that whatever reads the answers — the hetzner driver,
// hcloud-go's own client — is checked against the shapes the library
// decodes, not against a reading of them made for the fake.
//
// It serves locations, server types (with per-location availability and
// x86/arm architectures), images (system images and snapshots), servers
// with their actions, SSH keys, firewalls, floating IPs, volumes and server
// metrics. What makes it a useful stand-in:
//
//   - Actions progress: every state change is an action that is "running"
//     when it is answered and becomes "success" (or "error", see FailAction)
//     once ActionDelay has passed, or when EndActions ends it; the resource
//     changes when its action ends (a server is "initializing" until
//     create_server succeeds, "starting" until start_server does, …), and a
//     server with a running action is locked (another action is refused
//     with 423 "locked").
//   - Listings are paged as the API pages them: page and per_page
//     (default 25, at most 50), meta.pagination in every list answer, and
//     label_selector filters (k=v, k!=v, k, !k, comma-separated).
//   - Every answer carries RateLimit-Limit, RateLimit-Remaining and
//     RateLimit-Reset; SetRateLimit enforces a bucket and Throttle answers
//     the next requests 429 rate_limit_exceeded.
//   - Errors are the API's error bodies {"error":{"code":…,"message":…}}
//     with its status codes; Fail injects them per route, and SetLatency
//     slows every request (honouring the client's cancellation).
//   - Bearer token authentication (Token): anything else is 401
//     "unauthorized".
//   - Hooks on a route's exact steps, for tests of cut-off requests:
//     OnRequest runs when a request has arrived, before the fake deals with
//     it; OnAnswer once its effect is in place, before the answer is
//     written.
package hetznertest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud/schema"
)

// DefaultToken is the token a new Server accepts.
const DefaultToken = "hetznertest-token"

// Server is a fake Hetzner Cloud API. Its methods are safe for concurrent
// use.
type Server struct {
	// URL is the API endpoint (no trailing slash), to pass to
	// hcloud.WithEndpoint or the driver's endpoint option.
	URL string
	srv *httptest.Server

	mu          sync.Mutex
	token       string
	nextID      int64
	now         func() time.Time
	actionDelay time.Duration
	latency     time.Duration

	locations   []schema.Location
	serverTypes []schema.ServerType
	images      map[int64]*schema.Image
	servers     map[int64]*server
	keys        map[int64]*schema.SSHKey
	firewalls   map[int64]*schema.Firewall
	floatingIPs map[int64]*schema.FloatingIP
	volumes     map[int64]*schema.Volume
	actions     map[int64]*action

	faults       []*fault
	actionFaults map[string]int
	ignoreACPI   bool
	calls        map[string]int
	onRequest    map[string]func(*http.Request)
	onAnswer     map[string]func(*http.Request)

	rateLimit    int // 0: not enforced
	rateWindow   time.Duration
	remaining    int
	rateReset    time.Time
	throttleNext int
}

// server is a fake server: the schema object and what the fake keeps
// beside it.
type server struct {
	s          schema.Server
	ignoreACPI bool
}

// action is a running or finished action with what happens when it ends.
type action struct {
	a      schema.Action
	due    time.Time
	effect func(ok bool) // run under the lock when the action ends
	fail   bool
}

// fault is an injected error answer.
type fault struct {
	route   string // "METHOD /pattern"; "" for every route
	code    string
	status  int
	message string
	n       int
}

// Option configures a new Server.
type Option func(*Server)

// WithToken sets the accepted API token.
func WithToken(token string) Option { return func(s *Server) { s.token = token } }

// WithActionDelay sets how long actions run before they end (default 30ms).
func WithActionDelay(d time.Duration) Option { return func(s *Server) { s.actionDelay = d } }

// NewServer starts a fake with the catalogue (locations, server types,
// system images) and no servers. Close it when done.
func NewServer(opts ...Option) *Server {
	s := &Server{
		token:        DefaultToken,
		nextID:       1000,
		now:          time.Now,
		actionDelay:  30 * time.Millisecond,
		images:       map[int64]*schema.Image{},
		servers:      map[int64]*server{},
		keys:         map[int64]*schema.SSHKey{},
		firewalls:    map[int64]*schema.Firewall{},
		floatingIPs:  map[int64]*schema.FloatingIP{},
		volumes:      map[int64]*schema.Volume{},
		actions:      map[int64]*action{},
		actionFaults: map[string]int{},
		calls:        map[string]int{},
		onRequest:    map[string]func(*http.Request){},
		onAnswer:     map[string]func(*http.Request){},
	}
	for _, o := range opts {
		o(s)
	}
	s.loadCatalogue()
	mux := http.NewServeMux()
	s.routes(mux)
	s.srv = httptest.NewServer(mux)
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// Token is the API token the fake accepts.
func (s *Server) Token() string { s.mu.Lock(); defer s.mu.Unlock(); return s.token }

// Client is an http.Client for the fake (the httptest server's).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// SetActionDelay sets how long later actions run before they end.
func (s *Server) SetActionDelay(d time.Duration) { s.mu.Lock(); s.actionDelay = d; s.mu.Unlock() }

// SetLatency delays every later request by d (0 for none); a request whose
// client goes away meanwhile is not answered.
func (s *Server) SetLatency(d time.Duration) { s.mu.Lock(); s.latency = d; s.mu.Unlock() }

// Fail makes the next n requests of route ("POST /servers", "GET
// /servers/{id}", … as in the API reference; "" for any) fail with the
// API error code and HTTP status.
func (s *Server) Fail(route, code string, status, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{route: route, code: code, status: status, n: n,
		message: "hetznertest: injected " + code})
}

// FailAction makes the next n actions of the command ("create_server",
// "attach_volume", …) end in status "error" instead of "success"; their
// effect is not applied.
func (s *Server) FailAction(command string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.actionFaults[command] += n
}

// IgnoreShutdown makes servers ignore ACPI shutdown requests (as an
// operating system without an ACPI daemon does): shutdown_server succeeds
// and the server keeps running. It applies to servers created later.
func (s *Server) IgnoreShutdown(ignore bool) { s.mu.Lock(); s.ignoreACPI = ignore; s.mu.Unlock() }

// SetRateLimit enforces a bucket of limit requests that refills whole
// every window; 0 turns enforcement off (the default: the headers then
// always show a full bucket of 3600).
func (s *Server) SetRateLimit(limit int, window time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rateLimit, s.rateWindow, s.remaining = limit, window, limit
	s.rateReset = s.now().Add(window)
}

// Throttle answers the next n requests 429 rate_limit_exceeded, with
// RateLimit-Remaining 0 and RateLimit-Reset one second ahead (rounded up
// to the second).
func (s *Server) Throttle(n int) { s.mu.Lock(); s.throttleNext += n; s.mu.Unlock() }

// OnRequest runs fn (without the fake's lock) when a request of route
// has arrived, read whole, before the fake deals with it; nil removes the
// hook. Tests use it to cancel a client mid-request and wait, on
// r.Context(), until the client has given up, so that the request is dealt
// with and answered only then.
func (s *Server) OnRequest(route string, fn func(r *http.Request)) {
	s.setHook(s.onRequest, route, fn)
}

// OnAnswer runs fn (without the fake's lock) once the fake has dealt with
// a request of route — its effect is in place — before the answer is
// written; nil removes the hook. fn gets the request OnRequest's hook got.
func (s *Server) OnAnswer(route string, fn func(r *http.Request)) {
	s.setHook(s.onAnswer, route, fn)
}

func (s *Server) setHook(hooks map[string]func(*http.Request), route string, fn func(*http.Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if fn == nil {
		delete(hooks, route)
	} else {
		hooks[route] = fn
	}
}

// Calls reports how many requests route ("GET /servers", …) has had, all
// routes together for "".
func (s *Server) Calls(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if route == "" {
		n := 0
		for _, c := range s.calls {
			n += c
		}
		return n
	}
	return s.calls[route]
}

// id hands out the next id; the caller holds the lock.
func (s *Server) id() int64 { s.nextID++; return s.nextID }

// apiError is an error answer.
type apiError struct {
	status        int
	code, message string
}

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{status: status, code: code, message: fmt.Sprintf(format, args...)}
}

func notFound(kind string, id int64) *apiError {
	return errf(http.StatusNotFound, "not_found", "%s with ID '%d' not found", kind, id)
}

// protected is the answer to the deletion of a protected object.
func protected(kind string, id int64) *apiError {
	return errf(http.StatusLocked, "protected", "%s %d is protected", kind, id)
}

// notServed is the answer to an action the fake does not serve.
func notServed(kind, name string) *apiError {
	return errf(http.StatusNotFound, "not_found", "hetznertest: %s action %q is not served", kind, name)
}

// handler answers one route; it runs with the lock held and returns the
// answer's status and body (marshalled as JSON; nil for none).
type handler func(r *http.Request) (status int, body any, err *apiError)

// routes registers every route of the API the fake serves.
func (s *Server) routes(mux *http.ServeMux) {
	h := func(pattern string, fn handler) { mux.HandleFunc(pattern, s.wrap(pattern, fn)) }
	h("GET /locations", s.listLocations)
	h("GET /locations/{id}", s.getLocation)
	h("GET /server_types", s.listServerTypes)
	h("GET /server_types/{id}", s.getServerType)
	h("GET /images", s.listImages)
	h("GET /images/{id}", s.getImage)
	h("PUT /images/{id}", s.updateImage)
	h("DELETE /images/{id}", s.deleteImage)
	h("GET /servers", s.listServers)
	h("POST /servers", s.createServer)
	h("GET /servers/{id}", s.getServer)
	h("PUT /servers/{id}", s.updateServer)
	h("DELETE /servers/{id}", s.deleteServer)
	h("POST /servers/{id}/actions/{action}", s.serverAction)
	h("GET /servers/{id}/metrics", s.serverMetrics)
	h("GET /actions", s.listActions)
	h("GET /actions/{id}", s.getAction)
	h("GET /ssh_keys", s.listKeys)
	h("POST /ssh_keys", s.createKey)
	h("GET /ssh_keys/{id}", s.getKey)
	h("DELETE /ssh_keys/{id}", s.deleteKey)
	h("GET /firewalls", s.listFirewalls)
	h("POST /firewalls", s.createFirewall)
	h("GET /firewalls/{id}", s.getFirewall)
	h("DELETE /firewalls/{id}", s.deleteFirewall)
	h("POST /firewalls/{id}/actions/{action}", s.firewallAction)
	h("GET /floating_ips", s.listFloatingIPs)
	h("POST /floating_ips", s.createFloatingIP)
	h("GET /floating_ips/{id}", s.getFloatingIP)
	h("DELETE /floating_ips/{id}", s.deleteFloatingIP)
	h("POST /floating_ips/{id}/actions/{action}", s.floatingIPAction)
	h("GET /volumes", s.listVolumes)
	h("POST /volumes", s.createVolume)
	h("GET /volumes/{id}", s.getVolume)
	h("DELETE /volumes/{id}", s.deleteVolume)
	h("POST /volumes/{id}/actions/{action}", s.volumeAction)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		status, body := errorAnswer(w.Header(), errf(http.StatusNotFound, "not_found", "hetznertest: no route %s %s", r.Method, r.URL.Path))
		w.WriteHeader(status)
		w.Write(body)
	})
}

// wrap adds what every request goes through: the hooks, latency, and
// what serve does.
func (s *Server) wrap(route string, fn handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		latency, hook := s.latency, s.onRequest[route]
		s.mu.Unlock()
		// The request is read whole before anything else, as an API front
		// end does: a client that goes away later has still sent it.
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if hook != nil {
			hook(r)
		}
		if latency > 0 {
			select {
			case <-time.After(latency):
			case <-r.Context().Done():
				return
			}
		}
		status, answer := s.serve(w.Header(), route, fn, r)
		s.mu.Lock()
		after := s.onAnswer[route]
		s.mu.Unlock()
		if after != nil {
			after(r)
		}
		w.WriteHeader(status)
		if answer != nil {
			w.Write(answer)
		}
	}
}

// serve deals with a request under the lock — authentication, rate
// limiting, injected faults, the progress of actions, the route's handler
// — and returns the answer's status and body, its headers set in h.
func (s *Server) serve(h http.Header, route string, fn handler, r *http.Request) (int, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[route]++
	if r.Header.Get("Authorization") != "Bearer "+s.token {
		return errorAnswer(h, errf(http.StatusUnauthorized, "unauthorized", "unable to authenticate"))
	}
	if e := s.limit(h); e != nil {
		return errorAnswer(h, e)
	}
	for i, f := range s.faults {
		if f.route == "" || f.route == route {
			f.n--
			if f.n <= 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
			return errorAnswer(h, &apiError{status: f.status, code: f.code, message: f.message})
		}
	}
	s.advance()
	status, answer, e := fn(r)
	if e != nil {
		return errorAnswer(h, e)
	}
	if answer == nil {
		return status, nil
	}
	b, err := json.Marshal(answer)
	if err != nil {
		return errorAnswer(h, errf(http.StatusInternalServerError, "server_error", "hetznertest: %v", err))
	}
	h.Set("Content-Type", "application/json")
	return status, b
}

// limit sets the rate limit headers and refuses a request over the limit.
func (s *Server) limit(h http.Header) *apiError {
	now := s.now()
	if s.throttleNext > 0 {
		s.throttleNext--
		h.Set("RateLimit-Limit", "3600")
		h.Set("RateLimit-Remaining", "0")
		h.Set("RateLimit-Reset", strconv.FormatInt(unixCeil(now.Add(time.Second)), 10))
		return errf(http.StatusTooManyRequests, "rate_limit_exceeded", "limit of 3600 requests per hour reached")
	}
	if s.rateLimit <= 0 {
		h.Set("RateLimit-Limit", "3600")
		h.Set("RateLimit-Remaining", "3600")
		h.Set("RateLimit-Reset", strconv.FormatInt(now.Unix(), 10))
		return nil
	}
	if !now.Before(s.rateReset) {
		s.remaining = s.rateLimit
		s.rateReset = now.Add(s.rateWindow)
	}
	h.Set("RateLimit-Limit", strconv.Itoa(s.rateLimit))
	h.Set("RateLimit-Reset", strconv.FormatInt(s.rateReset.Unix(), 10))
	if s.remaining <= 0 {
		h.Set("RateLimit-Remaining", "0")
		return errf(http.StatusTooManyRequests, "rate_limit_exceeded", "limit of %d requests reached", s.rateLimit)
	}
	s.remaining--
	h.Set("RateLimit-Remaining", strconv.Itoa(s.remaining))
	return nil
}

// unixCeil is t in the API's whole seconds, rounded up: a RateLimit-Reset
// never earlier than t.
func unixCeil(t time.Time) int64 {
	if t.Nanosecond() > 0 {
		return t.Unix() + 1
	}
	return t.Unix()
}

// errorAnswer is the API's error answer: its status and body, its
// Content-Type set in h.
func errorAnswer(h http.Header, e *apiError) (int, []byte) {
	h.Set("Content-Type", "application/json")
	b, _ := json.Marshal(schema.ErrorResponse{Error: schema.Error{Code: e.code, Message: e.message,
		DetailsRaw: json.RawMessage("null")}})
	return e.status, append(b, '\n')
}

// pathID reads the {id} path value as an id.
func pathID(r *http.Request, kind string) (int64, *apiError) {
	v := r.PathValue("id")
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, errf(http.StatusBadRequest, "invalid_input", "invalid %s ID %q", kind, v)
	}
	return id, nil
}

// decode reads a JSON request body into v.
func decode(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return errf(http.StatusBadRequest, "json_error", "invalid JSON: %v", err)
	}
	return nil
}

// invalid is an invalid_input answer naming the field.
func invalid(field, format string, args ...any) *apiError {
	return errf(http.StatusUnprocessableEntity, "invalid_input", "invalid input in field '%s': %s", field, fmt.Sprintf(format, args...))
}

// page cuts a listing into the requested page and returns it with the
// pagination meta data. The items must be in id order.
func page[T any](r *http.Request, items []T) ([]T, schema.Meta, *apiError) {
	q := r.URL.Query()
	pg, per := 1, 25
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, schema.Meta{}, errf(http.StatusBadRequest, "invalid_input", "invalid page %q", v)
		}
		pg = n
	}
	if v := q.Get("per_page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return nil, schema.Meta{}, errf(http.StatusBadRequest, "invalid_input", "invalid per_page %q", v)
		}
		per = min(n, 50)
	}
	total := len(items)
	last := max(1, (total+per-1)/per)
	m := schema.MetaPagination{Page: pg, PerPage: per, LastPage: last, TotalEntries: total}
	if pg > 1 {
		m.PreviousPage = pg - 1
	}
	if pg < last {
		m.NextPage = pg + 1
	}
	lo := min((pg-1)*per, total)
	hi := min(lo+per, total)
	return items[lo:hi], schema.Meta{Pagination: &m}, nil
}

// query is a listing's query parameters and its parsed label selector.
type query struct {
	url.Values
	selector
}

// is reports whether the parameter is absent or v.
func (q query) is(param, v string) bool { x := q.Get(param); return x == "" || x == v }

// in reports whether the parameter is absent or v is one of its values.
func (q query) in(param, v string) bool {
	return len(q.Values[param]) == 0 || slices.Contains(q.Values[param], v)
}

// listed is a listing of the objects of m: those pick keeps, as pick shows
// them, in id order, cut into the requested page. A bad label_selector is
// refused before a bad page.
func listed[S, T any](r *http.Request, m map[int64]S, pick func(q query, x S) (T, bool)) ([]T, schema.Meta, *apiError) {
	sel, e := parseSelector(r)
	if e != nil {
		return nil, schema.Meta{}, e
	}
	q := query{r.URL.Query(), sel}
	out := []T{}
	for _, id := range sortedIDs(m) {
		if x, ok := pick(q, m[id]); ok {
			out = append(out, x)
		}
	}
	return page(r, out)
}

// named keeps the catalogue entries the name query parameter names (all of
// them without one).
func named[T any](r *http.Request, items []T, name func(T) string) []T {
	if n := r.URL.Query().Get("name"); n != "" {
		return slices.DeleteFunc(slices.Clone(items), func(x T) bool { return name(x) != n })
	}
	return items
}

// byID finds the object of the {id} path value in m; kind names it in the
// answer to a malformed id ("ssh key"), ref in the not_found one
// ("ssh_key").
func byID[T any](r *http.Request, m map[int64]T, kind, ref string) (T, *apiError) {
	var zero T
	id, e := pathID(r, kind)
	if e != nil {
		return zero, e
	}
	x, ok := m[id]
	if !ok {
		return zero, notFound(ref, id)
	}
	return x, nil
}

// selector is a parsed label selector.
type selector []func(map[string]string) bool

// parseSelector reads the label_selector query parameter.
func parseSelector(r *http.Request) (selector, *apiError) {
	var sel selector
	v := r.URL.Query().Get("label_selector")
	if v == "" {
		return nil, nil
	}
	for _, part := range strings.Split(v, ",") {
		part = strings.TrimSpace(part)
		switch {
		case strings.Contains(part, "!="):
			k, val, _ := strings.Cut(part, "!=")
			sel = append(sel, func(l map[string]string) bool { x, ok := l[k]; return !ok || x != val })
		case strings.Contains(part, "=="):
			k, val, _ := strings.Cut(part, "==")
			sel = append(sel, func(l map[string]string) bool { x, ok := l[k]; return ok && x == val })
		case strings.Contains(part, "="):
			k, val, _ := strings.Cut(part, "=")
			sel = append(sel, func(l map[string]string) bool { x, ok := l[k]; return ok && x == val })
		case strings.HasPrefix(part, "!"):
			k := part[1:]
			sel = append(sel, func(l map[string]string) bool { _, ok := l[k]; return !ok })
		case part != "":
			k := part
			sel = append(sel, func(l map[string]string) bool { _, ok := l[k]; return ok })
		default:
			return nil, errf(http.StatusBadRequest, "invalid_input", "invalid label_selector %q", v)
		}
	}
	return sel, nil
}

func (sel selector) match(labels map[string]string) bool {
	for _, f := range sel {
		if !f(labels) {
			return false
		}
	}
	return true
}

// checkLabels validates labels as the API does: keys of an optional DNS
// prefix and a name of 1-63 characters, values of 0-63 characters, both of
// letters, digits, '-', '_' and '.', beginning and ending alphanumeric.
func checkLabels(labels *map[string]string) *apiError {
	if labels == nil {
		return nil
	}
	for k, v := range *labels {
		name := k
		if i := strings.LastIndexByte(k, '/'); i >= 0 {
			if i == 0 || i > 253 {
				return invalid("labels", "invalid label key %q", k)
			}
			name = k[i+1:]
		}
		if name == "" || !labelText(name) {
			return invalid("labels", "invalid label key %q", k)
		}
		if v != "" && !labelText(v) {
			return invalid("labels", "invalid label value %q", v)
		}
	}
	return nil
}

// labelText reports whether s is 1-63 label characters, alphanumeric at
// both ends.
func labelText(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	alnum := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !alnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return alnum(s[0]) && alnum(s[len(s)-1])
}

// labelsOf copies a request's labels (an empty map without).
func labelsOf(labels *map[string]string) map[string]string {
	if labels == nil {
		return map[string]string{}
	}
	return maps.Clone(*labels)
}

// sortedIDs returns a map's keys in order.
func sortedIDs[T any](m map[int64]T) []int64 {
	return slices.Sorted(maps.Keys(m))
}

// all returns the objects of m in id order (nil when there are none).
func all[T any](m map[int64]*T) []T {
	var out []T
	for _, id := range sortedIDs(m) {
		out = append(out, *m[id])
	}
	return out
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }
