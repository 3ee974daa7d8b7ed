// Package dotest is a fake DigitalOcean API v2 endpoint for tests: it
// answers the calls the digitalocean driver makes with godo's own types in
// the API's JSON shapes — list envelopes {"droplets":[…],"links":{"pages":
// {"next":…}},"meta":{"total":…}}, error bodies {"id":"not_found",
// "message":…}, the RateLimit-Limit/Remaining/Reset headers on every answer
// and 429 with Retry-After when told to throttle.
//
// It serves regions, sizes, images (distributions and the account's
// snapshots), droplets and their actions (power_on, shutdown, power_off,
// reboot, snapshot; each in-progress for Step, then completed; listed per
// droplet, newest first), SSH keys, cloud
// firewalls and their rules, reserved IPs and their assign/unassign
// actions, volumes with attach/detach actions, volume snapshots, tags and
// the tagging of droplets, images, volumes and volume snapshots, and the
// Monitoring API's droplet metrics (cpu, memory_total, memory_available,
// bandwidth).
// New droplets are "new" for Step, then "active". Every list pages with
// page and per_page (default 20, at most 200).
//
// Requests must carry "Authorization: Bearer <Token>"; any other token is
// refused with 401 {"id":"unauthorized"}. Fail, Throttle and SetLatency
// inject faults; Calls counts requests per route and Reached signals when
// one arrives; Settle closes the fake and ends the actions under way.
// Spaces is an S3 fake beside it.
package dotest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/digitalocean/godo"
	"github.com/digitalocean/godo/metrics"

	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// Token is the API token the fake accepts.
const Token = "dop_v1_fake-token"

// DefaultStep is how long a droplet stays new and an action in progress.
const DefaultStep = 5 * time.Millisecond

// Server is one fake account.
type Server struct {
	*httptest.Server
	// Step is how long state changes take; set it before the first request.
	Step time.Duration

	mu            sync.Mutex
	nextID        int
	droplets      map[int]*droplet
	actions       map[int]*action
	keys          map[int]*godo.Key
	fws           map[string]*godo.Firewall
	ips           map[string]*godo.ReservedIP
	volumes       map[string]*godo.Volume
	snaps         map[string]*godo.Snapshot
	images        map[int]*godo.Image // the account's droplet snapshots
	tags          map[string]bool
	faults        []*fault
	throttle      int
	retryAft      string
	latency       time.Duration
	dropEpoch     int // DropHeld's count: held requests of an earlier epoch give up
	actLat        time.Duration
	calls         map[string]int
	reached       []reach // Reached's waiters
	remain        int
	shutdownFails bool
	snapshotFails bool
	series        map[string][]metrics.SampleStream
	closed        chan struct{}
	spaces        *ec2test.S3Server
	closeOnce     sync.Once
}

// reach is a channel Reached closes once route has had n requests.
type reach struct {
	route string
	n     int
	ch    chan struct{}
}

// fault is an injected error answer.
type fault struct {
	method, prefix string
	n, status      int
	id             string
	after          bool // the request is carried out, then answered with the error
}

// NewServer starts a fake on 127.0.0.1; it is closed when the test ends.
func NewServer(t interface{ Cleanup(func()) }) *Server {
	s := &Server{Step: DefaultStep, nextID: 1000, droplets: map[int]*droplet{}, actions: map[int]*action{},
		keys: map[int]*godo.Key{}, fws: map[string]*godo.Firewall{}, ips: map[string]*godo.ReservedIP{},
		volumes: map[string]*godo.Volume{}, snaps: map[string]*godo.Snapshot{}, images: map[int]*godo.Image{},
		tags: map[string]bool{}, calls: map[string]int{}, remain: 5000, closed: make(chan struct{})}
	s.Server = httptest.NewServer(s.routes())
	t.Cleanup(s.Close)
	s.spaces = ec2test.NewS3Server(t)
	return s
}

// Spaces is the account's Spaces endpoint: the S3 fake of drivers/ec2
// (gofakes3), addressed path-style; give its URL as the driver's
// spaces_endpoint. It refuses the access key ec2test.BadAccessKey.
func (s *Server) Spaces() *ec2test.S3Server { return s.spaces }

// Fail makes the next n requests whose method and path start as given
// answer status with error id (e.g. "POST", "/v2/volumes", 1, 500,
// "server_error").
func (s *Server) Fail(method, pathPrefix string, n, status int, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, prefix: pathPrefix, n: n, status: status, id: id})
}

// FailAfter is Fail for requests that are carried out first: the answer is
// lost (e.g. a droplet is made, but the create answers 500), as when a
// gateway fails after the API has acted.
func (s *Server) FailAfter(method, pathPrefix string, n, status int, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &fault{method: method, prefix: pathPrefix, n: n, status: status, id: id, after: true})
}

// Throttle makes the next n requests answer 429 with the Retry-After
// header retryAfter ("" sends none) and RateLimit-Remaining 0.
func (s *Server) Throttle(n int, retryAfter string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.throttle, s.retryAft = n, retryAfter
}

// SetLatency delays every later request by d (cut short when the client
// goes away).
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// SetActionLatency delays only requests that start droplet actions.
func (s *Server) SetActionLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.actLat = d
}

// Calls returns how many requests a route ("GET /v2/droplets") received.
func (s *Server) Calls(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[route]
}

// Reached returns a channel that is closed once a route ("POST
// /v2/droplets") has received n requests in all, counted as Calls counts
// them: when a request arrives, before any latency holds it. A test acts
// on that event rather than after a fixed time; a request counted here
// that the latency still holds is one DropHeld drops.
func (s *Server) Reached(route string, n int) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := make(chan struct{})
	if s.calls[route] >= n {
		close(ch)
	} else {
		s.reached = append(s.reached, reach{route: route, n: n, ch: ch})
	}
	return ch
}

// arrive counts a request of route and wakes the Reached waiters it
// satisfies; it returns the DropHeld epoch the request belongs to. Called
// with s.mu held.
func (s *Server) arrive(route string) (epoch int) {
	s.calls[route]++
	s.reached = slices.DeleteFunc(s.reached, func(w reach) bool {
		if w.route == route && s.calls[route] >= w.n {
			close(w.ch)
			return true
		}
		return false
	})
	return s.dropEpoch
}

// handler is one route's function, called with the lock held.
type handler func(r *http.Request) (status int, body any)

// apiError is an error answer.
type apiError struct {
	status  int
	id, msg string
}

func errorf(status int, id, format string, args ...any) apiError {
	return apiError{status: status, id: id, msg: fmt.Sprintf(format, args...)}
}

func notFound() (int, any) {
	return 0, errorf(http.StatusNotFound, "not_found", "The resource you were accessing could not be found.")
}

// route wraps a handler with authentication, faults, rate-limit headers,
// latency and the JSON encoding.
func (s *Server) route(mux *http.ServeMux, pattern string, h handler) {
	method, path, _ := strings.Cut(pattern, " ")
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		epoch := s.arrive(method + " " + path)
		s.mu.Unlock()
		if !s.wait(r, epoch, method == http.MethodPost && strings.HasPrefix(path, "/v2/droplets/") && strings.HasSuffix(path, "/actions")) {
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.remain > 0 {
			s.remain--
		}
		w.Header().Set("RateLimit-Limit", "5000")
		w.Header().Set("RateLimit-Remaining", strconv.Itoa(s.remain))
		w.Header().Set("RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Minute).Unix(), 10))
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer "+Token {
			writeError(w, errorf(http.StatusUnauthorized, "unauthorized", "Unable to authenticate you."))
			return
		}
		if s.throttle > 0 {
			s.throttle--
			w.Header().Set("RateLimit-Remaining", "0")
			if s.retryAft != "" {
				w.Header().Set("Retry-After", s.retryAft)
			}
			writeError(w, errorf(http.StatusTooManyRequests, "too_many_requests", "API Rate limit exceeded."))
			return
		}
		var lost *fault
		for _, f := range s.faults {
			if f.n > 0 && f.method == r.Method && strings.HasPrefix(r.URL.Path, f.prefix) {
				f.n--
				if !f.after {
					writeError(w, errorf(f.status, f.id, "injected failure"))
					return
				}
				lost = f
				break
			}
		}
		s.advance()
		status, body := h(r)
		if lost != nil {
			writeError(w, errorf(lost.status, lost.id, "injected failure after the request was carried out"))
			return
		}
		if e, ok := body.(apiError); ok {
			writeError(w, e)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(body)
	})
}

// DropHeld makes every request now waiting out the latency give up without
// being carried out, as when its client went away; a test cancelling a call
// drops it before lowering the latency, so the call is never carried out
// late.
func (s *Server) DropHeld() { s.mu.Lock(); s.dropEpoch++; s.mu.Unlock() }

// wait holds a request for the latency in force (re-read as it waits, so
// that lowering it releases waiting requests); false when the client went
// away, the server closed or DropHeld ended the request's epoch.
func (s *Server) wait(r *http.Request, epoch int, action bool) bool {
	start := time.Now()
	for {
		if r.Context().Err() != nil {
			return false
		}
		s.mu.Lock()
		if s.dropEpoch != epoch {
			s.mu.Unlock()
			return false
		}
		d := s.latency
		if action {
			d += s.actLat
		}
		s.mu.Unlock()
		if time.Since(start) >= d {
			return true
		}
		select {
		case <-r.Context().Done():
			return false
		case <-s.closed:
			return false
		case <-time.After(min(d-time.Since(start), 5*time.Millisecond)):
		}
	}
}

// Close releases held requests and stops the server; it returns once no
// request is being handled.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.Server.Close()
}

// Settle closes the fake — waiting for the requests it is handling, so no
// request of a client that gave up is carried out later — and then ends
// every action still in progress as if its time had come, with its
// effect. What the fake holds afterwards is all that anything sent to it
// could ever make: a test checking that nothing was left behind needs no
// wait for a late action.
func (s *Server) Settle() {
	s.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.actions {
		if a.Status == godo.ActionInProgress {
			a.doneAt = time.Time{}
		}
	}
	s.advance()
}

func writeError(w http.ResponseWriter, e apiError) {
	w.WriteHeader(e.status)
	json.NewEncoder(w).Encode(map[string]string{"id": e.id, "message": e.msg, "request_id": "req-fake"})
}

// decode reads a JSON request body of at most 1 MiB.
func decode(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v); err != nil {
		e := errorf(http.StatusBadRequest, "bad_request", "invalid JSON: %v", err)
		return &e
	}
	return nil
}

// page cuts one page out of items the way the API does and returns it with
// the links and meta of the envelope.
func page[T any](r *http.Request, items []T) ([]T, *godo.Links, *godo.Meta) {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
	n = max(n, 1)
	if per <= 0 {
		per = 20
	}
	per = min(per, 200)
	from := min((n-1)*per, len(items))
	to := min(from+per, len(items))
	links := &godo.Links{Pages: &godo.Pages{}}
	at := func(p int) string {
		u := *r.URL
		u.Scheme, u.Host = "http", r.Host
		q := u.Query()
		q.Set("page", strconv.Itoa(p))
		q.Set("per_page", strconv.Itoa(per))
		u.RawQuery = q.Encode()
		return u.String()
	}
	if to < len(items) {
		links.Pages.Next = at(n + 1)
		links.Pages.Last = at((len(items) + per - 1) / per)
	}
	if n > 1 {
		links.Pages.Prev = at(n - 1)
		links.Pages.First = at(1)
	}
	return items[from:to], links, &godo.Meta{Total: len(items)}
}

// listed answers one page of a listing in the API's envelope:
// {"<key>": […], "links": {"pages": …}, "meta": {"total": …}}.
func listed[T any](r *http.Request, key string, all []T) (int, any) {
	items, links, meta := page(r, all)
	return 200, map[string]any{key: items, "links": links, "meta": meta}
}

// values are a map's values in key order.
func values[K cmp.Ordered, V any](m map[K]*V) []V {
	out := make([]V, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, *m[k])
	}
	return out
}

// one answers one object by key as {"<key>": …}, or not_found.
func one[K comparable, V any](m map[K]*V, k K, key string) (int, any) {
	v, ok := m[k]
	if !ok {
		return notFound()
	}
	return 200, map[string]any{key: v}
}

// remove deletes an object by key, or answers not_found.
func remove[K comparable, V any](m map[K]*V, k K) (int, any) {
	if _, ok := m[k]; !ok {
		return notFound()
	}
	delete(m, k)
	return http.StatusNoContent, nil
}

// id returns a fresh number.
func (s *Server) id() int {
	s.nextID++
	return s.nextID
}

// tag records tag names as the API creates them on use.
func (s *Server) tag(names []string) {
	for _, n := range names {
		s.tags[n] = true
	}
}

func hasTag(tags []string, t string) bool {
	for _, x := range tags {
		if x == t {
			return true
		}
	}
	return false
}

// now is the API's timestamp format.
func now() string { return time.Now().UTC().Format(time.RFC3339) }

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	s.route(mux, "GET /v2/account", func(*http.Request) (int, any) {
		return 200, map[string]any{"account": godo.Account{UUID: "fake-account", Email: "fake@example.com", Status: "active", DropletLimit: 25}}
	})
	s.catalogueRoutes(mux)
	s.dropletRoutes(mux)
	s.monitoringRoutes(mux)
	s.keyRoutes(mux)
	s.firewallRoutes(mux)
	s.reservedIPRoutes(mux)
	s.volumeRoutes(mux)
	s.route(mux, "POST /v2/tags", func(r *http.Request) (int, any) {
		var req godo.TagCreateRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		s.tags[req.Name] = true
		return 201, map[string]any{"tag": godo.Tag{Name: req.Name}}
	})
	s.route(mux, "POST /v2/tags/{name}/resources", s.tagResources)
	s.route(mux, "DELETE /v2/tags/{name}", func(r *http.Request) (int, any) {
		name := r.PathValue("name")
		if !s.tags[name] {
			return notFound()
		}
		delete(s.tags, name)
		untag := func(tags []string) []string { return slices.DeleteFunc(tags, func(t string) bool { return t == name }) }
		for _, d := range s.droplets {
			d.Tags = untag(d.Tags)
		}
		for _, v := range s.volumes {
			v.Tags = untag(v.Tags)
		}
		for _, sn := range s.snaps {
			sn.Tags = untag(sn.Tags)
		}
		for _, img := range s.images {
			img.Tags = untag(img.Tags)
		}
		return http.StatusNoContent, nil
	})
	return mux
}
