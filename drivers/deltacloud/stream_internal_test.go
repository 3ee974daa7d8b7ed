package deltacloud

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"testing/iotest"

	"github.com/deltacloud-go/deltacloud"
)

func TestExactReader(t *testing.T) {
	cases := []struct {
		content string
		size    int64
		ok      bool
	}{
		{"hello", 5, true},
		{"h", 1, true},
		{"hello", 4, false}, // longer than announced
		{"hello", 6, false}, // shorter
		{"", 1, false},
	}
	for _, c := range cases {
		for _, r := range []io.Reader{strings.NewReader(c.content), iotest.OneByteReader(strings.NewReader(c.content)),
			iotest.DataErrReader(strings.NewReader(c.content))} {
			got, err := io.ReadAll(&exactReader{r: r, left: c.size})
			if c.ok && (err != nil || string(got) != c.content) {
				t.Errorf("exactReader(%q, %d) = %q, %v; want the content", c.content, c.size, got, err)
			}
			if !c.ok && err == nil {
				t.Errorf("exactReader(%q, %d) = %q without an error", c.content, c.size, got)
			}
			if !c.ok && int64(len(got)) >= c.size {
				t.Errorf("exactReader(%q, %d) passed on %d bytes before failing; the last must be held back", c.content, c.size, len(got))
			}
		}
	}
}

// recorder is a server that answers every request with one status and
// body and records the requests' framing.
type recorder struct {
	status int
	body   string
	mu     sync.Mutex
	reqs   []framing
}

type framing struct {
	method, path  string
	contentLength int64
	chunked       bool
	header        http.Header
	body          string
}

func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	rec.reqs = append(rec.reqs, framing{method: r.Method, path: r.URL.EscapedPath(), contentLength: r.ContentLength,
		chunked: len(r.TransferEncoding) > 0 && r.TransferEncoding[0] == "chunked", header: r.Header.Clone(), body: string(body)})
	rec.mu.Unlock()
	w.WriteHeader(rec.status)
	io.WriteString(w, rec.body)
}

// recConn is a conn on a recorder, with every collection at /api/<name>.
func recConn(t *testing.T, status int, body string) (*conn, *recorder) {
	rec := &recorder{status: status, body: body}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	base, _, _, err := parseBase(srv.URL + "/api")
	if err != nil {
		t.Fatal(err)
	}
	c := &conn{client: srv.Client(), base: base, header: http.Header{}, log: slog.New(slog.DiscardHandler), hrefs: map[deltacloud.Collection]string{}}
	for _, coll := range []deltacloud.Collection{deltacloud.CollectionKeys, deltacloud.CollectionAddresses,
		deltacloud.CollectionBuckets, deltacloud.CollectionStorageVolumes} {
		c.hrefs[coll] = srv.URL + "/api/" + string(coll)
	}
	return c, rec
}

const blobDoc = `<?xml version='1.0' encoding='utf-8' ?>
<blob href='http://h/api/buckets/b/x' id='x'><bucket>b</bucket><content_length>5</content_length>
<content_type>text/plain</content_type><user_metadata><entry key='COLOR'><![CDATA[blue]]></entry></user_metadata></blob>`

// TestPutBlobFraming checks the PUT of a blob: the raw content as the body,
// with a Content-Length when the size is known and chunked otherwise, the
// type and the metadata as headers.
func TestPutBlobFraming(t *testing.T) {
	c, rec := recConn(t, http.StatusOK, blobDoc)
	ctx := t.Context()
	spec := deltacloud.BlobSpec{ID: "x y", ContentType: "text/plain", Metadata: map[string]string{"Color": "blue"}, Size: 5}
	b, err := c.PutBlob(ctx, "b", spec, strings.NewReader("hello"))
	if err != nil {
		t.Fatalf("PutBlob: %v", err)
	}
	if b.Metadata["COLOR"] != "blue" || b.ContentLength != 5 {
		t.Errorf("PutBlob returned %+v", b)
	}
	spec.Size = 0
	if _, err := c.PutBlob(ctx, "b", spec, iotest.OneByteReader(strings.NewReader("hello"))); err != nil {
		t.Fatalf("PutBlob of unknown size: %v", err)
	}
	if len(rec.reqs) != 2 {
		t.Fatalf("%d requests, want 2", len(rec.reqs))
	}
	for i, r := range rec.reqs {
		if r.method != http.MethodPut || r.path != "/api/buckets/b/x%20y" || r.body != "hello" {
			t.Errorf("request %d: %s %s %q, want PUT /api/buckets/b/x%%20y \"hello\"", i, r.method, r.path, r.body)
		}
		if r.header.Get("Content-Type") != "text/plain" || r.header.Get("X-Deltacloud-Blobmeta-Color") != "blue" {
			t.Errorf("request %d: headers %v", i, r.header)
		}
	}
	if r := rec.reqs[0]; r.contentLength != 5 || r.chunked {
		t.Errorf("known size: Content-Length %d, chunked %v; want 5, not chunked", r.contentLength, r.chunked)
	}
	if r := rec.reqs[1]; r.contentLength != -1 || !r.chunked {
		t.Errorf("unknown size: Content-Length %d, chunked %v; want chunked", r.contentLength, r.chunked)
	}
}

// TestStateConflicts checks that the original's 403 answers to refusals
// caused by state are InvalidState, and to a taken key name Conflict.
func TestStateConflicts(t *testing.T) {
	c, _ := recConn(t, http.StatusForbidden, "Forbidden")
	ctx := t.Context()
	calls := map[string]struct {
		call func() error
		want error
	}{
		"DestroyBucket":        {func() error { return c.DestroyBucket(ctx, "b") }, deltacloud.ErrInvalidState},
		"DestroyAddress":       {func() error { return c.DestroyAddress(ctx, "a") }, deltacloud.ErrInvalidState},
		"AssociateAddress":     {func() error { return c.AssociateAddress(ctx, "a", "i") }, deltacloud.ErrInvalidState},
		"DisassociateAddress":  {func() error { return c.DisassociateAddress(ctx, "a") }, deltacloud.ErrInvalidState},
		"DestroyStorageVolume": {func() error { return c.DestroyStorageVolume(ctx, "v") }, deltacloud.ErrInvalidState},
		"DetachStorageVolume":  {func() error { _, err := c.DetachStorageVolume(ctx, "v"); return err }, deltacloud.ErrInvalidState},
		"CreateKey":            {func() error { _, err := c.CreateKey(ctx, deltacloud.KeySpec{Name: "k"}); return err }, deltacloud.ErrConflict},
	}
	for name, cl := range calls {
		if err := cl.call(); !errors.Is(err, cl.want) {
			t.Errorf("%s answered 403 = %v, want %v", name, err, cl.want)
		}
	}
}

// TestBlobContentCancel checks that a download stops with the context's
// error when the context ends mid-stream.
func TestBlobContentCancel(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/content") {
			w.WriteHeader(http.StatusOK)
			w.Write([]byte("first part"))
			w.(http.Flusher).Flush()
			<-block
			return
		}
		io.WriteString(w, blobDoc)
	}))
	defer srv.Close()
	defer close(block)
	base, _, _, _ := parseBase(srv.URL + "/api")
	c := &conn{client: srv.Client(), base: base, header: http.Header{}, log: slog.New(slog.DiscardHandler),
		hrefs: map[deltacloud.Collection]string{deltacloud.CollectionBuckets: srv.URL + "/api/buckets"}}
	ctx, cancel := context.WithCancel(t.Context())
	_, rc, err := c.BlobContent(ctx, "b", "x")
	if err != nil {
		t.Fatalf("BlobContent: %v", err)
	}
	defer rc.Close()
	buf := make([]byte, 4)
	if _, err := io.ReadFull(rc, buf); err != nil {
		t.Fatalf("first read: %v", err)
	}
	cancel()
	_, err = io.ReadAll(rc)
	if !errors.Is(err, context.Canceled) || !errors.Is(err, deltacloud.ErrCanceled) {
		t.Errorf("read after cancel = %v, want context.Canceled as ErrCanceled", err)
	}
}

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"http://h:3001/api", "http://h:3001/other", true},
		{"http://H:3001/api", "http://h:3001/", true},
		{"http://h/api", "http://h:80/api", true},
		{"https://h/api", "https://h:443/x", true},
		{"http://h:3001/api", "http://h:3002/api", false},
		{"http://h/api", "https://h/api", false},
		{"https://h/api", "https://h:80/api", false},
		{"http://h/api", "http://h.evil/api", false},
		{"http://h/api", "http://user:pw@g/api", false},
	}
	for _, tt := range tests {
		a, _ := url.Parse(tt.a)
		b, _ := url.Parse(tt.b)
		if got := sameOrigin(a, b); got != tt.want {
			t.Errorf("sameOrigin(%s, %s) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// FuzzRedact: whatever Config.Provider holds, the text messages repeat has
// no user information: parsed again it has none, and nothing before the
// last "@" of an authority or opaque part survives.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"http://u:p@h/api", "u:p@h:3001/api", "ftp://u@h", "http://h/api;driver=ec2",
		"//u:p@h/x", "http://u:p@h@g/", "http://h/?token=t#frag", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out := redact(raw)
		if u, err := url.Parse(out); err == nil && u.User != nil {
			t.Errorf("redact(%q) = %q, which has user information %q", raw, out, u.User)
		}
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		if secret := u.User.String(); secret != "" && len(secret) >= 4 && strings.Contains(out, secret+"@") {
			t.Errorf("redact(%q) = %q, which repeats %q", raw, out, secret)
		}
		if i := strings.LastIndexByte(u.Opaque, '@'); i >= 4 && strings.Contains(out, u.Opaque[:i+1]) {
			t.Errorf("redact(%q) = %q, which repeats the opaque part before @", raw, out)
		}
	})
}
