package openstack_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// TestMetricValues reads the metric of a server with half an hour of
// history and compares every sample with what the fake's Ceilometer
// measured: the CPU load as a percentage of the flavor's vCPUs, from the
// growth of the cumulative nanoseconds' per-minute means (each minute's
// mean lies a third of the way into its growth, so the growth between
// minutes t-1 and t is two thirds of minute t-1's load and one third of
// t's), and the memory in MB, with min and max from Gnocchi where the
// policy keeps them. Samples are complete one-minute periods.
func TestMetricValues(t *testing.T) {
	cases := []struct {
		name    string
		methods []string
		minMax  bool
	}{
		{"ceilometer policies", nil, false},
		{"policies keeping min and max", []string{"mean", "min", "max", "rate:mean"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, p := openFake(t, "telemetry", "gnocchi")
			if tc.methods != nil {
				c.SetArchiveMethods(tc.methods...)
			}
			ctx := t.Context()
			// m1.medium: two vCPUs.
			in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "3"})
			if err != nil {
				t.Fatal(err)
			}
			c.Backdate(in.ID, 30*time.Minute)
			before := time.Now()
			m, err := p.Metric(ctx, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if m.ID != in.ID || len(m.Properties) != 2 {
				t.Fatalf("Metric = %+v", m)
			}
			for _, prop := range m.Properties {
				if n := len(prop.Samples); n < 28 || n > 31 {
					t.Errorf("%s has %d samples; half an hour has about 30 complete minutes", prop.Name, n)
				}
				for _, smp := range prop.Samples {
					var want float64
					switch prop.Name {
					case openstack.PropertyCPU:
						want = 100 * (2*openstacktest.CPULoad(in.ID, smp.Timestamp.Add(-time.Minute)) + openstacktest.CPULoad(in.ID, smp.Timestamp)) / 3
					case openstack.PropertyMemory:
						want = openstacktest.MemoryUsage(in.ID, smp.Timestamp)
					default:
						t.Fatalf("unexpected property %s", prop.Name)
					}
					if math.Abs(smp.Average-want) > 1e-9*want {
						t.Errorf("%s at %v = %g, want %g", prop.Name, smp.Timestamp, smp.Average, want)
					}
					if smp.Timestamp.Truncate(time.Minute) != smp.Timestamp || smp.Timestamp.Add(time.Minute).After(before) {
						t.Errorf("%s sample at %v is not a complete one-minute period", prop.Name, smp.Timestamp)
					}
					lo, hi := smp.Average, smp.Average
					if tc.minMax && prop.Name == openstack.PropertyMemory {
						lo, hi = want*(1-openstacktest.Spread), want*(1+openstacktest.Spread)
					}
					if math.Abs(smp.Minimum-lo) > 1e-9*want || math.Abs(smp.Maximum-hi) > 1e-9*want {
						t.Errorf("%s at %v: min %g, max %g; want %g, %g", prop.Name, smp.Timestamp, smp.Minimum, smp.Maximum, lo, hi)
					}
				}
			}
		})
	}
}

// TestMetricsWithoutTelemetry: metrics are served only with the telemetry
// option, ErrNotSupported without the catalog's endpoint, properties
// without samples for a server Gnocchi does not know yet, and ErrNotFound
// for an unknown server.
func TestMetricsWithoutTelemetry(t *testing.T) {
	c, p := openFake(t)
	if slices.Contains(p.Collections(), deltacloud.CollectionMetrics) {
		t.Error("metrics served without the telemetry option")
	}
	if _, err := open(context.Background(), c, "telemetry", "ceilometer"); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("telemetry=ceilometer: %v, want ErrInvalidArgument", err)
	}

	c.SetTelemetryDelay(time.Hour)
	g, err := open(context.Background(), c, "telemetry", "gnocchi")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	ctx := t.Context()
	in, err := g.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	m, err := g.Metric(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, prop := range m.Properties {
		if len(prop.Samples) != 0 {
			t.Errorf("%s of a server Gnocchi does not know has %d samples", prop.Name, len(prop.Samples))
		}
	}
	ms, err := g.Metrics(ctx)
	if err != nil || len(ms) != 1 || ms[0].ID != in.ID || ms[0].Entity != in.Name {
		t.Errorf("Metrics = %+v, %v", ms, err)
	}
	if _, err := g.Metric(ctx, "no-such-server"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Metric of an unknown server = %v, want ErrNotFound", err)
	}

	c.SetTelemetry(false)
	none, err := open(context.Background(), c, "telemetry", "gnocchi")
	if err != nil {
		t.Fatal(err)
	}
	defer none.Close()
	if _, err := none.Metric(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("Metric on a cloud without Gnocchi = %v, want ErrNotSupported", err)
	}
}
