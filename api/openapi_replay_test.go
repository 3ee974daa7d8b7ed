package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	validator "github.com/pb33f/libopenapi-validator"
)

// openAPIReplays are the requests of TestGoldenReplay and TestSpecGoldens,
// by their golden's name: every request the goldens record, each as a
// specCase that can serve it.
func openAPIReplays() map[string]specCase {
	out := map[string]specCase{}
	for name, c := range goldenCases {
		out["golden/"+name] = specCase{setup: c.setup, req: c.req}
	}
	for name, c := range specGoldenCases {
		out["spec/"+name] = c
	}
	return out
}

// asJSON is r asking for JSON: ?format=json for ?format=xml, or the Accept
// header, so that every replay is also validated against the document's
// JSON Schemas.
func asJSON(r tuReq) tuReq {
	switch {
	case strings.Contains(r.Path, "format=json"):
	case strings.Contains(r.Path, "format="):
		r.Path = strings.Replace(r.Path, "format=xml", "format=json", 1)
	default:
		r.Accept = "application/json"
	}
	return r
}

// tuOpenAPICheck validates responses against one OpenAPI document (the
// validator is used by one goroutine at a time).
type tuOpenAPICheck struct {
	mu sync.Mutex
	v  validator.Validator
	// base is the document's server's URL: requests are validated as
	// sent to it.
	base string
}

// check validates r's answer resp; it returns the validation errors.
func (c *tuOpenAPICheck) check(tb testing.TB, r tuReq, resp tuResp) []string {
	tb.Helper()
	req := r.request(tb, c.base)
	hr := &http.Response{StatusCode: resp.Status, Header: resp.Header, Request: req,
		Body: io.NopCloser(bytes.NewReader(resp.Body))}
	c.mu.Lock()
	ok, errs := c.v.ValidateHttpResponse(req, hr)
	c.mu.Unlock()
	if ok {
		return nil
	}
	var out []string
	for _, e := range errs {
		msg := e.Message + ": " + e.Reason
		for _, f := range e.SchemaValidationErrors {
			msg += fmt.Sprintf("\n  %s at %s (%s)", f.Reason, f.FieldPath, f.KeywordLocation)
		}
		out = append(out, msg)
	}
	return out
}

// tuMockOpenAPICheck serves the mock with every optional collection it can
// have (firewalls on) and returns a check against its document; a 412
// replay is valid there too, as every provider-dependent operation lists
// 412.
func tuMockOpenAPICheck(tb testing.TB, doc func([]byte) []byte) *tuOpenAPICheck {
	tb.Helper()
	opts := tuMockOptions(tb)
	opts.DriverOptions["mock"]["firewalls"] = "true"
	s := tuStart(tb, opts)
	body := tuOpenAPI(tb, s, "/api/openapi.json")
	if doc != nil {
		body = doc(body)
	}
	return &tuOpenAPICheck{v: tuOpenAPIValidator(tb, body), base: s.URL}
}

// TestOpenAPIReplays sends every request of the golden and spec replays,
// as recorded and asking for JSON, and validates each answer against the
// served document: its status must be listed for the operation, its
// Content-Type among the status' media types, and a JSON body must
// validate against the schema. A schema that lies fails here.
func TestOpenAPIReplays(t *testing.T) {
	check := tuMockOpenAPICheck(t, nil)
	var answers, jsonBodies atomic.Int64
	replays := openAPIReplays()
	t.Cleanup(func() {
		t.Logf("%d replays: %d answers validated, %d of them JSON documents", len(replays), answers.Load(), jsonBodies.Load())
		if !t.Failed() && jsonBodies.Load() < 60 {
			t.Errorf("only %d JSON documents were validated", jsonBodies.Load())
		}
	})
	for _, name := range slices.Sorted(maps.Keys(replays)) {
		c := replays[name]
		for _, variant := range []string{"recorded", "json"} {
			t.Run(name+"/"+variant, func(t *testing.T) {
				t.Parallel()
				s, req := c.serve(t)
				if variant == "json" {
					req = asJSON(req)
				}
				resp := s.do(t, req)
				if req.Body != nil {
					req.Body = nil // sent; the validator reads no request body
				}
				for _, e := range check.check(t, req, resp) {
					t.Errorf("%s %s: %s\nanswer: %s", req.Method, req.Path, e, resp)
				}
				answers.Add(1)
				if resp.Header.Get("Content-Type") == "application/json" && len(resp.Body) > 0 {
					jsonBodies.Add(1)
				}
			})
		}
	}
}

// TestOpenAPISchemasThatLie breaks a copy of the document in ways a schema
// could lie, and checks that the replay of a real answer then fails: the
// validation of TestOpenAPIReplays can fail.
func TestOpenAPISchemasThatLie(t *testing.T) {
	instances := tuReq{Path: "/api/instances?format=json", Creds: tuMockUser}
	tests := []struct {
		name   string
		req    tuReq
		mutate func(doc map[string]any)
	}{
		{name: "a property of the wrong type", req: instances, mutate: func(doc map[string]any) {
			schema(doc, "Instance")["properties"].(map[string]any)["state"] = map[string]any{"type": "integer"}
		}},
		{name: "a property the answer has not", req: instances, mutate: func(doc map[string]any) {
			s := schema(doc, "Instance")
			s["required"] = append(s["required"].([]any), "uptime")
		}},
		{name: "a property missing from the schema", req: tuReq{Path: "/api/realms?format=json", Creds: tuMockUser},
			mutate: func(doc map[string]any) {
				delete(schema(doc, "Realm")["properties"].(map[string]any), "limit")
			}},
		{name: "null where the schema says a string", req: tuReq{Path: "/api/keys/test-key?format=json", Creds: tuMockUser},
			mutate: func(doc map[string]any) {
				schema(doc, "Key")["properties"].(map[string]any)["password"] = map[string]any{"type": "string"}
			}},
		{name: "a status the document does not list", req: tuReq{Path: "/api/instances/nope?format=json", Creds: tuMockUser},
			mutate: func(doc map[string]any) {
				op := doc["paths"].(map[string]any)["/instances/{id}"].(map[string]any)["get"].(map[string]any)
				delete(op["responses"].(map[string]any), "404")
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			check := tuMockOpenAPICheck(t, func(body []byte) []byte {
				var doc map[string]any
				if err := json.Unmarshal(body, &doc); err != nil {
					t.Fatal(err)
				}
				tt.mutate(doc)
				b, err := json.Marshal(doc)
				if err != nil {
					t.Fatal(err)
				}
				return b
			})
			s := tuStart(t, tuMockOptions(t))
			resp := s.do(t, tt.req)
			if errs := check.check(t, tt.req, resp); len(errs) == 0 {
				t.Errorf("the broken document accepts %s %s: %s", tt.req.Method, tt.req.Path, resp)
			}
		})
	}
}

// schema is a component schema of a decoded document.
func schema(doc map[string]any, name string) map[string]any {
	return doc["components"].(map[string]any)["schemas"].(map[string]any)[name].(map[string]any)
}
