// Package openstacktest is an in-memory OpenStack for tests: one
// httptest server on 127.0.0.1 speaking Keystone v3 (tokens and the
// catalog), Nova (availability zones, flavors, servers with their actions,
// key pairs), Glance v2 (images) and Neutron (networks, ports, security
// groups and rules, floating IPs) and Cinder v3 (volumes, snapshots, and
// Nova's volume attachments), Swift (containers, objects and static
// large objects) and Gnocchi (the measures Ceilometer would keep). Its
// bodies follow the shapes of the services' API references and of
// gophercloud's documented fixtures: paging with limit/marker and next
// links, microversion headers, asynchronous state progression (in
// milliseconds) and the services' fault bodies; their shapes, statuses and
// messages were compared with a real Zed stack with Gnocchi 4.4.2
// (live/run.sh) request by request. Known, deliberate differences: no
// "stores" on images (a multi-store Glance shows it), no os-interface, and
// a server snapshot becomes active with data (Nova's fake virt driver
// leaves it queued).
//
// Every difference between the fake and the real services is a defect of
// the fake.
package openstacktest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// The fake's identities.
const (
	User        = "demo"
	Password    = "demo-secret"
	Project     = "demo"
	ProjectID   = "8f2a0a8e1d6b4b5e9a3c7e2d1f0b9c8a"
	UserID      = "3c5d7f9a1b2c4d6e8f0a1b2c3d4e5f60"
	Domain      = "Default"
	Region      = "RegionOne"
	AppCredID   = "ac0e1f2a3b4c5d6e7f8091a2b3c4d5e6"
	AppCredPass = "app-cred-secret"
	// MaxComputeMicroversion is the newest compute microversion served, a
	// Zed cloud's.
	MaxComputeMicroversion = "2.93"
)

// Cloud is the fake OpenStack. It is safe for concurrent use.
type Cloud struct {
	srv *httptest.Server
	// URL is the Keystone v3 endpoint, the driver's Config.Provider.
	URL string

	mu            sync.Mutex
	seq           int
	tokens        map[string]time.Time
	latency       time.Duration
	actionLatency time.Duration
	step          time.Duration
	requests      int
	overLimit     int
	quota         int
	pageSize      int

	zones   []string
	flavors []*flavor
	images  map[string]*image
	servers map[string]*server
	keys    map[string]*keypair
	nets    *neutron

	volumes   map[string]*volume
	snapshots map[string]*snapshot
	noCinder  bool

	containers map[string]*swiftContainer
	noSwift    bool

	noGnocchi      bool
	archiveMethods []string
	archiveDefs    []ArchiveDefinition
	telemetryDelay time.Duration
}

// New starts a fake cloud with a catalogue of flavors, images, zones and a
// tenant network; it stops when the test ends.
func New(t interface{ Cleanup(func()) }) *Cloud {
	c := NewCloud()
	t.Cleanup(c.Close)
	return c
}

// NewCloud starts a fake cloud; the caller closes it.
func NewCloud() *Cloud {
	c := &Cloud{tokens: map[string]time.Time{}, step: 5 * time.Millisecond, quota: 1 << 30, pageSize: 1000,
		zones: []string{"nova", "az-2"}, images: map[string]*image{}, servers: map[string]*server{}, keys: map[string]*keypair{},
		volumes: map[string]*volume{}, snapshots: map[string]*snapshot{}, containers: map[string]*swiftContainer{}}
	c.seedCompute()
	c.seedImages()
	c.nets = newNeutron(c)
	c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
	c.URL = c.srv.URL + "/identity/v3"
	return c
}

// Close stops the server.
func (c *Cloud) Close() { c.srv.Close() }

// Config is a deltacloud.Config for the demo user.
func (c *Cloud) Config(options ...string) deltacloud.Config {
	o := map[string]string{"project": Project, "domain": Domain}
	for i := 0; i+1 < len(options); i += 2 {
		o[options[i]] = options[i+1]
	}
	return deltacloud.Config{Provider: c.URL, Credentials: deltacloud.Credentials{User: User, Password: Password},
		Options: o, PollInterval: time.Millisecond, MaxPollInterval: 20 * time.Millisecond}
}

// SetLatency delays every later request but token requests by d (cut short
// when the client goes away).
func (c *Cloud) SetLatency(d time.Duration) { c.mu.Lock(); c.latency = d; c.mu.Unlock() }

// SetActionLatency delays only server actions (POST /servers/{id}/action).
func (c *Cloud) SetActionLatency(d time.Duration) { c.mu.Lock(); c.actionLatency = d; c.mu.Unlock() }

// SetStep sets how long each asynchronous state lasts (default 5ms).
func (c *Cloud) SetStep(d time.Duration) { c.mu.Lock(); c.step = d; c.mu.Unlock() }

// Settle ends every asynchronous state now: each server, volume and
// snapshot reaches the state it was on its way to, as if its step were
// over. With SetStep(time.Hour) a test holds a transitional state as long
// as it looks at it, then moves on with Settle, whatever the machine's
// speed.
func (c *Cloud) Settle() {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	for _, s := range c.servers {
		if s.next != nil {
			s.next.at = now
		}
	}
	for _, v := range c.volumes {
		if v.next != nil {
			v.next.at = now
		}
	}
	for _, s := range c.snapshots {
		if s.next != nil {
			s.next.at = now
		}
	}
}

// SetPageSize sets the most items one listing page holds when the
// request has no smaller limit (Nova's max_limit, default 1000; Glance's
// default is 25 and is also capped by it).
func (c *Cloud) SetPageSize(n int) { c.mu.Lock(); c.pageSize = max(n, 1); c.mu.Unlock() }

// SetCinder sets whether tokens issued later list Cinder (block-storage)
// in their catalog (default true), as a cloud without Cinder.
func (c *Cloud) SetCinder(on bool) { c.mu.Lock(); c.noCinder = !on; c.mu.Unlock() }

// ExpireTokens makes every issued token invalid, as when they time out.
func (c *Cloud) ExpireTokens() { c.mu.Lock(); clear(c.tokens); c.mu.Unlock() }

// SetOverLimit makes the next n compute requests answer 429 overLimit with
// Retry-After.
func (c *Cloud) SetOverLimit(n int) { c.mu.Lock(); c.overLimit = n; c.mu.Unlock() }

// SetInstanceQuota sets how many servers the project may have.
func (c *Cloud) SetInstanceQuota(n int) { c.mu.Lock(); c.quota = n; c.mu.Unlock() }

// Requests counts the requests served, token requests included.
func (c *Cloud) Requests() int { c.mu.Lock(); defer c.mu.Unlock(); return c.requests }

// newID returns a random UUID in OpenStack's form.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// now is the time in the services' format.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05Z") }

func (c *Cloud) serve(w http.ResponseWriter, r *http.Request) {
	c.mu.Lock()
	c.requests++
	lat := c.latency
	if strings.HasPrefix(r.URL.Path, "/compute/") && strings.HasSuffix(r.URL.Path, "/action") {
		lat = max(lat, c.actionLatency)
	}
	c.mu.Unlock()
	path := r.URL.Path
	if path == "/identity/v3/auth/tokens" {
		c.serveTokens(w, r)
		return
	}
	if c.serveVersions(w, path) {
		return
	}
	if lat > 0 && !c.wait(r, time.Now()) {
		return
	}
	if !c.authorized(r) && strings.HasPrefix(path, "/image/") {
		w.Header().Set("Www-Authenticate", `Keystone uri="`+c.srv.URL+`/identity"`)
		glanceError(w, r, http.StatusUnauthorized, "This server could not verify that you are authorized to access the document you requested. Either you supplied the wrong credentials (e.g., bad password), or your browser does not understand how to supply the credentials required.")
		return
	}
	if !c.authorized(r) {
		if strings.HasPrefix(path, "/swift/") {
			swiftError(w, http.StatusUnauthorized)
			return
		}
		// keystonemiddleware's answer (Nova, Neutron, Cinder, Gnocchi).
		w.Header().Set("Www-Authenticate", `Keystone uri="`+c.srv.URL+`/identity"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]any{
			"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}})
		return
	}
	switch {
	case strings.HasPrefix(path, "/compute/v2.1"):
		c.serveCompute(w, r, strings.TrimPrefix(path, "/compute/v2.1"))
	case strings.HasPrefix(path, "/image/v2"):
		c.serveImages(w, r, strings.TrimPrefix(path, "/image/v2"))
	case strings.HasPrefix(path, "/network/v2.0"):
		c.nets.serve(w, r, strings.TrimPrefix(path, "/network/v2.0"))
	case strings.HasPrefix(path, "/volume/v3/"):
		c.serveVolume(w, r, strings.TrimPrefix(path, "/volume/v3"))
	case strings.HasPrefix(path, "/swift/v1/"):
		c.serveSwift(w, r, strings.TrimPrefix(path, "/swift/v1"))
	case strings.HasPrefix(path, "/metric/v1/"):
		c.serveGnocchi(w, r, strings.TrimPrefix(path, "/metric/v1"))
	default:
		http.NotFound(w, r)
	}
}

// authorized checks the X-Auth-Token header.
func (c *Cloud) authorized(r *http.Request) bool {
	tok := r.Header.Get("X-Auth-Token")
	c.mu.Lock()
	defer c.mu.Unlock()
	exp, ok := c.tokens[tok]
	return ok && time.Now().Before(exp)
}

// serveTokens is Keystone's POST /v3/auth/tokens.
func (c *Cloud) serveTokens(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": map[string]any{"code": 405, "title": "Method Not Allowed", "message": "The method is not allowed for the requested URL."}})
		return
	}
	var req struct {
		Auth struct {
			Identity struct {
				Methods  []string `json:"methods"`
				Password struct {
					User struct {
						ID       string `json:"id"`
						Name     string `json:"name"`
						Password string `json:"password"`
						Domain   struct {
							ID   string `json:"id"`
							Name string `json:"name"`
						} `json:"domain"`
					} `json:"user"`
				} `json:"password"`
				AppCred struct {
					ID     string `json:"id"`
					Secret string `json:"secret"`
				} `json:"application_credential"`
			} `json:"identity"`
			Scope json.RawMessage `json:"scope"`
		} `json:"auth"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<16)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": map[string]any{"code": 400, "title": "Bad Request", "message": "Malformed request body"}})
		return
	}
	id := req.Auth.Identity
	ok := false
	if len(id.Methods) == 1 {
		switch id.Methods[0] {
		case "password":
			u := id.Password.User
			ok = (u.Name == User || u.ID == UserID) && u.Password == Password
		case "application_credential":
			ok = id.AppCred.ID == AppCredID && id.AppCred.Secret == AppCredPass
		}
	}
	if !ok {
		w.Header().Set("Www-Authenticate", `Keystone uri="`+c.URL+`"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"error": map[string]any{
			"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}})
		return
	}
	tok := "gAAAAA" + strings.ReplaceAll(newID(), "-", "")
	exp := time.Now().Add(time.Hour)
	c.mu.Lock()
	c.tokens[tok] = exp
	noCinder, noSwift, noGnocchi := c.noCinder, c.noSwift, c.noGnocchi
	c.mu.Unlock()
	base := c.srv.URL
	ep := func(typ, name, url string) map[string]any {
		var eps []map[string]any
		for _, iface := range []string{"public", "internal", "admin"} {
			eps = append(eps, map[string]any{"id": newID(), "interface": iface, "region": Region, "region_id": Region, "url": url})
		}
		return map[string]any{"id": newID(), "type": typ, "name": name, "endpoints": eps}
	}
	catalog := []map[string]any{
		ep("identity", "keystone", base+"/identity"),
		ep("compute", "nova", base+"/compute/v2.1"),
		ep("image", "glance", base+"/image"),
		ep("network", "neutron", base+"/network"),
	}
	if !noCinder {
		catalog = append(catalog, ep("block-storage", "cinder", base+"/volume/v3/"+ProjectID))
	}
	if !noSwift {
		catalog = append(catalog, ep("object-store", "swift", base+"/swift/v1/AUTH_"+ProjectID))
	}
	if !noGnocchi {
		catalog = append(catalog, ep("metric", "gnocchi", base+"/metric"))
	}
	w.Header().Set("X-Subject-Token", tok)
	writeJSON(w, http.StatusCreated, map[string]any{"token": map[string]any{
		"methods": id.Methods, "expires_at": exp.UTC().Format("2006-01-02T15:04:05.000000Z"),
		"issued_at": time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"), "audit_ids": []string{"3T2dc1CGQxyJsHdDu1xkcw"},
		"user":      map[string]any{"id": UserID, "name": User, "domain": map[string]any{"id": "default", "name": Domain}, "password_expires_at": nil},
		"project":   map[string]any{"id": ProjectID, "name": Project, "domain": map[string]any{"id": "default", "name": Domain}},
		"roles":     []map[string]any{{"id": "9fe2ff9ee4384b1894a90878d3e92bab", "name": "member"}, {"id": "f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9", "name": "reader"}},
		"is_domain": false,
		"catalog":   catalog,
	}})
}

// writeJSON answers a JSON body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if v != nil {
		json.NewEncoder(w).Encode(v)
	}
}

// fault answers a Nova/Cinder fault body: {"itemNotFound": {"code": 404,
// "message": …}}.
func fault(w http.ResponseWriter, status int, kind, format string, args ...any) {
	writeJSON(w, status, map[string]any{kind: map[string]any{"code": status, "message": fmt.Sprintf(format, args...)}})
}

// decode reads a bounded JSON body, answering badRequest when it is not.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := jsonDecode(w, r, v); err != nil {
		fault(w, http.StatusBadRequest, "badRequest", "Malformed request body: %v", err)
		return false
	}
	return true
}

// listed is what Nova and Cinder list: servers, volumes, snapshots.
type listed interface {
	*server | *volume | *snapshot
	key() (created time.Time, id string)
}

func (s *server) key() (time.Time, string)   { return s.created, s.id }
func (v *volume) key() (time.Time, string)   { return v.created, v.id }
func (s *snapshot) key() (time.Time, string) { return s.created, s.id }

// newestFirst orders a listing as Nova and Cinder do (created_at desc,
// then id desc) and returns its ids with the items by id.
func newestFirst[T listed](list []T) ([]string, map[string]T) {
	sort.Slice(list, func(i, j int) bool {
		ci, ii := list[i].key()
		cj, ij := list[j].key()
		if !ci.Equal(cj) {
			return ci.After(cj)
		}
		return ii > ij
	})
	ids := make([]string, len(list))
	byID := make(map[string]T, len(list))
	for i, x := range list {
		_, ids[i] = x.key()
		byID[ids[i]] = x
	}
	return ids, byID
}

// page cuts a sorted id listing at marker and limit; more reports whether
// a next page exists. An unknown marker is ok=false.
func page(ids []string, q map[string][]string, defaultLimit int) (out []string, more, ok bool) {
	start := 0
	if m := first(q["marker"]); m != "" {
		start = -1
		for i, id := range ids {
			if id == m {
				start = i + 1
			}
		}
		if start < 0 {
			return nil, false, false
		}
	}
	limit := defaultLimit
	if l, err := strconv.Atoi(first(q["limit"])); err == nil && l > 0 && l < limit {
		limit = l
	}
	end := min(len(ids), start+limit)
	return ids[start:end], end < len(ids), true
}

func first(v []string) string {
	if len(v) == 0 {
		return ""
	}
	return v[0]
}

// jsonDecode reads a JSON body of at most 1 MiB.
func jsonDecode(w http.ResponseWriter, r *http.Request, v any) error {
	return json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(v)
}

// serveVersions answers the unauthenticated version documents of Glance,
// Neutron and Cinder (the services' roots), which gophercloud reads to
// find a catalog endpoint's version.
func (c *Cloud) serveVersions(w http.ResponseWriter, path string) bool {
	link := func(p string) []map[string]any { return []map[string]any{{"rel": "self", "href": c.srv.URL + p}} }
	switch strings.TrimSuffix(path, "/") {
	case "/image":
		writeJSON(w, http.StatusMultipleChoices, map[string]any{"versions": []map[string]any{
			{"id": "v2.16", "status": "CURRENT", "links": link("/image/v2/")},
			{"id": "v2.15", "status": "SUPPORTED", "links": link("/image/v2/")},
			{"id": "v2.0", "status": "SUPPORTED", "links": link("/image/v2/")},
		}})
	case "/volume":
		writeJSON(w, http.StatusMultipleChoices, map[string]any{"versions": []map[string]any{
			{"id": "v3.0", "status": "CURRENT", "version": "3.71", "min_version": "3.0", "links": link("/volume/v3/")},
		}})
	case "/compute":
		writeJSON(w, http.StatusOK, map[string]any{"versions": []map[string]any{
			{"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "", "updated": "2011-01-21T11:33:21Z", "links": link("/compute/v2/")},
			{"id": "v2.1", "status": "CURRENT", "version": MaxComputeMicroversion, "min_version": "2.1", "updated": "2013-07-23T11:33:21Z",
				"links": link("/compute/v2.1/")},
		}})
	case "/network":
		writeJSON(w, http.StatusOK, map[string]any{"versions": []map[string]any{
			{"id": "v2.0", "status": "CURRENT", "links": link("/network/v2.0/")},
		}})
	default:
		return false
	}
	return true
}

// wait holds a request while its latency lasts; a latency set back to
// zero ends the wait early. It reports false when the client went away.
func (c *Cloud) wait(r *http.Request, start time.Time) bool {
	action := strings.HasPrefix(r.URL.Path, "/compute/") && strings.HasSuffix(r.URL.Path, "/action")
	for {
		c.mu.Lock()
		lat := c.latency
		if action {
			lat = max(lat, c.actionLatency)
		}
		c.mu.Unlock()
		if time.Since(start) >= lat {
			return true
		}
		select {
		case <-time.After(5 * time.Millisecond):
		case <-r.Context().Done():
			return false
		}
	}
}
