package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud/drivers/hetzner/hetznertest"
)

// TestHetznerDriver serves the hetzner driver over the fake Hetzner Cloud
// API: the Basic password is the API token, a request names a location as
// its provider, and the endpoint is the operator's -o option, which no
// request can change.
func TestHetznerDriver(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	addr := startServer(t, "-i", "hetzner", "-P", "fsn1", "-o", "endpoint="+s.URL, "-o", "hetzner.poll_interval=10ms")

	status, body := get(t, addr, "/api/realms?format=xml", "", s.Token())
	if status != http.StatusOK || !strings.Contains(body, "hel1") {
		t.Fatalf("GET realms = %d %s", status, body)
	}
	status, body = get(t, addr, "/api/hardware_profiles/cax11?format=xml", "any-user", s.Token())
	if status != http.StatusOK || !strings.Contains(body, "arm64") {
		t.Fatalf("GET hardware profile = %d %s", status, body)
	}
	status, body = get(t, addr, "/api;provider=hel1/instances?format=json", "", s.Token())
	if status != http.StatusOK {
		t.Fatalf("GET instances in hel1 = %d %s", status, body)
	}

	// Without credentials nothing is sent: the token of the host
	// (HCLOUD_TOKEN) is never used for a request.
	t.Setenv("HCLOUD_TOKEN", s.Token())
	before := s.Calls("")
	if status, body := get(t, addr, "/api/instances?format=xml", "", ""); status != http.StatusUnauthorized {
		t.Errorf("GET instances without credentials = %d %s, want 401", status, body)
	}
	if n := s.Calls("") - before; n != 0 {
		t.Errorf("a request without credentials reached the API %d times", n)
	}
	// A wrong token is the API's 401.
	if status, body := get(t, addr, "/api/instances?format=xml", "", "wrong"); status != http.StatusUnauthorized {
		t.Errorf("GET instances with a wrong token = %d %s, want 401", status, body)
	}
	// A provider that is not a location name is refused before anything is
	// sent.
	before = s.Calls("")
	status, body = get(t, addr, "/api;provider=evil.example:443/instances?format=xml", "", s.Token())
	if status == http.StatusOK {
		t.Errorf("a provider naming a host = %d %s, want a refusal", status, body)
	}
	if n := s.Calls("") - before; n != 0 {
		t.Errorf("a request naming a host reached the API %d times", n)
	}
}
