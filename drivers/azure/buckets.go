package azure

import (
	"context"
	"regexp"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/container"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/deltacloud-go/deltacloud"
)

// containerRE is Blob Storage's rule for container names: 3-63 lower-case
// letters, digits and single dashes, starting and ending with a letter or
// digit.
var containerRE = regexp.MustCompile(`^[a-z0-9](?:-?[a-z0-9])+$`)

func validContainer(name string) bool {
	return len(name) >= 3 && len(name) <= 63 && containerRE.MatchString(name)
}

// noBucket is the error of a bucket id that cannot name a container.
func noBucket(id string) error {
	return deltacloud.Errorf(deltacloud.NotFound, "azure: no container %q (container names are 3-63 lower-case letters, digits and single dashes)", id)
}

// Buckets lists the storage account's containers. Their Location is empty
// (a container lives where its account does) and Size is -1: listings do
// not count blobs.
func (c *conn) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	var bs []deltacloud.Bucket
	pg := c.blobs.NewListContainersPager(&service.ListContainersOptions{})
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, it := range page.ContainerItems {
			name := str(it.Name)
			bs = append(bs, deltacloud.Bucket{ID: name, Name: name, Size: -1})
		}
	}
	return bs, nil
}

// Bucket returns a container with the names of all its blobs (flat
// listing, paginated).
func (c *conn) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	if !validContainer(id) {
		return nil, noBucket(id)
	}
	cc := c.blobs.NewContainerClient(id)
	if _, err := cc.GetProperties(ctx, nil); err != nil {
		return nil, wrap(err)
	}
	b := &deltacloud.Bucket{ID: id, Name: id, BlobIDs: []string{}}
	pg := cc.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{})
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		if page.Segment == nil {
			continue
		}
		for _, it := range page.Segment.BlobItems {
			b.BlobIDs = append(b.BlobIDs, str(it.Name))
		}
	}
	b.Size = len(b.BlobIDs)
	return b, nil
}

// CreateBucket creates a private container (no anonymous access) in the
// storage account. A taken name is ErrConflict (ContainerAlreadyExists), a
// name Blob Storage does not accept ErrInvalidArgument. The
// bucket_location feature is not advertised: a container lives where its
// storage account does.
func (c *conn) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	if !validContainer(spec.Name) {
		return nil, invalid("bucket name %q: Blob Storage container names are 3-63 lower-case letters, digits and single dashes, starting and ending with a letter or digit", spec.Name)
	}
	if _, err := c.blobs.NewContainerClient(spec.Name).Create(ctx, nil); err != nil {
		return nil, wrap(err)
	}
	return &deltacloud.Bucket{ID: spec.Name, Name: spec.Name, BlobIDs: []string{}}, nil
}

// DestroyBucket deletes a container. The Provider has checked that it is
// empty; Blob Storage itself would delete a full one.
func (c *conn) DestroyBucket(ctx context.Context, id string) error {
	if !validContainer(id) {
		return noBucket(id)
	}
	// Blob Storage deletes a container with everything in it; the portable
	// contract is that only an empty bucket goes, so look first.
	cc := c.blobs.NewContainerClient(id)
	page, err := cc.NewListBlobsFlatPager(&container.ListBlobsFlatOptions{MaxResults: to.Ptr[int32](1)}).NextPage(ctx)
	if err != nil {
		return wrap(err)
	}
	if page.Segment != nil && len(page.Segment.BlobItems) > 0 {
		return deltacloud.Errorf(deltacloud.InvalidState, "azure: container %q still holds blobs; delete them first", id)
	}
	_, err = cc.Delete(ctx, nil)
	return wrap(err)
}
