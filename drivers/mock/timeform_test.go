package mock_test

import (
	"regexp"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// TestTimeForms checks that the mock's times are written as the original
// wrote them: its fixtures' text ("Thu Oct 25 14:27:53 CEST 2012") and, for
// objects the cloud makes, Ruby 1.9's Time#to_s ("2026-12-04 14:08:17
// +0000") — also after a restart from storage, whose JSON keeps no zone
// names.
func TestTimeForms(t *testing.T) {
	made := regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000$`)
	dir := t.TempDir()
	p := openMock(t, map[string]string{"storage": dir})
	ctx := t.Context()
	vol := must(p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{}))(t)
	snap := must(p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "vol1"}))(t)
	img := must(p.CreateImage(ctx, deltacloud.ImageSpec{InstanceID: "inst1", Name: "timeform"}))(t)
	p.Close()

	for _, name := range []string{"fresh", "restarted"} {
		t.Run(name, func(t *testing.T) {
			// A fresh in-memory cloud has only the fixtures; the objects
			// made above are checked on the restarted one.
			q := openMock(t, nil)
			if name == "restarted" {
				q = openMock(t, map[string]string{"storage": dir})
			}
			fixtures := map[string]string{
				"image img1":     wire.FormatTime(must(q.Image(ctx, "img1"))(t).CreationTime),
				"volume vol1":    wire.FormatTime(must(q.StorageVolume(ctx, "vol1"))(t).Created),
				"snapshot snap1": wire.FormatTime(must(q.StorageSnapshot(ctx, "snap1"))(t).Created),
			}
			want := map[string]string{
				"image img1":     "Thu Oct 25 14:27:53 CEST 2012",
				"volume vol1":    "Thu Jul 30 14:35:11 UTC 2009",
				"snapshot snap1": "Wed Jul 29 18:15:24 UTC 2009",
			}
			for k, got := range fixtures {
				if got != want[k] {
					t.Errorf("%s created %q, want the fixture's %q", k, got, want[k])
				}
			}
			if name != "restarted" {
				return
			}
			for what, got := range map[string]string{
				"volume":   wire.FormatTime(must(q.StorageVolume(ctx, vol.ID))(t).Created),
				"snapshot": wire.FormatTime(must(q.StorageSnapshot(ctx, snap.ID))(t).Created),
				"image":    wire.FormatTime(must(q.Image(ctx, img.ID))(t).CreationTime),
			} {
				if !made.MatchString(got) {
					t.Errorf("new %s created %q, want Ruby 1.9's form like 2026-12-04 14:08:17 +0000", what, got)
				}
			}
		})
	}
}
