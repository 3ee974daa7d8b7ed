package drivertest

import (
	"context"
	"slices"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

func (s *suite) testMetrics(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionMetrics)
	ctx := t.Context()
	ms, err := p.Metrics(ctx)
	if err != nil {
		t.Fatalf("Metrics: %v", err)
	}
	for _, m := range ms {
		for _, prop := range m.Properties {
			if len(prop.Samples) > 0 {
				t.Errorf("Metrics lists %d samples of %s for %s; listings carry none", len(prop.Samples), prop.Name, m.ID)
			}
		}
	}
	for _, m := range ms[:min(len(ms), 5)] {
		s.checkMetric(t, p, m.ID)
	}
	const unknown = "drivertest-no-such-instance-0"
	_, err = p.Metric(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "Metric(%q)", unknown)

	// An instance of the suite's own has its metric, under its id.
	in := s.running(t, p)
	var listed []string
	err = s.poll(ctx, "metric of "+in.ID, func(ctx context.Context) (bool, error) {
		ms, err := p.Metrics(ctx)
		listed = listed[:0]
		for _, m := range ms {
			listed = append(listed, m.ID)
		}
		return err == nil && slices.Contains(listed, in.ID), err
	})
	if err != nil {
		t.Fatalf("Metrics does not list the suite's instance %s (listed %v): %v", in.ID, listed, err)
	}
	s.checkMetric(t, p, in.ID)
}

// checkMetric reads one metric and checks its id and samples.
func (s *suite) checkMetric(t *testing.T, p *deltacloud.Provider, id string) {
	t.Helper()
	m, err := p.Metric(t.Context(), id)
	if err != nil {
		t.Errorf("Metric(%q): %v", id, err)
		return
	}
	if m.ID != id {
		t.Errorf("Metric(%q) returned the metric of %q", id, m.ID)
	}
	for _, prop := range m.Properties {
		if prop.Name == "" {
			t.Errorf("Metric(%q) has a property without a name", id)
		}
		for _, smp := range prop.Samples {
			if smp.Minimum > smp.Average || smp.Average > smp.Maximum {
				t.Errorf("Metric(%q) %s sample at %v has minimum %g, average %g, maximum %g, out of order",
					id, prop.Name, smp.Timestamp, smp.Minimum, smp.Average, smp.Maximum)
			}
		}
	}
}
