package openstack

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/deltacloud-go/deltacloud"
)

// Segment sizes of large blobs (the segment_size option): Swift stores an
// object of at most 5 GiB in one piece, and a static large object (SLO)
// of at most maxSegments segments.
const (
	DefaultSegmentSize = 256 << 20
	MinSegmentSize     = 1 << 20
	MaxSegmentSize     = 5 << 30
	maxSegments        = 1000
)

// segmentsSuffix names the container that holds a bucket's segments, as
// python-swiftclient does ("photos" keeps its segments in
// "photos_segments").
const segmentsSuffix = "_segments"

// metaSegmentsOf is the container metadata that marks a segments container
// the driver made, naming the bucket it serves: only such a container is
// deleted with its bucket.
const metaSegmentsOf = "Deltacloud-Segments-Of"

// swift returns the authenticated services with their Swift client, or
// ErrNotSupported when the catalog has no object-store endpoint.
func (c *conn) swift(ctx context.Context) (*services, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	if s.object == nil {
		return nil, s.objectErr
	}
	return s, nil
}

// objectURL is the URL of a container, or of an object in it.
func objectURL(s *services, container string, object ...string) string {
	parts := []string{url.PathEscape(container)}
	for _, o := range object {
		parts = append(parts, url.PathEscape(o))
	}
	return s.object.ServiceURL(parts...)
}

// checkBucketName refuses a name Swift cannot hold as a container: one
// with a slash (it would name an object) or longer than 256 bytes.
func checkBucketName(name string) error {
	switch {
	case strings.ContainsRune(name, '/'):
		return deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: bucket name %q has a slash, which Swift container names cannot hold", name)
	case len(name) > 256:
		return deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: bucket name is %d bytes; Swift allows 256", len(name))
	}
	return nil
}

// checkBlobName refuses an object name longer than Swift's 1,024 bytes.
func checkBlobName(name string) error {
	if len(name) > 1024 {
		return deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: blob name is %d bytes; Swift allows 1024", len(name))
	}
	return nil
}

// blobOf reads a blob's attributes from an object's response headers.
func blobOf(bucket, id string, h http.Header) *deltacloud.Blob {
	b := &deltacloud.Blob{ID: id, BucketID: bucket, ContentType: h.Get("Content-Type"), Metadata: map[string]string{}}
	if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil {
		b.ContentLength = n
	}
	if t, err := http.ParseTime(h.Get("Last-Modified")); err == nil {
		b.LastModified = t
	}
	for k, v := range h {
		if name, ok := strings.CutPrefix(k, "X-Object-Meta-"); ok && name != "" && len(v) > 0 {
			b.Metadata[name] = v[0]
		}
	}
	return b
}

// isSLO reports whether an object's headers say it is a static large
// object's manifest.
func isSLO(h http.Header) bool {
	v, _ := strconv.ParseBool(h.Get("X-Static-Large-Object"))
	return v
}

// swiftErr is ErrNotFound naming what is missing for Swift's 404, and
// wrapSwift's classification otherwise.
func swiftErr(err error, what, id string) error {
	if isNotFound(err) {
		return notFound(what, id)
	}
	return wrapSwift(err)
}

// wrapSwift classifies Swift's errors: as wrap, except that a 413 without
// Retry-After that is no quota refusal is an object over Swift's size
// limit (ErrInvalidArgument), and 498 is Swift's rate limit.
func wrapSwift(err error) error {
	var re gophercloud.ErrUnexpectedResponseCode
	if !errors.As(err, &re) {
		return wrap(err)
	}
	out := wrap(err)
	de, ok := out.(*deltacloud.Error)
	if !ok {
		return out
	}
	switch {
	case re.Actual == http.StatusRequestEntityTooLarge && RetryAfter(re.ResponseHeader) == 0 &&
		!strings.Contains(strings.ToLower(ParseFault(re.Body).Message), "quota"):
		cp := *de
		cp.Code = deltacloud.InvalidArgument
		return &cp
	case re.Actual == 498:
		cp := *de
		cp.Code, cp.RetryAfter = deltacloud.RateLimited, RetryAfter(re.ResponseHeader)
		return &cp
	}
	return out
}

// swiftTimeout bounds the clean-up of a failed upload's segments.
const swiftTimeout = 30 * time.Second
