package azure_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// TestBlobsStagedBlocks runs the conformance suite with 1 MiB blocks
// staged one at a time, so the suite's large, failing and cancelled
// uploads go through Put Block and Put Block List (the default 4 MiB
// blocks send most of them with one Put Blob).
func TestBlobsStagedBlocks(t *testing.T) {
	a := needAzurite(t)
	s := azuretest.New()
	opts := append(storageOptions(s, a), "blob_block_size", "1", "blob_concurrency", "1")
	drivertest.RunConformance(t, drivertest.Harness{
		Open:         func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) { return open(ctx, s, opts...) },
		Spec:         deltacloud.InstanceSpec{Password: testPassword},
		WaitTimeout:  30 * time.Second,
		VolumeDevice: "lun1",
		BlobSize:     3<<20 + 17,
	})
}

func TestCheckMetadata(t *testing.T) {
	for _, tc := range []struct {
		meta map[string]string
		ok   bool
	}{
		{nil, true},
		{map[string]string{"owner": "x", "owner_id": "y", "_x1": "", "A": "printable ~!@#$%^&*() ascii\twith tab"}, true},
		{map[string]string{"owner-id": "x"}, false},
		{map[string]string{"1st": "x"}, false},
		{map[string]string{"a.b": "x"}, false},
		{map[string]string{"Owner": "x", "owner": "y"}, false},
		{map[string]string{"owner": "café"}, false},
		{map[string]string{"owner": "a\x7fb"}, false},
		{map[string]string{"": "x"}, false},
	} {
		err := azure.CheckMetadata(tc.meta)
		if (err == nil) != tc.ok {
			t.Errorf("CheckMetadata(%q) = %v, want ok %v", tc.meta, err, tc.ok)
		}
		if err != nil && !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("CheckMetadata(%q) = %v, want ErrInvalidArgument", tc.meta, err)
		}
	}
}

// TestBlobMetadataNames checks what Blob Storage makes of metadata names:
// C# identifiers are kept (in HTTP's canonical case), others are refused
// before anything is written.
func TestBlobMetadataNames(t *testing.T) {
	a := needAzurite(t)
	s := azuretest.New()
	ctx := t.Context()
	p, err := open(ctx, s, storageOptions(s, a)...)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	bucket := "metadata-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: bucket}); err != nil {
		t.Fatal(err)
	}
	defer p.DestroyBucket(context.Background(), bucket)
	meta := map[string]string{"owner_id": "42", "Kind": "report q3"}
	if _, err := p.PutBlob(ctx, bucket, deltacloud.BlobSpec{ID: "a/b.txt", Metadata: meta}, strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	defer p.DestroyBlob(context.Background(), bucket, "a/b.txt")
	b, err := p.Blob(ctx, bucket, "a/b.txt")
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range meta {
		found := false
		for gk, gv := range b.Metadata {
			found = found || strings.EqualFold(gk, k) && gv == v
		}
		if !found {
			t.Errorf("metadata %s=%q did not come back: %v", k, v, b.Metadata)
		}
	}
	for _, bad := range []map[string]string{{"owner-id": "x"}, {"Kind": "café"}, {"kind": "a", "KIND": "b"}} {
		_, err := p.PutBlob(ctx, bucket, deltacloud.BlobSpec{ID: "refused", Metadata: bad}, strings.NewReader("x"))
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("PutBlob with metadata %q = %v, want ErrInvalidArgument", bad, err)
		}
		_, err = p.SetBlobMetadata(ctx, bucket, "a/b.txt", bad)
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("SetBlobMetadata(%q) = %v, want ErrInvalidArgument", bad, err)
		}
	}
	if _, err := p.Blob(ctx, bucket, "refused"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Blob of a refused upload = %v, want ErrNotFound", err)
	}
	// The escape hatch hands out the SDK's service client.
	var sc *service.Client
	if !p.As(&sc) || sc == nil {
		t.Error("As(**service.Client) = false with a storage account")
	}
}

// TestBucketsNeedStorageAccount: without a storage account the provider
// serves no buckets; with one it serves them without bucket_location.
func TestBucketsNeedStorageAccount(t *testing.T) {
	s := azuretest.New()
	ctx := t.Context()
	p, err := open(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if slices.Contains(p.Collections(), deltacloud.CollectionBuckets) {
		t.Errorf("Collections() = %v without a storage account, want no buckets", p.Collections())
	}
	if _, err := p.Buckets(ctx); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("Buckets without a storage account = %v, want ErrNotSupported", err)
	}
	var sc *service.Client
	if p.As(&sc) {
		t.Error("As(**service.Client) = true without a storage account")
	}
	p2, err := open(ctx, s, "storage_account", "acct1", "storage_key", azuretest.AzuriteKey)
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Close()
	if !slices.Contains(p2.Collections(), deltacloud.CollectionBuckets) {
		t.Errorf("Collections() = %v with a storage account, want buckets", p2.Collections())
	}
	if p2.Features().Has(deltacloud.FeatureBucketLocation) {
		t.Error("bucket_location is advertised; a container cannot choose its location")
	}
	for _, bad := range [][]string{
		{"storage_key", "a2V5"},
		{"storage_endpoint", "http://127.0.0.1:1/x"},
		{"storage_account", "Not-An-Account"},
		{"storage_account", "acct1", "storage_key", "not base64!"},
		{"storage_account", "acct1", "storage_endpoint", "ftp://host/"},
		{"storage_account", "acct1", "blob_block_size", "0"},
		{"storage_account", "acct1", "blob_block_size", "4001"},
		{"storage_account", "acct1", "blob_concurrency", "0"},
	} {
		if p, err := open(ctx, s, bad...); err == nil {
			p.Close()
			t.Errorf("Open with options %q succeeded", bad)
		}
	}
}

// TestBlobMemory uploads 256 MiB of unknown length through the driver to
// Azurite and downloads it, in a subprocess built without the race
// detector (internal/blobmem), and checks that its peak resident memory
// stays under 64 MiB: the upload buffers at most blob_concurrency blocks.
func TestBlobMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("moves 512 MiB through Azurite; skipped in -short mode")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the peak memory from /proc/self/status")
	}
	a := needAzurite(t)
	gobin, err := exec.LookPath(filepath.Join(runtime.GOROOT(), "bin", "go"))
	if err != nil {
		if gobin, err = exec.LookPath("go"); err != nil {
			t.Skip("no go command to build internal/blobmem with")
		}
	}
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "blobmem")
	build := exec.CommandContext(ctx, gobin, "build", "-o", bin, "./internal/blobmem")
	build.Env = append(os.Environ(), "GOFLAGS=-mod=readonly")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./internal/blobmem: %v\n%s", err, out)
	}
	const size = 256 << 20
	var stdout, stderr bytes.Buffer
	run := exec.CommandContext(ctx, bin, "-endpoint", a.URL, "-account", azuretest.AzuriteAccount,
		"-key", azuretest.AzuriteKey, "-size", strconv.Itoa(size))
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
	t.Logf("256 MiB blob of unknown length through the driver and Azurite: peak RSS (VmHWM) %.1f MiB (%.1f MiB before the blob); "+
		"upload %.2fs (%.0f MiB/s), download %.2fs (%.0f MiB/s)", mib(rep.PeakRSSKiB), mib(rep.BaseRSSKiB),
		rep.UpSeconds, float64(rep.Size>>20)/rep.UpSeconds, rep.DownSeconds, float64(rep.Size>>20)/rep.DownSeconds)
	if rep.Size != size || !rep.DigestOK {
		t.Errorf("blobmem moved %d bytes (digest ok: %v), want %d with the same SHA-256", rep.Size, rep.DigestOK, size)
	}
	if rep.PeakRSSKiB >= 64<<10 {
		t.Errorf("peak RSS %.1f MiB, want under 64 MiB", mib(rep.PeakRSSKiB))
	}
}
