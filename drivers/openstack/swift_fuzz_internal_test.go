package openstack

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// FuzzBlobOf feeds object headers as Swift might send them: blobOf never
// panics, keeps only named metadata, and reads a length only when the
// header is a number.
func FuzzBlobOf(f *testing.F) {
	f.Add("1234", "text/plain", "Sun, 06 Dec 2026 04:10:11 GMT", "Color", "blue", "True")
	f.Add("-1", "", "yesterday", "", "x", "maybe")
	f.Add("99999999999999999999", "a\x00b", "", "Meta-", "\xff", "")
	f.Fuzz(func(t *testing.T, length, ctype, modified, metaName, metaValue, slo string) {
		h := http.Header{}
		h.Set("Content-Length", length)
		h.Set("Content-Type", ctype)
		h.Set("Last-Modified", modified)
		h.Set("X-Static-Large-Object", slo)
		h["X-Object-Meta-"+metaName] = []string{metaValue}
		b := blobOf("bucket", "blob", h)
		if b.ID != "blob" || b.BucketID != "bucket" || b.Metadata == nil {
			t.Fatalf("blobOf = %+v", b)
		}
		for k := range b.Metadata {
			if k == "" || strings.HasPrefix(k, "X-Object-Meta-") {
				t.Errorf("metadata name %q", k)
			}
		}
		if b.ContentLength != 0 && strings.TrimSpace(length) == "" {
			t.Errorf("length %d from %q", b.ContentLength, length)
		}
		isSLO(h)
	})
}

// FuzzBulkStatus feeds the "Response Status" of Swift's bulk reports.
func FuzzBulkStatus(f *testing.F) {
	for _, s := range []string{"200 OK", "404 Not Found", "", "abc", "99999999999999999999999 x", "-1 x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := bulkStatus(s)
		if n != 0 && (n < 100 || n > 599 || !strings.HasPrefix(s, strconv.Itoa(n)+" ") && s != strconv.Itoa(n)) {
			t.Errorf("bulkStatus(%q) = %d, not an HTTP status read from it", s, n)
		}
	})
}
