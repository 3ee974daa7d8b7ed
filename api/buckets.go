package api

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The buckets collection and its blobs. Blob content is
// streamed both ways and never held in memory: an upload's body goes
// straight into Provider.PutBlob (PUT: the raw body, its size from
// Content-Length; POST: the multipart form read part by part), and a
// download is copied from Provider.BlobContent to the response.

func bucketsIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	bs, err := p.Buckets(q.r.Context())
	if err != nil {
		return err
	}
	bs = onlyID(q, bs, func(x deltacloud.Bucket) string { return x.ID })
	doc := wire.NewBuckets(q.base, bs)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "buckets", doc)
}

func bucketShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	b, err := p.Bucket(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewBucket(q.base, *b)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "bucket", doc)
}

func bucketCreate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	b, err := p.CreateBucket(q.r.Context(), deltacloud.BucketSpec{Name: q.params.Get("name"), Location: q.params.Get("location")})
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewBucket(q.base, *b)
	return q.created(memberPath(deltacloud.CollectionBuckets, b.ID), doc, func() any { return doc.ShowJSON() }, "bucket", doc)
}

func bucketDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyBucket(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.noContent("/buckets")
	return nil
}

func bucketNewPage(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	return q.render(http.StatusOK, nil, nil, "new_bucket", formPage{Features: p.Features()})
}

// blobPath is "/buckets/<bucket>/<blob>", escaped.
func blobPath(bucketID, blobID string) string {
	return memberPath(deltacloud.CollectionBuckets, bucketID) + "/" + url.PathEscape(blobID)
}

func blobShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	b, err := p.Blob(q.r.Context(), q.id, q.sub)
	if err != nil {
		return err
	}
	doc := wire.NewBlob(q.base, *b)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "blob", doc)
}

// blobCreate is POST {B}/buckets/:id: blob_id, blob_data (a file or a
// string) and metadata as meta_params/meta_nameN/meta_valueN; 201 with the
// blob and no Location, as the original.
//
// A multipart form is read part by part (never ParseMultipartForm): the
// fields before the file are read into memory, capped together at
// MaxBodyBytes, and the file part is streamed into PutBlob as it arrives.
// Forms that send blob_id only after the file have the file spooled to a
// temporary file first (disk, not memory); metadata fields after the file
// are applied with SetBlobMetadata once the form ends.
func blobCreate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if !q.streaming {
		return q.blobCreateFromParams(p)
	}
	mr, err := q.r.MultipartReader()
	if err != nil {
		return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "malformed multipart form: " + err.Error()}
	}
	ctx := q.r.Context()
	params := maps.Clone(q.params) // the query's; the form's fields win
	if params == nil {
		params = url.Values{}
	}
	budget := q.h.opts.MaxBodyBytes
	fields := 0
	var (
		blob    *deltacloud.Blob
		putMeta map[string]string
		spool   *os.File
		spooled int64
		spoolCT string
		sawData bool
	)
	defer func() {
		if spool != nil {
			spool.Close()
			os.Remove(spool.Name())
		}
	}()
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "malformed multipart form: " + err.Error()}
		}
		name := part.FormName()
		if name != "blob_data" {
			if fields++; fields > MaxFormFields {
				part.Close()
				return &deltacloud.Error{Code: deltacloud.InvalidArgument,
					Message: fmt.Sprintf("the form has more than %d fields", MaxFormFields)}
			}
			b, err := io.ReadAll(io.LimitReader(part, budget+1))
			part.Close()
			if err != nil {
				return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "malformed multipart form: " + err.Error()}
			}
			if budget -= int64(len(b)); budget < 0 {
				return &deltacloud.Error{Code: deltacloud.InvalidArgument,
					Message: fmt.Sprintf("the form's fields are larger than %d bytes", q.h.opts.MaxBodyBytes)}
			}
			if name != "" {
				params[name] = []string{string(b)}
			}
			continue
		}
		if sawData {
			return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "the form has more than one blob_data"}
		}
		sawData = true
		ct := part.Header.Get("Content-Type")
		if ct == "" {
			// A form field without its own type, such as a string the
			// Ruby client sends, is text (the multipart default).
			ct = stringBlobType
		}
		if id := params.Get("blob_id"); id != "" {
			meta, err := wire.BlobMetadataFromParams(params)
			if err != nil {
				return err
			}
			blob, err = p.PutBlob(ctx, q.id, deltacloud.BlobSpec{ID: id, ContentType: ct, Metadata: meta}, part)
			if err != nil {
				return forbidState(err)
			}
			putMeta = meta
			continue
		}
		if spool, err = os.CreateTemp("", "deltacloud-blob-*"); err != nil {
			return err
		}
		if spooled, err = io.Copy(spool, part); err != nil {
			return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "reading blob_data: " + err.Error()}
		}
		spoolCT = ct
	}
	q.params = params
	id := params.Get("blob_id")
	if id == "" {
		q.missingParam("blob_id")
		return nil
	}
	if !sawData {
		q.missingParam("blob_data")
		return nil
	}
	meta, err := wire.BlobMetadataFromParams(params)
	if err != nil {
		return err
	}
	switch {
	case spool != nil:
		if _, err := spool.Seek(0, io.SeekStart); err != nil {
			return err
		}
		blob, err = p.PutBlob(ctx, q.id, deltacloud.BlobSpec{ID: id, ContentType: spoolCT, Metadata: meta, Size: spooled}, spool)
	case !maps.Equal(meta, putMeta):
		blob, err = p.SetBlobMetadata(ctx, q.id, id, meta)
	}
	if err != nil {
		return forbidState(err)
	}
	return q.blobCreated(blob)
}

// MaxFormFields caps the fields of a streamed blob form: a blob with its
// metadata needs a handful (blob_id, meta_params and a name and value per
// entry), and each field costs a part header to parse.
const MaxFormFields = 1000

// stringBlobType is the type of a blob whose content came as a string
// parameter or an untyped form field: the original server stored such
// blobs as text/plain, and clients that upload strings (the Ruby client's
// create_blob) read that back.
const stringBlobType = "text/plain"

// blobCreateFromParams creates a blob from a urlencoded form or the query:
// blob_data is the content (capped with the body at MaxBodyBytes), its
// type content_type if given, else text/plain.
func (q *request) blobCreateFromParams(p *deltacloud.Provider) error {
	meta, err := wire.BlobMetadataFromParams(q.params)
	if err != nil {
		return err
	}
	data := q.params.Get("blob_data")
	b, err := p.PutBlob(q.r.Context(), q.id, deltacloud.BlobSpec{ID: q.params.Get("blob_id"),
		ContentType: cmp.Or(q.params.Get("content_type"), stringBlobType), Metadata: meta, Size: int64(len(data))}, strings.NewReader(data))
	if err != nil {
		return forbidState(err)
	}
	return q.blobCreated(b)
}

// blobCreated answers a blob upload form: 201 with the blob (no
// Location), or a redirect to the blob's page for an HTML form.
func (q *request) blobCreated(b *deltacloud.Blob) error {
	if q.format == formatHTML {
		q.redirect(blobPath(q.id, b.ID))
		return nil
	}
	doc := wire.NewBlob(q.base, *b)
	return q.render(http.StatusCreated, doc, func() any { return doc.ShowJSON() }, "blob", doc)
}

// blobPut is PUT {B}/buckets/:id/:blob_id: the raw body is the content,
// streamed into PutBlob with its size from Content-Length; Content-Type is
// the blob's type and X-Deltacloud-Blobmeta-* headers its metadata. 200
// with the blob. Segmented uploads (a driver-specific OpenStack/EC2
// extension) are not supported: 501.
func blobPut(q *request) error {
	if !q.streaming {
		return &deltacloud.Error{Code: deltacloud.InvalidArgument,
			Message: "PUT of a blob takes its content as the request body, not as a form"}
	}
	if strings.EqualFold(q.r.Header.Get("X-Deltacloud-Blobtype"), "segmented") || q.params.Get("blob_type") == "segmented" {
		return &deltacloud.Error{Code: deltacloud.NotSupported, Message: "segmented blob uploads are not supported"}
	}
	p, err := q.open()
	if err != nil {
		return err
	}
	size := q.r.ContentLength
	if size < 0 {
		size = 0 // unknown (chunked)
	}
	b, err := p.PutBlob(q.r.Context(), q.id, deltacloud.BlobSpec{ID: q.sub, ContentType: q.r.Header.Get("Content-Type"),
		Metadata: wire.BlobMetadataFromHeader(q.r.Header), Size: size}, q.r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: err.Error()}
		}
		return forbidState(err)
	}
	doc := wire.NewBlob(q.base, *b)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "blob", doc)
}

// blobHead is HEAD {B}/buckets/:id/:blob_id: 204 with one
// X-Deltacloud-Blobmeta-<name> header per metadata entry.
func blobHead(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	b, err := p.Blob(q.r.Context(), q.id, q.sub)
	if err != nil {
		return err
	}
	wire.SetBlobMetadataHeader(q.w.Header(), b.Metadata)
	q.empty(http.StatusNoContent)
	return nil
}

// blobMetadataUpdate is POST {B}/buckets/:id/:blob_id: the
// X-Deltacloud-Blobmeta-* headers replace the metadata (names lower-cased,
// as the original stores them); 204 echoing X-Deltacloud-Blobmeta-<name>
// for each entry set.
func blobMetadataUpdate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	meta := wire.BlobMetadataFromHeader(q.r.Header)
	if meta == nil {
		meta = map[string]string{}
	}
	b, err := p.SetBlobMetadata(q.r.Context(), q.id, q.sub, meta)
	if err != nil {
		return forbidState(err)
	}
	wire.SetBlobMetadataHeader(q.w.Header(), b.Metadata)
	q.empty(http.StatusNoContent)
	return nil
}

func blobDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyBlob(q.r.Context(), q.id, q.sub); err != nil {
		return forbidState(err)
	}
	q.noContent(memberPath(deltacloud.CollectionBuckets, q.id))
	return nil
}

// blobContent is GET {B}/buckets/:id/:blob_id/content: the content copied
// from the driver as it is read, with Content-Type (the blob's, else
// application/octet-stream), Content-Disposition: attachment and
// Content-Length. Served as an attachment, HTML content never renders in
// the API's origin. A failure mid-way cuts the response short of its
// Content-Length, so the client sees it.
func blobContent(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	b, rc, err := p.BlobContent(q.r.Context(), q.id, q.sub)
	if err != nil {
		return err
	}
	defer rc.Close()
	q.setCommonHeaders()
	h := q.w.Header()
	ct := b.ContentType
	if ct == "" {
		ct = wire.DefaultContentType
	}
	h.Set("Content-Type", ct)
	disp := mime.FormatMediaType("attachment", map[string]string{"filename": b.ID})
	if disp == "" {
		disp = "attachment"
	}
	h.Set("Content-Disposition", disp)
	h.Set("Content-Length", strconv.FormatInt(b.ContentLength, 10))
	h.Set("X-Backend-Runtime", q.runtime())
	q.w.WriteHeader(http.StatusOK)
	q.wrote = true
	if q.r.Method == http.MethodHead {
		return nil
	}
	if n, err := io.Copy(q.w, rc); err != nil {
		q.h.log.Warn("deltacloud api: blob content cut short", "url", q.cleanPath(), "written", n, "err", err)
	}
	return nil
}
