package api_test

import (
	"bytes"
	"maps"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud/internal/golden"
)

// specCase is the replay of one spec golden: the request its file records
// (file name or X-Spec-Request line), on a fresh mock, after the setup
// steps, and where our answer deliberately differs from the spec's, that
// difference, applied to the spec's expectation with the reason beside it
// (never by editing the file, which stays the spec's word).
type specCase struct {
	// mock adds options of the mock driver (firewalls=true).
	mock map[string]string
	// setup runs first; every step must succeed.
	setup []tuReq
	req   tuReq
	// prepare builds the request instead of req, from the server's state
	// (ids the spec cannot know, such as a firewall rule's) or with a body
	// that must be fresh on every run (multipart forms).
	prepare func(t *testing.T, s *tuServer) tuReq
	// absent lists headers the spec says the response has not (a blob
	// upload's 201 has no Location).
	absent []string
	// Deliberate differences: our status, and the spec's document turned
	// into ours.
	status   int
	wantXML  func(t *testing.T, spec *tuNode)
	wantJSON func(t *testing.T, spec any) any
}

// Requests the spec goldens' scenarios are made of.
var (
	fwOn            = map[string]string{"firewalls": "true"}
	associate1Inst1 = tuReq{Method: http.MethodPost, Path: "/api/addresses/192.168.0.1/associate", Creds: tuMockUser,
		Form: url.Values{"instance_id": {"inst1"}}}
	stopInst1 = tuReq{Method: http.MethodPost, Path: "/api/instances/inst1/stop", Creds: tuMockUser}
)

// specGoldenCases replays testdata/golden-spec: responses written by hand
// from the spec's shapes (its README), one request each on a fresh mock.
var specGoldenCases = map[string]specCase{
	// keys
	"keys_xml":           {req: tuReq{Path: "/api/keys?format=xml", Creds: tuMockUser}},
	"keys_json":          {req: tuReq{Path: "/api/keys?format=json", Creds: tuMockUser}},
	"key_test_key_xml":   {req: tuReq{Path: "/api/keys/test-key?format=xml", Creds: tuMockUser}},
	"key_test_key_json":  {req: tuReq{Path: "/api/keys/test-key?format=json", Creds: tuMockUser}},
	"key_create_201_xml": {req: tuReq{Method: http.MethodPost, Path: "/api/keys?format=xml", Creds: tuMockUser, Form: url.Values{"name": {"golden-key"}}}},
	"key_create_201_json": {req: tuReq{Method: http.MethodPost, Path: "/api/keys?format=json", Creds: tuMockUser,
		Form: url.Values{"name": {"golden-key"}}}},
	"key_destroy_204": {req: tuReq{Method: http.MethodDelete, Path: "/api/keys/test-key", Accept: "application/xml", Creds: tuMockUser}},
	"keys_new_html":   {req: tuReq{Path: "/api/keys/new", Accept: "text/html", Creds: tuMockUser}},

	// firewalls, on the mock with its firewalls option
	"firewalls_412":              {req: tuReq{Path: "/api/firewalls?format=json", Creds: tuMockUser}},
	"firewalls_xml":              {mock: fwOn, req: tuReq{Path: "/api/firewalls?format=xml", Creds: tuMockUser}},
	"firewalls_json":             {mock: fwOn, req: tuReq{Path: "/api/firewalls?format=json", Creds: tuMockUser}},
	"firewall_default_xml":       {mock: fwOn, req: tuReq{Path: "/api/firewalls/default?format=xml", Creds: tuMockUser}},
	"firewall_default_json":      {mock: fwOn, req: tuReq{Path: "/api/firewalls/default?format=json", Creds: tuMockUser}},
	"firewall_create_201_xml":    {mock: fwOn, req: tuReq{Method: http.MethodPost, Path: "/api/firewalls?format=xml", Creds: tuMockUser, Form: url.Values{"name": {"web"}, "description": {"Web servers"}}}},
	"firewall_create_201_json":   {mock: fwOn, req: tuReq{Method: http.MethodPost, Path: "/api/firewalls?format=json", Creds: tuMockUser, Form: url.Values{"name": {"web"}, "description": {"Web servers"}}}},
	"firewall_add_rule_201_xml":  {mock: fwOn, req: tuReq{Method: http.MethodPost, Path: "/api/firewalls/default/rules?format=xml", Creds: tuMockUser, Form: url.Values{"protocol": {"tcp"}, "port_from": {"80"}, "port_to": {"80"}, "ip_address1": {"10.0.0.0/8"}}}},
	"firewall_add_rule_201_json": {mock: fwOn, req: tuReq{Method: http.MethodPost, Path: "/api/firewalls/default/rules?format=json", Creds: tuMockUser, Form: url.Values{"protocol": {"tcp"}, "port_from": {"80"}, "port_to": {"80"}, "ip_address1": {"10.0.0.0/8"}}}},
	"firewall_add_rule_no_sources_400": {mock: fwOn, req: tuReq{Method: http.MethodPost, Path: "/api/firewalls/default/rules", Accept: "application/xml", Creds: tuMockUser,
		Form: url.Values{"protocol": {"tcp"}, "port_from": {"22"}, "port_to": {"22"}}}},
	// The rule's id is the cloud's (spec: <rule_id>), so it is read from
	// the firewall first.
	"firewall_delete_rule_204": {mock: fwOn, prepare: func(t *testing.T, s *tuServer) tuReq {
		fw := tuParseJSON(t, s.must2xx(t, tuReq{Path: "/api/firewalls/default?format=json", Creds: tuMockUser}).Body)
		rules, _ := fw.(map[string]any)["firewall"].(map[string]any)["rules"].([]any)
		if len(rules) == 0 {
			t.Fatal("firewall default has no rules")
		}
		id, _ := rules[0].(map[string]any)["id"].(string)
		return tuReq{Method: http.MethodDelete, Path: "/api/firewalls/default/" + url.PathEscape(id), Accept: "application/xml", Creds: tuMockUser}
	}},
	"firewall_destroy_204": {mock: fwOn, req: tuReq{Method: http.MethodDelete, Path: "/api/firewalls/default", Accept: "application/xml", Creds: tuMockUser}},

	// addresses
	"addresses_xml":            {req: tuReq{Path: "/api/addresses?format=xml", Creds: tuMockUser}},
	"addresses_json":           {req: tuReq{Path: "/api/addresses?format=json", Creds: tuMockUser}},
	"address_192_168_0_1_xml":  {req: tuReq{Path: "/api/addresses/192.168.0.1?format=xml", Creds: tuMockUser}},
	"address_192_168_0_1_json": {req: tuReq{Path: "/api/addresses/192.168.0.1?format=json", Creds: tuMockUser}},
	"address_create_201_xml":   {req: tuReq{Method: http.MethodPost, Path: "/api/addresses?format=xml", Creds: tuMockUser}},
	"address_create_201_json":  {req: tuReq{Method: http.MethodPost, Path: "/api/addresses?format=json", Creds: tuMockUser}},
	"address_destroy_204":      {req: tuReq{Method: http.MethodDelete, Path: "/api/addresses/192.168.0.4", Accept: "application/xml", Creds: tuMockUser}},
	"address_associate_202":    {req: tuReq{Method: http.MethodPost, Path: "/api/addresses/192.168.0.1/associate", Creds: tuMockUser, Accept: "application/xml", Form: url.Values{"instance_id": {"inst1"}}}},
	"address_disassociate_202": {setup: []tuReq{associate1Inst1},
		req: tuReq{Method: http.MethodPost, Path: "/api/addresses/192.168.0.1/disassociate", Accept: "application/xml", Creds: tuMockUser}},
	"address_associate_in_use_403": {setup: []tuReq{associate1Inst1},
		req: tuReq{Method: http.MethodPost, Path: "/api/addresses/192.168.0.1/associate", Accept: "application/xml", Creds: tuMockUser,
			Form: url.Values{"instance_id": {"inst2"}}}},

	// storage volumes
	"storage_volumes_xml":      {req: tuReq{Path: "/api/storage_volumes?format=xml", Creds: tuMockUser}},
	"storage_volumes_json":     {req: tuReq{Path: "/api/storage_volumes?format=json", Creds: tuMockUser}},
	"storage_volume_vol3_xml":  {req: tuReq{Path: "/api/storage_volumes/vol3?format=xml", Creds: tuMockUser}},
	"storage_volume_vol3_json": {req: tuReq{Path: "/api/storage_volumes/vol3?format=json", Creds: tuMockUser}},
	"storage_volume_create_201_xml": {req: tuReq{Method: http.MethodPost, Path: "/api/storage_volumes?format=xml", Creds: tuMockUser,
		Form: url.Values{"capacity": {"2"}}}},
	"storage_volume_create_201_json": {req: tuReq{Method: http.MethodPost, Path: "/api/storage_volumes?format=json", Creds: tuMockUser,
		Form: url.Values{"capacity": {"2"}}}, wantJSON: numberField("storage_volume", "capacity")},
	"storage_volume_attach_202_xml": {req: tuReq{Method: http.MethodPost, Path: "/api/storage_volumes/vol1/attach?format=xml", Creds: tuMockUser,
		Form: url.Values{"instance_id": {"inst1"}, "device": {"/dev/sdb"}}}},
	"storage_volume_attach_202_json": {req: tuReq{Method: http.MethodPost, Path: "/api/storage_volumes/vol1/attach?format=json", Creds: tuMockUser,
		Form: url.Values{"instance_id": {"inst1"}, "device": {"/dev/sdb"}}}},
	"storage_volume_detach_202_xml":       {req: tuReq{Method: http.MethodPost, Path: "/api/storage_volumes/vol3/detach?format=xml", Creds: tuMockUser}},
	"storage_volume_detach_202_json":      {req: tuReq{Method: http.MethodPost, Path: "/api/storage_volumes/vol3/detach?format=json", Creds: tuMockUser}},
	"storage_volume_destroy_204":          {req: tuReq{Method: http.MethodDelete, Path: "/api/storage_volumes/vol2", Accept: "application/xml", Creds: tuMockUser}},
	"storage_volume_destroy_attached_403": {req: tuReq{Method: http.MethodDelete, Path: "/api/storage_volumes/vol3", Accept: "application/xml", Creds: tuMockUser}},
	// The original mock attaches to an instance in any state; ours forbids
	// all but RUNNING (drivers/mock's documented deviation), and issue 5
	// asks for the spec's 403 where a driver forbids it: the file is the
	// spec's answer for such a driver, so nothing differs here.
	"storage_volume_attach_stopped_403": {setup: []tuReq{stopInst1},
		req: tuReq{Method: http.MethodPost, Path: "/api/storage_volumes/vol1/attach", Accept: "application/xml", Creds: tuMockUser,
			Form: url.Values{"instance_id": {"inst1"}, "device": {"/dev/sdb"}}}},

	// storage snapshots
	"storage_snapshots_xml":       {req: tuReq{Path: "/api/storage_snapshots?format=xml", Creds: tuMockUser}},
	"storage_snapshots_json":      {req: tuReq{Path: "/api/storage_snapshots?format=json", Creds: tuMockUser}},
	"storage_snapshot_snap1_xml":  {req: tuReq{Path: "/api/storage_snapshots/snap1?format=xml", Creds: tuMockUser}},
	"storage_snapshot_snap1_json": {req: tuReq{Path: "/api/storage_snapshots/snap1?format=json", Creds: tuMockUser}},
	"storage_snapshot_create_201_xml": {req: tuReq{Method: http.MethodPost, Path: "/api/storage_snapshots?format=xml", Creds: tuMockUser,
		Form: url.Values{"volume_id": {"vol1"}}}},
	"storage_snapshot_create_201_json": {req: tuReq{Method: http.MethodPost, Path: "/api/storage_snapshots?format=json", Creds: tuMockUser,
		Form: url.Values{"volume_id": {"vol1"}}}},
	"storage_snapshot_destroy_204": {req: tuReq{Method: http.MethodDelete, Path: "/api/storage_snapshots/snap3", Accept: "application/xml", Creds: tuMockUser}},

	// buckets
	"buckets_xml":         {req: tuReq{Path: "/api/buckets?format=xml", Creds: tuMockUser}},
	"buckets_json":        {req: tuReq{Path: "/api/buckets?format=json", Creds: tuMockUser}},
	"bucket_bucket1_xml":  {req: tuReq{Path: "/api/buckets/bucket1?format=xml", Creds: tuMockUser}},
	"bucket_bucket1_json": {req: tuReq{Path: "/api/buckets/bucket1?format=json", Creds: tuMockUser}},
	"bucket_create_201_xml": {req: tuReq{Method: http.MethodPost, Path: "/api/buckets?format=xml", Creds: tuMockUser,
		Form: url.Values{"name": {"golden-bucket"}}}},
	"bucket_create_201_json": {req: tuReq{Method: http.MethodPost, Path: "/api/buckets?format=json", Creds: tuMockUser,
		Form: url.Values{"name": {"golden-bucket"}}}, wantJSON: numberField("bucket", "size")},
	"bucket_destroy_204": {setup: []tuReq{{Method: http.MethodPost, Path: "/api/buckets", Creds: tuMockUser, Form: url.Values{"name": {"golden-bucket"}}}},
		req: tuReq{Method: http.MethodDelete, Path: "/api/buckets/golden-bucket", Accept: "application/xml", Creds: tuMockUser}},
	"bucket_delete_nonempty_403": {req: tuReq{Method: http.MethodDelete, Path: "/api/buckets/bucket1", Accept: "application/xml", Creds: tuMockUser}},

	// blobs
	"blob_blob1_xml":     {req: tuReq{Path: "/api/buckets/bucket1/blob1?format=xml", Creds: tuMockUser}},
	"blob_blob1_json":    {req: tuReq{Path: "/api/buckets/bucket1/blob1?format=json", Creds: tuMockUser}, wantJSON: blobContentHref},
	"blob_blob1_head":    {req: tuReq{Method: http.MethodHead, Path: "/api/buckets/bucket1/blob1", Creds: tuMockUser}},
	"blob_blob2_head":    {req: tuReq{Method: http.MethodHead, Path: "/api/buckets/bucket1/blob2", Creds: tuMockUser}},
	"blob_blob1_content": {req: tuReq{Path: "/api/buckets/bucket1/blob1/content", Creds: tuMockUser}},
	"blob_create_201_xml": {absent: []string{"Location"}, prepare: func(t *testing.T, _ *tuServer) tuReq {
		return goldenBlobForm(t, "/api/buckets/bucket2?format=xml")
	}},
	"blob_create_201_json": {absent: []string{"Location"}, wantJSON: blobContentHref, prepare: func(t *testing.T, _ *tuServer) tuReq {
		return goldenBlobForm(t, "/api/buckets/bucket2?format=json")
	}},
	"blob_put_200_xml": {prepare: func(t *testing.T, _ *tuServer) tuReq {
		return goldenBlobPut("/api/buckets/bucket2/put-blob?format=xml")
	}},
	"blob_put_200_json": {wantJSON: blobContentHref, prepare: func(t *testing.T, _ *tuServer) tuReq {
		return goldenBlobPut("/api/buckets/bucket2/put-blob?format=json")
	}},
	"blob_metadata_update_204": {req: tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket1/blob1", Creds: tuMockUser,
		Header: map[string]string{"X-Deltacloud-Blobmeta-Colour": "blue", "X-Deltacloud-Blobmeta-Size": "large"}}},
	"blob_destroy_204":         {req: tuReq{Method: http.MethodDelete, Path: "/api/buckets/bucket1/blob3", Accept: "application/xml", Creds: tuMockUser}},
	"blob_unknown_404_xml":     {req: tuReq{Path: "/api/buckets/bucket1/nope?format=xml", Creds: tuMockUser}},
	"blob_unknown_head_404":    {req: tuReq{Method: http.MethodHead, Path: "/api/buckets/bucket1/nope", Creds: tuMockUser}},
	"blob_unknown_content_404": {req: tuReq{Path: "/api/buckets/bucket1/nope/content", Accept: "application/xml", Creds: tuMockUser}},

	// metrics
	"metrics_xml":       {req: tuReq{Path: "/api/metrics?format=xml", Creds: tuMockUser}},
	"metrics_json":      {req: tuReq{Path: "/api/metrics?format=json", Creds: tuMockUser}},
	"metric_inst1_xml":  {req: tuReq{Path: "/api/metrics/inst1?format=xml", Creds: tuMockUser}},
	"metric_inst1_json": {req: tuReq{Path: "/api/metrics/inst1?format=json", Creds: tuMockUser}},

	// images from instances
	"image_create_201_xml": {req: tuReq{Method: http.MethodPost, Path: "/api/images?format=xml", Creds: tuMockUser,
		Form: url.Values{"instance_id": {"inst1"}, "name": {"golden-img"}}}, wantXML: imageOwnedByCaller},
	"image_create_201_json": {req: tuReq{Method: http.MethodPost, Path: "/api/images?format=json", Creds: tuMockUser,
		Form: url.Values{"instance_id": {"inst1"}, "name": {"golden-img"}}}, wantJSON: imageOwnedByCallerJSON},
	"image_destroy_204": {setup: []tuReq{{Method: http.MethodPost, Path: "/api/images", Creds: tuMockUser,
		Form: url.Values{"instance_id": {"inst1"}, "name": {"golden-img"}}}},
		req: tuReq{Method: http.MethodDelete, Path: "/api/images/golden-img", Accept: "application/xml", Creds: tuMockUser}},
	"images_new_no_instance_404": {req: tuReq{Path: "/api/images/new", Accept: "text/html", Creds: tuMockUser}},
}

// Deliberate: the original mock has the original mock's images made from instances
// owned by root; ours are owned by the account that made them, as on EC2
// (drivers/mock's package doc).
func imageOwnedByCaller(t *testing.T, g *tuNode) {
	o := g.Child("owner_id")
	if o == nil || o.Text != "root" {
		t.Fatal("spec image has no owner_id root")
	}
	o.Text = "mockuser"
}

func imageOwnedByCallerJSON(t *testing.T, g any) any {
	img := g.(map[string]any)["image"].(map[string]any)
	if img["owner"] != "root" {
		t.Fatal("spec image has no owner root")
	}
	img["owner"] = "mockuser"
	return g
}

// Deliberate: the original's blob JSON carries the content inline; ours carries the href of the content instead, since a blob may be
// of any size and is streamed from there (wire.BlobJSON's doc).
func blobContentHref(t *testing.T, g any) any {
	b := g.(map[string]any)["blob"].(map[string]any)
	if _, ok := b["content"].(string); !ok {
		t.Fatal("spec blob has no inline content")
	}
	b["content"] = b["href"].(string) + "/content"
	return g
}

// numberField returns the deliberate difference of a created bucket's
// size and a created volume's capacity: the original's are strings (a
// created bucket's size "0", as the original mock; a created volume's capacity the
// parameter's text) while its fixtures' are numbers (3, 1); ours are
// always numbers (wire.Number), so a client reads one type.
func numberField(doc, field string) func(t *testing.T, g any) any {
	return func(t *testing.T, g any) any {
		m := g.(map[string]any)[doc].(map[string]any)
		s, ok := m[field].(string)
		n, err := strconv.ParseFloat(s, 64)
		if !ok || err != nil {
			t.Fatalf("spec %s has no %s string", doc, field)
		}
		m[field] = n
		return g
	}
}

// goldenBlobForm is the multipart upload of the blob_create goldens:
// blob_id, one metadata entry, then the file hello.txt (text/plain).
func goldenBlobForm(t *testing.T, path string) tuReq {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for _, kv := range [][2]string{{"blob_id", "hello"}, {"meta_params", "1"}, {"meta_name1", "author"}, {"meta_value1", "golden"}} {
		if err := w.WriteField(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="blob_data"; filename="hello.txt"`)
	h.Set("Content-Type", "text/plain")
	f, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("hello, golden\n"))
	w.Close()
	return tuReq{Method: http.MethodPost, Path: path, Creds: tuMockUser, Body: &b, ContentType: w.FormDataContentType()}
}

// goldenBlobPut is the raw upload of the blob_put goldens.
func goldenBlobPut(path string) tuReq {
	return tuReq{Method: http.MethodPut, Path: path, Creds: tuMockUser, Body: strings.NewReader("put by the spec"),
		ContentType: "text/plain", Header: map[string]string{"X-Deltacloud-Blobmeta-Version": "2"}}
}

// specRequestHeader is the header line of a spec golden that names its
// request where the file name cannot: "METHOD path [form or description]".
// A path segment in <angle brackets> stands for an id the spec cannot know.
const specRequestHeader = "X-Spec-Request"

// wildcard in a value of a spec golden matches any run of characters:
// "*" matches any value, "volume_*/attach" any volume's attach link.
const wildcard = "*"

// wildcardMatch reports whether got matches the spec value want, which
// holds at least one wildcard.
func wildcardMatch(want, got string) bool {
	if !strings.Contains(want, wildcard) {
		return false
	}
	parts := strings.Split(want, wildcard)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("^" + strings.Join(parts, "(?s:.*)") + "$").MatchString(got)
}

// TestSpecGoldens replays every spec golden and compares status,
// Content-Type, the headers it lists (values may be wildcards), the
// X-Deltacloud-Blobmeta-* headers as a set, the headers the case says are
// absent, and the body: XML and JSON structurally, with wildcards, HTML for
// the lines of text the golden lists, other bodies exactly.
func TestSpecGoldens(t *testing.T) {
	dir := filepath.Join("testdata", "golden-spec")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".txt"))
	}
	for _, n := range names {
		if _, ok := specGoldenCases[n]; !ok {
			t.Errorf("spec golden %s has no replay case", n)
		}
	}
	for n := range specGoldenCases {
		if !slices.Contains(names, n) {
			t.Errorf("replay case %s has no spec golden", n)
		}
	}
	for name, c := range specGoldenCases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g, err := golden.Read(dir, name)
			if err != nil {
				t.Fatal(err)
			}
			s, req := c.serve(t)
			checkSpecRequest(t, g.Header.Get(specRequestHeader), req)
			r := s.do(t, req)
			compareSpecHeaders(t, s, c, g, r)
			compareSpecBody(t, s, c, g, r)
		})
	}
}

// serve starts the case's mock, runs its setup and returns the server and
// the request to replay.
func (c specCase) serve(t *testing.T) (*tuServer, tuReq) {
	t.Helper()
	opts := tuMockOptions(t)
	maps.Copy(opts.DriverOptions["mock"], c.mock)
	s := tuStart(t, opts)
	for _, step := range c.setup {
		s.must2xx(t, step)
	}
	req := c.req
	if c.prepare != nil {
		req = c.prepare(t, s)
	}
	return s, req
}

// checkSpecRequest checks that a golden's X-Spec-Request line names the
// request replayed: method and path (<…> segments match any), and the
// urlencoded form where one is sent.
func checkSpecRequest(t *testing.T, line string, req tuReq) {
	t.Helper()
	if line == "" {
		return
	}
	f := strings.Fields(line)
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	if len(f) < 2 || f[0] != method || !specPathMatch(f[1], req.Path) {
		t.Fatalf("%s %q does not name the replayed request %s %s", specRequestHeader, line, method, req.Path)
	}
	if req.Form != nil && (len(f) < 3 || f[2] != req.Form.Encode()) {
		t.Fatalf("%s %q does not name the replayed form %s", specRequestHeader, line, req.Form.Encode())
	}
}

func specPathMatch(pattern, path string) bool {
	ps, qs := strings.Split(pattern, "/"), strings.Split(path, "/")
	if len(ps) != len(qs) {
		return false
	}
	for i := range ps {
		if ps[i] != qs[i] && !(strings.HasPrefix(ps[i], "<") && strings.HasSuffix(ps[i], ">")) {
			return false
		}
	}
	return true
}

func compareSpecHeaders(t *testing.T, s *tuServer, c specCase, g golden.Response, r tuResp) {
	t.Helper()
	want := g.Status
	if c.status != 0 {
		want = c.status
	}
	if r.Status != want {
		t.Fatalf("status %d, want %d\n%s", r.Status, want, r)
	}
	for k := range g.Header {
		if k == specRequestHeader {
			continue
		}
		got, want := s.norm(r.Header.Get(k)), g.Header.Get(k)
		if got != want && !(got != "" && wildcardMatch(want, got)) {
			t.Errorf("%s %q, want %q", k, got, want)
		}
	}
	for _, k := range c.absent {
		if v, ok := r.Header[k]; ok {
			t.Errorf("%s %q, want none", k, v)
		}
	}
	blobmeta := func(h http.Header) []string {
		var ks []string
		for k := range h {
			if strings.HasPrefix(k, "X-Deltacloud-Blobmeta-") {
				ks = append(ks, k)
			}
		}
		slices.Sort(ks)
		return ks
	}
	if got, want := blobmeta(r.Header), blobmeta(g.Header); !slices.Equal(got, want) {
		t.Errorf("blob metadata headers %q, want %q", got, want)
	}
}

func compareSpecBody(t *testing.T, s *tuServer, c specCase, g golden.Response, r tuResp) {
	t.Helper()
	want := bytes.TrimSpace(g.Body)
	switch {
	case len(want) == 0:
		if len(r.Body) != 0 && g.Status < 400 {
			t.Errorf("body %q, want none", r.Body)
		}
	case strings.HasPrefix(g.Header.Get("Content-Type"), "text/html"):
		// Our pages are our own (../golden's README): the golden lists
		// lines of text the page must hold.
		page := s.norm(string(r.Body))
		for line := range strings.Lines(string(want)) {
			if line = strings.TrimSpace(line); line != "" && !strings.Contains(page, line) {
				t.Errorf("page lacks %q:\n%s", line, r.Body)
			}
		}
	case want[0] == '<':
		w := tuParseXML(t, want)
		if c.wantXML != nil {
			c.wantXML(t, w)
		}
		got := s.normXML(tuParseXML(t, r.Body))
		applyWildcards(w, got)
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("XML differs (-spec +ours):\n%s\nours:\n%s", diff, r.Body)
		}
	case want[0] == '{' || want[0] == '[':
		w := tuParseJSON(t, want)
		if c.wantJSON != nil {
			w = c.wantJSON(t, w)
		}
		got := s.normJSON(tuParseJSON(t, r.Body))
		w = applyJSONWildcards(w, got)
		if diff := cmp.Diff(w, got); diff != "" {
			t.Errorf("JSON differs (-spec +ours):\n%s\nours: %s", diff, r.Body)
		}
	default:
		if !bytes.Equal(r.Body, want) {
			t.Errorf("body %q, want %q", r.Body, want)
		}
	}
}

// applyWildcards copies into want the values of got that its wildcards
// match, walking both trees in step as far as they agree in shape.
func applyWildcards(want, got *tuNode) {
	if want == nil || got == nil || want.Name != got.Name {
		return
	}
	if wildcardMatch(want.Text, got.Text) {
		want.Text = got.Text
	}
	for k, v := range want.Attrs {
		if g, ok := got.Attrs[k]; ok && wildcardMatch(v, g) {
			want.Attrs[k] = g
		}
	}
	for i := range min(len(want.Children), len(got.Children)) {
		applyWildcards(want.Children[i], got.Children[i])
	}
}

// applyJSONWildcards returns want with the values of got that its
// wildcards match: "*" matches any value (null too), "prefix*" a string
// with that prefix. Objects are walked key by key, arrays element by
// element, as far as both go.
func applyJSONWildcards(want, got any) any {
	switch w := want.(type) {
	case string:
		if w == wildcard {
			return got
		}
		if g, ok := got.(string); ok && wildcardMatch(w, g) {
			return g
		}
	case map[string]any:
		if g, ok := got.(map[string]any); ok {
			for k := range w {
				if gv, ok := g[k]; ok {
					w[k] = applyJSONWildcards(w[k], gv)
				}
			}
		}
	case []any:
		if g, ok := got.([]any); ok {
			for i := range min(len(w), len(g)) {
				w[i] = applyJSONWildcards(w[i], g[i])
			}
		}
	}
	return want
}
