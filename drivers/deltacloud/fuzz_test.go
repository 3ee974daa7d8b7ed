package deltacloud

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/deltacloud-go/deltacloud"
	recorded "github.com/deltacloud-go/deltacloud/internal/golden"
)

// addGoldenSeeds seeds a fuzz target with every recorded response.
func addGoldenSeeds(f *testing.F, add func(status int, body []byte)) {
	for _, n := range recorded.OriginalNames() {
		g := readGolden(f, n)
		add(g.status, g.body)
	}
	add(200, []byte(`<instances><instance id='a'><launch_time>yesterday</launch_time></instance></instances>`))
	add(200, []byte(`<hardware_profile id='x'><property kind='range' name='cpu'/></hardware_profile>`))
	add(200, []byte(`<states><state name='start'><transition auto='maybe' to='x'/></state></states>`))
	add(503, []byte(`{"code":503,"message":"busy"}`))
	add(0, nil)
	add(-1, []byte("\xff\xfe<"))
}

// FuzzDecodeResponse feeds arbitrary answers to the decoders and the error
// classification: they never panic, an error is always a *deltacloud.Error
// with a code and a clean message, and a success is a value.
func FuzzDecodeResponse(f *testing.F) {
	addGoldenSeeds(f, func(status int, body []byte) { f.Add(status, "firewalls", "5", body) })
	f.Fuzz(func(t *testing.T, status int, expect, retry string, body []byte) {
		h := http.Header{"Expect": {expect}, "Retry-After": {retry}}
		e := responseError("GET", "http://h/api", status, h, body)
		if e == nil || e.Code == deltacloud.CodeUnknown || e.Message == "" || !utf8.ValidString(e.Message) ||
			len(e.Message) > maxMessage+len("…") || e.RetryAfter < 0 {
			t.Fatalf("responseError(%d, %q) = %#v", status, body, e)
		}
		var re *ResponseError
		if !errors.As(e, &re) || re.StatusCode != status {
			t.Fatalf("responseError(%d): no ResponseError in %#v", status, e)
		}
		_ = e.Error()

		check := func(what string, ok bool, err *deltacloud.Error) {
			t.Helper()
			if err != nil && (err.Code != deltacloud.Backend || err.Message == "") {
				t.Fatalf("%s: %#v", what, err)
			}
			if err == nil && !ok {
				t.Fatalf("%s: neither a value nor an error", what)
			}
		}
		d, err := decodeAPI(body)
		check("api", d != nil, err)
		if d != nil {
			info := d.Model()
			hrefs := map[deltacloud.Collection]string{}
			for _, c := range info.Collections {
				hrefs[c], _ = d.Href(c)
			}
			canonicalFeatures(info.Features, hrefs)
		}
		m, err := decodeStates(body)
		check("states", m != nil, err)
		if m != nil {
			if verr := m.Validate(); verr != nil {
				t.Fatalf("decoded an invalid state machine: %v", verr)
			}
		}
		rs, err := decodeRealms(body)
		check("realms", rs != nil, err)
		r, err := decodeRealm(body)
		check("realm", r != nil, err)
		hs, docs, err := decodeHardwareProfiles(body)
		check("hardware_profiles", hs != nil && docs != nil, err)
		if docs != nil {
			(&conn{}).rememberParams(docs)
		}
		imgs, err := decodeImages(body)
		check("images", imgs != nil, err)
		img, err := decodeImage(body)
		check("image", img != nil, err)
		ins, idocs, err := decodeInstanceDocs(body)
		check("instances", ins != nil && len(ins) == len(idocs), err)
		in, idoc, err := decodeInstance(body)
		check("instance", in != nil && idoc != nil, err)
		rootElement(body)
	})
}

// roundTripper answers every request with one status and body.
type roundTripper struct {
	status int
	body   []byte
}

func (rt roundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: rt.status, Header: http.Header{"Retry-After": {"1"}},
		Body: io.NopCloser(bytes.NewReader(rt.body)), Request: r}, nil
}

// FuzzConn runs every driver call against a server that answers anything
// with any status: every call returns a value or a *deltacloud.Error.
func FuzzConn(f *testing.F) {
	addGoldenSeeds(f, func(status int, body []byte) { f.Add(status, body) })
	base, _ := url.Parse("http://fuzz.example/api")
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			status = 200 // net/http refuses other statuses before the driver sees them
		}
		c := &conn{
			client: &http.Client{Transport: roundTripper{status, body}},
			base:   base, header: http.Header{}, log: slog.New(slog.DiscardHandler),
			links: map[string]instanceLinks{}, params: map[string]map[string]string{},
			lifecycle: unknownLifecycle,
		}
		ctx := t.Context()
		check := func(what string, ok bool, err error) {
			t.Helper()
			if err == nil && !ok {
				t.Fatalf("%s: neither a value nor an error", what)
			}
			if _, isErr := err.(*deltacloud.Error); err != nil && !isErr {
				t.Fatalf("%s: %T %v is not a *deltacloud.Error", what, err, err)
			}
		}
		check("open", true, c.readEntryPoint(ctx))
		c.hrefs = map[deltacloud.Collection]string{}
		for _, coll := range []deltacloud.Collection{"realms", "hardware_profiles", "images", "instances"} {
			c.hrefs[coll] = base.String() + "/" + string(coll)
		}
		rs, err := c.Realms(ctx)
		check("Realms", rs != nil, err)
		r, err := c.Realm(ctx, "r")
		check("Realm", r != nil, err)
		hs, err := c.HardwareProfiles(ctx)
		check("HardwareProfiles", hs != nil, err)
		imgs, err := c.Images(ctx, deltacloud.ImageFilter{Owner: "self"})
		check("Images", imgs != nil, err)
		img, err := c.Image(ctx, "i")
		check("Image", img != nil, err)
		ins, err := c.Instances(ctx, deltacloud.InstanceFilter{})
		check("Instances", ins != nil, err)
		in, err := c.Instance(ctx, "a/b")
		check("Instance", in != nil, err)
		created, err := c.CreateInstances(ctx, deltacloud.InstanceSpec{ImageID: "img", ProfileID: "p",
			Properties: map[string]string{"cpu": "2"}})
		check("CreateInstances", created != nil, err)
		for _, a := range []deltacloud.Action{deltacloud.ActionStop, deltacloud.ActionDestroy} {
			out, err := c.Act(ctx, "a", a)
			check("Act "+string(a), out != nil || a == deltacloud.ActionDestroy, err)
		}
	})
}
