package api_test

// Tests of the browsable HTML interface: every page renders with its key
// content, the forms post what the handler reads, html/template escapes
// whatever clients and clouds send, error pages, and the /api/docs pages
// generated from the route table. Package-level names start with "ht" so
// they cannot clash with other test files of the package.

import (
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
)

// htServer is an httptest server over a mock-driver handler with its own
// mock state.
type htServer struct {
	*httptest.Server
	B string // {B}
}

func htStart(t *testing.T) *htServer {
	t.Helper()
	h := api.NewHandler(api.Options{DriverOptions: map[string]map[string]string{"mock": {"storage": t.TempDir()}}})
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	return &htServer{Server: srv, B: srv.URL + "/api"}
}

// htResp is a response with its body read.
type htResp struct {
	Status int
	Header http.Header
	Body   string
}

// htReq describes a request; Creds defaults to the mock's credentials
// unless NoAuth; Accept defaults to what a browser sends.
type htReq struct {
	Method string
	Path   string // after {B}, e.g. "/instances"
	Form   url.Values
	Accept string
	NoAuth bool
	User   string
	Pass   string
}

const htBrowserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

// do sends r without following redirects.
func (s *htServer) do(t *testing.T, r htReq) htResp {
	t.Helper()
	method := r.Method
	if method == "" {
		method = http.MethodGet
		if r.Form != nil {
			method = http.MethodPost
		}
	}
	var body io.Reader
	if r.Form != nil {
		body = strings.NewReader(r.Form.Encode())
	}
	req, err := http.NewRequest(method, s.B+r.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	if r.Form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	accept := r.Accept
	if accept == "" {
		accept = htBrowserAccept
	}
	req.Header.Set("Accept", accept)
	switch {
	case r.User != "":
		req.SetBasicAuth(r.User, r.Pass)
	case !r.NoAuth:
		req.SetBasicAuth("mockuser", "mockpassword")
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return htResp{Status: resp.StatusCode, Header: resp.Header, Body: string(b)}
}

// page GETs an HTML page and checks that it is one: 200 (or want),
// Content-Type exactly text/html, a complete document.
func (s *htServer) page(t *testing.T, path string, want int) string {
	t.Helper()
	r := s.do(t, htReq{Path: path})
	if r.Status != want {
		t.Fatalf("GET %s: status %d, want %d\n%s", path, r.Status, want, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); ct != "text/html" {
		t.Fatalf("GET %s: Content-Type %q, want exactly text/html", path, ct)
	}
	if !strings.HasPrefix(r.Body, "<!DOCTYPE html>") || !strings.HasSuffix(r.Body, "</html>") {
		t.Fatalf("GET %s: not a complete HTML document:\n%s", path, r.Body)
	}
	return r.Body
}

// htElement is a start tag with its attributes (unescaped) and, for
// elements with content, the text up to the matching end tag.
type htElement struct {
	Attrs map[string]string
	Inner string
}

var htAttr = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?`)

// htFind returns the elements named tag whose attributes include every
// key=value pair of match (a value "*" matches any value). Inner is the
// content up to the first end tag of the same name, which suits the
// non-nested elements the pages use (select, form, button, a, td).
func htFind(body, tag string, match ...string) []htElement {
	re := regexp.MustCompile(`(?s)<` + tag + `\b([^>]*)>`)
	var out []htElement
	for _, m := range re.FindAllStringSubmatchIndex(body, -1) {
		attrs := map[string]string{}
		for _, a := range htAttr.FindAllStringSubmatch(body[m[2]:m[3]], -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		ok := true
		for i := 0; i+1 < len(match); i += 2 {
			v, has := attrs[match[i]]
			if !has || (match[i+1] != "*" && v != match[i+1]) {
				ok = false
			}
		}
		if !ok {
			continue
		}
		inner := body[m[1]:]
		if end := strings.Index(inner, "</"+tag+">"); end >= 0 {
			inner = inner[:end]
		}
		out = append(out, htElement{Attrs: attrs, Inner: inner})
	}
	return out
}

// htOne is htFind for exactly one element.
func htOne(t *testing.T, body, tag string, match ...string) htElement {
	t.Helper()
	es := htFind(body, tag, match...)
	if len(es) != 1 {
		t.Fatalf("want one <%s %v>, found %d", tag, match, len(es))
	}
	return es[0]
}

// htText is the text of markup: tags removed, entities decoded, spaces
// collapsed.
func htText(s string) string {
	s = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(s, " ")
	s = strings.Join(strings.Fields(html.UnescapeString(s)), " ")
	return strings.ReplaceAll(s, " ,", ",")
}

// htOptions are the option values of a select.
func htOptions(sel htElement) []string {
	var vs []string
	for _, o := range htFind(sel.Inner, "option") {
		vs = append(vs, o.Attrs["value"])
	}
	return vs
}

// htActions are the instance action forms of a page: action URL → the
// button's label and whether it carries _method=delete.
type htAction struct {
	Label  string
	Delete bool
}

func htActions(body string) map[string]htAction {
	out := map[string]htAction{}
	for _, f := range htFind(body, "form", "method", "post", "action", "*") {
		bs := htFind(f.Inner, "button", "data-action", "*")
		if len(bs) != 1 {
			continue
		}
		del := len(htFind(f.Inner, "input", "name", "_method", "value", "delete")) == 1
		out[f.Attrs["action"]] = htAction{Label: htText(bs[0].Inner), Delete: del}
	}
	return out
}

func htContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	text := htText(body)
	for _, w := range wants {
		if !strings.Contains(text, w) {
			t.Errorf("%s: text lacks %q:\n%s", what, w, text)
		}
	}
}

// TestHTMLPages renders every page of the UI and checks its key content.
func TestHTMLPages(t *testing.T) {
	s := htStart(t)
	B := s.B
	cases := []struct {
		name, path string
		text       []string // in the page's text
		check      func(t *testing.T, body string)
	}{
		{name: "entry point", path: "",
			text: []string{"Deltacloud API", "version 1.1.3", "driver mock", "user_name (create: name)", "authentication_key (create: keyname)", "realm_filter (index: realm_id)"},
			check: func(t *testing.T, body string) {
				for _, c := range []string{"drivers", "realms", "hardware_profiles", "images", "instances", "instance_states"} {
					if len(htFind(body, "a", "href", B+"/"+c)) == 0 {
						t.Errorf("no link to %s", c)
					}
				}
				htOne(t, body, "a", "href", B+"?format=xml")
				htOne(t, body, "a", "href", B+"?format=json")
			}},
		{name: "drivers", path: "/drivers", text: []string{"Drivers", "mock", "Mock", "current"},
			check: func(t *testing.T, body string) { htOne(t, body, "a", "href", B+"/drivers/mock") }},
		{name: "driver", path: "/drivers/mock", text: []string{"Mock", "Use this driver"},
			check: func(t *testing.T, body string) {
				f := htOne(t, body, "form", "id", "use-driver")
				if f.Attrs["method"] != "post" || f.Attrs["action"] != B {
					t.Errorf("use form posts %s to %s", f.Attrs["method"], f.Attrs["action"])
				}
				htOne(t, f.Inner, "input", "type", "hidden", "name", "driver", "value", "mock")
			}},
		{name: "realms", path: "/realms", text: []string{"United States", "Europe", "AVAILABLE", "unlimited"},
			check: func(t *testing.T, body string) {
				htOne(t, body, "a", "href", B+"/realms/us")
				htOne(t, body, "a", "href", B+"/realms/eu")
			}},
		{name: "realm", path: "/realms/eu", text: []string{"Europe", "eu", "AVAILABLE"}},
		{name: "hardware profiles", path: "/hardware_profiles",
			text: []string{"m1-small", "1740.8 MB", "i386", "1–6 (default 1)", "7680–15360 MB (default 10240)", "850, 1024 GB (default 850)", "opaque"},
			check: func(t *testing.T, body string) {
				for _, id := range []string{"m1-small", "m1-large", "m1-xlarge", "opaque"} {
					htOne(t, body, "a", "href", B+"/hardware_profiles/"+id)
				}
			}},
		{name: "hardware profile", path: "/hardware_profiles/m1-large",
			text: []string{"cpu range count 1 from 1 to 6 hwp_cpu (create)",
				"memory range MB 10240 from 7680 to 15360 hwp_memory",
				"storage enum GB 850 one of 850, 1024 hwp_storage",
				"architecture fixed label x86_64 fixed"}},
		{name: "opaque hardware profile", path: "/hardware_profiles/opaque", text: []string{"opaque profile"}},
		{name: "images", path: "/images", text: []string{"img1", "img2", "img3", "Fedora 10", "JBoss", "fedoraproject", "x86_64", "AVAILABLE"},
			check: func(t *testing.T, body string) {
				for _, id := range []string{"img1", "img2", "img3"} {
					htOne(t, body, "a", "href", B+"/images/"+id)
					l := htOne(t, body, "a", "href", B+"/instances/new?image_id="+id)
					if htText(l.Inner) != "Launch" {
						t.Errorf("launch link text %q", l.Inner)
					}
				}
			}},
		{name: "image", path: "/images/img1", text: []string{"img1", "Fedora 10", "fedoraproject", "x86_64", "transient", "m1-large"},
			check: func(t *testing.T, body string) {
				htOne(t, body, "a", "href", B+"/instances/new?image_id=img1")
				htOne(t, body, "a", "href", B+"/hardware_profiles/m1-xlarge")
			}},
		{name: "instances", path: "/instances", text: []string{"inst0", "inst1", "RUNNING", "Mock Instance With Profile Change", "img1.inst0.public.com"},
			check: func(t *testing.T, body string) {
				htOne(t, body, "a", "href", B+"/instances/inst0")
				acts := htActions(body)
				if a, ok := acts[B+"/instances/inst0/stop"]; !ok || a.Label != "Stop" {
					t.Errorf("no Stop button for inst0 in the list: %v", acts)
				}
			}},
		{name: "instance", path: "/instances/inst0",
			text: []string{"Mock Instance With Profile Change", "RUNNING", "mockuser", "img1.inst0.public.com", "img1.inst0.private.com", "m1-large memory: 12288 MB"},
			check: func(t *testing.T, body string) {
				acts := htActions(body)
				want := map[string]htAction{
					B + "/instances/inst0/reboot": {Label: "Reboot"},
					B + "/instances/inst0/stop":   {Label: "Stop"},
				}
				if len(acts) != len(want) {
					t.Errorf("actions %v, want %v", acts, want)
				}
				for href, a := range want {
					if acts[href] != a {
						t.Errorf("action %s: %+v, want %+v", href, acts[href], a)
					}
				}
				if strings.Contains(body, ">Start<") || strings.Contains(body, "/inst0/start") {
					t.Error("a running instance offers Start")
				}
				htOne(t, body, "a", "href", B+"/images/img1")
				htOne(t, body, "a", "href", B+"/realms/us")
				htOne(t, body, "a", "href", B+"/hardware_profiles/m1-large")
			}},
		{name: "instance states", path: "/instance_states",
			text: []string{"start create pending", "pending automatic running", "running reboot running", "stop stopped",
				"stopped start running", "destroy finish", "finish final state"},
			check: func(t *testing.T, body string) { htOne(t, body, "a", "href", B+"/instance_states?format=gv") }},
		{name: "launch form", path: "/instances/new?image_id=img1",
			text: []string{"Launch an instance", "img1", "Fedora 10", "User data (base64)"},
			check: func(t *testing.T, body string) {
				// img1 is x86_64: m1-small (i386) is not offered; m1-large
				// is the first profile and chosen.
				sel := htOne(t, body, "select", "name", "hwp_id")
				if got := htOptions(sel); !slices.Equal(got, []string{"m1-large", "m1-xlarge", "opaque"}) {
					t.Errorf("profiles %v", got)
				}
				f := htOne(t, body, "form", "id", "launch")
				htOne(t, f.Inner, "input", "type", "hidden", "name", "hwp_id", "value", "m1-large")
			}},
		{name: "launch form m1-large", path: "/instances/new?image_id=img1&hwp_id=m1-large",
			text: []string{"Architecture x86_64 (fixed)"},
			check: func(t *testing.T, body string) {
				f := htOne(t, body, "form", "id", "launch")
				if f.Attrs["method"] != "post" || f.Attrs["action"] != B+"/instances" {
					t.Errorf("launch form posts %s to %s", f.Attrs["method"], f.Attrs["action"])
				}
				form := f.Inner
				htOne(t, form, "input", "type", "hidden", "name", "image_id", "value", "img1")
				htOne(t, form, "input", "type", "hidden", "name", "hwp_id", "value", "m1-large")
				cpu := htOne(t, form, "input", "name", "hwp_cpu")
				for k, v := range map[string]string{"type": "number", "min": "1", "max": "6", "value": "1"} {
					if cpu.Attrs[k] != v {
						t.Errorf("hwp_cpu %s=%q, want %q", k, cpu.Attrs[k], v)
					}
				}
				mem := htOne(t, form, "input", "name", "hwp_memory", "type", "number")
				if mem.Attrs["min"] != "7680" || mem.Attrs["max"] != "15360" || mem.Attrs["value"] != "10240" {
					t.Errorf("hwp_memory %v", mem.Attrs)
				}
				st := htOne(t, form, "select", "name", "hwp_storage")
				if got := htOptions(st); !slices.Equal(got, []string{"850", "1024"}) {
					t.Errorf("hwp_storage options %v", got)
				}
				htOne(t, st.Inner, "option", "value", "850", "selected", "")
				if len(htFind(form, "input", "name", "hwp_architecture")) != 0 || len(htFind(form, "select", "name", "hwp_architecture")) != 0 {
					t.Error("the fixed architecture is editable")
				}
				realm := htOne(t, form, "select", "name", "realm_id")
				if got := htOptions(realm); !slices.Equal(got, []string{"us", "eu"}) {
					t.Errorf("realms %v", got)
				}
				// The mock's features: user_name, user_data,
				// authentication_key, metrics; not authentication_password.
				htOne(t, form, "input", "name", "name", "type", "text")
				htOne(t, form, "textarea", "name", "user_data")
				htOne(t, form, "input", "name", "keyname")
				htOne(t, form, "input", "name", "metrics", "type", "checkbox")
				if len(htFind(form, "input", "name", "password")) != 0 {
					t.Error("password field without the authentication_password feature")
				}
			}},
		{name: "launch form m1-xlarge", path: "/instances/new?image_id=img1&hwp_id=m1-xlarge",
			check: func(t *testing.T, body string) {
				form := htOne(t, body, "form", "id", "launch").Inner
				if len(htFind(form, "input", "name", "hwp_cpu")) != 0 {
					t.Error("the fixed cpu of m1-xlarge is editable")
				}
				htOne(t, form, "input", "name", "hwp_memory", "min", "12288", "max", "32768")
				if got := htOptions(htOne(t, form, "select", "name", "hwp_storage")); !slices.Equal(got, []string{"1024", "2048", "4096"}) {
					t.Errorf("hwp_storage options %v", got)
				}
				// Only this profile's fields: nothing of m1-large.
				if strings.Contains(form, `max="6"`) {
					t.Error("m1-large's cpu range in m1-xlarge's form")
				}
			}},
		{name: "launch form opaque", path: "/instances/new?image_id=img1&hwp_id=opaque",
			check: func(t *testing.T, body string) {
				form := htOne(t, body, "form", "id", "launch").Inner
				if strings.Contains(form, `name="hwp_cpu"`) || strings.Contains(form, `name="hwp_memory"`) || strings.Contains(form, `name="hwp_storage"`) {
					t.Error("hwp fields in the opaque profile's form")
				}
			}},
		{name: "docs index", path: "/docs", text: []string{"API docs"},
			check: func(t *testing.T, body string) {
				for _, c := range []string{"drivers", "realms", "hardware_profiles", "images", "instances", "instance_states"} {
					htOne(t, body, "a", "href", B+"/docs/"+c)
				}
				htOne(t, body, "a", "href", B+"/docs/instances/create")
				htOne(t, body, "a", "href", B+"/openapi.json")
			}},
		{name: "docs collection", path: "/docs/instances",
			text: []string{"index GET /instances", "show GET /instances/:id", "create POST /instances Launch",
				"reboot POST /instances/:id/reboot", "destroy DELETE /instances/:id", "run POST /instances/:id/run"},
			check: func(t *testing.T, body string) {
				for _, op := range []string{"index", "show", "create", "reboot", "start", "stop", "destroy", "run"} {
					htOne(t, body, "a", "href", B+"/docs/instances/"+op)
				}
			}},
		{name: "docs operation", path: "/docs/instances/create",
			text: []string{"instances / create", "Method POST", "URL " + B + "/instances", "Credentials required"},
			check: func(t *testing.T, body string) {
				row := func(name string) string {
					t.Helper()
					return htText(htOne(t, body, "tr", "id", "param-"+name).Inner)
				}
				if r := row("image_id"); !strings.HasPrefix(r, "image_id string required") {
					t.Errorf("image_id row %q", r)
				}
				if r := row("realm_id"); !strings.Contains(r, "optional") {
					t.Errorf("realm_id row %q", r)
				}
				for param, feature := range map[string]string{"name": "user_name", "user_data": "user_data", "keyname": "authentication_key",
					"password": "authentication_password", "instance_count": "instance_count"} {
					if r := row(param); !strings.Contains(r, "optional") || !strings.HasSuffix(r, "added by "+feature) {
						t.Errorf("%s row %q, want optional and added by %s", param, r, feature)
					}
				}
			}},
		{name: "docs action", path: "/docs/instances/stop",
			text: []string{"Method POST", "URL " + B + "/instances/:id/stop", "id string required"}},
		{name: "docs states", path: "/docs/instance_states/index", text: []string{"Formats xml, json, html, gv"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := s.page(t, c.path, http.StatusOK)
			htContains(t, c.path, body, c.text...)
			// The layout: the driver switcher and the navigation.
			sw := htOne(t, body, "form", "class", "switcher")
			if sw.Attrs["method"] != "post" || sw.Attrs["action"] != B {
				t.Errorf("switcher posts %s to %s", sw.Attrs["method"], sw.Attrs["action"])
			}
			htOne(t, sw.Inner, "select", "name", "driver")
			htOne(t, sw.Inner, "input", "name", "provider")
			nav := htOne(t, body, "nav", "class", "main")
			htOne(t, nav.Inner, "a", "href", B+"/instances")
			htOne(t, nav.Inner, "a", "href", B+"/docs")
			if strings.Contains(body, "<script") || strings.Contains(body, "http://fonts") || strings.Contains(body, "https://") {
				t.Error("the page loads scripts or outside resources")
			}
			if c.check != nil {
				c.check(t, body)
			}
		})
	}
}

// TestHTMLLaunchFlow posts the forms as a browser would: launch from the
// form with overrides, stop, start and destroy, following the 302s.
func TestHTMLLaunchFlow(t *testing.T) {
	s := htStart(t)
	form := s.page(t, "/instances/new?image_id=img1&hwp_id=m1-large", http.StatusOK)
	launch := htOne(t, form, "form", "id", "launch")
	// Post exactly the launch form's fields, with some values chosen.
	v := url.Values{}
	for _, in := range htFind(launch.Inner, "input", "name", "*") {
		if in.Attrs["type"] != "checkbox" {
			v.Set(in.Attrs["name"], in.Attrs["value"])
		}
	}
	for _, sel := range htFind(launch.Inner, "select", "name", "*") {
		v.Set(sel.Attrs["name"], htOptions(sel)[0])
	}
	for _, ta := range htFind(launch.Inner, "textarea", "name", "*") {
		v.Set(ta.Attrs["name"], "")
	}
	v.Set("name", "html-launched")
	v.Set("hwp_cpu", "3")
	v.Set("hwp_storage", "1024")
	v.Set("realm_id", "eu")
	v.Set("user_data", "aGVsbG8=")
	r := s.do(t, htReq{Path: "/instances", Form: v})
	if r.Status != http.StatusFound {
		t.Fatalf("launch: status %d, want 302\n%s", r.Status, r.Body)
	}
	loc := r.Header.Get("Location")
	if !strings.HasPrefix(loc, s.B+"/instances/") {
		t.Fatalf("launch redirects to %q", loc)
	}
	path := strings.TrimPrefix(loc, s.B)
	page := s.page(t, path, http.StatusOK)
	htContains(t, path, page, "html-launched", "RUNNING", "m1-large cpu: 3", "storage: 1024 GB")
	htOne(t, page, "a", "href", s.B+"/realms/eu")

	act := func(action string) {
		t.Helper()
		acts := htActions(page)
		var href string
		for h, a := range acts {
			if strings.EqualFold(a.Label, action) {
				href = h
			}
		}
		if href == "" {
			t.Fatalf("no %s button; actions %v", action, acts)
		}
		f := url.Values{}
		if acts[href].Delete {
			f.Set("_method", "delete")
		}
		r := s.do(t, htReq{Path: strings.TrimPrefix(href, s.B), Form: f})
		if r.Status != http.StatusFound {
			t.Fatalf("%s: status %d, want 302\n%s", action, r.Status, r.Body)
		}
		next := strings.TrimPrefix(r.Header.Get("Location"), s.B)
		page = s.page(t, next, http.StatusOK)
	}
	act("Stop")
	htContains(t, "after stop", page, "STOPPED")
	if _, ok := htActions(page)[loc+"/start"]; !ok {
		t.Error("a stopped instance offers no Start")
	}
	if a := htActions(page)[loc]; !a.Delete || a.Label != "Destroy" {
		t.Errorf("destroy button %+v, want a Destroy form with _method=delete", a)
	}
	act("Start")
	htContains(t, "after start", page, "RUNNING")
	act("Stop")
	act("Destroy")
	if strings.Contains(page, loc+`"`) {
		t.Error("the destroyed instance is still listed")
	}
	htContains(t, "instances after destroy", page, "Instances")
}

// TestHTMLEscaping: what clients store and send comes back escaped.
func TestHTMLEscaping(t *testing.T) {
	s := htStart(t)
	const hostile = `<script>alert(1)</script>`
	r := s.do(t, htReq{Path: "/instances", Accept: "application/xml",
		Form: url.Values{"image_id": {"img1"}, "name": {hostile}}})
	if r.Status != http.StatusCreated {
		t.Fatalf("create: %d\n%s", r.Status, r.Body)
	}
	path := strings.TrimPrefix(r.Header.Get("Location"), s.B)
	escaped := "&lt;script&gt;alert(1)&lt;/script&gt;"
	for _, p := range []string{path, "/instances"} {
		body := s.page(t, p, http.StatusOK)
		if strings.Contains(body, hostile) || strings.Contains(body, "<script") {
			t.Errorf("%s: the name is not escaped", p)
		}
		if !strings.Contains(body, escaped) {
			t.Errorf("%s: the escaped name is missing", p)
		}
	}
	// Hostile values in the URL: ids, query values and matrix parameters.
	for _, p := range []string{
		"/instances/new?image_id=" + url.QueryEscape(hostile),
		"/instances/" + url.PathEscape(`"><img src=x onerror=alert(1)>`),
		"/docs/" + url.PathEscape(hostile),
		"/instances/new?image_id=img1&hwp_id=" + url.QueryEscape(hostile),
	} {
		r := s.do(t, htReq{Path: p})
		if r.Status < 400 {
			t.Errorf("%s: status %d", p, r.Status)
		}
		if strings.Contains(r.Body, "<script") || strings.Contains(r.Body, "<img") {
			t.Errorf("%s: hostile markup in the page:\n%s", p, r.Body)
		}
	}
	// A provider chosen with a matrix parameter is refused (403, not a
	// plain name) and comes back escaped in the switcher and the footer.
	r = s.do(t, htReq{Path: ";provider=" + url.PathEscape(`x"y<b>`) + "/realms"})
	if r.Status != http.StatusForbidden || r.Header.Get("Content-Type") != "text/html" {
		t.Errorf("hostile provider: %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	if strings.Contains(r.Body, `x"y<b>`) || strings.Contains(r.Body, "<b>") {
		t.Errorf("the provider is not escaped:\n%s", r.Body)
	}
	if !strings.Contains(r.Body, `value="x&#34;y&lt;b&gt;"`) {
		t.Errorf("the switcher does not show the escaped provider:\n%s", r.Body)
	}
}

// TestHTMLErrors: error pages show the status and the message, never the
// credentials or the parameters sent.
func TestHTMLErrors(t *testing.T) {
	s := htStart(t)
	cases := []struct {
		name   string
		req    htReq
		status int
		text   []string
		secret string
	}{
		{name: "unknown instance", req: htReq{Path: "/instances/nope"}, status: http.StatusNotFound,
			text: []string{"404 Not Found"}},
		{name: "no credentials", req: htReq{Path: "/instances", NoAuth: true}, status: http.StatusUnauthorized,
			text: []string{"401 Unauthorized", "credentials"}},
		{name: "wrong credentials", req: htReq{Path: "/instances/inst0", User: "mockuser", Pass: "s3cr3t-pw"}, status: http.StatusUnauthorized,
			text: []string{"401 Unauthorized"}, secret: "s3cr3t-pw"},
		{name: "failed launch", req: htReq{Path: "/instances", Form: url.Values{"image_id": {"nope"}, "name": {"n4me-s3cret"}}},
			status: http.StatusBadRequest, text: []string{"400 Bad Request", `image "nope" does not exist`}, secret: "n4me-s3cret"},
		{name: "launch with an undeclared feature", req: htReq{Path: "/instances", Form: url.Values{"image_id": {"img1"}, "password": {"hunter2-pw"}}},
			status: http.StatusNotImplemented, text: []string{"501 Not Implemented", "authentication_password"}, secret: "hunter2-pw"},
		{name: "launch form without image", req: htReq{Path: "/instances/new"}, status: http.StatusNotFound,
			text: []string{"404 Not Found", "image_id is missing"}},
		{name: "launch form of unknown image", req: htReq{Path: "/instances/new?image_id=nope"}, status: http.StatusNotFound,
			text: []string{"404 Not Found", "nope"}},
		{name: "launch form with a profile the image cannot use", req: htReq{Path: "/instances/new?image_id=img1&hwp_id=m1-small"},
			status: http.StatusNotFound, text: []string{"Hardware profile 'm1-small' is not available for image 'img1'"}},
		{name: "docs of an unknown collection", req: htReq{Path: "/docs/nope"}, status: http.StatusNotFound,
			text: []string{"404 Not Found", "No documentation for collection 'nope'"}},
		{name: "docs of an unknown operation", req: htReq{Path: "/docs/instances/nope"}, status: http.StatusNotFound,
			text: []string{"404 Not Found", "No documentation for operation 'nope' of collection 'instances'"}},
		{name: "docs too deep", req: htReq{Path: "/docs/instances/create/x"}, status: http.StatusNotFound, text: []string{"404 Not Found"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.do(t, c.req)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d\n%s", r.Status, c.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "text/html" {
				t.Fatalf("Content-Type %q, want text/html\n%s", ct, r.Body)
			}
			if !strings.HasPrefix(r.Body, "<!DOCTYPE html>") {
				t.Fatalf("not an HTML page:\n%s", r.Body)
			}
			box := htOne(t, r.Body, "div", "class", "error-box")
			htContains(t, c.name, box.Inner, c.text...)
			if c.secret != "" && strings.Contains(r.Body, c.secret) {
				t.Errorf("the page echoes %q", c.secret)
			}
			if strings.Contains(r.Body, "mockpassword") {
				t.Error("the page echoes the password")
			}
		})
	}
}

// TestHTMLDriverSwitch: the switcher's POST redirects to the matrix URL,
// and pages under it keep the choice in their links.
func TestHTMLDriverSwitch(t *testing.T) {
	s := htStart(t)
	r := s.do(t, htReq{Path: "", Form: url.Values{"driver": {"mock"}, "provider": {"lab"}}})
	if r.Status != http.StatusMovedPermanently || r.Header.Get("Location") != s.B+";driver=mock;provider=lab" {
		t.Fatalf("switch: %d to %q", r.Status, r.Header.Get("Location"))
	}
	body := s.page(t, ";driver=mock;provider=lab", http.StatusOK)
	m := s.B + ";driver=mock;provider=lab"
	nav := htOne(t, body, "nav", "class", "main")
	htOne(t, nav.Inner, "a", "href", m+"/instances")
	htOne(t, nav.Inner, "a", "href", m+"/docs")
	sw := htOne(t, body, "form", "class", "switcher")
	htOne(t, sw.Inner, "input", "name", "provider", "value", "lab")
	body = s.page(t, ";driver=mock;provider=lab/instances/inst0", http.StatusOK)
	if _, ok := htActions(body)[m+"/instances/inst0/stop"]; !ok {
		t.Errorf("the Stop form does not keep the provider: %v", htActions(body))
	}
	htOne(t, body, "a", "href", m+"/images/img1")
	// Without a choice, links are plain {B} links.
	body = s.page(t, "/instances/inst0", http.StatusOK)
	if strings.Contains(body, ";driver=") {
		t.Error("matrix parameters without a choice")
	}
}
