package ec2test_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// queryForm is a GetMetricData request as the CloudWatch API reference
// writes it for awsQuery, with changes applied.
func queryForm(instance string, start, end time.Time, change func(url.Values)) url.Values {
	f := url.Values{
		"Action":                        {"GetMetricData"},
		"Version":                       {"2010-08-01"},
		"StartTime":                     {start.UTC().Format(time.RFC3339)},
		"EndTime":                       {end.UTC().Format(time.RFC3339)},
		"ScanBy":                        {"TimestampAscending"},
		"MetricDataQueries.member.1.Id": {"cpu"},
		"MetricDataQueries.member.1.MetricStat.Metric.Namespace":                 {"AWS/EC2"},
		"MetricDataQueries.member.1.MetricStat.Metric.MetricName":                {"CPUUtilization"},
		"MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name":  {"InstanceId"},
		"MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value": {instance},
		"MetricDataQueries.member.1.MetricStat.Period":                           {"300"},
		"MetricDataQueries.member.1.MetricStat.Stat":                             {"Maximum"},
		"MetricDataQueries.member.1.ReturnData":                                  {"true"},
	}
	if change != nil {
		change(f)
	}
	return f
}

func postForm(t *testing.T, u string, f url.Values, auth string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, u+"/", strings.NewReader(f.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, b
}

// The documents as the API reference shows them, read back strictly.
type gmdResponse struct {
	XMLName xml.Name `xml:"http://monitoring.amazonaws.com/doc/2010-08-01/ GetMetricDataResponse"`
	Results []struct {
		ID         string   `xml:"Id"`
		Label      string   `xml:"Label"`
		StatusCode string   `xml:"StatusCode"`
		Timestamps []string `xml:"Timestamps>member"`
		Values     []string `xml:"Values>member"`
	} `xml:"GetMetricDataResult>MetricDataResults>member"`
	NextToken string `xml:"GetMetricDataResult>NextToken"`
	RequestID string `xml:"ResponseMetadata>RequestId"`
}

type errResponse struct {
	XMLName xml.Name `xml:"http://monitoring.amazonaws.com/doc/2010-08-01/ ErrorResponse"`
	Type    string   `xml:"Error>Type"`
	Code    string   `xml:"Error>Code"`
	Message string   `xml:"Error>Message"`
}

// TestCloudWatchQueryWire checks the awsQuery side on raw requests: the
// answer's XML shape and values, paging, and the error documents.
func TestCloudWatchQueryWire(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	ec, _ := clients(t, s, "AKID")
	run, err := ec.RunInstances(context.Background(), &awsec2.RunInstancesInput{ImageId: aws.String("ami-00000001"),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(run.Instances[0].InstanceId)
	s.Backdate(id, 2*time.Hour)
	end := time.Now().UTC().Truncate(5 * time.Minute)
	start := end.Add(-30 * time.Minute)

	status, body := postForm(t, cw.URL, queryForm(id, start, end, nil), cwAuth)
	if status != http.StatusOK {
		t.Fatalf("status %d: %s", status, body)
	}
	var got gmdResponse
	if err := xml.Unmarshal(body, &got); err != nil {
		t.Fatalf("%v in %s", err, body)
	}
	if len(got.Results) != 1 || got.Results[0].ID != "cpu" || got.Results[0].StatusCode != "Complete" ||
		got.Results[0].Label != "CPUUtilization" || got.RequestID == "" || got.NextToken != "" {
		t.Fatalf("answer %+v", got)
	}
	var wantTS, gotTS []time.Time
	var wantV, gotV []float64
	for ts := start; ts.Before(end); ts = ts.Add(5 * time.Minute) {
		_, _, hi := ec2test.MetricValue(id, "CPUUtilization", ts, 5*time.Minute)
		wantTS, wantV = append(wantTS, ts), append(wantV, hi)
	}
	for i, ts := range got.Results[0].Timestamps {
		tt, err := time.Parse(time.RFC3339, ts)
		if err != nil {
			t.Fatal(err)
		}
		v, err := strconv.ParseFloat(got.Results[0].Values[i], 64)
		if err != nil {
			t.Fatal(err)
		}
		gotTS, gotV = append(gotTS, tt), append(gotV, v)
	}
	if diff := cmp.Diff(wantTS, gotTS); diff != "" {
		t.Errorf("timestamps (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(wantV, gotV); diff != "" {
		t.Errorf("values (-want +got):\n%s", diff)
	}
	if reqs := cw.Requests(); len(reqs) != 1 || reqs[0].Protocol != ec2test.ProtocolQuery ||
		reqs[0].Queries[0].Dimensions["InstanceId"] != id || reqs[0].Queries[0].Period != 300 {
		t.Errorf("decoded request %+v", reqs)
	}

	// A page of two datapoints, then the rest.
	status, body = postForm(t, cw.URL, queryForm(id, start, end, func(f url.Values) { f.Set("MaxDatapoints", "2") }), cwAuth)
	var page gmdResponse
	if err := xml.Unmarshal(body, &page); err != nil || status != 200 || page.NextToken != "cw-2" ||
		page.Results[0].StatusCode != "PartialData" || len(page.Results[0].Timestamps) != 2 {
		t.Errorf("first page: %d %v %+v", status, err, page)
	}

	for _, c := range []struct {
		name   string
		change func(url.Values)
		auth   string
		status int
		code   string
	}{
		{"no auth", nil, "", 403, "MissingAuthenticationToken"},
		{"bad key", nil, strings.Replace(cwAuth, "AKID", ec2test.BadAccessKey, 1), 403, "InvalidClientTokenId"},
		{"wrong version", func(f url.Values) { f.Set("Version", "2009-01-01") }, cwAuth, 400, "InvalidParameterValue"},
		{"no start", func(f url.Values) { f.Del("StartTime") }, cwAuth, 400, "MissingParameter"},
		{"bad time", func(f url.Values) { f.Set("StartTime", "yesterday") }, cwAuth, 400, "InvalidParameterValue"},
		{"bad period", func(f url.Values) { f.Set("MetricDataQueries.member.1.MetricStat.Period", "7") }, cwAuth, 400, "InvalidParameterValue"},
		{"no stat", func(f url.Values) { f.Del("MetricDataQueries.member.1.MetricStat.Stat") }, cwAuth, 400, "MissingParameter"},
		{"bad id", func(f url.Values) { f.Set("MetricDataQueries.member.1.Id", "Cpu") }, cwAuth, 400, "InvalidParameterValue"},
		{"unknown action", func(f url.Values) { f.Set("Action", "PutMetricData") }, cwAuth, 400, "UnknownOperationException"},
	} {
		t.Run(c.name, func(t *testing.T) {
			status, body := postForm(t, cw.URL, queryForm(id, start, end, c.change), c.auth)
			var e errResponse
			if err := xml.Unmarshal(body, &e); err != nil {
				t.Fatalf("%v in %s", err, body)
			}
			if status != c.status || e.Code != c.code || e.Type != "Sender" || e.Message == "" {
				t.Errorf("got %d %+v, want %d %s", status, e, c.status, c.code)
			}
		})
	}

	// An emulator that predates CBOR refuses it.
	cw.SetProtocols(ec2test.ProtocolQuery)
	_, cwc := clients(t, s, "AKID")
	_, err = cwc.GetMetricData(t.Context(), &cloudwatch.GetMetricDataInput{StartTime: aws.Time(start), EndTime: aws.Time(end),
		MetricDataQueries: []cwtypes.MetricDataQuery{stat("cpu", "CPUUtilization", id, "Maximum", "", 300)}})
	var re interface{ HTTPStatusCode() int }
	if !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusNotFound {
		t.Errorf("a CBOR request to a query-only fake: %v, want a 404", err)
	}
}
