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

// TestStorageWire checks the documents of the newer operations: AWS's
// element names, pagination tokens and error codes.
func TestStorageWire(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(1)
	good := "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request"
	v := func(kv ...string) url.Values {
		u := url.Values{"Version": {"2016-11-15"}}
		for i := 0; i+1 < len(kv); i += 2 {
			u.Set(kv[i], kv[i+1])
		}
		return u
	}
	cases := []struct {
		form     url.Values
		status   int
		contains []string
	}{
		{v("Action", "CreateSecurityGroup", "GroupName", "web", "GroupDescription", "w"), 200, []string{"<groupId>sg-"}},
		{v("Action", "CreateSecurityGroup", "GroupName", "web", "GroupDescription", "w"), 400, []string{"<Code>InvalidGroup.Duplicate</Code>"}},
		{v("Action", "DescribeSecurityGroups"), 200, []string{"<securityGroupInfo><item><ownerId>" + ec2test.Account, "<groupName>default</groupName>",
			"<ipPermissions><item><ipProtocol>-1</ipProtocol><groups><item><userId>", "<nextToken>tok-1</nextToken>"}},
		{v("Action", "DescribeSecurityGroups", "GroupName.1", "nope"), 400, []string{"<Code>InvalidGroup.NotFound</Code>"}},
		{v("Action", "AuthorizeSecurityGroupIngress", "GroupName", "web", "IpPermissions.1.IpProtocol", "tcp",
			"IpPermissions.1.FromPort", "80", "IpPermissions.1.ToPort", "80", "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"), 200, []string{"<return>true</return>"}},
		{v("Action", "AuthorizeSecurityGroupIngress", "GroupName", "web", "IpPermissions.1.IpProtocol", "6",
			"IpPermissions.1.FromPort", "80", "IpPermissions.1.ToPort", "80", "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"), 400, []string{"<Code>InvalidPermission.Duplicate</Code>"}},
		{v("Action", "RevokeSecurityGroupIngress", "GroupName", "web", "IpPermissions.1.IpProtocol", "tcp",
			"IpPermissions.1.FromPort", "81", "IpPermissions.1.ToPort", "81", "IpPermissions.1.IpRanges.1.CidrIp", "0.0.0.0/0"), 400, []string{"<Code>InvalidPermission.NotFound</Code>"}},
		{v("Action", "CreateKeyPair", "KeyName", "k"), 200, []string{"<keyMaterial>-----BEGIN RSA PRIVATE KEY-----", "<keyFingerprint>"}},
		{v("Action", "CreateKeyPair", "KeyName", "k"), 400, []string{"<Code>InvalidKeyPair.Duplicate</Code>"}},
		{v("Action", "DescribeKeyPairs"), 200, []string{"<keySet><item><keyPairId>key-", "<keyName>k</keyName>"}},
		{v("Action", "DeleteKeyPair", "KeyName", "never-was"), 200, []string{"<return>true</return>"}},
		{v("Action", "AllocateAddress", "Domain", "vpc"), 200, []string{"<publicIp>198.51.100.", "<allocationId>eipalloc-", "<domain>vpc</domain>"}},
		{v("Action", "DescribeAddresses", "PublicIp.1", "192.0.2.1"), 400, []string{"<Code>InvalidAddress.NotFound</Code>"}},
		{v("Action", "CreateVolume", "Size", "2"), 400, []string{"<Code>MissingParameter</Code>"}},
		{v("Action", "CreateVolume", "Size", "2", "AvailabilityZone", "us-east-1a"), 200, []string{"<CreateVolumeResponse", "<status>creating</status>", "<size>2</size>"}},
		{v("Action", "CreateVolume", "Size", "2", "AvailabilityZone", "us-east-1a"), 200, []string{"<volumeId>vol-"}},
		{v("Action", "DescribeVolumes"), 200, []string{"<volumeSet><item><volumeId>vol-", "<nextToken>tok-1</nextToken>"}},
		{v("Action", "DeleteVolume", "VolumeId", "vol-00000000000000fff"), 400, []string{"<Code>InvalidVolume.NotFound</Code>"}},
		{v("Action", "DetachVolume", "VolumeId", "vol-00000000000000fff"), 400, []string{"<Code>InvalidVolume.NotFound</Code>"}},
		{v("Action", "DescribeSnapshots", "Owner.1", "self"), 200, []string{"<DescribeSnapshotsResponse"}},
		{v("Action", "DeleteSnapshot", "SnapshotId", "snap-1"), 400, []string{"<Code>InvalidSnapshot.NotFound</Code>"}},
		{v("Action", "DeregisterImage", "ImageId", "ami-00000009"), 400, []string{"<Code>AuthFailure</Code>"}},
		{v("Action", "CreateImage", "InstanceId", "i-0000000000000000f", "Name", "x"), 400, []string{"<Code>InvalidInstanceID.NotFound</Code>"}},
	}
	for _, c := range cases {
		status, body := post(t, s, good, c.form)
		if status != c.status {
			t.Errorf("%v: status %d, want %d: %s", c.form, status, c.status, body)
		}
		for _, want := range c.contains {
			if !strings.Contains(body, want) {
				t.Errorf("%v: body lacks %q:\n%s", c.form, want, body)
			}
		}
	}
	// A detach of an available volume is IncorrectState; of an unknown
	// attachment InvalidAttachment.NotFound.
	vol := s.Volumes()[0].ID
	post(t, s, good, v("Action", "DescribeVolumes"))
	post(t, s, good, v("Action", "DescribeVolumes"))
	if status, body := post(t, s, good, v("Action", "DetachVolume", "VolumeId", vol)); status != 400 || !strings.Contains(body, "IncorrectState") {
		t.Errorf("detach of an available volume: %d %s", status, body)
	}
}
