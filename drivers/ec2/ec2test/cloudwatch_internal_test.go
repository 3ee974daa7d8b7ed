package ec2test

import (
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// FuzzParseGetMetricData feeds the request decoder arbitrary bodies: it
// must not panic, and what it accepts must be a request CloudWatch would
// accept.
func FuzzParseGetMetricData(f *testing.F) {
	end := time.Date(2024, 1, 1, 1, 0, 0, 0, time.UTC)
	query := cbor.Map{"Id": cbor.String("q1"), "ReturnData": cbor.Bool(true), "MetricStat": cbor.Map{
		"Metric": cbor.Map{"Namespace": cbor.String("AWS/EC2"), "MetricName": cbor.String("CPUUtilization"),
			"Dimensions": cbor.List{cbor.Map{"Name": cbor.String("InstanceId"), "Value": cbor.String("i-1")}}},
		"Period": cbor.Uint(300), "Stat": cbor.String("Average"), "Unit": cbor.String("Percent")}}
	f.Add(cbor.Encode(cbor.Map{"StartTime": &cbor.Tag{ID: 1, Value: cbor.Float64(float64(end.Add(-time.Hour).Unix()))},
		"EndTime": &cbor.Tag{ID: 1, Value: cbor.Uint(end.Unix())}, "MetricDataQueries": cbor.List{query},
		"ScanBy": cbor.String("TimestampAscending"), "MaxDatapoints": cbor.Uint(10), "NextToken": cbor.String("cw-1")}))
	f.Add(cbor.Encode(cbor.Map{"MetricDataQueries": cbor.List{cbor.Map{"Id": cbor.String("e"), "Expression": cbor.String("1")}}}))
	f.Add([]byte{0xbf, 0x61, 0x61, 0x9f, 0xff, 0xff}) // indefinite-length map and list
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, body []byte) {
		req, e := parseGetMetricData(body)
		if (req == nil) == (e == nil) {
			t.Fatalf("parseGetMetricData returned request %v and error %v", req, e)
		}
		if e != nil {
			if e.code == "" || e.typ == "" || e.status < 400 {
				t.Fatalf("error %+v lacks a code, type or status", e)
			}
			return
		}
		if !req.StartTime.Before(req.EndTime) || len(req.Queries) == 0 || len(req.Queries) > maxQueries {
			t.Fatalf("accepted %+v", req)
		}
		ids := map[string]bool{}
		for _, q := range req.Queries {
			if !queryIDPattern.MatchString(q.ID) || ids[q.ID] || !q.HasStat || q.Period <= 0 || q.Stat == "" || q.MetricName == "" {
				t.Fatalf("accepted query %+v", q)
			}
			ids[q.ID] = true
		}
	})
}
