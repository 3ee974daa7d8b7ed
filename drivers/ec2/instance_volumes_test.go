package ec2_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestInstanceListsVolumes follows an EBS-backed instance through attaches
// and a detach, and checks after each step that the instance, read alone
// and in the listing, lists the EBS volumes of its block device mapping
// (the root volume, the one made from a snapshot at launch, the attached
// ones) at their device names, as DescribeInstances reports them.
func TestInstanceListsVolumes(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()

	store := running(t, p, deltacloud.InstanceSpec{ImageID: "ami-00000002"})
	if len(store.StorageVolumes) != 0 {
		t.Errorf("instance-store instance %s lists volumes %+v", store.ID, store.StorageVolumes)
	}
	in := running(t, p, deltacloud.InstanceSpec{RealmID: "us-east-1a",
		Snapshot: &deltacloud.SnapshotAttachment{SnapshotID: "snap-1", Device: "/dev/sdb"}})
	root := deltacloud.VolumeAttachment{VolumeID: "vol-" + strings.TrimPrefix(in.ID, "i-"), Device: "/dev/sda1"}
	fromSnap := deltacloud.VolumeAttachment{VolumeID: "vol-snap-1", Device: "/dev/sdb"}
	volume := func() string {
		v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1, RealmID: "us-east-1a"})
		if err != nil {
			t.Fatal(err)
		}
		waitVolume(t, p, v.ID, func(v *deltacloud.StorageVolume) bool { return v.State == deltacloud.VolumeAvailable })
		return v.ID
	}
	v, w := volume(), volume()
	steps := []struct {
		name string
		do   func() error
		want []deltacloud.VolumeAttachment
	}{
		{name: "launched", do: func() error { return nil },
			want: []deltacloud.VolumeAttachment{root, fromSnap}},
		{name: "attaching at the first free device", do: func() error {
			_, err := p.AttachStorageVolume(ctx, v, in.ID, "")
			return err
		}, want: []deltacloud.VolumeAttachment{root, fromSnap, {VolumeID: v, Device: "/dev/sdf"}}},
		{name: "second attached at /dev/sdh", do: func() error {
			if _, err := p.AttachStorageVolume(ctx, w, in.ID, "/dev/sdh"); err != nil {
				return err
			}
			waitVolume(t, p, w, func(x *deltacloud.StorageVolume) bool { return x.State == deltacloud.VolumeInUse })
			return nil
		}, want: []deltacloud.VolumeAttachment{root, fromSnap, {VolumeID: v, Device: "/dev/sdf"}, {VolumeID: w, Device: "/dev/sdh"}}},
		{name: "first detached", do: func() error {
			if _, err := p.DetachStorageVolume(ctx, v); err != nil {
				return err
			}
			waitVolume(t, p, v, func(x *deltacloud.StorageVolume) bool { return !x.Attached() })
			return nil
		}, want: []deltacloud.VolumeAttachment{root, fromSnap, {VolumeID: w, Device: "/dev/sdh"}}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := p.Instance(ctx, in.ID)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if d := cmp.Diff(st.want, got.StorageVolumes); d != "" {
			t.Errorf("%s: Instance(%s).StorageVolumes (-want +got):\n%s", st.name, in.ID, d)
		}
		all, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		for _, x := range all {
			want := st.want
			if x.ID != in.ID {
				want = nil
			}
			if d := cmp.Diff(want, x.StorageVolumes); d != "" {
				t.Errorf("%s: the listing's %s StorageVolumes (-want +got):\n%s", st.name, x.ID, d)
			}
		}
	}
}
