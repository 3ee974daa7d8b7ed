package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/deltacloud-go/deltacloud"
)

// Buckets lists the account's S3 buckets. S3 lists every region's buckets;
// Location is the bucket's region where S3 says (BucketRegion) and empty
// otherwise, and Size is -1 (listings do not count blobs).
func (c *conn) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	var bs []deltacloud.Bucket
	pg := s3.NewListBucketsPaginator(c.s3, &s3.ListBucketsInput{})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
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
func (c *conn) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	loc, err := c.s3.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String(id)})
	if err != nil {
		return nil, c.wrap(err)
	}
	b := &deltacloud.Bucket{ID: id, Name: id, Location: locationOf(loc.LocationConstraint), BlobIDs: []string{}}
	pg := s3.NewListObjectsV2Paginator(c.s3, &s3.ListObjectsV2Input{Bucket: aws.String(id)})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, o := range page.Contents {
			b.BlobIDs = append(b.BlobIDs, aws.ToString(o.Key))
		}
	}
	b.Size = len(b.BlobIDs)
	return b, nil
}

// locationOf names a bucket's region: S3 answers an empty constraint for
// us-east-1 and "EU" for buckets made with the legacy name of eu-west-1.
func locationOf(c s3types.BucketLocationConstraint) string {
	switch c {
	case "":
		return "us-east-1"
	case s3types.BucketLocationConstraintEu:
		return "eu-west-1"
	}
	return string(c)
}

// CreateBucket creates a bucket in spec.Location (bucket_location), or in
// the provider's region. A name taken by anyone is ErrConflict.
func (c *conn) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	loc := spec.Location
	if loc == "" {
		loc = c.region
	}
	in := &s3.CreateBucketInput{Bucket: aws.String(spec.Name)}
	if loc != "us-east-1" { // us-east-1 is the default and must not be named
		in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(loc)}
	}
	if _, err := c.s3.CreateBucket(ctx, in); err != nil {
		return nil, c.wrap(err)
	}
	return &deltacloud.Bucket{ID: spec.Name, Name: spec.Name, Location: loc, BlobIDs: []string{}}, nil
}

// DestroyBucket deletes an empty bucket; a non-empty one is
// ErrInvalidState (BucketNotEmpty).
func (c *conn) DestroyBucket(ctx context.Context, id string) error {
	_, err := c.s3.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String(id)})
	return c.wrap(err)
}
