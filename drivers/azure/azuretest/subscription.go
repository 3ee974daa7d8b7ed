// Package azuretest is an in-memory Azure subscription for tests of the
// azure driver. It is served by the Azure SDK's own fake servers
// (armcompute/v6/fake and armnetwork/v7/fake server transports), so requests
// go through the real SDK clients, pipelines, pagers and pollers, and through
// a fake identity platform, so service principal credentials go through the
// real azidentity client. Nothing touches the network.
//
//	s := azuretest.New()
//	p, err := deltacloud.Open(ctx, "azure", s.Config())
//
// The subscription keeps virtual machines (with provisioning and power
// states that settle after a number of reads, and data disks at LUNs),
// managed disks and snapshots, network interfaces, public IPs, network
// security groups and their rules, virtual networks, images, SSH public keys
// (with key pair generation), VM sizes and marketplace images, and enforces
// what Azure enforces between them (a NIC in use by a VM, an attached disk,
// an associated public IP or a security group in use cannot be deleted, …). Tests can add latency, inject
// errors (with Retry-After), make VM creation fail half-way, and list every
// resource to check that nothing leaked.
//
// Blob Storage is not faked: StartAzurite runs Azurite, the real Azure
// Storage emulator, on 127.0.0.1, and Forward lets the subscription's HTTP
// client reach it, so one provider serves both.
package azuretest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	computefake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	networkfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7/fake"

	"github.com/deltacloud-go/deltacloud"
)

// The subscription's fixed identity.
const (
	SubscriptionID = "0b1f6471-1bf0-4dda-aec3-cb9272f09590"
	ResourceGroup  = "deltacloud-test"
	Location       = "eastus"
	TenantID       = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	ClientID       = "4b6a2f1e-9c3d-4e5f-8a7b-0c1d2e3f4a5b"
	ClientSecret   = "fake-client-secret"
)

// Subscription is the fake. Its zero value is not usable; call New.
type Subscription struct {
	mu     sync.Mutex // guards the model below
	serial sync.Mutex // one request at a time through the SDK fakes

	compute *computefake.ServerFactoryTransport
	network *networkfake.ServerFactoryTransport

	principals map[string]string // tenant/client → secret
	tokens     map[string]bool
	groups     map[string]*group // by lower-case name
	skus       []*armcompute.ResourceSKU
	market     map[string][]*armcompute.VirtualMachineImage // lower "pub:offer:sku" → versions

	latency       time.Duration
	actionLatency time.Duration
	apiLatency    map[string]time.Duration
	wake          chan struct{} // closed when latency is lowered
	faults        []*Fault
	settleReads   int
	lroSteps      int
	cascade       bool
	pageSize      int
	createFailure *Fault
	ipCount       int
	requests      map[string]int
	forward       map[string]bool // loopback hosts served by the network
	hooks         map[string]func(*http.Request)
	nextID        atomic.Int64
}

// group is one resource group.
type group struct {
	name   string
	vms    map[string]*vmRecord
	nics   map[string]*armnetwork.Interface
	ips    map[string]*armnetwork.PublicIPAddress
	vnets  map[string]*armnetwork.VirtualNetwork
	disks  map[string]*armcompute.Disk
	images map[string]*armcompute.Image
	keys   map[string]*armcompute.SSHPublicKeyResource
	snaps  map[string]*armcompute.Snapshot
	nsgs   map[string]*armnetwork.SecurityGroup
}

// vmRecord is a VM with its states; a pending change applies after
// settleReads reads of the VM's instance view.
type vmRecord struct {
	vm          *armcompute.VirtualMachine
	prov, power string
	next        *[2]string // pending provisioning and power state
	reads       int
}

// Fault is an error the subscription answers instead of serving a request.
type Fault struct {
	// API is the SDK operation, e.g. "VirtualMachinesClient.BeginCreateOrUpdate";
	// empty matches every Resource Manager request.
	API string
	// Status and Code make the ARM error (code and message in the body,
	// x-ms-error-code header).
	Status int
	Code   string
	// Message defaults to a sentence naming the code.
	Message string
	// RetryAfter, when set, is sent as the Retry-After header in seconds.
	RetryAfter time.Duration
	// Times is how many requests fail (default 1).
	Times int
}

// New returns a subscription with resource group ResourceGroup in location
// Location (zones 1-3), the service principal TenantID/ClientID with
// ClientSecret, VM sizes, marketplace images, an image "golden-image" and an
// SSH public key "test-key" in the resource group. States settle after one
// read, long-running operations take one poll, and listings come in one page.
func New() *Subscription {
	s := &Subscription{
		principals:  map[string]string{TenantID + "/" + ClientID: ClientSecret},
		tokens:      map[string]bool{},
		groups:      map[string]*group{},
		market:      map[string][]*armcompute.VirtualMachineImage{},
		wake:        make(chan struct{}),
		settleReads: 1,
		lroSteps:    1,
		cascade:     true,
		requests:    map[string]int{},
		apiLatency:  map[string]time.Duration{},
	}
	s.AddResourceGroup(ResourceGroup)
	s.addFixtures()
	s.compute = computefake.NewServerFactoryTransport(s.computeServers())
	s.network = networkfake.NewServerFactoryTransport(s.networkServers())
	return s
}

// Config is a deltacloud.Config that opens the azure driver on this
// subscription with the service principal, polling every millisecond and
// with SDK retries off. Extra options are added as name, value pairs.
func (s *Subscription) Config(options ...string) deltacloud.Config {
	o := map[string]string{"poll_interval": "1ms", "max_retries": "0"}
	for i := 0; i+1 < len(options); i += 2 {
		o[options[i]] = options[i+1]
	}
	return deltacloud.Config{
		Provider:     SubscriptionID + "/" + ResourceGroup + "/" + Location,
		Credentials:  deltacloud.Credentials{User: TenantID + "/" + ClientID, Password: ClientSecret},
		HTTPClient:   s.HTTPClient(),
		Options:      o,
		PollInterval: time.Millisecond,
	}
}

// HTTPClient returns a client whose every request the subscription serves.
func (s *Subscription) HTTPClient() *http.Client {
	return &http.Client{Transport: roundTripper{s}}
}

type roundTripper struct{ s *Subscription }

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return rt.s.Do(req) }

// AddResourceGroup creates an empty resource group.
func (s *Subscription) AddResourceGroup(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.groups[strings.ToLower(name)] = &group{
		name: name,
		vms:  map[string]*vmRecord{}, nics: map[string]*armnetwork.Interface{},
		ips: map[string]*armnetwork.PublicIPAddress{}, vnets: map[string]*armnetwork.VirtualNetwork{},
		disks: map[string]*armcompute.Disk{}, images: map[string]*armcompute.Image{},
		keys: map[string]*armcompute.SSHPublicKeyResource{}, snaps: map[string]*armcompute.Snapshot{},
		nsgs: map[string]*armnetwork.SecurityGroup{},
	}
}

// Forward makes the subscription's HTTP client send the requests for host
// ("127.0.0.1:port") over the network instead of serving them, so one
// provider reaches both the fake Resource Manager and a real local service
// such as Azurite (StartAzurite). It panics unless host is a loopback
// address with a port: tests must not reach anything else.
func (s *Subscription) Forward(host string) {
	h, _, err := net.SplitHostPort(host)
	ip, perr := netip.ParseAddr(h)
	if err != nil || perr != nil || !ip.IsLoopback() {
		panic("azuretest: Forward(" + host + "): want a loopback address with a port")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.forward == nil {
		s.forward = map[string]bool{}
	}
	s.forward[host] = true
}

// AddPrincipal registers another service principal.
func (s *Subscription) AddPrincipal(tenant, client, secret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.principals[tenant+"/"+client] = secret
}

// SetLatency delays every Resource Manager request by d (cancellable by
// the request's context); lowering it wakes the requests waiting.
func (s *Subscription) SetLatency(d time.Duration) { s.setLatency(&s.latency, d) }

// SetActionLatency delays only VM start, stop, power-off and restart.
func (s *Subscription) SetActionLatency(d time.Duration) { s.setLatency(&s.actionLatency, d) }

// SetAPILatency delays the requests of one SDK operation, e.g.
// "VirtualMachinesClient.BeginCreateOrUpdate".
func (s *Subscription) SetAPILatency(api string, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d < s.apiLatency[api] {
		s.wakeLocked()
	}
	s.apiLatency[api] = d
}

func (s *Subscription) setLatency(p *time.Duration, d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if d < *p {
		s.wakeLocked()
	}
	*p = d
}

// wakeLocked ends the waits of delayed requests, which then go on.
func (s *Subscription) wakeLocked() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// OnRequest runs fn whenever a request of the SDK operation api arrives,
// before latency, faults and the fakes, so a test can act at an exact step
// of a driver call (cancel its context, change the model) instead of
// guessing the step with a wall-clock deadline. A request whose context fn
// ends fails with the context's error without reaching the fakes. A nil fn
// removes the hook.
func (s *Subscription) OnRequest(api string, fn func(*http.Request)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.hooks == nil {
		s.hooks = map[string]func(*http.Request){}
	}
	if fn == nil {
		delete(s.hooks, api)
		return
	}
	s.hooks[api] = fn
}

// SetSettleReads sets how many reads of a VM's instance view show a
// transitional state (deallocating, starting, …) before it settles.
func (s *Subscription) SetSettleReads(n int) { s.mu.Lock(); s.settleReads = max(n, 0); s.mu.Unlock() }

// SetLROSteps sets how many "in progress" polls every long-running
// operation answers before its result.
func (s *Subscription) SetLROSteps(n int) { s.mu.Lock(); s.lroSteps = max(n, 0); s.mu.Unlock() }

// SetCascadeDeletes says whether deleting a VM also deletes the resources
// created with delete option "Delete" (NIC, public IP, OS disk), as Azure
// does; on by default.
func (s *Subscription) SetCascadeDeletes(on bool) { s.mu.Lock(); s.cascade = on; s.mu.Unlock() }

// SetPageSize splits listings into pages of n (0: one page). The SDK fakes
// track a listing by URL, so concurrent listings of one collection need
// single pages.
func (s *Subscription) SetPageSize(n int) { s.mu.Lock(); s.pageSize = max(n, 0); s.mu.Unlock() }

// FailCreate makes the next VM create fail the way allocation failures do:
// the VM resource is made (provisioning state Failed, with its OS disk) and
// the long-running operation ends in the error f.
func (s *Subscription) FailCreate(f Fault) { s.mu.Lock(); s.createFailure = &f; s.mu.Unlock() }

// Fail makes matching requests fail with f before they reach the fakes.
func (s *Subscription) Fail(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Requests returns how many requests each SDK operation made (e.g.
// "VirtualMachinesClient.Get").
func (s *Subscription) Requests() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.requests))
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

// Resources lists the ids of every resource in every resource group, sorted
// (VMs, disks, interfaces, public IPs, virtual networks, images, keys,
// snapshots, network security groups).
func (s *Subscription) Resources() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for _, g := range s.groups {
		for _, v := range g.vms {
			ids = append(ids, *v.vm.ID)
		}
		for _, v := range g.disks {
			ids = append(ids, *v.ID)
		}
		for _, v := range g.nics {
			ids = append(ids, *v.ID)
		}
		for _, v := range g.ips {
			ids = append(ids, *v.ID)
		}
		for _, v := range g.vnets {
			ids = append(ids, *v.ID)
		}
		for _, v := range g.images {
			ids = append(ids, *v.ID)
		}
		for _, v := range g.keys {
			ids = append(ids, *v.ID)
		}
		for _, v := range g.snaps {
			ids = append(ids, *v.ID)
		}
		for _, v := range g.nsgs {
			ids = append(ids, *v.ID)
		}
	}
	slices.Sort(ids)
	return ids
}

// VM returns a copy of a VM as stored (nil if there is none), for tests
// that check what the driver asked for; unlike Azure's answers it keeps the
// custom data.
func (s *Subscription) VM(group, name string) *armcompute.VirtualMachine {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.groups[strings.ToLower(group)]
	if g == nil || g.vms[strings.ToLower(name)] == nil {
		return nil
	}
	v := clone(g.vms[strings.ToLower(name)].vm)
	return &v
}

// Do serves one request: the identity platform's token endpoints, or
// Resource Manager through the SDK's fake server transports.
func (s *Subscription) Do(req *http.Request) (*http.Response, error) {
	if strings.HasPrefix(req.URL.Host, "login.") {
		return s.identity(req)
	}
	s.mu.Lock()
	fwd := s.forward[req.URL.Host]
	s.mu.Unlock()
	if fwd {
		return http.DefaultTransport.RoundTrip(req)
	}
	api, _ := req.Context().Value(runtime.CtxAPINameKey{}).(string)
	s.mu.Lock()
	s.requests[api]++
	ok := s.tokens[strings.TrimPrefix(req.Header.Get("Authorization"), "Bearer ")]
	delay := s.latency
	if isAction(api) {
		delay = max(delay, s.actionLatency)
	}
	delay = max(delay, s.apiLatency[api])
	wake := s.wake
	hook := s.hooks[api]
	s.mu.Unlock()
	if hook != nil {
		hook(req)
		if err := req.Context().Err(); err != nil {
			return nil, err
		}
	}
	if !ok {
		return armError(req, http.StatusUnauthorized, "InvalidAuthenticationToken", "The access token is invalid.", 0), nil
	}
	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-req.Context().Done():
			t.Stop()
			return nil, req.Context().Err()
		case <-wake:
			t.Stop()
		case <-t.C:
		}
	}
	if f := s.fault(api); f != nil {
		return armError(req, f.Status, f.Code, f.Message, f.RetryAfter), nil
	}
	return s.serve(req)
}

// serve hands req to the SDK's fake server transports, one request at a
// time. The fakes never see the request's cancellation: their Do runs the
// handler in a goroutine and, when the context ends first, closes the
// result channel the handler still sends on (a data race and "send on
// closed channel" panic upstream). So a request, once here, is served to
// the end, as Azure would go on with a request whose client went away, and
// the caller gets its context's error if that ended meanwhile.
func (s *Subscription) serve(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	inner := req.WithContext(context.WithoutCancel(ctx))
	s.serial.Lock()
	var resp *http.Response
	var err error
	if strings.Contains(strings.ToLower(req.URL.Path), "/providers/microsoft.network/") {
		resp, err = s.network.Do(inner)
	} else {
		resp, err = s.compute.Do(inner)
	}
	s.serial.Unlock()
	if cerr := ctx.Err(); cerr != nil {
		if resp != nil {
			resp.Body.Close()
		}
		return nil, cerr
	}
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// isAction reports whether api is a VM power action.
func isAction(api string) bool {
	switch api {
	case "VirtualMachinesClient.BeginStart", "VirtualMachinesClient.BeginDeallocate",
		"VirtualMachinesClient.BeginPowerOff", "VirtualMachinesClient.BeginRestart":
		return true
	}
	return false
}

// fault takes one use of the first fault matching api.
func (s *Subscription) fault(api string) *Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if f.API == "" || f.API == api {
			f.Times--
			if f.Times <= 0 {
				s.faults = slices.Delete(s.faults, i, i+1)
			}
			return f
		}
	}
	return nil
}

// armError builds a Resource Manager error response.
func armError(req *http.Request, status int, code, msg string, retryAfter time.Duration) *http.Response {
	if msg == "" {
		msg = "Fake error " + code + "."
	}
	body, _ := json.Marshal(map[string]any{"error": map[string]string{"code": code, "message": msg}})
	h := http.Header{"Content-Type": {"application/json"}, "X-Ms-Error-Code": {code}}
	if retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	return &http.Response{
		StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: io.NopCloser(strings.NewReader(string(body))), ContentLength: int64(len(body)),
		Request: req,
	}
}

// identity serves the identity platform (Entra ID): instance and tenant
// discovery and the client-credentials token endpoint.
func (s *Subscription) identity(req *http.Request) (*http.Response, error) {
	path := strings.Trim(req.URL.Path, "/")
	tenant, _, _ := strings.Cut(path, "/")
	base := "https://" + req.URL.Host + "/" + tenant
	switch {
	case strings.HasSuffix(path, "/discovery/instance"):
		ep := req.URL.Query().Get("authorization_endpoint")
		t := tenant
		if u, err := url.Parse(ep); err == nil {
			t, _, _ = strings.Cut(strings.Trim(u.Path, "/"), "/")
		}
		return jsonResponse(req, http.StatusOK, map[string]any{
			"tenant_discovery_endpoint": "https://" + req.URL.Host + "/" + t + "/v2.0/.well-known/openid-configuration",
			"api-version":               "1.1",
			"metadata": []map[string]any{{
				"preferred_network": req.URL.Host, "preferred_cache": req.URL.Host,
				"aliases": []string{req.URL.Host},
			}},
		}), nil
	case strings.HasSuffix(path, "/.well-known/openid-configuration"):
		return jsonResponse(req, http.StatusOK, map[string]any{
			"token_endpoint":         base + "/oauth2/v2.0/token",
			"authorization_endpoint": base + "/oauth2/v2.0/authorize",
			"issuer":                 "https://" + req.URL.Host + "/" + tenant + "/v2.0",
		}), nil
	case strings.HasSuffix(path, "/oauth2/v2.0/token") && req.Method == http.MethodPost:
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		form, _ := url.ParseQuery(string(b))
		client, secret := form.Get("client_id"), form.Get("client_secret")
		s.mu.Lock()
		want, known := s.principals[tenant+"/"+client]
		s.mu.Unlock()
		if !known || secret != want {
			return jsonResponse(req, http.StatusUnauthorized, map[string]any{
				"error":             "invalid_client",
				"error_description": "AADSTS7000215: Invalid client secret provided.",
				"error_codes":       []int{7000215},
			}), nil
		}
		token := fmt.Sprintf("fake-token-%s-%d", client, s.nextID.Add(1))
		s.mu.Lock()
		s.tokens[token] = true
		s.mu.Unlock()
		return jsonResponse(req, http.StatusOK, map[string]any{
			"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599, "access_token": token,
		}), nil
	}
	return jsonResponse(req, http.StatusNotFound, map[string]any{"error": "not_found"}), nil
}

func jsonResponse(req *http.Request, status int, v any) *http.Response {
	body, _ := json.Marshal(v)
	return &http.Response{
		StatusCode: status, Status: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:   io.NopCloser(strings.NewReader(string(body))), ContentLength: int64(len(body)), Request: req,
	}
}

// clone deep-copies an SDK model through its JSON form, so responses never
// share memory with the model.
func clone[T any](v *T) T {
	var out T
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		var zero T
		return zero
	}
	return out
}
