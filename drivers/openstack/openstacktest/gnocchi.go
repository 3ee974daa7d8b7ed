package openstacktest

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The fake Gnocchi (the catalog's "metric" endpoint, /metric/v1) serves
// what Ceilometer keeps for every server: an instance resource under the
// server's id with the metrics "cpu" (cumulative nanoseconds, archive
// policy ceilometer-low-rate), "vcpus" and "memory.usage" (MB,
// ceilometer-low). Their raw measures are computed from the server's
// creation time, one every RawInterval, so nothing needs storing: in each
// minute a CPU load of 10-30 % of the flavor's vCPUs (CPULoad) and three
// memory measures Spread around MemoryUsage. Measures are aggregated per
// period as Gnocchi does: mean, min and max of the raw values, and rate:X
// of the differences between consecutive ones. Policies keep 60-second
// and hourly periods; the period still filling is included. Bodies
// follow Gnocchi 4.4.2's answers (with Accept: application/json), errors
// included.

// RawInterval is how often the fake's Ceilometer measures.
const RawInterval = 20 * time.Second

// Spread is how far the lowest and highest of a minute's three memory
// measures lie from its mean, as a share of it.
const Spread = 0.05

// GnocchiGranularities are the fake policies' granularities, finest first.
var GnocchiGranularities = []time.Duration{time.Minute, time.Hour}

// SetTelemetry sets whether tokens issued later list Gnocchi (metric) in
// their catalog (default true).
func (c *Cloud) SetTelemetry(on bool) { c.mu.Lock(); c.noGnocchi = !on; c.mu.Unlock() }

// SetArchiveMethods sets the aggregation methods the fake's archive
// policies keep; the default is Ceilometer's: "mean" (ceilometer-low) and
// "rate:mean", "mean" (ceilometer-low-rate). Names starting "rate:" go to
// the rate policy only.
func (c *Cloud) SetArchiveMethods(methods ...string) {
	c.mu.Lock()
	c.archiveMethods = slices.Clone(methods)
	c.mu.Unlock()
}

// CPULoad is the fake's CPU load, as a share of the vCPUs, in the minute
// around t for server id.
func CPULoad(id string, t time.Time) float64 { return 0.1 + 0.2*noise(id, "cpu", t) }

// MemoryUsage is the mean of server id's memory.usage measures in the
// minute around t, in MB.
func MemoryUsage(id string, t time.Time) float64 { return 256 + float64(int(8*noise(id, "mem", t))) }

// noise is a deterministic value in [0, 1) for a server, a series and a
// minute.
func noise(id, series string, t time.Time) float64 {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s/%s/%d", id, series, t.Unix()/60)))
	return float64(binary.BigEndian.Uint32(h[:4])) / (1 << 32)
}

// gnocchiMetricID is a metric's stable id: the server's id and the
// metric's name, hashed into a UUID.
func gnocchiMetricID(server, name string) string {
	h := sha256.Sum256([]byte(server + "/" + name))
	x := fmt.Sprintf("%x", h[:16])
	return x[:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

var gnocchiMetricNames = []string{"cpu", "vcpus", "memory.usage"}

// gnocchiError answers Gnocchi's error body; description is a string or
// an object.
func gnocchiError(w http.ResponseWriter, status int, description any) {
	writeJSON(w, status, map[string]any{"code": status, "title": http.StatusText(status), "description": description})
}

// serveGnocchi routes /metric/v1/…; c.mu is not held.
func (c *Cloud) serveGnocchi(w http.ResponseWriter, r *http.Request, path string) {
	if r.Method != http.MethodGet {
		gnocchiError(w, http.StatusMethodNotAllowed, "The method "+r.Method+" is not allowed for this resource.")
		return
	}
	parts := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(parts) == 3 && parts[0] == "resource" && parts[1] == "instance":
		c.gnocchiResource(w, parts[2])
	case len(parts) == 2 && parts[0] == "metric":
		c.gnocchiMetric(w, parts[1])
	case len(parts) == 3 && parts[0] == "metric" && parts[2] == "measures":
		c.gnocchiMeasures(w, r, parts[1])
	default:
		gnocchiError(w, http.StatusNotFound, "The resource could not be found.")
	}
}

// SetTelemetryDelay sets how long after a server's creation Gnocchi
// learns of it (Ceilometer's next poll; default 0).
func (c *Cloud) SetTelemetryDelay(d time.Duration) { c.mu.Lock(); c.telemetryDelay = d; c.mu.Unlock() }

// Backdate makes server id d older (its creation moved back by d, to a
// whole minute), so Gnocchi has that much history of it.
func (c *Cloud) Backdate(id string, d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := c.servers[id]; s != nil {
		s.created = s.created.Add(-d).Truncate(time.Minute)
		if !s.launched.IsZero() {
			s.launched = s.launched.Add(-d)
		}
	}
}

// gnocchiServer finds the server a resource or metric belongs to, once
// Gnocchi knows it; c.mu is held.
func (c *Cloud) gnocchiServer(id string) *server {
	s, ok := c.servers[id]
	if !ok || !c.advance(s) || time.Since(s.created) < c.telemetryDelay {
		return nil
	}
	return s
}

func (c *Cloud) gnocchiResource(w http.ResponseWriter, id string) {
	c.mu.Lock()
	s := c.gnocchiServer(id)
	if s == nil {
		c.mu.Unlock()
		gnocchiError(w, http.StatusNotFound, "Resource "+id+" does not exist")
		return
	}
	metrics := map[string]string{}
	for _, n := range gnocchiMetricNames {
		metrics[n] = gnocchiMetricID(id, n)
	}
	body := map[string]any{"id": id, "type": "instance", "original_resource_id": id, "project_id": ProjectID,
		"user_id": UserID, "created_by_project_id": ProjectID, "created_by_user_id": UserID,
		"creator": UserID + ":" + ProjectID, "started_at": s.created.UTC().Format("2006-01-02T15:04:05+00:00"),
		"revision_start": s.created.UTC().Format("2006-01-02T15:04:05.000000+00:00"), "ended_at": nil, "revision_end": nil,
		"display_name": s.name, "flavor_id": s.flavor, "flavor_name": flavorName(s.flavor), "image_ref": s.image,
		"host": "compute-1", "server_group": "", "launched_at": nil, "created_at": nil, "deleted_at": nil,
		"availability_zone": s.zone, "metrics": metrics}
	c.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// gnocchiLookup finds a metric by id: its server and name; c.mu is held.
func (c *Cloud) gnocchiLookup(id string) (*server, string) {
	for sid := range c.servers {
		for _, n := range gnocchiMetricNames {
			if gnocchiMetricID(sid, n) == id {
				return c.gnocchiServer(sid), n
			}
		}
	}
	return nil, ""
}

// policy is the archive policy of a metric name and its methods.
func (c *Cloud) policy(name string) (string, []string) {
	methods := c.archiveMethods
	if methods == nil {
		methods = []string{"rate:mean", "mean"}
	}
	if name != "cpu" {
		return "ceilometer-low", slices.DeleteFunc(slices.Clone(methods), func(m string) bool { return strings.HasPrefix(m, "rate:") })
	}
	return "ceilometer-low-rate", methods
}

func (c *Cloud) gnocchiMetric(w http.ResponseWriter, id string) {
	c.mu.Lock()
	s, name := c.gnocchiLookup(id)
	if s == nil {
		c.mu.Unlock()
		gnocchiError(w, http.StatusNotFound, "Metric "+id+" does not exist")
		return
	}
	policy, methods := c.policy(name)
	c.mu.Unlock()
	var def []map[string]any
	for i, g := range GnocchiGranularities {
		span := []time.Duration{24 * time.Hour, 30 * 24 * time.Hour}[i]
		def = append(def, map[string]any{"granularity": fmt.Sprintf("%d:00:00", int(g.Hours())),
			"points": int(span / g), "timespan": fmt.Sprintf("%d days, 0:00:00", int(span.Hours()/24))})
		if g < time.Hour {
			def[i]["granularity"] = fmt.Sprintf("0:%02d:00", int(g.Minutes()))
		}
	}
	unit := map[string]any{"cpu": "ns", "vcpus": "vcpu", "memory.usage": "MB"}[name]
	resource := map[string]any{"id": s.id, "type": "instance", "original_resource_id": s.id, "project_id": ProjectID,
		"user_id": UserID, "creator": UserID + ":" + ProjectID, "started_at": s.created.UTC().Format("2006-01-02T15:04:05+00:00"),
		"ended_at": nil, "revision_end": nil, "created_by_user_id": UserID, "created_by_project_id": ProjectID}
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "name": name, "unit": unit, "resource": resource,
		"creator": UserID + ":" + ProjectID, "created_by_project_id": ProjectID, "created_by_user_id": UserID,
		"archive_policy": map[string]any{"name": policy, "back_window": 0, "aggregation_methods": methods, "definition": def}})
}

func (c *Cloud) gnocchiMeasures(w http.ResponseWriter, r *http.Request, id string) {
	q := r.URL.Query()
	c.mu.Lock()
	s, name := c.gnocchiLookup(id)
	var vcpus int
	var created time.Time
	if s != nil {
		created = s.created
		for _, f := range Flavors {
			if f.ID == s.flavor {
				vcpus = f.VCPUs
			}
		}
	}
	_, methods := c.policy(name)
	c.mu.Unlock()
	if s == nil {
		gnocchiError(w, http.StatusNotFound, "Metric "+id+" does not exist")
		return
	}
	start := created
	if v := q.Get("start"); v != "" {
		t, err := parseGnocchiTime(v)
		if err != nil {
			gnocchiError(w, http.StatusBadRequest, map[string]any{"cause": "Argument value error", "detail": "start", "reason": "Must be a datetime or a timestamp"})
			return
		}
		if t.After(start) {
			start = t
		}
	}
	agg := q.Get("aggregation")
	if agg == "" {
		agg = "mean"
	}
	if !slices.Contains(methods, agg) {
		gnocchiError(w, http.StatusNotFound, map[string]any{"cause": "Aggregation method does not exist for this metric",
			"detail": map[string]any{"metric": id, "aggregation_method": agg}})
		return
	}
	raw := rawMeasures(s.id, name, vcpus, created, time.Now().UTC())
	method, rate := strings.CutPrefix(agg, "rate:")
	if rate {
		// Gnocchi's rate: the differences between consecutive raw
		// measures, each at the later one's time.
		diffs := make([]rawMeasure, 0, len(raw))
		for i := 1; i < len(raw); i++ {
			diffs = append(diffs, rawMeasure{raw[i].t, raw[i].v - raw[i-1].v})
		}
		raw = diffs
	}
	out := [][]any{}
	// Coarsest granularity first, each ascending, as Gnocchi answers.
	for i := len(GnocchiGranularities) - 1; i >= 0; i-- {
		g := GnocchiGranularities[i]
		var bucket []float64
		var at time.Time
		flush := func() {
			if len(bucket) > 0 {
				out = append(out, []any{at.Format("2006-01-02T15:04:05+00:00"), g.Seconds(), aggregate(method, bucket)})
			}
			bucket = bucket[:0]
		}
		for _, m := range raw {
			if m.t.Before(start.Truncate(g)) {
				continue
			}
			if b := m.t.Truncate(g); !b.Equal(at) {
				flush()
				at = b
			}
			bucket = append(bucket, m.v)
		}
		flush()
	}
	writeJSON(w, http.StatusOK, out)
}

// rawMeasure is one measure as Ceilometer posts it.
type rawMeasure struct {
	t time.Time
	v float64
}

// rawMeasures are a metric's measures from the server's creation to now,
// one every RawInterval (at most a day of them).
func rawMeasures(id, name string, vcpus int, created, now time.Time) []rawMeasure {
	from := created.Truncate(RawInterval)
	if d := now.Sub(from); d > 24*time.Hour {
		from = now.Add(-24 * time.Hour).Truncate(RawInterval)
	}
	var out []rawMeasure
	cumulative := 0.0
	for t := from; !t.After(now); t = t.Add(RawInterval) {
		var v float64
		switch name {
		case "cpu":
			v = cumulative
			cumulative += CPULoad(id, t) * RawInterval.Seconds() * 1e9 * float64(vcpus)
		case "vcpus":
			v = float64(vcpus)
		default:
			// The three measures of a minute: below, at and above its mean.
			v = MemoryUsage(id, t) * (1 + Spread*float64(int(t.Sub(t.Truncate(time.Minute))/RawInterval)-1))
		}
		out = append(out, rawMeasure{t, v})
	}
	return out
}

// aggregate is one of Gnocchi's aggregation methods over a period's
// values.
func aggregate(method string, vals []float64) float64 {
	switch method {
	case "min":
		return slices.Min(vals)
	case "max":
		return slices.Max(vals)
	}
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	return sum / float64(len(vals))
}

// flavorName is the name of a fake flavor.
func flavorName(id string) string {
	for _, f := range Flavors {
		if f.ID == id {
			return f.Name
		}
	}
	return ""
}

// parseGnocchiTime reads a start or stop: RFC 3339, with or without a
// zone (UTC), or a Unix timestamp.
func parseGnocchiTime(v string) (time.Time, error) {
	v, _ = url.QueryUnescape(v)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04:05.999999"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	var sec float64
	if _, err := fmt.Sscanf(v, "%g", &sec); err == nil {
		return time.Unix(int64(sec), 0).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unreadable time %q", v)
}
