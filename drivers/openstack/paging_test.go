package openstack_test

import (
	"context"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// Listings follow the services' next links (Nova's servers_links and
// flavors_links with marker, Glance's next) to the last page.
func TestPaging(t *testing.T) {
	ctx := context.Background()
	c, p := openFake(t)
	c.SetPageSize(2)
	made, err := p.CreateInstances(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1", Count: 5})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(n int, id func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = id(i)
		}
		slices.Sort(out)
		return out
	}
	if d := cmp.Diff(ids(len(made), func(i int) string { return made[i].ID }), ids(len(ins), func(i int) string { return ins[i].ID })); d != "" {
		t.Errorf("servers over pages of 2 (-made +listed):\n%s", d)
	}
	imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
	if err != nil || len(imgs) != 4 {
		t.Errorf("images over pages of 2: %d, %v; want the 4 seeded", len(imgs), err)
	}
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil || len(hs) != len(openstacktest.Flavors) {
		t.Errorf("flavors over pages of 2: %d, %v; want %d", len(hs), err, len(openstacktest.Flavors))
	}
}
