package ec2test

import (
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/encoding/cbor"
)

// CloudWatchServer is a fake Amazon CloudWatch endpoint for the driver's
// metrics. It speaks the protocol aws-sdk-go-v2/service/cloudwatch
// (v1.75.x) sends, Smithy RPC v2 CBOR: POST
// /service/GraniteServiceVersion20100801/operation/{Operation} with the
// Smithy-Protocol: rpc-v2-cbor header and a CBOR body (timestamps as tag 1
// epoch seconds), answered in CBOR; errors carry "__type" and "message" in
// the body and, since CloudWatch is query-compatible, the query error code
// in the x-amzn-query-error header ("Throttling;Sender"), which the SDK
// reports as the error code. Bodies are decoded with smithy-go's own CBOR
// package. It also speaks awsQuery, the protocol CloudWatch spoke before
// (form-encoded requests to "/", XML answers: cloudwatch_query.go), with
// the same data and validation; SetProtocols narrows it to either.
//
// It answers GetMetricData for the AWS/EC2 metrics of the EC2 fake's
// instances (dimension InstanceId): deterministic datapoints (MetricValue)
// at every period boundary from the period of the instance's launch until
// its termination, in each metric's CloudWatch unit; a query naming
// another unit, namespace, metric or instance gets no datapoints, as on
// CloudWatch. It validates what CloudWatch validates (required members,
// query ids, periods, the time range, ScanBy, NextToken), paginates by
// datapoints (SetPageSize, MaxDatapoints), and injects errors, result
// statuses and latency on request. Metric math expressions are refused.
//
// Every request must carry an Authorization header scoped to the
// "monitoring" service; the access key BadAccessKey is refused with
// InvalidClientTokenId.
type CloudWatchServer struct {
	srv *httptest.Server
	// URL is the endpoint to give the driver (option "cloudwatch_endpoint").
	URL string

	ec2 *Server

	mu       sync.Mutex
	faults   map[string]*fault
	statuses []resultStatus
	calls    map[string]int
	requests []GetMetricDataRequest
	pageSize int
	// protocols are those the fake answers (SetProtocols).
	protocols map[string]bool
	latency   time.Duration
}

type resultStatus struct {
	code string
	n    int
}

// CloudWatchService is the service shape name in the request path.
const CloudWatchService = "GraniteServiceVersion20100801"

// maxCloudWatchBody bounds the request bodies the fake reads.
const maxCloudWatchBody = 1 << 20

// CloudWatch returns the fake CloudWatch endpoint that serves the metrics
// of this fake's instances, starting it on first use.
func (s *Server) CloudWatch() *CloudWatchServer {
	s.cwOnce.Do(func() {
		c := &CloudWatchServer{ec2: s, faults: map[string]*fault{}, calls: map[string]int{}, pageSize: 100800,
			protocols: map[string]bool{ProtocolCBOR: true, ProtocolQuery: true}}
		c.srv = httptest.NewServer(http.HandlerFunc(c.serve))
		c.URL = c.srv.URL
		s.cleanup.Cleanup(c.srv.Close)
		s.cw = c
	})
	return s.cw
}

// Backdate moves the launch time of instance id back by d, so that
// CloudWatch has older datapoints of it; it reports whether the instance
// exists.
func (s *Server) Backdate(id string, d time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	in := s.instances[id]
	if in != nil {
		in.LaunchTime = in.LaunchTime.Add(-d)
	}
	return in != nil
}

// EC2Metric is one metric of the AWS/EC2 namespace the fake serves.
type EC2Metric struct{ Name, Unit string }

// EC2Metrics are the AWS/EC2 metrics the fake has data for, with their
// CloudWatch units.
var EC2Metrics = []EC2Metric{
	{"CPUUtilization", "Percent"},
	{"DiskReadBytes", "Bytes"},
	{"DiskReadOps", "Count"},
	{"DiskWriteBytes", "Bytes"},
	{"DiskWriteOps", "Count"},
	{"NetworkIn", "Bytes"},
	{"NetworkOut", "Bytes"},
	{"NetworkPacketsIn", "Count"},
	{"NetworkPacketsOut", "Count"},
}

// MetricValue is the fake's datapoint of an instance's metric for the
// period of the given length starting at t: the average, minimum and
// maximum (minimum ≤ average ≤ maximum; percentages stay within 0..100),
// the same for the same arguments.
func MetricValue(instanceID, metric string, t time.Time, period time.Duration) (avg, lo, hi float64) {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s\x00%s\x00%d\x00%d", instanceID, metric, t.Unix(), int64(period/time.Second))
	x := float64(h.Sum64()%10000) / 100 // 0.00..99.99
	if metric == "CPUUtilization" {
		return x, x / 2, min(x*1.5, 100)
	}
	return x * 1000, x * 500, x * 1500
}

// SetPageSize sets how many datapoints one GetMetricData answer holds at
// most (default 100,800, CloudWatch's); a request's MaxDatapoints lowers it.
func (c *CloudWatchServer) SetPageSize(n int) { c.mu.Lock(); c.pageSize = max(n, 1); c.mu.Unlock() }

// SetLatency delays every later response by d (until the request's context
// ends).
func (c *CloudWatchServer) SetLatency(d time.Duration) { c.mu.Lock(); c.latency = d; c.mu.Unlock() }

// Fail makes the next n requests of operation op ("" for any) fail with
// the given query error code (e.g. "InvalidParameterValue", "Throttling",
// "InternalServiceError", "AccessDenied") and HTTP status.
func (c *CloudWatchServer) Fail(op, code string, status, n int) {
	c.mu.Lock()
	c.faults[op] = &fault{code: code, status: status, n: n}
	c.mu.Unlock()
}

// Throttle makes the next n requests fail with Throttling (400), as
// CloudWatch throttles.
func (c *CloudWatchServer) Throttle(n int) { c.Fail("", "Throttling", http.StatusBadRequest, n) }

// SetResultStatus makes the results of the next n GetMetricData answers
// carry status code ("Forbidden", "InternalError") and no datapoints.
func (c *CloudWatchServer) SetResultStatus(code string, n int) {
	c.mu.Lock()
	c.statuses = append(c.statuses, resultStatus{code, n})
	c.mu.Unlock()
}

// Calls reports how many requests of operation op the fake has received.
func (c *CloudWatchServer) Calls(op string) int { c.mu.Lock(); defer c.mu.Unlock(); return c.calls[op] }

// Requests returns the GetMetricData requests the fake has decoded, in
// order.
func (c *CloudWatchServer) Requests() []GetMetricDataRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.requests)
}

// GetMetricDataRequest is a decoded GetMetricData request.
type GetMetricDataRequest struct {
	// Protocol is the protocol that carried it (ProtocolCBOR, ProtocolQuery).
	Protocol           string
	StartTime, EndTime time.Time
	Queries            []MetricDataQuery
	NextToken          string
	ScanBy             string
	MaxDatapoints      int
}

// MetricDataQuery is one decoded query of a GetMetricData request.
type MetricDataQuery struct {
	ID, Label, Expression string
	// ReturnData is nil when the query does not say.
	ReturnData *bool
	// HasStat says the query has a MetricStat; the fields below are its.
	HasStat               bool
	Namespace, MetricName string
	Dimensions            map[string]string
	Period                int
	Stat, Unit            string
}

// cwError is a CloudWatch error: the query code, the shape name for
// "__type", the message and the HTTP status.
type cwError struct {
	code, typ, msg string
	status         int
}

// cwTypes maps query error codes onto the error shapes CloudWatch names in
// "__type".
var cwTypes = map[string]string{
	"InvalidParameterValue":       "com.amazonaws.cloudwatch#InvalidParameterValueException",
	"InvalidParameterCombination": "com.amazonaws.cloudwatch#InvalidParameterCombinationException",
	"MissingParameter":            "com.amazonaws.cloudwatch#MissingRequiredParameterException",
	"InvalidNextToken":            "com.amazonaws.cloudwatch#InvalidNextToken",
	"InternalServiceError":        "com.amazonaws.cloudwatch#InternalServiceFault",
	"Throttling":                  "com.amazon.coral.availability#ThrottlingException",
	"InvalidClientTokenId":        "com.amazon.coral.service#UnrecognizedClientException",
	"AccessDenied":                "com.amazon.coral.service#AccessDeniedException",
}

func cwErrf(status int, code, format string, args ...any) *cwError {
	typ := cwTypes[code]
	if typ == "" {
		typ = "com.amazon.coral.service#" + code
	}
	return &cwError{code: code, typ: typ, msg: fmt.Sprintf(format, args...), status: status}
}

func (c *CloudWatchServer) serve(w http.ResponseWriter, r *http.Request) {
	// The body is read first: only then does the server notice a client
	// that goes away, and end r.Context().
	body, err := io.ReadAll(io.LimitReader(r.Body, maxCloudWatchBody+1))
	if err != nil {
		return
	}
	proto, op := requestProtocol(r, body)
	reply := cwReplier(proto)
	if op == "" {
		reply.fail(w, cwErrf(http.StatusNotFound, "UnknownOperationException", "no operation at %s %s", r.Method, r.URL.Path))
		return
	}
	c.mu.Lock()
	c.calls[op]++
	latency := c.latency
	accepted := c.protocols[proto]
	c.mu.Unlock()
	if latency > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(latency):
		}
	}
	if !accepted {
		reply.fail(w, cwErrf(http.StatusNotFound, "UnknownOperationException", "this endpoint does not speak the %s protocol", proto))
		return
	}
	if e := checkCWRequest(r, proto); e != nil {
		reply.fail(w, e)
		return
	}
	if len(body) > maxCloudWatchBody {
		reply.fail(w, cwErrf(http.StatusRequestEntityTooLarge, "SerializationException", "request body over %d bytes", maxCloudWatchBody))
		return
	}
	c.mu.Lock()
	for _, key := range []string{op, ""} {
		if f := c.faults[key]; f != nil && f.n > 0 {
			f.n--
			c.mu.Unlock()
			reply.fail(w, cwErrf(f.status, f.code, "injected %s", f.code))
			return
		}
	}
	c.mu.Unlock()
	if op != "GetMetricData" {
		reply.fail(w, cwErrf(http.StatusBadRequest, "UnknownOperationException", "the fake does not serve %s", op))
		return
	}
	var req *GetMetricDataRequest
	var e *cwError
	if proto == ProtocolQuery {
		req, e = parseQueryGetMetricData(body)
	} else {
		req, e = parseGetMetricData(body)
	}
	if e != nil {
		reply.fail(w, e)
		return
	}
	req.Protocol = proto
	c.mu.Lock()
	c.requests = append(c.requests, *req)
	status := ""
	if len(c.statuses) > 0 {
		status = c.statuses[0].code
		if c.statuses[0].n--; c.statuses[0].n <= 0 {
			c.statuses = c.statuses[1:]
		}
	}
	pageSize := c.pageSize
	c.mu.Unlock()
	ans, e := c.getMetricData(req, status, pageSize)
	if e != nil {
		reply.fail(w, e)
		return
	}
	reply.answer(w, ans)
}

// The protocols the fake speaks: the SDK's default, Smithy RPC v2 CBOR,
// and awsQuery, which CloudWatch spoke alone before.
const (
	ProtocolCBOR  = "rpcv2cbor"
	ProtocolQuery = "query"
)

// SetProtocols makes the fake answer only requests in the given protocols
// (ProtocolCBOR, ProtocolQuery; both by default), as an emulator that
// predates RPC v2 CBOR answers awsQuery alone. A request in another
// protocol gets a 404 UnknownOperationException.
func (c *CloudWatchServer) SetProtocols(protocols ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.protocols = map[string]bool{}
	for _, p := range protocols {
		c.protocols[p] = true
	}
}

// requestProtocol tells the protocol of a request by its path and method,
// and names its operation ("" when it names none).
func requestProtocol(r *http.Request, body []byte) (proto, op string) {
	if r.URL.Path == "/" && r.Method == http.MethodPost &&
		strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		return ProtocolQuery, queryAction(body)
	}
	op, ok := strings.CutPrefix(r.URL.Path, "/service/"+CloudWatchService+"/operation/")
	if !ok || r.Method != http.MethodPost || strings.Contains(op, "/") {
		return ProtocolCBOR, ""
	}
	return ProtocolCBOR, op
}

// replier writes answers and errors in one protocol's shape.
type replier interface {
	answer(w http.ResponseWriter, a *metricDataAnswer)
	fail(w http.ResponseWriter, e *cwError)
}

func cwReplier(proto string) replier {
	if proto == ProtocolQuery {
		return queryReplier{}
	}
	return cborReplier{}
}

type cborReplier struct{}

func (cborReplier) answer(w http.ResponseWriter, a *metricDataAnswer) {
	writeCBOR(w, http.StatusOK, a.cbor())
}

func (cborReplier) fail(w http.ResponseWriter, e *cwError) { writeCWError(w, e) }

// checkCWRequest checks the protocol headers and the signature's scope.
func checkCWRequest(r *http.Request, proto string) *cwError {
	if proto == ProtocolCBOR {
		if r.Header.Get("Smithy-Protocol") != "rpc-v2-cbor" {
			return cwErrf(http.StatusBadRequest, "SerializationException", "missing or wrong Smithy-Protocol header %q", r.Header.Get("Smithy-Protocol"))
		}
		if ct := r.Header.Get("Content-Type"); r.ContentLength != 0 && ct != "application/cbor" {
			return cwErrf(http.StatusUnsupportedMediaType, "SerializationException", "Content-Type %q, want application/cbor", ct)
		}
	}
	auth := r.Header.Get("Authorization")
	switch {
	case auth == "":
		return cwErrf(http.StatusForbidden, "MissingAuthenticationToken", "Request is missing Authentication Token")
	case strings.Contains(auth, "Credential="+BadAccessKey+"/"):
		return cwErrf(http.StatusForbidden, "InvalidClientTokenId", "The security token included in the request is invalid.")
	case !strings.Contains(auth, "/monitoring/aws4_request"):
		return cwErrf(http.StatusForbidden, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'monitoring'.")
	}
	return nil
}

func writeCBOR(w http.ResponseWriter, status int, v cbor.Value) {
	w.Header().Set("Smithy-Protocol", "rpc-v2-cbor")
	w.Header().Set("Content-Type", "application/cbor")
	w.Header().Set("X-Amzn-Requestid", "cw-req-0001")
	w.WriteHeader(status)
	w.Write(cbor.Encode(v))
}

func writeCWError(w http.ResponseWriter, e *cwError) {
	fault := "Sender"
	if e.status >= 500 {
		fault = "Receiver"
	}
	w.Header().Set("X-Amzn-Query-Error", e.code+";"+fault)
	writeCBOR(w, e.status, cbor.Map{"__type": cbor.String(e.typ), "message": cbor.String(e.msg), "Message": cbor.String(e.msg)})
}

// queryIDPattern is what CloudWatch accepts as a query id.
var queryIDPattern = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]{0,254}$`)

// maxQueries is CloudWatch's limit of queries in one request.
const maxQueries = 500

// parseGetMetricData decodes and validates a GetMetricData request body.
func parseGetMetricData(body []byte) (*GetMetricDataRequest, *cwError) {
	v, err := cbor.Decode(body)
	if err != nil {
		return nil, cwErrf(http.StatusBadRequest, "SerializationException", "cannot decode the CBOR body: %v", err)
	}
	m, ok := v.(cbor.Map)
	if !ok {
		return nil, cwErrf(http.StatusBadRequest, "SerializationException", "the body is a %T, not a map", v)
	}
	return checkGetMetricData(m)
}

// checkGetMetricData validates a decoded GetMetricData input, whichever
// protocol carried it.
func checkGetMetricData(m cbor.Map) (*GetMetricDataRequest, *cwError) {
	bad := func(format string, args ...any) (*GetMetricDataRequest, *cwError) {
		return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue", format, args...)
	}
	var err error
	req := &GetMetricDataRequest{}
	for _, name := range []string{"StartTime", "EndTime", "MetricDataQueries"} {
		if _, ok := m[name]; !ok {
			return nil, cwErrf(http.StatusBadRequest, "MissingParameter", "The parameter %s is required.", name)
		}
	}
	if req.StartTime, err = cbor.AsTime(m["StartTime"]); err != nil {
		return bad("StartTime: %v", err)
	}
	if req.EndTime, err = cbor.AsTime(m["EndTime"]); err != nil {
		return bad("EndTime: %v", err)
	}
	if !req.StartTime.Before(req.EndTime) {
		return bad("The parameter StartTime must be less than the parameter EndTime.")
	}
	var e *cwError
	if req.NextToken, e = optString(m, "NextToken"); e != nil {
		return nil, e
	}
	if req.ScanBy, e = optString(m, "ScanBy"); e != nil {
		return nil, e
	}
	switch req.ScanBy {
	case "", "TimestampAscending", "TimestampDescending":
	default:
		return bad("The value %s for parameter ScanBy is not valid.", req.ScanBy)
	}
	if x, ok := m["MaxDatapoints"]; ok {
		n, err := cbor.AsInt32(x)
		if err != nil || n < 1 {
			return bad("The parameter MaxDatapoints must be a positive integer.")
		}
		req.MaxDatapoints = int(n)
	}
	qs, ok := m["MetricDataQueries"].(cbor.List)
	if !ok {
		return bad("MetricDataQueries must be a list")
	}
	if len(qs) == 0 || len(qs) > maxQueries {
		return bad("The collection MetricDataQueries must hold 1 to %d queries, not %d.", maxQueries, len(qs))
	}
	seen := map[string]bool{}
	for i, qv := range qs {
		q, e := parseQuery(qv)
		if e != nil {
			e.msg = fmt.Sprintf("MetricDataQueries.member.%d: %s", i+1, e.msg)
			return nil, e
		}
		if seen[q.ID] {
			return bad("The value %s for parameter MetricDataQueries.member.%d.Id is not unique.", q.ID, i+1)
		}
		seen[q.ID] = true
		req.Queries = append(req.Queries, *q)
	}
	return req, nil
}

// parseQuery decodes and validates one MetricDataQuery.
func parseQuery(v cbor.Value) (*MetricDataQuery, *cwError) {
	bad := func(format string, args ...any) (*MetricDataQuery, *cwError) {
		return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue", format, args...)
	}
	m, ok := v.(cbor.Map)
	if !ok {
		return bad("a query must be a structure")
	}
	q := &MetricDataQuery{}
	var e *cwError
	if q.ID, e = optString(m, "Id"); e != nil {
		return nil, e
	}
	if q.ID == "" {
		return nil, cwErrf(http.StatusBadRequest, "MissingParameter", "The parameter Id is required.")
	}
	if !queryIDPattern.MatchString(q.ID) {
		return bad("Id %q must start with a lower-case letter and hold only letters, digits and underscores.", q.ID)
	}
	if q.Label, e = optString(m, "Label"); e != nil {
		return nil, e
	}
	if q.Expression, e = optString(m, "Expression"); e != nil {
		return nil, e
	}
	if x, ok := m["ReturnData"]; ok {
		b, ok := x.(cbor.Bool)
		if !ok {
			return bad("ReturnData must be a boolean")
		}
		q.ReturnData = new(bool(b))
	}
	sv, hasStat := m["MetricStat"]
	switch {
	case hasStat == (q.Expression != ""):
		return nil, cwErrf(http.StatusBadRequest, "InvalidParameterCombination", "Exactly one of MetricStat and Expression must be given.")
	case !hasStat:
		return bad("metric math expressions are not served by the fake")
	}
	sm, ok := sv.(cbor.Map)
	if !ok {
		return bad("MetricStat must be a structure")
	}
	q.HasStat = true
	if q.Stat, e = optString(sm, "Stat"); e != nil {
		return nil, e
	}
	if q.Unit, e = optString(sm, "Unit"); e != nil {
		return nil, e
	}
	p, ok := sm["Period"]
	if !ok {
		return nil, cwErrf(http.StatusBadRequest, "MissingParameter", "The parameter MetricStat.Period is required.")
	}
	n, err := cbor.AsInt32(p)
	if err != nil {
		return bad("Period: %v", err)
	}
	q.Period = int(n)
	switch {
	case q.Period <= 0:
		return bad("The parameter Period must be greater than 0.")
	case q.Period%60 != 0 && !slices.Contains([]int{1, 5, 10, 20, 30}, q.Period):
		return bad("The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60.")
	}
	if q.Stat == "" {
		return nil, cwErrf(http.StatusBadRequest, "MissingParameter", "The parameter MetricStat.Stat is required.")
	}
	mv, ok := sm["Metric"].(cbor.Map)
	if !ok {
		return nil, cwErrf(http.StatusBadRequest, "MissingParameter", "The parameter MetricStat.Metric is required.")
	}
	if q.Namespace, e = optString(mv, "Namespace"); e != nil {
		return nil, e
	}
	if q.MetricName, e = optString(mv, "MetricName"); e != nil {
		return nil, e
	}
	if q.MetricName == "" {
		return nil, cwErrf(http.StatusBadRequest, "MissingParameter", "The parameter MetricStat.Metric.MetricName is required.")
	}
	if dv, ok := mv["Dimensions"]; ok {
		ds, ok := dv.(cbor.List)
		if !ok || len(ds) > 30 {
			return bad("Dimensions must be a list of at most 30 dimensions")
		}
		q.Dimensions = map[string]string{}
		for _, d := range ds {
			dm, ok := d.(cbor.Map)
			if !ok {
				return bad("a dimension must be a structure")
			}
			name, e := optString(dm, "Name")
			if e != nil {
				return nil, e
			}
			val, e := optString(dm, "Value")
			if e != nil {
				return nil, e
			}
			if name == "" {
				return nil, cwErrf(http.StatusBadRequest, "MissingParameter", "The parameter Dimensions.member.Name is required.")
			}
			q.Dimensions[name] = val
		}
	}
	return q, nil
}

// optString reads an optional string member.
func optString(m cbor.Map, name string) (string, *cwError) {
	v, ok := m[name]
	if !ok {
		return "", nil
	}
	s, ok := v.(cbor.String)
	if !ok {
		return "", cwErrf(http.StatusBadRequest, "SerializationException", "%s must be a string, not %T", name, v)
	}
	return string(s), nil
}

// point is one datapoint of a query's answer.
type point struct {
	t time.Time
	v float64
}

// metricDataAnswer is a GetMetricData answer before a protocol shapes it.
type metricDataAnswer struct {
	results []metricDataResult
	next    string
}

// metricDataResult is one query's result; status "" is Complete.
type metricDataResult struct {
	id, label, status string
	// injected is the message of an injected status.
	injected bool
	points   []point
}

// cbor shapes the answer as RPC v2 CBOR does.
func (a *metricDataAnswer) cbor() cbor.Value {
	results := cbor.List{}
	for _, r := range a.results {
		res := cbor.Map{"Id": cbor.String(r.id), "Label": cbor.String(r.label), "StatusCode": cbor.String(r.status)}
		ts, vs := cbor.List{}, cbor.List{}
		for _, p := range r.points {
			ts = append(ts, &cbor.Tag{ID: 1, Value: cbor.Float64(float64(p.t.Unix()))})
			vs = append(vs, cbor.Float64(p.v))
		}
		if r.injected {
			res["Messages"] = cbor.List{cbor.Map{"Code": cbor.String(r.status), "Value": cbor.String("injected " + r.status)}}
		}
		res["Timestamps"], res["Values"] = ts, vs
		results = append(results, res)
	}
	out := cbor.Map{"MetricDataResults": results, "Messages": cbor.List{}}
	if a.next != "" {
		out["NextToken"] = cbor.String(a.next)
	}
	return out
}

// getMetricData answers a request: every query's datapoints, cut into the
// page the NextToken ("cw-<offset>", counted in datapoints) asks for.
func (c *CloudWatchServer) getMetricData(req *GetMetricDataRequest, status string, pageSize int) (*metricDataAnswer, *cwError) {
	if req.MaxDatapoints > 0 {
		pageSize = min(pageSize, req.MaxDatapoints)
	}
	series := make([][]point, len(req.Queries))
	total := 0
	for i, q := range req.Queries {
		pts, e := c.datapoints(q, req.StartTime, req.EndTime)
		if e != nil {
			return nil, e
		}
		if req.ScanBy == "" || req.ScanBy == "TimestampDescending" {
			slices.Reverse(pts)
		}
		series[i] = pts
		total += len(pts)
	}
	from := 0
	if req.NextToken != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(req.NextToken, "cw-"))
		if !strings.HasPrefix(req.NextToken, "cw-") || err != nil || n <= 0 || n >= total {
			return nil, cwErrf(http.StatusBadRequest, "InvalidNextToken", "The token %q is invalid.", req.NextToken)
		}
		from = n
	}
	to := min(from+pageSize, total)
	ans := &metricDataAnswer{}
	offset := 0
	for i, q := range req.Queries {
		pts := series[i]
		lo, hi := min(max(from-offset, 0), len(pts)), min(max(to-offset, 0), len(pts))
		offset += len(pts)
		if q.ReturnData != nil && !*q.ReturnData {
			continue
		}
		label := q.Label
		if label == "" {
			label = q.MetricName
		}
		res := metricDataResult{id: q.ID, label: label}
		switch {
		case status != "":
			res.status, res.injected = status, true
		default:
			res.points = pts[lo:hi]
			res.status = "Complete"
			if hi < len(pts) {
				res.status = "PartialData"
			}
		}
		ans.results = append(ans.results, res)
	}
	if to < total && status == "" {
		ans.next = "cw-" + strconv.Itoa(to)
	}
	return ans, nil
}

// datapoints are a query's datapoints in [start, end), oldest first.
func (c *CloudWatchServer) datapoints(q MetricDataQuery, start, end time.Time) ([]point, *cwError) {
	period := time.Duration(q.Period) * time.Second
	if end.Sub(start)/period > 100800 {
		return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue",
			"The time range at period %d holds more than 100,800 datapoints.", q.Period)
	}
	pick, e := statistic(q.Stat)
	if e != nil {
		return nil, e
	}
	if q.Namespace != "AWS/EC2" || len(q.Dimensions) != 1 {
		return nil, nil
	}
	id, ok := q.Dimensions["InstanceId"]
	if !ok {
		return nil, nil
	}
	i := slices.IndexFunc(EC2Metrics, func(m EC2Metric) bool { return m.Name == q.MetricName })
	if i < 0 || (q.Unit != "" && q.Unit != EC2Metrics[i].Unit) {
		return nil, nil
	}
	c.ec2.mu.Lock()
	in := c.ec2.instances[id]
	var from, until time.Time
	if in != nil {
		from, until = in.LaunchTime, in.TerminatedAt
	}
	c.ec2.mu.Unlock()
	if in == nil {
		return nil, nil
	}
	var pts []point
	first := start.Truncate(period)
	if first.Before(start) {
		first = first.Add(period)
	}
	for t := first; t.Before(end); t = t.Add(period) {
		if !t.Add(period).After(from) || (!until.IsZero() && !t.Before(until)) {
			continue
		}
		avg, lo, hi := MetricValue(id, q.MetricName, t, period)
		pts = append(pts, point{t, pick(avg, lo, hi, period)})
	}
	return pts, nil
}

// statistic picks a statistic out of a datapoint; each period holds one
// sample a minute (SampleCount), whose Sum is the average times the count.
func statistic(stat string) (func(avg, lo, hi float64, period time.Duration) float64, *cwError) {
	switch stat {
	case "Average":
		return func(avg, _, _ float64, _ time.Duration) float64 { return avg }, nil
	case "Minimum":
		return func(_, lo, _ float64, _ time.Duration) float64 { return lo }, nil
	case "Maximum":
		return func(_, _, hi float64, _ time.Duration) float64 { return hi }, nil
	case "SampleCount":
		return func(_, _, _ float64, p time.Duration) float64 { return math.Max(1, math.Floor(p.Minutes())) }, nil
	case "Sum":
		return func(avg, _, _ float64, p time.Duration) float64 { return avg * math.Max(1, math.Floor(p.Minutes())) }, nil
	}
	return nil, cwErrf(http.StatusBadRequest, "InvalidParameterValue", "The statistic %q is not served by the fake.", stat)
}
