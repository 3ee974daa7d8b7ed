package mock

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// metricNames are the mock's metric properties.
var metricNames = []string{
	"cpuUtilization", "diskReadRequestCount", "diskReadSector", "diskWriteRequestCount", "diskWriteSector",
	"nicInputByte", "nicInputPacket", "nicOutputByte", "nicOutputPacket",
}

// metricSamples is how many samples Metric returns per property, one a
// minute, the newest first.
const metricSamples = 6

// metricUnit is the unit of a property, as the original names them.
func metricUnit(name string) string {
	switch {
	case strings.Contains(name, "Utilization"):
		return "Percent"
	case strings.Contains(name, "Byte"):
		return "Bytes"
	default:
		return "Count"
	}
}

// metrics lists one metric per instance owner sees, without samples.
func (c *Cloud) metrics(owner string) ([]deltacloud.Metric, error) {
	ins, err := c.list(owner, deltacloud.InstanceFilter{})
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Metric, len(ins))
	for i, in := range ins {
		out[i] = deltacloud.Metric{ID: in.ID, Entity: in.Name, Properties: make([]deltacloud.MetricProperty, len(metricNames))}
		for j, n := range metricNames {
			out[i].Properties[j].Name = n
		}
	}
	return out, nil
}

// metric returns one visible instance's metric with samples. The values are
// a function of the seed, the instance id and the property; the timestamps
// count back from the current minute.
func (c *Cloud) metric(owner, id string) (*deltacloud.Metric, error) {
	c.mu.Lock()
	r, err := c.visible(owner, id)
	var name string
	if r != nil {
		name = r.Name
	}
	seed := c.metricSeed
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	now := time.Now().UTC().Truncate(time.Minute)
	m := &deltacloud.Metric{ID: id, Entity: name, Properties: make([]deltacloud.MetricProperty, len(metricNames))}
	for j, prop := range metricNames {
		h := fnv.New64a()
		h.Write([]byte(id))
		h.Write([]byte{0})
		h.Write([]byte(prop))
		rng := rand.New(rand.NewPCG(seed, h.Sum64()))
		unit := metricUnit(prop)
		samples := make([]deltacloud.MetricSample, metricSamples)
		for i := range samples {
			var avg, lo, hi float64
			if unit == "Percent" {
				avg = float64(rng.IntN(1000)) / 10
				lo = float64(int(avg*2.5)) / 10
				hi = min(100, avg+float64(rng.IntN(int(1000-avg*10)+1))/10)
			} else {
				avg = float64(rng.IntN(1000))
				lo = float64(int(avg / 4))
				hi = avg * float64(i+1)
			}
			samples[i] = deltacloud.MetricSample{Timestamp: now.Add(-time.Duration(i) * time.Minute),
				Average: avg, Minimum: lo, Maximum: hi, Unit: unit}
		}
		m.Properties[j] = deltacloud.MetricProperty{Name: prop, Samples: samples}
	}
	return m, nil
}

// Metrics lists one metric per visible instance, without samples.
func (c *conn) Metrics(ctx context.Context) ([]deltacloud.Metric, error) {
	if err := c.begin(ctx, OpMetrics); err != nil {
		return nil, err
	}
	return c.cloud.metrics(c.creds.User)
}

// Metric returns one visible instance's metric with six samples per
// property; any other id is ErrNotFound.
func (c *conn) Metric(ctx context.Context, id string) (*deltacloud.Metric, error) {
	if err := c.begin(ctx, OpMetric); err != nil {
		return nil, err
	}
	return c.cloud.metric(c.creds.User, id)
}
