package hetzner_test

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner/hetznertest"
)

// ubuntu is the fake's x86 Ubuntu image, and ubuntuARM its arm twin.
const (
	ubuntu    = "100"
	ubuntuARM = "101"
)

func create(t *testing.T, p *deltacloud.Provider, spec deltacloud.InstanceSpec) *deltacloud.Instance {
	t.Helper()
	if spec.ImageID == "" {
		spec.ImageID = ubuntu
	}
	in, err := p.CreateInstance(t.Context(), spec)
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	return in
}

// TestCreate: a create waits for the create action and answers the server
// running, named as asked (with the driver's suffix on the server), with
// the smallest type of the image's architecture offered in the provider's
// location, the ownership and name labels and the tags, the root password
// once, and the addresses.
func TestCreate(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	in := create(t, p, deltacloud.InstanceSpec{Name: "web", UserData: []byte("#cloud-config\n"),
		Tags: map[string]string{"team": "blue", "tier": "front"}})
	if in.State != deltacloud.StateRunning || in.Name != "web" || in.RealmID != hetzner.DefaultLocation || in.Profile.ID != "cpx11" {
		t.Errorf("created %+v, want web running in fsn1 on cpx11", in)
	}
	if a := in.Authentication; a == nil || a.Method != "password" || a.Username != "root" || a.Password == "" {
		t.Errorf("authentication %+v, want root's password", in.Authentication)
	}
	if len(in.PublicAddresses) != 2 || in.PublicAddresses[0].Type != deltacloud.AddressIPv4 ||
		!strings.HasSuffix(in.PublicAddresses[1].Value, "::1") {
		t.Errorf("public addresses %+v, want the IPv4 and the IPv6 ::1", in.PublicAddresses)
	}
	want := map[string]string{"team": "blue", "tier": "front"}
	if !maps.Equal(in.Tags, want) {
		t.Errorf("tags %v, want %v", in.Tags, want)
	}
	srv := s.Servers()[0]
	if !strings.HasPrefix(srv.Name, "web-") || len(srv.Name) != len("web-")+6 {
		t.Errorf("server name %q, want web-<6 random characters>", srv.Name)
	}
	if srv.Labels[hetzner.LabelOwner] != hetzner.DefaultOwner || srv.Labels[hetzner.LabelName] != "web" || srv.Labels["team"] != "blue" {
		t.Errorf("server labels %v", srv.Labels)
	}
	got, err := p.Instance(t.Context(), in.ID)
	if err != nil || got.Authentication != nil || got.Name != "web" {
		t.Errorf("Instance = %+v, %v; want web without the password", got, err)
	}

	// An arm image gets the smallest arm type; a type must be offered in
	// the location and match the image's architecture.
	arm := create(t, p, deltacloud.InstanceSpec{ImageID: ubuntuARM, RealmID: "hel1"})
	if arm.Profile.ID != "cax11" || arm.RealmID != "hel1" {
		t.Errorf("arm instance on %s in %s, want cax11 in hel1", arm.Profile.ID, arm.RealmID)
	}
	for _, c := range []struct {
		spec deltacloud.InstanceSpec
		want string
	}{
		{deltacloud.InstanceSpec{ImageID: ubuntu, ProfileID: "cx23", RealmID: "ash"}, "not offered in ash (offered in fsn1, nbg1, hel1)"},
		{deltacloud.InstanceSpec{ImageID: ubuntuARM, ProfileID: "cx23"}, "does not run on hardware profile cx23"},
		{deltacloud.InstanceSpec{ImageID: ubuntuARM, RealmID: "ash"}, "no server type for arm64"},
		{deltacloud.InstanceSpec{ImageID: "99999"}, "does not exist"},
		{deltacloud.InstanceSpec{ImageID: ubuntu, KeyName: "nokey"}, `key "nokey" does not exist`},
		{deltacloud.InstanceSpec{ImageID: ubuntu, Name: "not a host name"}, "host name label"},
		{deltacloud.InstanceSpec{ImageID: ubuntu, Tags: map[string]string{"deltacloud-x": "1"}}, "driver's own"},
		{deltacloud.InstanceSpec{ImageID: ubuntu, Tags: map[string]string{"team": "blue team"}}, "not a Hetzner label value"},
		{deltacloud.InstanceSpec{ImageID: ubuntu, Options: map[string]string{"x": "1"}}, "not known"},
	} {
		_, err := p.CreateInstance(t.Context(), c.spec)
		if !errors.Is(err, deltacloud.ErrInvalidArgument) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("create %+v = %v, want ErrInvalidArgument saying %q", c.spec, err, c.want)
		}
	}
	if n := len(s.Servers()); n != 2 {
		t.Errorf("%d servers, want the two created", n)
	}
}

// TestCreateWithKeyAndFirewall: the key and firewalls reach the server,
// and the instance shows them.
func TestCreateWithKeyAndFirewall(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	ctx := t.Context()
	k, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "deploy key"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(k.PrivateKey, "-----BEGIN OPENSSH PRIVATE KEY-----") || !strings.HasPrefix(k.PublicKey, "ssh-ed25519 ") {
		t.Errorf("generated key %+v", k)
	}
	fw, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "Web servers: HTTP(S) from anywhere"})
	if err != nil {
		t.Fatal(err)
	}
	in := create(t, p, deltacloud.InstanceSpec{KeyName: "deploy key", Firewalls: []string{fw.ID}})
	if a := in.Authentication; a == nil || a.Method != "key" || a.KeyName != "deploy key" {
		t.Errorf("authentication %+v, want the key", a)
	}
	if !slices.Equal(in.Firewalls, []string{fw.ID}) {
		t.Errorf("firewalls %v, want %s", in.Firewalls, fw.ID)
	}
	if got, _ := p.Firewall(ctx, fw.ID); got == nil || got.Description != "Web servers: HTTP(S) from anywhere" {
		t.Errorf("firewall %+v, want its description back", got)
	}
	if err := p.DestroyFirewall(ctx, fw.ID); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("destroy of a firewall in use = %v, want ErrInvalidState", err)
	}
	_, err = p.CreateKey(ctx, deltacloud.KeySpec{Name: "deploy key"})
	if !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("a taken key name = %v, want ErrConflict", err)
	}
}

// TestActionsAreAwaited: each action returns once the API's action has
// succeeded, with the server in the state it leads to.
func TestActionsAreAwaited(t *testing.T) {
	s := hetznertest.NewServer(hetznertest.WithActionDelay(50 * time.Millisecond))
	defer s.Close()
	p := open(t, s)
	ctx := t.Context()
	in := create(t, p, deltacloud.InstanceSpec{})
	steps := []struct {
		do   func() (*deltacloud.Instance, error)
		want deltacloud.State
	}{
		{func() (*deltacloud.Instance, error) { return p.Reboot(ctx, in.ID) }, deltacloud.StateRunning},
		{func() (*deltacloud.Instance, error) { return p.Stop(ctx, in.ID) }, deltacloud.StateStopped},
		{func() (*deltacloud.Instance, error) { return p.Start(ctx, in.ID) }, deltacloud.StateRunning},
	}
	for i, st := range steps {
		got, err := st.do()
		if err != nil || got.State != st.want {
			t.Fatalf("step %d = %+v, %v; want %s", i, got, err, st.want)
		}
	}
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(s.Servers()); n != 0 {
		t.Errorf("%d servers after Destroy returned, want none", n)
	}
	want := []string{"create_server", "reboot_server", "shutdown_server", "start_server", "delete_server"}
	if got := s.Commands(); !slices.Equal(got, want) {
		t.Errorf("actions %q, want %q", got, want)
	}
}

// TestStopFallsBackToPowerOff: a server that ignores the ACPI shutdown is
// powered off after stop_timeout; with stop=poweroff it is at once.
func TestStopFallsBackToPowerOff(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	s.IgnoreShutdown(true)
	p := open(t, s, "stop_timeout=200ms")
	in := create(t, p, deltacloud.InstanceSpec{})
	start := time.Now()
	got, err := p.Stop(t.Context(), in.ID)
	if err != nil || got.State != deltacloud.StateStopped {
		t.Fatalf("Stop = %+v, %v; want STOPPED", got, err)
	}
	if d := time.Since(start); d < 200*time.Millisecond {
		t.Errorf("Stop returned after %v, before stop_timeout", d)
	}
	if got := s.Commands(); !slices.Equal(got, []string{"create_server", "shutdown_server", "stop_server"}) {
		t.Errorf("actions %q, want a shutdown, then a power-off", got)
	}

	q := open(t, s, "stop=poweroff")
	in2 := create(t, q, deltacloud.InstanceSpec{})
	if got, err := q.Stop(t.Context(), in2.ID); err != nil || got.State != deltacloud.StateStopped {
		t.Fatalf("Stop with stop=poweroff = %+v, %v", got, err)
	}
	if got := s.Commands(); got[len(got)-1] != "stop_server" || got[len(got)-2] != "create_server" {
		t.Errorf("actions %q, want a power-off at once", got)
	}
}

// TestFailedActionIsTheError: an action that ends in error is the call's
// error, with hcloud's ActionError reachable.
func TestFailedActionIsTheError(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	in := create(t, p, deltacloud.InstanceSpec{})
	s.FailAction("reboot_server", 1)
	_, err := p.Reboot(t.Context(), in.ID)
	var ae hcloud.ActionError
	if !errors.Is(err, deltacloud.ErrBackend) || !errors.As(err, &ae) || ae.Code != "action_failed" {
		t.Errorf("a failed reboot = %v, want ErrBackend with the action's error", err)
	}
}

// TestOwnership: servers without the provider's ownership label are
// neither listed nor found, whatever is asked of them; another owner
// option sees its own.
func TestOwnership(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	foreign := s.AddServers(1, "foreign", nil)[0]
	other := s.AddServers(1, "other", map[string]string{hetzner.LabelOwner: "team-b"})[0]
	p := open(t, s)
	ctx := t.Context()
	mine := create(t, p, deltacloud.InstanceSpec{})
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(ins) != 1 || ins[0].ID != mine.ID {
		t.Fatalf("Instances = %+v, %v; want only %s", ins, err, mine.ID)
	}
	for _, id := range []int64{foreign, other} {
		sid := strconv.FormatInt(id, 10)
		if _, err := p.Instance(ctx, sid); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Instance(%s) = %v, want ErrNotFound", sid, err)
		}
		if _, err := p.Stop(ctx, sid); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Stop(%s) = %v, want ErrNotFound", sid, err)
		}
		if err := p.Destroy(ctx, sid); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Destroy(%s) = %v, want ErrNotFound", sid, err)
		}
	}
	if n := len(s.Servers()); n != 3 {
		t.Errorf("%d servers, want 3: nothing of others was touched", n)
	}
	b := open(t, s, "owner=team-b")
	if ins, err := b.Instances(ctx, deltacloud.InstanceFilter{}); err != nil || len(ins) != 1 || ins[0].ID != strconv.FormatInt(other, 10) {
		t.Errorf("team-b's Instances = %+v, %v", ins, err)
	}
	if ins, err := p.Instances(ctx, deltacloud.InstanceFilter{Owner: "team-b"}); err != nil || len(ins) != 1 {
		t.Errorf("Instances(owner team-b) = %+v, %v; want team-b's one", ins, err)
	}
}

// TestPaging: listings follow meta.pagination through every page.
func TestPaging(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	s.AddServers(123, "bulk", map[string]string{hetzner.LabelOwner: hetzner.DefaultOwner})
	s.AddServers(10, "foreign", nil)
	p := open(t, s)
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil || len(ins) != 123 {
		t.Fatalf("Instances = %d, %v; want 123", len(ins), err)
	}
	if n := s.Calls("GET /servers"); n != 3 {
		t.Errorf("%d requests of GET /servers, want 3 pages of 50", n)
	}
	seen := map[string]bool{}
	for _, in := range ins {
		if seen[in.ID] {
			t.Errorf("%s listed twice", in.ID)
		}
		seen[in.ID] = true
	}
}

// TestRateLimits: a 429 is retried by hcloud-go (max_retries); once the
// retries are spent it is ErrRateLimited with RetryAfter from the
// RateLimit headers.
func TestRateLimits(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s, "max_retries=0")
	s.Throttle(1)
	_, err := p.Realms(t.Context())
	var de *deltacloud.Error
	if !errors.As(err, &de) || de.Code != deltacloud.RateLimited || de.RetryAfter <= 0 || de.RetryAfter > time.Second {
		t.Fatalf("a throttled call = %v (%+v), want ErrRateLimited with a RetryAfter of at most 1s", err, de)
	}
	if !deltacloud.CodeOf(err).Temporary() {
		t.Error("RateLimited is not temporary")
	}

	// An enforced bucket: the third request of two is refused.
	s.SetRateLimit(2, time.Hour)
	for i := range 2 {
		if _, err := p.Realms(t.Context()); err != nil {
			t.Fatalf("request %d within the limit: %v", i, err)
		}
	}
	_, err = p.Realms(t.Context())
	if !errors.As(err, &de) || de.Code != deltacloud.RateLimited || de.RetryAfter != 30*time.Minute {
		t.Errorf("over the limit = %v (%+v), want ErrRateLimited with RetryAfter 30m (an hour over a limit of 2)", err, de)
	}
	s.SetRateLimit(0, 0)

	// With retries, one 429 is waited out (hcloud-go's backoff is 1s).
	q := open(t, s, "max_retries=1")
	s.Throttle(1)
	if _, err := q.Realms(t.Context()); err != nil {
		t.Errorf("a throttled call with a retry = %v", err)
	}
}

// TestNoToken: without a token and with NoAmbientCredentials, every call
// that needs the API is ErrAuthFailure and nothing is sent; without the
// flag HCLOUD_TOKEN is read.
func TestNoToken(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	cfg := config(s)
	cfg.Credentials = deltacloud.Credentials{}
	t.Setenv("HCLOUD_TOKEN", s.Token())
	p, err := deltacloud.Open(t.Context(), "hetzner", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := t.Context()
	for name, call := range map[string]func() error{
		"Ping":             func() error { return p.Ping(ctx) },
		"Realms":           func() error { _, err := p.Realms(ctx); return err },
		"HardwareProfiles": func() error { _, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{}); return err },
		"Images":           func() error { _, err := p.Images(ctx, deltacloud.ImageFilter{}); return err },
		"Instances":        func() error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err },
		"Instance":         func() error { _, err := p.Instance(ctx, "123"); return err },
		"Create":           func() error { _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu}); return err },
		"Keys":             func() error { _, err := p.Keys(ctx); return err },
		"Volumes":          func() error { _, err := p.StorageVolumes(ctx); return err },
	} {
		if err := call(); !errors.Is(err, deltacloud.ErrAuthFailure) {
			t.Errorf("%s without a token = %v, want ErrAuthFailure", name, err)
		}
	}
	if n := s.Calls(""); n != 0 {
		t.Errorf("%d requests were sent without a token", n)
	}

	cfg.NoAmbientCredentials = false
	q, err := deltacloud.Open(ctx, "hetzner", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	if err := q.Ping(ctx); err != nil {
		t.Errorf("Ping with HCLOUD_TOKEN = %v", err)
	}
}

// TestOpen: the provider is a location name; options are checked.
func TestOpen(t *testing.T) {
	for _, c := range []struct {
		provider string
		options  map[string]string
		ok       bool
	}{
		{"", nil, true},
		{"nbg1", nil, true},
		{"https://evil.example/v1", nil, false},
		{"fsn1", map[string]string{"endpoint": "ftp://x"}, false},
		{"fsn1", map[string]string{"stop": "halt"}, false},
		{"fsn1", map[string]string{"stop_timeout": "-1s"}, false},
		{"fsn1", map[string]string{"owner": "two words"}, false},
		{"fsn1", map[string]string{"max_retries": "x"}, false},
		{"fsn1", map[string]string{"region": "x"}, false},
		{"fsn1", map[string]string{"server_types_ttl": "0", "poll_interval": "1s", "stop": "poweroff"}, true},
	} {
		p, err := deltacloud.Open(t.Context(), "hetzner", deltacloud.Config{Provider: c.provider, Options: c.options})
		if c.ok != (err == nil) {
			t.Errorf("Open(%q, %v) = %v, want ok %v", c.provider, c.options, err, c.ok)
		}
		if err == nil {
			p.Close()
		} else if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("Open(%q, %v) = %v, want ErrInvalidArgument", c.provider, c.options, err)
		}
	}
}

// TestStates: the state mapping, and instance listings by state.
func TestStates(t *testing.T) {
	for status, want := range map[hcloud.ServerStatus]deltacloud.State{
		hcloud.ServerStatusInitializing: deltacloud.StatePending, hcloud.ServerStatusStarting: deltacloud.StatePending,
		hcloud.ServerStatusMigrating: deltacloud.StatePending, hcloud.ServerStatusRebuilding: deltacloud.StatePending,
		hcloud.ServerStatusRunning: deltacloud.StateRunning, hcloud.ServerStatusStopping: deltacloud.StateStopping,
		hcloud.ServerStatusOff: deltacloud.StateStopped, hcloud.ServerStatusDeleting: deltacloud.StateShuttingDown,
		hcloud.ServerStatusUnknown: deltacloud.StateUnknown, "something-new": deltacloud.StateUnknown,
	} {
		if got := hetzner.MapState(status); got != want {
			t.Errorf("MapState(%s) = %s, want %s", status, got, want)
		}
	}
	s := hetznertest.NewServer()
	defer s.Close()
	ids := s.AddServers(3, "s", map[string]string{hetzner.LabelOwner: hetzner.DefaultOwner})
	s.SetServerStatus(ids[1], "off")
	s.SetServerStatus(ids[2], "migrating")
	p := open(t, s)
	for state, n := range map[deltacloud.State]int{deltacloud.StateRunning: 1, deltacloud.StateStopped: 1, deltacloud.StatePending: 1, deltacloud.StateFinish: 0} {
		ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{State: state})
		if err != nil || len(ins) != n {
			t.Errorf("Instances(%s) = %d, %v; want %d", state, len(ins), err, n)
		}
	}
	// A migrating server allows nothing; a stopped one start and destroy.
	in, err := p.Instance(t.Context(), strconv.FormatInt(ids[2], 10))
	if err != nil || len(in.Actions) != 0 {
		t.Errorf("migrating instance %+v, %v; want no actions", in, err)
	}
	if _, err := p.Stop(t.Context(), in.ID); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("Stop while migrating = %v, want ErrInvalidState", err)
	}
}

// TestTagFilter: InstanceFilter.TagKey is sent as a label selector.
func TestTagFilter(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	a := create(t, p, deltacloud.InstanceSpec{Tags: map[string]string{"job": "42"}})
	create(t, p, deltacloud.InstanceSpec{})
	marked := create(t, p, deltacloud.InstanceSpec{}.Marked("broker-1"))
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{TagKey: "job", TagValue: "42"})
	if err != nil || len(ins) != 1 || ins[0].ID != a.ID {
		t.Errorf("Instances(job=42) = %+v, %v; want %s", ins, err, a.ID)
	}
	ins, err = p.Instances(t.Context(), deltacloud.InstanceFilter{TagKey: deltacloud.OwnerTag, TagValue: "broker-1"})
	if err != nil || len(ins) != 1 || ins[0].ID != marked.ID {
		t.Errorf("Instances(marked) = %+v, %v; want %s", ins, err, marked.ID)
	}
}

// TestVolumes: Hetzner's bounds and device names.
func TestVolumes(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	ctx := t.Context()
	if _, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 5}); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("a 5 GB volume = %v, want ErrInvalidArgument", err)
	}
	v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Description: "scratch space for the build, not backed up"})
	if err != nil {
		t.Fatal(err)
	}
	if v.Capacity != hetzner.DefaultVolumeSize || v.State != deltacloud.VolumeAvailable || v.Description != "scratch space for the build, not backed up" {
		t.Errorf("volume %+v", v)
	}
	in := create(t, p, deltacloud.InstanceSpec{})
	att, err := p.AttachStorageVolume(ctx, v.ID, in.ID, "/dev/sdf")
	if err != nil {
		t.Fatal(err)
	}
	if att.Device != "/dev/disk/by-id/scsi-0HC_Volume_"+v.ID || att.State != deltacloud.VolumeInUse {
		t.Errorf("attached %+v, want Hetzner's device", att)
	}
	other := create(t, p, deltacloud.InstanceSpec{RealmID: "nbg1"})
	v2, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AttachStorageVolume(ctx, v2.ID, other.ID, ""); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("attach across locations = %v, want ErrInvalidArgument", err)
	}
}

// TestMetrics: a metric's samples are the API's series.
func TestMetrics(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	ids := s.AddServers(1, "old", map[string]string{hetzner.LabelOwner: hetzner.DefaultOwner})
	p := open(t, s)
	s.SetServerStatus(ids[0], "running")
	// Servers added by AddServers were created now; the metric has the
	// samples since then, which may be none. Read one anyway and check its
	// shape.
	m, err := p.Metric(t.Context(), strconv.FormatInt(ids[0], 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Properties) != 9 || m.Properties[0].Name != "cpu" {
		t.Errorf("metric properties %+v, want the 9 series, cpu first", m.Properties)
	}
	for _, prop := range m.Properties {
		for _, smp := range prop.Samples {
			if want := hetznertest.MetricValue(ids[0], prop.Name, smp.Timestamp); smp.Average != want {
				t.Errorf("%s at %v = %g, want %g", prop.Name, smp.Timestamp, smp.Average, want)
			}
		}
	}
}

// TestImages: system images and the provider's snapshots.
func TestImages(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	ctx := t.Context()
	imgs, err := p.Images(ctx, deltacloud.ImageFilter{Architecture: "arm64"})
	if err != nil || len(imgs) != 2 {
		t.Fatalf("arm images = %+v, %v; want 2", imgs, err)
	}
	if img := imgs[0]; img.Owner != "hetzner" || img.Name != "ubuntu-24.04" || !slices.Equal(img.HardwareProfiles, []string{"cax11", "cax21"}) {
		t.Errorf("image %+v", img)
	}
	in := create(t, p, deltacloud.InstanceSpec{})
	snap, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: in.ID, Name: "golden build 7", Description: "before the upgrade"})
	if err != nil {
		t.Fatal(err)
	}
	if snap.Name != "golden build 7" || snap.Description != "before the upgrade" || snap.State != "AVAILABLE" || snap.Owner != hetzner.DefaultOwner {
		t.Errorf("snapshot %+v", snap)
	}
	if err := p.DestroyImage(ctx, ubuntu); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("DestroyImage of a system image = %v, want ErrNotFound", err)
	}
	// A create from the snapshot.
	if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: snap.ID}); err != nil {
		t.Errorf("create from the snapshot: %v", err)
	}
	if err := p.DestroyImage(ctx, snap.ID); err != nil {
		t.Error(err)
	}
}

// TestRealmsAndProfiles: locations and offered server types.
func TestRealmsAndProfiles(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	rs, err := p.Realms(t.Context())
	if err != nil || len(rs) != 6 || rs[0].ID != "fsn1" || rs[0].State != deltacloud.RealmAvailable {
		t.Errorf("Realms = %+v, %v", rs, err)
	}
	h, err := p.HardwareProfile(t.Context(), "cpx22")
	if err != nil {
		t.Fatal(err)
	}
	if h.Value("memory") != "4608" || h.Value("cpu") != "3" || h.Value("storage") != "80" || h.Value("architecture") != "x86_64" {
		t.Errorf("cpx22 = %+v", h)
	}
	if h, err := p.HardwareProfile(t.Context(), "cax21"); err != nil || h.Value("architecture") != "arm64" {
		t.Errorf("cax21 = %+v, %v", h, err)
	}
	// The types are read once per server_types_ttl.
	for range 3 {
		p.HardwareProfiles(t.Context(), deltacloud.HardwareProfileFilter{})
	}
	if n := s.Calls("GET /server_types"); n != 1 {
		t.Errorf("%d requests for the server types, want 1 (cached)", n)
	}
}

// TestDryRun shows the request without creating anything.
func TestDryRun(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s)
	plan, err := p.DryRun(t.Context(), deltacloud.InstanceSpec{ImageID: ubuntu, RealmID: "ash", UserData: []byte("secret")})
	if err != nil {
		t.Fatal(err)
	}
	if r := plan.Driver.Request; r["server_type"] != "cpx11" || r["location"] != "ash" || r["user_data"] != "(hidden)" {
		t.Errorf("plan %+v", plan.Driver)
	}
	if len(s.Servers()) != 0 || s.Calls("POST /servers") != 0 {
		t.Error("a dry run created a server")
	}
}

// TestHTTPErrors: the API's error answers reach the caller classified,
// with hcloud.Error reachable.
func TestHTTPErrors(t *testing.T) {
	s := hetznertest.NewServer()
	defer s.Close()
	p := open(t, s, "max_retries=0")
	for _, c := range []struct {
		code   string
		status int
		want   deltacloud.Code
	}{
		{"forbidden", http.StatusForbidden, deltacloud.Forbidden},
		{"maintenance", http.StatusServiceUnavailable, deltacloud.Unavailable},
		{"server_error", http.StatusInternalServerError, deltacloud.Backend},
		{"something_new", http.StatusLocked, deltacloud.InvalidState},
		{"unauthorized", http.StatusUnauthorized, deltacloud.AuthFailure},
	} {
		s.Fail("GET /locations", c.code, c.status, 1)
		_, err := p.Realms(t.Context())
		var he hcloud.Error
		if deltacloud.CodeOf(err) != c.want || !errors.As(err, &he) || string(he.Code) != c.code {
			t.Errorf("%s (%d) = %v, want %s with the hcloud.Error", c.code, c.status, err, c.want)
		}
	}
}
