package mock_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// openRaw opens a mock Provider without closing it at cleanup, for tests
// that close it themselves.
func openRaw(t *testing.T, opts map[string]string) *deltacloud.Provider {
	t.Helper()
	p, err := deltacloud.Open(t.Context(), "mock", deltacloud.Config{Credentials: goodCreds, Options: opts,
		PollInterval: time.Millisecond})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return p
}

// gateReader yields a few bytes, then blocks until release is closed.
type gateReader struct {
	started chan struct{}
	release chan struct{}
	sent    bool
}

func (r *gateReader) Read(p []byte) (int, error) {
	if !r.sent {
		r.sent = true
		close(r.started)
		return copy(p, "partial"), nil
	}
	<-r.release
	return 0, io.EOF
}

// files lists every file under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	return out
}

// TestCloseDuringPutBlob closes the last Provider on a storage directory
// while an upload streams: the upload fails with ErrUnavailable, its error
// names no path, and neither the blob nor a temp file is left for a Provider
// opened afterwards.
func TestCloseDuringPutBlob(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"storage": dir}
	p := openRaw(t, opts)
	before := files(t, dir)
	r := &gateReader{started: make(chan struct{}), release: make(chan struct{})}
	errc := make(chan error, 1)
	go func() {
		_, err := p.PutBlob(t.Context(), "bucket1", deltacloud.BlobSpec{ID: "late"}, r)
		errc <- err
	}()
	<-r.started
	p.Close()
	p2 := openMock(t, opts) // loads the directory afresh
	close(r.release)
	err := <-errc
	if !errors.Is(err, deltacloud.ErrUnavailable) {
		t.Errorf("PutBlob racing Close = %v, want ErrUnavailable", err)
	}
	if err != nil && (strings.Contains(err.Error(), dir) || strings.Contains(err.Error(), ".tmp-")) {
		t.Errorf("PutBlob error exposes a path: %v", err)
	}
	if _, err := p2.Blob(t.Context(), "bucket1", "late"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("new Provider: Blob(late) = %v, want ErrNotFound", err)
	}
	p2.Close()
	if after := files(t, dir); !slices.Equal(after, before) {
		t.Errorf("files after the refused upload = %q, want %q", after, before)
	}
}

// TestCloseDuringDestroy closes the last Provider while a Destroy waits in
// the cloud: whatever Destroy answers must be what a Provider opened
// afterwards sees, and nothing may reappear on disk later.
func TestCloseDuringDestroy(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"storage": dir}
	p := openRaw(t, opts)
	ctx := t.Context()
	if _, err := p.Stop(ctx, "inst0"); err != nil && !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Fatal(err)
	}
	var c *mock.Cloud
	if !p.As(&c) {
		t.Fatal("As(**mock.Cloud) = false")
	}
	c.SetLatency(mock.OpAct, 100*time.Millisecond)
	errc := make(chan error, 1)
	go func() { errc <- p.Destroy(ctx, "inst0") }()
	time.Sleep(30 * time.Millisecond) // Destroy is in the cloud's latency
	p.Close()
	p2 := openMock(t, opts)
	listed := hasInstance(t, p2, "inst0")
	err := <-errc
	switch {
	case err == nil && listed:
		t.Errorf("Destroy racing Close succeeded, but a Provider opened after Close lists inst0")
	case err == nil:
	case !errors.Is(err, deltacloud.ErrUnavailable):
		t.Errorf("Destroy racing Close = %v, want ErrUnavailable", err)
	case !listed:
		t.Errorf("Destroy failed (%v) but inst0 is gone: %v", err, ids(t, p2))
	}
	// p2's own destroy must stick: nothing of the released cloud writes
	// the instance back.
	if err := p2.Destroy(ctx, "inst0"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	p2.Close()
	p3 := openMock(t, opts)
	if hasInstance(t, p3, "inst0") {
		t.Errorf("inst0 is back after a acknowledged Destroy")
	}
}

// hasInstance reports whether p lists the instance id.
func hasInstance(t *testing.T, p *deltacloud.Provider, id string) bool {
	t.Helper()
	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatalf("Instances: %v", err)
	}
	return slices.ContainsFunc(ins, func(in deltacloud.Instance) bool { return in.ID == id })
}

// TestInstanceIDsNeverReused destroys the newest instance and creates
// another, in memory and across a restart on storage: the new id is new.
func TestInstanceIDsNeverReused(t *testing.T) {
	for _, storage := range []bool{false, true} {
		t.Run(map[bool]string{false: "memory", true: "storage"}[storage], func(t *testing.T) {
			var opts map[string]string
			if storage {
				opts = map[string]string{"storage": t.TempDir()}
			}
			ctx := t.Context()
			p := openRaw(t, opts)
			seen := map[string]bool{}
			create := func(p *deltacloud.Provider) string {
				t.Helper()
				ins := must(p.CreateInstances(ctx, deltacloud.InstanceSpec{ImageID: "img1"}))(t)
				id := ins[0].ID
				if seen[id] {
					t.Errorf("instance id %s handed out twice", id)
				}
				seen[id] = true
				p.Stop(ctx, id)
				if err := p.Destroy(ctx, id); err != nil {
					t.Fatalf("Destroy %s: %v", id, err)
				}
				return id
			}
			create(p)
			create(p)
			if storage {
				p.Close()
				p = openRaw(t, opts)
			}
			create(p)
			p.Close()
		})
	}
}
