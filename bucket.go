package deltacloud

import (
	"context"
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
// ErrInvalidState. The driver checks (BucketConn's contract, verified by
// drivertest): a check here would list the whole bucket first.
func (p *Provider) DestroyBucket(ctx context.Context, id string) error {
	if err := requireID("DestroyBucket", "bucket", id); err != nil {
		return err
	}
	return do(ctx, p, "DestroyBucket", id, CollectionBuckets, func(c BucketConn) error { return c.DestroyBucket(ctx, id) })
}
