// Package gcetest is an in-memory Google Compute Engine for tests of the gce
// driver, served over HTTP on 127.0.0.1. Every answer is a type of
// google.golang.org/api/compute/v1 marshalled to JSON (compute.Instance,
// compute.Operation, compute.InstanceList, …), so the wire shape is the API
// library's own, and errors are Google error documents
// ({"error":{"code":404,"message":…,"errors":[{"reason":"notFound"}]}}).
//
//	s := gcetest.New(t)
//	p, err := deltacloud.Open(ctx, "gce", s.Config())
//
// The server keeps zones, machine types, public and project images,
// instances (whose status moves through PROVISIONING, STOPPING,
// SUSPENDING, … while their long-running operation runs), persistent
// disks, snapshots, firewall rules and static addresses, and answers
// operations.wait, paged lists (maxResults, pageToken) and the label and
// name filters the driver sends. It also serves the OAuth 2.0 token
// endpoint a service-account key is exchanged at, checking the JWT's
// signature against the key it issued, and every compute request must
// carry a token it issued. Tests can add latency, hold operations, make
// operations fail, inject error documents and list what is left.
//
// Cloud Storage is not faked here: StartStorage runs fake-gcs-server, a
// real emulator, in-process on 127.0.0.1.
package gcetest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsouza/fake-gcs-server/fakestorage"
	"google.golang.org/api/compute/v1"
	"google.golang.org/api/googleapi"

	"github.com/deltacloud-go/deltacloud"
)

// The fake's fixed identity.
const (
	Project     = "deltacloud-test"
	Region      = "us-central1"
	ClientEmail = "driver@deltacloud-test.iam.gserviceaccount.com"
)

// Zones are the region's zones; OtherZone is a zone of another region.
var (
	Zones     = []string{"us-central1-a", "us-central1-b", "us-central1-c"}
	OtherZone = "europe-west1-b"
)

// Server is a fake Compute Engine project. It is safe for concurrent use.
type Server struct {
	srv *httptest.Server
	key *rsa.PrivateKey

	mu          sync.Mutex
	wake        chan struct{} // closed and replaced when latency changes
	latency     time.Duration
	actLatency  time.Duration
	opDelay     time.Duration
	held        chan struct{} // while HoldOperations holds: closed on release
	pageSize    int
	tokens      map[string]bool
	faults      []*Fault
	failInsert  *Fault
	loseInsert  bool
	requests    map[string]int
	seq         int
	instances   map[string]*compute.Instance // zone/name
	disks       map[string]*compute.Disk     // zone/name
	snapshots   map[string]*compute.Snapshot
	images      map[string]*compute.Image // project/name
	firewalls   map[string]*compute.Firewall
	addresses   map[string]*compute.Address
	operations  map[string]*operation
	machineType map[string]*compute.MachineType
}

// operation is a long-running operation: done is closed when it ends.
type operation struct {
	op   *compute.Operation
	done chan struct{}
}

// Fault is an error document the server answers instead of serving a
// request.
type Fault struct {
	// Match selects requests by "METHOD path-suffix" substring, e.g.
	// "POST /instances"; empty matches every compute request.
	Match string
	// Status, Reason and Message make the Google error document.
	Status  int
	Reason  string
	Message string
	// RetryAfter, when set, is sent as the Retry-After header (seconds).
	RetryAfter int
	// Times is how many requests fail (default 1).
	Times int
}

// New starts a server on 127.0.0.1, stopped when the test ends.
func New(t testing.TB) *Server {
	s := &Server{
		key: testKey(), wake: make(chan struct{}), opDelay: 2 * time.Millisecond,
		tokens: map[string]bool{}, requests: map[string]int{},
		instances: map[string]*compute.Instance{}, disks: map[string]*compute.Disk{},
		snapshots: map[string]*compute.Snapshot{}, images: map[string]*compute.Image{},
		firewalls: map[string]*compute.Firewall{}, addresses: map[string]*compute.Address{},
		operations: map[string]*operation{}, machineType: map[string]*compute.MachineType{},
	}
	s.srv = httptest.NewServer(s.routes())
	s.fixtures()
	t.Cleanup(s.Close)
	return s
}

// Close stops the server.
func (s *Server) Close() {
	s.SetLatency(0)
	s.srv.Close()
}

// URL is the server's base URL (http://127.0.0.1:port).
func (s *Server) URL() string { return s.srv.URL }

// ComputeEndpoint is the compute API's base path on the server, for the
// driver's compute_endpoint option.
func (s *Server) ComputeEndpoint() string { return s.srv.URL + "/compute/v1/" }

// TokenEndpoint is the server's OAuth 2.0 token endpoint, for the driver's
// token_endpoint option.
func (s *Server) TokenEndpoint() string { return s.srv.URL + "/token" }

// Config is a deltacloud.Config for the server: the project and region,
// the server's service-account key as the password, and the endpoints as
// options. Extra options come as "name=value" pairs.
func (s *Server) Config(options ...string) deltacloud.Config {
	opts := map[string]string{
		"compute_endpoint": s.ComputeEndpoint(),
		"token_endpoint":   s.TokenEndpoint(),
	}
	for _, o := range options {
		k, v, _ := strings.Cut(o, "=")
		opts[k] = v
	}
	return deltacloud.Config{
		Provider:    Project + "/" + Region,
		Credentials: deltacloud.Credentials{Password: string(s.KeyJSON())},
		Options:     opts,
	}
}

// KeyJSON is a service-account key whose signatures the token endpoint
// accepts. Its token_uri is Google's, as in a real key.
func (s *Server) KeyJSON() []byte { return keyJSON(s.key, "key-1") }

// OtherKeyJSON is a well-formed key the server does not know: its tokens
// are refused with invalid_grant.
func OtherKeyJSON() []byte { return keyJSON(otherKey(), "key-2") }

func keyJSON(k *rsa.PrivateKey, id string) []byte {
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	b, _ := json.Marshal(map[string]string{
		"type": "service_account", "project_id": Project, "private_key_id": id,
		"private_key":  string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": ClientEmail, "client_id": "1234567890",
		"token_uri": "https://oauth2.googleapis.com/token",
	})
	return b
}

var (
	keyOnce, otherOnce sync.Once
	key1, key2         *rsa.PrivateKey
)

func testKey() *rsa.PrivateKey {
	keyOnce.Do(func() { key1, _ = rsa.GenerateKey(rand.Reader, 2048) })
	return key1
}

func otherKey() *rsa.PrivateKey {
	otherOnce.Do(func() { key2, _ = rsa.GenerateKey(rand.Reader, 2048) })
	return key2
}

// SetLatency delays every compute request by d (honouring the request's
// cancellation); 0 removes the delay.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	s.latency = d
	close(s.wake)
	s.wake = make(chan struct{})
	s.mu.Unlock()
}

// SetActionLatency delays only instance actions (start, stop, reset,
// suspend, resume).
func (s *Server) SetActionLatency(d time.Duration) {
	s.mu.Lock()
	s.actLatency = d
	close(s.wake)
	s.wake = make(chan struct{})
	s.mu.Unlock()
}

// SetOperationDelay sets how long operations run (default 2ms).
func (s *Server) SetOperationDelay(d time.Duration) { s.mu.Lock(); s.opDelay = d; s.mu.Unlock() }

// HoldOperations keeps every operation started from now on running until
// release is called; each then ends after the operation delay. A test can
// act while an operation runs, however slow the machine, instead of
// counting on a long delay.
func (s *Server) HoldOperations() (release func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := make(chan struct{})
	s.held = held
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.held == held {
				s.held = nil
			}
			s.mu.Unlock()
			close(held)
		})
	}
}

// SetPageSize caps every list page at n items (0: 500, Compute's maximum).
func (s *Server) SetPageSize(n int) { s.mu.Lock(); s.pageSize = max(n, 0); s.mu.Unlock() }

// Fail makes matching requests answer f's error document.
func (s *Server) Fail(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	s.faults = append(s.faults, &f)
	s.mu.Unlock()
}

// FailInsert makes the next instance insert's operation end with f's
// reason as its error, leaving the half-made instance behind (TERMINATED)
// as Compute Engine can: the driver must delete it.
func (s *Server) FailInsert(f Fault) { s.mu.Lock(); s.failInsert = &f; s.mu.Unlock() }

// LoseInsertAnswer makes the next instance insert happen (the instance
// exists, its operation runs) but holds its answer until the client gives
// up: a create whose context ends while the insert's answer is on its way.
func (s *Server) LoseInsertAnswer() { s.mu.Lock(); s.loseInsert = true; s.mu.Unlock() }

// Requests counts the requests served by "METHOD route" (e.g. "GET
// instances.list").
func (s *Server) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.requests)
}

// Resources lists what the project holds beyond the fixtures, as
// "kind/name", sorted: instances, disks, snapshots, project images,
// firewalls and addresses.
func (s *Server) Resources() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, v := range s.instances {
		out = append(out, "instance/"+v.Name)
	}
	for _, v := range s.disks {
		out = append(out, "disk/"+v.Name)
	}
	for _, v := range s.snapshots {
		out = append(out, "snapshot/"+v.Name)
	}
	for k, v := range s.images {
		if strings.HasPrefix(k, Project+"/") && v.Name != FixtureImage {
			out = append(out, "image/"+v.Name)
		}
	}
	for _, v := range s.firewalls {
		if v.Name != FixtureFirewall {
			out = append(out, "firewall/"+v.Name)
		}
	}
	for _, v := range s.addresses {
		out = append(out, "address/"+v.Name)
	}
	slices.Sort(out)
	return out
}

// AddInstances adds n running instances labelled with owner in the first
// zone, named prefix-0, prefix-1, …, for listing benchmarks.
func (s *Server) AddInstances(n int, prefix string, labels map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range n {
		name := prefix + "-" + strconv.Itoa(i)
		in := &compute.Instance{
			Name: name, Id: uint64(1000000 + i), Status: "RUNNING", Zone: s.zoneURL(Zones[0]),
			MachineType: s.zoneURL(Zones[0]) + "/machineTypes/e2-small", Labels: labels,
			CreationTimestamp: time.Now().UTC().Format(time.RFC3339),
			NetworkInterfaces: []*compute.NetworkInterface{{NetworkIP: fmt.Sprintf("10.128.%d.%d", i/250, i%250+2)}},
			SelfLink:          s.zoneURL(Zones[0]) + "/instances/" + name,
		}
		s.instances[Zones[0]+"/"+name] = in
	}
}

// Instance returns a copy of an instance, nil when there is none.
func (s *Server) Instance(zone, name string) *compute.Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.instances[zone+"/"+name]
	if in == nil {
		return nil
	}
	return clone(in)
}

// MachineTypes are the machine types the zones offer, as Compute states
// them.
func (s *Server) MachineTypes() []*compute.MachineType {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*compute.MachineType
	for _, m := range s.machineType {
		out = append(out, clone(m))
	}
	return out
}

// googleError writes a Google error document.
func googleError(w http.ResponseWriter, status int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code": status, "message": msg,
		"errors": []googleapi.ErrorItem{{Reason: reason, Message: msg}},
	}})
}

func notFound(w http.ResponseWriter, what string) {
	googleError(w, http.StatusNotFound, "notFound", "The resource '"+what+"' was not found")
}

// writeJSON answers v marshalled by the API library's own types.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(v)
}

// clone deep-copies an API value through its JSON form.
func clone[T any](v *T) *T {
	b, _ := json.Marshal(v)
	out := new(T)
	json.Unmarshal(b, out)
	return out
}

func (s *Server) zoneURL(zone string) string {
	return s.srv.URL + "/compute/v1/projects/" + Project + "/zones/" + zone
}

func (s *Server) regionURL(region string) string {
	return s.srv.URL + "/compute/v1/projects/" + Project + "/regions/" + region
}

func (s *Server) globalURL() string {
	return s.srv.URL + "/compute/v1/projects/" + Project + "/global"
}

// last is the last path segment of a resource URL.
func last(u string) string { return u[strings.LastIndex(u, "/")+1:] }

// StartStorage runs fake-gcs-server, the Cloud Storage emulator,
// in-process on 127.0.0.1 until the test ends, and returns the driver
// option that points the provider at it.
func StartStorage(t testing.TB) (storageEndpoint string) {
	srv, err := fakestorage.NewServerWithOptions(fakestorage.Options{Scheme: "http", Host: "127.0.0.1", Port: 0,
		Writer: io.Discard})
	if err != nil {
		t.Fatalf("gcetest: starting fake-gcs-server: %v", err)
	}
	t.Cleanup(srv.Stop)
	return "storage_endpoint=" + srv.URL() + "/storage/v1/"
}
