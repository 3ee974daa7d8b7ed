package api

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"net/http"
	"strconv"
	"sync"

	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// renderMemo remembers, for one opened provider (so for one set of
// credentials: it lives in the provider cache's entry), the body last
// rendered for a few listings together with a copy of the data it was
// made from. A request still asks the provider for the data every time;
// only when they equal the remembered copy is the body served again,
// without building the document, encoding it and hashing it for the ETag.
// So nothing is ever served that the provider did not just return, and
// nothing crosses from one caller's credentials to another's.
type renderMemo struct {
	mu      sync.Mutex
	entries map[memoKey]*memoEntry
}

// maxMemoEntries bounds a memo: the key holds the request's Host, which a
// client chooses.
const maxMemoEntries = 16

// memoKey is everything besides the data that a rendered listing depends
// on: the route, the format, the base URL the links are made of, and the
// route's own variant (its filter and link options).
type memoKey struct {
	route   string
	format  format
	base    string
	variant string
}

// memoEntry is a rendered body with what was rendered; header values are
// kept ready to be shared by every response that serves it.
type memoEntry struct {
	data   any
	body   []byte
	etag   []string
	length []string
}

func newRenderMemo() *renderMemo { return &renderMemo{entries: map[memoKey]*memoEntry{}} }

// lookup returns the entry for k if same reports its data equal to the
// data at hand.
func (m *renderMemo) lookup(k memoKey, same func(old any) bool) *memoEntry {
	m.mu.Lock()
	e := m.entries[k]
	m.mu.Unlock()
	if e == nil || !same(e.data) {
		return nil
	}
	return e
}

// store remembers a body; one entry goes when the memo is full.
func (m *renderMemo) store(k memoKey, e *memoEntry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.entries[k]; !ok && len(m.entries) >= maxMemoEntries {
		for old := range m.entries {
			delete(m.entries, old)
			break
		}
	}
	m.entries[k] = e
}

// etagOf is the ETag of a body, its MD5 in hex as the original sends it.
func etagOf(body []byte) string {
	sum := md5.Sum(body)
	return hex.EncodeToString(sum[:])
}

// bufPool holds the buffers responses are rendered into; one that grew
// past maxPooledBuffer is left to the garbage collector.
var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBuffer = 1 << 20

func getBuffer() *bytes.Buffer {
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		bufPool.Put(b)
	}
}

// memoListing is a listing rendered through the provider's memo.
type memoListing interface {
	// key names the listing: its route and its variant (see memoKey).
	key() (route, variant string)
	// same reports whether a remembered copy equals the data the provider
	// just returned, and keep makes the copy to remember (deep: a driver
	// may reuse what it returned).
	same(old any) bool
	keep() any
	// build makes the document (and the JSON value, the HTML page name and
	// its data) from the data.
	build() (doc wire.Document, jsonValue func() any, page string, pageData any)
}

// renderListing answers 200 with the listing. XML and JSON go through the
// provider's memo; HTML pages, and requests without a memo, render anew.
func (q *request) renderListing(l memoListing) error {
	if q.memo == nil || (q.format != formatXML && q.format != formatJSON) {
		doc, jv, page, data := l.build()
		return q.render(http.StatusOK, doc, jv, page, data)
	}
	route, variant := l.key()
	k := memoKey{route: route, format: q.format, base: q.base, variant: variant}
	if e := q.memo.lookup(k, l.same); e != nil {
		q.writeTagged(http.StatusOK, q.format, e.body, e.etag, e.length)
		return nil
	}
	doc, jv, _, _ := l.build()
	buf := getBuffer()
	defer putBuffer(buf)
	if err := q.encode(buf, doc, jv, "", nil); err != nil {
		return err
	}
	body := bytes.Clone(buf.Bytes())
	e := &memoEntry{data: l.keep(), body: body, etag: []string{etagOf(body)}, length: []string{strconv.Itoa(len(body))}}
	q.memo.store(k, e)
	q.writeTagged(http.StatusOK, q.format, e.body, e.etag, e.length)
	return nil
}
