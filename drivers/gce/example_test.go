package gce_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/gce/gcetest"
)

// Example opens a provider with a service-account key (here the fake's)
// and launches an instance from a public image family.
func Example() {
	t := &testing.T{}
	s := gcetest.New(t)
	defer s.Close()
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "gce", s.Config("buckets=false"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{
		ImageID: "debian-cloud/debian-12", ProfileID: "e2-small", Name: "web",
		Tags: map[string]string{"Team": "Web"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.State, in.Profile.ID, in.Tags["Team"])
	// Output: web RUNNING e2-small Web
}
