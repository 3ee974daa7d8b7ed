package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// tuMockCloud opens the mock cloud of the server's storage directory, which
// the handler's providers share, for fault injection. It stays open until
// the test ends, so the handler joins the same cloud.
func tuMockCloud(tb testing.TB, opts map[string]map[string]string) *mock.Cloud {
	tb.Helper()
	p, err := deltacloud.Open(context.Background(), "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password},
		Options:     opts["mock"]})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { p.Close() })
	var c *mock.Cloud
	if !p.As(&c) {
		tb.Fatal("the mock provider hands out no *mock.Cloud")
	}
	return c
}

// TestStatusCodes reaches every status code the original answers with the
// mock, plus the 429 and 503 of our error codes, and checks each answer's
// headers and body.
func TestStatusCodes(t *testing.T) {
	post := func(path string, form url.Values) tuReq {
		return tuReq{Method: http.MethodPost, Path: path, Creds: tuMockUser, Form: form}
	}
	get := func(path string) tuReq { return tuReq{Path: path, Creds: tuMockUser} }
	stopInst3 := post("/api/instances/inst3/stop", nil)
	// errorDoc checks that the answer is the XML error document of the
	// status with a message containing msg.
	errorDoc := func(msg string) func(*testing.T, *tuServer, tuResp) {
		return func(t *testing.T, s *tuServer, r tuResp) {
			t.Helper()
			d := tuDecodeError(t, r)
			if d.Status != r.Status || d.Code != r.Status {
				t.Errorf("error document status %d code %d, want %d", d.Status, d.Code, r.Status)
			}
			if !strings.Contains(d.Message, msg) {
				t.Errorf("message %q, want it to contain %q", d.Message, msg)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/xml" {
				t.Errorf("Content-Type %q, want application/xml", ct)
			}
		}
	}
	plain := func(expect, body string) func(*testing.T, *tuServer, tuResp) {
		return func(t *testing.T, s *tuServer, r tuResp) {
			t.Helper()
			if got := r.Header.Get("Expect"); got != expect {
				t.Errorf("Expect %q, want %q", got, expect)
			}
			if string(r.Body) != body || r.Header.Get("Content-Type") != "text/plain" {
				t.Errorf("body %q (%s), want %q (text/plain)", r.Body, r.Header.Get("Content-Type"), body)
			}
		}
	}
	empty := func(t *testing.T, s *tuServer, r tuResp) {
		t.Helper()
		if len(r.Body) != 0 {
			t.Errorf("body %q, want none", r.Body)
		}
	}
	// challenge checks the WWW-Authenticate header: present exactly when
	// no credentials were sent.
	challenge := func(want bool) func(*testing.T, *tuServer, tuResp) {
		return func(t *testing.T, s *tuServer, r tuResp) {
			t.Helper()
			errorDoc("Unauthorized")(t, s, r)
			got := r.Header.Values("WWW-Authenticate")
			switch {
			case want && (len(got) != 1 || got[0] != `Basic realm="mock-deltacloud@testhost"`):
				t.Errorf("WWW-Authenticate %q, want the mock's challenge", got)
			case !want && len(got) != 0:
				t.Errorf("WWW-Authenticate %q with credentials sent", got)
			}
		}
	}
	// fault injects err into the next call of op.
	fault := func(op mock.Op, err error) func(*testing.T, *mock.Cloud) {
		return func(t *testing.T, c *mock.Cloud) { c.FailNext(op, 1, err) }
	}

	tests := []struct {
		name   string
		setup  []tuReq
		inject func(*testing.T, *mock.Cloud)
		req    tuReq
		status int
		check  func(*testing.T, *tuServer, tuResp)
	}{
		{name: "200 index", req: get("/api/realms"), status: 200},
		{name: "200 show", req: get("/api/realms/eu"), status: 200},
		// Filtering by an unknown id is an empty list, not 404.
		{name: "200 index filtered to nothing", req: get("/api/instances?id=nope&format=xml"), status: 200,
			check: func(t *testing.T, s *tuServer, r tuResp) {
				if doc := tuParseXML(t, r.Body); doc.Name != "instances" || len(doc.Children) != 0 {
					t.Errorf("want an empty <instances>:\n%s", r.Body)
				}
			}},
		{name: "201 create with Location", req: post("/api/instances?format=json", url.Values{"image_id": {"img1"}, "hwp_id": {"m1-large"}, "hwp_cpu": {"2"}}),
			status: 201, check: func(t *testing.T, s *tuServer, r tuResp) {
				var v struct{ Instance struct{ ID, Href string } }
				if err := json.Unmarshal(r.Body, &v); err != nil || v.Instance.ID != "inst4" {
					t.Fatalf("created %q (%v), want inst4\n%s", v.Instance.ID, err, r.Body)
				}
				if loc := r.Header.Get("Location"); loc != s.URL+"/api/instances/inst4" || loc != v.Instance.Href {
					t.Errorf("Location %q, want %s/api/instances/inst4, the instance's href", loc, s.URL)
				}
			}},
		{name: "202 reboot, JSON unwrapped", req: post("/api/instances/inst0/reboot?format=json", nil), status: 202,
			check: actionJSON("inst0", "RUNNING")},
		{name: "202 stop", req: post("/api/instances/inst0/stop?format=json", nil), status: 202,
			check: actionJSON("inst0", "STOPPED")},
		{name: "202 start", setup: []tuReq{stopInst3}, req: post("/api/instances/inst3/start?format=json", nil), status: 202,
			check: actionJSON("inst3", "RUNNING")},
		{name: "204 destroy", setup: []tuReq{stopInst3}, req: tuReq{Method: http.MethodDelete, Path: "/api/instances/inst3", Creds: tuMockUser},
			status: 204, check: empty},
		{name: "301 driver switch", req: tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"driver": {"Mock"}}},
			status: 301, check: location("/api;driver=mock")},
		{name: "301 provider switch", req: tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"provider": {"us-west-1"}}},
			status: 301, check: location("/api;provider=us-west-1")},
		{name: "301 driver and provider", req: tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"driver": {"mock"}, "provider": {"eu-west-1"}}},
			status: 301, check: location("/api;driver=mock;provider=eu-west-1")},
		{name: "301 provider keeps the Referer's driver",
			req: tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"provider": {"us-west-1"}},
				Header: map[string]string{"Referer": "http://127.0.0.1:3001/api;driver=ec2/instances"}},
			status: 301, check: location("/api;driver=ec2;provider=us-west-1")},
		{name: "301 Referer's driver is lower-cased",
			req: tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"provider": {"us-west-1"}},
				Header: map[string]string{"Referer": "http://127.0.0.1:3001/api;driver=EC2"}},
			status: 301, check: location("/api;driver=ec2;provider=us-west-1")},
		{name: "301 Referer's driver before a query",
			req: tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"provider": {"us-west-1"}},
				Header: map[string]string{"Referer": "http://127.0.0.1:3001/api;driver=ec2?format=html"}},
			status: 301, check: location("/api;driver=ec2;provider=us-west-1")},
		{name: "301 provider default", req: tuReq{Method: http.MethodPost, Path: "/api", Form: url.Values{"provider": {"default"}}},
			status: 301, check: location("/api")},
		{name: "301 nothing chosen", req: tuReq{Method: http.MethodPost, Path: "/api"}, status: 301, check: location("/api")},
		{name: "400 missing parameter", req: post("/api/instances", nil), status: 400,
			check: plain("", "Required parameter 'image_id' not found in []")},
		{name: "400 hardware property out of range", req: post("/api/instances", url.Values{"image_id": {"img1"}, "hwp_id": {"m1-large"}, "hwp_cpu": {"99"}}),
			status: 400, check: errorDoc("allowed: 1 to 6")},
		{name: "400 unknown hardware profile", req: post("/api/instances", url.Values{"image_id": {"img1"}, "hwp_id": {"m9-huge"}}),
			status: 400, check: errorDoc("m9-huge")},
		{name: "400 user_data not base64", req: post("/api/instances", url.Values{"image_id": {"img1"}, "user_data": {"not base64!"}}),
			status: 400, check: errorDoc("user_data is not valid base64")},
		{name: "401 index without credentials", req: tuReq{Path: "/api/instances"}, status: 401, check: challenge(true)},
		{name: "401 show without credentials", req: tuReq{Path: "/api/images/img1"}, status: 401, check: challenge(true)},
		{name: "401 create without credentials", req: tuReq{Method: http.MethodPost, Path: "/api/instances", Form: url.Values{"image_id": {"img1"}}},
			status: 401, check: challenge(true)},
		{name: "401 index with wrong credentials", req: tuReq{Path: "/api/instances", Creds: tuBadPass}, status: 401, check: challenge(false)},
		{name: "401 action with wrong credentials", req: tuReq{Method: http.MethodPost, Path: "/api/instances/inst0/stop", Creds: tuBadPass},
			status: 401, check: func(t *testing.T, s *tuServer, r tuResp) {
				if got := r.Header.Values("WWW-Authenticate"); len(got) != 0 {
					t.Errorf("WWW-Authenticate %q with credentials sent", got)
				}
			}},
		{name: "401 force_auth with wrong credentials", req: tuReq{Path: "/api?force_auth=1", Creds: tuBadPass}, status: 401,
			check: func(t *testing.T, s *tuServer, r tuResp) {
				if string(r.Body) != "Authentication failed" || r.Header.Get("WWW-Authenticate") != "" {
					t.Errorf("body %q WWW-Authenticate %q, want plain Authentication failed without a challenge", r.Body, r.Header.Get("WWW-Authenticate"))
				}
			}},
		{name: "401 force_auth without credentials", req: tuReq{Path: "/api?force_auth=1"}, status: 401, check: challenge(true)},
		{name: "200 force_auth with credentials", req: get("/api?force_auth=1"), status: 200},
		{name: "403 action on an unknown instance", req: post("/api/instances/nope/reboot", nil), status: 403, check: errorDoc("Forbidden")},
		{name: "403 destroy of an unknown instance", req: tuReq{Method: http.MethodDelete, Path: "/api/instances/nope", Creds: tuMockUser},
			status: 403, check: errorDoc("Forbidden")},
		{name: "404 unknown realm", req: get("/api/realms/nope"), status: 404, check: errorDoc("Not Found")},
		{name: "404 unknown image", req: get("/api/images/nope"), status: 404, check: errorDoc("Not Found")},
		{name: "404 unknown instance", req: get("/api/instances/nope"), status: 404, check: errorDoc("Not Found")},
		{name: "404 unknown hardware profile", req: get("/api/hardware_profiles/nope"), status: 404, check: errorDoc("Not Found")},
		{name: "404 unknown driver", req: get("/api/drivers/nope"), status: 404, check: errorDoc("Not Found")},
		{name: "404 unknown collection", req: get("/api/nope"), status: 404, check: errorDoc("Not Found")},
		{name: "404 unknown action", req: post("/api/instances/inst0/explode", nil), status: 404, check: errorDoc("Not Found")},
		{name: "404 outside the API", req: get("/nope"), status: 404},
		{name: "405 destroy of a running instance", req: tuReq{Method: http.MethodDelete, Path: "/api/instances/inst0", Creds: tuMockUser},
			status: 405, check: errorDoc("")},
		{name: "405 start of a running instance", req: post("/api/instances/inst0/start", nil), status: 405, check: errorDoc("")},
		{name: "405 suspend where the lifecycle has none", req: post("/api/instances/inst0/suspend", nil), status: 405, check: errorDoc("")},
		{name: "403 resume of an unknown instance", req: post("/api/instances/nope/resume", nil), status: 403, check: errorDoc("")},
		{name: "405 method of no operation", req: tuReq{Method: http.MethodPut, Path: "/api/realms", Creds: tuMockUser}, status: 405,
			check: func(t *testing.T, s *tuServer, r tuResp) {
				errorDoc("Method Not Allowed")(t, s, r)
				if a := r.Header.Get("Allow"); a != "GET" {
					t.Errorf("Allow %q, want GET", a)
				}
			}},
		{name: "406 unacceptable", req: tuReq{Path: "/api/realms", Accept: "application/unknown", Creds: tuMockUser}, status: 406, check: empty},
		{name: "412 firewalls", req: get("/api/firewalls"), status: 412,
			check: plain("firewalls", "The required capability to execute this operation is missing")},
		// The scoped test driver has none of the optional collections and
		// cannot create or destroy images.
		{name: "412 keys", req: get("/api;driver=" + tuScopedDriver + "/keys"), status: 412,
			check: plain("keys", "The required capability to execute this operation is missing")},
		{name: "412 before 401", req: tuReq{Path: "/api;driver=" + tuScopedDriver + "/keys/k1"}, status: 412,
			check: plain("key", "The required capability to execute this operation is missing")},
		{name: "412 before 400", req: tuReq{Method: http.MethodPost, Path: "/api;driver=" + tuScopedDriver + "/storage_volumes/v/attach"}, status: 412,
			check: plain("attach_storage_volume", "The required capability to execute this operation is missing")},
		{name: "412 blob content", req: get("/api;driver=" + tuScopedDriver + "/buckets/b/x/content"), status: 412,
			check: plain("blob_data", "The required capability to execute this operation is missing")},
		{name: "412 load balancers", req: get("/api/load_balancers"), status: 412,
			check: plain("load_balancers", "The required capability to execute this operation is missing")},
		{name: "412 create image", req: post("/api;driver="+tuScopedDriver+"/images", url.Values{"instance_id": {"inst0"}}), status: 412,
			check: plain("create_image", "The required capability to execute this operation is missing")},
		{name: "412 destroy image", req: tuReq{Method: http.MethodDelete, Path: "/api;driver=" + tuScopedDriver + "/images/img1", Creds: tuMockUser}, status: 412,
			check: plain("destroy_image", "The required capability to execute this operation is missing")},
		{name: "412 image form", req: get("/api;driver=" + tuScopedDriver + "/images/new?instance_id=inst0&format=html"), status: 412,
			check: plain("create_image", "The required capability to execute this operation is missing")},
		// The capability check comes before the required cmd.
		{name: "412 run", req: post("/api/instances/inst0/run", nil), status: 412,
			check: plain("run_on_instance", "The required capability to execute this operation is missing")},
		{name: "500 unknown driver", req: get("/api;driver=nope/realms"), status: 500,
			check: func(t *testing.T, s *tuServer, r tuResp) {
				errorDoc("Driver 'nope' is not available")(t, s, r)
				if d := r.Header.Get("X-Deltacloud-Driver"); d != "nope" {
					t.Errorf("X-Deltacloud-Driver %q, want nope", d)
				}
			}},
		{name: "501 feature the mock lacks", req: post("/api/instances", url.Values{"image_id": {"img1"}, "firewalls": {"x"}}), status: 501,
			check: errorDoc("firewalls")},
		{name: "501 instance_count", req: post("/api/instances", url.Values{"image_id": {"img1"}, "instance_count": {"2"}}), status: 501,
			check: errorDoc("instance_count")},
		{name: "502 backend", inject: fault(mock.OpRealms, deltacloud.ErrBackend), req: get("/api/realms"), status: 502, check: errorDoc("")},
		{name: "503 unavailable", inject: fault(mock.OpRealms, deltacloud.ErrUnavailable), req: get("/api/realms"), status: 503, check: errorDoc("")},
		{name: "504 timeout", inject: fault(mock.OpInstance, deltacloud.ErrTimeout), req: get("/api/instances/inst0"), status: 504, check: errorDoc("")},
		{name: "429 rate limited", inject: fault(mock.OpRealms, &deltacloud.Error{Code: deltacloud.RateLimited, RetryAfter: 2500 * time.Millisecond}),
			req: get("/api/realms"), status: 429, check: func(t *testing.T, s *tuServer, r tuResp) {
				errorDoc("")(t, s, r)
				if ra := r.Header.Get("Retry-After"); ra != "3" {
					t.Errorf("Retry-After %q, want 3 (2.5s rounded up)", ra)
				}
			}},
		{name: "HEAD collection", req: tuReq{Method: http.MethodHead, Path: "/api/realms", Creds: tuMockUser}, status: 200, check: empty},
		{name: "HEAD member", req: tuReq{Method: http.MethodHead, Path: "/api/instances/inst0", Creds: tuMockUser}, status: 200, check: empty},
		{name: "HEAD entry point", req: tuReq{Method: http.MethodHead, Path: "/api"}, status: 200, check: empty},
		{name: "OPTIONS collection", req: tuReq{Method: http.MethodOptions, Path: "/api/instances"}, status: 200,
			check: allow("OPTIONS,GET,POST,DELETE")},
		{name: "OPTIONS operation", req: tuReq{Method: http.MethodOptions, Path: "/api/instances/reboot"}, status: 200,
			check: allow("id:string:required")},
		{name: "OPTIONS entry point", req: tuReq{Method: http.MethodOptions, Path: "/api"}, status: 200,
			check: allow("drivers,realms,hardware_profiles,images,instances,instance_states,keys,firewalls,addresses," +
				"storage_volumes,storage_snapshots,buckets,load_balancers,metrics")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tuMockOptions(t)
			opts.Hostname = "testhost"
			s := tuStart(t, opts)
			if tt.inject != nil {
				tt.inject(t, tuMockCloud(t, opts.DriverOptions))
			}
			for _, step := range tt.setup {
				s.must2xx(t, step)
			}
			r := s.do(t, tt.req)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.Status, tt.status, r)
			}
			if r.Header.Get("Server") != "Apache-Deltacloud/1.1.3" {
				t.Errorf("Server %q", r.Header.Get("Server"))
			}
			if tt.check != nil {
				tt.check(t, s, r)
			}
		})
	}
}

// actionJSON checks an action's JSON answer: the bare instance, not
// {"instance":…}.
func actionJSON(id string, state deltacloud.State) func(*testing.T, *tuServer, tuResp) {
	return func(t *testing.T, s *tuServer, r tuResp) {
		t.Helper()
		var v map[string]any
		if err := json.Unmarshal(r.Body, &v); err != nil {
			t.Fatal(err)
		}
		if v["id"] != id || v["state"] != string(state) || v["instance"] != nil {
			t.Errorf("id %v state %v, want an unwrapped %s in %s:\n%s", v["id"], v["state"], id, state, r.Body)
		}
	}
}

// location checks a redirect's target, relative to the server.
func location(path string) func(*testing.T, *tuServer, tuResp) {
	return func(t *testing.T, s *tuServer, r tuResp) {
		t.Helper()
		if got := r.Header.Get("Location"); got != s.URL+path {
			t.Errorf("Location %q, want %q", got, s.URL+path)
		}
	}
}

// allow checks an OPTIONS answer's Allow header.
func allow(want string) func(*testing.T, *tuServer, tuResp) {
	return func(t *testing.T, s *tuServer, r tuResp) {
		t.Helper()
		if got := r.Header.Get("Allow"); got != want {
			t.Errorf("Allow %q, want %q", got, want)
		}
	}
}

// TestPanicIsInternalServerError makes a driver panic inside a request: the
// answer is the 500 error document, and the server goes on serving, the
// panicking driver included.
func TestPanicIsInternalServerError(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	boom := tuReq{Path: "/api/realms", Creds: tuMockUser, Header: map[string]string{"X-Deltacloud-Driver": tuPanicDriver}}
	for i := range 3 {
		r := s.do(t, boom)
		if r.Status != http.StatusInternalServerError {
			t.Fatalf("request %d: status %d, want 500\n%s", i, r.Status, r)
		}
		d := tuDecodeError(t, r)
		if d.Status != 500 || d.Message != "Internal Server Error" || d.Backend.Driver != tuPanicDriver {
			t.Errorf("error document %+v", d)
		}
		if strings.Contains(string(r.Body), "apitest: Realms panics") {
			t.Error("the panic's value reaches the client")
		}
		// The same provider serves what does not panic.
		ok := s.do(t, tuReq{Path: "/api/hardware_profiles", Creds: tuMockUser, Header: map[string]string{"X-Deltacloud-Driver": tuPanicDriver}})
		if ok.Status != 200 {
			t.Errorf("hardware profiles after a panic: status %d", ok.Status)
		}
		if r := s.do(t, tuReq{Path: "/api/realms", Creds: tuMockUser}); r.Status != 200 {
			t.Errorf("mock realms after a panic: status %d", r.Status)
		}
	}
}
