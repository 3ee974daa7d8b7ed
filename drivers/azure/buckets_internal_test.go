package azure

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// TestDestroyBucketRefusesNonEmpty calls the driver itself, below the
// Provider's own check: Blob Storage would delete a container with its
// blobs, and the BucketConn contract says only an empty bucket goes.
func TestDestroyBucketRefusesNonEmpty(t *testing.T) {
	exe, err := azuretest.FindAzurite()
	if err != nil {
		if os.Getenv("DELTACLOUD_TEST_STRICT") == "1" {
			t.Fatalf("azurite: %v", err)
		}
		t.Skipf("needs Azurite (DELTACLOUD_TEST_STRICT=1 makes this a failure): %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	a, err := azuretest.StartAzurite(ctx, exe)
	if err != nil {
		t.Fatalf("azurite: %v", err)
	}
	defer a.Stop()
	s := azuretest.New()
	s.Forward(a.Host)
	c, err := driver{}.Open(ctx, s.Config(a.Options()...))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	bc := c.(deltacloud.BucketConn)

	const bucket = "nonempty"
	if _, err := bc.CreateBucket(ctx, deltacloud.BucketSpec{Name: bucket}); err != nil {
		t.Fatal(err)
	}
	if _, err := bc.PutBlob(ctx, bucket, deltacloud.BlobSpec{ID: "keep"}, strings.NewReader("kept")); err != nil {
		t.Fatal(err)
	}
	if err := bc.DestroyBucket(ctx, bucket); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Fatalf("DestroyBucket of a bucket with a blob = %v, want ErrInvalidState", err)
	}
	if _, err := bc.Blob(ctx, bucket, "keep"); err != nil {
		t.Fatalf("the blob is gone after the refused destroy: %v", err)
	}
	if err := bc.DestroyBlob(ctx, bucket, "keep"); err != nil {
		t.Fatal(err)
	}
	if err := bc.DestroyBucket(ctx, bucket); err != nil {
		t.Fatalf("DestroyBucket of the emptied bucket = %v", err)
	}
}
