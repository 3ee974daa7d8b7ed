// Command blobmem uploads a blob of unknown length through the azure
// driver to a Blob Storage endpoint (Azurite in the tests), downloads it,
// deletes it and prints a JSON report with the process's peak resident
// memory (VmHWM, Linux). TestBlobMemory builds it without the race
// detector, whose shadow memory would distort the figure.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/internal/procstatus"
)

func main() {
	endpoint := flag.String("endpoint", "", "blob service URL")
	account := flag.String("account", "", "storage account")
	key := flag.String("key", "", "storage account key")
	size := flag.Int64("size", 256<<20, "blob size in bytes")
	block := flag.String("block", "4", "blob_block_size (MiB)")
	concurrency := flag.String("concurrency", "2", "blob_concurrency")
	flag.Parse()
	if err := run(*endpoint, *account, *key, *size, *block, *concurrency); err != nil {
		fmt.Fprintln(os.Stderr, "blobmem:", err)
		os.Exit(1)
	}
}

func run(endpoint, account, key string, size int64, block, concurrency string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	p, err := deltacloud.Open(ctx, "azure", deltacloud.Config{
		Provider:    "00000000-0000-0000-0000-000000000000/blobmem/eastus",
		Credentials: deltacloud.Credentials{User: "blobmem.example/00000000-0000-0000-0000-000000000001", Password: "unused"},
		Options: map[string]string{"storage_account": account, "storage_key": key, "storage_endpoint": endpoint,
			"blob_block_size": block, "blob_concurrency": concurrency},
	})
	if err != nil {
		return err
	}
	defer p.Close()
	bucket := fmt.Sprintf("blobmem-%d", time.Now().UnixNano())
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: bucket}); err != nil {
		return err
	}
	defer p.DestroyBucket(context.Background(), bucket)
	base, err := procstatus.KiB("VmHWM")
	if err != nil {
		return err
	}
	var seed [32]byte
	up := sha256.New()
	content := io.TeeReader(io.LimitReader(rand.NewChaCha8(seed), size), up)
	start := time.Now()
	// Size 0: unknown length, the case that must not buffer the blob.
	if _, err := p.PutBlob(ctx, bucket, deltacloud.BlobSpec{ID: "big"}, struct{ io.Reader }{content}); err != nil {
		return err
	}
	upTime := time.Since(start)
	start = time.Now()
	_, rc, err := p.BlobContent(ctx, bucket, "big")
	if err != nil {
		return err
	}
	down := sha256.New()
	n, err := io.Copy(down, rc)
	rc.Close()
	if err != nil {
		return err
	}
	downTime := time.Since(start)
	if err := p.DestroyBlob(ctx, bucket, "big"); err != nil {
		return err
	}
	peak, err := procstatus.KiB("VmHWM")
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{
		"size": n, "up_seconds": upTime.Seconds(), "down_seconds": downTime.Seconds(),
		"digest_ok":    n == size && string(up.Sum(nil)) == string(down.Sum(nil)),
		"peak_rss_kib": peak, "base_rss_kib": base,
	})
}
