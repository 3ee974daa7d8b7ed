package deltacloud_test

import (
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestInstanceNameOverREST creates instances through the remote driver
// against the api handler on the mock: the empty name given (NameSet) is
// sent as name= and kept, no name gets the mock's default.
func TestInstanceNameOverREST(t *testing.T) {
	s := startServer(t, "", nil)
	p := s.openRemote(t, goodCreds)
	cases := []struct {
		name string
		spec deltacloud.InstanceSpec
		want *regexp.Regexp
	}{
		{"empty name set", deltacloud.InstanceSpec{NameSet: true}, regexp.MustCompile(`^$`)},
		{"no name", deltacloud.InstanceSpec{}, regexp.MustCompile(`^i-[0-9]+$`)},
		{"named", deltacloud.InstanceSpec{Name: "web"}, regexp.MustCompile(`^web$`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.spec.ImageID = "img1"
			in, err := p.CreateInstance(t.Context(), tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			back, err := p.Instance(t.Context(), in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !tc.want.MatchString(in.Name) || back.Name != in.Name {
				t.Errorf("created %q, read back %q; want %v", in.Name, back.Name, tc.want)
			}
		})
	}
}

// TestBlobTypeOverREST puts blobs of several types through the remote
// driver and reads each back, its document and its content: the type the
// caller gave is the type stored.
func TestBlobTypeOverREST(t *testing.T) {
	s := startServer(t, "", nil)
	p := s.openRemote(t, goodCreds)
	for _, ct := range []string{"text/plain", "text/plain; charset=utf-8", "image/png", "application/json"} {
		t.Run(ct, func(t *testing.T) {
			ctx := t.Context()
			if _, err := p.PutBlob(ctx, "bucket2", deltacloud.BlobSpec{ID: "typed", ContentType: ct, Size: 2,
				Metadata: map[string]string{"Author": "me"}}, strings.NewReader("hi")); err != nil {
				t.Fatal(err)
			}
			b, err := p.Blob(ctx, "bucket2", "typed")
			if err != nil {
				t.Fatal(err)
			}
			cb, rc, err := p.BlobContent(ctx, "bucket2", "typed")
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, rc)
			rc.Close()
			got := []string{b.ContentType, cb.ContentType}
			if d := cmp.Diff([]string{ct, ct}, got); d != "" {
				t.Errorf("blob type, content type (-want +got):\n%s", d)
			}
			if d := cmp.Diff(map[string]string{"author": "me"}, b.Metadata); d != "" {
				t.Errorf("metadata (-want +got):\n%s", d)
			}
		})
	}
}
