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
// ceilometer-low), and their measures, computed from the server's
// creation time so nothing needs storing: each minute since, a CPU load
// of 10-30 % of the flavor's vCPUs and 256-263 MB of memory, as three
// measures Spread apart. Policies keep
// 60-second points for a day and hourly points for 30 days.

// Spread is how far the lowest and highest of a minute's three measures
// lie from its mean, as a share of it.
const Spread = 0.05

// GnocchiGranularities are the fake policies' granularities, finest first.
var GnocchiGranularities = []time.Duration{time.Minute, time.Hour}

// SetTelemetry sets whether tokens issued later list Gnocchi (metric) in
// their catalog (default true).
func (c *Cloud) SetTelemetry(on bool) { c.mu.Lock(); c.noGnocchi = !on; c.mu.Unlock() }

// SetArchiveMethods sets the aggregation methods the fake's archive
// policies keep; the default is Ceilometer's: "mean" (ceilometer-low) and
// "mean", "rate:mean" (ceilometer-low-rate). Names starting "rate:" go to
// the rate policy only.
func (c *Cloud) SetArchiveMethods(methods ...string) {
	c.mu.Lock()
	c.archiveMethods = slices.Clone(methods)
	c.mu.Unlock()
}

// CPULoad is the fake's CPU load, as a share of the vCPUs, in the minute
// starting at t for server id; MemoryUsage its memory.usage in MB.
func CPULoad(id string, t time.Time) float64 { return 0.1 + 0.2*noise(id, "cpu", t) }

// MemoryUsage is the fake's memory.usage of server id in the minute at t.
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

// gnocchiError answers Gnocchi's error body.
func gnocchiError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]any{"code": status, "description": fmt.Sprintf(format, args...), "title": http.StatusText(status)})
}

// serveGnocchi routes /metric/v1/…; c.mu is not held.
func (c *Cloud) serveGnocchi(w http.ResponseWriter, r *http.Request, path string) {
	if r.Method != http.MethodGet {
		gnocchiError(w, http.StatusMethodNotAllowed, "The method %s is not allowed for this resource.", r.Method)
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
		gnocchiError(w, http.StatusNotFound, "Resource %s does not exist", id)
		return
	}
	metrics := map[string]string{}
	for _, n := range gnocchiMetricNames {
		metrics[n] = gnocchiMetricID(id, n)
	}
	body := map[string]any{"id": id, "type": "instance", "original_resource_id": id, "project_id": ProjectID,
		"user_id": UserID, "created_by_project_id": ProjectID, "created_by_user_id": UserID,
		"creator": UserID + ":" + ProjectID, "started_at": s.created.UTC().Format("2006-01-02T15:04:05.000000+00:00"),
		"revision_start": s.created.UTC().Format("2006-01-02T15:04:05.000000+00:00"), "ended_at": nil, "revision_end": nil,
		"display_name": s.name, "flavor_id": s.flavor, "image_ref": s.image, "host": "compute-1", "server_group": nil,
		"metrics": metrics}
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
		methods = []string{"mean", "rate:mean"}
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
		gnocchiError(w, http.StatusNotFound, "Metric %s does not exist", id)
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
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "name": name, "unit": unit, "resource_id": s.id,
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
		gnocchiError(w, http.StatusNotFound, "Metric %s does not exist", id)
		return
	}
	start := created
	if v := q.Get("start"); v != "" {
		t, err := parseGnocchiTime(v)
		if err != nil {
			gnocchiError(w, http.StatusBadRequest, "Invalid input: Unable to parse `start': %s", v)
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
		gnocchiError(w, http.StatusNotFound, "Aggregation method '%s' for metric %s does not exist", agg, id)
		return
	}
	now := time.Now().UTC()
	out := [][]any{}
	for _, g := range GnocchiGranularities {
		for t := start.Truncate(g); !t.After(now); t = t.Add(g) {
			v, ok := gnocchiValue(s.id, name, strings.TrimPrefix(agg, "rate:"), strings.HasPrefix(agg, "rate:"), t, g, vcpus, created, now)
			if ok {
				out = append(out, []any{t.Format("2006-01-02T15:04:05+00:00"), g.Seconds(), v})
			}
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// gnocchiValue aggregates a series over the period [t, t+g) from its
// per-minute values; ok is false before the server existed.
func gnocchiValue(id, name, method string, rate bool, t time.Time, g time.Duration, vcpus int, created, now time.Time) (float64, bool) {
	var vals []float64
	for m := t; m.Before(t.Add(g)) && !m.After(now); m = m.Add(time.Minute) {
		if m.Add(time.Minute).Before(created) {
			continue
		}
		var x float64
		switch {
		case name == "cpu" && rate:
			x = CPULoad(id, m) * 60e9 * float64(vcpus) * g.Minutes()
		case name == "cpu":
			x = CPULoad(id, m) * 60e9 * float64(vcpus) // not cumulative: enough for a fake
		case name == "vcpus":
			x = float64(vcpus)
		default:
			x = MemoryUsage(id, m)
		}
		// Three measures a minute, 5 % apart: the minute's mean is x.
		vals = append(vals, x*(1-Spread), x, x*(1+Spread))
	}
	if len(vals) == 0 {
		return 0, false
	}
	switch method {
	case "min":
		return slices.Min(vals), true
	case "max":
		return slices.Max(vals), true
	}
	sum := 0.0
	for _, v := range vals {
		sum += v
	}
	return sum / float64(len(vals)), true
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
