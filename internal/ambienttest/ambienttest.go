// Package ambienttest gives tests a host with an ambient cloud identity in
// every place the cloud SDKs' default chains look, pointed at listeners on
// 127.0.0.1 that record every request: so a test can prove that a provider
// opened with deltacloud.Config.NoAmbientCredentials never uses the host's
// identity and never reaches the cloud or a metadata endpoint.
package ambienttest

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// AWSAccessKey is the access key id of the host's planted AWS identity;
// a request signed with it carries it in its Authorization header.
const AWSAccessKey = "AKIDHOSTENVIRONMENT"

// StandIn is a listener standing in for a cloud or a metadata endpoint.
// It answers every request 403 and remembers it.
type StandIn struct {
	*httptest.Server
	mu   sync.Mutex
	seen []string
}

// NewStandIn starts a stand-in until the test ends.
func NewStandIn(t testing.TB, name string) *StandIn {
	s := &StandIn{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.seen = append(s.seen, name+": "+r.Method+" "+r.URL.Path+" Authorization="+r.Header.Get("Authorization"))
		s.mu.Unlock()
		http.Error(w, "stand-in", http.StatusForbidden)
	}))
	t.Cleanup(s.Close)
	return s
}

// Seen returns one line per request received so far.
func (s *StandIn) Seen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// AWS plants an AWS identity on the host for the rest of the test:
// environment keys, shared credential files, a container credentials
// endpoint and an instance metadata endpoint (the metadata stand-in), with
// AWS_ENDPOINT_URL pointing every service at the cloud stand-in. It uses
// t.Setenv, so the test must not be parallel.
func AWS(t testing.TB) (cloud, metadata *StandIn) {
	t.Helper()
	cloud, metadata = NewStandIn(t, "aws"), NewStandIn(t, "aws metadata")
	dir := t.TempDir()
	creds := filepath.Join(dir, "credentials")
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIDHOSTFILE\naws_secret_access_key = filesecret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":                  AWSAccessKey,
		"AWS_SECRET_ACCESS_KEY":              "hostsecret",
		"AWS_SHARED_CREDENTIALS_FILE":        creds,
		"AWS_CONFIG_FILE":                    filepath.Join(dir, "config"),
		"AWS_CONTAINER_CREDENTIALS_FULL_URI": metadata.URL + "/creds",
		"AWS_EC2_METADATA_SERVICE_ENDPOINT":  metadata.URL,
		"AWS_EC2_METADATA_DISABLED":          "false",
		"AWS_ENDPOINT_URL":                   cloud.URL,
	} {
		t.Setenv(k, v)
	}
	return cloud, metadata
}
