package wire

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// Bucket is the bucket document:
//
//	<bucket href='{B}/buckets/bucket1' id='bucket1'><name>bucket1</name><size>3</size>
//	  <blob href='{B}/buckets/bucket1/blob1' id='blob1'></blob>…</bucket>
//
// Size is empty where a listing does not count the blobs (Bucket.Size -1).
type Bucket struct {
	XMLName struct{} `xml:"bucket"`
	Href    string   `xml:"href,attr"`
	ID      string   `xml:"id,attr"`
	Name    string   `xml:"name"`
	Size    string   `xml:"size"`
	Blobs   []Ref    `xml:"blob"`
}

// Declared reports that the bucket document has an XML declaration.
func (Bucket) Declared() bool { return true }

// Buckets is the bucket index document.
type Buckets struct {
	XMLName struct{} `xml:"buckets"`
	Buckets []Bucket `xml:"bucket"`
}

// Declared reports that the bucket index has an XML declaration.
func (Buckets) Declared() bool { return true }

// BlobHref is the href of a blob, {B}/buckets/:bucket/:blob.
func BlobHref(base, bucketID, blobID string) string {
	return memberHref(base, "buckets", bucketID) + "/" + url.PathEscape(blobID)
}

// NewBucket builds the document for b, with hrefs under base.
func NewBucket(base string, b deltacloud.Bucket) Bucket {
	d := Bucket{Href: memberHref(base, "buckets", b.ID), ID: b.ID, Name: b.Name}
	if d.Name == "" {
		d.Name = b.ID
	}
	if b.Size >= 0 {
		d.Size = strconv.Itoa(b.Size)
	}
	if len(b.BlobIDs) > 0 {
		d.Blobs = make([]Ref, len(b.BlobIDs))
	}
	for i, id := range b.BlobIDs {
		d.Blobs[i] = Ref{Href: BlobHref(base, b.ID, id), ID: id}
	}
	return d
}

// NewBuckets builds the index document.
func NewBuckets(base string, bs []deltacloud.Bucket) Buckets {
	d := Buckets{Buckets: make([]Bucket, len(bs))}
	for i, b := range bs {
		d.Buckets[i] = NewBucket(base, b)
	}
	return d
}

// DecodeBucket reads a bucket document.
func DecodeBucket(data []byte) (*Bucket, error) { return decode[Bucket](data) }

// DecodeBuckets reads a bucket index document.
func DecodeBuckets(data []byte) (*Buckets, error) { return decode[Buckets](data) }

// Model converts the document into the model. An empty size is -1 (not
// counted); one that is not a whole number is an error. BlobIDs is nil when
// the document lists no blobs.
func (d *Bucket) Model() (deltacloud.Bucket, error) {
	b := deltacloud.Bucket{ID: text(d.ID), Name: text(d.Name), Size: -1}
	if b.Name == "" {
		// The document's name falls back to the id.
		b.Name = b.ID
	}
	if s := text(d.Size); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return deltacloud.Bucket{}, fmt.Errorf("wire: bucket %q: size %q is not a number of blobs", b.ID, d.Size)
		}
		b.Size = n
	}
	for _, r := range d.Blobs {
		b.BlobIDs = append(b.BlobIDs, text(r.ID))
	}
	return b, nil
}

// Model converts the index into the model.
func (d *Buckets) Model() ([]deltacloud.Bucket, error) {
	out := make([]deltacloud.Bucket, len(d.Buckets))
	for i := range d.Buckets {
		b, err := d.Buckets[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

// BucketJSON is the bucket's JSON form: {id, href, name, size, blob_list}.
type BucketJSON struct {
	ID       string    `json:"id"`
	Href     string    `json:"href"`
	Name     string    `json:"name"`
	Size     Number    `json:"size"`
	BlobList []RefJSON `json:"blob_list"`
}

// BucketsJSON is the index's JSON form, {"buckets":[…]}.
type BucketsJSON struct {
	Buckets []BucketJSON `json:"buckets"`
}

// BucketShowJSON is the show and create JSON form, {"bucket":{…}}.
type BucketShowJSON struct {
	Bucket BucketJSON `json:"bucket"`
}

// JSON returns the bucket's JSON form.
func (d Bucket) JSON() BucketJSON {
	j := BucketJSON{ID: d.ID, Href: d.Href, Name: d.Name, Size: Number(d.Size), BlobList: make([]RefJSON, len(d.Blobs))}
	for i, r := range d.Blobs {
		j.BlobList[i] = RefJSON{ID: r.ID, Href: r.Href, Rel: "blob"}
	}
	return j
}

// ShowJSON returns the show and create JSON form.
func (d Bucket) ShowJSON() BucketShowJSON { return BucketShowJSON{Bucket: d.JSON()} }

// JSON returns the index's JSON form.
func (d Buckets) JSON() BucketsJSON {
	j := BucketsJSON{Buckets: make([]BucketJSON, len(d.Buckets))}
	for i := range d.Buckets {
		j.Buckets[i] = d.Buckets[i].JSON()
	}
	return j
}

// Blob is the blob document:
//
//	<blob href='{B}/buckets/bucket1/blob1' id='blob1'>
//	  <bucket>bucket1</bucket><content_length>17</content_length><content_type>text/plain</content_type>
//	  <last_modified>2010-09-23 17:44:54 +0200</last_modified>
//	  <user_metadata><entry key='SOMENEWKEY'><![CDATA[NEWVALUE]]></entry></user_metadata>
//	  <content href='{B}/buckets/bucket1/blob1/content' rel='blob_content'></content>
//	</blob>
type Blob struct {
	XMLName       struct{}     `xml:"blob"`
	Href          string       `xml:"href,attr"`
	ID            string       `xml:"id,attr"`
	Bucket        string       `xml:"bucket"`
	ContentLength string       `xml:"content_length"`
	ContentType   string       `xml:"content_type"`
	LastModified  string       `xml:"last_modified"`
	UserMetadata  UserMetadata `xml:"user_metadata"`
	Content       *RelRefHref  `xml:"content"`
}

// Declared reports that the blob document has an XML declaration.
func (Blob) Declared() bool { return true }

// UserMetadata is a blob's <user_metadata>, entries sorted by key.
type UserMetadata struct {
	Entries []MetadataEntry `xml:"entry"`
}

// MetadataEntry is <entry key='NAME'><![CDATA[value]]></entry>.
type MetadataEntry struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",cdata"`
}

// RelRefHref is a link with only href and rel, as a blob's <content>.
type RelRefHref struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
}

// RelBlobContent is the rel of a blob's content link.
const RelBlobContent = "blob_content"

// ContentAction is the trailing path segment of a blob's content,
// GET {B}/buckets/:id/:blob_id/content.
const ContentAction = "content"

// DefaultContentType is the type of blobs that state none.
const DefaultContentType = "application/octet-stream"

// BlobTimeLayout is how the original writes a blob's last_modified
// ("2010-09-23 17:44:54 +0200", Ruby 1.9's Time#to_s), whatever the zone.
const BlobTimeLayout = CreatedTimeLayout

// FormatBlobTime writes t in BlobTimeLayout, or RFC 3339 when it has a
// fraction of a second; "" for the zero time. ParseTime reads both.
func FormatBlobTime(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case t.Nanosecond() != 0:
		return t.Format(time.RFC3339Nano)
	}
	return t.Format(BlobTimeLayout)
}

// NewBlob builds the document for b, with hrefs under base. The metadata
// entries are sorted by key; the content type is DefaultContentType when
// b has none.
func NewBlob(base string, b deltacloud.Blob) Blob {
	href := BlobHref(base, b.BucketID, b.ID)
	d := Blob{
		Href:          href,
		ID:            b.ID,
		Bucket:        b.BucketID,
		ContentLength: strconv.FormatInt(b.ContentLength, 10),
		ContentType:   b.ContentType,
		LastModified:  FormatBlobTime(b.LastModified),
		Content:       &RelRefHref{Href: href + "/" + ContentAction, Rel: RelBlobContent},
	}
	if d.ContentType == "" {
		d.ContentType = DefaultContentType
	}
	if len(b.Metadata) > 0 {
		d.UserMetadata.Entries = make([]MetadataEntry, 0, len(b.Metadata))
	}
	for _, k := range sortedKeys(b.Metadata) {
		d.UserMetadata.Entries = append(d.UserMetadata.Entries, MetadataEntry{Key: k, Value: b.Metadata[k]})
	}
	return d
}

// DecodeBlob reads a blob document.
func DecodeBlob(data []byte) (*Blob, error) { return decode[Blob](data) }

// Model converts the document into the model. A content length that is
// not a whole number, or a time ParseTime cannot read, is an error. An
// empty content type is DefaultContentType, as NewBlob writes it.
// Metadata is nil when there is none; values are taken as they are.
func (d *Blob) Model() (deltacloud.Blob, error) {
	b := deltacloud.Blob{ID: text(d.ID), BucketID: text(d.Bucket), ContentType: text(d.ContentType)}
	if b.ContentType == "" {
		b.ContentType = DefaultContentType
	}
	if s := text(d.ContentLength); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			return deltacloud.Blob{}, fmt.Errorf("wire: blob %q: content_length %q is not a length", b.ID, d.ContentLength)
		}
		b.ContentLength = n
	}
	t, err := ParseTime(d.LastModified)
	if err != nil {
		return deltacloud.Blob{}, fmt.Errorf("wire: blob %q: last_modified: %w", b.ID, err)
	}
	b.LastModified = t
	for _, e := range d.UserMetadata.Entries {
		if b.Metadata == nil {
			b.Metadata = map[string]string{}
		}
		b.Metadata[text(e.Key)] = e.Value
	}
	return b, nil
}

// BlobJSON is the blob's JSON form. Deliberately, content is the href of
// the content, not the content itself as the original inlines it: a blob
// may be of any size, and its content is streamed from that href.
type BlobJSON struct {
	ID            string            `json:"id"`
	Href          string            `json:"href"`
	Bucket        RefJSON           `json:"bucket"`
	ContentLength Number            `json:"content_length"`
	ContentType   string            `json:"content_type"`
	LastModified  string            `json:"last_modified"`
	Content       string            `json:"content"`
	UserMetadata  map[string]string `json:"user_metadata"`
}

// BlobShowJSON is the show and create JSON form, {"blob":{…}}.
type BlobShowJSON struct {
	Blob BlobJSON `json:"blob"`
}

// JSON returns the blob's JSON form. The bucket reference's href is the
// bucket's, derived from the blob's href.
func (d Blob) JSON() BlobJSON {
	j := BlobJSON{ID: d.ID, Href: d.Href, ContentLength: Number(d.ContentLength), ContentType: d.ContentType,
		LastModified: d.LastModified, UserMetadata: map[string]string{}}
	j.Bucket = RefJSON{ID: d.Bucket, Href: bucketHrefOf(d.Href), Rel: "bucket"}
	if d.Content != nil {
		j.Content = d.Content.Href
	}
	for _, e := range d.UserMetadata.Entries {
		j.UserMetadata[e.Key] = e.Value
	}
	return j
}

// bucketHrefOf is a blob href without its last segment.
func bucketHrefOf(blobHref string) string {
	for i := len(blobHref) - 1; i >= 0; i-- {
		if blobHref[i] == '/' {
			return blobHref[:i]
		}
	}
	return blobHref
}

// ShowJSON returns the show and create JSON form.
func (d Blob) ShowJSON() BlobShowJSON { return BlobShowJSON{Blob: d.JSON()} }
