package ec2

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

// maxParts is S3's limit on the parts of one multipart upload.
const maxParts = 10000

// abortTimeout bounds the clean-up of a failed upload, which runs even
// when the caller's context has ended.
const abortTimeout = 30 * time.Second

// Blob returns a blob's attributes and user metadata (HeadObject). S3
// keeps metadata names case-insensitively and hands them back in lower
// case.
func (c *conn) Blob(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, error) {
	out, err := c.s3.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID)})
	if err != nil {
		return nil, c.wrap(err)
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
func (c *conn) BlobContent(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, io.ReadCloser, error) {
	out, err := c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID)})
	if err != nil {
		return nil, nil, c.wrap(err)
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
func (c *conn) PutBlob(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	partSize := c.partSize
	if spec.Size > int64(partSize)*maxParts {
		partSize = int((spec.Size + maxParts - 1) / maxParts)
	}
	buf, err := readPart(content, nil, partSize, spec.Size)
	switch {
	case err == io.EOF:
		return c.putObject(ctx, bucketID, spec, buf)
	case err != nil:
		return nil, err
	}
	return c.multipart(ctx, bucketID, spec, content, buf, partSize)
}

func (c *conn) putObject(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, body []byte) (*deltacloud.Blob, error) {
	in := &s3.PutObjectInput{Bucket: aws.String(bucketID), Key: aws.String(spec.ID),
		Body: bytes.NewReader(body), ContentLength: aws.Int64(int64(len(body))), Metadata: spec.Metadata}
	if spec.ContentType != "" {
		in.ContentType = aws.String(spec.ContentType)
	}
	if _, err := c.s3.PutObject(ctx, in); err != nil {
		return nil, c.wrap(err)
	}
	return c.Blob(ctx, bucketID, spec.ID)
}

// multipart uploads first (a full part) and the rest of content, part by
// part, reusing one buffer.
func (c *conn) multipart(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader, first []byte, partSize int) (_ *deltacloud.Blob, err error) {
	in := &s3.CreateMultipartUploadInput{Bucket: aws.String(bucketID), Key: aws.String(spec.ID), Metadata: spec.Metadata}
	if spec.ContentType != "" {
		in.ContentType = aws.String(spec.ContentType)
	}
	up, err := c.s3.CreateMultipartUpload(ctx, in)
	if err != nil {
		return nil, c.wrap(err)
	}
	defer func() {
		if err == nil {
			return
		}
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), abortTimeout)
		defer cancel()
		if _, aerr := c.s3.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: aws.String(bucketID),
			Key: aws.String(spec.ID), UploadId: up.UploadId}); aerr != nil {
			err = errors.Join(err, c.wrap(aerr))
		}
	}()
	var parts []s3types.CompletedPart
	buf, eof := first, false
	for {
		if len(buf) > 0 || len(parts) == 0 {
			if len(parts) == maxParts {
				return nil, deltacloud.Errorf(deltacloud.InvalidArgument,
					"ec2: blob is larger than %d parts of %d MiB; announce its size or raise s3_part_size", maxParts, partSize>>20)
			}
			n := int32(len(parts) + 1)
			out, err := c.s3.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String(bucketID), Key: aws.String(spec.ID),
				UploadId: up.UploadId, PartNumber: aws.Int32(n), Body: bytes.NewReader(buf), ContentLength: aws.Int64(int64(len(buf)))})
			if err != nil {
				return nil, c.wrap(err)
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
	_, err = c.s3.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucketID),
		Key: aws.String(spec.ID), UploadId: up.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
	if err != nil {
		return nil, c.wrap(err)
	}
	return c.Blob(ctx, bucketID, spec.ID)
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
func (c *conn) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	if _, err := c.Blob(ctx, bucketID, blobID); err != nil {
		return err
	}
	_, err := c.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID)})
	return c.wrap(err)
}

// SetBlobMetadata replaces a blob's user metadata by copying the object
// onto itself with the REPLACE directive, keeping its content type.
func (c *conn) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*deltacloud.Blob, error) {
	b, err := c.Blob(ctx, bucketID, blobID)
	if err != nil {
		return nil, err
	}
	in := &s3.CopyObjectInput{Bucket: aws.String(bucketID), Key: aws.String(blobID),
		CopySource: aws.String(url.PathEscape(bucketID) + "/" + escapeKey(blobID)), Metadata: meta,
		MetadataDirective: s3types.MetadataDirectiveReplace}
	if b.ContentType != "" {
		in.ContentType = aws.String(b.ContentType)
	}
	if _, err := c.s3.CopyObject(ctx, in); err != nil {
		return nil, c.wrap(err)
	}
	return c.Blob(ctx, bucketID, blobID)
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
