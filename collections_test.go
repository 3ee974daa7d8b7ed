package deltacloud_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// coreConn serves only the core Conn, by forwarding to a mock provider: a
// driver with none of the optional interfaces.
type coreConn struct{ p *deltacloud.Provider }

func (c coreConn) Realms(ctx context.Context) ([]deltacloud.Realm, error) { return c.p.Realms(ctx) }
func (c coreConn) HardwareProfiles(ctx context.Context) ([]deltacloud.HardwareProfile, error) {
	return c.p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
}
func (c coreConn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	return c.p.Images(ctx, f)
}
func (c coreConn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	return c.p.Instances(ctx, f)
}
func (c coreConn) CreateInstances(ctx context.Context, s deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	return c.p.CreateInstances(ctx, s)
}
func (c coreConn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	return c.p.Do(ctx, id, a)
}
func (c coreConn) Lifecycle() *deltacloud.StateMachine { return c.p.Lifecycle() }
func (c coreConn) Features() deltacloud.Features {
	// It claims features of collections it lacks; the Provider drops them.
	return deltacloud.MustFeatures(deltacloud.FeatureImportKey, deltacloud.FeatureVolumeName,
		deltacloud.FeatureBucketLocation, deltacloud.FeatureUserName)
}
func (c coreConn) Close() error { return c.p.Close() }

type coreDriver struct{}

func (coreDriver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "core only"}
}
func (coreDriver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	p, err := deltacloud.Open(ctx, "mock", cfg)
	if err != nil {
		return nil, err
	}
	return coreConn{p}, nil
}

func init() { deltacloud.Register("test-core-only", coreDriver{}) }

var coreCollections = []deltacloud.Collection{"drivers", "hardware_profiles", "images", "instance_states", "instances", "realms"}

func TestCollectionsAndFeaturesReflectTheDriver(t *testing.T) {
	mockColls := []deltacloud.Collection{"addresses", "buckets", "drivers", "hardware_profiles", "images", "instance_states",
		"instances", "keys", "metrics", "realms", "storage_snapshots", "storage_volumes"}
	withFirewalls := []deltacloud.Collection{"addresses", "buckets", "drivers", "firewalls", "hardware_profiles", "images",
		"instance_states", "instances", "keys", "metrics", "realms", "storage_snapshots", "storage_volumes"}
	mockFeatures := []string{"image_name", "image_description", "metrics", "realm_filter", "user_name", "user_data", "authentication_key",
		"volume_name", "volume_description"}
	core, err := deltacloud.Open(t.Context(), "test-core-only", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password}})
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	plain, _ := open(t, nil)
	fw, _ := open(t, map[string]string{"firewalls": "true"})
	cases := []struct {
		name         string
		p            *deltacloud.Provider
		collections  []deltacloud.Collection
		features     []string
		imageActions bool
	}{
		{"mock", plain, mockColls, mockFeatures, true},
		{"mock firewalls=true", fw, withFirewalls, mockFeatures, true},
		{"core only", core, coreCollections, []string{"user_name"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if d := cmp.Diff(c.collections, c.p.Collections()); d != "" {
				t.Errorf("Collections (-want +got):\n%s", d)
			}
			var names []string
			for _, f := range c.p.Features() {
				names = append(names, string(f.Name))
			}
			if d := cmp.Diff(c.features, names); d != "" {
				t.Errorf("Features (-want +got):\n%s", d)
			}
			for _, capa := range []deltacloud.Capability{deltacloud.CapabilityCreateImage, deltacloud.CapabilityDestroyImage} {
				if got := c.p.Supports(capa); got != c.imageActions {
					t.Errorf("Supports(%s) = %v, want %v", capa, got, c.imageActions)
				}
			}
		})
	}
}

func second[T any](_ T, err error) error { return err }

// TestAbsentCollectionsAreNotSupported calls every optional operation on a
// driver without them, and the firewall operations on the mock without its
// firewalls option.
func TestAbsentCollectionsAreNotSupported(t *testing.T) {
	ctx := t.Context()
	core, err := deltacloud.Open(ctx, "test-core-only", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password}})
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	plain, _ := open(t, nil)
	rule := deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 2,
		Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("10.0.0.0/8")}}}
	firewallOps := func(p *deltacloud.Provider) map[string]error {
		return map[string]error{
			"Firewalls":          second(p.Firewalls(ctx)),
			"Firewall":           second(p.Firewall(ctx, "default")),
			"CreateFirewall":     second(p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "a", Description: "b"})),
			"DestroyFirewall":    p.DestroyFirewall(ctx, "default"),
			"AddFirewallRule":    second(p.AddFirewallRule(ctx, "default", rule)),
			"DeleteFirewallRule": p.DeleteFirewallRule(ctx, "default", "rule1"),
		}
	}
	for op, err := range firewallOps(plain) {
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("mock without firewalls: %s = %v, want ErrNotSupported", op, err)
		}
	}
	ops := firewallOps(core)
	more := map[string]error{
		"Keys":                   second(core.Keys(ctx)),
		"Key":                    second(core.Key(ctx, "test-key")),
		"CreateKey":              second(core.CreateKey(ctx, deltacloud.KeySpec{Name: "k"})),
		"DestroyKey":             core.DestroyKey(ctx, "test-key"),
		"Addresses":              second(core.Addresses(ctx)),
		"CreateAddress":          second(core.CreateAddress(ctx)),
		"DestroyAddress":         core.DestroyAddress(ctx, "192.168.0.1"),
		"AssociateAddress":       core.AssociateAddress(ctx, "192.168.0.1", "inst0"),
		"DisassociateAddress":    core.DisassociateAddress(ctx, "192.168.0.1"),
		"StorageVolumes":         second(core.StorageVolumes(ctx)),
		"CreateStorageVolume":    second(core.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})),
		"DestroyStorageVolume":   core.DestroyStorageVolume(ctx, "vol1"),
		"AttachStorageVolume":    second(core.AttachStorageVolume(ctx, "vol1", "inst0", "")),
		"DetachStorageVolume":    second(core.DetachStorageVolume(ctx, "vol3")),
		"StorageSnapshots":       second(core.StorageSnapshots(ctx)),
		"CreateStorageSnapshot":  second(core.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol1"})),
		"DestroyStorageSnapshot": core.DestroyStorageSnapshot(ctx, "snap1"),
		"Buckets":                second(core.Buckets(ctx)),
		"Bucket":                 second(core.Bucket(ctx, "bucket1")),
		"CreateBucket":           second(core.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b"})),
		"DestroyBucket":          core.DestroyBucket(ctx, "bucket1"),
		"Blob":                   second(core.Blob(ctx, "bucket1", "blob1")),
		"PutBlob":                second(core.PutBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: "x"}, strings.NewReader("x"))),
		"DestroyBlob":            core.DestroyBlob(ctx, "bucket1", "blob1"),
		"SetBlobMetadata":        second(core.SetBlobMetadata(ctx, "bucket1", "blob1", nil)),
		"Metrics":                second(core.Metrics(ctx)),
		"Metric":                 second(core.Metric(ctx, "inst0")),
		"CreateImage":            second(core.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst0"})),
		"DestroyImage":           core.DestroyImage(ctx, "img1"),
	}
	_, rc, err := core.BlobContent(ctx, "bucket1", "blob1")
	if rc != nil {
		rc.Close()
	}
	more["BlobContent"] = err
	for op, err := range more {
		ops[op] = err
	}
	for op, err := range ops {
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("core-only driver: %s = %v, want ErrNotSupported", op, err)
		}
	}
}

// TestUnadvertisedFeatureParameters: a parameter of a feature the mock does
// not advertise is refused before the driver sees it.
func TestUnadvertisedFeatureParameters(t *testing.T) {
	p, c := open(t, nil)
	ctx := t.Context()
	// A call reaching the driver would fail with this, not NotSupported.
	for _, op := range []mock.Op{mock.OpCreateKey, mock.OpCreateBucket, mock.OpImages} {
		c.FailNext(op, 1, deltacloud.ErrBackend)
	}
	cases := map[string]error{
		"import_key":      second(p.CreateKey(ctx, deltacloud.KeySpec{Name: "k", PublicKey: "ssh-rsa AAAA"})),
		"bucket_location": second(p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b", Location: "eu"})),
		// Only the cloud knows the caller's account; another owner the
		// Provider filters by itself.
		"owner_id": second(p.Images(ctx, deltacloud.ImageFilter{Owner: "self"})),
	}
	for feature, err := range cases {
		if !errors.Is(err, deltacloud.ErrNotSupported) || !strings.Contains(err.Error(), feature) {
			t.Errorf("%s: %v, want ErrNotSupported naming the feature", feature, err)
		}
	}
	// The advertised ones are honoured.
	c.FailNext(mock.OpAll, 0, nil)
	for _, op := range []mock.Op{mock.OpCreateKey, mock.OpCreateBucket, mock.OpImages} {
		c.FailNext(op, 0, nil)
	}
	v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "named", Description: "d"})
	if err != nil || v.Name != "named" || v.Description != "d" {
		t.Errorf("volume_name, volume_description: %+v, %v", v, err)
	}
	img, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst0", Name: "named", Description: "d"})
	if err != nil || img.Name != "named" || img.Description != "d" {
		t.Errorf("image_name, image_description: %+v, %v", img, err)
	}
}

// TestStateChecks: the Provider's (and the mock's) state checks give
// ErrInvalidState with the state that forbids the operation.
func TestStateChecks(t *testing.T) {
	p, _ := open(t, nil)
	ctx := t.Context()
	if _, err := p.Stop(ctx, "inst2"); err != nil {
		t.Fatal(err)
	}
	if err := p.AssociateAddress(ctx, "192.168.0.1", "inst0"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		err   error
		state deltacloud.State
	}{
		{"attach to a stopped instance", second(p.AttachStorageVolume(ctx, "vol1", "inst2", "/dev/sdb")), deltacloud.StateStopped},
		{"attach an attached volume", second(p.AttachStorageVolume(ctx, "vol3", "inst0", "")), "IN-USE"},
		{"destroy an attached volume", p.DestroyStorageVolume(ctx, "vol3"), "IN-USE"},
		{"detach a free volume", second(p.DetachStorageVolume(ctx, "vol1")), "AVAILABLE"},
		{"delete a non-empty bucket", p.DestroyBucket(ctx, "bucket1"), "NOT-EMPTY"},
		{"associate an address in use", p.AssociateAddress(ctx, "192.168.0.1", "inst1"), "ASSOCIATED"},
		{"destroy an address in use", p.DestroyAddress(ctx, "192.168.0.1"), "ASSOCIATED"},
		{"disassociate a free address", p.DisassociateAddress(ctx, "192.168.0.2"), "FREE"},
		{"create an image from inst3", second(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst3", Name: "i3"})), deltacloud.StateRunning},
	}
	for _, c := range cases {
		var e *deltacloud.Error
		if !errors.As(c.err, &e) || e.Code != deltacloud.InvalidState || e.State != c.state {
			t.Errorf("%s = %v, want InvalidState with state %s", c.name, c.err, c.state)
		}
		if e != nil && e.Code.HTTPStatus() != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d", c.name, e.Code.HTTPStatus())
		}
	}
	// Nothing changed.
	if v, _ := p.StorageVolume(ctx, "vol1"); v.State != deltacloud.VolumeAvailable {
		t.Errorf("vol1 = %+v", v)
	}
	if b, _ := p.Bucket(ctx, "bucket1"); b.Size != 3 {
		t.Errorf("bucket1 = %+v", b)
	}
	// Unknown objects are NotFound, before any state check.
	notFound := map[string]error{
		"attach unknown volume":     second(p.AttachStorageVolume(ctx, "vol9", "inst0", "")),
		"attach to unknown inst":    second(p.AttachStorageVolume(ctx, "vol1", "inst9", "")),
		"associate unknown inst":    p.AssociateAddress(ctx, "192.168.0.2", "inst9"),
		"image of unknown instance": second(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst9", Name: "x"})),
		"destroy unknown bucket":    p.DestroyBucket(ctx, "nope"),
		"snapshot unknown volume":   second(p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol9"})),
	}
	for name, err := range notFound {
		if !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("%s = %v, want ErrNotFound", name, err)
		}
	}
}

type errReader struct {
	left int
	err  error
}

func (r *errReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, r.err
	}
	n := min(len(p), r.left)
	r.left -= n
	return n, nil
}

// TestPutBlobFailuresKeepNothing: a wrong Size, a failing reader and a
// cancelled context fail the upload and leave neither a new blob nor a
// changed one.
func TestPutBlobFailuresKeepNothing(t *testing.T) {
	for _, storage := range []bool{false, true} {
		name := map[bool]string{false: "memory", true: "storage"}[storage]
		t.Run(name, func(t *testing.T) {
			var opts map[string]string
			if storage {
				opts = map[string]string{"storage": t.TempDir()}
			}
			p, _ := open(t, opts)
			boom := errors.New("disk on fire")
			cases := []struct {
				name string
				ctx  func() context.Context
				spec deltacloud.BlobSpec
				r    func() io.Reader
				code deltacloud.Code
			}{
				{"size too small", t.Context, deltacloud.BlobSpec{Size: 3}, func() io.Reader { return strings.NewReader("four") }, deltacloud.InvalidArgument},
				{"size too large", t.Context, deltacloud.BlobSpec{Size: 5}, func() io.Reader { return strings.NewReader("four") }, deltacloud.InvalidArgument},
				{"negative size", t.Context, deltacloud.BlobSpec{Size: -1}, func() io.Reader { return strings.NewReader("") }, deltacloud.InvalidArgument},
				{"failing reader", t.Context, deltacloud.BlobSpec{}, func() io.Reader { return &errReader{left: 100 << 10, err: boom} }, deltacloud.InvalidArgument},
				{"classified failing reader", t.Context, deltacloud.BlobSpec{},
					func() io.Reader {
						return &errReader{left: 10, err: deltacloud.Errorf(deltacloud.Unavailable, "source gone")}
					}, deltacloud.Unavailable},
				{"cancelled before", func() context.Context {
					ctx, cancel := context.WithCancel(t.Context())
					cancel()
					return ctx
				}, deltacloud.BlobSpec{}, func() io.Reader { return strings.NewReader("x") }, deltacloud.Canceled},
				{"bad metadata", t.Context, deltacloud.BlobSpec{Metadata: map[string]string{"bad name": "v"}},
					func() io.Reader { return strings.NewReader("x") }, deltacloud.InvalidArgument},
			}
			for _, c := range cases {
				for _, id := range []string{"new", "blob1"} {
					spec := c.spec
					spec.ID = id
					b, err := p.PutBlob(c.ctx(), "bucket1", spec, c.r())
					if !errors.Is(err, c.code) || b != nil {
						t.Errorf("%s (%s) = %+v, %v; want %v", c.name, id, b, err, c.code)
					}
				}
			}
			// Cancelled mid-upload.
			ctx, cancel := context.WithCancel(t.Context())
			_, err := p.PutBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: "blob1"}, &cancelAfter{left: 1 << 20, cancel: cancel})
			if !errors.Is(err, deltacloud.ErrCanceled) {
				t.Errorf("cancelled mid-upload = %v, want ErrCanceled", err)
			}
			b, err := p.Bucket(t.Context(), "bucket1")
			if err != nil || !cmp.Equal(b.BlobIDs, []string{"blob1", "blob2", "blob3"}) {
				t.Errorf("bucket1 after failed uploads: %+v, %v", b, err)
			}
			_, rc, err := p.BlobContent(t.Context(), "bucket1", "blob1")
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			if data, _ := io.ReadAll(rc); string(data) != "content of blob 1" {
				t.Errorf("blob1 = %q after failed uploads", data)
			}
		})
	}
}

// cancelAfter yields zeros and cancels its context after left bytes.
type cancelAfter struct {
	left   int
	cancel context.CancelFunc
}

func (r *cancelAfter) Read(p []byte) (int, error) {
	if r.left <= 0 {
		r.cancel()
	}
	r.left -= len(p)
	clear(p)
	return len(p), nil
}

func TestCheckFirewallRule(t *testing.T) {
	addr := func(s string) deltacloud.RuleSource {
		return deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix(s)}
	}
	group := deltacloud.RuleSource{Type: deltacloud.SourceGroup, Group: "web", Owner: "123"}
	cases := []struct {
		name string
		in   deltacloud.FirewallRuleSpec
		want deltacloud.FirewallRuleSpec // when ok
		ok   bool
	}{
		{"tcp normalised", deltacloud.FirewallRuleSpec{Protocol: " TCP ", PortFrom: 22, PortTo: 22, Sources: []deltacloud.RuleSource{addr("10.1.2.3/8")}},
			deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 22, PortTo: 22, Sources: []deltacloud.RuleSource{addr("10.0.0.0/8")}}, true},
		{"udp full range, group", deltacloud.FirewallRuleSpec{Protocol: "udp", PortFrom: 0, PortTo: 65535, Sources: []deltacloud.RuleSource{group}},
			deltacloud.FirewallRuleSpec{Protocol: "udp", PortFrom: 0, PortTo: 65535, Sources: []deltacloud.RuleSource{group}}, true},
		{"icmp all", deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: -1, PortTo: -1, Sources: []deltacloud.RuleSource{addr("::/0")}},
			deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: -1, PortTo: -1, Sources: []deltacloud.RuleSource{addr("::/0")}}, true},
		{"ipv6 masked", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 2, Sources: []deltacloud.RuleSource{addr("2001:db8::1/32")}},
			deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 2, Sources: []deltacloud.RuleSource{addr("2001:db8::/32")}}, true},
		{"unknown protocol", deltacloud.FirewallRuleSpec{Protocol: "sctp", Sources: []deltacloud.RuleSource{group}}, deltacloud.FirewallRuleSpec{}, false},
		{"empty protocol", deltacloud.FirewallRuleSpec{Sources: []deltacloud.RuleSource{group}}, deltacloud.FirewallRuleSpec{}, false},
		{"tcp -1", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: -1, PortTo: 1, Sources: []deltacloud.RuleSource{group}}, deltacloud.FirewallRuleSpec{}, false},
		{"icmp echo request, any code", deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: 8, PortTo: -1, Sources: []deltacloud.RuleSource{group}},
			deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: 8, PortTo: -1, Sources: []deltacloud.RuleSource{group}}, true},
		{"icmp type 256", deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: 256, PortTo: 0, Sources: []deltacloud.RuleSource{group}}, deltacloud.FirewallRuleSpec{}, false},
		{"icmp -2", deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: -2, PortTo: 1, Sources: []deltacloud.RuleSource{group}}, deltacloud.FirewallRuleSpec{}, false},
		{"port too high", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 65536, Sources: []deltacloud.RuleSource{group}}, deltacloud.FirewallRuleSpec{}, false},
		{"from above to", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 80, PortTo: 79, Sources: []deltacloud.RuleSource{group}}, deltacloud.FirewallRuleSpec{}, false},
		{"no sources", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 2}, deltacloud.FirewallRuleSpec{}, false},
		{"invalid prefix", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 2, Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress}}}, deltacloud.FirewallRuleSpec{}, false},
		{"blank group", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 2, Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceGroup, Group: " "}}}, deltacloud.FirewallRuleSpec{}, false},
		{"unknown source type", deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 1, PortTo: 2, Sources: []deltacloud.RuleSource{{Type: "host"}}}, deltacloud.FirewallRuleSpec{}, false},
	}
	prefixes := cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := c.in
			srcs := append([]deltacloud.RuleSource(nil), in.Sources...)
			got, err := deltacloud.CheckFirewallRule(in)
			if !c.ok {
				if !errors.Is(err, deltacloud.ErrInvalidArgument) {
					t.Errorf("CheckFirewallRule = %v, want ErrInvalidArgument", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(c.want, got, prefixes); d != "" {
				t.Errorf("normalised (-want +got):\n%s", d)
			}
			if d := cmp.Diff(srcs, c.in.Sources, prefixes); d != "" {
				t.Errorf("the caller's sources changed:\n%s", d)
			}
		})
	}
}

func TestCheckBlobMetadata(t *testing.T) {
	cases := []struct {
		meta map[string]string
		ok   bool
	}{
		{nil, true},
		{map[string]string{"VERSION": "1.2", "some": "value", "a-b_c.d~!#$%&'*+^`|": "x y\tz"}, true},
		{map[string]string{"K": ""}, true},
		{map[string]string{"K": "ünïcode"}, true},
		{map[string]string{"": "v"}, false},
		{map[string]string{"a b": "v"}, false},
		{map[string]string{"a:b": "v"}, false},
		{map[string]string{"a/b": "v"}, false},
		{map[string]string{"ä": "v"}, false},
		{map[string]string{"K": "line\r\nInjected: yes"}, false},
		{map[string]string{"K": "nul\x00"}, false},
		{map[string]string{"K": "del\x7f"}, false},
		{map[string]string{"K": " leading"}, false},
		{map[string]string{"K": "trailing\t"}, false},
	}
	for _, c := range cases {
		err := deltacloud.CheckBlobMetadata(c.meta)
		if c.ok && err != nil || !c.ok && !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("CheckBlobMetadata(%q) = %v, want ok %v", c.meta, err, c.ok)
		}
	}
}

func FuzzCheckFirewallRule(f *testing.F) {
	f.Add("tcp", 22, 22, "address", "0.0.0.0/0", "", "")
	f.Add("ICMP", -1, -1, "group", "", "default", "123")
	f.Add("udp", 53, 52, "address", "10.1.2.3/8", "", "")
	f.Add(" Tcp", 0, 65535, "address", "2001:db8::1/64", "", "")
	f.Fuzz(func(t *testing.T, proto string, from, to int, typ, prefix, group, owner string) {
		src := deltacloud.RuleSource{Type: deltacloud.SourceType(typ), Group: group, Owner: owner}
		src.Prefix, _ = netip.ParsePrefix(prefix)
		in := deltacloud.FirewallRuleSpec{Protocol: proto, PortFrom: from, PortTo: to, Sources: []deltacloud.RuleSource{src, src}}
		got, err := deltacloud.CheckFirewallRule(in)
		if err != nil {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Fatalf("rejected with %v, not ErrInvalidArgument", err)
			}
			return
		}
		again, err := deltacloud.CheckFirewallRule(got)
		if err != nil {
			t.Fatalf("accepted %+v, but its normal form %+v is rejected: %v", in, got, err)
		}
		if !cmp.Equal(got, again, cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })) {
			t.Fatalf("normal form is not stable: %+v then %+v", got, again)
		}
		icmpOK := got.Protocol == "icmp" && got.PortFrom >= -1 && got.PortFrom <= 255 && got.PortTo >= -1 && got.PortTo <= 255
		portsOK := got.Protocol != "icmp" && 0 <= got.PortFrom && got.PortFrom <= got.PortTo && got.PortTo <= 65535
		if !icmpOK && !portsOK {
			t.Fatalf("accepted %s ports %d-%d", got.Protocol, got.PortFrom, got.PortTo)
		}
	})
}

func FuzzCheckBlobMetadata(f *testing.F) {
	f.Add("VERSION", "1.2")
	f.Add("some", "value")
	f.Add("a b", "v")
	f.Add("K", "x\r\nInjected: 1")
	f.Add("K", "tab\tinside")
	f.Add("K", " padded ")
	f.Fuzz(func(t *testing.T, name, value string) {
		meta := map[string]string{name: value}
		if err := deltacloud.CheckBlobMetadata(meta); err != nil {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Fatalf("rejected with %v, not ErrInvalidArgument", err)
			}
			return
		}
		if err := deltacloud.CheckBlobMetadata(meta); err != nil {
			t.Fatalf("accepted %q, then rejected it: %v", meta, err)
		}
		// Accepted metadata travels as one X-Deltacloud-Blobmeta-<name>
		// header and comes back with exactly its value.
		req, err := http.NewRequest(http.MethodPut, "http://example.com/api/buckets/b/x", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Deltacloud-Blobmeta-"+name, value)
		var b strings.Builder
		if err := req.Write(&b); err != nil {
			t.Fatalf("writing %q: %v", meta, err)
		}
		back, err := http.ReadRequest(bufio.NewReader(strings.NewReader(b.String())))
		if err != nil {
			t.Fatalf("%q does not parse back: %v\n%s", meta, err, b.String())
		}
		got := back.Header.Values("X-Deltacloud-Blobmeta-" + name)
		if len(got) != 1 || got[0] != value {
			t.Fatalf("%q came back as %q", meta, got)
		}
	})
}
