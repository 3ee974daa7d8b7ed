package gce_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

// TestNoAmbientCredentials checks the REST server's rules: no credentials
// fail before anything is sent, a key path is refused, and a key whose
// token_uri is not Google's is refused.
func TestNoAmbientCredentials(t *testing.T) {
	s := gcetest.New(t)
	path := filepath.Join(t.TempDir(), "key.json")
	if err := os.WriteFile(path, s.KeyJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	evil := strings.Replace(string(s.KeyJSON()), "https://oauth2.googleapis.com/token", "https://attacker.example/token", 1)
	cases := map[string]string{"empty": "", "path": path, "foreign token_uri": evil}
	for name, password := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", path)
			cfg := s.Config("buckets=false")
			delete(cfg.Options, "token_endpoint")
			cfg.Credentials.Password = password
			cfg.NoAmbientCredentials = true
			before := s.Requests()
			p, err := deltacloud.Open(t.Context(), "gce", cfg)
			if err == nil {
				defer p.Close()
				_, err = p.Realms(t.Context())
			}
			if !errors.Is(err, deltacloud.ErrAuthFailure) {
				t.Errorf("= %v, want ErrAuthFailure", err)
			}
			if err != nil && strings.Contains(err.Error(), "PRIVATE KEY") {
				t.Errorf("the error quotes the key: %v", err)
			}
			if after := s.Requests(); len(after) != len(before) {
				t.Errorf("requests were sent: %v", after)
			}
		})
	}
	// A library user may give a path.
	cfg := s.Config("buckets=false")
	cfg.Credentials.Password = path
	p, err := deltacloud.Open(t.Context(), "gce", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if _, err := p.Realms(t.Context()); err != nil {
		t.Errorf("Realms with a key path: %v", err)
	}
}
