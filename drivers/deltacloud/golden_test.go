package deltacloud

// Tests against a "fake 1.1.3 server": an httptest server replaying raw
// responses of the original Apache Deltacloud 1.1.3 (internal/golden/original), with
// their single-quoted attributes, XML declarations, whitespace and
// absolute links to http://127.0.0.1:3001.

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	recorded "github.com/deltacloud-go/deltacloud/internal/golden"
)

// golden is one recorded response.
type golden struct {
	status int
	header http.Header
	body   []byte
}

// readGolden reads the original server's recorded response name.
func readGolden(tb testing.TB, name string) golden {
	tb.Helper()
	g, err := recorded.Original(name)
	if err != nil {
		tb.Fatal(err)
	}
	return golden{status: g.Status, header: g.Header, body: g.Body}
}

// replay writes a recorded response, with status if not 0 instead of the
// recorded one.
func replay(tb testing.TB, w http.ResponseWriter, name string, status int) {
	g := readGolden(tb, name)
	for k, vs := range g.header {
		switch k {
		case "Content-Length", "Date", "Connection":
			continue
		}
		w.Header()[k] = vs
	}
	if status == 0 {
		status = g.status
	}
	w.WriteHeader(status)
	w.Write(g.body)
}

// fake113 replays the original server's answers to the requests the driver
// makes, with a little state for the life of inst3 (created, stopped,
// destroyed), and records what it was asked.
type fake113 struct {
	tb testing.TB

	mu       sync.Mutex
	state    string // of inst3: "", "created", "stopped", "destroyed"
	requests []string
	form     url.Values // of the last create
	problems []string   // requests that were not as a client should send them
}

func (f *fake113) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, r.Method+" "+r.URL.Path)
	if a := r.Header.Get("Accept"); a != "application/xml" {
		f.problems = append(f.problems, r.Method+" "+r.URL.Path+": Accept "+a)
	}
	user, pass, hasAuth := r.BasicAuth()
	goodAuth := hasAuth && user == "mockuser" && pass == "mockpassword"
	var name string
	var status int
	switch r.Method + " " + r.URL.Path {
	case "GET /api":
		name = "api_root_accept_xml"
	case "GET /api/instance_states":
		name = "instance_states_xml"
	case "GET /api/realms":
		name = "realms_xml"
	case "GET /api/hardware_profiles":
		name = "hardware_profiles_xml"
	case "GET /api/hardware_profiles/m1-large":
		name = "hardware_profile_m1_large_xml"
	case "GET /api/images":
		name = "images_xml"
	case "GET /api/firewalls":
		name = "firewalls_412_xml"
	case "GET /api/instances":
		switch {
		case !hasAuth:
			name = "instances_noauth_401"
		case !goodAuth:
			name = "instances_badauth_401"
		default:
			name = "instances_xml"
		}
	case "GET /api/instances/inst0":
		name = "instance_inst0_xml"
	case "POST /api/instances":
		r.ParseForm()
		f.form = r.PostForm
		switch {
		case !goodAuth:
			name = "instances_badauth_401"
		case r.PostForm.Get("image_id") == "":
			name = "create_instance_noimage_400_xml"
		default:
			name, f.state = "create_instance_xml", "created"
		}
	case "GET /api/instances/inst3":
		switch f.state {
		case "created":
			name = "create_instance_xml_show"
		case "stopped":
			name, status = "stop_instance_xml", http.StatusOK
		default:
			name = "destroy_instance_again_404_xml"
		}
	case "POST /api/instances/inst3/stop":
		name, f.state = "stop_instance_xml", "stopped"
	case "DELETE /api/instances/inst3":
		if f.state == "stopped" {
			name, f.state = "destroy_instance_xml", "destroyed"
		} else {
			name = "destroy_instance_again_404_xml"
		}
	default:
		name = "instance_nope_404_xml"
	}
	replay(f.tb, w, name, status)
}

func startFake113(tb testing.TB) (*fake113, string) {
	f := &fake113{tb: tb}
	srv := httptest.NewServer(f)
	tb.Cleanup(srv.Close)
	return f, srv.URL + "/api"
}

func open113(tb testing.TB, base string, creds deltacloud.Credentials) *deltacloud.Provider {
	tb.Helper()
	p, err := deltacloud.Open(tb.Context(), "deltacloud", deltacloud.Config{Provider: base, Credentials: creds, PollInterval: time.Millisecond})
	if err != nil {
		tb.Fatalf("Open: %v", err)
	}
	tb.Cleanup(func() { p.Close() })
	return p
}

var mockCreds = deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}

// TestOriginal113 reads every collection of the original server and
// drives an instance through its life.
func TestOriginal113(t *testing.T) {
	ctx := t.Context()
	fake, base := startFake113(t)
	p := open113(t, base, mockCreds)

	var info Info
	p.As(&info)
	wantColls := []deltacloud.Collection{"addresses", "buckets", "drivers", "hardware_profiles", "images", "instance_states",
		"instances", "keys", "metrics", "realms", "storage_snapshots", "storage_volumes"}
	if d := cmp.Diff(Info{URL: base, Driver: "mock", Version: "1.1.3", Collections: wantColls}, info); d != "" {
		t.Errorf("Info (-want +got):\n%s", d)
	}
	wantFeatures := deltacloud.MustFeatures(deltacloud.FeatureMetrics, deltacloud.FeatureRealmFilter,
		deltacloud.FeatureUserName, deltacloud.FeatureAuthenticationKey)
	if d := cmp.Diff(wantFeatures, p.Features()); d != "" {
		t.Errorf("Features (-want +got):\n%s", d)
	}
	wantMachine := deltacloud.MustStateMachine(
		deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StatePending),
		deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopped),
		deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
		deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
	)
	if d := cmp.Diff(wantMachine.Transitions(), p.Lifecycle().Transitions()); d != "" {
		t.Errorf("Lifecycle (-want +got):\n%s", d)
	}

	rs, err := p.Realms(ctx)
	wantRealms := []deltacloud.Realm{{ID: "us", Name: "United States", State: "AVAILABLE"}, {ID: "eu", Name: "Europe", State: "AVAILABLE"}}
	if err != nil || !cmp.Equal(wantRealms, rs) {
		t.Errorf("Realms = %+v, %v; want %+v", rs, err, wantRealms)
	}

	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatalf("HardwareProfiles: %v", err)
	}
	wantProfiles := []deltacloud.HardwareProfile{
		{ID: "m1-small", Name: "m1-small", Properties: []deltacloud.Property{
			deltacloud.FixedProperty("cpu", "count", "1"), deltacloud.FixedProperty("memory", "MB", "1740.8"),
			deltacloud.FixedProperty("storage", "GB", "160"), deltacloud.FixedProperty("architecture", "label", "i386")}},
		{ID: "m1-large", Name: "m1-large", Properties: []deltacloud.Property{
			deltacloud.RangeProperty("cpu", "count", "1", "6", "1"), deltacloud.RangeProperty("memory", "MB", "7680", "15360", "10240"),
			deltacloud.EnumProperty("storage", "GB", "850", "850", "1024"), deltacloud.FixedProperty("architecture", "label", "x86_64")}},
		{ID: "m1-xlarge", Name: "m1-xlarge", Properties: []deltacloud.Property{
			deltacloud.FixedProperty("cpu", "count", "4"), deltacloud.RangeProperty("memory", "MB", "12288", "32768", "12288"),
			deltacloud.EnumProperty("storage", "GB", "1024", "1024", "2048", "4096"), deltacloud.FixedProperty("architecture", "label", "x86_64")}},
		{ID: "opaque", Name: "opaque"},
	}
	if d := cmp.Diff(wantProfiles, hs); d != "" {
		t.Errorf("HardwareProfiles (-want +got):\n%s", d)
	}

	imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
	if err != nil || len(imgs) != 3 {
		t.Fatalf("Images = %d images, %v", len(imgs), err)
	}
	wantImg := deltacloud.Image{ID: "img3", Name: "img3", Description: "JBoss", Owner: "mockuser", Architecture: "i386",
		State: "AVAILABLE", CreationTime: time.Date(2012, 10, 25, 12, 27, 53, 0, time.UTC),
		HardwareProfiles: []string{"m1-small", "m1-large", "m1-xlarge", "opaque"}, RootType: "transient"}
	if d := cmp.Diff(wantImg, imgs[2]); d != "" {
		t.Errorf("image img3 (-want +got):\n%s", d)
	}

	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(ins) != 2 {
		t.Fatalf("Instances = %d instances, %v", len(ins), err)
	}
	wantInst0 := deltacloud.Instance{ID: "inst0", Name: "Mock Instance With Profile Change", Owner: "mockuser",
		ImageID: "img1", RealmID: "us", State: deltacloud.StateRunning,
		Profile:          deltacloud.InstanceProfile{ID: "m1-large", Overrides: map[string]string{"memory": "12288"}},
		Actions:          []deltacloud.Action{"reboot", "stop"},
		PublicAddresses:  []deltacloud.Address{{Value: "img1.inst0.public.com", Type: "hostname"}},
		PrivateAddresses: []deltacloud.Address{{Value: "img1.inst0.private.com", Type: "hostname"}},
		Authentication:   &deltacloud.Authentication{Method: "key"}, CanCreateImage: true}
	if d := cmp.Diff(wantInst0, ins[0]); d != "" {
		t.Errorf("inst0 from the listing (-want +got):\n%s", d)
	}
	in0, err := p.Instance(ctx, "inst0")
	if err != nil {
		t.Fatalf("Instance(inst0): %v", err)
	}
	if d := cmp.Diff(wantInst0, *in0); d != "" {
		t.Errorf("Instance(inst0) (-want +got):\n%s", d)
	}
	if _, err := p.Instance(ctx, "nope"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Instance(nope) = %v, want ErrNotFound", err)
	}

	created, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large",
		Properties: map[string]string{"memory": "12288", "storage": "1024"}, Name: "x", KeyName: "k"})
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	wantForm := url.Values{"image_id": {"img1"}, "hwp_id": {"m1-large"}, "hwp_memory": {"12288"}, "hwp_storage": {"1024"},
		"name": {"x"}, "keyname": {"k"}}
	if d := cmp.Diff(wantForm, fake.form); d != "" {
		t.Errorf("create parameters (-want +got):\n%s", d)
	}
	if created.ID != "inst3" || created.State != deltacloud.StateRunning || !cmp.Equal(created.Actions, []deltacloud.Action{"reboot", "stop"}) {
		t.Errorf("created %+v, want inst3 RUNNING allowing reboot and stop", created)
	}
	stopped, err := p.Stop(ctx, "inst3")
	if err != nil || stopped.State != deltacloud.StateStopped || !cmp.Equal(stopped.Actions, []deltacloud.Action{"start", "destroy"}) {
		t.Fatalf("Stop = %+v, %v; want STOPPED allowing start and destroy", stopped, err)
	}
	if err := p.Destroy(ctx, "inst3"); err != nil {
		t.Fatalf("Destroy: %v", err)
	}
	if _, err := p.Instance(ctx, "inst3"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Instance(inst3) after Destroy = %v, want ErrNotFound", err)
	}
	if _, err := p.WaitFor(ctx, "inst3", deltacloud.StateFinish); err != nil {
		t.Errorf("WaitFor FINISH: %v", err)
	}

	fake.mu.Lock()
	defer fake.mu.Unlock()
	if len(fake.problems) > 0 {
		t.Errorf("requests not as a client should send them: %q", fake.problems)
	}
	// Every request went to the fake server although every link names
	// 127.0.0.1:3001; the lifecycle took these, in this order.
	wantTail := []string{"POST /api/instances", "GET /api/instances/inst3", "POST /api/instances/inst3/stop",
		"GET /api/instances/inst3", "DELETE /api/instances/inst3", "GET /api/instances/inst3", "GET /api/instances/inst3"}
	if got := fake.requests[len(fake.requests)-len(wantTail):]; !cmp.Equal(wantTail, got) {
		t.Errorf("requests of the lifecycle = %q, want %q", got, wantTail)
	}
}

// TestOriginal113Errors checks the original's error answers: XML error
// documents, the 401 of bad or missing credentials, the plain-text 400 of
// a missing parameter, and a 404 through Act.
func TestOriginal113Errors(t *testing.T) {
	ctx := t.Context()
	_, base := startFake113(t)
	for name, creds := range map[string]deltacloud.Credentials{
		"bad password":   {User: "mockuser", Password: "nope"},
		"no credentials": {},
	} {
		p := open113(t, base, creds)
		_, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		var e *deltacloud.Error
		if !errors.As(err, &e) || e.Code != deltacloud.AuthFailure || e.Message != "Unauthorized" {
			t.Errorf("%s: Instances = %v, want AuthFailure with the server's message Unauthorized", name, err)
		}
	}

	c, err := driver{}.Open(ctx, deltacloud.Config{Provider: base, Credentials: mockCreds})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// The Provider refuses a spec without an image; the conn sends it, and
	// the original answers in plain text.
	_, err = c.CreateInstances(ctx, deltacloud.InstanceSpec{})
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.InvalidArgument || e.Message != "Required parameter 'image_id' not found in []" {
		t.Errorf("create without image = %#v, want InvalidArgument with the server's text", err)
	}
	var re *ResponseError
	if !errors.As(err, &re) || re.StatusCode != 400 || re.Method != "POST" || re.URL != base+"/instances" {
		t.Errorf("create without image: ResponseError = %+v, want POST %s/instances 400", re, base)
	}
	if _, err := c.Act(ctx, "inst3", deltacloud.ActionDestroy); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Act(destroy) on a gone instance = %v, want ErrNotFound", err)
	}
}

// TestErrorDocuments decodes the original's error answers directly.
func TestErrorDocuments(t *testing.T) {
	tests := []struct {
		golden  string
		code    deltacloud.Code
		message string
		expect  string
	}{
		{"instance_nope_404_xml", deltacloud.NotFound, "Not Found", ""},
		{"instance_nope_404_json", deltacloud.NotFound, "Not Found", ""},
		{"destroy_instance_again_404_xml", deltacloud.NotFound, "Not Found", ""},
		{"instances_badauth_401", deltacloud.AuthFailure, "Unauthorized", ""},
		{"instances_noauth_401", deltacloud.AuthFailure, "Unauthorized", ""},
		{"create_instance_noimage_400_xml", deltacloud.InvalidArgument, "Required parameter 'image_id' not found in []", ""},
		{"firewalls_412_xml", deltacloud.NotSupported, "The required capability to execute this operation is missing", "firewalls"},
		{"firewalls_412_json", deltacloud.NotSupported, "The required capability to execute this operation is missing", "firewalls"},
	}
	for _, tt := range tests {
		g := readGolden(t, tt.golden)
		e := responseError("GET", "http://x/api", g.status, g.header, g.body)
		var re *ResponseError
		if e.Code != tt.code || e.Message != tt.message || !errors.As(e, &re) || re.Expect != tt.expect || re.StatusCode != g.status {
			t.Errorf("%s: %#v (%v), want code %v, message %q, Expect %q", tt.golden, e, e.Err, tt.code, tt.message, tt.expect)
		}
	}
}
