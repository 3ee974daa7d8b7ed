package ec2_test

import (
	"errors"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestPing checks the credentials with one signed request: the fake
// accepts any key but ec2test.BadAccessKey.
func TestPing(t *testing.T) {
	s := ec2test.NewServer(t)
	tests := []struct {
		name  string
		creds deltacloud.Credentials
		want  error
	}{
		{"good credentials", goodCreds, nil},
		{"rejected key", deltacloud.Credentials{User: ec2test.BadAccessKey, Password: "secret"}, deltacloud.ErrAuthFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := openFake(t.Context(), s, tt.creds)
			if err != nil {
				t.Fatalf("Open: %v (bad credentials must not fail Open)", err)
			}
			defer p.Close()
			err = p.Ping(t.Context())
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("Ping = %v; want %v", err, tt.want)
			}
			if err != nil {
				var e *deltacloud.Error
				if !errors.As(err, &e) || e.Driver != "ec2" || e.Provider != "us-east-1" || e.Op != "Ping" {
					t.Errorf("Ping error %#v; want driver ec2, provider us-east-1, op Ping", err)
				}
			}
		})
	}
}
