package azure

import (
	"context"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blob"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/blockblob"

	"github.com/deltacloud-go/deltacloud"
)

// metaNameRE is the lexical form of a C# identifier in ASCII, which Blob
// Storage requires of metadata names.
var metaNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// CheckMetadata reports the first blob metadata entry Blob Storage cannot
// keep as given: a name that is not an ASCII C# identifier (letters, digits
// and underscores, not starting with a digit: "owner_id" is kept, "owner-id"
// is refused), two names that differ only in case (Blob Storage compares
// names case-insensitively), or a value with characters outside printable
// ASCII (metadata travels as HTTP headers, which Blob Storage signs as
// ASCII). The error is ErrInvalidArgument. Names are not rewritten, so what
// a caller reads back is what it wrote, in the case HTTP canonicalisation
// gives it ("owner_id" comes back as "Owner_id").
func CheckMetadata(meta map[string]string) error {
	seen := make(map[string]string, len(meta))
	for name, value := range meta {
		if !metaNameRE.MatchString(name) {
			return invalid("blob metadata name %q: Blob Storage wants a C# identifier (ASCII letters, digits and underscores, not starting with a digit)", name)
		}
		lower := strings.ToLower(name)
		if other, dup := seen[lower]; dup {
			return invalid("blob metadata names %q and %q differ only in case; Blob Storage keeps one", other, name)
		}
		seen[lower] = name
		for i := 0; i < len(value); i++ {
			if b := value[i]; b < 0x20 && b != '\t' || b >= 0x7f {
				return invalid("blob metadata %s: Blob Storage keeps printable ASCII values only", name)
			}
		}
	}
	return nil
}

// toMetadata converts checked metadata to the SDK's form.
func toMetadata(meta map[string]string) map[string]*string {
	out := make(map[string]*string, len(meta))
	for k, v := range meta {
		out[k] = to.Ptr(v)
	}
	return out
}

// fromMetadata converts the SDK's metadata.
func fromMetadata(meta map[string]*string) map[string]string {
	out := make(map[string]string, len(meta))
	for k, v := range meta {
		out[k] = str(v)
	}
	return out
}

// blobOf builds a Blob from the attributes every SDK response carries.
func blobOf(bucketID, blobID string, length *int64, ctype *string, modified *time.Time, meta map[string]*string) *deltacloud.Blob {
	b := &deltacloud.Blob{ID: blobID, BucketID: bucketID, ContentType: str(ctype), Metadata: fromMetadata(meta)}
	if length != nil {
		b.ContentLength = *length
	}
	if modified != nil {
		b.LastModified = *modified
	}
	return b
}

// blobClient returns the client of a blob, or ErrNotFound for a bucket id
// that cannot name a container.
func (c *conn) blobClient(bucketID, blobID string) (*blockblob.Client, error) {
	if !validContainer(bucketID) {
		return nil, noBucket(bucketID)
	}
	return c.blobs.NewContainerClient(bucketID).NewBlockBlobClient(blobID), nil
}

// Blob returns a blob's attributes and user metadata (Get Blob Properties).
func (c *conn) Blob(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, error) {
	bc, err := c.blobClient(bucketID, blobID)
	if err != nil {
		return nil, err
	}
	p, err := bc.GetProperties(ctx, nil)
	if err != nil {
		return nil, wrap(err)
	}
	return blobOf(bucketID, blobID, p.ContentLength, p.ContentType, p.LastModified, p.Metadata), nil
}

// BlobContent opens a blob's content (Get Blob); the body streams from Blob
// Storage as the caller reads it, and reading stops once ctx ends.
func (c *conn) BlobContent(ctx context.Context, bucketID, blobID string) (*deltacloud.Blob, io.ReadCloser, error) {
	bc, err := c.blobClient(bucketID, blobID)
	if err != nil {
		return nil, nil, err
	}
	r, err := bc.DownloadStream(ctx, nil)
	if err != nil {
		return nil, nil, wrap(err)
	}
	return blobOf(bucketID, blobID, r.ContentLength, r.ContentType, r.LastModified, r.Metadata), r.Body, nil
}

// PutBlob writes a block blob. Content is read into at most
// blob_concurrency buffers of blob_block_size MiB (8 MiB in all by default),
// whatever its length: content that fits one block goes up with one Put
// Blob once the reader reaches EOF; longer content is staged block by block
// and committed with Put Block List only after the reader reached EOF and
// every block was staged. If the content, Blob Storage or the context fails
// first, nothing is committed: a new blob does not appear and a blob being
// replaced keeps its content (Blob Storage discards the uncommitted blocks
// after a week). When spec.Size is known and needs more than 50,000 blocks
// the block size is raised to fit; content of unknown length is limited to
// 50,000 blocks (195 GiB at 4 MiB).
func (c *conn) PutBlob(ctx context.Context, bucketID string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	if err := CheckMetadata(spec.Metadata); err != nil {
		return nil, err
	}
	bc, err := c.blobClient(bucketID, spec.ID)
	if err != nil {
		return nil, err
	}
	block := int64(c.opts.storage.blockMiB) << 20
	if spec.Size > block*maxBlocks {
		block = ((spec.Size+maxBlocks-1)/maxBlocks + 1<<20 - 1) &^ (1<<20 - 1)
		if block > maxBlockMiB<<20 {
			return nil, invalid("blob of %d bytes is larger than Blob Storage's %d blocks of %d MiB", spec.Size, maxBlocks, maxBlockMiB)
		}
	}
	opts := &blockblob.UploadStreamOptions{
		BlockSize:   block,
		Concurrency: c.opts.storage.concurrency,
		Metadata:    toMetadata(spec.Metadata),
	}
	if spec.ContentType != "" {
		opts.HTTPHeaders = &blob.HTTPHeaders{BlobContentType: to.Ptr(spec.ContentType)}
	}
	if _, err := bc.UploadStream(ctx, content, opts); err != nil {
		return nil, wrap(err)
	}
	return c.Blob(ctx, bucketID, spec.ID)
}

// DestroyBlob deletes a blob with its snapshots; an unknown blob is
// ErrNotFound (BlobNotFound).
func (c *conn) DestroyBlob(ctx context.Context, bucketID, blobID string) error {
	bc, err := c.blobClient(bucketID, blobID)
	if err != nil {
		return err
	}
	_, err = bc.Delete(ctx, &blob.DeleteOptions{DeleteSnapshots: to.Ptr(blob.DeleteSnapshotsOptionTypeInclude)})
	return wrap(err)
}

// SetBlobMetadata replaces a blob's user metadata (Set Blob Metadata), which
// keeps its content and content type.
func (c *conn) SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*deltacloud.Blob, error) {
	if err := CheckMetadata(meta); err != nil {
		return nil, err
	}
	bc, err := c.blobClient(bucketID, blobID)
	if err != nil {
		return nil, err
	}
	if _, err := bc.SetMetadata(ctx, toMetadata(meta), nil); err != nil {
		return nil, wrap(err)
	}
	return c.Blob(ctx, bucketID, blobID)
}
