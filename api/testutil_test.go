package api_test

// Shared helpers of the api tests: a real server over api.NewHandler, a
// request/response pair, an XML tree for structural comparisons, the golden
// files and a few test drivers. Package-level names start with "tu" so they
// cannot clash with other test files of the package.

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/api"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/internal/golden"
)

// tuGoldenBase is the base URL the golden responses were captured under;
// hrefs of our responses are rewritten to it before comparisons.
const tuGoldenBase = "http://127.0.0.1:3001"

// tuQuiet is a logger that drops everything, for handlers whose tests
// provoke failures on purpose.
var tuQuiet = slog.New(slog.DiscardHandler)

// tuMockOptions serves the mock driver (the default) on a fresh storage
// directory, so every test starts from the fixtures.
func tuMockOptions(tb testing.TB) api.Options {
	tb.Helper()
	return api.Options{
		DriverOptions: map[string]map[string]string{"mock": {"storage": tb.TempDir()}},
		Logger:        tuQuiet,
	}
}

// tuServer is a real HTTP server on 127.0.0.1 over one handler.
type tuServer struct {
	*httptest.Server
	H *api.Handler
	// client does not follow redirects, so 301/302 can be inspected.
	client *http.Client
}

// tuStart serves opts on 127.0.0.1 until the test ends.
func tuStart(tb testing.TB, opts api.Options) *tuServer {
	tb.Helper()
	h := api.NewHandler(opts)
	srv := httptest.NewServer(h)
	tb.Cleanup(func() {
		srv.Close()
		h.Close()
	})
	client := srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &tuServer{Server: srv, H: h, client: client}
}

// tuCreds is a Basic-auth pair.
type tuCreds struct{ User, Password string }

var (
	tuMockUser = &tuCreds{mock.User, mock.Password}
	tuBadPass  = &tuCreds{mock.User, "wrong-password"}
)

// tuReq is one request to a tuServer.
type tuReq struct {
	Method string // default GET
	Path   string // path and query, e.g. "/api/realms?format=xml"
	Accept string // sent only when not empty
	Creds  *tuCreds
	// Form is sent as an urlencoded body; Body/ContentType as given.
	Form        url.Values
	Body        io.Reader
	ContentType string
	Header      map[string]string
}

// tuResp is a response, read completely.
type tuResp struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r tuResp) String() string {
	return fmt.Sprintf("%d %v\n%s", r.Status, r.Header, r.Body)
}

// request builds the *http.Request of r against base.
func (r tuReq) request(tb testing.TB, base string) *http.Request {
	tb.Helper()
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	body, ct := r.Body, r.ContentType
	if r.Form != nil {
		body, ct = strings.NewReader(r.Form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(method, base+r.Path, body)
	if err != nil {
		tb.Fatalf("%s %s: %v", method, r.Path, err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if r.Accept != "" {
		req.Header.Set("Accept", r.Accept)
	}
	if r.Creds != nil {
		req.SetBasicAuth(r.Creds.User, r.Creds.Password)
	}
	for k, v := range r.Header {
		req.Header.Set(k, v)
	}
	return req
}

// do sends r and reads the whole response. It is safe to call from several
// goroutines; it reports failures with Errorf so it may run off the test's
// goroutine.
func (s *tuServer) do(tb testing.TB, r tuReq) tuResp {
	tb.Helper()
	resp, err := s.client.Do(r.request(tb, s.URL))
	if err != nil {
		tb.Errorf("%s %s: %v", r.Method, r.Path, err)
		return tuResp{}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Errorf("%s %s: reading body: %v", r.Method, r.Path, err)
	}
	return tuResp{Status: resp.StatusCode, Header: resp.Header, Body: body}
}

// must2xx sends r and fails the test unless it succeeded.
func (s *tuServer) must2xx(tb testing.TB, r tuReq) tuResp {
	tb.Helper()
	resp := s.do(tb, r)
	if resp.Status < 200 || resp.Status > 299 {
		tb.Fatalf("%s %s: %s", r.Method, r.Path, resp)
	}
	return resp
}

// norm rewrites this server's base URL to the goldens' one.
func (s *tuServer) norm(v string) string { return strings.ReplaceAll(v, s.URL, tuGoldenBase) }

// tuNode is an XML element reduced for structural comparison.
type tuNode = golden.Node

// tuParseXML parses an XML document into a tree.
func tuParseXML(tb testing.TB, data []byte) *tuNode {
	tb.Helper()
	n, err := golden.ParseXML(data)
	if err != nil {
		tb.Fatalf("parsing XML: %v\n%s", err, data)
	}
	return n
}

// tuNormXML rewrites the server's base URL in every attribute and text.
func (s *tuServer) normXML(n *tuNode) *tuNode {
	n.Walk(func(m *tuNode) {
		for k, v := range m.Attrs {
			m.Attrs[k] = s.norm(v)
		}
		m.Text = s.norm(m.Text)
	})
	return n
}

// tuParseJSON decodes a JSON document into a generic value.
func tuParseJSON(tb testing.TB, data []byte) any {
	tb.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatalf("parsing JSON: %v\n%s", err, data)
	}
	return v
}

// normJSON rewrites the server's base URL in every string of v.
func (s *tuServer) normJSON(v any) any {
	switch v := v.(type) {
	case string:
		return s.norm(v)
	case []any:
		for i := range v {
			v[i] = s.normJSON(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = s.normJSON(v[k])
		}
	}
	return v
}

// tuGolden is one captured response of the original server.
type tuGolden = golden.Response

// tuReadGolden reads the original server's recorded response name.
func tuReadGolden(tb testing.TB, name string) tuGolden {
	tb.Helper()
	g, err := golden.Original(name)
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// tuGoldenNames lists the golden files.
func tuGoldenNames(tb testing.TB) []string {
	tb.Helper()
	names := golden.OriginalNames()
	if len(names) == 0 {
		tb.Fatal("no golden files")
	}
	return names
}

// tuErrorDoc is the XML error document's parts the tests look at.
type tuErrorDoc struct {
	Status  int    `xml:"status,attr"`
	URL     string `xml:"url,attr"`
	Code    int    `xml:"code"`
	Message string `xml:"message"`
	Backend struct {
		Driver   string `xml:"driver,attr"`
		Provider string `xml:"provider,attr"`
	} `xml:"backend"`
	Params []struct {
		Name  string `xml:"name,attr"`
		Value string `xml:",chardata"`
	} `xml:"request>param"`
}

// tuDecodeError decodes an XML error document, failing the test if the
// body is not one.
func tuDecodeError(tb testing.TB, r tuResp) tuErrorDoc {
	tb.Helper()
	var d tuErrorDoc
	if err := xml.Unmarshal(r.Body, &d); err != nil {
		tb.Fatalf("not an error document: %v\n%s", err, r)
	}
	return d
}

// Test drivers, registered once for the whole test binary.
const (
	tuPanicDriver  = "apitest-panic"  // Realms panics
	tuRecordDriver = "apitest-record" // records every Config it is opened with
	tuScopedDriver = "apitest-scoped" // each user sees only their own instance
)

func init() {
	deltacloud.Register(tuPanicDriver, tuPanicDrv{})
	deltacloud.Register(tuRecordDriver, tuRecordDrv{})
	deltacloud.Register(tuScopedDriver, tuScopedDrv{})
}

// tuOpenMock opens an in-memory mock cloud with the mock's credentials.
func tuOpenMock(ctx context.Context) (*deltacloud.Provider, error) {
	return deltacloud.Open(ctx, "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password}})
}

// tuProxyConn is a driver connection that forwards to an opened provider.
type tuProxyConn struct{ p *deltacloud.Provider }

func (c tuProxyConn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	return c.p.Realms(ctx)
}
func (c tuProxyConn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	return c.p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
}
func (c tuProxyConn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	return c.p.Images(ctx, f)
}
func (c tuProxyConn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	return c.p.Instances(ctx, f)
}
func (c tuProxyConn) CreateInstances(ctx context.Context, s deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	return c.p.CreateInstances(ctx, s)
}
func (c tuProxyConn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	return c.p.Do(ctx, id, a)
}
func (c tuProxyConn) Lifecycle() *deltacloud.StateMachine { return c.p.Lifecycle() }
func (c tuProxyConn) Features() deltacloud.Features       { return c.p.Features() }
func (c tuProxyConn) Close() error                        { return c.p.Close() }

// tuPanicDrv is the mock whose Realms panics.
type tuPanicDrv struct{}

func (tuPanicDrv) Info() deltacloud.DriverInfo { return deltacloud.DriverInfo{Description: "Panics"} }
func (tuPanicDrv) Open(ctx context.Context, _ deltacloud.Config) (deltacloud.Conn, error) {
	p, err := tuOpenMock(ctx)
	if err != nil {
		return nil, err
	}
	return tuPanicConn{tuProxyConn{p}}, nil
}

type tuPanicConn struct{ tuProxyConn }

func (tuPanicConn) Realms(context.Context) ([]deltacloud.Realm, error) {
	panic("apitest: Realms panics")
}

// tuRecordDrv records the Config of every Open by the credentials' user,
// then serves an in-memory mock whatever the credentials.
type tuRecordDrv struct{}

var tuRecorded = struct {
	sync.Mutex
	byUser map[string][]deltacloud.Config
}{byUser: map[string][]deltacloud.Config{}}

// tuUsers numbers the users tuUser makes.
var tuUsers atomic.Int64

// tuUser returns a user name no other request of the test binary uses, so
// the record driver's Configs for it are this request's alone (also with
// -count > 1).
func tuUser(prefix string) string { return fmt.Sprintf("%s-%d", prefix, tuUsers.Add(1)) }

// tuOpenedWith returns the Configs the record driver was opened with for
// user.
func tuOpenedWith(user string) []deltacloud.Config {
	tuRecorded.Lock()
	defer tuRecorded.Unlock()
	return slices.Clone(tuRecorded.byUser[user])
}

func (tuRecordDrv) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "Recorder"}
}
func (tuRecordDrv) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	tuRecorded.Lock()
	tuRecorded.byUser[cfg.Credentials.User] = append(tuRecorded.byUser[cfg.Credentials.User], cfg)
	tuRecorded.Unlock()
	p, err := tuOpenMock(ctx)
	if err != nil {
		return nil, err
	}
	return tuProxyConn{p}, nil
}

// tuScopedDrv accepts user uN with password "pw-uN" and shows each user one
// instance of their own, "inst-uN".
type tuScopedDrv struct{}

func (tuScopedDrv) Info() deltacloud.DriverInfo { return deltacloud.DriverInfo{Description: "Scoped"} }
func (tuScopedDrv) Open(_ context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	return &tuScopedConn{creds: cfg.Credentials}, nil
}

// tuScopedPassword is the password the scoped driver accepts for user.
func tuScopedPassword(user string) string { return "pw-" + user }

var tuScopedLifecycle = deltacloud.MustStateMachine(
	deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
)

type tuScopedConn struct{ creds deltacloud.Credentials }

func (c *tuScopedConn) auth() error {
	if c.creds.User == "" || c.creds.Password != tuScopedPassword(c.creds.User) {
		return &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "Authentication Failure"}
	}
	return nil
}
func (c *tuScopedConn) Realms(context.Context) ([]deltacloud.Realm, error) {
	if err := c.auth(); err != nil {
		return nil, err
	}
	return []deltacloud.Realm{{ID: "realm-" + c.creds.User, Name: c.creds.User, State: deltacloud.RealmAvailable}}, nil
}
func (c *tuScopedConn) HardwareProfiles(context.Context) ([]deltacloud.HardwareProfile, error) {
	return nil, nil
}
func (c *tuScopedConn) Images(context.Context, deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	return nil, c.auth()
}
func (c *tuScopedConn) Instances(context.Context, deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if err := c.auth(); err != nil {
		return nil, err
	}
	return []deltacloud.Instance{{ID: "inst-" + c.creds.User, Name: c.creds.User, Owner: c.creds.User,
		ImageID: "img", RealmID: "realm-" + c.creds.User, Profile: deltacloud.InstanceProfile{ID: "p"},
		State: deltacloud.StateRunning}}, nil
}
func (c *tuScopedConn) CreateInstances(context.Context, deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	return nil, deltacloud.Errorf(deltacloud.NotSupported, "read-only")
}
func (c *tuScopedConn) Act(context.Context, string, deltacloud.Action) (*deltacloud.Instance, error) {
	return nil, deltacloud.Errorf(deltacloud.NotSupported, "read-only")
}
func (c *tuScopedConn) Lifecycle() *deltacloud.StateMachine { return tuScopedLifecycle }
func (c *tuScopedConn) Features() deltacloud.Features       { return nil }
func (c *tuScopedConn) Close() error                        { return nil }
