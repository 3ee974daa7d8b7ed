package ec2_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestRegions: a provider lists its account's regions from DescribeRegions
// (opt-in ones included), reused for RegionsTTL by providers with the same
// credentials; other credentials ask again and a wrong secret gets no
// cached list; the credential-free driver list stays static.
func TestRegions(t *testing.T) {
	s := ec2test.NewServer(t)
	ctx := t.Context()
	creds := deltacloud.Credentials{User: "AKID-regions", Password: "secret"}
	lister := func(creds deltacloud.Credentials) ec2.RegionLister {
		t.Helper()
		p, err := openFake(ctx, s, creds, "max_attempts", "1")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { p.Close() })
		var rl ec2.RegionLister
		if !p.As(&rl) {
			t.Fatal("As(*RegionLister) = false")
		}
		return rl
	}
	got, err := lister(creds).Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var want []deltacloud.ProviderInfo
	for _, name := range []string{"af-south-1", "ap-southeast-7", "eu-west-1", "us-east-1"} {
		want = append(want, deltacloud.ProviderInfo{ID: name, Entrypoints: map[string]string{
			"ec2": "ec2." + name + ".amazonaws.com", "s3": "s3." + name + ".amazonaws.com",
			"elb": "elasticloadbalancing." + name + ".amazonaws.com", "mon": "monitoring." + name + ".amazonaws.com"}})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Regions (-want +got):\n%s", diff)
	}
	got[0].Entrypoints["ec2"] = "changed by the caller"
	// Another provider with the same credentials: from the cache.
	again, err := lister(creds).Regions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("cached Regions (-want +got):\n%s", diff)
	}
	if n := s.Calls("DescribeRegions"); n != 1 {
		t.Errorf("%d DescribeRegions requests for two listings, want 1", n)
	}
	// Other credentials ask EC2; a refused key gets its error, not a list.
	if _, err := lister(deltacloud.Credentials{User: "AKID-other", Password: "secret"}).Regions(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := lister(deltacloud.Credentials{User: ec2test.BadAccessKey, Password: "secret"}).Regions(ctx); !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Errorf("Regions with a refused key = %v, want AuthFailure", err)
	}
	if n := s.Calls("DescribeRegions"); n != 3 {
		t.Errorf("%d DescribeRegions requests, want 3", n)
	}
	// The driver list needs no credentials and calls nothing.
	var info deltacloud.DriverInfo
	for _, d := range deltacloud.Drivers() {
		if d.Name == "ec2" {
			info = d
		}
	}
	if len(info.Providers) < 16 {
		t.Errorf("static driver info = %+v", info)
	}
	if n := s.Calls("DescribeRegions"); n != 3 {
		t.Errorf("the driver list called DescribeRegions")
	}
}
