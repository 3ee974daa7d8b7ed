package openstack_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"

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
// policy keeps them. The policies keep minutes for a day and hours for
// 30 days; samples are complete one-minute periods.
func TestMetricValues(t *testing.T) {
	cases := []struct {
		name    string
		methods []string
		minMax  bool
	}{
		{"ceilometer methods", nil, false},
		{"policies keeping min and max", []string{"mean", "min", "max", "rate:mean"}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, p := openFake(t, "telemetry", "gnocchi")
			c.SetArchiveDefinition(openstacktest.ArchiveDefinition{Granularity: time.Minute, Timespan: 24 * time.Hour},
				openstacktest.ArchiveDefinition{Granularity: time.Hour, Timespan: 30 * 24 * time.Hour})
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

// TestMetricCeilometerPolicies reads a server's metric under Ceilometer's
// own policies, the fake's default (five-minute periods; CeilometerHigh's
// finest are seconds): samples are the complete periods, the CPU share
// between consecutive periods, whose data both cover, lies within the
// fake's load of 10-30 % and the memory within its 256-264 MB (± Spread
// for one measure).
func TestMetricCeilometerPolicies(t *testing.T) {
	for _, tc := range []struct {
		name   string
		defs   []openstacktest.ArchiveDefinition
		period time.Duration
	}{
		{"ceilometer-low", nil, 5 * time.Minute},
		{"ceilometer-high", openstacktest.CeilometerHigh, time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, p := openFake(t, "telemetry", "gnocchi")
			if tc.defs != nil {
				c.SetArchiveDefinition(tc.defs...)
			}
			ctx := t.Context()
			in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "3"})
			if err != nil {
				t.Fatal(err)
			}
			c.Backdate(in.ID, 40*time.Minute)
			created := time.Now().Add(-40 * time.Minute).Truncate(time.Minute)
			m, err := p.Metric(ctx, in.ID)
			if err != nil {
				t.Fatal(err)
			}
			before := time.Now()
			// Raw measures every 20 s: a one-second period holds one.
			perHour := 40 * time.Minute / max(tc.period, openstacktest.RawInterval)
			for _, prop := range m.Properties {
				if n := time.Duration(len(prop.Samples)); n < perHour-3 || n > perHour+3 {
					t.Errorf("%s has %d samples of %v; 40 minutes have about %d", prop.Name, n, tc.period, perHour)
				}
				for _, smp := range prop.Samples {
					if smp.Timestamp.Truncate(tc.period) != smp.Timestamp || smp.Timestamp.Add(tc.period).After(before) {
						t.Errorf("%s sample at %v is not a complete %v period", prop.Name, smp.Timestamp, tc.period)
					}
					lo, hi := 256*(1-openstacktest.Spread), 264*(1+openstacktest.Spread) // one measure a second
					if prop.Name == openstack.PropertyCPU {
						if smp.Timestamp.Add(-tc.period).Before(created) {
							continue // the growth from a period the server lived part of
						}
						lo, hi = 10, 30
					}
					if smp.Average < lo-1e-9 || smp.Average > hi+1e-9 || smp.Minimum != smp.Average || smp.Maximum != smp.Average {
						t.Errorf("%s at %v = %+v, want an average in [%g, %g], min and max equal to it", prop.Name, smp.Timestamp, smp, lo, hi)
					}
				}
			}
		})
	}
}

// TestFakeGnocchiAnswers: the fake Gnocchi answers as Gnocchi 4.4.2 did
// on the live stack (live/run.sh): Ceilometer's policy (one five-minute
// granularity kept 30 days, as Python's timedelta writes them),
// granularities and values as Python floats, the resource created by
// Ceilometer's service user for the server's user and project, with ETag
// and Last-Modified, and keystonemiddleware's and Keystone's 401s with
// WWW-Authenticate.
func TestFakeGnocchiAnswers(t *testing.T) {
	c, p := openFake(t, "telemetry", "gnocchi")
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	c.Backdate(in.ID, 20*time.Minute)
	if _, err := p.Metric(ctx, in.ID); err != nil { // authenticates
		t.Fatal(err)
	}
	var pc *gophercloud.ProviderClient
	if !p.As(&pc) {
		t.Fatal("no ProviderClient")
	}
	base := strings.TrimSuffix(c.URL, "/identity/v3") + "/metric/v1/"
	get := func(path, token string, want int, v any) http.Header {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Auth-Token", token)
		req.Header.Set("Accept", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != want {
			t.Fatalf("GET %s: %s, want %d: %s", path, resp.Status, want, b)
		}
		if v != nil {
			if err := json.Unmarshal(b, v); err != nil {
				t.Fatalf("GET %s: %v: %s", path, err, b)
			}
		}
		return resp.Header
	}

	var res map[string]any
	h := get("resource/instance/"+in.ID, pc.Token(), http.StatusOK, &res)
	if h.Get("ETag") == "" || h.Get("Last-Modified") == "" {
		t.Errorf("resource headers %v lack ETag or Last-Modified", h)
	}
	if res["user_id"] != openstacktest.UserID || res["project_id"] != openstacktest.ProjectID {
		t.Errorf("resource owner %v/%v, want the server's %s/%s", res["user_id"], res["project_id"], openstacktest.UserID, openstacktest.ProjectID)
	}
	if res["created_by_user_id"] == openstacktest.UserID || res["created_by_project_id"] == openstacktest.ProjectID ||
		res["creator"] != fmt.Sprint(res["created_by_user_id"], ":", res["created_by_project_id"]) {
		t.Errorf("resource creator %v (%v, %v): Ceilometer's service user creates it", res["creator"], res["created_by_user_id"], res["created_by_project_id"])
	}
	if res["server_group"] != nil {
		t.Errorf("server_group = %v, want null (Ceilometer reads it from user metadata)", res["server_group"])
	}
	metrics, _ := res["metrics"].(map[string]any)
	cpu, _ := metrics["cpu"].(string)

	var metric struct {
		Resource      map[string]any `json:"resource"`
		ArchivePolicy struct {
			Name       string           `json:"name"`
			Definition []map[string]any `json:"definition"`
		} `json:"archive_policy"`
	}
	get("metric/"+cpu, pc.Token(), http.StatusOK, &metric)
	want := []map[string]any{{"granularity": "0:05:00", "points": 8640.0, "timespan": "30 days, 0:00:00"}}
	if metric.ArchivePolicy.Name != "ceilometer-low-rate" || !reflect.DeepEqual(metric.ArchivePolicy.Definition, want) {
		t.Errorf("cpu's policy %s %v, want ceilometer-low-rate %v", metric.ArchivePolicy.Name, metric.ArchivePolicy.Definition, want)
	}
	if _, ok := metric.Resource["revision_start"]; !ok {
		t.Errorf("the metric's resource %v has no revision_start", metric.Resource)
	}

	// [timestamp, 300.0, value]: Python floats, which a Go int cannot take.
	var raw [][]json.RawMessage
	get("metric/"+cpu+"/measures?aggregation=mean", pc.Token(), http.StatusOK, &raw)
	if len(raw) < 4 {
		t.Fatalf("%d measures of 20 minutes, want 4 or 5", len(raw))
	}
	for _, m := range raw {
		if len(m) != 3 || string(m[1]) != "300.0" || !strings.ContainsAny(string(m[2]), ".e") {
			t.Errorf("measure %s, want [timestamp, 300.0, a float]", m)
		}
	}

	h = get("metric/"+cpu, "no-such-token", http.StatusUnauthorized, nil)
	if got := h.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Keystone uri=") {
		t.Errorf("401 WWW-Authenticate %q, want keystonemiddleware's Keystone uri=…", got)
	}
	// Keystone's own 401 names its v3 endpoint.
	body := `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "demo", "domain": {"name": "Default"}, "password": "wrong"}}}}}`
	resp, err := http.Post(c.URL+"/auth/tokens", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got, want := resp.Header.Get("WWW-Authenticate"), `Keystone uri="`+c.URL+`"`; resp.StatusCode != http.StatusUnauthorized || got != want {
		t.Errorf("bad password: %s, WWW-Authenticate %q; want 401, %q", resp.Status, got, want)
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
