package mock_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestBlobMetadataLowerCase: keys are stored and returned lower-cased, as
// the original server did, on PutBlob and SetBlobMetadata, in memory and
// with storage; keys equal but for case are refused.
func TestBlobMetadataLowerCase(t *testing.T) {
	cases := []struct {
		name string
		meta map[string]string
		want map[string]string
		err  error
	}{
		{"mixed case", map[string]string{"Color": "Red", "SIZE": "L", "x-y": "z"}, map[string]string{"color": "Red", "size": "L", "x-y": "z"}, nil},
		{"clash", map[string]string{"Color": "a", "color": "b"}, nil, deltacloud.ErrInvalidArgument},
	}
	for _, storage := range []bool{false, true} {
		var opts map[string]string
		if storage {
			opts = map[string]string{"storage": t.TempDir()}
		}
		p := openMock(t, opts)
		ctx := t.Context()
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := p.PutBlob(ctx, "bucket1", deltacloud.BlobSpec{ID: "m-" + tc.name, Metadata: tc.meta}, strings.NewReader("x"))
				if !errors.Is(err, tc.err) || (tc.err == nil) != (err == nil) {
					t.Fatalf("PutBlob = %v, want %v", err, tc.err)
				}
				_, serr := p.SetBlobMetadata(ctx, "bucket1", "blob1", tc.meta)
				if !errors.Is(serr, tc.err) || (tc.err == nil) != (serr == nil) {
					t.Fatalf("SetBlobMetadata = %v, want %v", serr, tc.err)
				}
				if tc.err != nil {
					return
				}
				for _, id := range []string{"m-" + tc.name, "blob1"} {
					b := must(p.Blob(ctx, "bucket1", id))(t)
					if d := cmp.Diff(tc.want, b.Metadata); d != "" {
						t.Errorf("%s metadata (-want +got):\n%s", id, d)
					}
				}
			})
		}
	}
}

// TestBlobContentTypeKept: the type a blob is put with is the type it is
// read with, its document and its content, also after a restart.
func TestBlobContentTypeKept(t *testing.T) {
	opts := map[string]string{"storage": t.TempDir()}
	p := openRaw(t, opts)
	ctx := t.Context()
	types := []string{"text/plain", "text/plain; charset=utf-8", "image/png", ""}
	for i, ct := range types {
		must(p.PutBlob(ctx, "bucket2", deltacloud.BlobSpec{ID: fmt.Sprint("typed", i), ContentType: ct}, strings.NewReader("x")))(t)
	}
	check := func(p *deltacloud.Provider, how string) {
		t.Helper()
		for i, ct := range types {
			id := fmt.Sprint("typed", i)
			b := must(p.Blob(ctx, "bucket2", id))(t)
			cb, rc, err := p.BlobContent(ctx, "bucket2", id)
			if err != nil {
				t.Fatal(err)
			}
			rc.Close()
			if d := cmp.Diff([]string{ct, ct}, []string{b.ContentType, cb.ContentType}); d != "" {
				t.Errorf("%s: %s type, content type (-want +got):\n%s", how, id, d)
			}
		}
	}
	check(p, "put")
	p.Close()
	p = openRaw(t, opts)
	defer p.Close()
	check(p, "after a restart")
}
