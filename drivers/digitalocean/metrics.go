package digitalocean

import (
	"context"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/digitalocean/godo"
	"github.com/digitalocean/godo/metrics"

	"github.com/deltacloud-go/deltacloud"
)

// MetricWindow is how far back Metric reads samples, and MetricPeriod the
// period each sample aggregates (the Monitoring API's points are about a
// minute apart).
const (
	MetricWindow = time.Hour
	MetricPeriod = 5 * time.Minute
)

// The properties of a metric, with their units.
const (
	// PropertyCPU is the share of CPU time not idle, in percent, from the
	// per-mode CPU-second counters of /cpu between consecutive points.
	PropertyCPU = "cpuUtilization"
	// PropertyMemory is the share of memory in use, in percent:
	// (memory_total - memory_available) / memory_total.
	PropertyMemory = "memoryUtilization"
	// PropertyNetworkIn and PropertyNetworkOut are the public interface's
	// inbound and outbound bandwidth, in megabits per second.
	PropertyNetworkIn  = "networkIn"
	PropertyNetworkOut = "networkOut"
)

// metricProperties are the properties in the order they are shown.
var metricProperties = []struct{ name, unit string }{
	{PropertyCPU, "Percent"},
	{PropertyMemory, "Percent"},
	{PropertyNetworkIn, "Megabits/Second"},
	{PropertyNetworkOut, "Megabits/Second"},
}

// Metrics lists one metric per droplet the instances collection lists (the
// owner's), naming its properties without samples; the entity is the
// droplet's name.
func (c *conn) Metrics(ctx context.Context) ([]deltacloud.Metric, error) {
	ds, err := c.dropletsByTag(ctx, c.ownerTag)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Metric, 0, len(ds))
	for _, d := range ds {
		m := deltacloud.Metric{ID: strconv.Itoa(d.ID), Entity: d.Name}
		for _, p := range metricProperties {
			m.Properties = append(m.Properties, deltacloud.MetricProperty{Name: p.name})
		}
		out = append(out, m)
	}
	return out, nil
}

// Metric reads one of the owner's droplets' series of the last
// MetricWindow (five Monitoring API requests) and aggregates them into
// MetricPeriod samples; another droplet is ErrNotFound. A droplet without
// the monitoring agent has properties without samples.
func (c *conn) Metric(ctx context.Context, id string) (*deltacloud.Metric, error) {
	d, err := c.droplet(ctx, id)
	if err != nil {
		return nil, err
	}
	end := time.Now().UTC().Truncate(time.Second)
	req := godo.DropletMetricsRequest{HostID: strconv.Itoa(d.ID), Start: end.Add(-MetricWindow), End: end}
	get := func(f func(context.Context, *godo.DropletMetricsRequest) (*godo.MetricsResponse, *godo.Response, error)) ([]metrics.SampleStream, error) {
		r, _, err := f(ctx, &req)
		if err != nil {
			return nil, c.wrap(err)
		}
		return r.Data.Result, nil
	}
	bandwidth := func(direction string) ([]metrics.SampleStream, error) {
		r, _, err := c.client.Monitoring.GetDropletBandwidth(ctx, &godo.DropletBandwidthMetricsRequest{
			DropletMetricsRequest: req, Interface: "public", Direction: direction})
		if err != nil {
			return nil, c.wrap(err)
		}
		return r.Data.Result, nil
	}
	cpu, err := get(c.client.Monitoring.GetDropletCPU)
	if err != nil {
		return nil, err
	}
	total, err := get(c.client.Monitoring.GetDropletTotalMemory)
	if err != nil {
		return nil, err
	}
	avail, err := get(c.client.Monitoring.GetDropletAvailableMemory)
	if err != nil {
		return nil, err
	}
	in, err := bandwidth("inbound")
	if err != nil {
		return nil, err
	}
	out, err := bandwidth("outbound")
	if err != nil {
		return nil, err
	}
	points := [][]point{cpuPoints(cpu), memoryPoints(total, avail), streamPoints(in), streamPoints(out)}
	m := &deltacloud.Metric{ID: id, Entity: d.Name}
	for i, p := range metricProperties {
		m.Properties = append(m.Properties, deltacloud.MetricProperty{Name: p.name, Samples: aggregate(points[i], p.unit)})
	}
	return m, nil
}

// point is one value of a derived series.
type point struct {
	t metrics.Time
	v float64
}

// usable reports whether a value can be aggregated.
func usable(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// cpuPoints turns the per-mode CPU-second counters into the busy share
// between consecutive timestamps every mode has; an interval in which a
// counter went back (a reboot) is left out.
func cpuPoints(streams []metrics.SampleStream) []point {
	byTime := map[metrics.Time]map[string]float64{}
	for _, st := range streams {
		mode := string(st.Metric["mode"])
		for _, p := range st.Values {
			if byTime[p.Timestamp] == nil {
				byTime[p.Timestamp] = map[string]float64{}
			}
			byTime[p.Timestamp][mode] += float64(p.Value)
		}
	}
	var out []point
	var prev map[string]float64
	for _, t := range sortedKeys(byTime) {
		cur := byTime[t]
		if len(cur) != len(streams) {
			continue // not every mode has a point here
		}
		if prev != nil {
			var all, idle float64
			back := false
			for mode, v := range cur {
				d := v - prev[mode]
				back = back || d < 0
				all += d
				if mode == "idle" {
					idle = d
				}
			}
			if v := 100 * (all - idle) / all; !back && all > 0 && usable(v) {
				out = append(out, point{t, v})
			}
		}
		prev = cur
	}
	return out
}

// memoryPoints is the share of memory in use at the timestamps both series
// have.
func memoryPoints(total, avail []metrics.SampleStream) []point {
	totals := map[metrics.Time]float64{}
	for _, p := range streamPoints(total) {
		totals[p.t] = p.v
	}
	var out []point
	for _, p := range streamPoints(avail) {
		if tot, ok := totals[p.t]; ok && tot > 0 {
			out = append(out, point{p.t, 100 * (tot - p.v) / tot})
		}
	}
	return out
}

// streamPoints are the usable points of every stream.
func streamPoints(streams []metrics.SampleStream) []point {
	var out []point
	for _, st := range streams {
		for _, p := range st.Values {
			if v := float64(p.Value); usable(v) {
				out = append(out, point{p.Timestamp, v})
			}
		}
	}
	return out
}

// aggregate groups points into MetricPeriod samples (the period's start as
// timestamp), oldest first.
func aggregate(points []point, unit string) []deltacloud.MetricSample {
	type acc struct {
		sum, min, max float64
		n             int
	}
	periods := map[time.Time]*acc{}
	for _, p := range points {
		k := p.t.Time().UTC().Truncate(MetricPeriod)
		a := periods[k]
		if a == nil {
			a = &acc{min: p.v, max: p.v}
			periods[k] = a
		}
		a.sum += p.v
		a.n++
		a.min, a.max = min(a.min, p.v), max(a.max, p.v)
	}
	var out []deltacloud.MetricSample
	for _, k := range sortedTimes(periods) {
		a := periods[k]
		avg := min(max(a.sum/float64(a.n), a.min), a.max) // rounding cannot put the average outside
		out = append(out, deltacloud.MetricSample{Timestamp: k, Average: avg, Minimum: a.min, Maximum: a.max, Unit: unit})
	}
	return out
}

func sortedKeys[V any](m map[metrics.Time]V) []metrics.Time {
	ks := make([]metrics.Time, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sortedTimes[V any](m map[time.Time]V) []time.Time {
	ks := make([]time.Time, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, time.Time.Compare)
	return ks
}

var _ deltacloud.MetricConn = (*conn)(nil)
