package api_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The optional collections through the handler, on the mock: status codes
// of the state checks, the blob routes with streamed content, the forms.

// tuFirewallOptions is tuMockOptions with the mock's firewalls on.
func tuFirewallOptions(tb testing.TB) (o struct{ s *tuServer }) {
	opts := tuMockOptions(tb)
	opts.DriverOptions["mock"]["firewalls"] = "true"
	o.s = tuStart(tb, opts)
	return o
}

func TestOptionalStatusCodes(t *testing.T) {
	post := func(path string, form url.Values) tuReq {
		return tuReq{Method: http.MethodPost, Path: path, Creds: tuMockUser, Form: form}
	}
	del := func(path string) tuReq { return tuReq{Method: http.MethodDelete, Path: path, Creds: tuMockUser} }
	get := func(path string) tuReq { return tuReq{Path: path, Creds: tuMockUser} }
	tests := []struct {
		name   string
		setup  []tuReq
		req    tuReq
		status int
		check  func(t *testing.T, r tuResp)
	}{
		{name: "keys index", req: get("/api/keys?format=xml"), status: 200},
		{name: "key show", req: get("/api/keys/test-key?format=json"), status: 200},
		{name: "key unknown", req: get("/api/keys/nope?format=xml"), status: 404},
		{name: "key create", req: post("/api/keys?format=xml", url.Values{"name": {"k1"}}), status: 201,
			check: func(t *testing.T, r tuResp) {
				if !strings.HasSuffix(r.Header.Get("Location"), "/api/keys/k1") || !bytes.Contains(r.Body, []byte("<pem>")) {
					t.Errorf("Location %q, body %s", r.Header.Get("Location"), r.Body)
				}
			}},
		{name: "key duplicate", req: post("/api/keys?format=xml", url.Values{"name": {"test-key"}}), status: 403},
		{name: "key without name", req: post("/api/keys?format=xml", nil), status: 400},
		{name: "key destroy", req: del("/api/keys/test-key"), status: 204},

		{name: "addresses index", req: get("/api/addresses?format=json"), status: 200},
		{name: "address create", req: post("/api/addresses?format=xml", nil), status: 201},
		{name: "address associate", req: post("/api/addresses/192.168.0.1/associate", url.Values{"instance_id": {"inst0"}}), status: 202,
			check: func(t *testing.T, r tuResp) {
				if len(r.Body) != 0 {
					t.Errorf("body %q, want none", r.Body)
				}
			}},
		{name: "address in use", setup: []tuReq{post("/api/addresses/192.168.0.1/associate", url.Values{"instance_id": {"inst0"}})},
			req: del("/api/addresses/192.168.0.1"), status: 403},
		{name: "address associated twice", setup: []tuReq{post("/api/addresses/192.168.0.1/associate", url.Values{"instance_id": {"inst0"}})},
			req: post("/api/addresses/192.168.0.1/associate", url.Values{"instance_id": {"inst1"}}), status: 403},
		{name: "address disassociate free", req: post("/api/addresses/192.168.0.1/disassociate", nil), status: 403},
		{name: "address associate without instance", req: post("/api/addresses/192.168.0.1/associate", nil), status: 400},

		{name: "volumes index", req: get("/api/storage_volumes?format=xml"), status: 200},
		{name: "volume create", req: post("/api/storage_volumes?format=xml", url.Values{"capacity": {"5"}, "name": {"data"}}), status: 201},
		{name: "volume bad capacity", req: post("/api/storage_volumes?format=xml", url.Values{"capacity": {"lots"}}), status: 400},
		{name: "volume attach", req: post("/api/storage_volumes/vol1/attach?format=json", url.Values{"instance_id": {"inst0"}, "device": {"/dev/sdb"}}),
			status: 202, check: func(t *testing.T, r tuResp) {
				if !bytes.Contains(r.Body, []byte(`"state":"IN-USE"`)) {
					t.Errorf("body %s", r.Body)
				}
			}},
		{name: "volume attach empty device", req: post("/api/storage_volumes/vol1/attach?format=xml", url.Values{"instance_id": {"inst0"}, "device": {""}}), status: 202},
		{name: "volume attach without device", req: post("/api/storage_volumes/vol1/attach?format=xml", url.Values{"instance_id": {"inst0"}}), status: 400},
		{name: "volume attach to stopped instance", setup: []tuReq{post("/api/instances/inst0/stop", nil)},
			req: post("/api/storage_volumes/vol1/attach?format=xml", url.Values{"instance_id": {"inst0"}, "device": {"/dev/sdb"}}), status: 403},
		{name: "volume attach attached", req: post("/api/storage_volumes/vol3/attach?format=xml", url.Values{"instance_id": {"inst0"}, "device": {"x"}}), status: 403},
		{name: "volume delete attached", req: del("/api/storage_volumes/vol3"), status: 403},
		{name: "volume detach", req: post("/api/storage_volumes/vol3/detach?format=xml", nil), status: 202},
		{name: "volume destroy", req: del("/api/storage_volumes/vol1"), status: 204},

		{name: "snapshots index", req: get("/api/storage_snapshots?format=xml"), status: 200},
		{name: "snapshot create", req: post("/api/storage_snapshots?format=xml", url.Values{"volume_id": {"vol1"}}), status: 201},
		{name: "snapshot of unknown volume", req: post("/api/storage_snapshots?format=xml", url.Values{"volume_id": {"nope"}}), status: 404},
		{name: "snapshot destroy", req: del("/api/storage_snapshots/snap1"), status: 204},

		{name: "buckets index", req: get("/api/buckets?format=xml"), status: 200},
		{name: "bucket create", req: post("/api/buckets?format=xml", url.Values{"name": {"b3"}}), status: 201},
		{name: "bucket delete non-empty", req: del("/api/buckets/bucket1"), status: 403},
		{name: "bucket delete unknown", req: del("/api/buckets/nope"), status: 404},
		{name: "blob show", req: get("/api/buckets/bucket1/blob1?format=json"), status: 200},
		{name: "blob unknown", req: get("/api/buckets/bucket1/nope?format=xml"), status: 404},
		{name: "blob head unknown", req: tuReq{Method: http.MethodHead, Path: "/api/buckets/bucket1/nope", Creds: tuMockUser}, status: 404},
		{name: "blob content unknown", req: get("/api/buckets/bucket1/nope/content"), status: 404},
		{name: "blob destroy", req: del("/api/buckets/bucket1/blob1"), status: 204},

		{name: "metrics index", req: get("/api/metrics?format=xml"), status: 200},
		{name: "metric show", req: get("/api/metrics/inst0?format=json"), status: 200},

		{name: "image create", req: post("/api/images?format=xml", url.Values{"instance_id": {"inst0"}, "name": {"myimg"}}), status: 201,
			check: func(t *testing.T, r tuResp) {
				if !strings.HasSuffix(r.Header.Get("Location"), "/api/images/myimg") {
					t.Errorf("Location %q", r.Header.Get("Location"))
				}
			}},
		{name: "image of an instance that cannot be imaged", req: post("/api/images?format=xml", url.Values{"instance_id": {"inst3"}, "name": {"x"}}), status: 403},
		{name: "image of an unknown instance", req: post("/api/images?format=xml", url.Values{"instance_id": {"nope"}, "name": {"x"}}), status: 404},
		{name: "image create without instance", req: post("/api/images?format=xml", nil), status: 400},
		{name: "image destroy", req: del("/api/images/img1"), status: 204},
		{name: "image form without instance", req: tuReq{Path: "/api/images/new", Accept: "text/html", Creds: tuMockUser}, status: 404},
		{name: "image form", req: tuReq{Path: "/api/images/new?instance_id=inst0", Accept: "text/html", Creds: tuMockUser}, status: 200},
		{name: "keys need credentials", req: tuReq{Path: "/api/keys"}, status: 401},
		{name: "412 firewalls without the option", req: get("/api/firewalls/default"), status: 412},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := tuStart(t, tuMockOptions(t))
			for _, step := range tt.setup {
				s.must2xx(t, step)
			}
			r := s.do(t, tt.req)
			if r.Status != tt.status {
				t.Fatalf("status %d, want %d\n%s", r.Status, tt.status, r)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestFirewallRoutes(t *testing.T) {
	s := tuFirewallOptions(t).s
	s.must2xx(t, tuReq{Method: http.MethodPost, Path: "/api/firewalls", Creds: tuMockUser,
		Form: url.Values{"name": {"web"}, "description": {"web servers"}}})
	r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/firewalls/web/rules?format=json", Creds: tuMockUser,
		Form: url.Values{"protocol": {"tcp"}, "port_from": {"80"}, "port_to": {"443"}, "ip_address1": {"10.0.0.0/8"}, "group1": {"default"}, "group1owner": {"mockuser"}}})
	if r.Status != 201 {
		t.Fatalf("add rule: %s", r)
	}
	var doc struct {
		Firewall struct {
			Rules []struct {
				ID      string
				Sources []map[string]string
			}
		}
	}
	if err := json.Unmarshal(r.Body, &doc); err != nil || len(doc.Firewall.Rules) != 1 || len(doc.Firewall.Rules[0].Sources) != 2 {
		t.Fatalf("rule document %s: %v", r.Body, err)
	}
	if r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/firewalls/web/rules", Creds: tuMockUser, Form: url.Values{"protocol": {"tcp"}}}); r.Status != 400 ||
		!bytes.Contains(r.Body, []byte("No sources. Specify at least one source ip address or group.")) {
		t.Errorf("rule without sources: %s", r)
	}
	if r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/firewalls", Creds: tuMockUser, Form: url.Values{"name": {"web"}, "description": {"again"}}}); r.Status != 403 {
		t.Errorf("duplicate firewall: %s", r)
	}
	if r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/firewalls", Creds: tuMockUser, Form: url.Values{"name": {"x"}}}); r.Status != 400 {
		t.Errorf("firewall without description: %s", r)
	}
	rule := url.PathEscape(doc.Firewall.Rules[0].ID)
	s.must2xx(t, tuReq{Method: http.MethodDelete, Path: "/api/firewalls/web/" + rule, Creds: tuMockUser})
	if r := s.do(t, tuReq{Method: http.MethodDelete, Path: "/api/firewalls/web/" + rule, Creds: tuMockUser}); r.Status != 404 {
		t.Errorf("deleting the rule again: %s", r)
	}
	s.must2xx(t, tuReq{Method: http.MethodDelete, Path: "/api/firewalls/web", Creds: tuMockUser})
}

// TestBlobRoutes runs every blob route: PUT with headers, HEAD, metadata
// update, content download, multipart and urlencoded uploads.
func TestBlobRoutes(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	r := s.do(t, tuReq{Method: http.MethodPut, Path: "/api/buckets/bucket2/note?format=xml", Creds: tuMockUser,
		Body: strings.NewReader("hello, blob"), ContentType: "text/plain",
		Header: map[string]string{"X-Deltacloud-Blobmeta-Version": "1.2", "X-Deltacloud-Blobmeta-Author": "me"}})
	if r.Status != 200 || !bytes.Contains(r.Body, []byte(`key="version"`)) || !bytes.Contains(r.Body, []byte("<content_length>11<")) {
		t.Fatalf("PUT: %s", r)
	}
	r = s.do(t, tuReq{Method: http.MethodHead, Path: "/api/buckets/bucket2/note", Creds: tuMockUser})
	if r.Status != 204 || r.Header.Get("X-Deltacloud-Blobmeta-version") != "1.2" || r.Header.Get("X-Deltacloud-Blobmeta-author") != "me" {
		t.Errorf("HEAD: %s", r)
	}
	r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2/note", Creds: tuMockUser,
		Header: map[string]string{"X-Deltacloud-Blobmeta-Colour": "blue"}})
	if r.Status != 204 || r.Header.Get("X-Deltacloud-Blobmeta-Colour") != "blue" || r.Header.Get("X-Deltacloud-Blobmeta-version") != "" {
		t.Errorf("metadata update: %s", r)
	}
	r = s.do(t, tuReq{Path: "/api/buckets/bucket2/note/content", Creds: tuMockUser, Accept: "application/xml"})
	if r.Status != 200 || string(r.Body) != "hello, blob" || r.Header.Get("Content-Type") != "text/plain" ||
		r.Header.Get("Content-Disposition") != "attachment; filename=note" || r.Header.Get("Content-Length") != "11" {
		t.Errorf("content: %s", r)
	}
	// A multipart form, blob_id and metadata before the file.
	body, ct := blobForm(t, []string{"blob_id", "up1", "meta_params", "1", "meta_name1", "k", "meta_value1", "v"}, "file", []byte("form content"))
	r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2?format=json", Creds: tuMockUser, Body: body, ContentType: ct})
	if r.Status != 201 || !bytes.Contains(r.Body, []byte(`"user_metadata":{"k":"v"}`)) || r.Header.Get("Location") != "" {
		t.Fatalf("multipart upload: %s", r)
	}
	// The file first, blob_id and metadata after it (spooled).
	body, ct = blobForm(t, nil, "file", []byte("late id"), "blob_id", "up2", "meta_name1", "a", "meta_value1", "b")
	r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2?format=json", Creds: tuMockUser, Body: body, ContentType: ct})
	if r.Status != 201 || !bytes.Contains(r.Body, []byte(`"user_metadata":{"a":"b"}`)) || !bytes.Contains(r.Body, []byte(`"content_length":7`)) {
		t.Fatalf("multipart upload with the id last: %s", r)
	}
	// Metadata after the file, the id before it.
	body, ct = blobForm(t, []string{"blob_id", "up3"}, "file", []byte("x"), "meta_name1", "late", "meta_value1", "yes")
	r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2?format=json", Creds: tuMockUser, Body: body, ContentType: ct})
	if r.Status != 201 || !bytes.Contains(r.Body, []byte(`"user_metadata":{"late":"yes"}`)) {
		t.Fatalf("multipart upload with metadata last: %s", r)
	}
	body, ct = blobForm(t, []string{"blob_id", "up4"}, "", nil)
	if r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2", Creds: tuMockUser, Body: body, ContentType: ct}); r.Status != 400 ||
		!bytes.Contains(r.Body, []byte("Required parameter 'blob_data'")) {
		t.Errorf("multipart upload without data: %s", r)
	}
	// A urlencoded form: blob_data is the content.
	r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2?format=xml", Creds: tuMockUser,
		Form: url.Values{"blob_id": {"small"}, "blob_data": {"inline"}}})
	if r.Status != 201 || !bytes.Contains(r.Body, []byte("<content_length>6<")) {
		t.Errorf("urlencoded upload: %s", r)
	}
	if r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2", Creds: tuMockUser, Form: url.Values{"blob_id": {"x"}}}); r.Status != 400 {
		t.Errorf("urlencoded upload without data: %s", r)
	}
}

// blobForm builds a multipart form: fields before the file (name, value
// pairs), the file part blob_data (left out when fileName is empty and
// data nil), then fields after it.
func blobForm(tb testing.TB, before []string, fileName string, data []byte, after ...string) (io.Reader, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(before); i += 2 {
		w.WriteField(before[i], before[i+1])
	}
	if fileName != "" || data != nil {
		f, err := w.CreateFormFile("blob_data", fileName)
		if err != nil {
			tb.Fatal(err)
		}
		f.Write(data)
	}
	for i := 0; i+1 < len(after); i += 2 {
		w.WriteField(after[i], after[i+1])
	}
	w.Close()
	return &b, w.FormDataContentType()
}

// TestBlobStreamingPastBodyCap uploads blobs far larger than MaxBodyBytes
// by PUT and by multipart POST, and reads them back: upload bodies are
// streamed, not buffered under the cap.
func TestBlobStreamingPastBodyCap(t *testing.T) {
	opts := tuMockOptions(t)
	opts.MaxBodyBytes = 1 << 10
	s := tuStart(t, opts)
	data := make([]byte, 3<<20)
	rand.Read(data)
	r := s.do(t, tuReq{Method: http.MethodPut, Path: "/api/buckets/bucket1/big?format=xml", Creds: tuMockUser,
		Body: bytes.NewReader(data), ContentType: "application/octet-stream"})
	if r.Status != 200 {
		t.Fatalf("PUT: %s", r)
	}
	if got := s.do(t, tuReq{Path: "/api/buckets/bucket1/big/content", Creds: tuMockUser}); !bytes.Equal(got.Body, data) {
		t.Errorf("PUT content differs: %d bytes back", len(got.Body))
	}
	body, ct := blobForm(t, []string{"blob_id", "big2"}, "big.bin", data)
	if r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket1?format=xml", Creds: tuMockUser, Body: body, ContentType: ct}); r.Status != 201 {
		t.Fatalf("multipart: %s", r)
	}
	if got := s.do(t, tuReq{Path: "/api/buckets/bucket1/big2/content", Creds: tuMockUser}); !bytes.Equal(got.Body, data) {
		t.Errorf("multipart content differs: %d bytes back", len(got.Body))
	}
	// The fields other than the file stay capped.
	body, ct = blobForm(t, []string{"blob_id", "big3", "meta_name1", strings.Repeat("x", 2<<10)}, "f", []byte("x"))
	if r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket1", Creds: tuMockUser, Body: body, ContentType: ct}); r.Status != 400 {
		t.Errorf("oversized fields: %s", r)
	}
}

// TestOptionalHTMLPages renders the pages and forms of the new collections.
func TestOptionalHTMLPages(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	for path, want := range map[string]string{
		"/api/keys":                         "test-key",
		"/api/keys/new":                     "Create new SSH key",
		"/api/keys/test-key":                "BEGIN",
		"/api/addresses":                    "192.168.0.1",
		"/api/addresses/192.168.0.1":        `id="associate"`,
		"/api/storage_volumes":              "vol3",
		"/api/storage_volumes/vol1":         `id="attach"`,
		"/api/storage_volumes/new":          "Create storage volume",
		"/api/storage_snapshots":            "snap1",
		"/api/storage_snapshots/snap1":      "vol1",
		"/api/storage_snapshots/new":        "Create storage snapshot",
		"/api/buckets":                      "bucket1",
		"/api/buckets/bucket1":              `enctype="multipart/form-data"`,
		"/api/buckets/new":                  "Create bucket",
		"/api/buckets/bucket1/blob1":        "SOMENEWKEY",
		"/api/metrics":                      "cpuUtilization",
		"/api/metrics/inst0":                "cpuUtilization",
		"/api/images/new?instance_id=inst0": "Create an image",
		"/api/instances/inst0":              "/images/new?instance_id=inst0",
		"/api/docs/buckets/blob_content":    "/buckets/:id/:blob_id/content",
	} {
		r := s.do(t, tuReq{Path: path, Accept: "text/html", Creds: tuMockUser})
		if r.Status != 200 || !strings.Contains(string(r.Body), want) {
			t.Errorf("%s: status %d, want a page with %q\n%.2000s", path, r.Status, want, r.Body)
		}
	}
	// Forms redirect.
	r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/buckets", Accept: "text/html", Creds: tuMockUser, Form: url.Values{"name": {"web"}}})
	if r.Status != 302 || !strings.HasSuffix(r.Header.Get("Location"), "/api/buckets/web") {
		t.Errorf("bucket form: %s", r)
	}
	r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/storage_volumes/vol1/attach", Accept: "text/html", Creds: tuMockUser,
		Form: url.Values{"instance_id": {"inst0"}, "device": {""}}})
	if r.Status != 302 || !strings.HasSuffix(r.Header.Get("Location"), "/api/storage_volumes/vol1") {
		t.Errorf("attach form: %s", r)
	}
}

// TestBlobContentType uploads blobs every way a client can and reads each
// back: the type the request gave is kept, and content sent as a string
// (a form field or query parameter without a type, as the Ruby client's
// create_blob does) is text/plain, as the original stored it.
func TestBlobContentType(t *testing.T) {
	stringField := func() (io.Reader, string) {
		var b bytes.Buffer
		w := multipart.NewWriter(&b)
		w.WriteField("blob_id", "b")
		w.WriteField("blob_data", "a string")
		w.Close()
		return &b, w.FormDataContentType()
	}
	cases := []struct {
		name string
		req  func() tuReq
		want string
	}{
		{"PUT text/plain", func() tuReq {
			return tuReq{Method: http.MethodPut, Path: "/api/buckets/bucket2/b", Body: strings.NewReader("x"), ContentType: "text/plain"}
		}, "text/plain"},
		{"PUT with charset", func() tuReq {
			return tuReq{Method: http.MethodPut, Path: "/api/buckets/bucket2/b", Body: strings.NewReader("x"), ContentType: "text/plain; charset=utf-8"}
		}, "text/plain; charset=utf-8"},
		{"PUT image/png", func() tuReq {
			return tuReq{Method: http.MethodPut, Path: "/api/buckets/bucket2/b", Body: strings.NewReader("x"), ContentType: "image/png"}
		}, "image/png"},
		{"PUT untyped", func() tuReq {
			return tuReq{Method: http.MethodPut, Path: "/api/buckets/bucket2/b", Body: strings.NewReader("x")}
		}, "application/octet-stream"},
		{"urlencoded string", func() tuReq {
			return tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2", Form: url.Values{"blob_id": {"b"}, "blob_data": {"x"}}}
		}, "text/plain"},
		{"urlencoded with content_type", func() tuReq {
			return tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2", Form: url.Values{"blob_id": {"b"}, "blob_data": {"<p/>"}, "content_type": {"text/html"}}}
		}, "text/html"},
		{"query string, empty body", func() tuReq {
			return tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2?blob_id=b&blob_data=x"}
		}, "text/plain"},
		{"multipart string field", func() tuReq {
			body, ct := stringField()
			return tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2", Body: body, ContentType: ct}
		}, "text/plain"},
		{"multipart file", func() tuReq {
			body, ct := blobForm(t, []string{"blob_id", "b"}, "f.bin", []byte("x"))
			return tuReq{Method: http.MethodPost, Path: "/api/buckets/bucket2", Body: body, ContentType: ct}
		}, "application/octet-stream"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tuStart(t, tuMockOptions(t))
			req := tc.req()
			req.Creds, req.Accept = tuMockUser, "application/json"
			s.must2xx(t, req)
			var doc struct {
				Blob struct {
					ContentType string `json:"content_type"`
				} `json:"blob"`
			}
			r := s.must2xx(t, tuReq{Path: "/api/buckets/bucket2/b?format=json", Creds: tuMockUser})
			if err := json.Unmarshal(r.Body, &doc); err != nil {
				t.Fatal(err)
			}
			got := []string{doc.Blob.ContentType, s.must2xx(t, tuReq{Path: "/api/buckets/bucket2/b/content", Creds: tuMockUser}).Header.Get("Content-Type")}
			if d := cmp.Diff([]string{tc.want, tc.want}, got); d != "" {
				t.Errorf("blob type, content type (-want +got):\n%s", d)
			}
		})
	}
}

// TestBlobMetadataLowerCase sends metadata headers in mixed case: the
// handler stores and answers the names lower-cased, as the original did,
// in the document and in the HEAD's header names as written on the wire.
func TestBlobMetadataLowerCase(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	s.must2xx(t, tuReq{Method: http.MethodPut, Path: "/api/buckets/bucket2/note", Creds: tuMockUser,
		Body: strings.NewReader("x"), ContentType: "text/plain",
		Header: map[string]string{"X-Deltacloud-Blobmeta-Author": "me", "X-DELTACLOUD-BLOBMETA-VERSION": "1.2"}})
	var doc struct {
		Blob struct {
			Meta map[string]string `json:"user_metadata"`
		} `json:"blob"`
	}
	if err := json.Unmarshal(s.must2xx(t, tuReq{Path: "/api/buckets/bucket2/note?format=json", Creds: tuMockUser}).Body, &doc); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string]string{"author": "me", "version": "1.2"}, doc.Blob.Meta); d != "" {
		t.Errorf("user_metadata (-want +got):\n%s", d)
	}
	xml := s.must2xx(t, tuReq{Path: "/api/buckets/bucket2/note?format=xml", Creds: tuMockUser}).Body
	if !bytes.Contains(xml, []byte(`<entry key="author"><![CDATA[me]]></entry>`)) {
		t.Errorf("XML has no author entry:\n%s", xml)
	}
	// The client canonicalises header names it reads, so the HEAD is
	// served to a recorder to see the names as written.
	for _, method := range []string{http.MethodHead, http.MethodPost} {
		req := tuReq{Method: method, Path: "/api/buckets/bucket2/note", Creds: tuMockUser}
		if method == http.MethodPost {
			req.Header = map[string]string{"X-Deltacloud-Blobmeta-Author": "you", "X-Deltacloud-Blobmeta-Version": "1.2"}
		}
		rec := httptest.NewRecorder()
		s.H.ServeHTTP(rec, req.request(t, s.URL))
		var names []string
		for k := range rec.Header() {
			if strings.HasPrefix(strings.ToLower(k), "x-deltacloud-blobmeta-") {
				names = append(names, k)
			}
		}
		slices.Sort(names)
		if d := cmp.Diff([]string{"X-Deltacloud-Blobmeta-author", "X-Deltacloud-Blobmeta-version"}, names); rec.Code != 204 || d != "" {
			t.Errorf("%s: %d, metadata headers (-want +got):\n%s", method, rec.Code, d)
		}
	}
}
