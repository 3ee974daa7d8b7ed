package deltacloud_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestPing checks credentials against a server whose entry point answers
// anyone: a wrong password opens fine and only Ping says it is wrong.
func TestPing(t *testing.T) {
	s := startServer(t, "", nil)
	tests := []struct {
		name  string
		creds deltacloud.Credentials
		want  error
	}{
		{"good credentials", deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}, nil},
		{"wrong password", deltacloud.Credentials{User: "mockuser", Password: "wrong"}, deltacloud.ErrAuthFailure},
		{"no credentials", deltacloud.Credentials{}, deltacloud.ErrAuthFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := s.openRemote(t, tt.creds)
			err := p.Ping(t.Context())
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Ping = %v; want %v", err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), "deltacloud ("+s.base+"): Ping") {
				t.Errorf("Ping error %q does not name the driver and provider", err)
			}
		})
	}
}

// TestPingRedactsProvider: a provider URL with user information is printed
// without it in every error.
func TestPingRedactsProvider(t *testing.T) {
	s := startServer(t, "", nil)
	withUser := strings.Replace(s.base, "http://", "http://mockuser:s3cret-pass@", 1)
	p, err := deltacloud.Open(t.Context(), "deltacloud", deltacloud.Config{Provider: withUser,
		Credentials: deltacloud.Credentials{User: "mockuser", Password: "wrong"}, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	err = p.Ping(t.Context())
	if !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Fatalf("Ping = %v; want ErrAuthFailure", err)
	}
	if strings.Contains(err.Error(), "s3cret") {
		t.Errorf("Ping error %q shows the password of the provider URL", err)
	}
	var e *deltacloud.Error
	if errors.As(err, &e) && strings.Contains(e.Provider, "s3cret") {
		t.Errorf("Error.Provider %q holds the password", e.Provider)
	}
}
