package openstack_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	gcopenstack "github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/flavors"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
)

// TestLive runs the conformance suite against a real OpenStack, the
// profiles' figures read from Nova's flavors with gophercloud itself. It runs
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
//	                               unless SWIFT=0): otherwise the
//	                               swift option is off and the bucket and blob
//	                               groups skip
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
	if os.Getenv("DELTACLOUD_OPENSTACK_SWIFT") != "1" {
		opts["swift"] = "off"
	}
	// 1 MiB segments: the suite's large blobs become static large objects.
	opts["segment_size"] = "1048576"
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
		ProfileFigures: func(ctx context.Context, t *testing.T) map[string]drivertest.ProfileFigure {
			return liveFlavors(ctx, t, cfg)
		},
	})
}

// liveFlavors reads the cloud's flavors with gophercloud, not the driver:
// RAM in MiB, disk in GiB (Nova's GB).
func liveFlavors(ctx context.Context, t *testing.T, cfg deltacloud.Config) map[string]drivertest.ProfileFigure {
	pc, err := gcopenstack.AuthenticatedClient(ctx, gophercloud.AuthOptions{IdentityEndpoint: cfg.Provider,
		Username: cfg.Credentials.User, Password: cfg.Credentials.Password, DomainName: "Default",
		Scope: &gophercloud.AuthScope{ProjectName: cfg.Options["project"], DomainName: "Default"}})
	if err != nil {
		t.Fatalf("gophercloud authentication: %v", err)
	}
	compute, err := gcopenstack.NewComputeV2(pc, gophercloud.EndpointOpts{})
	if err != nil {
		t.Fatal(err)
	}
	pages, err := flavors.ListDetail(compute, nil).AllPages(ctx)
	if err != nil {
		t.Fatalf("flavors: %v", err)
	}
	list, err := flavors.ExtractFlavors(pages)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]drivertest.ProfileFigure{}
	for _, f := range list {
		out[f.ID] = drivertest.ProfileFigure{CPU: f.VCPUs, Memory: strconv.Itoa(f.RAM), MemoryUnit: deltacloud.MiB,
			Storage: strconv.Itoa(f.Disk), StorageUnit: deltacloud.GiB, StorageGB: deltacloud.GiB}
	}
	return out
}
