package openstacktest

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The fake Gnocchi (the catalog's "metric" endpoint, /metric/v1) serves
// what Ceilometer keeps for every server: an instance resource under the
// server's id, created by Ceilometer's service user and owned by the
// server's user and project, with the metrics "cpu" (cumulative
// nanoseconds, archive policy ceilometer-low-rate), "vcpus" and
// "memory.usage" (MB, ceilometer-low). Their raw measures are computed
// from the server's creation time, one every RawInterval, so nothing
// needs storing: in each minute a CPU load of 10-30 % of the flavor's
// vCPUs (CPULoad) and three memory measures Spread around MemoryUsage.
// Measures are aggregated per period as Gnocchi does: mean, min and max
// of the raw values, and rate:X of the differences between consecutive
// ones. The policies are Ceilometer's (five-minute periods for 30 days,
// CeilometerLow) unless SetArchiveDefinition says otherwise; the period
// still filling is included. Bodies follow Gnocchi 4.4.2's answers (with
// Accept: application/json) on the live stack (live/run.sh), errors
// included: granularities and values are Python floats (300.0).

// RawInterval is how often the fake's Ceilometer measures.
const RawInterval = 20 * time.Second

// Spread is how far the lowest and highest of a minute's three memory
// measures lie from its mean, as a share of it.
const Spread = 0.05

// ArchiveDefinition is one granularity of an archive policy and how long
// its periods are kept.
type ArchiveDefinition struct{ Granularity, Timespan time.Duration }

// CeilometerLow is the definition of Ceilometer's policies ceilometer-low
// and ceilometer-low-rate (its gnocchi_resources.yaml), the fake's default.
var CeilometerLow = []ArchiveDefinition{{5 * time.Minute, 30 * 24 * time.Hour}}

// CeilometerHigh is the definition of Ceilometer's ceilometer-high and
// ceilometer-high-rate.
var CeilometerHigh = []ArchiveDefinition{{time.Second, time.Hour}, {time.Minute, 24 * time.Hour}, {time.Hour, 365 * 24 * time.Hour}}

// SetArchiveDefinition sets the granularities of the fake's policies, as
// an operator may define them (default CeilometerLow).
func (c *Cloud) SetArchiveDefinition(defs ...ArchiveDefinition) {
	c.mu.Lock()
	c.archiveDefs = slices.Clone(defs)
	c.mu.Unlock()
}

// archiveDefinition is the policies' definition, finest first; c.mu is
// held.
func (c *Cloud) archiveDefinition() []ArchiveDefinition {
	defs := slices.Clone(c.archiveDefs)
	if len(defs) == 0 {
		defs = slices.Clone(CeilometerLow)
	}
	slices.SortFunc(defs, func(a, b ArchiveDefinition) int { return cmp.Compare(a.Granularity, b.Granularity) })
	return defs
}

// The identity Ceilometer creates resources as: its service user in the
// service project.
const (
	ceilometerUserID = "0c5b9f3e2d1a4e6f8a7b6c5d4e3f2a1b"
	serviceProjectID = "5a4b3c2d1e0f4a9b8c7d6e5f4a3b2c1d"
)

// pyFloat is v as Python's json writes a float: 300.0, 1e+16.
func pyFloat(v float64) json.RawMessage {
	if a := math.Abs(v); a != 0 && (a >= 1e16 || a < 1e-4) {
		return json.RawMessage(strconv.FormatFloat(v, 'e', -1, 64))
	}
	f := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.Contains(f, ".") {
		f += ".0"
	}
	return json.RawMessage(f)
}

// pyTimedelta is d as Python's str(timedelta): "0:05:00", "1 day,
// 0:00:00", "30 days, 0:00:00".
func pyTimedelta(d time.Duration) string {
	days, rest := int(d/(24*time.Hour)), d%(24*time.Hour)
	hms := fmt.Sprintf("%d:%02d:%02d", int(rest/time.Hour), int(rest%time.Hour/time.Minute), int(rest%time.Minute/time.Second))
	switch days {
	case 0:
		return hms
	case 1:
		return "1 day, " + hms
	}
	return fmt.Sprintf("%d days, %s", days, hms)
}

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
	body := gnocchiResourceBody(s)
	body["display_name"], body["flavor_id"], body["flavor_name"], body["image_ref"] = s.name, s.flavor, flavorName(s.flavor), s.image
	body["host"], body["server_group"], body["launched_at"], body["created_at"], body["deleted_at"] = "compute-1", nil, nil, nil, nil
	body["availability_zone"] = s.zone
	body["metrics"] = metrics
	modified := s.created.UTC().Format(http.TimeFormat)
	c.mu.Unlock()
	// Gnocchi's validators of a resource.
	h := sha256.Sum256([]byte(id + body["revision_start"].(string)))
	w.Header().Set("ETag", fmt.Sprintf(`"%x"`, h[:20]))
	w.Header().Set("Last-Modified", modified)
	writeJSON(w, http.StatusOK, body)
}

// gnocchiResourceBody is the generic part of a server's resource, as a
// metric embeds it; c.mu is held.
func gnocchiResourceBody(s *server) map[string]any {
	return map[string]any{"id": s.id, "type": "instance", "original_resource_id": s.id, "project_id": ProjectID,
		"user_id": UserID, "created_by_project_id": serviceProjectID, "created_by_user_id": ceilometerUserID,
		"creator": ceilometerUserID + ":" + serviceProjectID, "started_at": s.created.UTC().Format("2006-01-02T15:04:05+00:00"),
		"revision_start": s.created.UTC().Format("2006-01-02T15:04:05.000000+00:00"), "ended_at": nil, "revision_end": nil}
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
	defs := c.archiveDefinition()
	resource := gnocchiResourceBody(s)
	c.mu.Unlock()
	var def []map[string]any
	for _, d := range defs {
		def = append(def, map[string]any{"granularity": pyTimedelta(d.Granularity), "points": int(d.Timespan / d.Granularity),
			"timespan": pyTimedelta(d.Timespan)})
	}
	unit := map[string]any{"cpu": "ns", "vcpus": "vcpu", "memory.usage": "MB"}[name]
	writeJSON(w, http.StatusOK, map[string]any{"id": id, "name": name, "unit": unit, "resource": resource,
		"creator": ceilometerUserID + ":" + serviceProjectID, "created_by_project_id": serviceProjectID, "created_by_user_id": ceilometerUserID,
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
	defs := c.archiveDefinition()
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
	// Coarsest granularity first, each ascending, as Gnocchi answers; a
	// granularity keeps its newest timespan/granularity periods.
	for i := len(defs) - 1; i >= 0; i-- {
		g, points := defs[i].Granularity, int(defs[i].Timespan/defs[i].Granularity)
		var periods [][]any
		var bucket []float64
		var at time.Time
		flush := func() {
			if len(bucket) > 0 {
				periods = append(periods, []any{at.Format("2006-01-02T15:04:05+00:00"), pyFloat(g.Seconds()), pyFloat(aggregate(method, bucket))})
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
		if len(periods) > 0 {
			last, _ := time.Parse(time.RFC3339, periods[len(periods)-1][0].(string))
			oldest := last.Add(-time.Duration(points-1) * g)
			periods = slices.DeleteFunc(periods, func(p []any) bool {
				t, _ := time.Parse(time.RFC3339, p[0].(string))
				return t.Before(oldest)
			})
		}
		out = append(out, periods...)
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
