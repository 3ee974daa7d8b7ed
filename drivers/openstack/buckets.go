package openstack

import (
	"context"
	"net/http"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/objectstorage/v1/containers"
	"github.com/gophercloud/gophercloud/v2/openstack/objectstorage/v1/objects"
	"github.com/gophercloud/gophercloud/v2/pagination"

	"github.com/deltacloud-go/deltacloud"
)

// Buckets lists the project's Swift containers (all pages), with their
// object counts; Swift has no locations.
func (c *conn) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	s, err := c.swift(ctx)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.Bucket
	err = containers.List(s.object, containers.ListOpts{}).EachPage(ctx, func(_ context.Context, p pagination.Page) (bool, error) {
		list, err := containers.ExtractInfo(p)
		if err != nil {
			return false, err
		}
		for _, ct := range list {
			out = append(out, deltacloud.Bucket{ID: ct.Name, Name: ct.Name, Size: int(ct.Count)})
		}
		return true, nil
	})
	if err != nil {
		return nil, wrapSwift(err)
	}
	return out, nil
}

// Bucket returns a container with the names of all its objects.
func (c *conn) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	s, err := c.swift(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkBucketName(id); err != nil {
		return nil, notFound("bucket", id)
	}
	ids := []string{}
	err = objects.List(s.object, id, objects.ListOpts{}).EachPage(ctx, func(_ context.Context, p pagination.Page) (bool, error) {
		names, err := objects.ExtractNames(p)
		ids = append(ids, names...)
		return err == nil, err
	})
	if err != nil {
		return nil, swiftErr(err, "bucket", id)
	}
	return &deltacloud.Bucket{ID: id, Name: id, Size: len(ids), BlobIDs: ids}, nil
}

// CreateBucket creates a container. Swift answers 202 instead of 201 for
// a container that exists; that is ErrConflict, as a taken name is on
// other clouds.
func (c *conn) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	s, err := c.swift(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkBucketName(spec.Name); err != nil {
		return nil, err
	}
	resp, err := s.object.Put(ctx, objectURL(s, spec.Name), nil, nil, &gophercloud.RequestOpts{OkCodes: []int{201, 202}})
	if err != nil {
		return nil, wrapSwift(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusAccepted {
		return nil, &deltacloud.Error{Code: deltacloud.Conflict, ID: spec.Name, Message: "openstack: bucket " + spec.Name + " exists"}
	}
	return &deltacloud.Bucket{ID: spec.Name, Name: spec.Name, BlobIDs: []string{}}, nil
}

// DestroyBucket deletes an empty container (Swift's 409 for one holding
// objects is ErrInvalidState), then the segments container the driver made
// for it, if that is empty.
func (c *conn) DestroyBucket(ctx context.Context, id string) error {
	s, err := c.swift(ctx)
	if err != nil {
		return err
	}
	if err := checkBucketName(id); err != nil {
		return notFound("bucket", id)
	}
	if err := containers.Delete(ctx, s.object, id).Err; err != nil {
		return swiftErr(err, "bucket", id)
	}
	seg := id + segmentsSuffix
	if checkBucketName(seg) != nil {
		return nil
	}
	r := containers.Get(ctx, s.object, seg, nil)
	h, err := r.Extract()
	if err != nil {
		return nil // none, or not ours to judge: the bucket is gone either way
	}
	if meta, _ := r.ExtractMetadata(); meta[metaSegmentsOf] == id && h.ObjectCount == 0 {
		containers.Delete(ctx, s.object, seg) // best effort: a segment may have arrived since
	}
	return nil
}
