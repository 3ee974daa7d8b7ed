package gcetest

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"crypto/rand"
)

// maxBody bounds what a request body may hold.
const maxBody = 1 << 20

func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /token", s.token)
	const p = "/compute/v1/projects/{project}/"
	h := func(pattern, name string, fn func(w http.ResponseWriter, r *http.Request)) {
		mux.Handle(pattern, s.guard(name, fn))
	}
	h("GET "+p+"zones", "zones.list", s.listZones)
	h("GET "+p+"zones/{zone}", "zones.get", s.getZone)
	h("GET "+p+"zones/{zone}/machineTypes", "machineTypes.list", s.listMachineTypes)
	h("GET "+p+"zones/{zone}/machineTypes/{name}", "machineTypes.get", s.getMachineType)
	h("GET "+p+"global/images", "images.list", s.listImages)
	h("POST "+p+"global/images", "images.insert", s.insertImage)
	h("GET "+p+"global/images/{name}", "images.get", s.getImage)
	h("DELETE "+p+"global/images/{name}", "images.delete", s.deleteImage)
	h("GET "+p+"global/images/family/{family}", "images.getFromFamily", s.imageFromFamily)
	h("GET "+p+"zones/{zone}/instances", "instances.list", s.listInstances)
	h("POST "+p+"zones/{zone}/instances", "instances.insert", s.insertInstance)
	h("GET "+p+"zones/{zone}/instances/{name}", "instances.get", s.getInstance)
	h("DELETE "+p+"zones/{zone}/instances/{name}", "instances.delete", s.deleteInstance)
	h("POST "+p+"zones/{zone}/instances/{name}/{action}", "instances.action", s.instanceAction)
	h("GET "+p+"zones/{zone}/disks", "disks.list", s.listDisks)
	h("POST "+p+"zones/{zone}/disks", "disks.insert", s.insertDisk)
	h("GET "+p+"zones/{zone}/disks/{name}", "disks.get", s.getDisk)
	h("DELETE "+p+"zones/{zone}/disks/{name}", "disks.delete", s.deleteDisk)
	h("GET "+p+"global/snapshots", "snapshots.list", s.listSnapshots)
	h("POST "+p+"global/snapshots", "snapshots.insert", s.insertSnapshot)
	h("GET "+p+"global/snapshots/{name}", "snapshots.get", s.getSnapshot)
	h("DELETE "+p+"global/snapshots/{name}", "snapshots.delete", s.deleteSnapshot)
	h("GET "+p+"global/firewalls", "firewalls.list", s.listFirewalls)
	h("POST "+p+"global/firewalls", "firewalls.insert", s.insertFirewall)
	h("GET "+p+"global/firewalls/{name}", "firewalls.get", s.getFirewall)
	h("DELETE "+p+"global/firewalls/{name}", "firewalls.delete", s.deleteFirewall)
	h("GET "+p+"regions/{region}/addresses", "addresses.list", s.listAddresses)
	h("POST "+p+"regions/{region}/addresses", "addresses.insert", s.insertAddress)
	h("GET "+p+"regions/{region}/addresses/{name}", "addresses.get", s.getAddress)
	h("DELETE "+p+"regions/{region}/addresses/{name}", "addresses.delete", s.deleteAddress)
	for _, scope := range []string{"zones/{zone}/", "regions/{region}/", "global/"} {
		h("POST "+p+scope+"operations/{op}/wait", "operations.wait", s.waitOperation)
		h("GET "+p+scope+"operations/{op}", "operations.get", s.getOperation)
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		googleError(w, http.StatusNotFound, "notFound", "no such API: "+r.Method+" "+r.URL.Path)
	})
	return mux
}

// guard counts, authenticates, delays and faults a compute request before
// serving it.
func (s *Server) guard(name string, fn func(http.ResponseWriter, *http.Request)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		s.mu.Lock()
		s.requests[r.Method+" "+name]++
		authorized := s.tokens[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		s.mu.Unlock()
		if !authorized {
			googleError(w, http.StatusUnauthorized, "authError", "Request had invalid authentication credentials.")
			return
		}
		if !s.delay(r, name == "instances.action") {
			return
		}
		if f := s.fault(r); f != nil {
			if f.RetryAfter > 0 {
				w.Header().Set("Retry-After", strconv.Itoa(f.RetryAfter))
			}
			googleError(w, f.Status, f.Reason, f.Message)
			return
		}
		// Other projects' images are public (their families may be
		// empty); nothing else of theirs is.
		if p := r.PathValue("project"); p != Project && (r.Method != http.MethodGet || !strings.Contains(r.URL.Path, "/global/images/")) {
			googleError(w, http.StatusForbidden, "forbidden", "Required permission on project "+p)
			return
		}
		fn(w, r)
	})
}

// delay waits out the latency; false when the request was cancelled.
func (s *Server) delay(r *http.Request, action bool) bool {
	for {
		s.mu.Lock()
		d, wake := s.latency, s.wake
		if action {
			d = max(d, s.actLatency)
		}
		s.mu.Unlock()
		if d == 0 {
			return true
		}
		select {
		case <-r.Context().Done():
			return false
		case <-wake: // the latency changed: look again
		case <-time.After(d):
			return true
		}
	}
}

// fault returns the first fault matching r, counting it down.
func (s *Server) fault(r *http.Request) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	req := r.Method + " " + r.URL.Path
	for i, f := range s.faults {
		if strings.Contains(req, f.Match) {
			f.Times--
			if f.Times <= 0 {
				s.faults = append(s.faults[:i], s.faults[i+1:]...)
			}
			out := *f
			return &out
		}
	}
	return nil
}

// token is the OAuth 2.0 endpoint of the JWT bearer grant: it checks the
// assertion's RS256 signature against the server's key and issues a token.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil || r.PostForm.Get("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" {
		tokenError(w, "unsupported_grant_type", "Invalid grant_type.")
		return
	}
	parts := strings.Split(r.PostForm.Get("assertion"), ".")
	if len(parts) != 3 {
		tokenError(w, "invalid_grant", "Invalid JWT.")
		return
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err != nil || rsa.VerifyPKCS1v15(&s.key.PublicKey, crypto.SHA256, sum[:], sig) != nil {
		tokenError(w, "invalid_grant", "Invalid JWT Signature.")
		return
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if b, err := base64.RawURLEncoding.DecodeString(parts[1]); err != nil || json.Unmarshal(b, &claims) != nil || claims.Iss != ClientEmail {
		tokenError(w, "invalid_grant", "Invalid JWT claims.")
		return
	}
	var b [16]byte
	rand.Read(b[:])
	tok := "ya29.fake-" + hex.EncodeToString(b[:])
	s.mu.Lock()
	s.tokens[tok] = true
	s.mu.Unlock()
	writeJSON(w, map[string]any{"access_token": tok, "token_type": "Bearer", "expires_in": 3600})
}

func tokenError(w http.ResponseWriter, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}

// decode reads a JSON request body into v; false (with a 400 answered)
// when it is not one.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	b, err := io.ReadAll(r.Body)
	if err == nil {
		err = json.Unmarshal(b, v)
	}
	if err != nil {
		googleError(w, http.StatusBadRequest, "parseError", "Parse Error")
		return false
	}
	return true
}

// page cuts a sorted listing to one page: maxResults (capped by the page
// size) from the pageToken's offset, and the next token.
func (s *Server) page(w http.ResponseWriter, r *http.Request, n int) (from, to int, next string, ok bool) {
	s.mu.Lock()
	size := s.pageSize
	s.mu.Unlock()
	if size == 0 {
		size = 500
	}
	if m, err := strconv.Atoi(r.URL.Query().Get("maxResults")); err == nil && m > 0 && m < size {
		size = m
	}
	if t := r.URL.Query().Get("pageToken"); t != "" {
		var err error
		if from, err = strconv.Atoi(t); err != nil || from < 0 || from > n {
			googleError(w, http.StatusBadRequest, "invalid", "Invalid value for field 'pageToken': '"+t+"'.")
			return 0, 0, "", false
		}
	}
	to = min(from+size, n)
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next, true
}

// filter is the one form of Compute's filter language the driver sends:
// conditions `field = "value"` joined by AND, where field is name or
// labels.KEY. Anything else is a 400, as Compute refuses what it cannot
// parse.
type filter []struct{ field, value string }

func parseFilter(w http.ResponseWriter, r *http.Request) (filter, bool) {
	q := strings.TrimSpace(r.URL.Query().Get("filter"))
	if q == "" {
		return nil, true
	}
	var f filter
	for _, cond := range strings.Split(q, " AND ") {
		field, value, ok := strings.Cut(strings.TrimSpace(cond), " = ")
		uq, err := strconv.Unquote(strings.TrimSpace(value))
		if !ok || err != nil || (field != "name" && !strings.HasPrefix(field, "labels.")) {
			googleError(w, http.StatusBadRequest, "invalid", "Invalid list filter expression '"+q+"'.")
			return nil, false
		}
		f = append(f, struct{ field, value string }{field, uq})
	}
	return f, true
}

// match reports whether a resource of that name and labels passes.
func (f filter) match(name string, labels map[string]string) bool {
	for _, c := range f {
		if c.field == "name" && name != c.value {
			return false
		}
		if k, ok := strings.CutPrefix(c.field, "labels."); ok && labels[k] != c.value {
			return false
		}
	}
	return true
}

// sortedKeys is a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
