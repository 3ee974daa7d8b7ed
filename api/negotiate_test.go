package api_test

import (
	"bytes"
	"net/http"
	"testing"
)

// TestNegotiationEndToEnd checks format selection through the server: the answer's Content-Type, exactly, or 406 with an empty body.
func TestNegotiationEndToEnd(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	const (
		xml  = "application/xml"
		json = "application/json"
		html = "text/html"
		gv   = "application/ghostscript"
	)
	tests := []struct {
		name   string
		path   string
		accept string
		header map[string]string
		want   string // Content-Type; "" means 406
	}{
		{name: "format= beats Accept", path: "/api/realms?format=json", accept: "application/xml", want: json},
		{name: "format=xml beats */*", path: "/api/realms?format=xml", accept: "*/*", want: xml},
		{name: "format=html", path: "/api/realms?format=html", want: html},
		{name: "no Accept is XML", path: "/api/realms", want: xml},
		{name: "empty Accept is XML", path: "/api/realms", header: map[string]string{"Accept": ""}, want: xml},
		{name: "*/* is HTML", path: "/api/realms", accept: "*/*", want: html},
		{name: "text/xml", path: "/api/realms", accept: "text/xml", want: xml},
		{name: "q-values", path: "/api/realms", accept: "application/xml;q=0.4, application/json;q=0.8", want: json},
		{name: "tie prefers XML", path: "/api/realms", accept: "text/html, application/json, application/xml", want: xml},
		{name: "tie prefers JSON over HTML", path: "/api/realms", accept: "text/html;q=0.5, application/json;q=0.5", want: json},
		{name: "browser", path: "/api/realms", accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", want: html},
		{name: "application/unknown is 406", path: "/api/realms", accept: "application/unknown"},
		{name: "format=bogus is 406", path: "/api/realms?format=bogus", accept: "application/xml"},
		{name: "406 comes before authentication", path: "/api/instances", accept: "application/unknown"},
		{name: "406 on the entry point", path: "/api", accept: "image/png"},
		{name: "gv on instance_states", path: "/api/instance_states?format=gv", want: gv},
		{name: "gv by Accept on instance_states", path: "/api/instance_states", accept: "application/ghostscript", want: gv},
		{name: "gv elsewhere is 406", path: "/api/realms?format=gv"},
		{name: "gv on the entry point is 406", path: "/api?format=gv"},
		{name: "png is not offered", path: "/api/instance_states?format=png"},
		{name: "a type the route lacks falls to the next", path: "/api/realms", accept: "application/ghostscript, application/json;q=0.1", want: json},
		{name: "errors in the negotiated format", path: "/api/instances/nope", accept: "application/json", want: json},
		{name: "errors in XML by default", path: "/api/instances/nope", want: xml},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := s.do(t, tuReq{Path: tt.path, Accept: tt.accept, Header: tt.header, Creds: tuMockUser})
			if tt.want == "" {
				if r.Status != http.StatusNotAcceptable || len(r.Body) != 0 {
					t.Fatalf("want 406 with an empty body, got\n%s", r)
				}
				if r.Header.Get("Server") == "" || r.Header.Get("X-Deltacloud-Driver") != "mock" {
					t.Errorf("406 without the common headers: %v", r.Header)
				}
				return
			}
			if r.Status == http.StatusNotAcceptable {
				t.Fatalf("406, want %s", tt.want)
			}
			if ct := r.Header.Get("Content-Type"); ct != tt.want {
				t.Fatalf("Content-Type %q, want %q\n%s", ct, tt.want, r)
			}
			switch tt.want {
			case xml:
				tuParseXML(t, r.Body)
			case json:
				tuParseJSON(t, r.Body)
			case html:
				if !bytes.Contains(bytes.ToLower(r.Body), []byte("<html")) {
					t.Errorf("not HTML:\n%s", r.Body)
				}
			case gv:
				if !bytes.HasPrefix(r.Body, []byte("digraph")) || !bytes.Contains(r.Body, []byte(`"running" -> "stopped" [label="stop"]`)) {
					t.Errorf("not the state machine in dot:\n%s", r.Body)
				}
			}
		})
	}
}
