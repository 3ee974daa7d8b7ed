package deltacloud

import (
	"context"
	"time"
)

// Metric is the monitoring data of one instance; its ID is the instance's.
type Metric struct {
	ID string
	// Entity names what is measured, usually the instance's name.
	Entity     string
	Properties []MetricProperty
}

// MetricProperty is one measured quantity (e.g. "cpuUtilization") with its
// samples; listings name the properties without samples.
type MetricProperty struct {
	Name    string
	Samples []MetricSample
}

// MetricSample aggregates a property over one period.
type MetricSample struct {
	Timestamp                 time.Time
	Average, Minimum, Maximum float64
	Unit                      string
}

// Metrics lists the metrics of the visible instances, without samples.
func (p *Provider) Metrics(ctx context.Context) ([]Metric, error) {
	return list(ctx, p, "Metrics", CollectionMetrics, func(c MetricConn) ([]Metric, error) { return c.Metrics(ctx) })
}

// Metric returns one instance's metric with samples; an unknown id is
// ErrNotFound.
func (p *Provider) Metric(ctx context.Context, id string) (*Metric, error) {
	if err := requireID("Metric", "metric", id); err != nil {
		return nil, err
	}
	return one(ctx, p, "Metric", id, CollectionMetrics, func(c MetricConn) (*Metric, error) { return c.Metric(ctx, id) })
}
