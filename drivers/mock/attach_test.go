package mock_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestInstancesListAttachedVolumes attaches volumes to inst0 and detaches
// them again: the instance lists exactly the attached ones, in the listing
// and on its own, and with storage so does a Provider opened after the
// last one closed (the cloud read back from the directory).
func TestInstancesListAttachedVolumes(t *testing.T) {
	type att = deltacloud.VolumeAttachment
	steps := []struct {
		name string
		do   func(p *deltacloud.Provider) error
		want []att
	}{
		{"fixture", func(*deltacloud.Provider) error { return nil }, nil},
		{"attach vol1", func(p *deltacloud.Provider) error {
			_, err := p.AttachStorageVolume(t.Context(), "vol1", "inst0", "/dev/sdc")
			return err
		}, []att{{VolumeID: "vol1", Device: "/dev/sdc"}}},
		{"attach vol2 without device", func(p *deltacloud.Provider) error {
			_, err := p.AttachStorageVolume(t.Context(), "vol2", "inst0", "")
			return err
		}, []att{{VolumeID: "vol1", Device: "/dev/sdc"}, {VolumeID: "vol2", Device: "/dev/sdf"}}},
		{"detach vol1", func(p *deltacloud.Provider) error {
			_, err := p.DetachStorageVolume(t.Context(), "vol1")
			return err
		}, []att{{VolumeID: "vol2", Device: "/dev/sdf"}}},
		{"detach vol2", func(p *deltacloud.Provider) error {
			_, err := p.DetachStorageVolume(t.Context(), "vol2")
			return err
		}, nil},
	}
	for _, storage := range []bool{false, true} {
		t.Run(map[bool]string{false: "memory", true: "storage"}[storage], func(t *testing.T) {
			var opts map[string]string
			if storage {
				opts = map[string]string{"storage": t.TempDir()}
			}
			p := openRaw(t, opts)
			t.Cleanup(func() { p.Close() })
			for _, st := range steps {
				if err := st.do(p); err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				check := func(p *deltacloud.Provider, how string) {
					t.Helper()
					in := must(p.Instance(t.Context(), "inst0"))(t)
					if d := cmp.Diff(st.want, in.StorageVolumes); d != "" {
						t.Errorf("%s, %s: inst0 volumes (-want +got):\n%s", st.name, how, d)
					}
					for _, l := range must(p.Instances(t.Context(), deltacloud.InstanceFilter{ID: "inst0"}))(t) {
						if d := cmp.Diff(st.want, l.StorageVolumes); d != "" {
							t.Errorf("%s, %s: listed inst0 volumes (-want +got):\n%s", st.name, how, d)
						}
					}
				}
				check(p, "same provider")
				if storage {
					p.Close()
					p = openRaw(t, opts)
					check(p, "after a restart")
				}
			}
		})
	}
}

// TestDestroyedInstanceReleasesVolumes destroys an instance with a volume
// attached: the volume is AVAILABLE again and no instance lists it.
func TestDestroyedInstanceReleasesVolumes(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	must(p.AttachStorageVolume(ctx, "vol1", "inst0", ""))(t)
	must(p.Stop(ctx, "inst0"))(t)
	if err := p.Destroy(ctx, "inst0"); err != nil {
		t.Fatal(err)
	}
	if v := must(p.StorageVolume(ctx, "vol1"))(t); v.State != deltacloud.VolumeAvailable || v.InstanceID != "" {
		t.Errorf("vol1 after its instance was destroyed: %+v", v)
	}
	for _, in := range must(p.Instances(ctx, deltacloud.InstanceFilter{}))(t) {
		for _, a := range in.StorageVolumes {
			if a.VolumeID == "vol1" {
				t.Errorf("%s still lists vol1", in.ID)
			}
		}
	}
}
