package main

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// get fetches path from the server as user:password and returns the
// status and body.
func get(t *testing.T, addr, path, user, password string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+addr+path, nil)
	req.SetBasicAuth(user, password)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestEC2OptionsFlag: -o passes ec2 options to the ec2 driver, with or
// without the driver prefix: the endpoint and the CloudWatch endpoint and
// protocol point it at an emulator that answers CloudWatch in awsQuery
// only, and the request's own credentials, session token included, are
// what reaches it.
func TestEC2OptionsFlag(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	cw.SetProtocols(ec2test.ProtocolQuery)
	sdk := awsec2.New(awsec2.Options{Region: "us-east-1", BaseEndpoint: aws.String(s.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", "")})
	run, err := sdk.RunInstances(t.Context(), &awsec2.RunInstancesInput{ImageId: aws.String("ami-00000001"),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	addr := startServer(t, "-i", "ec2", "-P", "us-east-1", "-o", "endpoint="+s.URL,
		"-o", "ec2.cloudwatch_endpoint="+cw.URL, "-o", "cloudwatch_protocol=query", "-o", "ec2.max_attempts=1")

	status, body := get(t, addr, "/api/realms?format=xml", "AKID", "secret:session-token-1")
	if status != http.StatusOK || !strings.Contains(body, "us-east-1a") {
		t.Fatalf("GET realms = %d %s", status, body)
	}
	if toks := s.SecurityTokens(); !slices.Contains(toks, "session-token-1") {
		t.Errorf("the fake saw session tokens %q, want the request's", toks)
	}
	status, body = get(t, addr, "/api/metrics/"+id+"?format=xml", "AKID", "secret")
	if status != http.StatusOK || !strings.Contains(body, "CPUUtilization") {
		t.Fatalf("GET metric = %d %s", status, body)
	}
	if reqs := cw.Requests(); len(reqs) != 1 || reqs[0].Protocol != ec2test.ProtocolQuery {
		t.Errorf("CloudWatch requests %+v, want one in awsQuery", reqs)
	}
	if strings.Contains(body, "session-token") || strings.Contains(body, "secret") {
		t.Errorf("a credential in the answer: %s", body)
	}

	// An option the driver does not know is the operator's mistake, a bad
	// request rather than ignored.
	before := len(s.SecurityTokens())
	bad := startServer(t, "-i", "ec2", "-o", "endpoint="+s.URL, "-o", "ec2.cloudwatch_protcol=query")
	if status, body := get(t, bad, "/api/realms?format=xml", "AKID", "secret"); status != http.StatusBadRequest {
		t.Errorf("GET realms with a misspelt option = %d %s, want 400", status, body)
	}
	if n := len(s.SecurityTokens()) - before; n != 0 {
		t.Errorf("a provider with a misspelt option sent %d requests", n)
	}
}

// TestHelpListsEC2Options: -h documents every ec2 driver option.
func TestHelpListsEC2Options(t *testing.T) {
	var out bytes.Buffer
	if code := run(t.Context(), []string{"-h"}, &out, nil); code != 0 {
		t.Fatalf("-h exit %d", code)
	}
	help := out.String()
	docs := ec2.OptionDocs()
	if len(docs) < 9 {
		t.Fatalf("ec2 documents %d options", len(docs))
	}
	for _, o := range docs {
		if !strings.Contains(help, "  "+o.Name+" ") || !strings.Contains(help, o.Usage) {
			t.Errorf("-h does not document ec2 option %s", o.Name)
		}
	}
	if !strings.Contains(help, "secret:token") {
		t.Error("-h does not say how to pass a session token")
	}
}
