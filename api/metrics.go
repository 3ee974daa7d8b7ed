package api

import (
	"net/http"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The metrics collection.

func metricsIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	ms, err := p.Metrics(q.r.Context())
	if err != nil {
		return err
	}
	ms = onlyID(q, ms, func(x deltacloud.Metric) string { return x.ID })
	doc := wire.NewMetrics(q.base, ms)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "metrics", doc)
}

func metricShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	m, err := p.Metric(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewMetric(q.base, *m)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "metric", doc)
}
