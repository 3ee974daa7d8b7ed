package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// Blob is an object in a bucket: its attributes and user metadata. The
// content is streamed separately (Provider.BlobContent, Provider.PutBlob).
type Blob struct {
	ID            string
	BucketID      string
	ContentLength int64
	// ContentType is the MIME type; empty means application/octet-stream.
	ContentType  string
	LastModified time.Time
	// Metadata is the user metadata. Names are HTTP header tokens, since
	// the REST API carries them as X-Deltacloud-Blobmeta-<name> headers.
	Metadata map[string]string
}

// BlobSpec describes a blob to write.
type BlobSpec struct {
	ID          string
	ContentType string
	Metadata    map[string]string
	// Size, when positive, is the exact content length; the upload fails
	// with ErrInvalidArgument (and keeps nothing) if the content differs.
	// Zero means unknown.
	Size int64
}

// Blob returns a blob's attributes and metadata; an unknown bucket or blob
// is ErrNotFound.
func (p *Provider) Blob(ctx context.Context, bucketID, blobID string) (*Blob, error) {
	const op = "Blob"
	if err := checkBlobIDs(op, bucketID, blobID); err != nil {
		return nil, err
	}
	return one(ctx, p, op, blobID, CollectionBuckets, func(c BucketConn) (*Blob, error) { return c.Blob(ctx, bucketID, blobID) })
}

// BlobContent opens a blob's content for reading. The reader stops with the
// context's error once ctx ends; the caller must close it.
func (p *Provider) BlobContent(ctx context.Context, bucketID, blobID string) (*Blob, io.ReadCloser, error) {
	const op = "BlobContent"
	if err := checkBlobIDs(op, bucketID, blobID); err != nil {
		return nil, nil, err
	}
	impl, err := optional[BucketConn](p, op, CollectionBuckets)
	if err != nil {
		return nil, nil, err
	}
	var (
		b  *Blob
		rc io.ReadCloser
	)
	err = p.call(ctx, op, blobID, func() (err error) {
		b, rc, err = impl.BlobContent(ctx, bucketID, blobID)
		return err
	})
	if err == nil && (b == nil || rc == nil) {
		if rc != nil {
			rc.Close()
		}
		err = &Error{Code: Backend, Op: op, ID: blobID, Message: "the driver returned no content"}
	}
	if err != nil {
		return nil, nil, err
	}
	return b, &contentReader{ctx: ctx, r: rc, c: rc, op: op, id: blobID, want: -1}, nil
}

// PutBlob writes a blob, streaming content until EOF, and returns its
// attributes. Metadata names must be HTTP header tokens and values must not
// hold control characters. If content fails, ctx ends or the length differs
// from spec.Size, the upload fails and the driver keeps nothing of it.
func (p *Provider) PutBlob(ctx context.Context, bucketID string, spec BlobSpec, content io.Reader) (*Blob, error) {
	const op = "PutBlob"
	if err := checkBlobIDs(op, bucketID, spec.ID); err != nil {
		return nil, err
	}
	if content == nil {
		return nil, argErr(op, "blob content is nil")
	}
	if spec.Size < 0 {
		return nil, argErr(op, "blob size is %d; it must not be negative", spec.Size)
	}
	if err := CheckBlobMetadata(spec.Metadata); err != nil {
		return nil, &Error{Code: InvalidArgument, Op: op, ID: spec.ID, Message: err.Error()}
	}
	want := spec.Size
	if want == 0 {
		want = -1
	}
	r := &contentReader{ctx: ctx, r: content, op: op, id: spec.ID, want: want}
	b, err := one(ctx, p, op, spec.ID, CollectionBuckets, func(c BucketConn) (*Blob, error) { return c.PutBlob(ctx, bucketID, spec, r) })
	if err != nil {
		// The content's own failure says more than the driver's report of it.
		if r.err != nil && !errors.Is(err, r.err) {
			return nil, &Error{Code: contentCode(r.err), Op: op, ID: spec.ID, Err: errors.Join(r.err, err)}
		}
		// A driver that wraps the content's failure (as it should) gets the
		// same code as one that does not, not Backend.
		if e, ok := err.(*Error); ok && r.err != nil && e.Code != contentCode(r.err) {
			out := *e
			out.Code = contentCode(r.err)
			return nil, &out
		}
		return nil, err
	}
	switch {
	case r.err != nil:
		// The driver swallowed the content's failure; the blob is not what
		// the caller sent.
		return nil, &Error{Code: contentCode(r.err), Op: op, ID: spec.ID, Err: r.err}
	case !r.done:
		return nil, &Error{Code: Backend, Op: op, ID: spec.ID, Message: "the driver did not read the content to its end"}
	}
	return b, nil
}

// DestroyBlob deletes a blob.
func (p *Provider) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	const op = "DestroyBlob"
	if err := checkBlobIDs(op, bucketID, blobID); err != nil {
		return err
	}
	return do(ctx, p, op, blobID, CollectionBuckets, func(c BucketConn) error { return c.DestroyBlob(ctx, bucketID, blobID) })
}

// SetBlobMetadata replaces a blob's user metadata.
func (p *Provider) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*Blob, error) {
	const op = "SetBlobMetadata"
	if err := checkBlobIDs(op, bucketID, blobID); err != nil {
		return nil, err
	}
	if err := CheckBlobMetadata(meta); err != nil {
		return nil, &Error{Code: InvalidArgument, Op: op, ID: blobID, Message: err.Error()}
	}
	return one(ctx, p, op, blobID, CollectionBuckets, func(c BucketConn) (*Blob, error) {
		return c.SetBlobMetadata(ctx, bucketID, blobID, meta)
	})
}

// contentCode classifies a failure of the caller's content: the reader's own
// errors are the caller's fault (InvalidArgument) unless already classified.
func contentCode(err error) Code {
	if c := CodeOf(err); c != CodeUnknown {
		return c
	}
	return InvalidArgument
}

func checkBlobIDs(op, bucketID, blobID string) error {
	if err := requireID(op, "bucket", bucketID); err != nil {
		return err
	}
	return requireID(op, "blob", blobID)
}

// CheckBlobMetadata reports the first metadata entry that cannot travel as
// an X-Deltacloud-Blobmeta-<name> header unchanged: a name that is not an
// HTTP token, or a value with control characters or leading or trailing
// blanks.
func CheckBlobMetadata(meta map[string]string) error {
	for name, value := range meta {
		if name == "" {
			return Errorf(InvalidArgument, "blob metadata has an empty name")
		}
		for _, r := range name {
			if r >= 0x80 || !isTokenChar(byte(r)) {
				return Errorf(InvalidArgument, "blob metadata name %q is not an HTTP token", name)
			}
		}
		if strings.IndexFunc(value, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }) >= 0 {
			return Errorf(InvalidArgument, "blob metadata %s has a control character in its value", name)
		}
		if strings.Trim(value, " \t") != value {
			// HTTP drops them, so the value would not come back as stored.
			return Errorf(InvalidArgument, "blob metadata %s has leading or trailing blanks in its value", name)
		}
	}
	return nil
}

// isTokenChar reports whether c may appear in an HTTP token (RFC 9110 §5.6.2).
func isTokenChar(c byte) bool {
	if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// contentReader streams blob content under a context: reads fail once ctx
// ends, and when want ≥ 0 the total must equal it at EOF. It remembers its
// first failure so PutBlob can report the content's error, not the
// driver's echo of it.
type contentReader struct {
	ctx  context.Context
	r    io.Reader
	c    io.Closer
	op   string
	id   string
	want int64
	n    int64
	done bool
	err  error
}

func (r *contentReader) Read(b []byte) (int, error) {
	if r.err != nil {
		return 0, r.err
	}
	if err := r.ctx.Err(); err != nil {
		r.err = &Error{Code: ctxCode(err), Op: r.op, ID: r.id, Err: err}
		return 0, r.err
	}
	n, err := r.r.Read(b)
	r.n += int64(n)
	if r.want >= 0 && r.n > r.want {
		r.err = &Error{Code: InvalidArgument, Op: r.op, ID: r.id,
			Message: fmt.Sprintf("content is longer than the %d bytes announced", r.want)}
		return 0, r.err
	}
	switch {
	case err == io.EOF:
		if r.want >= 0 && r.n != r.want {
			r.err = &Error{Code: InvalidArgument, Op: r.op, ID: r.id,
				Message: fmt.Sprintf("content is %d bytes, not the %d announced", r.n, r.want)}
			return n, r.err
		}
		r.done = true
	case err != nil:
		r.err = err
	}
	return n, err
}

func (r *contentReader) Close() error {
	if r.c == nil {
		return nil
	}
	return r.c.Close()
}
