package ec2_test

import (
	"errors"
	"testing"
	"time"

	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestMetricProtocols reads a metric over both CloudWatch protocols, from
// a fake that speaks both and from one that, like emulators older than RPC
// v2 CBOR, speaks awsQuery alone: the samples are the same either way, and
// each request went in the protocol the option asked for.
func TestMetricProtocols(t *testing.T) {
	for _, c := range []struct {
		name     string
		option   string   // cloudwatch_protocol; "" leaves it out
		serves   []string // the fake's protocols
		wantSent string
		wantCode deltacloud.Code // CodeUnknown: the metric is read
	}{
		{name: "default", serves: []string{ec2test.ProtocolCBOR, ec2test.ProtocolQuery}, wantSent: ec2test.ProtocolCBOR},
		{name: "cbor", option: ec2.CloudWatchCBOR, serves: []string{ec2test.ProtocolCBOR}, wantSent: ec2test.ProtocolCBOR},
		{name: "query", option: ec2.CloudWatchQuery, serves: []string{ec2test.ProtocolCBOR, ec2test.ProtocolQuery}, wantSent: ec2test.ProtocolQuery},
		{name: "query only emulator", option: ec2.CloudWatchQuery, serves: []string{ec2test.ProtocolQuery}, wantSent: ec2test.ProtocolQuery},
		{name: "cbor to a query only emulator", serves: []string{ec2test.ProtocolQuery}, wantCode: deltacloud.Backend},
		{name: "query to a cbor only endpoint", option: ec2.CloudWatchQuery, serves: []string{ec2test.ProtocolCBOR}, wantCode: deltacloud.Backend},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := ec2test.NewServer(t)
			cw := s.CloudWatch()
			cw.SetProtocols(c.serves...)
			var opts []string
			if c.option != "" {
				opts = []string{"cloudwatch_protocol", c.option}
			}
			p := open(t, s, append(opts, "max_attempts", "1")...)
			in := running(t, p, deltacloud.InstanceSpec{})
			s.Backdate(in.ID, 2*time.Hour)
			m, err := p.Metric(t.Context(), in.ID)
			if c.wantCode != deltacloud.CodeUnknown {
				if !errors.Is(err, c.wantCode) {
					t.Fatalf("Metric = %v, want %s", err, c.wantCode)
				}
				return
			}
			if err != nil {
				t.Fatalf("Metric: %v", err)
			}
			reqs := cw.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d GetMetricData requests, want 1", len(reqs))
			}
			if reqs[0].Protocol != c.wantSent {
				t.Errorf("sent in %s, want %s", reqs[0].Protocol, c.wantSent)
			}
			if n := len(reqs[0].Queries); n != 27 {
				t.Errorf("%d queries, want 27", n)
			}
			want := wantMetric(t, s, in.ID, in.ID, reqs[0])
			if len(want.Properties[0].Samples) < 12 {
				t.Fatalf("the fake has %d samples; the test needs a full window", len(want.Properties[0].Samples))
			}
			if diff := cmp.Diff(want, m); diff != "" {
				t.Errorf("Metric over %s (-want +got):\n%s", c.wantSent, diff)
			}
		})
	}
}

// TestMetricQueryPagesAndErrors: over awsQuery, NextToken pages join into
// the same samples, CloudWatch's error documents keep their codes (and map
// onto deltacloud's), result statuses are errors, and throttling is retried.
func TestMetricQueryPagesAndErrors(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	cw.SetProtocols(ec2test.ProtocolQuery)
	p := open(t, s, "cloudwatch_protocol", "query", "max_attempts", "1")
	ctx := t.Context()
	in := running(t, p, deltacloud.InstanceSpec{})
	s.Backdate(in.ID, 2*time.Hour)
	whole, err := p.Metric(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	cw.SetPageSize(40)
	before := cw.Calls("GetMetricData")
	paged, err := p.Metric(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := cw.Calls("GetMetricData") - before; n != 9 {
		t.Errorf("%d requests at 40 datapoints a page, want 9", n)
	}
	if diff := cmp.Diff(whole, paged); diff != "" {
		t.Errorf("paged over awsQuery (-one page +pages):\n%s", diff)
	}
	cw.SetPageSize(100800)
	// The SDK reads CloudWatch's modelled errors into their types, which
	// name themselves by shape (InvalidParameterValueException) where the
	// CBOR side keeps the query code; both map onto the same code.
	for _, c := range []struct {
		code    string
		status  int
		want    deltacloud.Code
		apiCode string
	}{
		{"InvalidParameterValue", 400, deltacloud.InvalidArgument, "InvalidParameterValueException"},
		{"InvalidParameterCombination", 400, deltacloud.InvalidArgument, "InvalidParameterCombinationException"},
		{"MissingParameter", 400, deltacloud.InvalidArgument, "MissingRequiredParameterException"},
		{"Throttling", 400, deltacloud.RateLimited, "Throttling"},
		{"AccessDenied", 403, deltacloud.Forbidden, "AccessDenied"},
		{"InvalidClientTokenId", 403, deltacloud.AuthFailure, "InvalidClientTokenId"},
		{"InternalServiceError", 500, deltacloud.Backend, "InternalServiceFault"},
		{"ServiceUnavailable", 503, deltacloud.Unavailable, "ServiceUnavailable"},
	} {
		t.Run(c.code, func(t *testing.T) {
			cw.Fail("GetMetricData", c.code, c.status, 1)
			_, err := p.Metric(ctx, in.ID)
			if !errors.Is(err, c.want) {
				t.Fatalf("Metric = %v, want %s", err, c.want)
			}
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != c.apiCode {
				t.Errorf("the SDK's error is not reachable with its code %q: %v", c.apiCode, err)
			}
		})
	}
	cw.SetResultStatus("Forbidden", 1)
	if _, err := p.Metric(ctx, in.ID); !errors.Is(err, deltacloud.Forbidden) {
		t.Errorf("Metric with Forbidden results = %v, want Forbidden", err)
	}
	retrying := open(t, s, "cloudwatch_protocol", "query", "max_attempts", "3")
	cw.Throttle(1)
	before = cw.Calls("GetMetricData")
	if _, err := retrying.Metric(ctx, in.ID); err != nil {
		t.Fatalf("Metric after one throttled awsQuery request: %v", err)
	}
	if n := cw.Calls("GetMetricData") - before; n != 2 {
		t.Errorf("%d requests, want 2 (one throttled, one retried)", n)
	}
}

// TestMetricQueryBadCredentials: the awsQuery requests are signed with the
// caller's key for the monitoring service; a refused key is AuthFailure.
func TestMetricQueryBadCredentials(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	p := open(t, s, "cloudwatch_protocol", "query", "max_attempts", "1")
	in := running(t, p, deltacloud.InstanceSpec{})
	bad, err := openFake(t.Context(), s, deltacloud.Credentials{User: ec2test.BadAccessKey, Password: "x"},
		"cloudwatch_protocol", "query", "max_attempts", "1")
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	// Instance lookups go to EC2 first, which refuses the key too; the
	// SDK client shows CloudWatch's own answer.
	if _, err := bad.Metric(t.Context(), in.ID); !errors.Is(err, deltacloud.AuthFailure) {
		t.Errorf("Metric with a refused key = %v, want AuthFailure", err)
	}
	if n := cw.Calls("GetMetricData"); n != 0 {
		t.Errorf("%d GetMetricData requests, want none", n)
	}
}

func TestCloudWatchProtocolOption(t *testing.T) {
	s := ec2test.NewServer(t)
	_, err := openFake(t.Context(), s, goodCreds, "cloudwatch_protocol", "json")
	if !errors.Is(err, deltacloud.InvalidArgument) {
		t.Errorf("cloudwatch_protocol=json: %v, want InvalidArgument", err)
	}
}
