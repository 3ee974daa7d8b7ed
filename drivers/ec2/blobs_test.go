package ec2_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// source yields n deterministic bytes and checks on every read that the
// driver holds no more than limit bytes the fake S3 has not received.
type source struct {
	t        *testing.T
	n, read  int64
	limit    int64
	received func() int64
	fail     error // returned once half the content is read
	cancel   func()
	peak     int64
}

func (s *source) Read(p []byte) (int, error) {
	if s.read >= s.n {
		return 0, io.EOF
	}
	if s.fail != nil && s.read >= s.n/2 {
		return 0, s.fail
	}
	if s.cancel != nil && s.read >= s.n/2 {
		s.cancel()
	}
	k := min(int64(len(p)), s.n-s.read)
	for i := range k {
		p[i] = byte((s.read + i) * 7 % 251)
	}
	s.read += k
	if held := s.read - s.received(); held > s.peak {
		s.peak = held
	}
	if held := s.read - s.received(); held > s.limit {
		s.t.Errorf("the driver holds %d bytes S3 has not received, more than a part (%d)", held, s.limit)
	}
	return int(k), nil
}

func digest(n int64) [32]byte {
	h := sha256.New()
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(int64(i) * 7 % 251)
	}
	h.Write(b)
	var sum [32]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

func TestBlobsStreamInParts(t *testing.T) {
	s := ec2test.NewServer(t)
	s3 := s.S3()
	p := open(t, s) // s3_part_size 5 (MiB)
	ctx := t.Context()
	const part = ec2.MinPartSize
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "big"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		size  int64
		known bool
		parts int
	}{
		{"unknown length, three parts", 2*part + 12345, false, 3},
		{"known length, three parts", 2*part + 12345, true, 3},
		{"exactly one part", part, false, 1},
		{"one byte over a part", part + 1, false, 2},
		{"small", 1000, false, 0},
		{"empty", 0, false, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := map[string]int{}
			for _, op := range []string{"CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload", "PutObject"} {
				before[op] = s3.Calls(op)
			}
			src := &source{t: t, n: c.size, limit: part, received: s3.Received}
			spec := deltacloud.BlobSpec{ID: "blob", ContentType: "application/x-test", Metadata: map[string]string{"Run": c.name}}
			if c.known {
				spec.Size = c.size
			}
			b, err := p.PutBlob(ctx, "big", spec, src)
			if err != nil {
				t.Fatal(err)
			}
			want := &deltacloud.Blob{ID: "blob", BucketID: "big", ContentLength: c.size, ContentType: "application/x-test",
				Metadata: map[string]string{"run": c.name}}
			if diff := cmp.Diff(want, b, cmpopts.IgnoreFields(deltacloud.Blob{}, "LastModified")); diff != "" {
				t.Errorf("PutBlob (-want +got):\n%s", diff)
			}
			calls := func(op string) int { return s3.Calls(op) - before[op] }
			multipart := c.size > part || (c.size == part)
			switch {
			case multipart && (calls("CreateMultipartUpload") != 1 || calls("UploadPart") != c.parts || calls("CompleteMultipartUpload") != 1):
				t.Errorf("multipart calls: %d create, %d parts, %d complete; want 1, %d, 1",
					calls("CreateMultipartUpload"), calls("UploadPart"), calls("CompleteMultipartUpload"), c.parts)
			case !multipart && (calls("PutObject") != 1 || calls("CreateMultipartUpload") != 0):
				t.Errorf("single upload calls: %d PutObject, %d multipart", calls("PutObject"), calls("CreateMultipartUpload"))
			}
			_, rc, err := p.BlobContent(ctx, "big", "blob")
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			h := sha256.New()
			if _, err := io.Copy(h, rc); err != nil {
				t.Fatal(err)
			}
			if [32]byte(h.Sum(nil)) != digest(c.size) {
				t.Error("content read back differs from what was written")
			}
		})
	}
}

func TestBlobUploadFailuresKeepNothing(t *testing.T) {
	s := ec2test.NewServer(t)
	s3 := s.S3()
	p := open(t, s, "max_attempts", "1")
	ctx := t.Context()
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "fail"}); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	const size = 3 * ec2.MinPartSize
	for _, c := range []struct {
		name  string
		setup func(*source) context.Context
		want  error
	}{
		{"content fails mid-upload", func(src *source) context.Context { src.fail = boom; return ctx }, boom},
		{"context ends mid-upload", func(src *source) context.Context {
			cctx, cancel := context.WithCancel(ctx)
			src.cancel = cancel
			return cctx
		}, deltacloud.ErrCanceled},
		{"S3 refuses a part", func(src *source) context.Context {
			s3.Fail("UploadPart", "InternalError", 500, 1)
			return ctx
		}, deltacloud.ErrBackend},
	} {
		t.Run(c.name, func(t *testing.T) {
			aborts := s3.Calls("AbortMultipartUpload")
			src := &source{t: t, n: size, limit: ec2.MinPartSize, received: s3.Received}
			_, err := p.PutBlob(c.setup(src), "fail", deltacloud.BlobSpec{ID: "partial"}, src)
			if !errors.Is(err, c.want) {
				t.Errorf("PutBlob = %v, want %v", err, c.want)
			}
			if n := s3.Calls("AbortMultipartUpload") - aborts; n != 1 {
				t.Errorf("%d aborts, want 1", n)
			}
			if keys, err := s3.Objects("fail"); err != nil || len(keys) != 0 {
				t.Errorf("bucket holds %v (%v) after a failed upload", keys, err)
			}
		})
	}
	// A short content with an announced size fails before anything is sent.
	puts := s3.Calls("PutObject")
	_, err := p.PutBlob(ctx, "fail", deltacloud.BlobSpec{ID: "short", Size: 10}, strings.NewReader("abc"))
	if !errors.Is(err, deltacloud.ErrInvalidArgument) || s3.Calls("PutObject") != puts {
		t.Errorf("short content = %v after %d puts, want ErrInvalidArgument and none", err, s3.Calls("PutObject")-puts)
	}
}

func TestBuckets(t *testing.T) {
	s := ec2test.NewServer(t)
	s3 := s.S3()
	p := open(t, s)
	ctx := t.Context()
	b, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "eu-data", Location: "eu-west-1"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&deltacloud.Bucket{ID: "eu-data", Name: "eu-data", Location: "eu-west-1", BlobIDs: []string{}}, b); diff != "" {
		t.Errorf("CreateBucket (-want +got):\n%s", diff)
	}
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "home"}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a/b c.txt", "z"} {
		if _, err := p.PutBlob(ctx, "eu-data", deltacloud.BlobSpec{ID: id}, strings.NewReader(id)); err != nil {
			t.Fatal(err)
		}
	}
	got, err := p.Bucket(ctx, "eu-data")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&deltacloud.Bucket{ID: "eu-data", Name: "eu-data", Location: "eu-west-1", Size: 2,
		BlobIDs: []string{"a/b c.txt", "z"}}, got); diff != "" {
		t.Errorf("Bucket (-want +got):\n%s", diff)
	}
	// The provider's region (us-east-1) is sent as no constraint.
	if home, err := p.Bucket(ctx, "home"); err != nil || home.Location != "us-east-1" {
		t.Errorf("Bucket(home) = %+v, %v", home, err)
	}
	// Metadata of a key with a slash and a space survives the copy.
	set, err := p.SetBlobMetadata(ctx, "eu-data", "a/b c.txt", map[string]string{"Colour": "blue"})
	if err != nil || !cmp.Equal(set.Metadata, map[string]string{"colour": "blue"}) || set.ContentLength != 9 {
		t.Errorf("SetBlobMetadata = %+v, %v", set, err)
	}
	bs, err := p.Buckets(ctx)
	if err != nil || len(bs) != 2 || bs[0].Size != -1 {
		t.Errorf("Buckets = %+v, %v", bs, err)
	}
	for _, c := range []struct {
		name      string
		err, want error
		code      string
	}{
		{"name taken", func() error { _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "home"}); return err }(),
			deltacloud.ErrConflict, "BucketAlreadyOwnedByYou"},
		{"bad name", func() error { _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "No_Such"}); return err }(),
			deltacloud.ErrInvalidArgument, "InvalidBucketName"},
		{"unknown bucket", func() error { _, err := p.Bucket(ctx, "nope"); return err }(), deltacloud.ErrNotFound, "NoSuchBucket"},
		{"unknown blob", func() error { _, err := p.Blob(ctx, "home", "nope"); return err }(), deltacloud.ErrNotFound, "NotFound"},
		{"content of unknown blob", func() error { _, _, err := p.BlobContent(ctx, "home", "nope"); return err }(),
			deltacloud.ErrNotFound, "NoSuchKey"},
		{"destroy unknown blob", p.DestroyBlob(ctx, "home", "nope"), deltacloud.ErrNotFound, "NotFound"},
		{"destroy non-empty bucket", p.DestroyBucket(ctx, "eu-data"), deltacloud.ErrInvalidState, ""},
		{"BucketNotEmpty from S3", func() error {
			s3.Fail("DeleteBucket", "BucketNotEmpty", 409, 1)
			return p.DestroyBucket(ctx, "home")
		}(), deltacloud.ErrInvalidState, "BucketNotEmpty"},
	} {
		checkErr(t, c.name, c.err, c.want, c.code)
	}
	if err := p.DestroyBlob(ctx, "eu-data", "z"); err != nil {
		t.Fatal(err)
	}
	if err := p.DestroyBucket(ctx, "home"); err != nil {
		t.Fatal(err)
	}
	bad, err := openFake(ctx, s, deltacloud.Credentials{User: ec2test.BadAccessKey, Password: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer bad.Close()
	_, err = bad.Buckets(ctx)
	checkErr(t, "bad access key", err, deltacloud.ErrAuthFailure, "InvalidAccessKeyId")
}

func TestS3Options(t *testing.T) {
	s := ec2test.NewServer(t)
	for _, c := range []struct{ k, v string }{{"s3_part_size", "4"}, {"s3_part_size", "x"}, {"s3_path_style", "maybe"}} {
		if _, err := openFake(t.Context(), s, goodCreds, c.k, c.v); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("option %s=%s: %v, want ErrInvalidArgument", c.k, c.v, err)
		}
	}
	// Path style puts the bucket in the path, as S3-compatible stores
	// need; without it the bucket goes into the host name.
	for _, c := range []struct {
		pathStyle     string
		host, pathPre string
	}{{"true", "store.example", "/some-bucket"}, {"false", "some-bucket.store.example", "/"}} {
		rec := &recorder{}
		p, err := deltacloud.Open(t.Context(), "ec2", deltacloud.Config{Credentials: goodCreds, HTTPClient: &http.Client{Transport: rec},
			Options: map[string]string{"s3_endpoint": "http://store.example", "s3_path_style": c.pathStyle, "max_attempts": "1"}})
		if err != nil {
			t.Fatal(err)
		}
		p.Bucket(t.Context(), "some-bucket")
		p.Close()
		if rec.req == nil || rec.req.URL.Host != c.host || !strings.HasPrefix(rec.req.URL.Path, c.pathPre) {
			t.Errorf("s3_path_style=%s sent %v, want host %s and path %s…", c.pathStyle, rec.req.URL, c.host, c.pathPre)
		}
	}
}

// recorder keeps the first request and answers none.
type recorder struct{ req *http.Request }

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if r.req == nil {
		r.req = req
	}
	return nil, errors.New("recorder: no network")
}
