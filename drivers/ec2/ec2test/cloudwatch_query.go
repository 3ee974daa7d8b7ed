package ec2test

import (
	"encoding/xml"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// The awsQuery side of the CloudWatch fake: what CloudWatch answered alone
// before RPC v2 CBOR, and what emulators that predate CBOR still speak. A
// request is a form-encoded POST to "/" with Action=GetMetricData and
// Version=2010-08-01; structures and lists are flattened into dotted names
// (MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name),
// timestamps are ISO 8601. The answer is GetMetricDataResponse XML in
// CloudWatch's namespace, an error an ErrorResponse document, as the
// CloudWatch API reference shows them.

// CloudWatchNamespace is the XML namespace of CloudWatch's awsQuery
// answers, and CloudWatchVersion the API version its requests name.
const (
	CloudWatchNamespace = "http://monitoring.amazonaws.com/doc/2010-08-01/"
	CloudWatchVersion   = "2010-08-01"
)

// queryAction is the Action a form-encoded request body names.
func queryAction(body []byte) string {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return ""
	}
	return form.Get("Action")
}

// parseQueryGetMetricData decodes a form-encoded GetMetricData request
// into the structure the CBOR side decodes, and validates it the same way.
func parseQueryGetMetricData(body []byte) (*GetMetricDataRequest, *cwError) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, cwErrf(http.StatusBadRequest, "MalformedQueryString", "cannot parse the form: %v", err)
	}
	if v := form.Get("Version"); v != CloudWatchVersion {
		return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue", "Version %q, want %s", v, CloudWatchVersion)
	}
	m := cbor.Map{}
	for _, name := range []string{"StartTime", "EndTime"} {
		if !form.Has(name) {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, form.Get(name))
		if err != nil {
			return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue", "%s %q is not an ISO 8601 timestamp", name, form.Get(name))
		}
		m[name] = &cbor.Tag{ID: 1, Value: cbor.Float64(float64(t.UnixNano()) / 1e9)}
	}
	for _, name := range []string{"NextToken", "ScanBy"} {
		if form.Has(name) {
			m[name] = cbor.String(form.Get(name))
		}
	}
	if form.Has("MaxDatapoints") {
		v, e := formInt(form, "MaxDatapoints")
		if e != nil {
			return nil, e
		}
		m["MaxDatapoints"] = v
	}
	if hasPrefix(form, "MetricDataQueries") {
		qs := cbor.List{}
		for i := 1; hasPrefix(form, member("MetricDataQueries", i)+"."); i++ {
			q, e := formQuery(form, member("MetricDataQueries", i))
			if e != nil {
				return nil, e
			}
			qs = append(qs, q)
		}
		m["MetricDataQueries"] = qs
	}
	return checkGetMetricData(m)
}

// formQuery decodes MetricDataQueries.member.N.
func formQuery(form url.Values, p string) (cbor.Map, *cwError) {
	q := cbor.Map{}
	for _, name := range []string{"Id", "Label", "Expression", "AccountId"} {
		if form.Has(p + "." + name) {
			q[name] = cbor.String(form.Get(p + "." + name))
		}
	}
	if v := p + ".ReturnData"; form.Has(v) {
		b, err := strconv.ParseBool(form.Get(v))
		if err != nil {
			return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue", "%s %q is not a boolean", v, form.Get(v))
		}
		q["ReturnData"] = cbor.Bool(b)
	}
	sp := p + ".MetricStat"
	if !hasPrefix(form, sp+".") {
		return q, nil
	}
	st := cbor.Map{}
	for _, name := range []string{"Stat", "Unit"} {
		if form.Has(sp + "." + name) {
			st[name] = cbor.String(form.Get(sp + "." + name))
		}
	}
	if form.Has(sp + ".Period") {
		v, e := formInt(form, sp+".Period")
		if e != nil {
			return nil, e
		}
		st["Period"] = v
	}
	mp := sp + ".Metric"
	if hasPrefix(form, mp+".") {
		mv := cbor.Map{}
		for _, name := range []string{"Namespace", "MetricName"} {
			if form.Has(mp + "." + name) {
				mv[name] = cbor.String(form.Get(mp + "." + name))
			}
		}
		if hasPrefix(form, mp+".Dimensions") {
			ds := cbor.List{}
			for j := 1; hasPrefix(form, member(mp+".Dimensions", j)+"."); j++ {
				d := member(mp+".Dimensions", j)
				dm := cbor.Map{}
				for _, name := range []string{"Name", "Value"} {
					if form.Has(d + "." + name) {
						dm[name] = cbor.String(form.Get(d + "." + name))
					}
				}
				ds = append(ds, dm)
			}
			mv["Dimensions"] = ds
		}
		st["Metric"] = mv
	}
	q["MetricStat"] = st
	return q, nil
}

func member(list string, i int) string { return list + ".member." + strconv.Itoa(i) }

// hasPrefix reports whether some form name starts with p.
func hasPrefix(form url.Values, p string) bool {
	for k := range form {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// formInt reads an integer member as CBOR would carry it.
func formInt(form url.Values, name string) (cbor.Value, *cwError) {
	n, err := strconv.ParseInt(form.Get(name), 10, 64)
	if err != nil {
		return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue", "%s %q is not an integer", name, form.Get(name))
	}
	if n < 0 {
		return cbor.NegInt(-n - 1), nil
	}
	return cbor.Uint(n), nil
}

// The awsQuery answer documents.

type xGetMetricDataResponse struct {
	XMLName  xml.Name             `xml:"GetMetricDataResponse"`
	Xmlns    string               `xml:"xmlns,attr"`
	Result   xGetMetricDataResult `xml:"GetMetricDataResult"`
	Metadata xResponseMetadata    `xml:"ResponseMetadata"`
}

type xGetMetricDataResult struct {
	Results   []xMetricDataResult `xml:"MetricDataResults>member"`
	Messages  []xMessageData      `xml:"Messages>member"`
	NextToken string              `xml:"NextToken,omitempty"`
}

type xMetricDataResult struct {
	ID         string         `xml:"Id"`
	Label      string         `xml:"Label"`
	StatusCode string         `xml:"StatusCode"`
	Timestamps []string       `xml:"Timestamps>member"`
	Values     []string       `xml:"Values>member"`
	Messages   []xMessageData `xml:"Messages>member,omitempty"`
}

type xMessageData struct {
	Code  string `xml:"Code"`
	Value string `xml:"Value"`
}

type xResponseMetadata struct {
	RequestID string `xml:"RequestId"`
}

type xCWErrorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Error     xCWError `xml:"Error"`
	RequestID string   `xml:"RequestId"`
}

type xCWError struct {
	Type    string `xml:"Type"`
	Code    string `xml:"Code"`
	Message string `xml:"Message"`
}

// queryReplier writes awsQuery answers.
type queryReplier struct{}

func (queryReplier) answer(w http.ResponseWriter, a *metricDataAnswer) {
	out := xGetMetricDataResponse{Xmlns: CloudWatchNamespace, Metadata: xResponseMetadata{RequestID: "cw-req-0001"}}
	out.Result.NextToken = a.next
	for _, r := range a.results {
		x := xMetricDataResult{ID: r.id, Label: r.label, StatusCode: r.status}
		for _, p := range r.points {
			x.Timestamps = append(x.Timestamps, p.t.UTC().Format(time.RFC3339))
			x.Values = append(x.Values, strconv.FormatFloat(p.v, 'g', -1, 64))
		}
		if r.injected {
			x.Messages = []xMessageData{{Code: r.status, Value: "injected " + r.status}}
		}
		out.Result.Results = append(out.Result.Results, x)
	}
	writeCWXML(w, http.StatusOK, out)
}

func (queryReplier) fail(w http.ResponseWriter, e *cwError) {
	typ := "Sender"
	if e.status >= 500 {
		typ = "Receiver"
	}
	writeCWXML(w, e.status, xCWErrorResponse{Xmlns: CloudWatchNamespace, RequestID: "cw-req-err",
		Error: xCWError{Type: typ, Code: e.code, Message: e.msg}})
}

func writeCWXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("X-Amzn-Requestid", "cw-req-0001")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(b)
}
