package dotest

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/digitalocean/godo"
	"github.com/digitalocean/godo/metrics"
)

// The droplet metrics the fake serves under /v2/monitoring/metrics/droplet/.
const (
	MetricCPU             = "cpu"
	MetricMemoryTotal     = "memory_total"
	MetricMemoryAvailable = "memory_available"
	// MetricBandwidth is "bandwidth" with its interface and direction, as
	// SetMetrics keys it: "bandwidth/public/inbound".
	MetricBandwidth = "bandwidth"
)

// MetricStep is the spacing of the series the fake makes up.
const MetricStep = time.Minute

// SetMetrics replaces the series one droplet answers for a metric (one of
// the Metric constants; bandwidth as "bandwidth/<interface>/<direction>");
// points outside a request's start and end are left out.
func (s *Server) SetMetrics(dropletID int, metric string, streams []metrics.SampleStream) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.series == nil {
		s.series = map[string][]metrics.SampleStream{}
	}
	s.series[strconv.Itoa(dropletID)+" "+metric] = streams
}

// monitoringRoutes serves the droplet metrics as the Monitoring API does: a
// Prometheus matrix in godo.MetricsResponse. A droplet without SetMetrics
// answers made-up series at MetricStep from its creation: CPU seconds per
// mode (idle, user, system; 15% busy), 1 GiB of memory with a varying
// share available, and bandwidth in Mbps. An unknown host_id answers an
// empty matrix, as the API does for a droplet without the agent.
func (s *Server) monitoringRoutes(mux *http.ServeMux) {
	s.route(mux, "GET /v2/monitoring/metrics/droplet/{metric}", func(r *http.Request) (int, any) {
		q := r.URL.Query()
		metric := r.PathValue("metric")
		switch metric {
		case MetricCPU, MetricMemoryTotal, MetricMemoryAvailable:
		case MetricBandwidth:
			if !slices.Contains([]string{"public", "private"}, q.Get("interface")) ||
				!slices.Contains([]string{"inbound", "outbound"}, q.Get("direction")) {
				return 0, errorf(http.StatusBadRequest, "bad_request", "interface and direction are required")
			}
			metric += "/" + q.Get("interface") + "/" + q.Get("direction")
		default:
			return notFound()
		}
		start, err1 := strconv.ParseInt(q.Get("start"), 10, 64)
		end, err2 := strconv.ParseInt(q.Get("end"), 10, 64)
		if q.Get("host_id") == "" || err1 != nil || err2 != nil || start >= end {
			return 0, errorf(http.StatusBadRequest, "bad_request", "host_id, start and end (start before end) are required")
		}
		from, to := metrics.TimeFromUnix(start), metrics.TimeFromUnix(end)
		var streams []metrics.SampleStream
		if set, ok := s.series[q.Get("host_id")+" "+metric]; ok {
			streams = set
		} else if d := s.droplet(q.Get("host_id")); d != nil {
			streams = madeUp(d, metric, from, to)
		}
		res := godo.MetricsResponse{Status: "success", Data: godo.MetricsData{ResultType: "matrix", Result: []metrics.SampleStream{}}}
		for _, st := range streams {
			st.Values = slices.DeleteFunc(slices.Clone(st.Values), func(p metrics.SamplePair) bool {
				return p.Timestamp.Before(from) || p.Timestamp.After(to)
			})
			res.Data.Result = append(res.Data.Result, st)
		}
		return 200, res
	})
}

// madeUp makes a droplet's series between from and to.
func madeUp(d *droplet, metric string, from, to metrics.Time) []metrics.SampleStream {
	created, _ := time.Parse(time.RFC3339, d.Created)
	first := max(from, metrics.TimeFromUnix(created.Truncate(MetricStep).Unix()))
	host := metrics.LabelValue(strconv.Itoa(d.ID))
	series := func(labels metrics.Metric, f func(t metrics.Time) float64) metrics.SampleStream {
		st := metrics.SampleStream{Metric: labels}
		for t := metrics.TimeFromUnix(first.Time().Truncate(MetricStep).Unix()); !t.After(to); t = t.Add(MetricStep) {
			if !t.Before(first) {
				st.Values = append(st.Values, metrics.SamplePair{Timestamp: t, Value: metrics.SampleValue(f(t))})
			}
		}
		return st
	}
	minutes := func(t metrics.Time) float64 { return float64(t.Unix()) / 60 }
	switch metric {
	case MetricCPU:
		var out []metrics.SampleStream
		for _, m := range []struct {
			mode  string
			share float64
		}{{"idle", 51}, {"system", 3}, {"user", 6}} {
			out = append(out, series(metrics.Metric{"host_id": host, "mode": metrics.LabelValue(m.mode)},
				func(t metrics.Time) float64 { return m.share * minutes(t) }))
		}
		return out
	case MetricMemoryTotal:
		return []metrics.SampleStream{series(metrics.Metric{"host_id": host}, func(metrics.Time) float64 { return 1 << 30 })}
	case MetricMemoryAvailable:
		return []metrics.SampleStream{series(metrics.Metric{"host_id": host},
			func(t metrics.Time) float64 { return float64(512<<20 + int64(minutes(t))%16<<20) })}
	default:
		return []metrics.SampleStream{series(metrics.Metric{"host_id": host},
			func(t metrics.Time) float64 { return 0.5 + float64(int64(minutes(t))%5)/10 })}
	}
}
