package azure_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// standIn is one TLS listener on 127.0.0.1 standing in for everything
// Azure: the identity platform, the metadata and managed-identity
// endpoints, Resource Manager and Blob Storage. It counts the requests it
// gets and refuses them all with 401.
type standIn struct {
	srv  *httptest.Server
	hits atomic.Int64
}

func newStandIn(t *testing.T) *standIn {
	t.Helper()
	s := &standIn{}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid_client","error_description":"stand-in refuses"}`))
	}))
	s.srv.StartTLS() // httptest listens on 127.0.0.1 only
	t.Cleanup(s.srv.Close)
	return s
}

// client sends every request, whatever its host (login.microsoftonline.com,
// management.azure.com, 169.254.169.254, the storage account), to the
// stand-in, so nothing can leave the machine and every attempt is counted.
func (s *standIn) client() *http.Client {
	base := s.srv.Client().Transport
	u, _ := url.Parse(s.srv.URL)
	return &http.Client{Transport: rewrite{base, u.Host}}
}

type rewrite struct {
	base http.RoundTripper
	host string
}

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.URL.Scheme, req.URL.Host = "https", r.host
	return r.base.RoundTrip(req)
}

// ambientEnv points every ambient source of DefaultAzureCredential at the
// stand-in: a service principal in the environment, workload identity,
// App Service / Arc managed identity.
func ambientEnv(t *testing.T, s *standIn) {
	token := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(token, []byte("federated-token"), 0o600); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"AZURE_CLIENT_ID":            "4b6a2f1e-9c3d-4e5f-8a7b-0c1d2e3f4a5b",
		"AZURE_CLIENT_SECRET":        "host-secret",
		"AZURE_TENANT_ID":            "72f988bf-86f1-41af-91ab-2d7cd011db47",
		"AZURE_AUTHORITY_HOST":       s.srv.URL + "/",
		"AZURE_FEDERATED_TOKEN_FILE": token,
		"IDENTITY_ENDPOINT":          s.srv.URL + "/msi/token",
		"IDENTITY_HEADER":            "host-header",
		"MSI_ENDPOINT":               s.srv.URL + "/msi/token",
		"MSI_SECRET":                 "host-msi-secret",
		"AZURE_SUBSCRIPTION_ID":      "00000000-0000-0000-0000-000000000001",
	} {
		t.Setenv(k, v)
	}
}

// ambientConfig opens the driver with empty credentials, a storage account
// with the operator's shared key, and every request going to the stand-in.
func ambientConfig(s *standIn, noAmbient bool) deltacloud.Config {
	return deltacloud.Config{
		Provider:             "rg/westeurope",
		NoAmbientCredentials: noAmbient,
		HTTPClient:           s.client(),
		Options: map[string]string{
			"max_retries":      "0",
			"storage_account":  "devstoreaccount1",
			"storage_key":      base64.StdEncoding.EncodeToString([]byte("operator's account key")),
			"storage_endpoint": s.srv.URL + "/devstoreaccount1/",
		},
	}
}

// ambientCalls are the calls that need Azure, each run on a fresh provider.
var ambientCalls = []struct {
	name string
	call func(context.Context, *deltacloud.Provider) error
}{
	{"Realms", func(ctx context.Context, p *deltacloud.Provider) error { _, err := p.Realms(ctx); return err }},
	{"Ping", func(ctx context.Context, p *deltacloud.Provider) error { return p.Ping(ctx) }},
	{"HardwareProfiles", func(ctx context.Context, p *deltacloud.Provider) error {
		_, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
		return err
	}},
	{"Instances", func(ctx context.Context, p *deltacloud.Provider) error {
		_, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		return err
	}},
	{"CreateInstance", func(ctx context.Context, p *deltacloud.Provider) error {
		_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
		return err
	}},
	{"Buckets", func(ctx context.Context, p *deltacloud.Provider) error { _, err := p.Buckets(ctx); return err }},
}

// TestNoAmbientCredentials opens the driver with NoAmbientCredentials and
// no credentials while the host's environment names an identity: every
// call fails with ErrAuthFailure and the stand-in gets no request at all.
func TestNoAmbientCredentials(t *testing.T) {
	for _, c := range ambientCalls {
		t.Run(c.name, func(t *testing.T) {
			s := newStandIn(t)
			ambientEnv(t, s)
			p, err := deltacloud.Open(t.Context(), "azure", ambientConfig(s, true))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer p.Close()
			err = c.call(t.Context(), p)
			if !errors.Is(err, deltacloud.ErrAuthFailure) {
				t.Errorf("%s = %v; want ErrAuthFailure", c.name, err)
			}
			if n := s.hits.Load(); n != 0 {
				t.Errorf("%s sent %d requests; want none", c.name, n)
			}
		})
	}
}

// TestAmbientCredentialsControl is the same setup without the flag: the
// default chain (or the operator's storage key) does reach the stand-in,
// so the test above would see a leak.
func TestAmbientCredentialsControl(t *testing.T) {
	for _, c := range ambientCalls {
		if c.name == "CreateInstance" {
			continue // fails on the same first request as Instances
		}
		t.Run(c.name, func(t *testing.T) {
			s := newStandIn(t)
			ambientEnv(t, s)
			p, err := deltacloud.Open(t.Context(), "azure", ambientConfig(s, false))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer p.Close()
			if err := c.call(t.Context(), p); err == nil {
				t.Errorf("%s succeeded against a stand-in that refuses everything", c.name)
			}
			if s.hits.Load() == 0 {
				t.Errorf("%s sent no request without NoAmbientCredentials; the stand-in setup proves nothing", c.name)
			}
		})
	}
}
