package mock

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// bucketRecord is a stored bucket; its blobs are counted, not stored in it.
type bucketRecord struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Location string `json:"location,omitempty"`
}

// blobKey identifies a blob: blob ids are unique within their bucket.
type blobKey struct{ bucket, id string }

// blobRecord is a stored blob. Its content is in File (under the store's
// blobs directory) when the cloud has storage, else in content.
type blobRecord struct {
	deltacloud.Blob
	File    string `json:"file,omitempty"`
	content []byte // immutable once stored
}

func (r *blobRecord) blob() *deltacloud.Blob {
	b := r.Blob
	b.Metadata = maps.Clone(b.Metadata)
	return &b
}

// blobIDs lists a bucket's blob ids, sorted. The caller holds c.mu.
func (c *Cloud) blobIDs(bucket string) []string {
	ids := []string{}
	for k := range c.blobs {
		if k.bucket == bucket {
			ids = append(ids, k.id)
		}
	}
	slices.SortFunc(ids, compareIDs)
	return ids
}

func (c *Cloud) bucketOf(b *bucketRecord) deltacloud.Bucket {
	ids := c.blobIDs(b.ID)
	return deltacloud.Bucket{ID: b.ID, Name: b.Name, Location: b.Location, Size: len(ids), BlobIDs: ids}
}

func (c *Cloud) bucketList() []deltacloud.Bucket {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]deltacloud.Bucket, 0, len(c.buckets))
	for _, b := range c.buckets {
		out = append(out, c.bucketOf(b))
	}
	slices.SortFunc(out, func(a, b deltacloud.Bucket) int { return compareIDs(a.ID, b.ID) })
	return out
}

func (c *Cloud) bucket(id string) (*deltacloud.Bucket, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b := c.buckets[id]
	if b == nil {
		return nil, missing("bucket", id)
	}
	out := c.bucketOf(b)
	return &out, nil
}

// createBucket makes an empty bucket whose id is its name. The location is
// ignored: bucket_location is not advertised.
func (c *Cloud) createBucket(spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	if err := checkName("bucket", spec.Name); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buckets[spec.Name] != nil {
		return nil, conflict("bucket", spec.Name)
	}
	b := &bucketRecord{ID: spec.Name, Name: spec.Name}
	if err := c.save(dirBuckets, b.ID, b); err != nil {
		return nil, err
	}
	c.buckets[b.ID] = b
	out := c.bucketOf(b)
	return &out, nil
}

func (c *Cloud) destroyBucket(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.buckets[id] == nil {
		return missing("bucket", id)
	}
	if n := len(c.blobIDs(id)); n > 0 {
		return &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, State: "NOT-EMPTY",
			Message: fmt.Sprintf("bucket %s holds %d blobs; delete them first", id, n)}
	}
	if err := c.drop(dirBuckets, id); err != nil {
		return err
	}
	delete(c.buckets, id)
	return nil
}

// lookupBlob finds a blob of an existing bucket. The caller holds c.mu.
func (c *Cloud) lookupBlob(bucket, id string) (*blobRecord, error) {
	if c.buckets[bucket] == nil {
		return nil, missing("bucket", bucket)
	}
	r := c.blobs[blobKey{bucket, id}]
	if r == nil {
		return nil, missing("blob", bucket+"/"+id)
	}
	return r, nil
}

func (c *Cloud) blob(bucket, id string) (*deltacloud.Blob, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookupBlob(bucket, id)
	if err != nil {
		return nil, err
	}
	return r.blob(), nil
}

// blobContent opens a blob's content. With storage the file is opened under
// the lock, so a concurrent replacement cannot remove it first; the reader
// then sees the content as it was when opened.
func (c *Cloud) blobContent(ctx context.Context, bucket, id string) (*deltacloud.Blob, io.ReadCloser, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookupBlob(bucket, id)
	if err != nil {
		return nil, nil, err
	}
	if c.store == nil {
		return r.blob(), &ctxReader{ctx: ctx, r: bytes.NewReader(r.content)}, nil
	}
	f, err := os.Open(c.store.contentPath(r.File))
	if err != nil {
		return nil, nil, storageErr(err)
	}
	return r.blob(), &ctxReader{ctx: ctx, r: f, c: f}, nil
}

// putBlob writes a blob, streaming its content: to a temp file renamed into
// place with storage, else into memory. Nothing of a failed upload is kept,
// and the blob's old version stays. The cloud is not locked while content
// is read.
func (c *Cloud) putBlob(ctx context.Context, bucket string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	if err := checkName("blob", spec.ID); err != nil {
		return nil, err
	}
	if err := deltacloud.CheckBlobMetadata(spec.Metadata); err != nil {
		return nil, err
	}
	meta, err := lowerKeys(spec.Metadata)
	if err != nil {
		return nil, err
	}
	spec.Metadata = meta
	if content == nil {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "blob content is nil")
	}
	c.mu.Lock()
	st := c.store
	exists := c.buckets[bucket] != nil
	c.mu.Unlock()
	if !exists {
		return nil, missing("bucket", bucket)
	}
	src := &ctxReader{ctx: ctx, r: content}
	var (
		tmp  string
		data []byte
		n    int64
	)
	if st != nil {
		tmp, n, err = st.writeContent(src)
	} else {
		var buf bytes.Buffer
		n, err = io.CopyBuffer(struct{ io.Writer }{&buf}, src, make([]byte, copyBuffer))
		data = buf.Bytes()
	}
	if err == nil && spec.Size > 0 && n != spec.Size {
		err = deltacloud.Errorf(deltacloud.InvalidArgument, "content is %d bytes, not the %d announced", n, spec.Size)
	}
	if err != nil {
		if tmp != "" {
			os.Remove(tmp)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = storageErr(err)
		}
		return nil, fmt.Errorf("mock: blob %s/%s: %w", bucket, spec.ID, err)
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.writable(); err != nil {
		// Closed while the content streamed: the temp file goes, and the
		// blob is neither committed nor acknowledged.
		if tmp != "" {
			os.Remove(tmp)
		}
		return nil, err
	}
	if c.buckets[bucket] == nil {
		if tmp != "" {
			os.Remove(tmp)
		}
		return nil, missing("bucket", bucket)
	}
	r := &blobRecord{Blob: deltacloud.Blob{ID: spec.ID, BucketID: bucket, ContentLength: n, ContentType: spec.ContentType,
		LastModified: time.Now().UTC().Truncate(time.Second), Metadata: maps.Clone(spec.Metadata)}}
	k := blobKey{bucket, spec.ID}
	old := c.blobs[k]
	if st != nil {
		c.gen++
		r.File = contentName(bucket, spec.ID, c.gen)
		if err := os.Rename(tmp, st.contentPath(r.File)); err != nil {
			os.Remove(tmp)
			return nil, storageErr(err)
		}
		// The JSON file is the commit point: until it is written, the old
		// record names the old content, and a crash leaves the new content
		// unnamed, to be removed at the next open.
		if err := st.put(dirBlobs, blobFileKey(bucket, spec.ID), r); err != nil {
			os.Remove(st.contentPath(r.File))
			return nil, storageErr(err)
		}
		if old != nil && old.File != r.File {
			os.Remove(st.contentPath(old.File))
		}
	} else {
		r.content = data
	}
	c.blobs[k] = r
	return r.blob(), nil
}

func (c *Cloud) destroyBlob(bucket, id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookupBlob(bucket, id)
	if err != nil {
		return err
	}
	if err := c.drop(dirBlobs, blobFileKey(bucket, id)); err != nil {
		return err
	}
	if c.store != nil {
		os.Remove(c.store.contentPath(r.File))
	}
	delete(c.blobs, blobKey{bucket, id})
	return nil
}

func (c *Cloud) setBlobMetadata(bucket, id string, meta map[string]string) (*deltacloud.Blob, error) {
	if err := deltacloud.CheckBlobMetadata(meta); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, err := c.lookupBlob(bucket, id)
	if err != nil {
		return nil, err
	}
	lower, err := lowerKeys(meta)
	if err != nil {
		return nil, err
	}
	nr := *r
	nr.Metadata = lower
	if err := c.save(dirBlobs, blobFileKey(bucket, id), &nr); err != nil {
		return nil, err
	}
	*r = nr
	return r.blob(), nil
}

// ctxReader stops reading with the context's error once ctx ends, and
// closes c (if any).
type ctxReader struct {
	ctx context.Context
	r   io.Reader
	c   io.Closer
}

func (r *ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

func (r *ctxReader) Close() error {
	if r.c == nil {
		return nil
	}
	return r.c.Close()
}

// Buckets lists the buckets with their blob ids, sorted by id.
func (c *conn) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	if err := c.begin(ctx, OpBuckets); err != nil {
		return nil, err
	}
	return c.cloud.bucketList(), nil
}

// Bucket returns one bucket with its blob ids.
func (c *conn) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	if err := c.begin(ctx, OpBucket); err != nil {
		return nil, err
	}
	return c.cloud.bucket(id)
}

// CreateBucket creates an empty bucket; a taken name is ErrConflict.
func (c *conn) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	if err := c.begin(ctx, OpCreateBucket); err != nil {
		return nil, err
	}
	return c.cloud.createBucket(spec)
}

// DestroyBucket deletes an empty bucket.
func (c *conn) DestroyBucket(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDestroyBucket); err != nil {
		return err
	}
	return c.cloud.destroyBucket(id)
}

// Blob returns a blob's attributes and metadata.
func (c *conn) Blob(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, error) {
	if err := c.begin(ctx, OpBlob); err != nil {
		return nil, err
	}
	return c.cloud.blob(bucketID, blobID)
}

// BlobContent opens a blob's content, streamed from its file with storage.
func (c *conn) BlobContent(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, io.ReadCloser, error) {
	if err := c.begin(ctx, OpBlobContent); err != nil {
		return nil, nil, err
	}
	return c.cloud.blobContent(ctx, bucketID, blobID)
}

// PutBlob creates or replaces a blob, streaming content until EOF.
func (c *conn) PutBlob(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	if err := c.begin(ctx, OpPutBlob); err != nil {
		return nil, err
	}
	return c.cloud.putBlob(ctx, bucketID, spec, content)
}

// DestroyBlob deletes a blob.
func (c *conn) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	if err := c.begin(ctx, OpDestroyBlob); err != nil {
		return err
	}
	return c.cloud.destroyBlob(bucketID, blobID)
}

// SetBlobMetadata replaces a blob's user metadata.
func (c *conn) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*deltacloud.Blob, error) {
	if err := c.begin(ctx, OpSetBlobMetadata); err != nil {
		return nil, err
	}
	return c.cloud.setBlobMetadata(bucketID, blobID, meta)
}

// lowerKeys returns meta with its keys lower-cased, as the original
// Deltacloud server stored them (HTTP headers carry them, and header names
// are case-insensitive). Two keys that differ only in case are refused:
// keeping either would silently drop the other.
func lowerKeys(meta map[string]string) (map[string]string, error) {
	if meta == nil {
		return nil, nil
	}
	out := make(map[string]string, len(meta))
	for k, v := range meta {
		lk := strings.ToLower(k)
		if _, dup := out[lk]; dup {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "blob metadata key %q is given twice (keys are case-insensitive)", lk)
		}
		out[lk] = v
	}
	return out, nil
}
