package openstack_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// Fault bodies as the services send them (Nova's and Cinder's API
// references, Neutron's NeutronError, Keystone's error, Swift's HTML).
func TestParseFaultAndCodeFor(t *testing.T) {
	cases := []struct {
		name   string
		status int
		body   string
		retry  bool
		want   openstack.Fault
		code   deltacloud.Code
	}{
		{"nova not found", 404, `{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}`, false,
			openstack.Fault{Kind: "itemNotFound", Message: "Instance x could not be found."}, deltacloud.NotFound},
		{"nova state conflict", 409, `{"conflictingRequest": {"code": 409, "message": "Cannot 'stop' instance x while it is in vm_state stopped"}}`, false,
			openstack.Fault{Kind: "conflictingRequest", Message: "Cannot 'stop' instance x while it is in vm_state stopped"}, deltacloud.InvalidState},
		{"key pair exists", 409, `{"conflictingRequest": {"code": 409, "message": "Key pair 'k' already exists."}}`, false,
			openstack.Fault{Kind: "conflictingRequest", Message: "Key pair 'k' already exists."}, deltacloud.Conflict},
		{"nova quota", 403, `{"forbidden": {"code": 403, "message": "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}}`, false,
			openstack.Fault{Kind: "forbidden", Message: "Quota exceeded for instances: Requested 1, but already used 10 of 10 instances"}, deltacloud.Forbidden},
		{"old nova quota 413", 413, `{"overLimit": {"code": 413, "message": "Quota exceeded for cores"}}`, false,
			openstack.Fault{Kind: "overLimit", Message: "Quota exceeded for cores"}, deltacloud.Forbidden},
		{"rate limit 413", 413, `{"overLimit": {"code": 413, "message": "This request was rate-limited.", "retryAfter": "7"}}`, true,
			openstack.Fault{Kind: "overLimit", Message: "This request was rate-limited."}, deltacloud.RateLimited},
		{"rate limit 429", 429, `{"overLimit": {"code": 429, "message": "This request was rate-limited."}}`, false,
			openstack.Fault{Kind: "overLimit", Message: "This request was rate-limited."}, deltacloud.RateLimited},
		{"neutron in use", 409, `{"NeutronError": {"type": "SecurityGroupInUse", "message": "Security Group x in use.", "detail": ""}}`, false,
			openstack.Fault{Kind: "SecurityGroupInUse", Message: "Security Group x in use."}, deltacloud.InvalidState},
		{"neutron rule exists", 409, `{"NeutronError": {"type": "SecurityGroupRuleExists", "message": "Security group rule already exists.", "detail": ""}}`, false,
			openstack.Fault{Kind: "SecurityGroupRuleExists", Message: "Security group rule already exists."}, deltacloud.Conflict},
		{"neutron not found", 404, `{"NeutronError": {"type": "SecurityGroupNotFound", "message": "Security group x does not exist", "detail": ""}}`, false,
			openstack.Fault{Kind: "SecurityGroupNotFound", Message: "Security group x does not exist"}, deltacloud.NotFound},
		{"keystone", 401, `{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}`, false,
			openstack.Fault{Kind: "Unauthorized", Message: "The request you have made requires authentication."}, deltacloud.AuthFailure},
		{"swift html", 404, `<html><h1>Not Found</h1><p>The resource could not be found.</p></html>`, false,
			openstack.Fault{Message: "Not Found"}, deltacloud.NotFound},
		{"glance json", 404, `{"message": "No image found with ID x<br /><br />\n\n\n", "code": "404 Not Found", "title": "Not Found"}`, false,
			openstack.Fault{Kind: "Not Found", Message: "No image found with ID x"}, deltacloud.NotFound},
		{"glance json forbidden", 403, `{"message": "You do not own this image<br /><br />\n\n\n", "code": "403 Forbidden", "title": "Forbidden"}`, false,
			openstack.Fault{Kind: "Forbidden", Message: "You do not own this image"}, deltacloud.Forbidden},
		{"glance text", 409, "409 Conflict\n\nImage x could not be deleted because it is in use", false,
			openstack.Fault{Message: "409 Conflict"}, deltacloud.InvalidState},
		{"bad request", 400, `{"badRequest": {"code": 400, "message": "Invalid input for field/attribute name."}}`, false,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute name."}, deltacloud.InvalidArgument},
		{"swift conflict", 409, `<html><h1>Conflict</h1><p>There was a conflict when trying to complete your request.</p></html>`, false,
			openstack.Fault{Message: "Conflict"}, deltacloud.InvalidState},
		{"swift slo manifest", 400, `{"Errors": [["/cap/nope", "404 Not Found"], ["/cap/s1", "Etag Mismatch"]]}`, false,
			openstack.Fault{Message: "/cap/nope: 404 Not Found; /cap/s1: Etag Mismatch"}, deltacloud.InvalidArgument},
		// Gnocchi 4.4.2's own bodies (Accept: application/json); the 403 of
		// another project's resource as the live stack answered it.
		{"gnocchi not found", 404, `{"code": 404, "title": "Not Found", "description": "Resource 9b3f3a1e-2a4c-4d8e-8f0a-1c2b3d4e5f60 does not exist"}`, false,
			openstack.Fault{Kind: "Not Found", Message: "Resource 9b3f3a1e-2a4c-4d8e-8f0a-1c2b3d4e5f60 does not exist"}, deltacloud.NotFound},
		{"gnocchi no such aggregation", 404, `{"code": 404, "title": "Not Found", "description": {"cause": "Aggregation method does not exist for this metric", "detail": {"metric": "273f0bf0-e749-45ba-9403-1edafccfe65f", "aggregation_method": "max"}}}`, false,
			openstack.Fault{Kind: "Not Found", Message: "Aggregation method does not exist for this metric"}, deltacloud.NotFound},
		{"gnocchi bad start", 400, `{"code": 400, "title": "Bad Request", "description": {"cause": "Argument value error", "detail": "start", "reason": "Must be a datetime or a timestamp"}}`, false,
			openstack.Fault{Kind: "Bad Request", Message: "Argument value error: start: Must be a datetime or a timestamp"}, deltacloud.InvalidArgument},
		{"gnocchi forbidden", 403, `{"code": 403, "title": "Forbidden", "description": ""}`, false,
			openstack.Fault{Kind: "Forbidden"}, deltacloud.Forbidden},
		{"unavailable", 503, ``, false, openstack.Fault{}, deltacloud.Unavailable},
		{"server error", 500, `{"computeFault": {"code": 500, "message": "Unexpected API Error."}}`, false,
			openstack.Fault{Kind: "computeFault", Message: "Unexpected API Error."}, deltacloud.Backend},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := openstack.ParseFault([]byte(c.body))
			if d := cmp.Diff(c.want, f); d != "" {
				t.Errorf("ParseFault (-want +got):\n%s", d)
			}
			if got := openstack.CodeFor(c.status, f, c.retry); got != c.code {
				t.Errorf("CodeFor(%d) = %v, want %v", c.status, got, c.code)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	cases := map[string]time.Duration{"": 0, "7": 7 * time.Second, "-1": 0, "junk": 0, "999999999": 0}
	for v, want := range cases {
		h := http.Header{}
		if v != "" {
			h.Set("Retry-After", v)
		}
		if got := openstack.RetryAfter(h); got != want {
			t.Errorf("RetryAfter(%q) = %v, want %v", v, got, want)
		}
	}
}

// The fake's faults reach the caller as typed errors.
func TestFaultsThroughTheDriver(t *testing.T) {
	ctx := context.Background()
	c, p := openFake(t)
	c.SetOverLimit(1)
	_, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.RateLimited || e.RetryAfter != 7*time.Second {
		t.Errorf("over limit: %v (RetryAfter %v), want RateLimited with 7s", err, retryOf(e))
	}
	c.SetInstanceQuota(0)
	_, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"})
	if !errors.Is(err, deltacloud.ErrForbidden) {
		t.Errorf("create over quota: %v, want ErrForbidden", err)
	}
	c.SetInstanceQuota(100)
	_, err = p.CreateKey(ctx, deltacloud.KeySpec{Name: "k1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err = p.CreateKey(ctx, deltacloud.KeySpec{Name: "k1"}); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("second key k1: %v, want ErrConflict", err)
	}
	fws, err := p.Firewalls(ctx)
	if err != nil || len(fws) == 0 {
		t.Fatalf("Firewalls: %v %v", fws, err)
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1", Firewalls: []string{"default"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DestroyFirewall(ctx, fws[0].ID); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("destroying a group in use: %v, want ErrInvalidState", err)
	}
	p.Destroy(ctx, in.ID)
}

func retryOf(e *deltacloud.Error) time.Duration {
	if e == nil {
		return 0
	}
	return e.RetryAfter
}
