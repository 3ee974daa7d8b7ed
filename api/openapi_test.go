package api_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/config"
)

// tuOpenAPI fetches the OpenAPI document s serves at path.
func tuOpenAPI(tb testing.TB, s *tuServer, path string) []byte {
	tb.Helper()
	r := s.do(tb, tuReq{Path: path})
	if r.Status != http.StatusOK || r.Header.Get("Content-Type") != "application/json" {
		tb.Fatalf("GET %s: %s", path, r)
	}
	return r.Body
}

// tuOpenAPIValidator fails unless doc is a valid OpenAPI 3.1 document (its
// model builds and it validates against the OpenAPI 3.1 schema), and
// returns a validator of responses against it that also refuses a status
// the document does not list.
func tuOpenAPIValidator(tb testing.TB, doc []byte) validator.Validator {
	tb.Helper()
	d, err := libopenapi.NewDocument(doc)
	if err != nil {
		tb.Fatalf("parsing the OpenAPI document: %v", err)
	}
	if v := d.GetVersion(); v != "3.1.0" {
		tb.Fatalf("OpenAPI version %q, want 3.1.0", v)
	}
	if _, err := d.BuildV3Model(); err != nil {
		tb.Fatalf("building the OpenAPI model: %v", err)
	}
	v, errs := validator.NewValidator(d, config.WithFormatAssertions())
	if len(errs) > 0 {
		tb.Fatalf("making the validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			tb.Errorf("document: %s: %s", e.Message, e.Reason)
			for _, f := range e.SchemaValidationErrors {
				tb.Errorf("  %s at %s", f.Reason, f.KeywordLocation)
			}
		}
		tb.FailNow()
	}
	return v
}

// tuOpenAPIParams lists the parameters of one operation of a decoded
// document, path, query and form alike, sorted; nil when the document
// lacks the operation.
func tuOpenAPIParams(tb testing.TB, doc map[string]any, method, path string) []string {
	tb.Helper()
	item, _ := doc["paths"].(map[string]any)[path].(map[string]any)
	op, ok := item[strings.ToLower(method)].(map[string]any)
	if !ok {
		return nil
	}
	names := []string{}
	ps, _ := op["parameters"].([]any)
	for _, p := range ps {
		names = append(names, p.(map[string]any)["name"].(string))
	}
	if body, ok := op["requestBody"].(map[string]any); ok {
		form, _ := body["content"].(map[string]any)["application/x-www-form-urlencoded"].(map[string]any)
		if form != nil {
			props := form["schema"].(map[string]any)["properties"].(map[string]any)
			names = append(names, slices.Collect(maps.Keys(props))...)
		}
	}
	slices.Sort(names)
	return names
}

// TestOpenAPIDocument checks that GET {B}/openapi.json is a valid OpenAPI
// 3.1 document of what the selected provider serves: its optional
// collections only where served, the parameters a feature adds only where
// the provider advertises the feature.
func TestOpenAPIDocument(t *testing.T) {
	createParams := []string{"client_token", "hwp_architecture", "hwp_cpu", "hwp_id", "hwp_memory", "hwp_storage",
		"image_id", "realm_id"}
	mockFeatureParams := []string{"keyname", "metrics", "name", "user_data"}
	tests := []struct {
		name string
		mock map[string]string // options of the mock driver
		path string
		// want maps "METHOD path" to the operation's parameters, nil
		// where the document must not have the operation.
		want map[string][]string
	}{
		{name: "mock", path: "/api/openapi.json", want: map[string][]string{
			"GET /":                            {"force_auth"},
			"GET /instances":                   {"id", "owner_id", "realm_id", "state"},
			"POST /instances":                  slices.Sorted(slices.Values(append(slices.Clone(createParams), mockFeatureParams...))),
			"POST /instances/{id}/reboot":      {"id"},
			"POST /images":                     {"description", "instance_id", "name"},
			"GET /images":                      {"architecture", "id"},
			"POST /storage_volumes":            {"capacity", "description", "name", "realm_id", "snapshot_id"},
			"POST /keys":                       {"name"},
			"POST /buckets":                    {"name"},
			"POST /buckets/{id}":               {"blob_data", "blob_id", "id", "meta_params"},
			"PUT /buckets/{id}/{blob_id}":      {"blob_id", "id"},
			"HEAD /buckets/{id}/{blob_id}":     {"blob_id", "id"},
			"GET /metrics/{id}":                {"id"},
			"GET /firewalls":                   nil,
			"POST /instances/{id}/run":         nil,
			"GET /load_balancers":              nil,
			"DELETE /firewalls/{id}/{rule_id}": nil,
		}},
		{name: "mock with firewalls", mock: map[string]string{"firewalls": "true"}, path: "/api/openapi.json", want: map[string][]string{
			"GET /firewalls":                   {},
			"DELETE /firewalls/{id}/{rule_id}": {"id", "rule_id"},
		}},
		{name: "a driver without features or optional collections", path: "/api;driver=" + tuScopedDriver + "/openapi.json",
			want: map[string][]string{
				"GET /instances":  {"id", "owner_id", "state"},
				"POST /instances": createParams,
				"GET /realms":     {"id"},
				"POST /images":    nil,
				"GET /keys":       nil,
				"GET /buckets":    nil,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := tuMockOptions(t)
			maps.Copy(opts.DriverOptions["mock"], tt.mock)
			s := tuStart(t, opts)
			body := tuOpenAPI(t, s, tt.path)
			tuOpenAPIValidator(t, body)
			var doc map[string]any
			if err := json.Unmarshal(body, &doc); err != nil {
				t.Fatal(err)
			}
			for key, want := range tt.want {
				method, path, _ := strings.Cut(key, " ")
				if diff := cmp.Diff(want, tuOpenAPIParams(t, doc, method, path)); diff != "" {
					t.Errorf("%s parameters (-want +got):\n%s", key, diff)
				}
			}
		})
	}
}

// TestOpenAPIServing checks how the document is served: the same bytes
// every time with the ETag of the handler's other documents, HEAD without
// a body, other methods refused, the server URL keeping a chosen driver,
// and no secret of the operator's in it.
func TestOpenAPIServing(t *testing.T) {
	opts := tuMockOptions(t)
	opts.Provider = "https://operator:s3cret@mock.example.com/"
	s := tuStart(t, opts)
	first := s.do(t, tuReq{Path: "/api/openapi.json"})
	second := s.do(t, tuReq{Path: "/api/openapi.json", Creds: tuMockUser})
	head := s.do(t, tuReq{Method: http.MethodHead, Path: "/api/openapi.json"})
	post := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/openapi.json"})
	chosen := s.do(t, tuReq{Path: "/api;driver=" + tuScopedDriver + "/openapi.json"})

	if first.Status != http.StatusOK || first.Header.Get("ETag") == "" || first.Header.Get("Cache-Control") == "" {
		t.Fatalf("GET: %s", first)
	}
	if !bytes.Equal(first.Body, second.Body) || first.Header.Get("ETag") != second.Header.Get("ETag") {
		t.Error("two GETs answered different documents")
	}
	if head.Status != http.StatusOK || len(head.Body) != 0 || head.Header.Get("ETag") != first.Header.Get("ETag") {
		t.Errorf("HEAD: %s", head)
	}
	if post.Status != http.StatusMethodNotAllowed || post.Header.Get("Allow") != "GET,HEAD" {
		t.Errorf("POST: %s", post)
	}
	if bytes.Contains(first.Body, []byte("s3cret")) {
		t.Error("the document shows the password of the provider's URL")
	}
	var doc struct {
		Servers []struct{ URL string } `json:"servers"`
	}
	if err := json.Unmarshal(chosen.Body, &doc); err != nil {
		t.Fatal(err)
	}
	want := []struct{ URL string }{{s.URL + "/api;driver=" + tuScopedDriver + ";provider=https:%2F%2Fmock.example.com%2F"}}
	if diff := cmp.Diff(want, doc.Servers); diff != "" {
		t.Errorf("servers (-want +got):\n%s", diff)
	}
}
