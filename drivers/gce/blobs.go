package gce

import (
	"context"
	"io"
	"time"

	"google.golang.org/api/googleapi"
	"google.golang.org/api/storage/v1"

	"github.com/deltacloud-go/deltacloud"
)

func blobOf(bucket string, o *storage.Object) *deltacloud.Blob {
	b := &deltacloud.Blob{ID: o.Name, BucketID: bucket, ContentLength: int64(o.Size), ContentType: o.ContentType,
		Metadata: map[string]string{}}
	for k, v := range o.Metadata {
		b.Metadata[k] = v
	}
	if t, err := time.Parse(time.RFC3339, o.Updated); err == nil {
		b.LastModified = t
	}
	return b
}

// Blob gets an object's attributes and metadata.
func (c *conn) Blob(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, error) {
	if _, err := c.bucket(ctx, bucketID); err != nil {
		return nil, err
	}
	o, err := c.storage.Objects.Get(bucketID, blobID).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	return blobOf(bucketID, o), nil
}

// BlobContent opens an object's content; it streams as the caller reads.
func (c *conn) BlobContent(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, io.ReadCloser, error) {
	if _, err := c.bucket(ctx, bucketID); err != nil {
		return nil, nil, err
	}
	o, err := c.storage.Objects.Get(bucketID, blobID).Context(ctx).Do()
	if err != nil {
		return nil, nil, wrap(err)
	}
	// The generation read is the one downloaded, so the attributes
	// describe the content even when the blob is replaced meanwhile.
	resp, err := c.storage.Objects.Get(bucketID, blobID).Generation(o.Generation).Context(ctx).Download()
	if err != nil {
		return nil, nil, wrap(err)
	}
	return blobOf(bucketID, o), resp.Body, nil
}

// PutBlob uploads an object in resumable chunks of blob_chunk_size (one
// chunk in memory); the object exists only once the last chunk is in.
func (c *conn) PutBlob(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	if _, err := c.bucket(ctx, bucketID); err != nil {
		return nil, err
	}
	ct := spec.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	o := &storage.Object{Name: spec.ID, ContentType: ct, Metadata: spec.Metadata}
	got, err := c.storage.Objects.Insert(bucketID, o).
		Media(content, googleapi.ChunkSize(c.opts.blobChunk), googleapi.ContentType(ct)).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	return blobOf(bucketID, got), nil
}

// DestroyBlob deletes an object.
func (c *conn) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	if _, err := c.bucket(ctx, bucketID); err != nil {
		return err
	}
	return wrap(c.storage.Objects.Delete(bucketID, blobID).Context(ctx).Do())
}

// SetBlobMetadata replaces an object's metadata (a full update, so names
// left out are removed).
func (c *conn) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*deltacloud.Blob, error) {
	if _, err := c.bucket(ctx, bucketID); err != nil {
		return nil, err
	}
	o, err := c.storage.Objects.Get(bucketID, blobID).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	o.Metadata = meta
	got, err := c.storage.Objects.Update(bucketID, blobID, o).IfGenerationMatch(o.Generation).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	return blobOf(bucketID, got), nil
}
