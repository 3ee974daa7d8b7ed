package api_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/deltacloud-go/deltacloud/api"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// multipartBody encodes fields as multipart/form-data.
func multipartBody(tb testing.TB, fields map[string]string) (io.Reader, string) {
	tb.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for k, v := range fields {
		if err := w.WriteField(k, v); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return &b, w.FormDataContentType()
}

// TestCreateParameters checks where create parameters come from:
// the query string (the Ruby client's empty-body POST), an urlencoded or a
// multipart form, the form winning over the query.
func TestCreateParameters(t *testing.T) {
	mp, mpType := multipartBody(t, map[string]string{"image_id": "img3", "name": "from-multipart"})
	mpOver, mpOverType := multipartBody(t, map[string]string{"name": "multipart-wins"})
	tests := []struct {
		name      string
		req       tuReq
		wantName  string
		wantImage string
	}{
		{name: "query only, empty body",
			req:      tuReq{Path: "/api/instances?format=xml&image_id=img2&name=from-query"},
			wantName: "from-query", wantImage: "img2"},
		{name: "urlencoded form",
			req:      tuReq{Path: "/api/instances?format=xml", Form: url.Values{"image_id": {"img1"}, "name": {"from-form"}}},
			wantName: "from-form", wantImage: "img1"},
		{name: "form wins over query",
			req: tuReq{Path: "/api/instances?format=xml&image_id=img2&name=from-query",
				Form: url.Values{"name": {"form-wins"}}},
			wantName: "form-wins", wantImage: "img2"},
		{name: "multipart form",
			req:      tuReq{Path: "/api/instances?format=xml", Body: mp, ContentType: mpType},
			wantName: "from-multipart", wantImage: "img3"},
		{name: "multipart wins over query",
			req:      tuReq{Path: "/api/instances?format=xml&image_id=img1&name=from-query", Body: mpOver, ContentType: mpOverType},
			wantName: "multipart-wins", wantImage: "img1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tuStart(t, tuMockOptions(t))
			tt.req.Method, tt.req.Creds = http.MethodPost, tuMockUser
			r := s.do(t, tt.req)
			if r.Status != http.StatusCreated {
				t.Fatalf("status %d, want 201\n%s", r.Status, r)
			}
			doc := tuParseXML(t, r.Body)
			if got := doc.Child("name").Text; got != tt.wantName {
				t.Errorf("name %q, want %q", got, tt.wantName)
			}
			if got := doc.Child("image").Attrs["id"]; got != tt.wantImage {
				t.Errorf("image %q, want %q", got, tt.wantImage)
			}
		})
	}
}

// TestMethodOverride checks _method=delete in a POST form (the original's
// HTML UI's destroy buttons).
func TestMethodOverride(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	s.must2xx(t, tuReq{Method: http.MethodPost, Path: "/api/instances/inst3/stop", Creds: tuMockUser})

	// Without the override, POST on a member path is not allowed…
	r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/instances/inst3", Creds: tuMockUser, Form: url.Values{"x": {"y"}}})
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET,DELETE" {
		t.Fatalf("POST without _method: %d Allow %q, want 405 GET,DELETE\n%s", r.Status, r.Header.Get("Allow"), r)
	}
	// …and in a GET it is no override.
	s.must2xx(t, tuReq{Path: "/api/instances/inst3?_method=delete", Creds: tuMockUser})

	for _, v := range []string{"delete", "DELETE"} {
		r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/instances/inst3", Creds: tuMockUser, Form: url.Values{"_method": {v}}})
		if v == "delete" && r.Status != http.StatusNoContent {
			t.Fatalf("_method=%s: status %d, want 204\n%s", v, r.Status, r)
		}
		// The instance is gone now: an action on it is 403.
		if v == "DELETE" && r.Status != http.StatusForbidden {
			t.Fatalf("_method=%s on a destroyed instance: status %d, want 403\n%s", v, r.Status, r)
		}
	}
	if r := s.do(t, tuReq{Path: "/api/instances/inst3", Creds: tuMockUser}); r.Status != http.StatusNotFound {
		t.Errorf("destroyed instance: status %d, want 404", r.Status)
	}
}

// TestMissingRequiredParameter checks the plain-text 400 of a missing
// required parameter: it lists the parameters sent, comes before
// authentication, and is text/plain, so parameter names it
// quotes are never HTML.
func TestMissingRequiredParameter(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	tests := []struct {
		name string
		req  tuReq
		want string
	}{
		{name: "nothing sent", req: tuReq{Creds: tuMockUser},
			want: "Required parameter 'image_id' not found in []"},
		{name: "form and query parameters, sorted", req: tuReq{Path: "?format=xml", Creds: tuMockUser,
			Form: url.Values{"realm_id": {"us"}, "name": {"x"}}},
			want: "Required parameter 'image_id' not found in [format, name, realm_id]"},
		{name: "no credentials: still 400", req: tuReq{Form: url.Values{"name": {"x"}}},
			want: "Required parameter 'image_id' not found in [name]"},
		{name: "markup in a parameter name stays text", req: tuReq{Creds: tuMockUser, Form: url.Values{"<script>alert(1)</script>": {"x"}}},
			want: "Required parameter 'image_id' not found in [<script>alert(1)</script>]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Method, tt.req.Path = http.MethodPost, "/api/instances"+tt.req.Path
			r := s.do(t, tt.req)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", r.Status, r)
			}
			if got := string(r.Body); got != tt.want {
				t.Errorf("body %q, want %q", got, tt.want)
			}
			if ct, nosniff := r.Header.Get("Content-Type"), r.Header.Get("X-Content-Type-Options"); ct != "text/plain" || nosniff != "nosniff" {
				t.Errorf("Content-Type %q X-Content-Type-Options %q, want text/plain nosniff", ct, nosniff)
			}
			if r.Header.Get("WWW-Authenticate") != "" {
				t.Error("a 400 challenges for credentials")
			}
		})
	}
}

// countingBody counts the bytes read from it.
type countingBody struct {
	r io.ReadCloser
	n *atomic.Int64
}

func (c countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

func (c countingBody) Close() error { return c.r.Close() }

// TestBodyCap checks Options.MaxBodyBytes: a larger body is refused with
// 400 after reading at most the cap (plus the byte that shows it is
// larger), not the whole body; a body within the cap is served.
func TestBodyCap(t *testing.T) {
	const limit = 1024
	opts := tuMockOptions(t)
	opts.MaxBodyBytes = limit
	h := api.NewHandler(opts)
	t.Cleanup(func() { h.Close() })
	var read atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = countingBody{r.Body, &read}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s := &tuServer{Server: srv, H: h, client: srv.Client()}

	big := strings.Repeat("x", 64<<10)
	mpBig, mpBigType := multipartBody(t, map[string]string{"image_id": "img1", "name": big})
	fits := url.Values{"image_id": {"img1"}, "name": {"fits"}, "pad": {strings.Repeat("p", limit-40)}}
	if len(fits.Encode()) > limit {
		t.Fatalf("the fitting body is %d bytes", len(fits.Encode()))
	}
	tests := []struct {
		name   string
		req    tuReq
		status int
	}{
		{name: "urlencoded over the cap", req: tuReq{Form: url.Values{"image_id": {"img1"}, "name": {big}}}, status: http.StatusBadRequest},
		{name: "multipart over the cap", req: tuReq{Body: mpBig, ContentType: mpBigType}, status: http.StatusBadRequest},
		{name: "within the cap", req: tuReq{Form: fits}, status: http.StatusCreated},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			read.Store(0)
			tt.req.Method, tt.req.Path, tt.req.Creds = http.MethodPost, "/api/instances?format=xml", tuMockUser
			r := s.do(t, tt.req)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.Status, tt.status, r)
			}
			if n := read.Load(); n > limit+1 {
				t.Errorf("handler read %d bytes of the body, more than the cap of %d", n, limit)
			}
			if tt.status == http.StatusBadRequest {
				d := tuDecodeError(t, r)
				if d.Status != 400 || !strings.Contains(d.Message, "1024") {
					t.Errorf("error document: status %d message %q, want 400 naming the cap", d.Status, d.Message)
				}
			}
		})
	}
}

// FuzzParams posts arbitrary query strings and form bodies to POST
// /api/instances of an in-memory mock: the handler never panics (a panic
// would be a 500) and never fails on the server's side. 501 is allowed: it
// is the answer to a feature parameter the mock lacks (instance_count,
// firewalls, password, …; NotSupported).
func FuzzParams(f *testing.F) {
	for _, seed := range [][2]string{
		{"", "image_id=img1"},
		{"format=json", "image_id=img1&name=x&hwp_id=m1-large&hwp_cpu=2&hwp_memory=8192&hwp_storage=1024"},
		{"image_id=img2", "name=form&realm_id=eu&keyname=k&metrics=1"},
		{"", "image_id=img1&user_data=aGVsbG8%3D"},
		{"", "image_id=img1&user_data=%%%"},
		{"", "image_id=img1&instance_count=2"},
		{"", "image_id=img1&firewalls1=a&firewalls2=b&firewalls=c"},
		{"", "image_id=img1&initial_state=STOPPED"},
		{"", "image_id=img1&hwp_id=opaque&hwp_cpu=-1"},
		{"", "image_id=nope&realm_id=nope&hwp_id=nope"},
		{"", "_method=delete"},
		{"format=gv", "image_id=img1"},
		{"a;b", "%zz"},
		{"", "image_id=img1&snapshot_id=s&device_name=/dev/sdb&subnet_id=x&password=p"},
	} {
		f.Add(seed[0], seed[1])
	}
	h := api.NewHandler(api.Options{Logger: tuQuiet, CacheSize: -1})
	f.Cleanup(func() { h.Close() })
	f.Fuzz(func(t *testing.T, query, body string) {
		req := httptest.NewRequest(http.MethodPost, "/api/instances", strings.NewReader(body))
		req.URL.RawQuery = query
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(mock.User, mock.Password)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 && rec.Code != http.StatusNotImplemented {
			t.Fatalf("query %q body %q: status %d\n%s", query, body, rec.Code, rec.Body)
		}
	})
}
