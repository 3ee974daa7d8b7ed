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

// TestMetricValues reads a server's metric and compares every sample with
// what the fake's Ceilometer recorded: the CPU load as a percentage of the
// flavor's vCPUs (from the rate of cumulative nanoseconds) and the memory
// in MB, at the finest granularity; min and max equal the mean under
// Ceilometer's mean-only policies and come from Gnocchi where a policy
// keeps them.
func TestMetricValues(t *testing.T) {
	cases := []struct {
		name    string
		methods []string
		minMax  bool
	}{
		{"ceilometer policies", nil, false},
		{"policies keeping min and max", []string{"mean", "min", "max", "rate:mean", "rate:min", "rate:max"}, true},
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
			m, err := p.Metric(ctx, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if m.ID != in.ID || len(m.Properties) != 2 {
				t.Fatalf("Metric = %+v", m)
			}
			for _, prop := range m.Properties {
				if len(prop.Samples) == 0 {
					t.Errorf("%s has no samples", prop.Name)
				}
				for _, smp := range prop.Samples {
					var want float64
					switch prop.Name {
					case openstack.PropertyCPU:
						want = 100 * openstacktest.CPULoad(in.ID, smp.Timestamp)
					case openstack.PropertyMemory:
						want = openstacktest.MemoryUsage(in.ID, smp.Timestamp)
					default:
						t.Fatalf("unexpected property %s", prop.Name)
					}
					if math.Abs(smp.Average-want) > 1e-9*want {
						t.Errorf("%s at %v = %g, want %g", prop.Name, smp.Timestamp, smp.Average, want)
					}
					if smp.Timestamp.Truncate(time.Minute) != smp.Timestamp {
						t.Errorf("%s sample at %v is not at the finest (one-minute) granularity", prop.Name, smp.Timestamp)
					}
					lo, hi := smp.Average, smp.Average
					if tc.minMax {
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
