package gce

import (
	"context"
	"regexp"

	"google.golang.org/api/storage/v1"

	"github.com/deltacloud-go/deltacloud"
)

// bucketNameRE is Cloud Storage's rule for bucket names without dots.
var bucketNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$`)

// Collections lists what the provider serves: everything but keys and
// metrics, and buckets only with Cloud Storage.
func (c *conn) Collections() []deltacloud.Collection {
	cs := []deltacloud.Collection{deltacloud.CollectionRealms, deltacloud.CollectionHardwareProfiles,
		deltacloud.CollectionImages, deltacloud.CollectionInstances, deltacloud.CollectionInstanceStates,
		deltacloud.CollectionFirewalls, deltacloud.CollectionAddresses, deltacloud.CollectionStorageVolumes,
		deltacloud.CollectionStorageSnapshots}
	if c.storage != nil {
		cs = append(cs, deltacloud.CollectionBuckets)
	}
	return cs
}

// storageService is the storage client, or NotSupported without one.
func (c *conn) storageService() (*storage.Service, error) {
	if c.storage == nil {
		return nil, &deltacloud.Error{Code: deltacloud.NotSupported, Message: "gce: Cloud Storage is off (option buckets=false)"}
	}
	return c.storage, nil
}

func bucketOf(b *storage.Bucket) deltacloud.Bucket {
	return deltacloud.Bucket{ID: b.Name, Name: b.Name, Location: b.Location}
}

// Buckets lists the project's buckets, all of them: a project's buckets
// are its storage, as an Azure account's containers are (the owner label
// is written on the buckets the driver creates, for people and policies).
func (c *conn) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	s, err := c.storageService()
	if err != nil {
		return nil, err
	}
	var out []deltacloud.Bucket
	err = s.Buckets.List(c.scope.Project).Context(ctx).Pages(ctx, func(l *storage.Buckets) error {
		for _, b := range l.Items {
			out = append(out, bucketOf(b))
		}
		return nil
	})
	return out, wrap(err)
}

// bucket gets a bucket of the project.
func (c *conn) bucket(ctx context.Context, id string) (*storage.Bucket, error) {
	s, err := c.storageService()
	if err != nil {
		return nil, err
	}
	if !bucketNameRE.MatchString(id) {
		return nil, notFound("bucket", id)
	}
	b, err := s.Buckets.Get(id).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	return b, nil
}

// Bucket gets one bucket with its blob ids.
func (c *conn) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	b, err := c.bucket(ctx, id)
	if err != nil {
		return nil, err
	}
	out := bucketOf(b)
	err = c.storage.Objects.List(id).Context(ctx).Pages(ctx, func(l *storage.Objects) error {
		for _, o := range l.Items {
			out.BlobIDs = append(out.BlobIDs, o.Name)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(err)
	}
	out.Size = len(out.BlobIDs)
	return &out, nil
}

// CreateBucket makes a bucket with the owner label, in the spec's location
// or Cloud Storage's default. Bucket names are global: a taken one is
// ErrConflict.
func (c *conn) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	s, err := c.storageService()
	if err != nil {
		return nil, err
	}
	if !bucketNameRE.MatchString(spec.Name) {
		return nil, invalid("bucket name %q: want 3-63 lower-case letters, digits, dashes and underscores", truncate(spec.Name))
	}
	b := &storage.Bucket{Name: spec.Name, Location: spec.Location, Labels: map[string]string{LabelOwner: c.opts.owner}}
	got, err := s.Buckets.Insert(c.scope.Project, b).Context(ctx).Do()
	if err != nil {
		return nil, wrap(err)
	}
	out := bucketOf(got)
	return &out, nil
}

// DestroyBucket deletes an empty bucket; one with blobs is
// ErrInvalidState.
func (c *conn) DestroyBucket(ctx context.Context, id string) error {
	if _, err := c.bucket(ctx, id); err != nil {
		return err
	}
	l, err := c.storage.Objects.List(id).MaxResults(1).Context(ctx).Do()
	if err != nil {
		return wrap(err)
	}
	if len(l.Items) > 0 {
		return &deltacloud.Error{Code: deltacloud.InvalidState, Message: "gce: bucket " + id + " is not empty"}
	}
	return wrap(c.storage.Buckets.Delete(id).Context(ctx).Do())
}
