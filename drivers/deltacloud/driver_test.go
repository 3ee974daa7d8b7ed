package deltacloud

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// startAPI serves the api handler over the mock on a fresh storage
// directory and returns the base URL and a direct provider on the same
// cloud.
func startAPI(t *testing.T) (string, *deltacloud.Provider) {
	t.Helper()
	dir := t.TempDir()
	h := api.NewHandler(api.Options{DriverOptions: map[string]map[string]string{"mock": {"storage": dir}}})
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); h.Close() })
	direct, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{Credentials: mockCreds,
		Options: map[string]string{"storage": dir}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { direct.Close() })
	return srv.URL + "/api", direct
}

func openConn(t *testing.T, base string) *conn {
	t.Helper()
	c, err := driver{}.Open(t.Context(), deltacloud.Config{Provider: base, Credentials: mockCreds})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*conn)
}

// TestActWithStaleLinks acts with links kept from a listing after the
// instance changed behind the driver's back.
func TestActWithStaleLinks(t *testing.T) {
	ctx := t.Context()
	base, direct := startAPI(t)
	c := openConn(t, base)
	if _, err := c.Instances(ctx, deltacloud.InstanceFilter{}); err != nil {
		t.Fatal(err)
	}
	// inst0 is stopped elsewhere: the kept stop link now answers 405.
	if _, err := direct.Stop(ctx, "inst0"); err != nil {
		t.Fatal(err)
	}
	_, err := c.Act(ctx, "inst0", deltacloud.ActionStop)
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.InvalidState || e.State != deltacloud.StateStopped || e.ID != "inst0" {
		t.Errorf("stop of a stopped instance = %#v, want InvalidState carrying STOPPED", err)
	}
	// inst1 is destroyed elsewhere: the server answers the kept link with
	// 403, which is NotFound for an instance that is gone.
	if _, err := direct.Stop(ctx, "inst1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Instance(ctx, "inst1"); err != nil {
		t.Fatal(err)
	}
	if err := direct.Destroy(ctx, "inst1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Act(ctx, "inst1", deltacloud.ActionStart); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("start of a destroyed instance = %v, want ErrNotFound", err)
	}
	// Without a kept link the driver reads the instance first: an action it
	// does not offer is InvalidState without a request for the action.
	_, err = c.Act(ctx, "inst2", deltacloud.ActionStart)
	if !errors.As(err, &e) || e.Code != deltacloud.InvalidState || e.State != deltacloud.StateRunning {
		t.Errorf("start of a running instance = %#v, want InvalidState carrying RUNNING", err)
	}
	for _, id := range []string{"nope", "a/b", "x;driver=ec2", "q?id=inst0", "..", "%2F", "ü"} {
		if _, err := c.Instance(ctx, id); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Instance(%q) = %v, want ErrNotFound", id, err)
		}
		if _, err := c.Image(ctx, id); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Image(%q) = %v, want ErrNotFound", id, err)
		}
	}
	if _, err := c.Act(ctx, "nope", deltacloud.ActionStop); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("stop of an unknown instance = %v, want ErrNotFound", err)
	}
	if _, err := c.Act(ctx, "", deltacloud.ActionStop); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("stop of an empty id = %v, want ErrInvalidArgument", err)
	}
}

// TestCreateParameters checks the form a create sends.
func TestCreateParameters(t *testing.T) {
	var mu sync.Mutex
	var got url.Values
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api":
			w.Write([]byte(`<api driver='ec2' version='1.1.3'><link href='/api/instances' rel='instances'/>` +
				`<link href='/api/hardware_profiles' rel='hardware_profiles'/></api>`))
		case r.URL.Path == "/api/hardware_profiles":
			w.Write([]byte(`<hardware_profiles><hardware_profile id='big'><property kind='range' name='memory' unit='MB' value='1'>` +
				`<param href='/api/instances' method='post' name='mem_override' operation='create'/><range first='1' last='9'/>` +
				`</property></hardware_profile></hardware_profiles>`))
		case r.Method == http.MethodPost:
			r.ParseForm()
			mu.Lock()
			got = r.PostForm
			mu.Unlock()
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`<instances><instance id='i-1' href='/api/instances/i-1'><state>PENDING</state></instance>` +
				`<instance id='i-2'><state>PENDING</state></instance></instances>`))
		}
	}))
	defer srv.Close()
	c := openConn(t, srv.URL+"/api")
	if _, err := c.HardwareProfiles(t.Context()); err != nil {
		t.Fatal(err)
	}
	ins, err := c.CreateInstances(t.Context(), deltacloud.InstanceSpec{
		ImageID: "ami-1", RealmID: "us-east-1a", ProfileID: "big", Properties: map[string]string{"memory": "4", "cpu": "2"},
		Name: "n", KeyName: "k", Password: "p", UserData: []byte("hello\x00world"), Firewalls: []string{"web", "ssh"},
		Count: 2, Metrics: true, Snapshot: &deltacloud.SnapshotAttachment{SnapshotID: "snap-1", Device: "/dev/sdb"},
		Options: map[string]string{"subnet_id": "subnet-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := url.Values{
		"image_id": {"ami-1"}, "realm_id": {"us-east-1a"}, "hwp_id": {"big"}, "mem_override": {"4"}, "hwp_cpu": {"2"},
		"name": {"n"}, "keyname": {"k"}, "password": {"p"}, "user_data": {"aGVsbG8Ad29ybGQ="},
		"firewalls1": {"web"}, "firewalls2": {"ssh"}, "instance_count": {"2"}, "metrics": {"true"},
		"snapshot_id": {"snap-1"}, "device_name": {"/dev/sdb"}, "subnet_id": {"subnet-1"},
	}
	mu.Lock()
	defer mu.Unlock()
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("create form (-want +got):\n%s", d)
	}
	if len(ins) != 2 || ins[0].ID != "i-1" || ins[1].State != deltacloud.StatePending {
		t.Errorf("created %+v, want i-1 and i-2 PENDING", ins)
	}
	for _, k := range []string{"image_id", "hwp_memory", "firewalls3", "name"} {
		_, err := c.CreateInstances(t.Context(), deltacloud.InstanceSpec{ImageID: "x", Options: map[string]string{k: "v"}})
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("option %q = %v, want ErrInvalidArgument", k, err)
		}
	}
}

// TestOpenOptions checks the base URL forms, options, headers and
// credentials Open accepts, and what it refuses.
func TestOpenOptions(t *testing.T) {
	var mu sync.Mutex
	var seen []http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Header.Clone())
		mu.Unlock()
		if r.URL.Path != "/api" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`<?xml version="1.0"?><api driver='ec2' provider='eu-west-1' version='1.1.3'>` +
			`<link href='http://elsewhere.example:3001/api/realms' rel='realms'>` +
			`<feature name='user_name' rel='create'><param name='name'/></feature></link>` +
			`<link href='http://elsewhere.example:3001/api/instances' rel='instances'>` +
			`<feature name='user_name' rel='create'><param name='name'/><constraint name='max_length'>20</constraint></feature>` +
			`<feature name='no_such_feature' rel='create'><param name='x'/></feature></link></api>`))
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{
		Provider: "http://u%40x:p%3Aw@" + host + "/api;driver=ec2;provider=us-west-1",
		Options:  map[string]string{"provider": "eu-west-1"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	mu.Lock()
	h := seen[len(seen)-1]
	mu.Unlock()
	if h.Get("X-Deltacloud-Driver") != "ec2" || h.Get("X-Deltacloud-Provider") != "eu-west-1" ||
		h.Get("Accept") != "application/xml" {
		t.Errorf("headers %v, want driver ec2 (matrix), provider eu-west-1 (option wins), Accept XML", h)
	}
	r := &http.Request{Header: h}
	if u, pw, ok := r.BasicAuth(); !ok || u != "u@x" || pw != "p:w" {
		t.Errorf("Basic auth %q %q %v, want the URL's user information", u, pw, ok)
	}
	var info Info
	p.As(&info)
	if info.URL != srv.URL+"/api" || info.Provider != "eu-west-1" {
		t.Errorf("Info %+v: URL must have neither credentials nor matrix parameters", info)
	}
	want := deltacloud.MustFeatures(deltacloud.FeatureUserName).WithConstraint(deltacloud.FeatureUserName, "max_length", "20")
	if d := cmp.Diff(want, p.Features()); d != "" {
		t.Errorf("Features (-want +got); only the standard feature under its own collection:\n%s", d)
	}
	var client *http.Client
	if !p.As(&client) || client == nil {
		t.Error("As(**http.Client) = false")
	}
	// The realms link names another host; the request still goes to the
	// server the provider was opened on.
	if _, err := p.Realms(t.Context()); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Realms = %v, want the test server's 404", err)
	}

	for name, cfg := range map[string]deltacloud.Config{
		"empty provider":     {},
		"not a URL":          {Provider: "localhost:3001/api"},
		"ftp":                {Provider: "ftp://" + host + "/api"},
		"unknown option":     {Provider: srv.URL + "/api", Options: map[string]string{"colour": "red"}},
		"bad retries":        {Provider: srv.URL + "/api", Options: map[string]string{"retries": "many"}},
		"too many retries":   {Provider: srv.URL + "/api", Options: map[string]string{"retries": "11"}},
		"not an entry point": {Provider: srv.URL + "/other"},
	} {
		_, err := deltacloud.Open(t.Context(), "deltacloud", cfg)
		want := deltacloud.ErrInvalidArgument
		if name == "not an entry point" {
			want = deltacloud.ErrNotFound
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: Open = %v, want %v", name, err, want)
		}
		if err != nil && strings.Contains(err.Error(), "p:w") {
			t.Errorf("%s: the error shows a password: %v", name, err)
		}
	}
	// A server that answers something else than an entry point.
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("<html><body>Deltacloud frontends</body></html>"))
	}))
	defer html.Close()
	if _, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{Provider: html.URL}); !errors.Is(err, deltacloud.ErrBackend) ||
		!strings.Contains(err.Error(), "not a Deltacloud API entry point") {
		t.Errorf("Open on an HTML page = %v, want ErrBackend saying it is no entry point", err)
	}
}

func TestResolve(t *testing.T) {
	base, _ := url.Parse("https://cloud.example:8443/deltacloud/api")
	c := &conn{base: base}
	for href, want := range map[string]string{
		"https://cloud.example:8443/deltacloud/api/instances/i%2F1/stop": "https://cloud.example:8443/deltacloud/api/instances/i%2F1/stop",
		"http://10.0.0.5:3001/api/instances;image_id=img1":               "https://cloud.example:8443/api/instances;image_id=img1",
		"http://evil.example/steal?x=1#frag":                             "https://cloud.example:8443/steal?x=1",
		"/deltacloud/api/realms":                                         "https://cloud.example:8443/deltacloud/api/realms",
		"  https://user:pw@cloud.example:8443/deltacloud/api  ":          "https://cloud.example:8443/deltacloud/api",
	} {
		u, err := c.resolve(href)
		if err != nil || u.String() != want {
			t.Errorf("resolve(%q) = %v, %v; want %s", href, u, err, want)
		}
	}
	for _, bad := range []string{"mailto:x@y", "http://[::1", "%zz"} {
		if _, err := c.resolve(bad); !errors.Is(err, deltacloud.ErrBackend) {
			t.Errorf("resolve(%q) = %v, want ErrBackend", bad, err)
		}
	}
}

func TestLinkMethod(t *testing.T) {
	for _, tt := range []struct {
		method string
		a      deltacloud.Action
		want   string
	}{
		{"post", "stop", "POST"}, {" DELETE ", "destroy", "DELETE"}, {"", "destroy", "DELETE"}, {"", "reboot", "POST"}, {"put", "x", "PUT"},
	} {
		m, err := linkMethod(wireLink(tt.method), tt.a)
		if err != nil || m != tt.want {
			t.Errorf("linkMethod(%q, %s) = %q, %v; want %s", tt.method, tt.a, m, err, tt.want)
		}
	}
	if _, err := linkMethod(wireLink("get"), "stop"); !errors.Is(err, deltacloud.ErrBackend) {
		t.Errorf("linkMethod(get) = %v, want ErrBackend", err)
	}
}

// TestConcurrentUse shares one remote provider between goroutines that
// list, read, create, act and read the model at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	base, _ := startAPI(t)
	p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{Provider: base, Credentials: mockCreds, PollInterval: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := t.Context()
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				var err error
				switch g % 4 {
				case 0:
					_, err = p.Instances(ctx, deltacloud.InstanceFilter{})
				case 1:
					_, err = p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
					p.Features()
					p.Lifecycle().Actions(deltacloud.StateRunning)
				case 2:
					var in *deltacloud.Instance
					in, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large",
						Properties: map[string]string{"cpu": "2"}})
					if err == nil {
						if _, err = p.Stop(ctx, in.ID); err == nil {
							err = p.Destroy(ctx, in.ID)
						}
					}
				case 3:
					_, err = p.Instance(ctx, "inst0")
					if err == nil {
						_, err = p.Reboot(ctx, "inst0")
					}
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func wireLink(method string) wire.Link { return wire.Link{Method: method} }
