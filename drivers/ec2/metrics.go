package ec2

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/deltacloud-go/deltacloud"
)

// The metrics collection is served from Amazon CloudWatch's AWS/EC2
// namespace, as the original Deltacloud ec2 driver did. A metric's id is
// the instance id; its entity is the instance's name, or its id when it has
// none (the original showed the dimension name, "InstanceId", there).
//
// Property names are CloudWatch's own metric names, as the original ec2
// driver showed them (it did not rename them to the mock's
// cpuUtilization, diskReadSector, … names): see MetricProperties.
//
// Metric reads the last MetricWindow of samples at MetricPeriod: the
// window ends at the end of the current period, so the period in progress
// is included with what has been aggregated so far. All properties and
// statistics are fetched with one GetMetricData request (27 queries; more
// requests only if CloudWatch paginates, at most maxMetricPages).

// MetricNamespace is the CloudWatch namespace the metrics are read from,
// with the dimension that names the instance.
const (
	MetricNamespace = "AWS/EC2"
	MetricDimension = "InstanceId"
)

// MetricWindow is how far back Metric reads samples, and MetricPeriod the
// period each sample aggregates: 12 samples per property at most, at the
// 5-minute resolution of EC2's basic monitoring (detailed monitoring has
// 1-minute data, which CloudWatch aggregates into these periods).
const (
	MetricWindow = time.Hour
	MetricPeriod = 5 * time.Minute
)

// CloudWatchMetric is one CloudWatch metric of the AWS/EC2 namespace
// served as a property, with the unit its samples are requested and shown
// in.
type CloudWatchMetric struct {
	Name, Unit string
}

// MetricProperties returns the properties of every metric, sorted by name.
// The units are CloudWatch's for these metrics; the original driver
// guessed them from the name (its guess made the packet counts, which
// CloudWatch added later, Bytes).
func MetricProperties() []CloudWatchMetric { return slices.Clone(cloudWatchMetrics) }

var cloudWatchMetrics = []CloudWatchMetric{
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

// metricStats are the statistics of each sample, in query order.
var metricStats = []string{"Average", "Minimum", "Maximum"}

// maxMetricPages bounds the GetMetricData requests of one Metric call; one
// page holds up to 100,800 datapoints, so a single request is the rule.
const maxMetricPages = 10

// Metrics lists one metric per instance the instances collection lists,
// with the property names and no samples. It calls EC2 only.
func (c *conn) Metrics(ctx context.Context) ([]deltacloud.Metric, error) {
	ins, err := c.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		return nil, err
	}
	ms := make([]deltacloud.Metric, len(ins))
	for i, in := range ins {
		ms[i] = metricOf(in)
	}
	return ms, nil
}

// Metric returns the samples of one instance's metric; an unknown
// instance is ErrNotFound. An instance CloudWatch has no data for (new,
// stopped for the whole window) has properties without samples.
func (c *conn) Metric(ctx context.Context, id string) (*deltacloud.Metric, error) {
	in, err := c.Instance(ctx, id)
	if err != nil {
		return nil, err
	}
	m := metricOf(*in)
	end := time.Now().UTC().Truncate(MetricPeriod).Add(MetricPeriod)
	input := metricDataInput(in.ID, end.Add(-MetricWindow), end)
	series := map[string]*cwtypes.MetricDataResult{}
	pg := cloudwatch.NewGetMetricDataPaginator(c.cw, input, func(o *cloudwatch.GetMetricDataPaginatorOptions) {
		o.StopOnDuplicateToken = true
	})
	for pages := 0; pg.HasMorePages(); pages++ {
		if pages == maxMetricPages {
			return nil, deltacloud.Errorf(deltacloud.Backend,
				"ec2: CloudWatch answered the metric of %s in more than %d pages", id, maxMetricPages)
		}
		out, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, r := range out.MetricDataResults {
			if err := resultError(id, r); err != nil {
				return nil, err
			}
			qid := aws.ToString(r.Id)
			if s := series[qid]; s != nil {
				s.Timestamps = append(s.Timestamps, r.Timestamps...)
				s.Values = append(s.Values, r.Values...)
			} else {
				series[qid] = &r
			}
		}
	}
	for i := range m.Properties {
		m.Properties[i].Samples = samplesOf(cloudWatchMetrics[i], series)
	}
	return &m, nil
}

// metricOf is an instance's metric without samples.
func metricOf(in deltacloud.Instance) deltacloud.Metric {
	m := deltacloud.Metric{ID: in.ID, Entity: in.Name, Properties: make([]deltacloud.MetricProperty, len(cloudWatchMetrics))}
	if m.Entity == "" || m.Entity == in.ImageID { // no Name tag (instanceOf)
		m.Entity = in.ID
	}
	for i, p := range cloudWatchMetrics {
		m.Properties[i].Name = p.Name
	}
	return m
}

// queryID names the query of one property's statistic; CloudWatch wants
// ids that start with a lower-case letter.
func queryID(property, stat string) string {
	return strings.ToLower(property) + "_" + strings.ToLower(stat)
}

// metricDataInput asks for every property's statistics of one instance
// over [start, end), oldest first, each in its property's unit.
func metricDataInput(instanceID string, start, end time.Time) *cloudwatch.GetMetricDataInput {
	in := &cloudwatch.GetMetricDataInput{
		StartTime: aws.Time(start),
		EndTime:   aws.Time(end),
		ScanBy:    cwtypes.ScanByTimestampAscending,
	}
	for _, p := range cloudWatchMetrics {
		for _, stat := range metricStats {
			in.MetricDataQueries = append(in.MetricDataQueries, cwtypes.MetricDataQuery{
				Id: aws.String(queryID(p.Name, stat)),
				MetricStat: &cwtypes.MetricStat{
					Metric: &cwtypes.Metric{
						Namespace:  aws.String(MetricNamespace),
						MetricName: aws.String(p.Name),
						Dimensions: []cwtypes.Dimension{{Name: aws.String(MetricDimension), Value: aws.String(instanceID)}},
					},
					Period: aws.Int32(int32(MetricPeriod / time.Second)),
					Stat:   aws.String(stat),
					Unit:   cwtypes.StandardUnit(p.Unit),
				},
				ReturnData: aws.Bool(true),
			})
		}
	}
	return in
}

// resultError is the error a result's status reports: Forbidden for data
// the caller may not read, Backend for CloudWatch's internal errors.
// Complete and PartialData (the rest follows on the next page) are fine.
func resultError(id string, r cwtypes.MetricDataResult) error {
	var code deltacloud.Code
	switch r.StatusCode {
	case cwtypes.StatusCodeComplete, cwtypes.StatusCodePartialData, "":
		return nil
	case cwtypes.StatusCodeForbidden:
		code = deltacloud.Forbidden
	default:
		code = deltacloud.Backend
	}
	msg := fmt.Sprintf("ec2: CloudWatch answered %s for %s of %s", r.StatusCode, aws.ToString(r.Id), id)
	for _, m := range r.Messages {
		msg += fmt.Sprintf("; %s: %s", aws.ToString(m.Code), aws.ToString(m.Value))
	}
	return &deltacloud.Error{Code: code, ID: id, Message: msg}
}

// samplesOf joins a property's Average, Minimum and Maximum series into
// samples, oldest first. Only timestamps all three statistics have become
// samples: the statistics aggregate the same datapoints, so CloudWatch
// reports them together, and a sample missing one would show it as 0.
func samplesOf(p CloudWatchMetric, series map[string]*cwtypes.MetricDataResult) []deltacloud.MetricSample {
	var vals [3]map[int64]float64
	for i, stat := range metricStats {
		vals[i] = map[int64]float64{}
		if r := series[queryID(p.Name, stat)]; r != nil {
			for j, ts := range r.Timestamps {
				if j < len(r.Values) {
					vals[i][ts.UnixMilli()] = r.Values[j]
				}
			}
		}
	}
	var out []deltacloud.MetricSample
	for ms, avg := range vals[0] {
		lo, okLo := vals[1][ms]
		hi, okHi := vals[2][ms]
		if okLo && okHi {
			out = append(out, deltacloud.MetricSample{Timestamp: time.UnixMilli(ms).UTC(),
				Average: avg, Minimum: lo, Maximum: hi, Unit: p.Unit})
		}
	}
	slices.SortFunc(out, func(a, b deltacloud.MetricSample) int { return a.Timestamp.Compare(b.Timestamp) })
	return out
}
