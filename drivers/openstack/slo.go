package openstack

import (
	"bufio"
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/objectstorage/v1/containers"
	"github.com/gophercloud/gophercloud/v2/openstack/objectstorage/v1/objects"

	"github.com/deltacloud-go/deltacloud"
)

// segment is one entry of a static large object's manifest, in the form
// Swift takes it (multipart-manifest=put).
type segment struct {
	Path string `json:"path"`
	ETag string `json:"etag"`
	Size int64  `json:"size_bytes"`
}

// putLarge uploads content as a static large object: segments of the
// segment size (larger when the announced size needs more than Swift's
// 1,000), each streamed in one request into the bucket's segments
// container under "<blob>/slo/<upload>/<n>", then the manifest, which is
// the moment the blob appears. Any failure deletes the segments made.
func (c *conn) putLarge(ctx context.Context, s *services, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (_ *deltacloud.Blob, err error) {
	size := c.opts.segmentSize
	if spec.Size > size*maxSegments {
		size = (spec.Size + maxSegments - 1) / maxSegments
		if size > MaxSegmentSize {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: a blob of %d bytes needs more than %d segments of 5 GiB", spec.Size, maxSegments)
		}
	}
	segBucket, err := c.segmentsContainer(ctx, s, bucketID)
	if err != nil {
		return nil, err
	}
	prefix := spec.ID + "/slo/" + newToken() + "/"
	var segs []segment
	defer func() {
		if err != nil {
			c.deleteSegments(ctx, s, segs)
		}
	}()
	br := bufio.NewReaderSize(content, 32<<10)
	var total int64
	for n := 0; ; n++ {
		if _, perr := br.Peek(1); perr == io.EOF {
			break
		} else if perr != nil {
			return nil, perr
		}
		if n == maxSegments {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument,
				"openstack: blob is larger than %d segments of %d MiB; announce its size or raise segment_size", maxSegments, size>>20)
		}
		name := fmt.Sprintf("%s%08d", prefix, n)
		sum := md5.New()
		body := &onceBody{r: io.TeeReader(io.LimitReader(br, size), sum)}
		r := objects.Create(ctx, s.object, segBucket, name, objects.CreateOpts{Content: body, NoETag: true, ContentType: defaultContentType})
		if r.Err != nil {
			return nil, body.wrap(wrapSwift(r.Err))
		}
		seg := segment{Path: "/" + segBucket + "/" + name, ETag: hex.EncodeToString(sum.Sum(nil)), Size: body.sent()}
		segs = append(segs, seg)
		if got := strings.Trim(r.Header.Get("Etag"), `"`); got != "" && got != seg.ETag {
			return nil, &deltacloud.Error{Code: deltacloud.Backend, ID: spec.ID,
				Message: fmt.Sprintf("openstack: Swift stored segment %d with MD5 %s; %s was sent", n, got, seg.ETag)}
		}
		total += seg.Size
	}
	manifest, err := json.Marshal(segs)
	if err != nil {
		return nil, err
	}
	r := objects.Create(ctx, s.object, bucketID, spec.ID, objects.CreateOpts{Content: bytes.NewReader(manifest), NoETag: true,
		MultipartManifest: "put", ContentType: spec.ContentType, Metadata: spec.Metadata})
	if r.Err != nil {
		return nil, wrapSwift(r.Err)
	}
	b := blobOf(bucketID, spec.ID, r.Header)
	b.ContentLength, b.ContentType, b.Metadata = total, spec.ContentType, copyMeta(spec.Metadata)
	return b, nil
}

// segmentsContainer returns the name of the bucket's segments container,
// creating it (marked with metaSegmentsOf) when missing. A missing bucket
// is ErrNotFound.
func (c *conn) segmentsContainer(ctx context.Context, s *services, bucketID string) (string, error) {
	if err := containers.Get(ctx, s.object, bucketID, nil).Err; err != nil {
		return "", swiftErr(err, "bucket", bucketID)
	}
	seg := bucketID + segmentsSuffix
	if err := checkBucketName(seg); err != nil {
		return "", deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: bucket name %q is too long for its segments container %q", bucketID, seg)
	}
	err := containers.Get(ctx, s.object, seg, nil).Err
	switch {
	case err == nil:
		return seg, nil
	case !isNotFound(err):
		return "", wrapSwift(err)
	}
	if err := containers.Create(ctx, s.object, seg, containers.CreateOpts{Metadata: map[string]string{metaSegmentsOf: bucketID}}).Err; err != nil {
		return "", wrapSwift(err)
	}
	return seg, nil
}

// maxManifest bounds a manifest read back (Swift's own limit is 8 MiB).
const maxManifest = 16 << 20

// oldSegments returns the segments of the large object a PutBlob is about
// to replace, those the driver made ("<bucket>_segments/<blob>/slo/…"),
// so they can go once the new blob is in place. No blob, or a plain one,
// has none.
func (c *conn) oldSegments(ctx context.Context, s *services, bucketID, blobID string) ([]segment, error) {
	h, err := headObject(ctx, s, bucketID, blobID)
	switch {
	case errors.Is(err, deltacloud.ErrNotFound):
		return nil, nil
	case err != nil:
		return nil, err
	case !isSLO(h):
		return nil, nil
	}
	resp, err := s.object.Get(ctx, objectURL(s, bucketID, blobID)+"?multipart-manifest=get", nil,
		&gophercloud.RequestOpts{OkCodes: []int{200}, KeepResponseBody: true})
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, wrapSwift(err)
	}
	defer resp.Body.Close()
	var stored []struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxManifest)).Decode(&stored); err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.Backend, ID: blobID, Message: "openstack: unreadable large object manifest", Err: err}
	}
	ours := "/" + bucketID + segmentsSuffix + "/" + blobID + "/slo/"
	var segs []segment
	for _, e := range stored {
		if strings.HasPrefix(e.Name, ours) {
			segs = append(segs, segment{Path: e.Name})
		}
	}
	return segs, nil
}

// deleteSegments deletes segments, best effort, within swiftTimeout: at
// once while ctx lasts, in the background (Close waits) once it has
// ended, so a cancelled upload returns promptly.
func (c *conn) deleteSegments(ctx context.Context, s *services, segs []segment) {
	if len(segs) == 0 {
		return
	}
	del := func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), swiftTimeout)
		defer cancel()
		for _, seg := range segs {
			container, object, ok := strings.Cut(strings.TrimPrefix(seg.Path, "/"), "/")
			if !ok || ctx.Err() != nil {
				continue
			}
			objects.Delete(ctx, s.object, container, object, nil)
		}
	}
	if ctx.Err() == nil {
		del()
		return
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		del()
	}()
}

// errReplay is gophercloud's attempt to send an upload's body again after
// renewing the token, once part of it has gone.
var errReplay = errors.New("openstack: the token expired during an upload, which cannot be sent twice")

// onceBody is an upload's body that counts what it sends and refuses to be
// rewound after sending anything: gophercloud rewinds a body (io.Seeker)
// to resend it after a 401, and would otherwise send the rest of a stream
// as if it were the whole. The transport may go on reading it from its own
// goroutine while gophercloud handles the answer, and even after the
// request returned: stop ends that, so nothing of the caller's content is
// read once the upload is over.
type onceBody struct {
	r        io.Reader
	n        atomic.Int64
	replayed atomic.Bool
	stopped  atomic.Bool
}

// errUploadOver is what the transport reads from a body after its upload
// ended.
var errUploadOver = errors.New("openstack: the upload is over")

func (b *onceBody) Read(p []byte) (int, error) {
	if b.stopped.Load() {
		return 0, errUploadOver
	}
	n, err := b.r.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// Seek allows only the rewind of a body nothing was read from.
func (b *onceBody) Seek(offset int64, whence int) (int64, error) {
	if offset == 0 && whence == io.SeekStart && b.n.Load() == 0 {
		return 0, nil
	}
	b.replayed.Store(true)
	return 0, errReplay
}

// sent stops the body and returns how many bytes it gave.
func (b *onceBody) sent() int64 {
	b.stopped.Store(true)
	return b.n.Load()
}

// wrap stops the body and explains a failure caused by a refused replay:
// the upload must be tried again (nothing was stored).
func (b *onceBody) wrap(err error) error {
	b.stopped.Store(true)
	if !b.replayed.Load() {
		return err
	}
	return &deltacloud.Error{Code: deltacloud.Unavailable, Message: errReplay.Error() + "; nothing was stored, try again", Err: err}
}
