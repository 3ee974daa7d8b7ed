package deltacloud_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// maxBlobPeakRSS is the bound on the peak memory of a process that
// serves, uploads and downloads a 1 GiB blob.
const maxBlobPeakRSS = 64 << 20

// TestBlobMemory sends a 1 GiB blob of generated content up and down
// through the api handler and this driver, with the mock storing it on
// disk, and checks that the process's peak resident memory stays under
// 64 MiB. The work runs in a subprocess (internal/blobmem) built without
// the race detector, whose shadow memory would distort the figure; it
// reports VmHWM from /proc/self/status. Linux only.
func TestBlobMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 2 GiB through the loopback and the disk; skipped in -short mode")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the peak memory from /proc/self/status")
	}
	gobin, err := exec.LookPath(filepath.Join(runtime.GOROOT(), "bin", "go"))
	if err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to build internal/blobmem with")
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	tmp := t.TempDir() // removed with everything in it when the test ends
	bin := filepath.Join(tmp, "blobmem")
	build := exec.CommandContext(ctx, gobin, "build", "-o", bin, "./internal/blobmem")
	build.Env = append(os.Environ(), "GOFLAGS=") // no -race, whatever the caller's GOFLAGS say
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./internal/blobmem: %v\n%s", err, out)
	}
	storage := filepath.Join(tmp, "storage")
	if err := os.Mkdir(storage, 0o700); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var stdout, stderr bytes.Buffer
	run := exec.CommandContext(ctx, bin, "-size", "1073741824", "-dir", storage)
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("blobmem: %v\n%s", err, stderr.Bytes())
	}
	var rep struct {
		Size        int64   `json:"size"`
		UpSeconds   float64 `json:"up_seconds"`
		DownSeconds float64 `json:"down_seconds"`
		DigestOK    bool    `json:"digest_ok"`
		PeakRSSKiB  int64   `json:"peak_rss_kib"`
		BaseRSSKiB  int64   `json:"base_rss_kib"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("blobmem's report %q: %v", stdout.Bytes(), err)
	}
	mib := func(kib int64) float64 { return float64(kib) / 1024 }
	t.Logf("1 GiB blob through api + remote driver + mock on disk: peak RSS (VmHWM) %.1f MiB (%.1f MiB before the blob); "+
		"upload %.2fs (%.0f MiB/s), download %.2fs (%.0f MiB/s); subprocess %v",
		mib(rep.PeakRSSKiB), mib(rep.BaseRSSKiB), rep.UpSeconds, float64(rep.Size>>20)/rep.UpSeconds,
		rep.DownSeconds, float64(rep.Size>>20)/rep.DownSeconds, time.Since(start).Round(time.Millisecond))
	if rep.Size != 1<<30 {
		t.Errorf("blobmem moved %d bytes, want 1 GiB", rep.Size)
	}
	if !rep.DigestOK {
		t.Error("the downloaded blob's SHA-256 differs from the uploaded content's")
	}
	if rep.PeakRSSKiB*1024 >= maxBlobPeakRSS {
		t.Errorf("peak RSS %.1f MiB, want under %d MiB", mib(rep.PeakRSSKiB), maxBlobPeakRSS>>20)
	}
	// The blob is deleted: neither it nor a temporary file may be left.
	filepath.WalkDir(storage, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if fi, err := d.Info(); err == nil && fi.Size() > 1<<20 {
				t.Errorf("%s (%d bytes) is left in the mock's storage after the blob was deleted", path, fi.Size())
			}
		}
		return nil
	})
}
