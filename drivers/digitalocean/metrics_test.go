package digitalocean_test

import (
	"errors"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/digitalocean/godo/metrics"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
)

// stream is a series with values at base + i minutes (NaN: no point).
func stream(base time.Time, labels metrics.Metric, vals ...float64) metrics.SampleStream {
	st := metrics.SampleStream{Metric: labels}
	for i, v := range vals {
		t := metrics.TimeFromUnix(base.Add(time.Duration(i) * time.Minute).Unix())
		st.Values = append(st.Values, metrics.SamplePair{Timestamp: t, Value: metrics.SampleValue(v)})
	}
	return st
}

// TestMetric: the Monitoring API's series become MetricPeriod samples —
// CPU counters as the busy share between points (a counter reset left
// out), memory as the share in use where both series have a point,
// bandwidth as it is (NaN left out).
func TestMetric(t *testing.T) {
	s := dotest.NewServer(t)
	p := openT(t, s)
	in := runningDroplet(t, p)
	id, _ := strconv.Atoi(in.ID)
	base := time.Now().UTC().Truncate(digitalocean.MetricPeriod).Add(-30 * time.Minute)
	mode := func(m string) metrics.Metric {
		return metrics.Metric{"host_id": metrics.LabelValue(in.ID), "mode": metrics.LabelValue(m)}
	}
	host := metrics.Metric{"host_id": metrics.LabelValue(in.ID)}
	nan := math.NaN()
	// Busy shares per minute: 20, 40, 10, 30 (first period), 50 (second),
	// then every counter goes back (a reboot).
	s.SetMetrics(id, dotest.MetricCPU, []metrics.SampleStream{
		stream(base, mode("idle"), 0, 80, 140, 230, 300, 350, 1),
		stream(base, mode("user"), 0, 20, 60, 70, 100, 150, 1),
		stream(base, mode("system"), 0, 0, 0, 0, 0, 0, 0),
	})
	s.SetMetrics(id, dotest.MetricMemoryTotal, []metrics.SampleStream{stream(base, host, 1000, 1000, 1000)})
	s.SetMetrics(id, dotest.MetricMemoryAvailable, []metrics.SampleStream{stream(base, host, 750, 500, nan, 100)})
	s.SetMetrics(id, dotest.MetricBandwidth+"/public/inbound", []metrics.SampleStream{stream(base, host, 1, nan, nan, nan, nan, 2, 3)})
	s.SetMetrics(id, dotest.MetricBandwidth+"/public/outbound", []metrics.SampleStream{stream(base, host, nan)})
	s.SetMetrics(id, dotest.MetricBandwidth+"/private/inbound", []metrics.SampleStream{stream(base, host, 99)})

	m, err := p.Metric(t.Context(), in.ID)
	if err != nil {
		t.Fatal(err)
	}
	second := base.Add(digitalocean.MetricPeriod)
	pct, mbps := "Percent", "Megabits/Second"
	want := &deltacloud.Metric{ID: in.ID, Entity: "web-1", Properties: []deltacloud.MetricProperty{
		{Name: digitalocean.PropertyCPU, Samples: []deltacloud.MetricSample{
			{Timestamp: base, Average: 25, Minimum: 10, Maximum: 40, Unit: pct},
			{Timestamp: second, Average: 50, Minimum: 50, Maximum: 50, Unit: pct},
		}},
		{Name: digitalocean.PropertyMemory, Samples: []deltacloud.MetricSample{
			{Timestamp: base, Average: 37.5, Minimum: 25, Maximum: 50, Unit: pct},
		}},
		{Name: digitalocean.PropertyNetworkIn, Samples: []deltacloud.MetricSample{
			{Timestamp: base, Average: 1, Minimum: 1, Maximum: 1, Unit: mbps},
			{Timestamp: second, Average: 2.5, Minimum: 2, Maximum: 3, Unit: mbps},
		}},
		{Name: digitalocean.PropertyNetworkOut},
	}}
	if d := cmp.Diff(want, m); d != "" {
		t.Errorf("Metric (-want +got):\n%s", d)
	}
}

// TestMetricsOwnership: only the owner's droplets have metrics, listed
// without samples; API errors keep their codes.
func TestMetricsOwnership(t *testing.T) {
	s := dotest.NewServer(t)
	s.AddDroplets(1, digitalocean.TagOwnerPrefix+"other")
	p := openT(t, s)
	in := runningDroplet(t, p)
	ms, err := p.Metrics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	props := []deltacloud.MetricProperty{{Name: digitalocean.PropertyCPU}, {Name: digitalocean.PropertyMemory},
		{Name: digitalocean.PropertyNetworkIn}, {Name: digitalocean.PropertyNetworkOut}}
	if d := cmp.Diff([]deltacloud.Metric{{ID: in.ID, Entity: "web-1", Properties: props}}, ms); d != "" {
		t.Errorf("Metrics (-want +got):\n%s", d)
	}
	n, _ := strconv.Atoi(in.ID)
	cases := []struct {
		name   string
		id     string
		inject func()
		want   error
	}{
		{name: "another owner's droplet", id: strconv.Itoa(n - 1), want: deltacloud.ErrNotFound},
		{name: "unknown droplet", id: "999999", want: deltacloud.ErrNotFound},
		{name: "not a number", id: "web-1", want: deltacloud.ErrNotFound},
		{name: "server error", id: in.ID, want: deltacloud.ErrBackend,
			inject: func() { s.Fail("GET", "/v2/monitoring/metrics/droplet/memory_total", 1, 500, "server_error") }},
		{name: "forbidden", id: in.ID, want: deltacloud.ErrForbidden,
			inject: func() { s.Fail("GET", "/v2/monitoring/metrics/droplet/bandwidth", 1, 403, "forbidden") }},
		{name: "own droplet", id: in.ID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.inject != nil {
				c.inject()
			}
			m, err := p.Metric(t.Context(), c.id)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Errorf("Metric(%s) = %v, want %v", c.id, err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Metric(%s): %v", c.id, err)
			}
			if m.ID != c.id || len(m.Properties) != len(props) {
				t.Errorf("Metric(%s) = %+v, want %d properties of %s", c.id, m, len(props), c.id)
			}
		})
	}
}
