package openstack

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/deltacloud-go/deltacloud"
)

// MetricWindow is how far back Metric reads measures.
const MetricWindow = time.Hour

// The properties of a metric, read from the Gnocchi metrics Ceilometer
// keeps on an instance resource.
const (
	// PropertyCPU is the share of the server's vCPUs busy, in percent: the
	// growth of Ceilometer's cumulative "cpu" nanoseconds from one period's
	// mean to the next, divided by the time between them and the flavor's
	// vCPUs. (Gnocchi's rate:mean is no rate over the period but the mean
	// difference between raw measures, which depends on how often
	// Ceilometer polls.)
	PropertyCPU = "cpuUtilization"
	// PropertyMemory is the memory the guest uses, in MB (Ceilometer's
	// "memory.usage").
	PropertyMemory = "memoryUsage"
)

// metricProperty says where a property comes from and how to read it.
type metricProperty struct {
	name, unit string
	// gnocchi is the metric's name on the instance resource; cumulative
	// marks a counter of CPU nanoseconds, read as its growth.
	gnocchi    string
	cumulative bool
}

var metricProperties = []metricProperty{
	{name: PropertyCPU, unit: "Percent", gnocchi: "cpu", cumulative: true},
	{name: PropertyMemory, unit: "Megabytes", gnocchi: "memory.usage"},
}

// maxTelemetryBody bounds what is read of a Gnocchi answer.
const maxTelemetryBody = 8 << 20

// telemetry returns the authenticated services with their Gnocchi
// client, or ErrNotSupported when the catalog has no metric endpoint.
func (c *conn) telemetry(ctx context.Context) (*services, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	if s.metric == nil {
		return nil, s.metricErr
	}
	return s, nil
}

// newMetricClient is the Gnocchi v1 client of the catalog's "metric"
// endpoint (gophercloud has none of its own).
func newMetricClient(pc *gophercloud.ProviderClient, eo gophercloud.EndpointOpts) (*gophercloud.ServiceClient, error) {
	eo.ApplyDefaults("metric")
	u, err := pc.EndpointLocator(eo)
	if err != nil {
		return nil, err
	}
	u = gophercloud.NormalizeURL(u)
	return &gophercloud.ServiceClient{ProviderClient: pc, Endpoint: u, ResourceBase: u + "v1/", Type: "metric"}, nil
}

// Metrics lists one metric per server, naming its properties without
// samples; the entity is the server's name. It reads only Nova's listing
// (not the devices and firewalls an instance listing adds).
func (c *conn) Metrics(ctx context.Context) ([]deltacloud.Metric, error) {
	s, err := c.telemetry(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := servers.List(s.compute, servers.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := servers.ExtractServers(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Metric, 0, len(list))
	for _, srv := range list {
		out = append(out, *metricOf(srv.ID, srv.Name))
	}
	return out, nil
}

// metricOf is a server's metric with its properties named, without
// samples.
func metricOf(id, name string) *deltacloud.Metric {
	m := &deltacloud.Metric{ID: id, Entity: name}
	for _, p := range metricProperties {
		m.Properties = append(m.Properties, deltacloud.MetricProperty{Name: p.name})
	}
	return m
}

// gnocchiResource is the part of a Gnocchi resource the driver reads: its
// metrics by name.
type gnocchiResource struct {
	ID      string            `json:"id"`
	Metrics map[string]string `json:"metrics"`
}

// gnocchiMetric is the part of a Gnocchi metric the driver reads: the
// aggregation methods its archive policy keeps.
type gnocchiMetric struct {
	ArchivePolicy struct {
		AggregationMethods []string `json:"aggregation_methods"`
	} `json:"archive_policy"`
}

// Metric reads a server's measures of the last MetricWindow from Gnocchi:
// the instance resource Ceilometer keeps under the server's id, then each
// property's metric (its archive policy, then the mean, and for memory
// min and max where the policy keeps them, at the finest granularity;
// complete periods only). A server Gnocchi has no resource for yet has
// properties without samples; an unknown server is ErrNotFound.
func (c *conn) Metric(ctx context.Context, id string) (*deltacloud.Metric, error) {
	s, err := c.telemetry(ctx)
	if err != nil {
		return nil, err
	}
	srv, err := getServer(ctx, s.compute, id)
	if err != nil {
		return nil, err
	}
	in := instanceOf(srv)
	m := metricOf(id, in.Name)
	var res gnocchiResource
	if err := getJSON(ctx, s.metric, s.metric.ServiceURL("resource", "instance", url.PathEscape(id)), &res); err != nil {
		if isNotFound(err) {
			return m, nil
		}
		return nil, wrap(err)
	}
	vcpus := 1
	if in.Profile.ID != "" {
		if f, err := flavors.Get(ctx, s.compute, in.Profile.ID).Extract(); err == nil && f.VCPUs > 0 {
			vcpus = f.VCPUs
		}
	}
	end := time.Now().UTC()
	for i, p := range metricProperties {
		mid, ok := res.Metrics[p.gnocchi]
		if !ok {
			continue
		}
		samples, err := readSamples(ctx, s.metric, mid, p, end.Add(-MetricWindow), end, vcpus)
		if err != nil {
			return nil, err
		}
		m.Properties[i].Samples = samples
	}
	return m, nil
}

// readSamples reads one metric's measures since start as samples of
// complete periods (Gnocchi includes the period still filling, whose mean
// would mislead).
func readSamples(ctx context.Context, sc *gophercloud.ServiceClient, metricID string, p metricProperty, start, now time.Time, vcpus int) ([]deltacloud.MetricSample, error) {
	var gm gnocchiMetric
	if err := getJSON(ctx, sc, sc.ServiceURL("metric", url.PathEscape(metricID)), &gm); err != nil {
		if isNotFound(err) {
			return nil, nil // deleted since the resource was read
		}
		return nil, wrap(err)
	}
	methods := gm.ArchivePolicy.AggregationMethods
	if !slices.Contains(methods, "mean") {
		return nil, nil // nothing the driver can read as an average
	}
	read := func(method string) ([]measure, error) {
		if !slices.Contains(methods, method) {
			return nil, nil
		}
		q := url.Values{"start": {start.Format(time.RFC3339)}, "aggregation": {method}}
		var raw [][]json.RawMessage
		if err := getJSON(ctx, sc, sc.ServiceURL("metric", url.PathEscape(metricID), "measures")+"?"+q.Encode(), &raw); err != nil {
			return nil, wrap(err)
		}
		return finest(raw, now), nil
	}
	mean, err := read("mean")
	if err != nil {
		return nil, err
	}
	if p.cumulative {
		return growth(mean, p.unit, vcpus), nil
	}
	lo, err := read("min")
	if err != nil {
		return nil, err
	}
	hi, err := read("max")
	if err != nil {
		return nil, err
	}
	at := func(ms []measure, t time.Time) (float64, bool) {
		i, ok := slices.BinarySearchFunc(ms, t, func(m measure, t time.Time) int { return m.t.Compare(t) })
		if !ok {
			return 0, false
		}
		return ms[i].v, true
	}
	out := make([]deltacloud.MetricSample, 0, len(mean))
	for _, m := range mean {
		smp := deltacloud.MetricSample{Timestamp: m.t, Average: m.v, Minimum: m.v, Maximum: m.v, Unit: p.unit}
		if x, ok := at(lo, m.t); ok && x <= m.v {
			smp.Minimum = x
		}
		if x, ok := at(hi, m.t); ok && x >= m.v {
			smp.Maximum = x
		}
		out = append(out, smp)
	}
	return out, nil
}

// growth turns the period means of a cumulative CPU-nanosecond counter
// into the busy share of vcpus between consecutive periods, in percent;
// a counter that went back (the server restarted) gives no sample.
func growth(mean []measure, unit string, vcpus int) []deltacloud.MetricSample {
	var out []deltacloud.MetricSample
	for i := 1; i < len(mean); i++ {
		d, dt := mean[i].v-mean[i-1].v, mean[i].t.Sub(mean[i-1].t).Seconds()
		if d < 0 || dt <= 0 {
			continue
		}
		v := 100 * d / (dt * 1e9 * float64(vcpus))
		out = append(out, deltacloud.MetricSample{Timestamp: mean[i].t, Average: v, Minimum: v, Maximum: v, Unit: unit})
	}
	return out
}

// measure is one value of a period.
type measure struct {
	t time.Time
	g float64 // the period, in seconds
	v float64
}

// finest reads Gnocchi's measures ([timestamp, granularity, value]
// triples, of every granularity the policy keeps) and returns those of
// the finest granularity whose period ended by now, by time. Entries it
// cannot read are skipped.
func finest(raw [][]json.RawMessage, now time.Time) []measure {
	var ms []measure
	g := 0.0
	for _, e := range raw {
		if len(e) != 3 {
			continue
		}
		var ts string
		var m measure
		if json.Unmarshal(e[0], &ts) != nil || json.Unmarshal(e[1], &m.g) != nil || json.Unmarshal(e[2], &m.v) != nil ||
			m.g <= 0 || m.g > 1e9 || math.IsNaN(m.v) {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, ts)
		if err != nil {
			continue
		}
		m.t = t.UTC()
		if m.t.Add(time.Duration(m.g * float64(time.Second))).After(now) {
			continue
		}
		ms = append(ms, m)
		if g == 0 || m.g < g {
			g = m.g
		}
	}
	ms = slices.DeleteFunc(ms, func(m measure) bool { return m.g != g })
	slices.SortFunc(ms, func(a, b measure) int { return a.t.Compare(b.t) })
	return slices.CompactFunc(ms, func(a, b measure) bool { return a.t.Equal(b.t) })
}

// getJSON reads a bounded JSON answer into v.
func getJSON(ctx context.Context, sc *gophercloud.ServiceClient, u string, v any) error {
	resp, err := sc.Get(ctx, u, nil, &gophercloud.RequestOpts{OkCodes: []int{200}, KeepResponseBody: true})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxTelemetryBody)).Decode(v); err != nil {
		return &deltacloud.Error{Code: deltacloud.Backend, Message: fmt.Sprintf("openstack: unreadable Gnocchi answer from %s", strings.TrimPrefix(u, sc.Endpoint)), Err: err}
	}
	return nil
}
