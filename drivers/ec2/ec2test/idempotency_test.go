package ec2test_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestRunInstancesTokenAndDryRun checks the wire answers: DryRun is
// DryRunOperation with 412 after the parameters are checked, a repeated
// token the same reservation, and the token with other parameters
// IdempotentParameterMismatch.
func TestRunInstancesTokenAndDryRun(t *testing.T) {
	s := ec2test.NewServer(t)
	good := "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request"
	run := func(extra ...string) url.Values {
		v := url.Values{"Action": {"RunInstances"}, "ImageId": {"ami-00000001"}, "MinCount": {"1"}, "MaxCount": {"1"}}
		for i := 0; i+1 < len(extra); i += 2 {
			v.Set(extra[i], extra[i+1])
		}
		return v
	}
	cases := []struct {
		name     string
		form     url.Values
		status   int
		contains string
	}{
		{"dry run", run("DryRun", "true"), 412, "<Code>DryRunOperation</Code>"},
		{"dry run of a bad image", run("DryRun", "true", "ImageId", "ami-0000000f"), 400, "<Code>InvalidAMIID.NotFound</Code>"},
		{"token too long", run("ClientToken", strings.Repeat("t", 65)), 400, "<Code>InvalidParameterValue</Code>"},
		{"first launch", run("ClientToken", "tok"), 200, "<reservationId>r-"},
		{"same token and parameters", run("ClientToken", "tok"), 200, "<reservationId>r-"},
		{"same token, other type", run("ClientToken", "tok", "InstanceType", "m5.large"), 400, "<Code>IdempotentParameterMismatch</Code>"},
		{"dry run with the used token", run("ClientToken", "tok", "DryRun", "true"), 412, "<Code>DryRunOperation</Code>"},
	}
	var reservation string
	for _, c := range cases {
		status, body := post(t, s, good, c.form)
		if status != c.status || !strings.Contains(body, c.contains) {
			t.Errorf("%s: %d %s; want %d with %q", c.name, status, body, c.status, c.contains)
			continue
		}
		if status == 200 {
			i := strings.Index(body, "<reservationId>")
			r := body[i : i+40]
			if reservation != "" && r != reservation {
				t.Errorf("%s: reservation %s, want the first's %s", c.name, r, reservation)
			}
			reservation = r
		}
	}
	if n := len(s.Instances()); n != 1 {
		t.Errorf("%d instances launched, want 1", n)
	}
}
