package deltacloud

import (
	"context"
	"io"
	"net/http"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// Buckets and blobs. Blob content streams both ways: a PUT
// sends the caller's reader as the raw body (with a Content-Length when the
// size is known, chunked otherwise), and the content's GET is handed to the
// caller unread, so no blob ever has to fit in memory.

// Buckets lists GET {B}/buckets.
func (c *conn) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	return list(ctx, c, deltacloud.CollectionBuckets, wire.DecodeBuckets, (*wire.Buckets).Model)
}

// Bucket reads GET {B}/buckets/:id with its blob ids.
func (c *conn) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	return member(ctx, c, deltacloud.CollectionBuckets, id, wire.DecodeBucket, (*wire.Bucket).Model)
}

// CreateBucket posts name and location.
func (c *conn) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	return create(ctx, c, deltacloud.CollectionBuckets, formOf("name", spec.Name, "location", spec.Location),
		wire.DecodeBucket, (*wire.Bucket).Model)
}

// DestroyBucket deletes {B}/buckets/:id; the 403 of a bucket that holds
// blobs is InvalidState.
func (c *conn) DestroyBucket(ctx context.Context, id string) error {
	return stateConflict(c.destroyMember(ctx, deltacloud.CollectionBuckets, id), id)
}

// blobHref is {B}/buckets/:bucket/:blob.
func (c *conn) blobHref(bucketID, blobID string) (string, error) {
	return c.subHref(deltacloud.CollectionBuckets, bucketID, blobID)
}

// Blob reads the blob document GET {B}/buckets/:bucket/:blob.
func (c *conn) Blob(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, error) {
	href, err := c.blobHref(bucketID, blobID)
	if err != nil {
		return nil, err
	}
	resp, err := c.get(ctx, href, nil)
	if err != nil {
		return nil, err
	}
	return decodeBlob(resp.body)
}

func decodeBlob(body []byte) (*deltacloud.Blob, error) {
	b, err := decodeDoc("blob", body, wire.DecodeBlob, (*wire.Blob).Model)
	if err != nil {
		return nil, err
	}
	return &b, nil
}

// BlobContent reads the blob's document, then opens GET
// {B}/buckets/:bucket/:blob/content and hands its body to the caller
// unread. The length and type are the content answer's own, so they
// describe the bytes streamed even if the blob was replaced in between.
func (c *conn) BlobContent(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, io.ReadCloser, error) {
	b, err := c.Blob(ctx, bucketID, blobID)
	if err != nil {
		return nil, nil, err
	}
	href, err := c.blobHref(bucketID, blobID)
	if err != nil {
		return nil, nil, err
	}
	hr, err := c.open(ctx, href+"/"+wire.ContentAction)
	if err != nil {
		return nil, nil, err
	}
	if hr.ContentLength >= 0 {
		b.ContentLength = hr.ContentLength
	}
	if ct := hr.Header.Get("Content-Type"); ct != "" {
		b.ContentType = ct
	}
	return b, hr.Body, nil
}

// PutBlob streams the content as the raw body of PUT
// {B}/buckets/:bucket/:blob, with the type as Content-Type and the
// metadata as X-Deltacloud-Blobmeta-* headers; the server answers with the
// blob's document. When the content fails or ctx ends, the request breaks
// off and the server, which sees a truncated body, keeps nothing.
func (c *conn) PutBlob(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	href, err := c.blobHref(bucketID, spec.ID)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	if spec.ContentType != "" {
		h.Set("Content-Type", spec.ContentType)
	}
	wire.SetBlobMetadataHeader(h, spec.Metadata)
	resp, err := c.send(ctx, http.MethodPut, href, h, content, spec.Size)
	if err != nil {
		return nil, err
	}
	if err := resp.expect(http.StatusOK, http.StatusCreated); err != nil {
		return nil, err
	}
	body, err := c.document(ctx, resp)
	if err != nil {
		return nil, err
	}
	return decodeBlob(body)
}

// DestroyBlob deletes {B}/buckets/:bucket/:blob. The original mock answers
// 500 for a blob it does not have, so a failure other than 404 is checked
// with a HEAD: a blob that is not there is NotFound.
func (c *conn) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	href, err := c.blobHref(bucketID, blobID)
	if err != nil {
		return err
	}
	err = c.destroy(ctx, href)
	if err == nil || deltacloud.CodeOf(err) == deltacloud.NotFound || ctx.Err() != nil {
		return err
	}
	if resp, herr := c.do(ctx, http.MethodHead, href, nil); herr == nil && resp.status == http.StatusNotFound {
		return resp.err()
	}
	return err
}

// SetBlobMetadata posts the metadata as X-Deltacloud-Blobmeta-* headers to
// {B}/buckets/:bucket/:blob, which answers 204, then reads the blob.
func (c *conn) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*deltacloud.Blob, error) {
	href, err := c.blobHref(bucketID, blobID)
	if err != nil {
		return nil, err
	}
	h := http.Header{}
	wire.SetBlobMetadataHeader(h, meta)
	resp, err := c.send(ctx, http.MethodPost, href, h, nil, 0)
	if err != nil {
		return nil, err
	}
	if err := resp.expect(http.StatusNoContent, http.StatusOK); err != nil {
		return nil, err
	}
	if resp.status == http.StatusOK && len(strings.TrimSpace(string(resp.body))) > 0 {
		return decodeBlob(resp.body)
	}
	return c.Blob(ctx, bucketID, blobID)
}
