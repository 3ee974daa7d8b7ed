package s3store

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/deltacloud-go/deltacloud"
)

// Store serves the buckets collection and its blobs (deltacloud.BucketConn)
// over an S3 client; a driver embeds it in its connection.
type Store struct {
	// Client speaks to S3 or an S3-compatible store.
	Client *s3.Client
	// Name prefixes the store's own error messages ("ec2").
	Name string
	// Region is where CreateBucket puts a bucket without a location.
	Region string
	// BareRegion is the region an empty location constraint stands for,
	// which CreateBucket must not name (us-east-1 on AWS).
	BareRegion string
	// PartSize is the multipart upload part size: the most blob content
	// PutBlob holds in memory (at least MinPartSize).
	PartSize int
	// Wrap maps the client's errors onto deltacloud errors.
	Wrap func(error) error
}

// DefaultPartSize is the usual part size; MinPartSize is S3's minimum.
const (
	DefaultPartSize = 8 << 20
	MinPartSize     = 5 << 20
)

// Buckets lists the account's S3 buckets. S3 lists every region's buckets;
// Location is the bucket's region where S3 says (BucketRegion) and empty
// otherwise, and Size is -1 (listings do not count blobs).
func (s *Store) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	var bs []deltacloud.Bucket
	pg := s3.NewListBucketsPaginator(s.Client, &s3.ListBucketsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, s.Wrap(err)
		}
		for _, b := range page.Buckets {
			name := aws.ToString(b.Name)
			bs = append(bs, deltacloud.Bucket{ID: name, Name: name, Location: aws.ToString(b.BucketRegion), Size: -1})
		}
	}
	return bs, nil
}

// Bucket returns a bucket with its location (GetBucketLocation) and the
// keys of all its blobs (ListObjectsV2, paginated).
func (s *Store) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	loc, err := s.Client.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(id)})
	if err != nil {
		return nil, s.Wrap(err)
	}
	b := &deltacloud.Bucket{ID: id, Name: id, Location: s.locationOf(loc.LocationConstraint), BlobIDs: []string{}}
	pg := s3.NewListObjectsV2Paginator(s.Client, &s3.ListObjectsV2Input{Bucket: aws.String(id)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, s.Wrap(err)
		}
		for _, o := range page.Contents {
			b.BlobIDs = append(b.BlobIDs, aws.ToString(o.Key))
		}
	}
	b.Size = len(b.BlobIDs)
	return b, nil
}

// locationOf names a bucket's region: S3 answers an empty constraint for
// the BareRegion (us-east-1 on AWS) and "EU" for buckets made with the
// legacy name of eu-west-1.
func (s *Store) locationOf(c s3types.BucketLocationConstraint) string {
	switch c {
	case "":
		return s.BareRegion
	case s3types.BucketLocationConstraintEu:
		return "eu-west-1"
	}
	return string(c)
}

// CreateBucket creates a bucket in spec.Location (bucket_location), or in
// the store's Region. A name taken by anyone is ErrConflict.
func (s *Store) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	loc := spec.Location
	if loc == "" {
		loc = s.Region
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(spec.Name)}
	if loc != s.BareRegion { // the default region must not be named
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(loc)}
	}
	if _, err := s.Client.CreateBucket(ctx, in); err != nil {
		return nil, s.Wrap(err)
	}
	return &deltacloud.Bucket{ID: spec.Name, Name: spec.Name, Location: loc, BlobIDs: []string{}}, nil
}

// DestroyBucket deletes an empty bucket; a non-empty one is
// ErrInvalidState (BucketNotEmpty).
func (s *Store) DestroyBucket(ctx context.Context, id string) error {
	_, err := s.Client.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(id)})
	return s.Wrap(err)
}

// maxParts is S3's limit on the parts of one multipart upload.
const maxParts = 10000

// abortTimeout bounds the clean-up of a failed upload, which runs even
// when the caller's context has ended.
const abortTimeout = 30 * time.Second

// Blob returns a blob's attributes and user metadata (HeadObject). S3
// keeps metadata names case-insensitively and hands them back in lower
// case.
func (s *Store) Blob(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, error) {
	out, err := s.Client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID)})
	if err != nil {
		return nil, s.Wrap(err)
	}
	return &deltacloud.Blob{ID: blobID, BucketID: bucketID, ContentLength: aws.ToInt64(out.ContentLength),
		ContentType: aws.ToString(out.ContentType), LastModified: aws.ToTime(out.LastModified), Metadata: metadataOf(out.Metadata)}, nil
}

func metadataOf(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// BlobContent opens a blob's content (GetObject); the body streams from S3
// as the caller reads it.
func (s *Store) BlobContent(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, io.ReadCloser, error) {
	out, err := s.Client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID)})
	if err != nil {
		return nil, nil, s.Wrap(err)
	}
	b := &deltacloud.Blob{ID: blobID, BucketID: bucketID, ContentLength: aws.ToInt64(out.ContentLength),
		ContentType: aws.ToString(out.ContentType), LastModified: aws.ToTime(out.LastModified), Metadata: metadataOf(out.Metadata)}
	return b, out.Body, nil
}

// PutBlob writes a blob, holding at most one part of the content in memory
// (s3_part_size, default 8 MiB, raised when spec.Size needs more than
// 10,000 parts). Content that fits one part is sent with PutObject; longer
// content, or content of unknown length that turns out longer, goes up as
// a multipart upload, which is aborted if the content, S3 or the context
// fails, so nothing of a failed upload is kept.
func (s *Store) PutBlob(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	partSize := s.PartSize
	if spec.Size > int64(partSize)*maxParts {
		partSize = int((spec.Size + maxParts - 1) / maxParts)
	}
	buf, err := readPart(content, nil, partSize, spec.Size)
	switch {
	case err == io.EOF:
		return s.putObject(ctx, bucketID, spec, buf)
	case err != nil:
		return nil, err
	}
	return s.multipart(ctx, bucketID, spec, content, buf, partSize)
}

func (s *Store) putObject(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, body []byte) (*deltacloud.Blob, error) {
	in := &s3.PutObjectInput{Bucket: aws.String(bucketID), Key: aws.String(spec.ID),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), Metadata: spec.Metadata}
	if spec.ContentType != "" {
		in.ContentType = aws.String(spec.ContentType)
	}
	if _, err := s.Client.PutObject(ctx, in); err != nil {
		return nil, s.Wrap(err)
	}
	return s.Blob(ctx, bucketID, spec.ID)
}

// multipart uploads first (a full part) and the rest of content, part by
// part, reusing one buffer.
func (s *Store) multipart(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader, first []byte, partSize int) (_ *deltacloud.Blob, err error) {
	in := &s3.CreateMultipartUploadInput{Bucket: aws.String(bucketID), Key: aws.String(spec.ID), Metadata: spec.Metadata}
	if spec.ContentType != "" {
		in.ContentType = aws.String(spec.ContentType)
	}
	up, err := s.Client.CreateMultipartUpload(ctx, in)
	if err != nil {
		return nil, s.Wrap(err)
	}
	defer func() {
		if err == nil {
			return
		}
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
		defer cancel()
		if _, aerr := s.Client.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucketID),
			Key: aws.String(spec.ID), UploadId: up.UploadId}); aerr != nil {
			err = errors.Join(err, s.Wrap(aerr))
		}
	}()
	var parts []s3types.CompletedPart
	buf, eof := first, false
	for {
		if len(buf) > 0 || len(parts) == 0 {
			if len(parts) == maxParts {
				return nil, deltacloud.Errorf(deltacloud.InvalidArgument,
					s.Name+": blob is larger than %d parts of %d MiB; announce its size or raise s3_part_size", maxParts, partSize>>20)
			}
			n := int32(len(parts) + 1)
			out, err := s.Client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucketID), Key: aws.String(spec.ID),
				UploadId: up.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(buf), ContentLength: aws.Int64(int64(len(buf)))})
			if err != nil {
				return nil, s.Wrap(err)
			}
			parts = append(parts, s3types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.ETag,
				ChecksumCRC32: out.ChecksumCRC32, ChecksumCRC32C: out.ChecksumCRC32C, ChecksumCRC64NVME: out.ChecksumCRC64NVME,
				ChecksumSHA1: out.ChecksumSHA1, ChecksumSHA256: out.ChecksumSHA256})
		}
		if eof {
			break
		}
		var rerr error
		buf, rerr = readPart(content, buf, partSize, -1)
		if rerr != nil && rerr != io.EOF {
			return nil, rerr
		}
		eof = rerr == io.EOF
	}
	_, err = s.Client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucketID),
		Key: aws.String(spec.ID), UploadId: up.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		return nil, s.Wrap(err)
	}
	return s.Blob(ctx, bucketID, spec.ID)
}

// minRead is the first allocation of a part buffer of unknown length.
const minRead = 32 << 10

// readPart reads up to limit bytes of r into buf (reused, grown as needed,
// never past limit). It returns nil when the part is full, io.EOF when r
// ended first (the part may be short or empty), or r's error. hint, when
// positive, is the expected total length, used to size the buffer once.
func readPart(r io.Reader, buf []byte, limit int, hint int64) ([]byte, error) {
	buf = buf[:0]
	if cap(buf) == 0 {
		n := minRead
		if hint > 0 {
			n = int(min(hint+1, int64(limit)))
		}
		buf = make([]byte, 0, min(n, limit))
	}
	for len(buf) < limit {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(2*cap(buf), limit))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// DestroyBlob deletes a blob. S3 answers success for a key it does not
// hold, so the blob is looked up first and an unknown one is ErrNotFound.
func (s *Store) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	if _, err := s.Blob(ctx, bucketID, blobID); err != nil {
		return err
	}
	_, err := s.Client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID)})
	return s.Wrap(err)
}

// SetBlobMetadata replaces a blob's user metadata by copying the object
// onto itself with the REPLACE directive, keeping its content type.
func (s *Store) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*deltacloud.Blob, error) {
	b, err := s.Blob(ctx, bucketID, blobID)
	if err != nil {
		return nil, err
	}
	in := &s3.CopyObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID),
		CopySource: aws.String(url.PathEscape(bucketID) + "/" + escapeKey(blobID)), Metadata: meta,
		MetadataDirective: s3types.MetadataDirectiveReplace}
	if b.ContentType != "" {
		in.ContentType = aws.String(b.ContentType)
	}
	if _, err := s.Client.CopyObject(ctx, in); err != nil {
		return nil, s.Wrap(err)
	}
	return s.Blob(ctx, bucketID, blobID)
}

// escapeKey URL-encodes an object key for x-amz-copy-source, keeping the
// slashes that separate its "folders".
func escapeKey(key string) string {
	var b bytes.Buffer
	for i, seg := range strings.Split(key, "/") {
		if i > 0 {
			b.WriteByte('/')
		}
		b.WriteString(url.PathEscape(seg))
	}
	return b.String()
}
