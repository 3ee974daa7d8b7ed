package mock_test

import (
	"errors"
	"io"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

var (
	volumeCreated   = time.Date(2009, time.July, 30, 14, 35, 11, 0, time.UTC)
	snapshotCreated = time.Date(2009, time.July, 29, 18, 15, 24, 0, time.UTC)
	blobModified    = time.Date(2010, time.September, 23, 17, 44, 54, 0, time.FixedZone("", 2*60*60))
)

// equateTimes compares times by instant, so a time reloaded from JSON (with
// a different *Location) equals the original.
var equateTimes = cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })

// wantCode fails t unless err carries code.
func wantCode(t *testing.T, what string, err error, code deltacloud.Code) {
	t.Helper()
	if !errors.Is(err, code) {
		t.Errorf("%s = %v, want %v", what, err, code)
	}
}

// must returns a check of a call's result: must(f())(t) is f's value, or
// fails t with f's error.
func must[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestFixtureKeys(t *testing.T) {
	p := openMock(t, nil)
	keys := must(p.Keys(t.Context()))(t)
	if len(keys) != 1 {
		t.Fatalf("keys = %+v, want test-key only", keys)
	}
	k := keys[0]
	if k.ID != "test-key" || k.Name != "test-key" || k.Type != deltacloud.KeyTypeKey ||
		!regexp.MustCompile(`^([0-9a-f]{2}:){19}[0-9a-f]{2}$`).MatchString(k.Fingerprint) ||
		!strings.HasPrefix(k.PrivateKey, "-----BEGIN RSA PRIVATE KEY-----") {
		t.Errorf("test-key = %+v", k)
	}
}

func TestFixtureVolumesAndSnapshots(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	vol := func(id string) deltacloud.StorageVolume {
		return deltacloud.StorageVolume{ID: id, Name: id, Capacity: 1, RealmID: "us", State: deltacloud.VolumeAvailable, Created: volumeCreated}
	}
	v3 := vol("vol3")
	v3.State, v3.InstanceID, v3.Device = deltacloud.VolumeInUse, "inst1", "/dev/sda1"
	want := []deltacloud.StorageVolume{vol("vol1"), vol("vol2"), v3}
	if d := cmp.Diff(want, must(p.StorageVolumes(ctx))(t), equateTimes); d != "" {
		t.Errorf("volumes (-want +got):\n%s", d)
	}
	snap := func(id, vol string) deltacloud.StorageSnapshot {
		return deltacloud.StorageSnapshot{ID: id, Name: id, VolumeID: vol, State: deltacloud.SnapshotCompleted, Created: snapshotCreated}
	}
	wantSnaps := []deltacloud.StorageSnapshot{snap("snap1", "vol1"), snap("snap2", "vol2"), snap("snap3", "vol2")}
	if d := cmp.Diff(wantSnaps, must(p.StorageSnapshots(ctx))(t), equateTimes); d != "" {
		t.Errorf("snapshots (-want +got):\n%s", d)
	}
	// Instances list the volumes attached to them.
	wantAttached := []deltacloud.VolumeAttachment{{VolumeID: "vol3", Device: "/dev/sda1"}}
	if d := cmp.Diff(wantAttached, must(p.Instance(ctx, "inst1"))(t).StorageVolumes); d != "" {
		t.Errorf("inst1 volumes (-want +got):\n%s", d)
	}
}

func TestFixtureBucketsAndBlobs(t *testing.T) {
	for _, storage := range []bool{false, true} {
		t.Run(map[bool]string{false: "memory", true: "storage"}[storage], func(t *testing.T) {
			var opts map[string]string
			if storage {
				opts = map[string]string{"storage": t.TempDir()}
			}
			p := openMock(t, opts)
			ctx := t.Context()
			want := []deltacloud.Bucket{
				{ID: "bucket1", Name: "bucket1", Size: 3, BlobIDs: []string{"blob1", "blob2", "blob3"}},
				{ID: "bucket2", Name: "bucket2", Size: 2, BlobIDs: []string{"blob4", "blob5"}},
			}
			if d := cmp.Diff(want, must(p.Buckets(ctx))(t)); d != "" {
				t.Errorf("buckets (-want +got):\n%s", d)
			}
			blobs := []struct {
				bucket, id, typ, content string
				meta                     map[string]string
			}{
				{"bucket1", "blob1", "text/plain", "content of blob 1", map[string]string{"SOMENEWKEY": "NEWVALUE"}},
				{"bucket1", "blob2", "text/html", "<html><head></head><body>content of blob 2</body></html>", map[string]string{"VERSION": "1.2"}},
				{"bucket1", "blob3", "text/plain", "content of blob 3", nil},
				{"bucket2", "blob4", "application/octet-stream", "content of blob 4", map[string]string{"some": "value"}},
				{"bucket2", "blob5", "application/pdf", "content of blob 5", nil},
			}
			for _, b := range blobs {
				wantBlob := &deltacloud.Blob{ID: b.id, BucketID: b.bucket, ContentLength: int64(len(b.content)),
					ContentType: b.typ, LastModified: blobModified, Metadata: b.meta}
				got := must(p.Blob(ctx, b.bucket, b.id))(t)
				if d := cmp.Diff(wantBlob, got, equateTimes, cmpopts.EquateEmpty()); d != "" {
					t.Errorf("blob %s (-want +got):\n%s", b.id, d)
				}
				if got := readBlob(t, p, b.bucket, b.id); got != b.content {
					t.Errorf("blob %s content = %q, want %q", b.id, got, b.content)
				}
			}
			if n := len(blobs[1].content); n != 56 {
				t.Errorf("blob2 is %d bytes, want 56", n)
			}
			_, err := p.Blob(ctx, "bucket2", "blob1")
			wantCode(t, "Blob(bucket2, blob1)", err, deltacloud.NotFound)
			_, err = p.Blob(ctx, "nobucket", "blob1")
			wantCode(t, "Blob(nobucket, blob1)", err, deltacloud.NotFound)
		})
	}
}

func readBlob(t *testing.T, p *deltacloud.Provider, bucket, id string) string {
	t.Helper()
	_, rc, err := p.BlobContent(t.Context(), bucket, id)
	if err != nil {
		t.Fatalf("BlobContent(%s, %s): %v", bucket, id, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("reading %s/%s: %v", bucket, id, err)
	}
	return string(data)
}

func TestFixtureAddressesAndMetrics(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	want := []deltacloud.IPAddress{{ID: "192.168.0.1", IP: "192.168.0.1"}, {ID: "192.168.0.2", IP: "192.168.0.2"},
		{ID: "192.168.0.3", IP: "192.168.0.3"}, {ID: "192.168.0.4", IP: "192.168.0.4"}}
	if d := cmp.Diff(want, must(p.Addresses(ctx))(t)); d != "" {
		t.Errorf("addresses (-want +got):\n%s", d)
	}
	names := []string{"cpuUtilization", "diskReadRequestCount", "diskReadSector", "diskWriteRequestCount", "diskWriteSector",
		"nicInputByte", "nicInputPacket", "nicOutputByte", "nicOutputPacket"}
	var props []deltacloud.MetricProperty
	for _, n := range names {
		props = append(props, deltacloud.MetricProperty{Name: n})
	}
	wantMetrics := []deltacloud.Metric{
		{ID: "inst0", Entity: "Mock Instance With Profile Change", Properties: props},
		{ID: "inst1", Entity: "MockUserInstance", Properties: props},
		{ID: "inst2", Entity: "AnotherInstance", Properties: props},
		{ID: "inst3", Entity: "", Properties: props},
	}
	if d := cmp.Diff(wantMetrics, must(p.Metrics(ctx))(t)); d != "" {
		t.Errorf("metrics (-want +got):\n%s", d)
	}
}

func TestFixtureFirewalls(t *testing.T) {
	p := openMock(t, map[string]string{"firewalls": "true"})
	want := []deltacloud.Firewall{{ID: "default", Name: "default", Description: "default group", Owner: mock.User,
		Rules: []deltacloud.FirewallRule{{ID: "rule1", Protocol: "tcp", PortFrom: 22, PortTo: 22,
			Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("0.0.0.0/0")}}}}}}
	if d := cmp.Diff(want, must(p.Firewalls(t.Context()))(t), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })); d != "" {
		t.Errorf("firewalls (-want +got):\n%s", d)
	}
	// Without the option there is no firewalls collection at all.
	q := openMock(t, nil)
	_, err := q.Firewalls(t.Context())
	wantCode(t, "Firewalls without the option", err, deltacloud.NotSupported)
}

func TestKeys(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	k := must(p.CreateKey(ctx, deltacloud.KeySpec{Name: "mine"}))(t)
	if k.ID != "mine" || k.Name != "mine" || k.Type != deltacloud.KeyTypeKey || k.Fingerprint == "" ||
		!strings.Contains(k.PrivateKey, "PRIVATE KEY") {
		t.Errorf("created %+v", k)
	}
	k2 := must(p.CreateKey(ctx, deltacloud.KeySpec{Name: "other"}))(t)
	if k2.Fingerprint == k.Fingerprint || k2.PrivateKey == k.PrivateKey {
		t.Errorf("two keys share a fingerprint or private key")
	}
	cases := []struct {
		name string
		err  error
		code deltacloud.Code
	}{
		{"duplicate", second(p.CreateKey(ctx, deltacloud.KeySpec{Name: "test-key"})), deltacloud.Conflict},
		{"control character", second(p.CreateKey(ctx, deltacloud.KeySpec{Name: "a\x01b"})), deltacloud.InvalidArgument},
		{"too long", second(p.CreateKey(ctx, deltacloud.KeySpec{Name: strings.Repeat("k", 1025)})), deltacloud.InvalidArgument},
		{"destroy unknown", p.DestroyKey(ctx, "nope"), deltacloud.NotFound},
		{"import not advertised", second(p.CreateKey(ctx, deltacloud.KeySpec{Name: "imp", PublicKey: "ssh-rsa AAAA"})), deltacloud.NotSupported},
	}
	for _, c := range cases {
		wantCode(t, c.name, c.err, c.code)
	}
	if err := p.DestroyKey(ctx, "mine"); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range must(p.Keys(ctx))(t) {
		got = append(got, k.ID)
	}
	if d := cmp.Diff([]string{"other", "test-key"}, got); d != "" {
		t.Errorf("keys after destroy (-want +got):\n%s", d)
	}
}

func second[T any](_ T, err error) error { return err }

func TestAddresses(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	a := must(p.CreateAddress(ctx))(t)
	b := must(p.CreateAddress(ctx))(t)
	if a.IP != "192.168.0.5" || a.ID != a.IP || b.IP != "192.168.0.6" {
		t.Errorf("created %+v and %+v, want 192.168.0.5 and .6", a, b)
	}
	publicOf := func(id string) deltacloud.Address { return must(p.Instance(ctx, id))(t).PublicAddresses[0] }
	host := deltacloud.Address{Value: "img1.inst0.public.com", Type: deltacloud.AddressHostname}
	if got := publicOf("inst0"); got != host {
		t.Fatalf("inst0 public address = %+v", got)
	}
	if err := p.AssociateAddress(ctx, "192.168.0.2", "inst0"); err != nil {
		t.Fatal(err)
	}
	if got, want := publicOf("inst0"), (deltacloud.Address{Value: "192.168.0.2", Type: deltacloud.AddressIPv4}); got != want {
		t.Errorf("associated inst0 public address = %+v, want %+v", got, want)
	}
	got := must(p.Address(ctx, "192.168.0.2"))(t)
	if !got.Associated() || got.InstanceID != "inst0" {
		t.Errorf("address after associate = %+v", got)
	}
	// Another address moves the instance to it and frees the first.
	if err := p.AssociateAddress(ctx, "192.168.0.3", "inst0"); err != nil {
		t.Fatal(err)
	}
	if got := must(p.Address(ctx, "192.168.0.2"))(t); got.Associated() {
		t.Errorf("old address still associated: %+v", got)
	}
	cases := []struct {
		name string
		err  error
		code deltacloud.Code
	}{
		{"associate in use", p.AssociateAddress(ctx, "192.168.0.3", "inst1"), deltacloud.InvalidState},
		{"destroy in use", p.DestroyAddress(ctx, "192.168.0.3"), deltacloud.InvalidState},
		{"disassociate free", p.DisassociateAddress(ctx, "192.168.0.1"), deltacloud.InvalidState},
		{"associate unknown instance", p.AssociateAddress(ctx, "192.168.0.1", "inst99"), deltacloud.NotFound},
		{"associate unknown address", p.AssociateAddress(ctx, "10.0.0.1", "inst1"), deltacloud.NotFound},
		{"destroy unknown", p.DestroyAddress(ctx, "10.0.0.1"), deltacloud.NotFound},
	}
	for _, c := range cases {
		wantCode(t, c.name, c.err, c.code)
	}
	if err := p.DisassociateAddress(ctx, "192.168.0.3"); err != nil {
		t.Fatal(err)
	}
	if got := publicOf("inst0"); got != host {
		t.Errorf("after disassociate inst0 public address = %+v, want %+v", got, host)
	}
	if err := p.DestroyAddress(ctx, "192.168.0.6"); err != nil {
		t.Fatal(err)
	}
	// Allocation is max+1 of what is held.
	if c := must(p.CreateAddress(ctx))(t); c.IP != "192.168.0.6" {
		t.Errorf("after destroying .6, created %s", c.IP)
	}
}

func TestVolumes(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	v1 := must(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{}))(t)
	v2 := must(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "data", Capacity: 5, RealmID: "eu"}))(t)
	if !regexp.MustCompile(`^volume_\d+$`).MatchString(v1.ID) || v1.Name != "Volume"+v1.ID || v1.Capacity != 1 ||
		v1.State != deltacloud.VolumeAvailable || v1.RealmID != "" || v1.Created.IsZero() {
		t.Errorf("created %+v", v1)
	}
	if v2.ID == v1.ID || v2.Name != "data" || v2.Capacity != 5 || v2.RealmID != "eu" {
		t.Errorf("second create %+v (first %s)", v2, v1.ID)
	}
	v3 := must(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: "snap1"}))(t)
	if v3.Capacity != 1 {
		t.Errorf("from snapshot: %+v", v3)
	}
	att := must(p.AttachStorageVolume(ctx, v1.ID, "inst0", "/dev/sdb"))(t)
	if att.State != deltacloud.VolumeInUse || att.InstanceID != "inst0" || att.Device != "/dev/sdb" {
		t.Errorf("attached %+v", att)
	}
	auto := must(p.AttachStorageVolume(ctx, v2.ID, "inst0", ""))(t)
	if auto.Device != "/dev/sdf" {
		t.Errorf("device picked %q, want /dev/sdf", auto.Device)
	}
	must(p.Stop(ctx, "inst2"))(t)
	_, attachStopped := p.AttachStorageVolume(ctx, "vol1", "inst2", "/dev/sdc")
	var de *deltacloud.Error
	if !errors.As(attachStopped, &de) || de.Code != deltacloud.InvalidState || de.State != deltacloud.StateStopped {
		t.Errorf("attach to a stopped instance = %v, want InvalidState with state STOPPED", attachStopped)
	}
	cases := []struct {
		name string
		err  error
		code deltacloud.Code
	}{
		{"attach in use", second(p.AttachStorageVolume(ctx, "vol3", "inst0", "")), deltacloud.InvalidState},
		{"attach busy device", second(p.AttachStorageVolume(ctx, "vol1", "inst0", "/dev/sdb")), deltacloud.Conflict},
		{"attach unknown instance", second(p.AttachStorageVolume(ctx, "vol1", "inst99", "")), deltacloud.NotFound},
		{"attach unknown volume", second(p.AttachStorageVolume(ctx, "vol99", "inst0", "")), deltacloud.NotFound},
		{"detach free", second(p.DetachStorageVolume(ctx, "vol1")), deltacloud.InvalidState},
		{"destroy attached", p.DestroyStorageVolume(ctx, "vol3"), deltacloud.InvalidState},
		{"destroy unknown", p.DestroyStorageVolume(ctx, "vol99"), deltacloud.NotFound},
		{"unknown snapshot", second(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: "snap99"})), deltacloud.NotFound},
		{"unknown realm", second(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{RealmID: "mars"})), deltacloud.InvalidArgument},
	}
	for _, c := range cases {
		wantCode(t, c.name, c.err, c.code)
	}
	det := must(p.DetachStorageVolume(ctx, "vol3"))(t)
	if det.State != deltacloud.VolumeAvailable || det.InstanceID != "" || det.Device != "" {
		t.Errorf("detached %+v", det)
	}
	if err := p.DestroyStorageVolume(ctx, "vol3"); err != nil {
		t.Fatal(err)
	}
	// Destroying an instance detaches its volumes.
	must(p.Stop(ctx, "inst0"))(t)
	if err := p.Destroy(ctx, "inst0"); err != nil {
		t.Fatal(err)
	}
	if v := must(p.StorageVolume(ctx, v1.ID))(t); v.State != deltacloud.VolumeAvailable || v.InstanceID != "" {
		t.Errorf("volume of a destroyed instance: %+v", v)
	}
}

func TestVolumeAndSnapshotIDsUnique(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	seen := map[string]bool{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
			if err != nil {
				t.Error(err)
				return
			}
			s, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, id := range []string{v.ID, s.ID} {
				if seen[id] {
					t.Errorf("id %s created twice", id)
				}
				seen[id] = true
			}
		})
	}
	wg.Wait()
	if n := len(must(p.StorageVolumes(ctx))(t)); n != 3+8 {
		t.Errorf("%d volumes, want 11", n)
	}
}

func TestSnapshots(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	s := must(p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol1"}))(t)
	if !regexp.MustCompile(`^store_snapshot_\d+$`).MatchString(s.ID) || s.Name != s.ID || s.VolumeID != "vol1" ||
		s.State != deltacloud.SnapshotCompleted {
		t.Errorf("created %+v", s)
	}
	named := must(p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol3", Name: "n", Description: "d"}))(t)
	if named.Name != "n" || named.Description != "d" {
		t.Errorf("named %+v", named)
	}
	_, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol99"})
	wantCode(t, "snapshot of unknown volume", err, deltacloud.NotFound)
	wantCode(t, "destroy unknown", p.DestroyStorageSnapshot(ctx, "snap99"), deltacloud.NotFound)
	if err := p.DestroyStorageSnapshot(ctx, "snap2"); err != nil {
		t.Fatal(err)
	}
	if n := len(must(p.StorageSnapshots(ctx))(t)); n != 4 {
		t.Errorf("%d snapshots, want 4", n)
	}
}

func TestBucketsAndBlobs(t *testing.T) {
	for _, storage := range []bool{false, true} {
		t.Run(map[bool]string{false: "memory", true: "storage"}[storage], func(t *testing.T) {
			var opts map[string]string
			if storage {
				opts = map[string]string{"storage": t.TempDir()}
			}
			p := openMock(t, opts)
			ctx := t.Context()
			b := must(p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "new"}))(t)
			if d := cmp.Diff(&deltacloud.Bucket{ID: "new", Name: "new", BlobIDs: []string{}}, b); d != "" {
				t.Errorf("created (-want +got):\n%s", d)
			}
			meta := map[string]string{"A": "1"}
			blob := must(p.PutBlob(ctx, "new", deltacloud.BlobSpec{ID: "x/y z", ContentType: "text/plain", Metadata: meta},
				strings.NewReader("hello")))(t)
			if blob.ContentLength != 5 || blob.ContentType != "text/plain" || blob.BucketID != "new" || blob.LastModified.IsZero() ||
				!cmp.Equal(blob.Metadata, map[string]string{"a": "1"}) {
				t.Errorf("put %+v", blob)
			}
			if got := readBlob(t, p, "new", "x/y z"); got != "hello" {
				t.Errorf("content %q", got)
			}
			// Replacing keeps one blob with the new content.
			must(p.PutBlob(ctx, "new", deltacloud.BlobSpec{ID: "x/y z"}, strings.NewReader("bye")))(t)
			if got := readBlob(t, p, "new", "x/y z"); got != "bye" {
				t.Errorf("replaced content %q", got)
			}
			if got := must(p.Bucket(ctx, "new"))(t); got.Size != 1 {
				t.Errorf("bucket after replace: %+v", got)
			}
			set := must(p.SetBlobMetadata(ctx, "new", "x/y z", map[string]string{"B": "2"}))(t)
			if d := cmp.Diff(map[string]string{"b": "2"}, set.Metadata); d != "" { // keys are lower-cased
				t.Errorf("metadata (-want +got):\n%s", d)
			}
			cases := []struct {
				name string
				err  error
				code deltacloud.Code
			}{
				{"duplicate bucket", second(p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "bucket1"})), deltacloud.Conflict},
				{"location not advertised", second(p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "l", Location: "eu"})), deltacloud.NotSupported},
				{"destroy non-empty", p.DestroyBucket(ctx, "new"), deltacloud.InvalidState},
				{"destroy unknown bucket", p.DestroyBucket(ctx, "nope"), deltacloud.NotFound},
				{"put into unknown bucket", second(p.PutBlob(ctx, "nope", deltacloud.BlobSpec{ID: "a"}, strings.NewReader(""))), deltacloud.NotFound},
				{"destroy unknown blob", p.DestroyBlob(ctx, "new", "nope"), deltacloud.NotFound},
				{"metadata of unknown blob", second(p.SetBlobMetadata(ctx, "new", "nope", nil)), deltacloud.NotFound},
				{"bad metadata", second(p.SetBlobMetadata(ctx, "new", "x/y z", map[string]string{"a b": "1"})), deltacloud.InvalidArgument},
				{"content of unknown blob", second3(p.BlobContent(ctx, "new", "nope")), deltacloud.NotFound},
			}
			for _, c := range cases {
				wantCode(t, c.name, c.err, c.code)
			}
			if err := p.DestroyBlob(ctx, "new", "x/y z"); err != nil {
				t.Fatal(err)
			}
			if err := p.DestroyBucket(ctx, "new"); err != nil {
				t.Fatal(err)
			}
			if n := len(must(p.Buckets(ctx))(t)); n != 2 {
				t.Errorf("%d buckets left, want 2", n)
			}
		})
	}
}

func second3[A, B any](_ A, _ B, err error) error { return err }

func TestMetrics(t *testing.T) {
	ctx := t.Context()
	noTime := cmpopts.IgnoreFields(deltacloud.MetricSample{}, "Timestamp")
	p := openMock(t, map[string]string{"seed": "42"})
	m := must(p.Metric(ctx, "inst1"))(t)
	if m.ID != "inst1" || m.Entity != "MockUserInstance" || len(m.Properties) != 9 {
		t.Fatalf("metric %+v", m)
	}
	for _, prop := range m.Properties {
		if len(prop.Samples) != 6 {
			t.Errorf("%s has %d samples, want 6", prop.Name, len(prop.Samples))
		}
		for i, s := range prop.Samples {
			if s.Minimum > s.Average || s.Average > s.Maximum || s.Unit == "" || s.Timestamp.IsZero() {
				t.Errorf("%s sample %d = %+v", prop.Name, i, s)
			}
			if i > 0 && !s.Timestamp.Before(prop.Samples[i-1].Timestamp) {
				t.Errorf("%s samples not newest first", prop.Name)
			}
		}
	}
	if u := m.Properties[0].Samples[0].Unit; m.Properties[0].Name != "cpuUtilization" || u != "Percent" {
		t.Errorf("cpuUtilization unit %q", u)
	}
	// The same seed gives the same samples, in another cloud too.
	q := openMock(t, map[string]string{"seed": "42"})
	if d := cmp.Diff(m, must(q.Metric(ctx, "inst1"))(t), noTime); d != "" {
		t.Errorf("same seed, different samples:\n%s", d)
	}
	r := openMock(t, map[string]string{"seed": "43"})
	if cmp.Equal(m, must(r.Metric(ctx, "inst1"))(t), noTime) {
		t.Error("seeds 42 and 43 gave the same samples")
	}
	if other := must(p.Metric(ctx, "inst2"))(t); cmp.Equal(m.Properties, other.Properties, noTime) {
		t.Error("inst1 and inst2 have the same samples")
	}
	_, err := p.Metric(ctx, "inst99")
	wantCode(t, "Metric(inst99)", err, deltacloud.NotFound)
	// Metrics follow the instances.
	in := must(p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Name: "new"}))(t)
	ms := must(p.Metrics(ctx))(t)
	if last := ms[len(ms)-1]; len(ms) != 5 || last.ID != in.ID || last.Entity != "new" {
		t.Errorf("metrics after create: %+v", ms)
	}
	must(p.Stop(ctx, in.ID))(t)
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	_, err = p.Metric(ctx, in.ID)
	wantCode(t, "Metric of a destroyed instance", err, deltacloud.NotFound)
}

func TestImagesFromInstances(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	img := must(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst0", Name: "snapshot-of-0"}))(t)
	want := &deltacloud.Image{ID: "snapshot-of-0", Name: "snapshot-of-0", Owner: mock.User, Architecture: "i386",
		State: "AVAILABLE", HardwareProfiles: []string{"m1-small", "m1-large", "m1-xlarge", "opaque"}, RootType: "transient"}
	if d := cmp.Diff(want, img, cmpopts.IgnoreFields(deltacloud.Image{}, "CreationTime")); d != "" || img.CreationTime.IsZero() {
		t.Errorf("created (-want +got):\n%s", d)
	}
	var ids []string
	for _, i := range must(p.Images(ctx, deltacloud.ImageFilter{}))(t) {
		ids = append(ids, i.ID)
	}
	// Sorted by (owner, description): fedoraproject's, then mockuser's.
	if d := cmp.Diff([]string{"img1", "img2", "snapshot-of-0", "img3"}, ids); d != "" {
		t.Errorf("images (-want +got):\n%s", d)
	}
	if got := must(p.Image(ctx, "snapshot-of-0"))(t); got.Owner != mock.User {
		t.Errorf("Image = %+v", got)
	}
	// The new image launches instances.
	must(p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "snapshot-of-0"}))(t)
	var de *deltacloud.Error
	_, err := p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst3", Name: "x"})
	if !errors.As(err, &de) || de.Code != deltacloud.InvalidState || de.State != deltacloud.StateRunning {
		t.Errorf("image of inst3 = %v, want InvalidState (RUNNING)", err)
	}
	cases := []struct {
		name string
		err  error
		code deltacloud.Code
	}{
		{"duplicate", second(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst1", Name: "img1"})), deltacloud.Conflict},
		{"no name", second(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst1"})), deltacloud.InvalidArgument},
		{"unknown instance", second(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst99", Name: "y"})), deltacloud.NotFound},
		{"destroy unknown", p.DestroyImage(ctx, "nope"), deltacloud.NotFound},
	}
	for _, c := range cases {
		wantCode(t, c.name, c.err, c.code)
	}
	if err := p.DestroyImage(ctx, "snapshot-of-0"); err != nil {
		t.Fatal(err)
	}
	_, err = p.Image(ctx, "snapshot-of-0")
	wantCode(t, "destroyed image", err, deltacloud.NotFound)
}

func TestFirewalls(t *testing.T) {
	p := openMock(t, map[string]string{"firewalls": "true"})
	ctx := t.Context()
	fw := must(p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "web servers"}))(t)
	if fw.ID != "web" || fw.Owner != mock.User || len(fw.Rules) != 0 {
		t.Errorf("created %+v", fw)
	}
	rule := deltacloud.FirewallRuleSpec{Protocol: "TCP", PortFrom: 80, PortTo: 443,
		Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("10.1.2.3/8")},
			{Type: deltacloud.SourceGroup, Group: "default", Owner: mock.User}}}
	fw = must(p.AddFirewallRule(ctx, "web", rule))(t)
	wantRule := deltacloud.FirewallRule{ID: "rule1", Protocol: "tcp", PortFrom: 80, PortTo: 443,
		Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("10.0.0.0/8")},
			{Type: deltacloud.SourceGroup, Group: "default", Owner: mock.User}}}
	prefixes := cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })
	if d := cmp.Diff([]deltacloud.FirewallRule{wantRule}, fw.Rules, prefixes); d != "" {
		t.Errorf("rules (-want +got):\n%s", d)
	}
	icmp := deltacloud.FirewallRuleSpec{Protocol: "icmp", PortFrom: -1, PortTo: -1, Sources: rule.Sources[:1]}
	fw = must(p.AddFirewallRule(ctx, "web", icmp))(t)
	if len(fw.Rules) != 2 || fw.Rules[1].ID != "rule2" {
		t.Errorf("after second rule %+v", fw.Rules)
	}
	cases := []struct {
		name string
		err  error
		code deltacloud.Code
	}{
		{"duplicate firewall", second(p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "default", Description: "d"})), deltacloud.Conflict},
		{"duplicate rule", second(p.AddFirewallRule(ctx, "web", rule)), deltacloud.Conflict},
		{"no sources", second(p.AddFirewallRule(ctx, "web", deltacloud.FirewallRuleSpec{Protocol: "tcp"})), deltacloud.InvalidArgument},
		{"rule of unknown firewall", second(p.AddFirewallRule(ctx, "nope", icmp)), deltacloud.NotFound},
		{"delete unknown rule", p.DeleteFirewallRule(ctx, "web", "rule9"), deltacloud.NotFound},
		{"destroy unknown", p.DestroyFirewall(ctx, "nope"), deltacloud.NotFound},
	}
	for _, c := range cases {
		wantCode(t, c.name, c.err, c.code)
	}
	if err := p.DeleteFirewallRule(ctx, "web", "rule1"); err != nil {
		t.Fatal(err)
	}
	// Rule ids are not reused.
	fw = must(p.AddFirewallRule(ctx, "web", rule))(t)
	if ids := []string{fw.Rules[0].ID, fw.Rules[1].ID}; !slices.Equal(ids, []string{"rule2", "rule3"}) {
		t.Errorf("rule ids %v", ids)
	}
	if err := p.DestroyFirewall(ctx, "web"); err != nil {
		t.Fatal(err)
	}
	if n := len(must(p.Firewalls(ctx))(t)); n != 1 {
		t.Errorf("%d firewalls, want 1", n)
	}
}

func TestFaultInjectionCoversCollections(t *testing.T) {
	p := openMock(t, map[string]string{"firewalls": "true"})
	var c *mock.Cloud
	p.As(&c)
	ctx := t.Context()
	calls := []struct {
		op   mock.Op
		call func() error
	}{
		{mock.OpKeys, func() error { return second(p.Keys(ctx)) }},
		{mock.OpCreateKey, func() error { return second(p.CreateKey(ctx, deltacloud.KeySpec{Name: "k"})) }},
		{mock.OpFirewalls, func() error { return second(p.Firewalls(ctx)) }},
		{mock.OpAddresses, func() error { return second(p.Addresses(ctx)) }},
		{mock.OpCreateAddress, func() error { return second(p.CreateAddress(ctx)) }},
		{mock.OpStorageVolumes, func() error { return second(p.StorageVolumes(ctx)) }},
		{mock.OpCreateStorageSnapshot, func() error {
			return second(p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol1"}))
		}},
		{mock.OpBucket, func() error { return second(p.Bucket(ctx, "bucket1")) }},
		{mock.OpPutBlob, func() error {
			return second(p.PutBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: "f"}, strings.NewReader("x")))
		}},
		{mock.OpBlobContent, func() error { return second3(p.BlobContent(ctx, "bucket1", "blob1")) }},
		{mock.OpMetric, func() error { return second(p.Metric(ctx, "inst0")) }},
		{mock.OpCreateImage, func() error {
			return second(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst0", Name: "fi"}))
		}},
	}
	for _, cl := range calls {
		c.FailNext(cl.op, 1, deltacloud.ErrUnavailable)
		err := cl.call()
		wantCode(t, string(cl.op)+" with a fault", err, deltacloud.Unavailable)
		// One vocabulary: the fault's Op is the error's.
		var e *deltacloud.Error
		if !errors.As(err, &e) || e.Op != string(cl.op) {
			t.Errorf("%s: the error's Op is not the injected one: %v", cl.op, err)
		}
		if err := cl.call(); err != nil {
			t.Errorf("%s after the fault: %v", cl.op, err)
		}
		if n := c.Hits(cl.op); n != 1 {
			t.Errorf("Hits(%s) = %d, want 1", cl.op, n)
		}
	}
	c.SetLatency(mock.OpPutBlob, time.Hour)
	short, cancel := contextWithTimeout(t, 10*time.Millisecond)
	defer cancel()
	_, err := p.PutBlob(short, "bucket1", deltacloud.BlobSpec{ID: "slow"}, strings.NewReader("x"))
	wantCode(t, "slow PutBlob", err, deltacloud.Timeout)
	if _, err := p.Blob(ctx, "bucket1", "slow"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("a timed-out upload was kept: %v", err)
	}
}
