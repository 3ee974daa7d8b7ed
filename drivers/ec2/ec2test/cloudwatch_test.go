package ec2test_test

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/encoding/cbor"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

const cwAuth = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/monitoring/aws4_request"

func epoch(t time.Time) cbor.Value { return &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.Unix()))} }

// cwQuery is a valid query map.
func cwQuery(id string) cbor.Map {
	return cbor.Map{"Id": cbor.String(id), "MetricStat": cbor.Map{
		"Metric": cbor.Map{"Namespace": cbor.String("AWS/EC2"), "MetricName": cbor.String("CPUUtilization"),
			"Dimensions": cbor.List{cbor.Map{"Name": cbor.String("InstanceId"), "Value": cbor.String("i-1")}}},
		"Period": cbor.Uint(300), "Stat": cbor.String("Average")}}
}

// cwBody is a valid GetMetricData request with changes applied.
func cwBody(change func(m cbor.Map)) []byte {
	end := time.Date(2024, 1, 1, 1, 0, 0, 0, time.UTC)
	m := cbor.Map{"StartTime": epoch(end.Add(-time.Hour)), "EndTime": epoch(end),
		"MetricDataQueries": cbor.List{cwQuery("q1")}}
	if change != nil {
		change(m)
	}
	return cbor.Encode(m)
}

func withQuery(change func(q cbor.Map)) func(cbor.Map) {
	return func(m cbor.Map) {
		q := cwQuery("q1")
		change(q)
		m["MetricDataQueries"] = cbor.List{q}
	}
}

// TestCloudWatchWire checks the fake's protocol and validation on raw
// requests: status, the query error header and the body's __type.
func TestCloudWatchWire(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	path := "/service/" + ec2test.CloudWatchService + "/operation/GetMetricData"
	cases := []struct {
		name, method, path, auth, protocol string
		body                               []byte
		status                             int
		code, typ                          string
	}{
		{name: "valid", body: cwBody(nil), status: 200},
		{name: "wrong path", path: "/", body: cwBody(nil), status: 404, code: "UnknownOperationException"},
		{name: "GET", method: http.MethodGet, status: 404, code: "UnknownOperationException"},
		{name: "other operation", path: "/service/" + ec2test.CloudWatchService + "/operation/ListMetrics",
			body: cbor.Encode(cbor.Map{}), status: 400, code: "UnknownOperationException"},
		{name: "no protocol header", protocol: "-", body: cwBody(nil), status: 400, code: "SerializationException"},
		{name: "no authorization", auth: "-", body: cwBody(nil), status: 403, code: "MissingAuthenticationToken"},
		{name: "bad key", auth: "AWS4-HMAC-SHA256 Credential=bad/20240101/us-east-1/monitoring/aws4_request",
			body: cwBody(nil), status: 403, code: "InvalidClientTokenId", typ: "com.amazon.coral.service#UnrecognizedClientException"},
		{name: "wrong service scope", auth: "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/ec2/aws4_request",
			body: cwBody(nil), status: 403, code: "SignatureDoesNotMatch"},
		{name: "not CBOR", body: []byte{0xff, 0x00}, status: 400, code: "SerializationException"},
		{name: "not a map", body: cbor.Encode(cbor.List{}), status: 400, code: "SerializationException"},
		{name: "no start", body: cwBody(func(m cbor.Map) { delete(m, "StartTime") }), status: 400,
			code: "MissingParameter", typ: "com.amazonaws.cloudwatch#MissingRequiredParameterException"},
		{name: "start after end", body: cwBody(func(m cbor.Map) { m["StartTime"], m["EndTime"] = m["EndTime"], m["StartTime"] }),
			status: 400, code: "InvalidParameterValue", typ: "com.amazonaws.cloudwatch#InvalidParameterValueException"},
		{name: "time not tagged", body: cwBody(func(m cbor.Map) { m["StartTime"] = cbor.String("yesterday") }), status: 400, code: "InvalidParameterValue"},
		{name: "bad ScanBy", body: cwBody(func(m cbor.Map) { m["ScanBy"] = cbor.String("Sideways") }), status: 400, code: "InvalidParameterValue"},
		{name: "no queries", body: cwBody(func(m cbor.Map) { m["MetricDataQueries"] = cbor.List{} }), status: 400, code: "InvalidParameterValue"},
		{name: "501 queries", body: cwBody(func(m cbor.Map) {
			qs := cbor.List{}
			for i := range 501 {
				qs = append(qs, cwQuery("q"+strings.Repeat("x", i)))
			}
			m["MetricDataQueries"] = qs
		}), status: 400, code: "InvalidParameterValue"},
		{name: "upper-case id", body: cwBody(withQuery(func(q cbor.Map) { q["Id"] = cbor.String("Q1") })), status: 400, code: "InvalidParameterValue"},
		{name: "duplicate id", body: cwBody(func(m cbor.Map) { m["MetricDataQueries"] = cbor.List{cwQuery("a"), cwQuery("a")} }),
			status: 400, code: "InvalidParameterValue"},
		{name: "period 7", body: cwBody(withQuery(func(q cbor.Map) { q["MetricStat"].(cbor.Map)["Period"] = cbor.Uint(7) })),
			status: 400, code: "InvalidParameterValue"},
		{name: "no period", body: cwBody(withQuery(func(q cbor.Map) { delete(q["MetricStat"].(cbor.Map), "Period") })),
			status: 400, code: "MissingParameter"},
		{name: "stat and expression", body: cwBody(withQuery(func(q cbor.Map) { q["Expression"] = cbor.String("q0*2") })),
			status: 400, code: "InvalidParameterCombination", typ: "com.amazonaws.cloudwatch#InvalidParameterCombinationException"},
		{name: "neither stat nor expression", body: cwBody(withQuery(func(q cbor.Map) { delete(q, "MetricStat") })),
			status: 400, code: "InvalidParameterCombination"},
		{name: "percentile", body: cwBody(withQuery(func(q cbor.Map) { q["MetricStat"].(cbor.Map)["Stat"] = cbor.String("p99") })),
			status: 400, code: "InvalidParameterValue"},
		{name: "id not a string", body: cwBody(withQuery(func(q cbor.Map) { q["Id"] = cbor.Uint(1) })), status: 400, code: "SerializationException"},
		{name: "bad token", body: cwBody(func(m cbor.Map) { m["NextToken"] = cbor.String("cw-x") }), status: 400,
			code: "InvalidNextToken", typ: "com.amazonaws.cloudwatch#InvalidNextToken"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			method, p, auth, protocol := cmpOr(c.method, http.MethodPost), cmpOr(c.path, path), cmpOr(c.auth, cwAuth), cmpOr(c.protocol, "rpc-v2-cbor")
			req, err := http.NewRequestWithContext(t.Context(), method, cw.URL+p, bytes.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", "application/cbor")
			if protocol != "-" {
				req.Header.Set("Smithy-Protocol", protocol)
			}
			if auth != "-" {
				req.Header.Set("Authorization", auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != c.status || resp.Header.Get("Content-Type") != "application/cbor" ||
				resp.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
				t.Fatalf("status %d, Content-Type %q, Smithy-Protocol %q; want %d, CBOR", resp.StatusCode,
					resp.Header.Get("Content-Type"), resp.Header.Get("Smithy-Protocol"), c.status)
			}
			v, err := cbor.Decode(b)
			if err != nil {
				t.Fatalf("the answer is not CBOR: %v", err)
			}
			m, _ := v.(cbor.Map)
			if c.code == "" {
				if _, ok := m["MetricDataResults"].(cbor.List); !ok {
					t.Errorf("answer %v has no MetricDataResults", v)
				}
				return
			}
			if h := resp.Header.Get("X-Amzn-Query-Error"); !strings.HasPrefix(h, c.code+";") {
				t.Errorf("X-Amzn-Query-Error %q, want code %s", h, c.code)
			}
			typ, _ := m["__type"].(cbor.String)
			if typ == "" || (c.typ != "" && string(typ) != c.typ) {
				t.Errorf("__type %q, want %q", typ, cmpOr(c.typ, "a shape name"))
			}
			if msg, _ := m["message"].(cbor.String); msg == "" {
				t.Errorf("error %v has no message", v)
			}
		})
	}
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// clients are SDK clients of the fakes.
func clients(t *testing.T, s *ec2test.Server, key string) (*awsec2.Client, *cloudwatch.Client) {
	creds := credentials.NewStaticCredentialsProvider(key, "secret", "")
	e := awsec2.New(awsec2.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(s.URL)})
	c := cloudwatch.New(cloudwatch.Options{Region: "us-east-1", Credentials: creds, BaseEndpoint: aws.String(s.CloudWatch().URL),
		RetryMaxAttempts: 1})
	return e, c
}

func stat(id, metric, instance, stat, unit string, period int32) cwtypes.MetricDataQuery {
	return cwtypes.MetricDataQuery{Id: aws.String(id), MetricStat: &cwtypes.MetricStat{
		Metric: &cwtypes.Metric{Namespace: aws.String("AWS/EC2"), MetricName: aws.String(metric),
			Dimensions: []cwtypes.Dimension{{Name: aws.String("InstanceId"), Value: aws.String(instance)}}},
		Period: aws.Int32(period), Stat: aws.String(stat), Unit: cwtypes.StandardUnit(unit)}}
}

// TestCloudWatchSDK talks to the fake with the SDK's own client.
func TestCloudWatchSDK(t *testing.T) {
	s := ec2test.NewServer(t)
	ec, cw := clients(t, s, "AKID")
	ctx := t.Context()
	run, err := ec.RunInstances(ctx, &awsec2.RunInstancesInput{ImageId: aws.String("ami-00000001"),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	if !s.Backdate(id, 30*time.Minute) || s.Backdate("i-nope", time.Hour) {
		t.Fatal("Backdate does not know the instances")
	}
	launch := s.Instances()[0].LaunchTime
	end := time.Now().UTC().Truncate(time.Minute).Add(time.Minute)
	start := end.Add(-10 * time.Minute)
	out, err := cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{
			stat("avg", "CPUUtilization", id, "Average", "", 60),
			stat("sum", "NetworkIn", id, "Sum", "Bytes", 120),
			stat("count", "NetworkIn", id, "SampleCount", "", 120),
			stat("wrongunit", "NetworkIn", id, "Average", "Count", 60),
			stat("otherinstance", "NetworkIn", "i-nope", "Average", "", 60),
			stat("othermetric", "MemoryUtilization", id, "Average", "", 60),
			{Id: aws.String("hidden"), ReturnData: aws.Bool(false), Label: aws.String("x"),
				MetricStat: stat("", "CPUUtilization", id, "Maximum", "", 60).MetricStat},
		}})
	if err != nil {
		t.Fatal(err)
	}
	type series struct {
		ID, Label, Status string
		Timestamps        []time.Time
		Values            []float64
	}
	// The default order is newest first.
	want := []series{{ID: "avg", Label: "CPUUtilization", Status: "Complete"}, {ID: "sum", Label: "NetworkIn", Status: "Complete"},
		{ID: "count", Label: "NetworkIn", Status: "Complete"}, {ID: "wrongunit", Label: "NetworkIn", Status: "Complete"},
		{ID: "otherinstance", Label: "NetworkIn", Status: "Complete"}, {ID: "othermetric", Label: "MemoryUtilization", Status: "Complete"}}
	for ts := end.Add(-time.Minute); !ts.Before(start); ts = ts.Add(-time.Minute) {
		avg, _, _ := ec2test.MetricValue(id, "CPUUtilization", ts, time.Minute)
		want[0].Timestamps, want[0].Values = append(want[0].Timestamps, ts), append(want[0].Values, avg)
		if ts.Unix()%120 == 0 {
			avg, _, _ := ec2test.MetricValue(id, "NetworkIn", ts, 2*time.Minute)
			want[1].Timestamps, want[1].Values = append(want[1].Timestamps, ts), append(want[1].Values, 2*avg)
			want[2].Timestamps, want[2].Values = append(want[2].Timestamps, ts), append(want[2].Values, 2)
		}
	}
	if !launch.Before(start) {
		t.Fatalf("launch %v is not before the window %v", launch, start)
	}
	var got []series
	for _, r := range out.MetricDataResults {
		got = append(got, series{aws.ToString(r.Id), aws.ToString(r.Label), string(r.StatusCode), r.Timestamps, r.Values})
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("GetMetricData (-want +got):\n%s", diff)
	}

	// Ascending, one datapoint per page.
	cwf := s.CloudWatch()
	cwf.SetPageSize(1)
	pg := cloudwatch.NewGetMetricDataPaginator(cw, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end),
		ScanBy: cwtypes.ScanByTimestampAscending, MetricDataQueries: []cwtypes.MetricDataQuery{stat("q", "DiskReadOps", id, "Minimum", "Count", 300)}})
	var pages []series
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		r := page.MetricDataResults[0]
		pages = append(pages, series{aws.ToString(r.Id), aws.ToString(r.Label), string(r.StatusCode), r.Timestamps, r.Values})
	}
	var wantPages []series
	first := start.Truncate(5 * time.Minute)
	if first.Before(start) {
		first = first.Add(5 * time.Minute)
	}
	for ts := first; ts.Before(end); ts = ts.Add(5 * time.Minute) {
		_, lo, _ := ec2test.MetricValue(id, "DiskReadOps", ts, 5*time.Minute)
		wantPages = append(wantPages, series{"q", "DiskReadOps", "PartialData", []time.Time{ts}, []float64{lo}})
	}
	wantPages[len(wantPages)-1].Status = "Complete"
	if diff := cmp.Diff(wantPages, pages, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("pages (-want +got):\n%s", diff)
	}
	cwf.SetPageSize(100800)

	// Errors arrive as the SDK's modelled errors with the query code.
	cwf.Fail("GetMetricData", "InvalidParameterValue", 400, 1)
	_, err = cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{stat("q", "DiskReadOps", id, "Minimum", "", 60)}})
	var ipv *cwtypes.InvalidParameterValueException
	if !errors.As(err, &ipv) || ipv.ErrorCode() != "InvalidParameterValue" || !strings.Contains(ipv.ErrorMessage(), "injected") {
		t.Errorf("injected InvalidParameterValue = %v (%T)", err, err)
	}
	cwf.Throttle(1)
	_, err = cw.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{stat("q", "DiskReadOps", id, "Minimum", "", 60)}})
	var api smithy.APIError
	if !errors.As(err, &api) || api.ErrorCode() != "Throttling" {
		t.Errorf("injected throttling = %v", err)
	}
	_, bad := clients(t, s, ec2test.BadAccessKey)
	_, err = bad.GetMetricData(ctx, &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{stat("q", "DiskReadOps", id, "Minimum", "", 60)}})
	if !errors.As(err, &api) || api.ErrorCode() != "InvalidClientTokenId" {
		t.Errorf("bad key = %v", err)
	}
	if n := cwf.Calls("GetMetricData"); n != 1+len(wantPages)+3 {
		t.Errorf("Calls = %d, want %d", n, 1+len(wantPages)+3)
	}
	if reqs := cwf.Requests(); len(reqs) == 0 || len(reqs[0].Queries) != 7 || reqs[0].Queries[6].ReturnData == nil ||
		*reqs[0].Queries[6].ReturnData || reqs[0].Queries[1].Unit != "Bytes" {
		t.Errorf("Requests()[0] = %+v", reqs[0])
	}
}

// TestMetricValue: samples are ordered and percentages bounded.
func TestMetricValue(t *testing.T) {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		for _, m := range ec2test.EC2Metrics {
			ts := base.Add(time.Duration(i) * 5 * time.Minute)
			avg, lo, hi := ec2test.MetricValue("i-1", m.Name, ts, 5*time.Minute)
			if lo > avg || avg > hi || lo < 0 || (m.Unit == "Percent" && hi > 100) {
				t.Fatalf("%s at %v: %g ≤ %g ≤ %g does not hold", m.Name, ts, lo, avg, hi)
			}
			if a2, _, _ := ec2test.MetricValue("i-1", m.Name, ts, 5*time.Minute); a2 != avg {
				t.Fatalf("%s at %v is not deterministic", m.Name, ts)
			}
		}
	}
}
