package openstack_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// TestLive runs the conformance suite against a real OpenStack. It runs
// only with DELTACLOUD_OPENSTACK_LIVE=1 and the cloud in the environment
// (openstacktest/live/run.sh starts a loopback Zed cloud and sets them):
//
//	DELTACLOUD_OPENSTACK_URL       the Keystone v3 endpoint
//	DELTACLOUD_OPENSTACK_USER      user name
//	DELTACLOUD_OPENSTACK_PASSWORD  password
//	DELTACLOUD_OPENSTACK_PROJECT   project name
//	DELTACLOUD_OPENSTACK_IMAGE     image id to boot (default: the first listed)
//	DELTACLOUD_OPENSTACK_FLAVOR    flavor id (default: the smallest)
//	DELTACLOUD_OPENSTACK_NETWORK   the network option (default "auto")
//	DELTACLOUD_OPENSTACK_CINDER    "1" when the cloud has Cinder (run.sh's has,
//	                               unless CINDER=0): otherwise the cinder
//	                               option is off and the volume and snapshot
//	                               groups skip
//	DELTACLOUD_OPENSTACK_SWIFT     "1" when the cloud has Swift (run.sh's has,
//	                               unless SWIFT=0); not read yet: the driver
//	                               serves no buckets, so Buckets and Blobs skip
func TestLive(t *testing.T) {
	if os.Getenv("DELTACLOUD_OPENSTACK_LIVE") != "1" {
		t.Skip("DELTACLOUD_OPENSTACK_LIVE is not 1; no live OpenStack test (see openstacktest/live/run.sh)")
	}
	env := func(k string) string {
		v := os.Getenv(k)
		if v == "" && k != "DELTACLOUD_OPENSTACK_IMAGE" && k != "DELTACLOUD_OPENSTACK_FLAVOR" && k != "DELTACLOUD_OPENSTACK_NETWORK" {
			t.Fatalf("%s is not set", k)
		}
		return v
	}
	opts := map[string]string{"project": env("DELTACLOUD_OPENSTACK_PROJECT")}
	if n := env("DELTACLOUD_OPENSTACK_NETWORK"); n != "" {
		opts["network"] = n
	}
	if os.Getenv("DELTACLOUD_OPENSTACK_CINDER") != "1" {
		opts["cinder"] = "off"
	}
	cfg := deltacloud.Config{Provider: env("DELTACLOUD_OPENSTACK_URL"), Options: opts,
		Credentials:  deltacloud.Credentials{User: env("DELTACLOUD_OPENSTACK_USER"), Password: env("DELTACLOUD_OPENSTACK_PASSWORD")},
		PollInterval: 500 * time.Millisecond, MaxPollInterval: 5 * time.Second}
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "openstack", cfg)
		},
		OpenBadCredentials: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			bad := cfg
			bad.Credentials.Password = "wrong-" + cfg.Credentials.Password
			return deltacloud.Open(ctx, "openstack", bad)
		},
		Spec:        deltacloud.InstanceSpec{ImageID: env("DELTACLOUD_OPENSTACK_IMAGE"), ProfileID: env("DELTACLOUD_OPENSTACK_FLAVOR")},
		WaitTimeout: 3 * time.Minute,
	})
}
