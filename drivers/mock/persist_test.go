package mock_test

import (
	"context"
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
)

func contextWithTimeout(t *testing.T, d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(t.Context(), d)
}

// snapshot is everything a provider lists, for comparing two clouds.
type snapshot struct {
	Instances []deltacloud.Instance
	Images    []deltacloud.Image
	Keys      []deltacloud.Key
	Firewalls []deltacloud.Firewall
	Addresses []deltacloud.IPAddress
	Volumes   []deltacloud.StorageVolume
	Snapshots []deltacloud.StorageSnapshot
	Buckets   []deltacloud.Bucket
	Blobs     map[string]string // bucket/blob → content
	Meta      map[string]map[string]string
}

func take(t *testing.T, p *deltacloud.Provider) snapshot {
	t.Helper()
	ctx := t.Context()
	s := snapshot{
		Instances: must(p.Instances(ctx, deltacloud.InstanceFilter{}))(t),
		Images:    must(p.Images(ctx, deltacloud.ImageFilter{}))(t),
		Keys:      must(p.Keys(ctx))(t),
		Addresses: must(p.Addresses(ctx))(t),
		Volumes:   must(p.StorageVolumes(ctx))(t),
		Snapshots: must(p.StorageSnapshots(ctx))(t),
		Buckets:   must(p.Buckets(ctx))(t),
		Blobs:     map[string]string{},
		Meta:      map[string]map[string]string{},
	}
	if slices.Contains(p.Collections(), deltacloud.CollectionFirewalls) {
		s.Firewalls = must(p.Firewalls(ctx))(t)
	}
	for _, b := range s.Buckets {
		for _, id := range b.BlobIDs {
			s.Blobs[b.ID+"/"+id] = readBlob(t, p, b.ID, id)
			s.Meta[b.ID+"/"+id] = must(p.Blob(ctx, b.ID, id))(t).Metadata
		}
	}
	return s
}

var snapshotOpts = []cmp.Option{equateTimes, cmpopts.EquateEmpty(), cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })}

func TestStorageRoundTrip(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"storage": dir, "firewalls": "true"}
	p := openMock(t, opts)
	ctx := t.Context()
	fresh := take(t, p)
	// Change every collection.
	must(p.CreateKey(ctx, deltacloud.KeySpec{Name: "k/1"}))(t)
	if err := p.DestroyKey(ctx, "test-key"); err != nil {
		t.Fatal(err)
	}
	must(p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "w"}))(t)
	must(p.AddFirewallRule(ctx, "default", deltacloud.FirewallRuleSpec{Protocol: "udp", PortFrom: 53, PortTo: 53,
		Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("10.0.0.0/8")}}}))(t)
	must(p.CreateAddress(ctx))(t)
	if err := p.AssociateAddress(ctx, "192.168.0.1", "inst2"); err != nil {
		t.Fatal(err)
	}
	v := must(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "data", Capacity: 3}))(t)
	must(p.AttachStorageVolume(ctx, v.ID, "inst0", ""))(t)
	must(p.DetachStorageVolume(ctx, "vol3"))(t)
	must(p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID}))(t)
	if err := p.DestroyStorageSnapshot(ctx, "snap1"); err != nil {
		t.Fatal(err)
	}
	must(p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "new bucket"}))(t)
	must(p.PutBlob(ctx, "new bucket", deltacloud.BlobSpec{ID: "../escape", ContentType: "text/x", Metadata: map[string]string{"K": "v"}},
		strings.NewReader("kept")))(t)
	must(p.PutBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: "blob1"}, strings.NewReader("replaced")))(t)
	must(p.SetBlobMetadata(ctx, "bucket2", "blob4", map[string]string{"NEW": "1"}))(t)
	if err := p.DestroyBlob(ctx, "bucket2", "blob5"); err != nil {
		t.Fatal(err)
	}
	must(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst1", Name: "saved"}))(t)
	if err := p.DestroyImage(ctx, "img2"); err != nil {
		t.Fatal(err)
	}
	changed := take(t, p)
	if cmp.Equal(fresh, changed, snapshotOpts...) {
		t.Fatal("the changes changed nothing")
	}
	p.Close()

	// A new cloud on the directory reloads everything from disk.
	q := openMock(t, opts)
	if d := cmp.Diff(changed, take(t, q), snapshotOpts...); d != "" {
		t.Errorf("reloaded cloud (-before +after):\n%s", d)
	}
	// Nothing escaped the store, and each collection has its directory.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, e := range entries {
		dirs = append(dirs, e.Name())
	}
	want := []string{"addresses", "blobs", "buckets", "client_tokens", "firewalls", "images", "instances", "keys", "storage_snapshots", "storage_volumes"}
	if d := cmp.Diff(want, dirs); d != "" {
		t.Errorf("store entries (-want +got):\n%s", d)
	}
	// One content file per blob: the replaced content is gone.
	blobs, _ := filepath.Glob(filepath.Join(dir, "blobs", "*.data"))
	if len(blobs) != 5 {
		t.Errorf("%d content files, want 5: %v", len(blobs), blobs)
	}
}

func TestStorageSeedsNewCollections(t *testing.T) {
	// A store written before the optional collections has instances only.
	dir := t.TempDir()
	p := openMock(t, map[string]string{"storage": dir})
	must(p.Stop(t.Context(), "inst2"))(t)
	p.Close()
	for _, d := range []string{"images", "keys", "firewalls", "addresses", "storage_volumes", "storage_snapshots", "buckets", "blobs"} {
		if err := os.RemoveAll(filepath.Join(dir, d)); err != nil {
			t.Fatal(err)
		}
	}
	q := openMock(t, map[string]string{"storage": dir})
	fresh := take(t, openMock(t, nil))
	got := take(t, q)
	if got.Instances[2].State != deltacloud.StateStopped {
		t.Errorf("inst2 = %s, want the stored STOPPED", got.Instances[2].State)
	}
	got.Instances, fresh.Instances = nil, nil
	if d := cmp.Diff(fresh, got, snapshotOpts...); d != "" {
		t.Errorf("seeded collections (-fixtures +got):\n%s", d)
	}
}

func TestStorageCleansOrphans(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"storage": dir}
	p := openMock(t, opts)
	p.Close()
	// A crash may leave a temp file and content no blob names yet.
	orphans := []string{filepath.Join(dir, "blobs", ".tmp-content-123"), filepath.Join(dir, "blobs", "bucket1~blob1~999.data"),
		filepath.Join(dir, "keys", ".tmp-9")}
	for _, o := range orphans {
		if err := os.WriteFile(o, []byte("partial"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	q := openMock(t, opts)
	if got := readBlob(t, q, "bucket1", "blob1"); got != "content of blob 1" {
		t.Errorf("blob1 = %q", got)
	}
	for _, o := range orphans {
		if _, err := os.Stat(o); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s left behind: %v", o, err)
		}
	}
}

// failingReader yields n bytes, then fails.
type failingReader struct {
	n   int
	err error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, r.err
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	r.n -= k
	return k, nil
}

// cancellingReader yields bytes forever, cancelling its context after n.
type cancellingReader struct {
	n      int
	cancel context.CancelFunc
}

func (r *cancellingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		r.cancel()
	}
	r.n -= len(p)
	return len(p), nil
}

// TestFailedUploadKeepsNothing: a reader that fails half-way, a cancelled
// context or a wrong size leave neither a new blob nor a temp file, and a
// replaced blob keeps its old content.
func TestFailedUploadKeepsNothing(t *testing.T) {
	for _, storage := range []bool{false, true} {
		t.Run(map[bool]string{false: "memory", true: "storage"}[storage], func(t *testing.T) {
			dir := t.TempDir()
			var opts map[string]string
			if storage {
				opts = map[string]string{"storage": dir}
			}
			p := openMock(t, opts)
			boom := errors.New("boom")
			cases := []struct {
				name string
				put  func(id string) error
				code deltacloud.Code
			}{
				{"reader fails half-way", func(id string) error {
					return second(p.PutBlob(t.Context(), "bucket1", deltacloud.BlobSpec{ID: id}, &failingReader{n: 200 << 10, err: boom}))
				}, deltacloud.InvalidArgument},
				{"context cancelled mid-upload", func(id string) error {
					ctx, cancel := context.WithCancel(t.Context())
					defer cancel()
					return second(p.PutBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: id}, &cancellingReader{n: 300 << 10, cancel: cancel}))
				}, deltacloud.Canceled},
				{"content shorter than Size", func(id string) error {
					return second(p.PutBlob(t.Context(), "bucket1", deltacloud.BlobSpec{ID: id, Size: 10}, strings.NewReader("short")))
				}, deltacloud.InvalidArgument},
				{"content longer than Size", func(id string) error {
					return second(p.PutBlob(t.Context(), "bucket1", deltacloud.BlobSpec{ID: id, Size: 2}, strings.NewReader("longer")))
				}, deltacloud.InvalidArgument},
			}
			for _, c := range cases {
				for _, id := range []string{"fresh", "blob1"} {
					err := c.put(id)
					wantCode(t, c.name+" ("+id+")", err, c.code)
					if c.name == "reader fails half-way" && !errors.Is(err, boom) {
						t.Errorf("%s: %v does not wrap the reader's error", c.name, err)
					}
				}
				if _, err := p.Blob(t.Context(), "bucket1", "fresh"); !errors.Is(err, deltacloud.ErrNotFound) {
					t.Errorf("%s: a new blob was kept: %v", c.name, err)
				}
				if got := readBlob(t, p, "bucket1", "blob1"); got != "content of blob 1" {
					t.Errorf("%s: blob1 = %q, want its old content", c.name, got)
				}
				if b := must(p.Blob(t.Context(), "bucket1", "blob1"))(t); b.ContentLength != 17 {
					t.Errorf("%s: blob1 length %d", c.name, b.ContentLength)
				}
			}
			if storage {
				left, _ := filepath.Glob(filepath.Join(dir, "blobs", ".tmp-*"))
				data, _ := filepath.Glob(filepath.Join(dir, "blobs", "*.data"))
				if len(left) != 0 || len(data) != 5 {
					t.Errorf("after failed uploads: temp files %v, %d content files (want 5)", left, len(data))
				}
			}
		})
	}
}

// TestBlobContentCancelled: a reader of blob content stops when its context
// ends.
func TestBlobContentCancelled(t *testing.T) {
	p := openMock(t, map[string]string{"storage": t.TempDir()})
	ctx, cancel := context.WithCancel(t.Context())
	_, rc, err := p.BlobContent(ctx, "bucket1", "blob2")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	buf := make([]byte, 4)
	if _, err := rc.Read(buf); err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := io.ReadAll(rc); !errors.Is(err, deltacloud.ErrTimeout) && !errors.Is(err, context.Canceled) {
		t.Errorf("read after cancel: %v", err)
	}
}

// pattern is what patternReader repeats.
var pattern = func() []byte {
	b := make([]byte, 64<<10)
	for i := range b {
		b[i] = byte(i * 7)
	}
	return b
}()

// patternReader yields n bytes of a repeating pattern without allocating.
type patternReader struct{ n int64 }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(int64(len(p)), r.n)], pattern)
	r.n -= int64(k)
	return k, nil
}

// TestLargeBlobConstantMemory streams a 1 GiB blob (64 MiB with -short)
// into and out of a storage-backed mock through the Provider and checks
// that the process allocated only a few MiB doing it.
func TestLargeBlobConstantMemory(t *testing.T) {
	size := int64(1 << 30)
	if testing.Short() {
		size = 64 << 20
	}
	p := openMock(t, map[string]string{"storage": t.TempDir()})
	ctx := t.Context()
	must(p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "big"}))(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	b := must(p.PutBlob(ctx, "big", deltacloud.BlobSpec{ID: "blob", Size: size}, &patternReader{n: size}))(t)
	up := time.Since(start)
	_, rc, err := p.BlobContent(ctx, "big", "blob")
	if err != nil {
		t.Fatal(err)
	}
	n, err := io.CopyBuffer(struct{ io.Writer }{io.Discard}, rc, make([]byte, 64<<10))
	rc.Close()
	runtime.ReadMemStats(&after)
	if err != nil || n != size || b.ContentLength != size {
		t.Fatalf("read back %d bytes (%v), blob says %d; want %d", n, err, b.ContentLength, size)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d MiB up in %v, down in %v; %d KiB allocated in all, heap in use %d KiB",
		size>>20, up.Round(time.Millisecond), (time.Since(start) - up).Round(time.Millisecond), alloc>>10, after.HeapInuse>>10)
	if alloc > 8<<20 {
		t.Errorf("streaming %d MiB allocated %d KiB; want O(1), under 8 MiB", size>>20, alloc>>10)
	}
}
