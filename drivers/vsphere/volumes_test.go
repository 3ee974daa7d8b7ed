package vsphere_test

import (
	"context"
	"errors"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

func TestParseDevice(t *testing.T) {
	cases := []struct {
		in        string
		bus, unit int32
		bad       bool
	}{
		{in: "scsi0:1", bus: 0, unit: 1},
		{in: "scsi3:15", bus: 3, unit: 15},
		{in: "scsi0:7", bad: true},
		{in: "scsi4:1", bad: true},
		{in: "scsi0:16", bad: true},
		{in: "scsi0", bad: true},
		{in: "/dev/sdf", bad: true},
		{in: "scsi-1:2", bad: true},
		{in: "scsi0:+2", bus: 0, unit: 2},
	}
	for _, c := range cases {
		bus, unit, err := vsphere.ParseDevice(c.in)
		if c.bad {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Errorf("ParseDevice(%q) = %d, %d, %v; want ErrInvalidArgument", c.in, bus, unit, err)
			}
			continue
		}
		if err != nil || bus != c.bus || unit != c.unit {
			t.Errorf("ParseDevice(%q) = %d, %d, %v; want %d, %d", c.in, bus, unit, err, c.bus, c.unit)
		}
	}
}

func FuzzParseDevice(f *testing.F) {
	for _, s := range []string{"scsi0:1", "scsi3:15", "scsi0:7", "", "scsi:", "scsi99999999999:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		bus, unit, err := vsphere.ParseDevice(s)
		if err == nil && (bus < 0 || bus > 3 || unit < 0 || unit > 15 || unit == 7) {
			t.Fatalf("ParseDevice(%q) = %d, %d", s, bus, unit)
		}
	})
}

// TestVolumeOutlivesInstance: destroying an instance detaches its volume,
// which stays, available; a taken device is ErrConflict.
func TestVolumeOutlivesInstance(t *testing.T) {
	s := newSim(t, nil)
	p := s.open(t, s.config())
	ctx := t.Context()
	in := s.instance(t, p)
	v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "data", Capacity: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AttachStorageVolume(ctx, v.ID, in.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, err := p.StorageVolume(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	w, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AttachStorageVolume(ctx, w.ID, in.ID, got.Device); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("attach at %s, taken = %v, want ErrConflict", got.Device, err)
	}
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	after, err := p.StorageVolume(ctx, v.ID)
	if err != nil {
		t.Fatalf("the volume is gone with its instance: %v", err)
	}
	want := deltacloud.StorageVolume{ID: v.ID, Name: "data", Capacity: 2, State: deltacloud.VolumeAvailable, Created: v.Created, Kind: "thin"}
	if d := cmp.Diff(want, *after); d != "" {
		t.Errorf("the volume after its instance's destroy (-want +got):\n%s", d)
	}
	for _, id := range []string{v.ID, w.ID} {
		if err := p.DestroyStorageVolume(ctx, id); err != nil {
			t.Error(err)
		}
	}
	if disks := s.disks(t); len(disks) > 0 {
		t.Errorf("disks left: %q", disks)
	}
}

// TestVolumeAndSnapshotCreatesLeaveNothing loses the answers of the disk
// and snapshot tasks: the background clean-up deletes what they made.
func TestVolumeAndSnapshotCreatesLeaveNothing(t *testing.T) {
	s := newSim(t, nil)
	v, err := s.open(t, s.config()).CreateStorageVolume(t.Context(), deltacloud.StorageVolumeSpec{})
	if err != nil {
		t.Fatal(err)
	}
	creates := map[string]func(context.Context, *deltacloud.Provider) error{
		"volume": func(ctx context.Context, p *deltacloud.Provider) error {
			_, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
			return err
		},
		"snapshot": func(ctx context.Context, p *deltacloud.Provider) error {
			_, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
			return err
		},
	}
	for name, create := range creates {
		p, err := deltacloud.Open(t.Context(), "vsphere", s.configWire())
		if err != nil {
			t.Fatal(err)
		}
		// The task's answer arrives; the wait for its end is what is lost,
		// to a deadline that comes when its answer is dropped.
		s.wire.stallN(nil, regexp.MustCompile("^WaitForUpdatesEx$"), 1)
		ctx, stop := s.wire.deadlineAtStall(t.Context())
		if err := create(ctx, p); !errors.Is(err, deltacloud.ErrTimeout) {
			t.Errorf("%s create with its wait lost = %v, want ErrTimeout", name, err)
		}
		stop()
		p.Close() // waits for the clean-up
	}
	s.wire.stall(nil, nil)
	p := s.open(t, s.config())
	vs, err := p.StorageVolumes(t.Context())
	if err != nil || len(vs) != 1 || vs[0].ID != v.ID {
		t.Errorf("volumes after the lost creates: %+v, %v; want only %s", vs, err, v.ID)
	}
	if sns, err := p.StorageSnapshots(t.Context()); err != nil || len(sns) != 0 {
		t.Errorf("snapshots after the lost creates: %+v, %v; want none", sns, err)
	}
}
