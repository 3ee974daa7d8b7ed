package openstack_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// mib is a blob of n MiB plus a few bytes, from a repeating pattern.
func mib(n int) []byte {
	return bytes.Repeat([]byte("0123456789abcdef"), (n<<20+64)/16)[:n<<20+61]
}

// onlyReader hides a reader's other methods (a bytes.Reader's size), as
// a network stream would.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(b []byte) (int, error) { return o.r.Read(b) }

// TestBlobLayout checks how blobs are stored: in one object up to the
// segment size, as a static large object with segments in
// "<bucket>_segments" above it, and that nothing stays of what a replaced
// or deleted large blob used.
func TestBlobLayout(t *testing.T) {
	c, p := openFake(t, "segment_size", "1048576")
	ctx := t.Context()
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	large := mib(3)
	cases := []struct {
		name    string
		spec    deltacloud.BlobSpec
		content []byte
		want    []string // the account's objects afterwards
	}{
		{"small of known size", deltacloud.BlobSpec{ID: "x", Size: 5}, []byte("hello"), []string{"b/x"}},
		{"small of unknown size", deltacloud.BlobSpec{ID: "x"}, bytes.Repeat([]byte("a"), 60<<10), []string{"b/x"}},
		{"large of known size", deltacloud.BlobSpec{ID: "x", Size: int64(len(large))}, large,
			[]string{"b/x", "b_segments/x/slo/*/00000000", "b_segments/x/slo/*/00000001", "b_segments/x/slo/*/00000002", "b_segments/x/slo/*/00000003"}},
		{"large of unknown size", deltacloud.BlobSpec{ID: "x"}, large,
			[]string{"b/x", "b_segments/x/slo/*/00000000", "b_segments/x/slo/*/00000001", "b_segments/x/slo/*/00000002", "b_segments/x/slo/*/00000003"}},
		{"small replacing large", deltacloud.BlobSpec{ID: "x", ContentType: "text/plain"}, []byte("small"), []string{"b/x"}},
		{"exactly one segment", deltacloud.BlobSpec{ID: "x", Size: 1 << 20}, large[:1<<20], []string{"b/x"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := p.PutBlob(ctx, "b", tc.spec, onlyReader{bytes.NewReader(tc.content)})
			if err != nil {
				t.Fatal(err)
			}
			wantType := tc.spec.ContentType
			if wantType == "" {
				wantType = "application/octet-stream"
			}
			if b.ContentLength != int64(len(tc.content)) || b.ContentType != wantType {
				t.Errorf("PutBlob = %d bytes of %q, want %d of %q", b.ContentLength, b.ContentType, len(tc.content), wantType)
			}
			if diff := cmp.Diff(tc.want, masked(c.SwiftObjects())); diff != "" {
				t.Errorf("objects (-want +got):\n%s", diff)
			}
			_, rc, err := p.BlobContent(ctx, "b", "x")
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(rc)
			rc.Close()
			if err != nil || !bytes.Equal(got, tc.content) {
				t.Errorf("read back %d bytes (%v), want the %d written", len(got), err, len(tc.content))
			}
		})
	}
	if _, err := p.PutBlob(ctx, "b", deltacloud.BlobSpec{ID: "x"}, bytes.NewReader(large)); err != nil {
		t.Fatal(err)
	}
	if err := p.DestroyBlob(ctx, "b", "x"); err != nil {
		t.Fatal(err)
	}
	if got := c.SwiftObjects(); len(got) != 0 {
		t.Errorf("after DestroyBlob of a large blob the account holds %v", got)
	}
	if err := p.DestroyBucket(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if got := c.SwiftContainers(); len(got) != 0 {
		t.Errorf("after DestroyBucket the account holds containers %v, want none (the segments container goes too)", got)
	}
}

// masked replaces the upload token in segment names by "*".
func masked(names []string) []string {
	out := []string{}
	for _, n := range names {
		parts := strings.Split(n, "/")
		if len(parts) == 5 && parts[2] == "slo" {
			parts[3] = "*"
		}
		out = append(out, strings.Join(parts, "/"))
	}
	return out
}

// TestFailedUploadsKeepNothing fails uploads of each kind in each way and
// checks the account afterwards: no new object, no segment, and the blob
// it would have replaced intact.
func TestFailedUploadsKeepNothing(t *testing.T) {
	errRead := errors.New("reader failed")
	large := mib(3)
	cases := []struct {
		name string
		spec deltacloud.BlobSpec
		r    func() io.Reader
	}{
		{"small, reader fails", deltacloud.BlobSpec{ID: "new", Size: 1000},
			func() io.Reader { return io.MultiReader(bytes.NewReader(large[:500]), iotestErr(errRead)) }},
		{"small, short", deltacloud.BlobSpec{ID: "new", Size: 1000}, func() io.Reader { return bytes.NewReader(large[:999]) }},
		{"small, long", deltacloud.BlobSpec{ID: "new", Size: 1000}, func() io.Reader { return bytes.NewReader(large[:1001]) }},
		{"unsized, reader fails in the read-ahead", deltacloud.BlobSpec{ID: "new"},
			func() io.Reader { return io.MultiReader(bytes.NewReader(large[:100]), iotestErr(errRead)) }},
		{"large, reader fails in the third segment", deltacloud.BlobSpec{ID: "new", Size: int64(len(large))},
			func() io.Reader { return io.MultiReader(bytes.NewReader(large[:2<<20+5]), iotestErr(errRead)) }},
		{"large, short", deltacloud.BlobSpec{ID: "new", Size: int64(len(large)) + 1}, func() io.Reader { return bytes.NewReader(large) }},
		{"unsized large, reader fails", deltacloud.BlobSpec{ID: "new"},
			func() io.Reader { return io.MultiReader(bytes.NewReader(large[:2<<20]), iotestErr(errRead)) }},
		{"large replacing large, fails", deltacloud.BlobSpec{ID: "old"},
			func() io.Reader { return io.MultiReader(bytes.NewReader(large[:2<<20]), iotestErr(errRead)) }},
		{"small replacing large, short", deltacloud.BlobSpec{ID: "old", Size: 10}, func() io.Reader { return strings.NewReader("short") }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, p := openFake(t, "segment_size", "1048576")
			ctx := t.Context()
			if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b"}); err != nil {
				t.Fatal(err)
			}
			if _, err := p.PutBlob(ctx, "b", deltacloud.BlobSpec{ID: "old"}, bytes.NewReader(large)); err != nil {
				t.Fatal(err)
			}
			before := c.SwiftObjects()
			if _, err := p.PutBlob(ctx, "b", tc.spec, tc.r()); err == nil {
				t.Fatal("PutBlob succeeded")
			}
			if diff := cmp.Diff(before, c.SwiftObjects()); diff != "" {
				t.Errorf("objects changed (-before +after):\n%s", diff)
			}
			_, rc, err := p.BlobContent(ctx, "b", "old")
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(rc)
			rc.Close()
			if !bytes.Equal(got, large) {
				t.Errorf("blob old changed: %d bytes", len(got))
			}
		})
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

func iotestErr(err error) io.Reader { return iotestErrReader{err} }

// TestUploadOutlivesToken expires the token once part of an upload's body
// has been read: the cloud answers 401, and the upload fails with
// ErrUnavailable and stores nothing, instead of gophercloud sending the
// rest of the stream again as if it were the whole blob. The next upload
// works with the renewed token.
func TestUploadOutlivesToken(t *testing.T) {
	for _, size := range []int{100 << 10, 3 << 20} {
		c := openstacktest.New(t)
		cfg := c.Config("segment_size", "1048576")
		cfg.HTTPClient = &http.Client{Transport: &expireMidUpload{expire: c.ExpireTokens}}
		p, err := deltacloud.Open(t.Context(), "openstack", cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer p.Close()
		ctx := t.Context()
		if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b"}); err != nil {
			t.Fatal(err)
		}
		_, err = p.PutBlob(ctx, "b", deltacloud.BlobSpec{ID: "x", Size: int64(size)}, bytes.NewReader(mib(3)[:size]))
		if !errors.Is(err, deltacloud.ErrUnavailable) {
			t.Errorf("%d bytes: PutBlob whose token expired mid-upload = %v, want ErrUnavailable", size, err)
		}
		if got := c.SwiftObjects(); len(got) != 0 {
			t.Errorf("%d bytes: the account holds %v after the failed upload", size, got)
		}
		if _, err := p.PutBlob(ctx, "b", deltacloud.BlobSpec{ID: "x"}, strings.NewReader("again")); err != nil {
			t.Errorf("%d bytes: PutBlob after the token was renewed: %v", size, err)
		}
	}
}

// expireMidUpload is a transport that, on the first object PUT, reads a
// little of the body (as a transport does before the cloud answers) and
// then expires the cloud's tokens, so the request meets a 401.
type expireMidUpload struct {
	expire func()
	done   bool
}

func (e *expireMidUpload) RoundTrip(r *http.Request) (*http.Response, error) {
	if !e.done && r.Method == http.MethodPut && strings.Count(r.URL.Path, "/") > 4 && r.Body != nil {
		e.done = true
		head := make([]byte, 10)
		n, _ := io.ReadFull(r.Body, head)
		e.expire()
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(head[:n]), r.Body), r.Body}
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestBucketErrors checks Swift's answers that are not the conformance
// suite's: an existing name, a name Swift cannot hold, a segments
// container that is not the driver's, and the catalog and option without
// Swift.
func TestBucketErrors(t *testing.T) {
	c, p := openFake(t)
	ctx := t.Context()
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b"}); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("CreateBucket of an existing name = %v, want ErrConflict", err)
	}
	for _, name := range []string{"a/b", strings.Repeat("n", 257)} {
		if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: name}); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("CreateBucket(%.20q) = %v, want ErrInvalidArgument", name, err)
		}
		if _, err := p.Bucket(ctx, name); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Bucket(%.20q) = %v, want ErrNotFound", name, err)
		}
	}
	// A user's own "b_segments" is left alone when b goes.
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "b_segments"}); err != nil {
		t.Fatal(err)
	}
	if err := p.DestroyBucket(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"b_segments"}, c.SwiftContainers()); diff != "" {
		t.Errorf("containers (-want +got):\n%s", diff)
	}
	bs, err := p.Buckets(ctx)
	if err != nil || len(bs) != 1 || bs[0].ID != "b_segments" || bs[0].Size != 0 {
		t.Errorf("Buckets = %+v, %v", bs, err)
	}

	off, err := open(context.Background(), c, "swift", "off")
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	if slices.Contains(off.Collections(), deltacloud.CollectionBuckets) {
		t.Error("swift=off still serves buckets")
	}
	c.SetSwift(false)
	none, err := open(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	defer none.Close()
	if _, err := none.Buckets(ctx); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("Buckets on a cloud without Swift = %v, want ErrNotSupported", err)
	}
	for _, v := range []string{"1048575", "5368709121", "big", "-1"} {
		if _, err := open(context.Background(), c, "segment_size", v); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("segment_size %s: %v, want ErrInvalidArgument", v, err)
		}
	}
	if _, err := open(context.Background(), c, "swift", "maybe"); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("swift=maybe: %v, want ErrInvalidArgument", err)
	}
}
