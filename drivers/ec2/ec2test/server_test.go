package ec2test_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

func post(t *testing.T, s *ec2test.Server, auth string, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServer(t *testing.T) {
	s := ec2test.NewServer(t)
	good := "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request"
	bad := "AWS4-HMAC-SHA256 Credential=bad/20240101/us-east-1/ec2/aws4_request"
	cases := []struct {
		auth, action string
		status       int
		contains     []string
	}{
		{"", "DescribeAvailabilityZones", 401, []string{"<Response><Errors><Error><Code>AuthFailure</Code>", "<RequestID>"}},
		{bad, "DescribeAvailabilityZones", 401, []string{"<Code>AuthFailure</Code>"}},
		{good, "Nope", 400, []string{"<Code>InvalidAction</Code>"}},
		{good, "DescribeAvailabilityZones", 200, []string{`<DescribeAvailabilityZonesResponse xmlns="` + ec2test.Namespace + `">`,
			"<requestId>", "<availabilityZoneInfo><item><zoneName>us-east-1a</zoneName>"}},
		{good, "DescribeInstanceTypes", 200, []string{"<instanceTypeSet>", "<nextToken>tok-2</nextToken>"}},
	}
	for _, c := range cases {
		status, body := post(t, s, c.auth, url.Values{"Action": {c.action}, "Version": {"2016-11-15"}})
		if status != c.status {
			t.Errorf("%s: status %d, want %d: %s", c.action, status, c.status, body)
		}
		for _, want := range c.contains {
			if !strings.Contains(body, want) {
				t.Errorf("%s: body lacks %q:\n%s", c.action, want, body)
			}
		}
	}
	status, body := post(t, s, good, url.Values{"Action": {"DescribeInstances"}, "InstanceId.1": {"i-0000000000000000f"}})
	if status != 400 || !strings.Contains(body, "InvalidInstanceID.NotFound") {
		t.Errorf("DescribeInstances(unknown id) = %d %s", status, body)
	}
}
