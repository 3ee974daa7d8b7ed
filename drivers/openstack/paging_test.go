package openstack_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// Listings follow the services' next links (Nova's servers_links and
// flavors_links with marker, Glance's next, Cinder's volumes_links and
// snapshots_links) to the last page.
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
	var vols []string
	for range 5 {
		v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1})
		if err != nil {
			t.Fatal(err)
		}
		vols = append(vols, v.ID)
	}
	vs, err := p.StorageVolumes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ids(len(vols), func(i int) string { return vols[i] }), ids(len(vs), func(i int) string { return vs[i].ID })); d != "" {
		t.Errorf("volumes over pages of 2 (-made +listed):\n%s", d)
	}
	var snaps []string
	for _, id := range vols {
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
			sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: id})
			if err == nil {
				snaps = append(snaps, sn.ID)
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("snapshot of %s: %v", id, err)
			}
		}
	}
	ss, err := p.StorageSnapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(ids(len(snaps), func(i int) string { return snaps[i] }), ids(len(ss), func(i int) string { return ss[i].ID })); d != "" {
		t.Errorf("snapshots over pages of 2 (-made +listed):\n%s", d)
	}
}
