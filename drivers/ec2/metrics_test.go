package ec2_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// wantMetric is the metric the fake's data gives for an instance over the
// window of a recorded request.
func wantMetric(t *testing.T, s *ec2test.Server, id, entity string, req ec2test.GetMetricDataRequest) *deltacloud.Metric {
	t.Helper()
	var launch, end time.Time
	for _, in := range s.Instances() {
		if in.ID == id {
			launch, end = in.LaunchTime, in.TerminatedAt
		}
	}
	if launch.IsZero() {
		t.Fatalf("the fake has no instance %s", id)
	}
	m := &deltacloud.Metric{ID: id, Entity: entity}
	for _, p := range ec2.MetricProperties() {
		prop := deltacloud.MetricProperty{Name: p.Name}
		for ts := req.StartTime; ts.Before(req.EndTime); ts = ts.Add(ec2.MetricPeriod) {
			if !ts.Add(ec2.MetricPeriod).After(launch) || (!end.IsZero() && !ts.Before(end)) {
				continue
			}
			avg, lo, hi := ec2test.MetricValue(id, p.Name, ts, ec2.MetricPeriod)
			prop.Samples = append(prop.Samples, deltacloud.MetricSample{Timestamp: ts.UTC(),
				Average: avg, Minimum: lo, Maximum: hi, Unit: p.Unit})
		}
		m.Properties = append(m.Properties, prop)
	}
	return m
}

func TestMetrics(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	p := open(t, s)
	ctx := t.Context()
	// The driver does not advertise user_name, so the Name tag
	// is set through the SDK.
	var ec2c *awsec2.Client
	if !p.As(&ec2c) {
		t.Fatal("As(**ec2.Client) = false")
	}
	run, err := ec2c.RunInstances(ctx, &awsec2.RunInstancesInput{ImageId: aws.String("ami-00000001"),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1), TagSpecifications: []ec2types.TagSpecification{{
			ResourceType: ec2types.ResourceTypeInstance,
			Tags:         []ec2types.Tag{{Key: aws.String("Name"), Value: aws.String("web")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	named := &deltacloud.Instance{ID: aws.ToString(run.Instances[0].InstanceId)}
	plain := running(t, p, deltacloud.InstanceSpec{})
	s.Backdate(plain.ID, 3*time.Hour) // a whole window of samples

	ms, err := p.Metrics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var props []deltacloud.MetricProperty
	for _, mp := range ec2.MetricProperties() {
		props = append(props, deltacloud.MetricProperty{Name: mp.Name})
	}
	want := []deltacloud.Metric{
		{ID: named.ID, Entity: "web", Properties: props},
		{ID: plain.ID, Entity: plain.ID, Properties: props},
	}
	if diff := cmp.Diff(want, ms); diff != "" {
		t.Errorf("Metrics (-want +got):\n%s", diff)
	}
	if n := cw.Calls("GetMetricData"); n != 0 {
		t.Errorf("Metrics called GetMetricData %d times; listings need EC2 only", n)
	}

	for _, c := range []struct{ id, entity string }{{named.ID, "web"}, {plain.ID, plain.ID}} {
		before := time.Now()
		m, err := p.Metric(ctx, c.id)
		if err != nil {
			t.Fatalf("Metric(%s): %v", c.id, err)
		}
		reqs := cw.Requests()
		req := reqs[len(reqs)-1]
		if diff := cmp.Diff(wantMetric(t, s, c.id, c.entity, req), m); diff != "" {
			t.Errorf("Metric(%s) (-want +got):\n%s", c.id, diff)
		}
		for _, prop := range m.Properties {
			// The new instance has the sample of the period it started in
			// (and of the next, should the test cross a period's end).
			if n := len(prop.Samples); (c.id == plain.ID && n != int(ec2.MetricWindow/ec2.MetricPeriod)) || n == 0 {
				t.Errorf("Metric(%s) has %d samples of %s", c.id, n, prop.Name)
			}
		}
		// The window: the last hour, ending at the end of the current period.
		if d := req.EndTime.Sub(req.StartTime); d != ec2.MetricWindow {
			t.Errorf("window %v, want %v", d, ec2.MetricWindow)
		}
		if req.EndTime.Truncate(ec2.MetricPeriod) != req.EndTime || !req.EndTime.After(before) ||
			req.EndTime.After(time.Now().Add(ec2.MetricPeriod)) {
			t.Errorf("window ends at %v, want the end of the period holding %v", req.EndTime, before)
		}
		if req.ScanBy != "TimestampAscending" || len(req.Queries) != 27 {
			t.Errorf("ScanBy %q with %d queries, want TimestampAscending with 27", req.ScanBy, len(req.Queries))
		}
		units := map[string]string{}
		for _, mp := range ec2.MetricProperties() {
			units[mp.Name] = mp.Unit
		}
		for _, q := range req.Queries {
			if q.Namespace != "AWS/EC2" || q.Period != 300 || q.Unit != units[q.MetricName] ||
				!cmp.Equal(q.Dimensions, map[string]string{"InstanceId": c.id}) {
				t.Errorf("query %+v, want AWS/EC2, period 300, unit %q, InstanceId %s", q, units[q.MetricName], c.id)
			}
		}
	}
	if n := cw.Calls("GetMetricData"); n != 2 {
		t.Errorf("two Metric calls made %d GetMetricData requests, want 2", n)
	}

	// An unknown instance is NotFound, without asking CloudWatch.
	if _, err := p.Metric(ctx, "i-0000000000000dead"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Metric of an unknown instance = %v, want ErrNotFound", err)
	}
	if n := cw.Calls("GetMetricData"); n != 2 {
		t.Errorf("Metric of an unknown instance asked CloudWatch (%d requests)", n)
	}

	var client *cloudwatch.Client
	if !p.As(&client) || client == nil {
		t.Error("As(**cloudwatch.Client) = false")
	}
}

// TestMetricPages reads a metric a few datapoints per answer: the result is
// the same, in as many requests as pages, and too many pages are an error.
func TestMetricPages(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	p := open(t, s)
	ctx := t.Context()
	in := running(t, p, deltacloud.InstanceSpec{})
	s.Backdate(in.ID, 2*time.Hour)
	whole, err := p.Metric(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, prop := range whole.Properties {
		total += 3 * len(prop.Samples)
	}
	if total != 9*3*12 {
		t.Fatalf("%d datapoints, want 12 of each statistic of each property", total)
	}
	// Page sizes that split a query's series across answers.
	for _, c := range []struct {
		pageSize, calls int
		code            deltacloud.Code
	}{
		{pageSize: total, calls: 1},
		{pageSize: total/2 + 1, calls: 2},
		{pageSize: 40, calls: 9},
		{pageSize: 29, calls: 10, code: deltacloud.Backend}, // 12 pages
	} {
		cw.SetPageSize(c.pageSize)
		before := cw.Calls("GetMetricData")
		m, err := p.Metric(ctx, in.ID)
		if calls := cw.Calls("GetMetricData") - before; calls != c.calls {
			t.Errorf("page size %d of %d datapoints: %d requests, want %d", c.pageSize, total, calls, c.calls)
		}
		if c.code != deltacloud.CodeUnknown {
			if !errors.Is(err, c.code) {
				t.Errorf("page size %d: err = %v, want %s", c.pageSize, err, c.code)
			}
			continue
		}
		if err != nil {
			t.Fatalf("page size %d: %v", c.pageSize, err)
		}
		if diff := cmp.Diff(whole, m); diff != "" {
			t.Errorf("page size %d (-one page +pages):\n%s", c.pageSize, diff)
		}
	}
}

func TestMetricErrors(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	p := open(t, s, "max_attempts", "1")
	in := running(t, p, deltacloud.InstanceSpec{})
	for _, c := range []struct {
		code   string
		status int
		want   deltacloud.Code
	}{
		{"InvalidParameterValue", 400, deltacloud.InvalidArgument},
		{"InvalidParameterCombination", 400, deltacloud.InvalidArgument},
		{"MissingParameter", 400, deltacloud.InvalidArgument},
		{"Throttling", 400, deltacloud.RateLimited},
		{"AccessDenied", 403, deltacloud.Forbidden},
		{"InvalidClientTokenId", 403, deltacloud.AuthFailure},
		{"SignatureDoesNotMatch", 403, deltacloud.AuthFailure},
		{"InternalServiceError", 500, deltacloud.Backend},
		{"ServiceUnavailable", 503, deltacloud.Unavailable},
	} {
		t.Run(c.code, func(t *testing.T) {
			cw.Fail("GetMetricData", c.code, c.status, 1)
			_, err := p.Metric(t.Context(), in.ID)
			var de *deltacloud.Error
			if !errors.As(err, &de) || de.Code != c.want {
				t.Fatalf("Metric = %v, want %s", err, c.want)
			}
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != c.code {
				t.Errorf("the SDK's error is not reachable with its code %q: %v", c.code, err)
			}
			if c.want == deltacloud.RateLimited && de.RetryAfter <= 0 {
				t.Errorf("RateLimited without RetryAfter: %+v", de)
			}
		})
	}
	for _, c := range []struct {
		status string
		want   deltacloud.Code
	}{
		{"Forbidden", deltacloud.Forbidden},
		{"InternalError", deltacloud.Backend},
	} {
		t.Run("status "+c.status, func(t *testing.T) {
			cw.SetResultStatus(c.status, 1)
			_, err := p.Metric(t.Context(), in.ID)
			if !errors.Is(err, c.want) {
				t.Fatalf("Metric with results %s = %v, want %s", c.status, err, c.want)
			}
		})
	}
}

// TestMetricRetries: the SDK's retryer rides out CloudWatch throttling.
func TestMetricRetries(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	p := open(t, s, "max_attempts", "3")
	in := running(t, p, deltacloud.InstanceSpec{})
	cw.Throttle(1)
	if _, err := p.Metric(t.Context(), in.ID); err != nil {
		t.Fatalf("Metric after one throttled request: %v", err)
	}
	if n := cw.Calls("GetMetricData"); n != 2 {
		t.Errorf("%d GetMetricData requests, want 2 (one throttled, one retried)", n)
	}
}

// TestMetricContext: a slow CloudWatch is bounded by the caller's context.
func TestMetricContext(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	p := open(t, s)
	in := running(t, p, deltacloud.InstanceSpec{})
	cw.SetLatency(time.Hour)
	t.Cleanup(func() { cw.SetLatency(0) })
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Metric(ctx, in.ID)
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, deltacloud.ErrTimeout) {
		t.Errorf("Metric on a slow CloudWatch = %v, want DeadlineExceeded and ErrTimeout", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("Metric returned %v after its deadline", d)
	}
}

// TestMetricTerminated: a terminated instance keeps its metric, whose
// samples end with its life.
func TestMetricTerminated(t *testing.T) {
	s := ec2test.NewServer(t)
	cw := s.CloudWatch()
	p := open(t, s)
	ctx := t.Context()
	in := running(t, p, deltacloud.InstanceSpec{})
	var ec2c *awsec2.Client
	if !p.As(&ec2c) {
		t.Fatal("As(**ec2.Client) = false")
	}
	if _, err := ec2c.TerminateInstances(ctx, &awsec2.TerminateInstancesInput{InstanceIds: []string{in.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateFinish); err != nil {
		t.Fatal(err)
	}
	m, err := p.Metric(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	reqs := cw.Requests()
	if diff := cmp.Diff(wantMetric(t, s, in.ID, in.ID, reqs[len(reqs)-1]), m); diff != "" {
		t.Errorf("Metric of a terminated instance (-want +got):\n%s", diff)
	}
}

func TestMetricEndpointOption(t *testing.T) {
	s := ec2test.NewServer(t)
	// Without the option the driver would call the real CloudWatch; a
	// wrong endpoint shows the option is used.
	p := open(t, s, "cloudwatch_endpoint", s.URL, "max_attempts", "1")
	in := running(t, p, deltacloud.InstanceSpec{})
	_, err := p.Metric(t.Context(), in.ID)
	var re interface{ HTTPStatusCode() int }
	if err == nil || !errors.As(err, &re) || re.HTTPStatusCode() != http.StatusBadRequest {
		t.Errorf("Metric against the EC2 endpoint = %v, want its 400", err)
	}
}
