package openstack

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/objectstorage/v1/objects"

	"github.com/deltacloud-go/deltacloud"
)

// defaultContentType is what a blob written without a type is stored as,
// rather than the type Swift would guess from the name's extension.
const defaultContentType = "application/octet-stream"

// Blob returns an object's attributes and metadata (HEAD).
func (c *conn) Blob(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, error) {
	s, err := c.swift(ctx)
	if err != nil {
		return nil, err
	}
	h, err := headObject(ctx, s, bucketID, blobID)
	if err != nil {
		return nil, err
	}
	return blobOf(bucketID, blobID, h), nil
}

// headObject returns an object's headers; a missing bucket or object is
// ErrNotFound.
func headObject(ctx context.Context, s *services, bucketID, blobID string) (http.Header, error) {
	if checkBucketName(bucketID) != nil || checkBlobName(blobID) != nil {
		return nil, notFound("blob", blobID)
	}
	r := objects.Get(ctx, s.object, bucketID, blobID, nil)
	if r.Err != nil {
		return nil, swiftErr(r.Err, "blob", blobID)
	}
	return r.Header, nil
}

// BlobContent opens an object's content, streamed from Swift (a static
// large object's segments one after another).
func (c *conn) BlobContent(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, io.ReadCloser, error) {
	s, err := c.swift(ctx)
	if err != nil {
		return nil, nil, err
	}
	if checkBucketName(bucketID) != nil || checkBlobName(blobID) != nil {
		return nil, nil, notFound("blob", blobID)
	}
	r := objects.Download(ctx, s.object, bucketID, blobID, nil)
	if r.Err != nil {
		return nil, nil, swiftErr(r.Err, "blob", blobID)
	}
	return blobOf(bucketID, blobID, r.Header), r.Body, nil
}

// PutBlob writes an object, streaming content to Swift: in one request
// when the announced size is at most the segment size or the content
// proves shorter than smallBlob, else as a static large object whose
// segments stream one after another (nothing is held in memory but
// smallBlob bytes). A failed upload keeps nothing: Swift discards an
// object whose body was cut off, and a large object's segments are deleted
// before its manifest exists. Replacing a large object deletes its old
// segments once the new blob is in place.
func (c *conn) PutBlob(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	s, err := c.swift(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkBucketName(bucketID); err != nil {
		return nil, notFound("bucket", bucketID)
	}
	if err := checkBlobName(spec.ID); err != nil {
		return nil, err
	}
	if spec.ContentType == "" {
		spec.ContentType = defaultContentType
	}
	old, err := c.oldSegments(ctx, s, bucketID, spec.ID)
	if err != nil {
		return nil, err
	}
	var b *deltacloud.Blob
	switch {
	case spec.Size > 0 && spec.Size <= c.opts.segmentSize:
		b, err = putObject(ctx, s, bucketID, spec, content)
	case spec.Size > 0:
		b, err = c.putLarge(ctx, s, bucketID, spec, content)
	default:
		head := make([]byte, smallBlob)
		n, rerr := io.ReadFull(content, head)
		switch rerr {
		case io.EOF, io.ErrUnexpectedEOF:
			b, err = putObject(ctx, s, bucketID, spec, bytes.NewReader(head[:n]))
		case nil:
			b, err = c.putLarge(ctx, s, bucketID, spec, io.MultiReader(bytes.NewReader(head), content))
		default:
			return nil, rerr
		}
	}
	if err != nil {
		return nil, err
	}
	c.deleteSegments(ctx, s, old)
	return b, nil
}

// smallBlob is how much of content of unknown size PutBlob reads to tell a
// small blob (one request) from a large one (segments).
const smallBlob = 64 << 10

// putObject writes an object in one streamed request. Its body refuses to
// be sent twice (onceBody), so a token renewed mid-upload cannot store a
// truncated object.
func putObject(ctx context.Context, s *services, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	body := &onceBody{r: content}
	r := objects.Create(ctx, s.object, bucketID, spec.ID, objects.CreateOpts{Content: body, NoETag: true,
		ContentType: spec.ContentType, Metadata: spec.Metadata})
	if r.Err != nil {
		return nil, body.wrap(swiftErr(r.Err, "bucket", bucketID))
	}
	b := blobOf(bucketID, spec.ID, r.Header)
	b.ContentLength, b.ContentType, b.Metadata = body.sent(), spec.ContentType, copyMeta(spec.Metadata)
	return b, nil
}

// copyMeta copies metadata, never nil.
func copyMeta(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// DestroyBlob deletes an object; a static large object goes with its
// segments (multipart-manifest=delete).
func (c *conn) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	s, err := c.swift(ctx)
	if err != nil {
		return err
	}
	h, err := headObject(ctx, s, bucketID, blobID)
	if err != nil {
		return err
	}
	if !isSLO(h) {
		if err := objects.Delete(ctx, s.object, bucketID, blobID, nil).Err; err != nil {
			return swiftErr(err, "blob", blobID)
		}
		return nil
	}
	return deleteManifest(ctx, s, bucketID, blobID)
}

// bulkResult is the body of Swift's bulk deletes, which a
// multipart-manifest=delete answers with status 200 whatever happened.
type bulkResult struct {
	Status   string     `json:"Response Status"`
	Body     string     `json:"Response Body"`
	Deleted  int        `json:"Number Deleted"`
	NotFound int        `json:"Number Not Found"`
	Errors   [][]string `json:"Errors"`
}

// maxBulkBody bounds the bulk delete's answer.
const maxBulkBody = 1 << 20

// deleteManifest deletes a static large object and its segments.
func deleteManifest(ctx context.Context, s *services, bucketID, blobID string) error {
	resp, err := s.object.Delete(ctx, objectURL(s, bucketID, blobID)+"?multipart-manifest=delete",
		&gophercloud.RequestOpts{OkCodes: []int{200}, KeepResponseBody: true})
	if err != nil {
		return swiftErr(err, "blob", blobID)
	}
	defer resp.Body.Close()
	var res bulkResult
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBulkBody)).Decode(&res); err != nil {
		return &deltacloud.Error{Code: deltacloud.Backend, ID: blobID, Message: "openstack: unreadable answer to a large object's delete", Err: err}
	}
	status := bulkStatus(res.Status)
	switch {
	case status == http.StatusNotFound || status/100 == 2 && res.Deleted == 0 && res.NotFound > 0:
		// Swift reports a manifest gone since the HEAD as "200 OK" with
		// nothing deleted and one not found.
		return notFound("blob", blobID)
	case status/100 != 2 || len(res.Errors) > 0:
		msg := "openstack: deleting large object " + blobID + ": " + res.Status
		if len(res.Errors) > 0 {
			msg += " (" + strings.Join(res.Errors[0], " ") + ")"
		}
		return &deltacloud.Error{Code: CodeFor(status, Fault{Message: res.Body}, false), ID: blobID, Message: msg}
	}
	return nil
}

// bulkStatus reads the status code of a bulk answer's "200 OK"; 0 when
// it is no HTTP status.
func bulkStatus(s string) int {
	code, _, _ := strings.Cut(s, " ")
	n, err := strconv.Atoi(code)
	if len(code) != 3 || err != nil || n < 100 || n > 599 {
		return 0
	}
	return n
}

// SetBlobMetadata replaces an object's user metadata (POST keeps its
// content and type).
func (c *conn) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*deltacloud.Blob, error) {
	s, err := c.swift(ctx)
	if err != nil {
		return nil, err
	}
	if checkBucketName(bucketID) != nil || checkBlobName(blobID) != nil {
		return nil, notFound("blob", blobID)
	}
	if meta == nil {
		meta = map[string]string{}
	}
	if err := objects.Update(ctx, s.object, bucketID, blobID, objects.UpdateOpts{Metadata: meta}).Err; err != nil {
		return nil, swiftErr(err, "blob", blobID)
	}
	return c.Blob(ctx, bucketID, blobID)
}
