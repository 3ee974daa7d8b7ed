package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/internal/ambienttest"
)

// TestNoAmbientIdentityOverREST: a request without credentials, or with
// empty ones (curl -u :), never acts with the server host's cloud identity.
// The host has an AWS identity everywhere the SDK looks, and listeners
// stand in for AWS and the metadata endpoint: nothing reaches them, calls
// that need the cloud answer 401, and EC2's hardware profiles (which the
// original served anonymously) come from static data.
func TestNoAmbientIdentityOverREST(t *testing.T) {
	cloud, metadata := ambienttest.AWS(t)
	ec2Opts := map[string]string{"endpoint": cloud.URL, "s3_endpoint": cloud.URL, "s3_path_style": "true",
		"cloudwatch_endpoint": cloud.URL, "max_attempts": "1"}
	opts := tuMockOptions(t)
	opts.DriverOptions["ec2"] = ec2Opts
	s := tuStart(t, opts) // the mock by default; ec2 chosen per request
	empty := &tuCreds{}
	ec2 := map[string]string{"X-Deltacloud-Driver": "ec2"}
	cases := []struct {
		name   string
		req    tuReq
		status int
	}{
		{"hardware profiles without credentials", tuReq{Path: "/api/hardware_profiles", Header: ec2}, http.StatusOK},
		{"one hardware profile", tuReq{Path: "/api/hardware_profiles/t2.micro", Header: ec2}, http.StatusOK},
		{"hardware profiles with empty credentials", tuReq{Path: "/api/hardware_profiles", Creds: empty, Header: ec2}, http.StatusOK},
		{"entry point", tuReq{Path: "/api", Header: ec2}, http.StatusOK},
		{"instance states", tuReq{Path: "/api/instance_states", Header: ec2}, http.StatusOK},
		{"drivers", tuReq{Path: "/api/drivers", Header: ec2}, http.StatusOK},
		{"instances without credentials", tuReq{Path: "/api/instances", Header: ec2}, http.StatusUnauthorized},
		{"instances with empty credentials", tuReq{Path: "/api/instances", Creds: empty, Header: ec2}, http.StatusUnauthorized},
		{"realms with empty credentials (matrix)", tuReq{Path: "/api;driver=ec2/realms", Creds: empty}, http.StatusUnauthorized},
		{"create with empty credentials", tuReq{Method: http.MethodPost, Path: "/api/instances", Creds: empty, Header: ec2,
			Form: url.Values{"image_id": {"ami-12345678"}, "hwp_id": {"t2.micro"}}}, http.StatusUnauthorized},
		{"stop with empty credentials", tuReq{Method: http.MethodPost, Path: "/api/instances/i-12345678/stop", Creds: empty, Header: ec2}, http.StatusUnauthorized},
		{"keys with empty credentials", tuReq{Path: "/api/keys", Creds: empty, Header: ec2}, http.StatusUnauthorized},
		{"buckets with empty credentials", tuReq{Path: "/api/buckets", Creds: empty, Header: ec2}, http.StatusUnauthorized},
		{"entry point forcing auth", tuReq{Path: "/api?force_auth=1", Creds: empty, Header: ec2}, http.StatusUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := s.do(t, c.req)
			if r.Status != c.status {
				t.Fatalf("status %d, want %d:\n%s", r.Status, c.status, r)
			}
			if r.Status == http.StatusUnauthorized && r.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("401 without a challenge")
			}
		})
	}
	if r := s.do(t, tuReq{Path: "/api/hardware_profiles/t2.micro", Header: ec2}); !strings.Contains(string(r.Body), "t2.micro") {
		t.Errorf("t2.micro not served from the catalogue:\n%s", r)
	}
	if got := append(cloud.Seen(), metadata.Seen()...); len(got) > 0 {
		t.Errorf("requests without credentials reached the cloud or the metadata endpoint:\n%s", strings.Join(got, "\n"))
	}

	// The operator's explicit opt-in restores the host's identity, which
	// shows the stand-ins would have seen it.
	opts = tuMockOptions(t)
	opts.DriverOptions["ec2"] = ec2Opts
	opts.Driver = "ec2"
	opts.AllowAmbientCredentials = true
	ambient := tuStart(t, opts)
	ambient.do(t, tuReq{Path: "/api/realms"})
	if got := strings.Join(cloud.Seen(), "\n"); !strings.Contains(got, ambienttest.AWSAccessKey) {
		t.Errorf("with AllowAmbientCredentials the host's identity did not sign (so this test proves nothing): %q", got)
	}
}
