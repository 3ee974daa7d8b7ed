package gce_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// TestLive runs the conformance suite against Google Cloud when
// DELTACLOUD_GCE_KEY (a service-account key's JSON or path),
// DELTACLOUD_GCE_PROJECT and DELTACLOUD_GCE_REGION are set. It creates and
// deletes real resources, billed to the project.
func TestLive(t *testing.T) {
	key, project, region := os.Getenv("DELTACLOUD_GCE_KEY"), os.Getenv("DELTACLOUD_GCE_PROJECT"), os.Getenv("DELTACLOUD_GCE_REGION")
	if key == "" || project == "" || region == "" {
		t.Skip("live test skipped: set DELTACLOUD_GCE_KEY, DELTACLOUD_GCE_PROJECT and DELTACLOUD_GCE_REGION to run it against Google Cloud")
	}
	cfg := deltacloud.Config{Provider: project + "/" + region, Credentials: deltacloud.Credentials{Password: key},
		Options: map[string]string{"owner": "deltacloud-live"}}
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "gce", cfg)
		},
		Spec:         deltacloud.InstanceSpec{ImageID: "debian-cloud/debian-12", ProfileID: "e2-micro", KeyName: testKey},
		WaitTimeout:  10 * time.Minute,
		VolumeDevice: "data1",
	})
}
