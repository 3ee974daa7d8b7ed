package vsphere_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vslm"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

// templateVM is the simulator VM the tests turn into a template.
const templateVM = "DC0_H0_VM0"

// sim is an in-process vCenter (govmomi's simulator, VPX model) serving
// HTTPS on 127.0.0.1, with one template.
type sim struct {
	model    *simulator.Model
	server   *simulator.Server
	url      string // without user information
	user     string
	password string
	template string // the template's managed object id
	// client is a raw govmomi client of the simulator, for checks made
	// behind the driver's back.
	client *vim25.Client
	// wire carries the driver's requests of configs made with
	// configWire, and can stall them.
	wire *wire
}

// newSim starts a simulator; configure, if not nil, changes the model
// before it is created.
func newSim(t testing.TB, configure func(*simulator.Model)) *sim {
	t.Helper()
	m := simulator.VPX()
	if configure != nil {
		configure(m)
	}
	if err := m.Create(); err != nil {
		t.Fatal(err)
	}
	m.Service.TLS = new(tls.Config)
	// The simulator accepts any login unless told its own.
	m.Service.Listen = &url.URL{User: url.UserPassword("vcuser", "vc-Secret-pa55")}
	srv := m.Service.NewServer()
	t.Cleanup(func() { srv.Close(); m.Remove() })
	u := *srv.URL
	pw, _ := u.User.Password()
	s := &sim{model: m, server: srv, user: u.User.Username(), password: pw}
	u.User = nil
	s.url = u.String()
	s.wire = &wire{rt: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	ctx := context.Background()
	sc := soap.NewClient(&u, true)
	vc, err := vim25.NewClient(ctx, sc)
	if err != nil {
		t.Fatal(err)
	}
	if err := session.NewManager(vc).Login(ctx, url.UserPassword(s.user, s.password)); err != nil {
		t.Fatal(err)
	}
	s.client = vc
	vm, err := find.NewFinder(vc).VirtualMachine(ctx, templateVM)
	if err != nil {
		t.Fatal(err)
	}
	task, err := vm.PowerOff(ctx)
	if err == nil {
		err = task.Wait(ctx)
	}
	if err == nil {
		err = vm.MarkAsTemplate(ctx)
	}
	if err != nil {
		t.Fatal(err)
	}
	s.template = vm.Reference().Value
	return s
}

// config is a provider configuration with the simulator's credentials.
func (s *sim) config(options ...string) deltacloud.Config {
	cfg := deltacloud.Config{
		Provider:    s.url,
		Credentials: deltacloud.Credentials{User: s.user, Password: s.password},
		Options:     map[string]string{"insecure": "true"},
	}
	for i := 0; i+1 < len(options); i += 2 {
		cfg.Options[options[i]] = options[i+1]
	}
	return cfg
}

// configWire is config with requests going through s.wire.
func (s *sim) configWire(options ...string) deltacloud.Config {
	cfg := s.config(options...)
	cfg.HTTPClient = &http.Client{Transport: s.wire}
	return cfg
}

// open opens a provider closed when the test ends.
func (s *sim) open(t testing.TB, cfg deltacloud.Config) *deltacloud.Provider {
	t.Helper()
	p, err := deltacloud.Open(t.Context(), "vsphere", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// vms lists the names of every VM and template of the simulator, read
// with the raw client.
func (s *sim) vms(t testing.TB) []string {
	t.Helper()
	ctx := context.Background()
	vms, err := find.NewFinder(s.client).VirtualMachineList(ctx, "*")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, vm := range vms {
		names = append(names, vm.Name())
	}
	return names
}

// vm reads a VM's properties with the raw client.
func (s *sim) vm(t testing.TB, id string, props ...string) mo.VirtualMachine {
	t.Helper()
	var vm mo.VirtualMachine
	ref := object.NewVirtualMachine(s.client, vimRef("VirtualMachine", id)).Reference()
	if err := object.NewCommon(s.client, ref).Properties(context.Background(), ref, props, &vm); err != nil {
		t.Fatal(err)
	}
	return vm
}

// wire is an http.RoundTripper that can stall the SOAP calls of chosen
// methods: a stalled call is never sent (before) or its answer is dropped
// (after) and it returns only when its context ends.
type wire struct {
	rt      http.RoundTripper
	mu      sync.Mutex
	before  *regexp.Regexp
	after   *regexp.Regexp
	left    int    // calls still to stall; negative: all
	onStall func() // called when a call is stalled (after: once its answer is dropped)
}

// deadlineAtStall returns a context of parent that ends with
// context.DeadlineExceeded when the wire stalls a call — a call stalled
// after being sent, once its answer was dropped — as a deadline coming
// just then would. The call that loses its answer is then always the
// stalled one, however long the calls before it took; a fixed timeout
// could end an earlier one on a loaded machine. stop removes the hook.
func (w *wire) deadlineAtStall(parent context.Context) (ctx context.Context, stop func()) {
	c := &expiring{Context: parent, done: make(chan struct{})}
	stopParent := context.AfterFunc(parent, func() { c.end(parent.Err()) })
	w.mu.Lock()
	w.onStall = func() { c.end(context.DeadlineExceeded) }
	w.mu.Unlock()
	return c, func() {
		stopParent()
		w.mu.Lock()
		w.onStall = nil
		w.mu.Unlock()
	}
}

// expiring is a context that ends when end is called (or its parent ends),
// with end's error; Deadline and Value are its parent's.
type expiring struct {
	context.Context
	done chan struct{}
	once sync.Once
	err  error // set before done is closed
}

func (c *expiring) Done() <-chan struct{} { return c.done }

func (c *expiring) Err() error {
	select {
	case <-c.done:
		return c.err
	default:
		return nil
	}
}

func (c *expiring) end(err error) { c.once.Do(func() { c.err = err; close(c.done) }) }

// stall stalls the calls whose method matches before (not sent) or after
// (sent, answer lost); nil matches nothing.
func (w *wire) stall(before, after *regexp.Regexp) { w.stallN(before, after, -1) }

// stallN stalls only the next n matching calls.
func (w *wire) stallN(before, after *regexp.Regexp, n int) {
	w.mu.Lock()
	w.before, w.after, w.left = before, after, n
	w.mu.Unlock()
}

// take reports whether a call of method is to be stalled, and how, with
// the hook to call once it is.
func (w *wire) take(method string) (before, after bool, onStall func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.left == 0 {
		return false, false, nil
	}
	before = w.before != nil && w.before.MatchString(method)
	after = w.after != nil && w.after.MatchString(method)
	if (before || after) && w.left > 0 {
		w.left--
	}
	onStall = w.onStall
	if onStall == nil {
		onStall = func() {}
	}
	return before, after, onStall
}

var methodRE = regexp.MustCompile(`<(?:[a-zA-Z0-9]+:)?Body[^>]*>\s*<(?:[a-zA-Z0-9]+:)?([A-Za-z_]+)`)

// RoundTrip forwards a request, unless its method is stalled.
func (w *wire) RoundTrip(r *http.Request) (*http.Response, error) {
	w.mu.Lock()
	before, after := w.before, w.after
	w.mu.Unlock()
	if (before != nil || after != nil) && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		method := ""
		if m := methodRE.FindSubmatch(body); m != nil {
			method = string(m[1])
		}
		stallBefore, stallAfter, onStall := w.take(method)
		if stallBefore {
			onStall()
			<-r.Context().Done()
			return nil, r.Context().Err()
		}
		if stallAfter {
			resp, err := w.rt.RoundTrip(r)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
			onStall()
			<-r.Context().Done()
			return nil, r.Context().Err()
		}
	}
	return w.rt.RoundTrip(r)
}

// disks lists the first class disks of every datastore, read with the raw
// client, as "name (id)".
func (s *sim) disks(t testing.TB) []string {
	t.Helper()
	ctx := context.Background()
	dss, err := find.NewFinder(s.client).DatastoreList(ctx, "*")
	if err != nil {
		t.Fatal(err)
	}
	m := vslm.NewObjectManager(s.client)
	var out []string
	for _, ds := range dss {
		ids, err := m.List(ctx, ds)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			obj, err := m.Retrieve(ctx, ds, id.Id)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, obj.Config.Name+" ("+id.Id+")")
		}
	}
	return out
}

// ref is the managed object id of the simulator's VM of that name.
func (s *sim) ref(t testing.TB, name string) string {
	t.Helper()
	vm, err := find.NewFinder(s.client).VirtualMachine(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return vm.Reference().Value
}

// instance creates an instance from the template.
func (s *sim) instance(t testing.TB, p *deltacloud.Provider) *deltacloud.Instance {
	t.Helper()
	in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: s.template})
	if err != nil {
		t.Fatal(err)
	}
	return in
}
