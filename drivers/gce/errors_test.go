package gce_test

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"google.golang.org/api/googleapi"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/gce"
	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

// TestErrorMapping sends each Google error document of the package doc's
// table through the real client and checks the code the Provider answers.
func TestErrorMapping(t *testing.T) {
	cases := []struct {
		status     int
		reason     string
		retryAfter int
		want       deltacloud.Code
	}{
		{404, "notFound", 0, deltacloud.NotFound},
		{401, "authError", 0, deltacloud.AuthFailure},
		{403, "forbidden", 0, deltacloud.Forbidden},
		{403, "quotaExceeded", 0, deltacloud.Forbidden},
		{403, "accessNotConfigured", 0, deltacloud.Forbidden},
		{409, "alreadyExists", 0, deltacloud.Conflict},
		{400, "resourceNotReady", 0, deltacloud.InvalidState},
		{400, "resourceInUseByAnotherResource", 0, deltacloud.InvalidState},
		{412, "conditionNotMet", 0, deltacloud.InvalidState},
		{429, "rateLimitExceeded", 7, deltacloud.RateLimited},
		{403, "userRateLimitExceeded", 0, deltacloud.RateLimited},
		{400, "invalid", 0, deltacloud.InvalidArgument},
		{500, "backendError", 0, deltacloud.Backend},
		{503, "serviceUnavailable", 0, deltacloud.Unavailable},
		{502, "", 0, deltacloud.Unavailable},
		{500, "", 0, deltacloud.Backend},
	}
	s := gcetest.New(t)
	p, err := open(t.Context(), s, "buckets=false")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	for _, c := range cases {
		s.Fail(gcetest.Fault{Match: "GET /compute/v1/projects/" + gcetest.Project + "/zones",
			Status: c.status, Reason: c.reason, Message: "injected", RetryAfter: c.retryAfter})
		_, err := p.Realms(t.Context())
		var e *deltacloud.Error
		if !errors.As(err, &e) || e.Code != c.want {
			t.Errorf("%d %s: Realms = %v, want %v", c.status, c.reason, err, c.want)
			continue
		}
		var ge *googleapi.Error
		if !errors.As(err, &ge) || ge.Code != c.status {
			t.Errorf("%d %s: the *googleapi.Error is not reachable: %v", c.status, c.reason, err)
		}
		if c.retryAfter > 0 && e.RetryAfter != time.Duration(c.retryAfter)*time.Second {
			t.Errorf("%d %s: RetryAfter = %v, want %ds", c.status, c.reason, e.RetryAfter, c.retryAfter)
		}
	}
}

func TestOperationCodeFor(t *testing.T) {
	cases := map[string]deltacloud.Code{
		"RESOURCE_NOT_FOUND":           deltacloud.NotFound,
		"RESOURCE_ALREADY_EXISTS":      deltacloud.Conflict,
		"QUOTA_EXCEEDED":               deltacloud.Forbidden,
		"ZONE_RESOURCE_POOL_EXHAUSTED": deltacloud.Unavailable,
		"RESOURCE_NOT_READY":           deltacloud.InvalidState,
		"RATE_LIMIT_EXCEEDED":          deltacloud.RateLimited,
		"INVALID_FIELD_VALUE":          deltacloud.InvalidArgument,
		"SOMETHING_NEW":                deltacloud.Backend,
	}
	for code, want := range cases {
		if got := gce.OperationCodeFor(code); got != want {
			t.Errorf("OperationCodeFor(%s) = %v, want %v", code, got, want)
		}
	}
	if got := gce.CodeFor(http.StatusTeapot, ""); got != deltacloud.CodeUnknown {
		t.Errorf("CodeFor(418) = %v, want unknown", got)
	}
}
