// Command blobmem measures the memory a large blob costs on its way through
// the whole stack: it serves the REST API (api.NewHandler over the mock
// driver storing on disk) on 127.0.0.1, uploads a blob of generated content
// through the remote driver, downloads it again, checks its SHA-256 and
// prints one JSON report with the process's peak resident memory (VmHWM
// from /proc/self/status).
//
// The remote driver's tests build and run it without the race detector,
// whose shadow memory would swamp the figure:
//
//	go run ./drivers/deltacloud/internal/blobmem -size 1073741824 -dir /tmp/x
//
// Nothing of the content is kept: it is generated on the fly from a seed
// on the way up and hashed on the way down.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/internal/procstatus"
)

// Report is what blobmem prints, as one JSON object.
type Report struct {
	// Size is the blob's size in bytes.
	Size int64 `json:"size"`
	// UpSeconds and DownSeconds time the upload and the download.
	UpSeconds   float64 `json:"up_seconds"`
	DownSeconds float64 `json:"down_seconds"`
	// DigestOK reports that the downloaded content has the SHA-256 of the
	// uploaded content.
	DigestOK bool `json:"digest_ok"`
	// PeakRSSKiB is VmHWM, the peak resident set size, in KiB; BaseRSSKiB
	// is the resident set size once the server and client were up, before
	// the blob.
	PeakRSSKiB int64 `json:"peak_rss_kib"`
	BaseRSSKiB int64 `json:"base_rss_kib"`
}

func main() {
	size := flag.Int64("size", 1<<30, "blob size in bytes")
	dir := flag.String("dir", "", "the mock's storage directory (required; blobmem leaves it to the caller to remove)")
	flag.Parse()
	if *dir == "" || *size <= 0 {
		fmt.Fprintln(os.Stderr, "usage: blobmem -dir DIR [-size BYTES]")
		os.Exit(2)
	}
	rep, err := run(*size, *dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, "blobmem:", err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(rep)
}

func run(size int64, dir string) (*Report, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	quiet := slog.New(slog.DiscardHandler)
	h := api.NewHandler(api.Options{
		DriverOptions: map[string]map[string]string{"mock": {"storage": dir}},
		Logger:        quiet,
	})
	defer h.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()

	p, err := deltacloud.Open(ctx, "deltacloud", deltacloud.Config{
		Provider:    "http://" + ln.Addr().String() + "/api",
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password},
		Logger:      quiet,
	})
	if err != nil {
		return nil, err
	}
	defer p.Close()
	b, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "blobmem"})
	if err != nil {
		return nil, err
	}
	rep := &Report{Size: size}
	if rep.BaseRSSKiB, err = procstatus.KiB("VmRSS"); err != nil {
		return nil, err
	}

	up := sha256.New()
	start := time.Now()
	spec := deltacloud.BlobSpec{ID: "big", ContentType: "application/octet-stream", Size: size}
	if _, err := p.PutBlob(ctx, b.ID, spec, io.TeeReader(content(size), up)); err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	rep.UpSeconds = time.Since(start).Seconds()

	start = time.Now()
	_, rc, err := p.BlobContent(ctx, b.ID, spec.ID)
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	down := sha256.New()
	n, err := io.Copy(down, rc)
	rc.Close()
	if err != nil {
		return nil, fmt.Errorf("download after %d bytes: %w", n, err)
	}
	rep.DownSeconds = time.Since(start).Seconds()
	if n != size {
		return nil, fmt.Errorf("downloaded %d bytes, uploaded %d", n, size)
	}
	rep.DigestOK = string(up.Sum(nil)) == string(down.Sum(nil))

	if err := p.DestroyBlob(ctx, b.ID, spec.ID); err != nil {
		return nil, err
	}
	if err := p.DestroyBucket(ctx, b.ID); err != nil {
		return nil, err
	}
	if rep.PeakRSSKiB, err = procstatus.KiB("VmHWM"); err != nil {
		return nil, err
	}
	return rep, nil
}

// content is n bytes from a fixed-seed generator.
func content(n int64) io.Reader {
	return io.LimitReader(rand.NewChaCha8([32]byte{'b', 'l', 'o', 'b', 'm', 'e', 'm'}), n)
}
