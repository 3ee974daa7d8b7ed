package openstack_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gcopenstack "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"
	"github.com/gophercloud/gophercloud/v2/openstack/identity/v3/tokens"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/openstack"
)

// TestLive runs the conformance suite against a real OpenStack, the
// profiles' figures read from Nova's flavors with gophercloud itself. It runs
// only with DELTACLOUD_OPENSTACK_LIVE=1 and the cloud in the environment
// (openstacktest/live/run.sh starts a loopback Zed cloud and sets them):
//
//	DELTACLOUD_OPENSTACK_URL       the Keystone v3 endpoint
//	DELTACLOUD_OPENSTACK_USER      user name
//	DELTACLOUD_OPENSTACK_PASSWORD  password
//	DELTACLOUD_OPENSTACK_PROJECT   project name
//	DELTACLOUD_OPENSTACK_IMAGE     image id to boot (default: the first listed)
//	DELTACLOUD_OPENSTACK_FLAVOR    flavor id (default: the smallest)
//	DELTACLOUD_OPENSTACK_NETWORK   the network option (default "auto")
//	DELTACLOUD_OPENSTACK_CINDER    "1" when the cloud has Cinder (run.sh's has,
//	                               unless CINDER=0): otherwise the cinder
//	                               option is off and the volume and snapshot
//	                               groups skip
//	DELTACLOUD_OPENSTACK_SWIFT     "1" when the cloud has Swift (run.sh's has,
//	                               unless SWIFT=0): otherwise the
//	                               swift option is off and the bucket and blob
//	                               groups skip
//	DELTACLOUD_OPENSTACK_GNOCCHI   "1" when the cloud has Gnocchi with
//	                               Ceilometer's archive policies and instance
//	                               resource type (run.sh's has, unless
//	                               GNOCCHI=0): the telemetry option is then
//	                               gnocchi; otherwise it is unset and the
//	                               metric group skips
func TestLive(t *testing.T) {
	cfg := liveConfig(t)
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "openstack", cfg)
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			bad := cfg
			bad.Credentials.Password = "wrong-" + cfg.Credentials.Password
			return deltacloud.Open(ctx, "openstack", bad)
		},
		Spec:        deltacloud.InstanceSpec{ImageID: os.Getenv("DELTACLOUD_OPENSTACK_IMAGE"), ProfileID: os.Getenv("DELTACLOUD_OPENSTACK_FLAVOR")},
		WaitTimeout: 3 * time.Minute,
		ProfileFigures: func(ctx context.Context, t *testing.T) map[string]drivertest.ProfileFigure {
			// Nova's RAM is in MiB, its disk in GB that are GiB.
			out := map[string]drivertest.ProfileFigure{}
			for _, f := range liveFlavors(ctx, t, cfg) {
				out[f.ID] = drivertest.ProfileFigure{CPU: f.VCPUs, Memory: strconv.Itoa(f.RAM), MemoryUnit: deltacloud.MiB,
					Storage: strconv.Itoa(f.Disk), StorageUnit: deltacloud.GiB, StorageGB: deltacloud.GiB}
			}
			return out
		},
	})
}

// liveConfig is the driver's configuration for the live cloud of TestLive's
// environment; the test skips without DELTACLOUD_OPENSTACK_LIVE=1.
func liveConfig(t *testing.T) deltacloud.Config {
	t.Helper()
	if os.Getenv("DELTACLOUD_OPENSTACK_LIVE") != "1" {
		t.Skip("DELTACLOUD_OPENSTACK_LIVE is not 1; no live OpenStack test (see openstacktest/live/run.sh)")
	}
	env := func(k string) string {
		v := os.Getenv(k)
		if v == "" {
			t.Fatalf("%s is not set", k)
		}
		return v
	}
	opts := map[string]string{"project": env("DELTACLOUD_OPENSTACK_PROJECT")}
	if n := os.Getenv("DELTACLOUD_OPENSTACK_NETWORK"); n != "" {
		opts["network"] = n
	}
	if os.Getenv("DELTACLOUD_OPENSTACK_CINDER") != "1" {
		opts["cinder"] = "off"
	}
	if os.Getenv("DELTACLOUD_OPENSTACK_SWIFT") != "1" {
		opts["swift"] = "off"
	}
	if os.Getenv("DELTACLOUD_OPENSTACK_GNOCCHI") == "1" {
		opts["telemetry"] = "gnocchi"
	}
	// 1 MiB segments: the suite's large blobs become static large objects.
	opts["segment_size"] = "1048576"
	return deltacloud.Config{Provider: env("DELTACLOUD_OPENSTACK_URL"), Options: opts,
		Credentials:  deltacloud.Credentials{User: env("DELTACLOUD_OPENSTACK_USER"), Password: env("DELTACLOUD_OPENSTACK_PASSWORD")},
		PollInterval: 500 * time.Millisecond, MaxPollInterval: 5 * time.Second}
}

// liveAuth authenticates with gophercloud, not the driver, as user in
// project (both of the Default domain).
func liveAuth(ctx context.Context, t *testing.T, endpoint, user, password, project string) *gophercloud.ProviderClient {
	t.Helper()
	pc, err := gcopenstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: endpoint,
		Username: user, Password: password, DomainName: "Default",
		Scope: &gophercloud.AuthScope{ProjectName: project, DomainName: "Default"}})
	if err != nil {
		t.Fatalf("gophercloud authentication as %s: %v", user, err)
	}
	return pc
}

// liveFlavors reads the cloud's flavors with gophercloud, not the driver.
func liveFlavors(ctx context.Context, t *testing.T, cfg deltacloud.Config) []flavors.Flavor {
	t.Helper()
	pc := liveAuth(ctx, t, cfg.Provider, cfg.Credentials.User, cfg.Credentials.Password, cfg.Options["project"])
	compute, err := gcopenstack.NewComputeV2(pc, gophercloud.EndpointOpts{})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := flavors.ListDetail(compute, nil).AllPages(ctx)
	if err != nil {
		t.Fatalf("flavors: %v", err)
	}
	list, err := flavors.ExtractFlavors(pages)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// TestLiveMetricValues checks metric values end to end against the live
// Gnocchi (DELTACLOUD_OPENSTACK_GNOCCHI=1, besides TestLive's environment).
// It creates a server through the driver, then plays Ceilometer: as the
// service user of
//
//	DELTACLOUD_OPENSTACK_CEILOMETER_USER      (default: the test's user)
//	DELTACLOUD_OPENSTACK_CEILOMETER_PASSWORD
//	DELTACLOUD_OPENSTACK_CEILOMETER_PROJECT
//
// it creates the server's instance resource, owned by the test's user and
// project, with Ceilometer's metrics cpu (ceilometer-low-rate) and
// memory.usage (ceilometer-low), and posts a measure a minute for seven
// whole periods of the policies' finest granularity (Ceilometer's five
// minutes), ending where the current period starts: cpu growing by a
// fixed number of nanoseconds a minute, memory.usage varying. Once
// gnocchi-metricd has aggregated them, the driver's Metric must give, for
// every complete period, the CPU share the growth makes of the flavor's
// vCPUs (growth ÷ (60 s × 1e9 × vCPUs) × 100, from the second period on)
// and each period's memory mean (its minimum and maximum too, as the
// policy keeps means only). The flavor is the suite's, or when that has a
// single vCPU the smallest with more, so that the division by the vCPUs
// shows. The server and the resource are deleted at the end.
func TestLiveMetricValues(t *testing.T) {
	cfg := liveConfig(t)
	if os.Getenv("DELTACLOUD_OPENSTACK_GNOCCHI") != "1" {
		t.Skip("DELTACLOUD_OPENSTACK_GNOCCHI is not 1; the cloud has no Gnocchi to check")
	}
	ctx := t.Context()

	flavor, flavorName := os.Getenv("DELTACLOUD_OPENSTACK_FLAVOR"), ""
	var vcpus int
	list := liveFlavors(ctx, t, cfg)
	slices.SortFunc(list, func(a, b flavors.Flavor) int { return cmp.Or(a.VCPUs-b.VCPUs, a.RAM-b.RAM, a.Disk-b.Disk) })
	for _, f := range list {
		if f.ID == flavor || flavor == "" {
			flavor, flavorName, vcpus = f.ID, f.Name, f.VCPUs
			break
		}
	}
	if vcpus < 2 {
		if i := slices.IndexFunc(list, func(f flavors.Flavor) bool { return f.VCPUs > 1 }); i >= 0 {
			flavor, flavorName, vcpus = list[i].ID, list[i].Name, list[i].VCPUs
		}
	}
	if vcpus == 0 {
		t.Fatalf("flavor %q is not listed", flavor)
	}
	t.Logf("flavor %s with %d vCPUs", flavor, vcpus)

	p, err := deltacloud.Open(ctx, "openstack", cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() }) // after the server's destruction
	image := os.Getenv("DELTACLOUD_OPENSTACK_IMAGE")
	if image == "" {
		imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
		if err != nil || len(imgs) == 0 {
			t.Fatalf("Images: %d images, %v", len(imgs), err)
		}
		image = imgs[0].ID
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: image, ProfileID: flavor, Name: "deltacloud-metric-values"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		if err := p.Destroy(ctx, in.ID); err != nil && !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("destroying server %s: %v", in.ID, err)
		}
	})
	if in, err = p.WaitFor(ctx, in.ID, deltacloud.StateRunning); err != nil {
		t.Fatal(err)
	}

	// The owner of the resource: the test's user and project.
	owner := liveAuth(ctx, t, cfg.Provider, cfg.Credentials.User, cfg.Credentials.Password, cfg.Options["project"])
	auth, ok := owner.GetAuthResult().(tokens.CreateResult)
	if !ok {
		t.Fatalf("authentication result %T is no Keystone v3 token", owner.GetAuthResult())
	}
	user, err := auth.ExtractUser()
	if err != nil {
		t.Fatal(err)
	}
	project, err := auth.ExtractProject()
	if err != nil {
		t.Fatal(err)
	}
	ceilometer := owner
	if u := os.Getenv("DELTACLOUD_OPENSTACK_CEILOMETER_USER"); u != "" {
		ceilometer = liveAuth(ctx, t, cfg.Provider, u, os.Getenv("DELTACLOUD_OPENSTACK_CEILOMETER_PASSWORD"),
			os.Getenv("DELTACLOUD_OPENSTACK_CEILOMETER_PROJECT"))
	}
	eo := gophercloud.EndpointOpts{}
	eo.ApplyDefaults("metric")
	endpoint, err := ceilometer.EndpointLocator(eo)
	if err != nil {
		t.Fatalf("the catalog's metric endpoint: %v", err)
	}
	gnocchi := func(ctx context.Context, method, path string, body, out any, want int) error {
		var r io.Reader
		if body != nil {
			b, err := json.Marshal(body)
			if err != nil {
				return err
			}
			r = bytes.NewReader(b)
		}
		req, err := http.NewRequestWithContext(ctx, method, gophercloud.NormalizeURL(endpoint)+"v1/"+path, r)
		if err != nil {
			return err
		}
		req.Header.Set("X-Auth-Token", ceilometer.Token())
		if method != http.MethodDelete {
			// Gnocchi's errors are JSON only when asked for; its 204s
			// are 406 Not Acceptable then.
			req.Header.Set("Accept", "application/json")
		}
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			return err
		}
		if resp.StatusCode != want {
			return fmt.Errorf("%s %s: %s, want %d: %s", method, path, resp.Status, want, b)
		}
		if out != nil {
			return json.Unmarshal(b, out)
		}
		return nil
	}

	var res struct {
		Metrics map[string]string `json:"metrics"`
	}
	err = gnocchi(ctx, http.MethodPost, "resource/instance", map[string]any{
		"id": in.ID, "user_id": user.ID, "project_id": project.ID, "display_name": in.Name,
		"flavor_id": flavor, "flavor_name": flavorName, "host": "host-ovs-filter-active", "image_ref": in.ImageID,
		"started_at": time.Now().UTC().Format(time.RFC3339),
		"metrics": map[string]any{
			"cpu":          map[string]string{"archive_policy_name": "ceilometer-low-rate", "unit": "ns"},
			"memory.usage": map[string]string{"archive_policy_name": "ceilometer-low", "unit": "MB"},
		}}, &res, http.StatusCreated)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := gnocchi(ctx, http.MethodDelete, "resource/instance/"+in.ID, nil, nil, http.StatusNoContent); err != nil {
			t.Error(err)
		}
	})
	cpuID, memID := res.Metrics["cpu"], res.Metrics["memory.usage"]
	if cpuID == "" || memID == "" {
		t.Fatalf("the resource's metrics are %v", res.Metrics)
	}

	// The finest granularity of cpu's policy (ceilometer-low-rate).
	var metric struct {
		ArchivePolicy struct {
			Definition []struct {
				Granularity string `json:"granularity"`
			} `json:"definition"`
		} `json:"archive_policy"`
	}
	if err := gnocchi(ctx, http.MethodGet, "metric/"+cpuID, nil, &metric, http.StatusOK); err != nil {
		t.Fatal(err)
	}
	var period time.Duration
	for _, d := range metric.ArchivePolicy.Definition {
		g, err := gnocchiTimespan(d.Granularity)
		if err != nil {
			t.Fatal(err)
		}
		if period == 0 || g < period {
			period = g
		}
	}
	const step = time.Minute
	if period < step || period%step != 0 {
		t.Fatalf("the policy's finest granularity is %v; the test measures every minute", period)
	}

	// Seven whole periods, a measure a minute, before the current period.
	const periods = 7
	perPeriod := int(period / step)
	growth := 0.37 * step.Seconds() * 1e9 * float64(vcpus) // 37 % of the vCPUs
	first := time.Now().UTC().Truncate(period).Add(-periods * period)
	type measure struct {
		Timestamp string  `json:"timestamp"`
		Value     float64 `json:"value"`
	}
	var cpu, mem []measure
	memMeans := make([]float64, periods)
	for i := range periods * perPeriod {
		ts := first.Add(time.Duration(i) * step).Format(time.RFC3339)
		m := 200 + float64(i*37%23) + float64(i/perPeriod*16)
		cpu = append(cpu, measure{ts, 4e12 + float64(i)*growth})
		mem = append(mem, measure{ts, m})
		memMeans[i/perPeriod] += m / float64(perPeriod)
	}
	for id, ms := range map[string][]measure{cpuID: cpu, memID: mem} {
		if err := gnocchi(ctx, http.MethodPost, "metric/"+id+"/measures", ms, nil, http.StatusAccepted); err != nil {
			t.Fatal(err)
		}
	}

	// gnocchi-metricd aggregates them within seconds.
	var m *deltacloud.Metric
	deadline := time.Now().Add(3 * time.Minute)
	for {
		if m, err = p.Metric(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, prop := range m.Properties {
			counts[prop.Name] = len(prop.Samples)
		}
		if counts[openstack.PropertyCPU] >= periods-1 && counts[openstack.PropertyMemory] >= periods {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 3 minutes the metric has %v samples, want %d of CPU and %d of memory", counts, periods-1, periods)
		}
		time.Sleep(2 * time.Second)
	}

	if m.ID != in.ID || m.Entity != in.Name {
		t.Errorf("Metric(%s) has id %q and entity %q, want the server's id and name %q", in.ID, m.ID, m.Entity, in.Name)
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Abs(b) }
	wantCPU := growth / (step.Seconds() * 1e9 * float64(vcpus)) * 100
	for _, prop := range m.Properties {
		var want []deltacloud.MetricSample
		switch prop.Name {
		case openstack.PropertyCPU:
			for k := 1; k < periods; k++ {
				want = append(want, deltacloud.MetricSample{Timestamp: first.Add(time.Duration(k) * period),
					Average: wantCPU, Minimum: wantCPU, Maximum: wantCPU, Unit: "Percent"})
			}
		case openstack.PropertyMemory:
			for k := range periods {
				v := memMeans[k]
				want = append(want, deltacloud.MetricSample{Timestamp: first.Add(time.Duration(k) * period),
					Average: v, Minimum: v, Maximum: v, Unit: "Megabytes"})
			}
		default:
			t.Errorf("unexpected property %s", prop.Name)
			continue
		}
		t.Logf("%s: %d samples from %v, the first %+v", prop.Name, len(prop.Samples), first, prop.Samples[:min(1, len(prop.Samples))])
		if len(prop.Samples) != len(want) {
			t.Errorf("%s has %d samples, want %d: %+v", prop.Name, len(prop.Samples), len(want), prop.Samples)
			continue
		}
		for i, got := range prop.Samples {
			w := want[i]
			if !got.Timestamp.Equal(w.Timestamp) || got.Unit != w.Unit || !near(got.Average, w.Average) ||
				!near(got.Minimum, w.Minimum) || !near(got.Maximum, w.Maximum) {
				t.Errorf("%s sample %d = %+v, want %+v", prop.Name, i, got, w)
			}
		}
	}
}

// gnocchiTimespan reads a granularity as Gnocchi writes it: "0:05:00",
// "1 day, 0:00:00".
func gnocchiTimespan(s string) (time.Duration, error) {
	var d time.Duration
	if days, rest, ok := strings.Cut(s, ", "); ok {
		n, err := strconv.Atoi(strings.Fields(days)[0])
		if err != nil {
			return 0, fmt.Errorf("granularity %q: %v", s, err)
		}
		d, s = time.Duration(n)*24*time.Hour, rest
	}
	var h, m int
	var sec float64
	if _, err := fmt.Sscanf(s, "%d:%d:%g", &h, &m, &sec); err != nil {
		return 0, fmt.Errorf("granularity %q: %v", s, err)
	}
	return d + time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(sec*float64(time.Second)), nil
}
