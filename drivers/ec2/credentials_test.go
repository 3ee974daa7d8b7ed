package ec2_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestSessionToken: temporary credentials carry their session token in the
// password after a colon; it is sent as X-Amz-Security-Token, a password
// without a colon sends none, and an expired token is AuthFailure whose
// message shows neither the secret nor the token.
func TestSessionToken(t *testing.T) {
	for _, c := range []struct {
		name, password, wantToken string
		want                      deltacloud.Code
	}{
		{name: "long-term", password: "secret", wantToken: ""},
		{name: "temporary", password: "wJalrXUtnFEMI/K7MDENG+bPxRfiCY:FwoGZXIvYXdzEJr//////////wEaDH+token==", wantToken: "FwoGZXIvYXdzEJr//////////wEaDH+token=="},
		{name: "expired", password: "wJalrXUtnFEMI:" + ec2test.ExpiredSessionToken, wantToken: ec2test.ExpiredSessionToken, want: deltacloud.AuthFailure},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := ec2test.NewServer(t)
			p, err := openFake(t.Context(), s, deltacloud.Credentials{User: "ASIAEXAMPLE", Password: c.password}, "max_attempts", "1")
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			_, err = p.Realms(t.Context())
			if c.want != deltacloud.CodeUnknown {
				if !errors.Is(err, c.want) {
					t.Fatalf("Realms = %v, want %s", err, c.want)
				}
				secret, token, _ := strings.Cut(c.password, ":")
				if msg := err.Error(); strings.Contains(msg, secret) || strings.Contains(msg, token) {
					t.Errorf("the error shows a credential: %s", msg)
				}
			} else if err != nil {
				t.Fatalf("Realms: %v", err)
			}
			if diff := cmp.Diff([]string{c.wantToken}, s.SecurityTokens()); diff != "" {
				t.Errorf("X-Amz-Security-Token (-want +got):\n%s", diff)
			}
		})
	}
}
