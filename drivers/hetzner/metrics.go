package hetzner

import (
	"context"
	"strconv"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// metricTypes are the server metrics read, metricUnits the time series
// they answer with their units, and metricNames the series in order.
var (
	metricTypes = []hcloud.ServerMetricType{hcloud.ServerMetricCPU, hcloud.ServerMetricDisk, hcloud.ServerMetricNetwork}
	metricUnits = map[string]string{
		"cpu":                     "Percent",
		"disk.0.iops.read":        "Count/Second",
		"disk.0.iops.write":       "Count/Second",
		"disk.0.bandwidth.read":   "Bytes/Second",
		"disk.0.bandwidth.write":  "Bytes/Second",
		"network.0.pps.in":        "Count/Second",
		"network.0.pps.out":       "Count/Second",
		"network.0.bandwidth.in":  "Bytes/Second",
		"network.0.bandwidth.out": "Bytes/Second",
	}
	metricNames = sortedKeys(metricUnits)
)

// MetricPeriod is how far back a metric's samples reach, and MetricStep
// the time each sample covers.
const (
	MetricPeriod = time.Hour
	MetricStep   = time.Minute
)

// Metrics lists one metric per instance, naming its series.
func (c *conn) Metrics(ctx context.Context) ([]deltacloud.Metric, error) {
	ins, err := c.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Metric, 0, len(ins))
	for _, in := range ins {
		m := deltacloud.Metric{ID: in.ID, Entity: in.Name}
		for _, n := range metricNames {
			m.Properties = append(m.Properties, deltacloud.MetricProperty{Name: n})
		}
		out = append(out, m)
	}
	return out, nil
}

// Metric reads an instance's series of the last MetricPeriod.
func (c *conn) Metric(ctx context.Context, id string) (*deltacloud.Metric, error) {
	s, err := c.ownedServer(ctx, id)
	if err != nil {
		return nil, err
	}
	end := time.Now().UTC().Truncate(time.Second)
	ms, _, err := c.client.Server.GetMetrics(ctx, s, hcloud.ServerGetMetricsOpts{Types: metricTypes,
		Start: end.Add(-MetricPeriod), End: end, Step: int(MetricStep / time.Second)})
	if err != nil {
		return nil, wrap(err)
	}
	m := &deltacloud.Metric{ID: id, Entity: s.Name}
	if n := textFromLabels(s.Labels, LabelName); n != "" {
		m.Entity = n
	}
	for _, name := range metricNames {
		p := deltacloud.MetricProperty{Name: name}
		for _, v := range ms.TimeSeries[name] {
			x, err := strconv.ParseFloat(v.Value, 64)
			if err != nil {
				continue
			}
			sec := int64(v.Timestamp)
			p.Samples = append(p.Samples, deltacloud.MetricSample{
				Timestamp: time.Unix(sec, int64((v.Timestamp-float64(sec))*1e9)).UTC(),
				Average:   x, Minimum: x, Maximum: x, Unit: metricUnits[name],
			})
		}
		m.Properties = append(m.Properties, p)
	}
	return m, nil
}

var _ deltacloud.MetricConn = (*conn)(nil)
