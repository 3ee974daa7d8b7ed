package drivertest

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

func (s *suite) testBuckets(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionBuckets)
	ctx := t.Context()
	bs, err := p.Buckets(ctx)
	if err != nil {
		t.Fatalf("Buckets: %v", err)
	}
	for _, b := range bs[:min(len(bs), 20)] {
		got, err := p.Bucket(ctx, b.ID)
		if err != nil {
			t.Errorf("Bucket(%q): %v", b.ID, err)
			continue
		}
		if got.ID != b.ID || got.Name != b.Name {
			t.Errorf("Bucket(%q) is %q named %q; the listing says %q named %q", b.ID, got.ID, got.Name, b.ID, b.Name)
		}
		if b.BlobIDs != nil && !slices.Equal(sorted(b.BlobIDs), sorted(got.BlobIDs)) {
			t.Errorf("Bucket(%q) holds %v; the listing says %v", b.ID, got.BlobIDs, b.BlobIDs)
		}
	}
	const unknown = "drivertest-no-such-bucket-0"
	_, err = p.Bucket(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "Bucket(%q)", unknown)
	wantErr(t, p.DestroyBucket(ctx, unknown), deltacloud.ErrNotFound, "DestroyBucket(%q)", unknown)
	_, err = p.CreateBucket(ctx, deltacloud.BucketSpec{})
	wantErr(t, err, deltacloud.ErrInvalidArgument, "CreateBucket without a name")
	if !p.Features().Has(deltacloud.FeatureBucketLocation) {
		before := len(s.buckets(t, p))
		b, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: uniqueName("bucket"), Location: "drivertest"})
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("CreateBucket with a location (bucket_location not advertised) = %v, want ErrNotSupported", err)
			if err == nil {
				s.destroyBucket(p, b.ID)
			}
		}
		if after := len(s.buckets(t, p)); after != before {
			t.Errorf("a refused create changed the number of buckets from %d to %d", before, after)
		}
	}

	b := s.createBucket(t, p)
	if b.Size != 0 || len(b.BlobIDs) != 0 {
		t.Errorf("new bucket %s holds %d blobs %v, want none", b.ID, b.Size, b.BlobIDs)
	}
	blob := deltacloud.BlobSpec{ID: "drivertest-blob", ContentType: "text/plain"}
	if _, err := p.PutBlob(ctx, b.ID, blob, strings.NewReader("not empty")); err != nil {
		t.Fatalf("PutBlob(%q, %q): %v", b.ID, blob.ID, err)
	}
	got, err := p.Bucket(ctx, b.ID)
	if err != nil {
		t.Fatalf("Bucket(%q): %v", b.ID, err)
	}
	if got.Size != 1 || !slices.Equal(got.BlobIDs, []string{blob.ID}) {
		t.Errorf("Bucket(%q) holds %d blobs %v, want [%s]", b.ID, got.Size, got.BlobIDs, blob.ID)
	}
	wantErr(t, p.DestroyBucket(ctx, b.ID), deltacloud.ErrInvalidState, "DestroyBucket(%q) of a bucket holding a blob", b.ID)
	if _, err := p.Bucket(ctx, b.ID); err != nil {
		t.Errorf("Bucket(%q) after a refused destroy: %v", b.ID, err)
	}
	if err := p.DestroyBlob(ctx, b.ID, blob.ID); err != nil {
		t.Fatalf("DestroyBlob(%q, %q): %v", b.ID, blob.ID, err)
	}
	if err := p.DestroyBucket(ctx, b.ID); err != nil {
		t.Fatalf("DestroyBucket(%q): %v", b.ID, err)
	}
	s.waitGone(t, "bucket "+b.ID, func(ctx context.Context) error { _, err := p.Bucket(ctx, b.ID); return err })
}

// createBucket creates an empty bucket, emptied and destroyed when the test
// ends, and checks that it is listed.
func (s *suite) createBucket(t *testing.T, p *deltacloud.Provider) *deltacloud.Bucket {
	t.Helper()
	name := uniqueName("bucket")
	b, err := p.CreateBucket(t.Context(), deltacloud.BucketSpec{Name: name})
	if err != nil {
		t.Fatalf("CreateBucket(%q): %v", name, err)
	}
	t.Cleanup(func() { s.destroyBucket(p, b.ID) })
	if b.ID != name && b.Name != name {
		t.Errorf("CreateBucket(%q) made bucket %q named %q; neither is the name asked for", name, b.ID, b.Name)
	}
	if !slices.ContainsFunc(s.buckets(t, p), func(l deltacloud.Bucket) bool { return l.ID == b.ID }) {
		t.Errorf("created bucket %s is not listed", b.ID)
	}
	got, err := p.Bucket(t.Context(), b.ID)
	if err != nil {
		t.Fatalf("Bucket(%q) after create: %v", b.ID, err)
	}
	return got
}

// destroyBucket deletes a bucket and its blobs after the test, ignoring
// errors.
func (s *suite) destroyBucket(p *deltacloud.Provider, id string) {
	ctx, cancel := s.cleanupCtx()
	defer cancel()
	if b, err := p.Bucket(ctx, id); err == nil {
		for _, blob := range b.BlobIDs {
			p.DestroyBlob(ctx, id, blob)
		}
	}
	p.DestroyBucket(ctx, id)
}

func (s *suite) buckets(t *testing.T, p *deltacloud.Provider) []deltacloud.Bucket {
	t.Helper()
	bs, err := p.Buckets(t.Context())
	if err != nil {
		t.Fatalf("Buckets: %v", err)
	}
	return bs
}

func sorted(ids []string) []string { return slices.Sorted(slices.Values(ids)) }

// defaultBlobSize is the size of the large blobs when the harness does not
// say: several MiB and not a multiple of any buffer size.
const defaultBlobSize = 4<<20 + 4093

func (s *suite) testBlobs(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionBuckets)
	ctx := t.Context()
	b := s.createBucket(t, p)
	size := s.h.BlobSize

	// A small blob with a type and metadata.
	small := deltacloud.BlobSpec{ID: "drivertest-small", ContentType: "text/plain",
		Metadata: map[string]string{"Drivertest": "small blob"}}
	const smallContent = "content of a drivertest blob\n"
	small.Size = int64(len(smallContent))
	put, err := p.PutBlob(ctx, b.ID, small, strings.NewReader(smallContent))
	if err != nil {
		t.Fatalf("PutBlob(%q, %q): %v", b.ID, small.ID, err)
	}
	checkBlob(t, "PutBlob", put, b.ID, small)
	got, err := p.Blob(ctx, b.ID, small.ID)
	if err != nil {
		t.Fatalf("Blob(%q, %q): %v", b.ID, small.ID, err)
	}
	checkBlob(t, "Blob", got, b.ID, small)
	if c := s.readBlob(t, p, b.ID, small.ID, small); c != sha256.Sum256([]byte(smallContent)) {
		t.Errorf("blob %s read back differs from what was written", small.ID)
	}
	meta := map[string]string{"Other": "value 2"}
	set, err := p.SetBlobMetadata(ctx, b.ID, small.ID, meta)
	if err != nil {
		t.Fatalf("SetBlobMetadata(%q, %q): %v", b.ID, small.ID, err)
	}
	small.Metadata = meta
	checkBlob(t, "SetBlobMetadata", set, b.ID, small)
	if got, err = p.Blob(ctx, b.ID, small.ID); err != nil {
		t.Fatalf("Blob(%q, %q) after SetBlobMetadata: %v", b.ID, small.ID, err)
	}
	checkBlob(t, "Blob after SetBlobMetadata", got, b.ID, small)
	if c := s.readBlob(t, p, b.ID, small.ID, small); c != sha256.Sum256([]byte(smallContent)) {
		t.Errorf("blob %s changed its content when its metadata was set", small.ID)
	}

	// Large blobs, of announced and of unknown size, compared by digest.
	known := deltacloud.BlobSpec{ID: "drivertest-large-known", Size: size, ContentType: "application/octet-stream"}
	s.roundTrip(t, p, b.ID, known, 1)
	unsized := deltacloud.BlobSpec{ID: "drivertest-large-unsized", Metadata: map[string]string{"Drivertest": "unsized"}}
	s.roundTrip(t, p, b.ID, unsized, 2)
	listed, err := p.Bucket(ctx, b.ID)
	if err != nil {
		t.Fatalf("Bucket(%q): %v", b.ID, err)
	}
	if want := []string{known.ID, unsized.ID, small.ID}; !slices.Equal(sorted(listed.BlobIDs), sorted(want)) {
		t.Errorf("Bucket(%q) holds %v, want %v", b.ID, listed.BlobIDs, want)
	}

	// Uploads that fail keep nothing: not the new blob, and a replaced blob
	// stays as it was.
	failing := func() io.Reader { return failAfter(content(3, size), 1<<20) }
	fails := []struct {
		name string
		spec deltacloud.BlobSpec
		r    func() io.Reader
		code error
	}{
		{"a failing reader", deltacloud.BlobSpec{ID: "drivertest-failed"}, failing, nil},
		{"a failing reader replacing a blob", known, failing, nil},
		{"fewer bytes than announced", deltacloud.BlobSpec{ID: "drivertest-short", Size: size + 1},
			func() io.Reader { return content(3, size) }, deltacloud.ErrInvalidArgument},
		{"more bytes than announced", deltacloud.BlobSpec{ID: "drivertest-long", Size: size - 1},
			func() io.Reader { return content(3, size) }, deltacloud.ErrInvalidArgument},
		{"fewer bytes than announced, replacing a blob", deltacloud.BlobSpec{ID: unsized.ID, Size: size + 1},
			func() io.Reader { return content(3, size) }, deltacloud.ErrInvalidArgument},
	}
	for _, f := range fails {
		_, err := p.PutBlob(ctx, b.ID, f.spec, f.r())
		switch {
		case err == nil:
			t.Errorf("PutBlob of %s succeeded", f.name)
		case f.code != nil && !errors.Is(err, f.code):
			t.Errorf("PutBlob of %s = %v, want %v", f.name, err, f.code)
		}
	}
	s.checkKept(t, p, b.ID, map[string]uint64{known.ID: 1, unsized.ID: 2}, "drivertest-failed", "drivertest-short", "drivertest-long")

	// Cancelling the context mid-stream, both ways.
	s.cancelUpload(t, p, b.ID)
	s.cancelDownload(t, p, b.ID, known.ID)
	s.checkKept(t, p, b.ID, map[string]uint64{known.ID: 1}, "drivertest-cancelled")

	// Unknown ids and bad metadata.
	const unknown = "drivertest-no-such-blob-0"
	_, err = p.Blob(ctx, b.ID, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "Blob(%q, %q)", b.ID, unknown)
	_, _, err = p.BlobContent(ctx, b.ID, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "BlobContent(%q, %q)", b.ID, unknown)
	_, err = p.SetBlobMetadata(ctx, b.ID, unknown, map[string]string{"A": "b"})
	wantErr(t, err, deltacloud.ErrNotFound, "SetBlobMetadata(%q, %q)", b.ID, unknown)
	wantErr(t, p.DestroyBlob(ctx, b.ID, unknown), deltacloud.ErrNotFound, "DestroyBlob(%q, %q)", b.ID, unknown)
	const noBucket = "drivertest-no-such-bucket-0"
	_, err = p.Blob(ctx, noBucket, small.ID)
	wantErr(t, err, deltacloud.ErrNotFound, "Blob(%q, %q)", noBucket, small.ID)
	_, err = p.PutBlob(ctx, noBucket, deltacloud.BlobSpec{ID: "x"}, strings.NewReader("x"))
	wantErr(t, err, deltacloud.ErrNotFound, "PutBlob into bucket %q", noBucket)
	_, err = p.PutBlob(ctx, b.ID, deltacloud.BlobSpec{ID: "drivertest-badmeta", Metadata: map[string]string{"bad name": "x"}},
		strings.NewReader("x"))
	wantErr(t, err, deltacloud.ErrInvalidArgument, "PutBlob with metadata name %q", "bad name")

	for _, id := range []string{small.ID, known.ID, unsized.ID} {
		if err := p.DestroyBlob(ctx, b.ID, id); err != nil {
			t.Errorf("DestroyBlob(%q, %q): %v", b.ID, id, err)
		}
		_, err := p.Blob(ctx, b.ID, id)
		wantErr(t, err, deltacloud.ErrNotFound, "Blob(%q, %q) after DestroyBlob", b.ID, id)
	}
}

// checkBlob compares a blob's attributes with the spec it was written
// from. Metadata names are compared without regard to case, as HTTP
// headers carry them; an empty type may come back as the default.
func checkBlob(t *testing.T, call string, got *deltacloud.Blob, bucket string, spec deltacloud.BlobSpec) {
	t.Helper()
	if got.ID != spec.ID || got.BucketID != bucket {
		t.Errorf("%s: blob %q in bucket %q, want %q in %q", call, got.ID, got.BucketID, spec.ID, bucket)
	}
	if spec.Size > 0 && got.ContentLength != spec.Size {
		t.Errorf("%s: blob %s is %d bytes long, want %d", call, spec.ID, got.ContentLength, spec.Size)
	}
	if got.ContentType != spec.ContentType && (spec.ContentType != "" || got.ContentType != "application/octet-stream") {
		t.Errorf("%s: blob %s has type %q, want %q", call, spec.ID, got.ContentType, spec.ContentType)
	}
	if !sameMetadata(got.Metadata, spec.Metadata) {
		t.Errorf("%s: blob %s has metadata %v, want %v", call, spec.ID, got.Metadata, spec.Metadata)
	}
}

func sameMetadata(got, want map[string]string) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		found := false
		for gk, gv := range got {
			if strings.EqualFold(gk, k) && gv == v {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// roundTrip writes size (or the harness's size) generated bytes from seed,
// checks the blob's attributes and reads the content back by digest.
func (s *suite) roundTrip(t *testing.T, p *deltacloud.Provider, bucket string, spec deltacloud.BlobSpec, seed uint64) {
	t.Helper()
	start := time.Now()
	put, err := p.PutBlob(t.Context(), bucket, spec, content(seed, s.h.BlobSize))
	if err != nil {
		t.Fatalf("PutBlob(%q, %q) of %d bytes: %v", bucket, spec.ID, s.h.BlobSize, err)
	}
	up := time.Since(start)
	spec.Size = s.h.BlobSize
	checkBlob(t, "PutBlob", put, bucket, spec)
	got, err := p.Blob(t.Context(), bucket, spec.ID)
	if err != nil {
		t.Fatalf("Blob(%q, %q): %v", bucket, spec.ID, err)
	}
	checkBlob(t, "Blob", got, bucket, spec)
	start = time.Now()
	if sum := s.readBlob(t, p, bucket, spec.ID, spec); sum != contentSum(seed, s.h.BlobSize) {
		t.Errorf("blob %s read back has a different SHA-256 from the %d bytes written", spec.ID, s.h.BlobSize)
	}
	t.Logf("blob %s: %d bytes up in %v, down in %v", spec.ID, s.h.BlobSize, up.Round(time.Millisecond),
		time.Since(start).Round(time.Millisecond))
}

// readBlob streams a blob's content, checks the attributes BlobContent
// returns with it, and returns the content's SHA-256.
func (s *suite) readBlob(t *testing.T, p *deltacloud.Provider, bucket, id string, spec deltacloud.BlobSpec) [32]byte {
	t.Helper()
	b, rc, err := p.BlobContent(t.Context(), bucket, id)
	if err != nil {
		t.Fatalf("BlobContent(%q, %q): %v", bucket, id, err)
	}
	defer rc.Close()
	checkBlob(t, "BlobContent", b, bucket, spec)
	h := sha256.New()
	n, err := io.Copy(h, rc)
	if err != nil {
		t.Fatalf("reading blob %s: %v after %d bytes", id, err, n)
	}
	if b.ContentLength != n {
		t.Errorf("BlobContent(%q, %q) says %d bytes and streamed %d", bucket, id, b.ContentLength, n)
	}
	if err := rc.Close(); err != nil {
		t.Errorf("closing blob %s: %v", id, err)
	}
	return [32]byte(h.Sum(nil))
}

// checkKept checks that the blobs in want still hold the content of their
// seeds and that the blobs in gone do not exist.
func (s *suite) checkKept(t *testing.T, p *deltacloud.Provider, bucket string, want map[string]uint64, gone ...string) {
	t.Helper()
	for _, id := range gone {
		_, err := p.Blob(t.Context(), bucket, id)
		wantErr(t, err, deltacloud.ErrNotFound, "Blob(%q, %q) after a failed upload", bucket, id)
	}
	b, err := p.Bucket(t.Context(), bucket)
	if err != nil {
		t.Fatalf("Bucket(%q): %v", bucket, err)
	}
	for _, id := range gone {
		if slices.Contains(b.BlobIDs, id) {
			t.Errorf("Bucket(%q) lists %s, whose upload failed", bucket, id)
		}
	}
	for id, seed := range want {
		spec := deltacloud.BlobSpec{ID: id, Size: s.h.BlobSize}
		b, rc, err := p.BlobContent(t.Context(), bucket, id)
		if err != nil {
			t.Errorf("BlobContent(%q, %q) after a failed replacement: %v", bucket, id, err)
			continue
		}
		h := sha256.New()
		_, err = io.Copy(h, rc)
		rc.Close()
		if err != nil || b.ContentLength != spec.Size || [32]byte(h.Sum(nil)) != contentSum(seed, s.h.BlobSize) {
			t.Errorf("blob %s changed after a failed upload replacing it (%d bytes, read error %v)", id, b.ContentLength, err)
		}
	}
}

// cancelUpload cancels an upload of endless content once 1 MiB is read; the
// upload must stop promptly and keep nothing.
func (s *suite) cancelUpload(t *testing.T, p *deltacloud.Provider, bucket string) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	r := &cancelAfter{r: content(4, 1<<62), n: 1 << 20, cancel: cancel}
	errc := make(chan error, 1)
	go func() {
		_, err := p.PutBlob(ctx, bucket, deltacloud.BlobSpec{ID: "drivertest-cancelled"}, r)
		errc <- err
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("PutBlob cancelled mid-stream = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("PutBlob did not return within 30s of its context being cancelled")
	}
}

// cancelDownload cancels a download after 1 MiB; reading must stop
// promptly with the context's error.
func (s *suite) cancelDownload(t *testing.T, p *deltacloud.Provider, bucket, id string) {
	t.Helper()
	if s.h.BlobSize <= 2<<20 {
		t.Logf("BlobSize %d is too small to cancel a download mid-stream", s.h.BlobSize)
		return
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	_, rc, err := p.BlobContent(ctx, bucket, id)
	if err != nil {
		t.Fatalf("BlobContent(%q, %q): %v", bucket, id, err)
	}
	defer rc.Close()
	if _, err := io.CopyN(io.Discard, rc, 1<<20); err != nil {
		t.Fatalf("reading blob %s: %v", id, err)
	}
	cancel()
	errc := make(chan error, 1)
	var n int64
	go func() {
		var err error
		n, err = io.Copy(io.Discard, rc)
		errc <- err
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("reading blob %s after its context was cancelled = %v after %d more bytes, want context.Canceled", id, err, n)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("reading blob %s did not stop within 30s of its context being cancelled", id)
	}
}

// content is n bytes generated from seed; the same seed gives the same
// bytes, so nothing of a large blob needs to be kept to check it.
func content(seed uint64, n int64) io.Reader {
	var key [32]byte
	key[0] = byte(seed)
	return io.LimitReader(rand.NewChaCha8(key), n)
}

// contentSum is the SHA-256 of content(seed, n).
func contentSum(seed uint64, n int64) [32]byte {
	h := sha256.New()
	if _, err := io.Copy(h, content(seed, n)); err != nil {
		panic(err)
	}
	return [32]byte(h.Sum(nil))
}

// errContent is the failure of the suite's failing readers.
var errContent = errors.New("drivertest: the content reader failed")

// failAfter reads from r and fails after n bytes.
func failAfter(r io.Reader, n int64) io.Reader {
	return io.MultiReader(io.LimitReader(r, n), iotestErr{})
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errContent }

// cancelAfter reads from r and cancels a context once n bytes are read,
// then goes on reading, as a caller's stream would.
type cancelAfter struct {
	r      io.Reader
	n      int64
	cancel context.CancelFunc
}

func (c *cancelAfter) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n -= int64(n)
	if c.n <= 0 {
		c.cancel()
	}
	return n, err
}
