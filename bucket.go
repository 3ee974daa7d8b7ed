package deltacloud

import (
	"context"
	"io"
	"strings"
)

// Bucket is a container of blobs in the cloud's object storage (S3 buckets,
// Azure Blob Storage containers).
type Bucket struct {
	ID   string
	Name string
	// Location is where the bucket lives, if the cloud says.
	Location string
	// Size is the number of blobs, or -1 where a listing does not count
	// them; Provider.Bucket always counts.
	Size int
	// BlobIDs lists the blobs; listings may leave it nil, Provider.Bucket
	// fills it.
	BlobIDs []string
}

// BucketSpec describes a bucket to create.
type BucketSpec struct {
	Name string
	// Location needs the bucket_location feature.
	Location string
}

// BucketConn is implemented by drivers that serve the buckets collection
// and its blobs. Blob content is streamed both ways: a driver must never
// need a whole blob in memory, and must not keep a partial blob when the
// content reader fails or the context ends mid-upload.
type BucketConn interface {
	Buckets(ctx context.Context) ([]Bucket, error)
	// Bucket returns one bucket with its blob ids.
	Bucket(ctx context.Context, id string) (*Bucket, error)
	CreateBucket(ctx context.Context, spec BucketSpec) (*Bucket, error)
	// DestroyBucket deletes an empty bucket; a non-empty one is
	// ErrInvalidState.
	DestroyBucket(ctx context.Context, id string) error
	// Blob returns a blob's attributes and metadata.
	Blob(ctx context.Context, bucketID, blobID string) (*Blob, error)
	// BlobContent opens a blob's content; the caller closes it.
	BlobContent(ctx context.Context, bucketID, blobID string) (*Blob, io.ReadCloser, error)
	// PutBlob creates or replaces a blob with the content read until EOF.
	PutBlob(ctx context.Context, bucketID string, spec BlobSpec, content io.Reader) (*Blob, error)
	DestroyBlob(ctx context.Context, bucketID, blobID string) error
	// SetBlobMetadata replaces a blob's user metadata.
	SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*Blob, error)
}

// Buckets lists the buckets.
func (p *Provider) Buckets(ctx context.Context) ([]Bucket, error) {
	return list(ctx, p, "Buckets", CollectionBuckets, func(c BucketConn) ([]Bucket, error) { return c.Buckets(ctx) })
}

// Bucket returns one bucket with its blob ids; an unknown id is
// ErrNotFound.
func (p *Provider) Bucket(ctx context.Context, id string) (*Bucket, error) {
	if err := requireID("Bucket", "bucket", id); err != nil {
		return nil, err
	}
	b, err := one(ctx, p, "Bucket", id, CollectionBuckets, func(c BucketConn) (*Bucket, error) { return c.Bucket(ctx, id) })
	if err != nil {
		return nil, err
	}
	if b.BlobIDs == nil {
		b.BlobIDs = []string{}
	}
	b.Size = len(b.BlobIDs)
	return b, nil
}

// CreateBucket creates a bucket.
func (p *Provider) CreateBucket(ctx context.Context, spec BucketSpec) (*Bucket, error) {
	const op = "CreateBucket"
	if strings.TrimSpace(spec.Name) == "" {
		return nil, argErr(op, "bucket name is required")
	}
	if err := p.needFeature(op, spec.Location != "", "location", FeatureBucketLocation); err != nil {
		return nil, err
	}
	return one(ctx, p, op, spec.Name, CollectionBuckets, func(c BucketConn) (*Bucket, error) { return c.CreateBucket(ctx, spec) })
}

// DestroyBucket deletes an empty bucket; a bucket that still holds blobs is
// ErrInvalidState.
func (p *Provider) DestroyBucket(ctx context.Context, id string) error {
	const op = "DestroyBucket"
	b, err := p.Bucket(ctx, id)
	if err != nil {
		return renameOp(err, op)
	}
	if b.Size > 0 {
		return stateErr(op, id, "NOT-EMPTY", "bucket holds %d blobs; delete them first", b.Size)
	}
	return do(ctx, p, op, id, CollectionBuckets, func(c BucketConn) error { return c.DestroyBucket(ctx, id) })
}
