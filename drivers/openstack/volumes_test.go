package openstack_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

func TestMapVolumeState(t *testing.T) {
	cases := map[string]deltacloud.VolumeState{
		"creating": deltacloud.VolumeCreating, "downloading": deltacloud.VolumeCreating,
		"available": deltacloud.VolumeAvailable,
		"reserved":  deltacloud.VolumeInUse, "attaching": deltacloud.VolumeInUse, "in-use": deltacloud.VolumeInUse,
		"detaching": deltacloud.VolumeInUse,
		"deleting":  deltacloud.VolumeDeleting,
		"error":     deltacloud.VolumeError, "error_deleting": deltacloud.VolumeError, "error_extending": deltacloud.VolumeError,
		"extending": deltacloud.VolumeCreating, "retyping": deltacloud.VolumeCreating,
	}
	got := map[string]deltacloud.VolumeState{}
	for status := range cases {
		got[status] = openstack.MapVolumeState(status)
	}
	if d := cmp.Diff(cases, got); d != "" {
		t.Errorf("MapVolumeState (-want +got):\n%s", d)
	}
}

func TestMapSnapshotState(t *testing.T) {
	cases := map[string]deltacloud.SnapshotState{
		"creating": deltacloud.SnapshotPending, "deleting": deltacloud.SnapshotPending,
		"available": deltacloud.SnapshotCompleted, "backing-up": deltacloud.SnapshotCompleted,
		"error": deltacloud.SnapshotError, "error_deleting": deltacloud.SnapshotError,
	}
	got := map[string]deltacloud.SnapshotState{}
	for status := range cases {
		got[status] = openstack.MapSnapshotState(status)
	}
	if d := cmp.Diff(cases, got); d != "" {
		t.Errorf("MapSnapshotState (-want +got):\n%s", d)
	}
}

// waitVolume polls until ok holds for the volume.
func waitVolume(t *testing.T, p *deltacloud.Provider, id string, ok func(*deltacloud.StorageVolume) bool) *deltacloud.StorageVolume {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := p.StorageVolume(t.Context(), id)
		if err == nil && ok(v) {
			return v
		}
		if time.Now().After(deadline) {
			t.Fatalf("volume %s: last %+v, %v", id, v, err)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func available(v *deltacloud.StorageVolume) bool { return v.State == deltacloud.VolumeAvailable }

// A volume maps name, description, size, zone and type; attached, it names
// its server and the device Nova answered, on the instance too; from a
// snapshot without a capacity it takes the snapshot's size.
func TestVolumeMapping(t *testing.T) {
	ctx := t.Context()
	_, p := openFake(t)
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1", RealmID: "az-2"})
	if err != nil {
		t.Fatal(err)
	}
	v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "data", Description: "the data", Capacity: 3, RealmID: "az-2"})
	if err != nil {
		t.Fatal(err)
	}
	ignore := cmpopts.IgnoreFields(deltacloud.StorageVolume{}, "ID", "Created")
	want := deltacloud.StorageVolume{Name: "data", Description: "the data", Capacity: 3, RealmID: "az-2",
		State: deltacloud.VolumeCreating, Kind: "lvmdriver-1"}
	if d := cmp.Diff(want, *v, ignore); d != "" {
		t.Errorf("created volume (-want +got):\n%s", d)
	}
	if time.Since(v.Created) > time.Minute || v.Created.IsZero() {
		t.Errorf("created volume's time is %v", v.Created)
	}
	waitVolume(t, p, v.ID, available)
	waitInstance(t, p, in.ID, deltacloud.StateRunning)
	if _, err := p.AttachStorageVolume(ctx, v.ID, in.ID, "/dev/vdc"); err != nil {
		t.Fatal(err)
	}
	got := waitVolume(t, p, v.ID, func(v *deltacloud.StorageVolume) bool { return v.InstanceID != "" })
	want.State, want.InstanceID, want.Device = deltacloud.VolumeInUse, in.ID, "/dev/vdc"
	if d := cmp.Diff(want, *got, ignore); d != "" {
		t.Errorf("attached volume (-want +got):\n%s", d)
	}
	wantAtt := []deltacloud.VolumeAttachment{{VolumeID: v.ID, Device: "/dev/vdc"}}
	one, err := p.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(wantAtt, one.StorageVolumes); d != "" {
		t.Errorf("Instance's volumes (-want +got):\n%s", d)
	}
	all, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("Instances: %v %v", all, err)
	}
	if d := cmp.Diff(wantAtt, all[0].StorageVolumes); d != "" {
		t.Errorf("Instances' volumes (-want +got):\n%s", d)
	}

	sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID, Name: "snap", Description: "of data"})
	if err != nil {
		t.Fatalf("snapshot of an attached volume: %v", err)
	}
	wantSn := deltacloud.StorageSnapshot{ID: sn.ID, Name: "snap", Description: "of data", VolumeID: v.ID, State: deltacloud.SnapshotPending}
	if d := cmp.Diff(wantSn, *sn, cmpopts.IgnoreFields(deltacloud.StorageSnapshot{}, "Created")); d != "" {
		t.Errorf("created snapshot (-want +got):\n%s", d)
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		got, err := p.StorageSnapshot(ctx, sn.ID)
		if err == nil && got.State == deltacloud.SnapshotCompleted {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("snapshot: %+v %v", got, err)
		}
	}
	from, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: sn.ID})
	if err != nil {
		t.Fatal(err)
	}
	if from.Capacity != 3 || from.RealmID != "nova" {
		t.Errorf("volume from the snapshot: capacity %d in %q, want 3 in nova", from.Capacity, from.RealmID)
	}
	_, err = p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: "no-such-snapshot"})
	if !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("volume from an unknown snapshot: %v, want ErrNotFound", err)
	}
	def, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{})
	if err != nil || def.Capacity != openstack.DefaultVolumeCapacity {
		t.Errorf("volume without capacity: %+v %v, want %d GB", def, err, openstack.DefaultVolumeCapacity)
	}
}

// waitInstance polls until the instance is in state.
func waitInstance(t *testing.T, p *deltacloud.Provider, id string, state deltacloud.State) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		in, err := p.Instance(t.Context(), id)
		if err == nil && in.State == state {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s: %+v %v", id, in, err)
		}
	}
}

// Volumes and snapshots of another owner are not listed and are unknown.
func TestVolumeOwnership(t *testing.T) {
	ctx := t.Context()
	c, mine := openFake(t)
	theirs, err := open(ctx, c, "owner", "someone-else")
	if err != nil {
		t.Fatal(err)
	}
	defer theirs.Close()
	v, err := theirs.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	waitVolume(t, theirs, v.ID, available)
	sn, err := theirs.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
	if err != nil {
		t.Fatal(err)
	}
	vs, err := mine.StorageVolumes(ctx)
	if err != nil || len(vs) != 0 {
		t.Errorf("StorageVolumes of another owner's: %+v %v, want none", vs, err)
	}
	ss, err := mine.StorageSnapshots(ctx)
	if err != nil || len(ss) != 0 {
		t.Errorf("StorageSnapshots of another owner's: %+v %v, want none", ss, err)
	}
	checks := map[string]error{}
	_, checks["StorageVolume"] = mine.StorageVolume(ctx, v.ID)
	checks["DestroyStorageVolume"] = mine.DestroyStorageVolume(ctx, v.ID)
	_, checks["StorageSnapshot"] = mine.StorageSnapshot(ctx, sn.ID)
	checks["DestroyStorageSnapshot"] = mine.DestroyStorageSnapshot(ctx, sn.ID)
	_, checks["CreateStorageSnapshot"] = mine.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
	for op, err := range checks {
		if !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("%s of another owner's: %v, want ErrNotFound", op, err)
		}
	}
	if n := c.VolumeCount(); n != 1 {
		t.Errorf("the cloud has %d volumes, want 1", n)
	}
}

// Cinder's and Nova's refusals reach the caller as ErrInvalidState.
func TestVolumeStateFaults(t *testing.T) {
	ctx := t.Context()
	c, p := openFake(t)
	v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	waitVolume(t, p, v.ID, available)
	// From here on every state lasts an hour: the snapshot stays
	// "creating" and the server "BUILD" however slow the machine is.
	c.SetStep(time.Hour)
	sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DestroyStorageSnapshot(ctx, sn.ID); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("destroying a snapshot being made: %v, want ErrInvalidState", err)
	}
	if err := p.DestroyStorageVolume(ctx, v.ID); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("destroying a volume with a snapshot: %v, want ErrInvalidState", err)
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AttachStorageVolume(ctx, v.ID, in.ID, ""); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("attaching to a building server: %v, want ErrInvalidState", err)
	}
	if got, err := p.StorageVolume(ctx, v.ID); err != nil || got.State != deltacloud.VolumeAvailable {
		t.Errorf("after a refused attach: %+v %v, want AVAILABLE", got, err)
	}
}

// cancelAfter is a transport that lets a volume create reach the cloud,
// then loses the answer as a ctx ending would.
type cancelAfter struct {
	mu     sync.Mutex
	cancel context.CancelFunc
}

func (ca *cancelAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/volumes") {
		ca.mu.Lock()
		ca.cancel()
		ca.mu.Unlock()
		if err == nil {
			resp.Body.Close()
		}
		return nil, context.Canceled
	}
	return resp, err
}

// A create whose ctx ends after Cinder made the volume leaves nothing:
// the driver finds it by its token and deletes it once it is available.
func TestCancelledVolumeCreateLeavesNothing(t *testing.T) {
	c := openstacktest.New(t)
	ctx, cancel := context.WithCancel(t.Context())
	tr := &cancelAfter{cancel: cancel}
	cfg := c.Config()
	cfg.HTTPClient = &http.Client{Transport: tr}
	p, err := deltacloud.Open(t.Context(), "openstack", cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Realms(t.Context()); err != nil {
		t.Fatal(err)
	}
	_, err = p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled create: %v, want context.Canceled", err)
	}
	if n := c.VolumeCount(); n != 1 {
		t.Fatalf("the request made %d volumes, want 1 (else the test proves nothing)", n)
	}
	p.Close() // waits for the clean-up
	for deadline := time.Now().Add(30 * time.Second); c.VolumeCount() != 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d volumes left after a cancelled create", c.VolumeCount())
		}
	}
}

// A cloud without Cinder serves no volumes or snapshots, but the rest.
func TestNoCinder(t *testing.T) {
	ctx := t.Context()
	c := openstacktest.New(t)
	c.SetCinder(false)
	p, err := open(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	_, err = p.StorageVolumes(ctx)
	if !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("StorageVolumes without Cinder: %v, want ErrNotSupported", err)
	}
	_, err = p.StorageSnapshots(ctx)
	if !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("StorageSnapshots without Cinder: %v, want ErrNotSupported", err)
	}
	if _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); err != nil {
		t.Errorf("Instances without Cinder: %v", err)
	}
	if !slices.Contains(p.Collections(), deltacloud.CollectionStorageVolumes) || !slices.Contains(p.Collections(), deltacloud.CollectionStorageSnapshots) {
		t.Errorf("Collections() = %v, want storage volumes and snapshots by default", p.Collections())
	}
	off, err := open(ctx, c, "cinder", "off")
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	if cs := off.Collections(); slices.Contains(cs, deltacloud.CollectionStorageVolumes) || slices.Contains(cs, deltacloud.CollectionStorageSnapshots) {
		t.Errorf("Collections() with cinder off = %v, want no storage volumes or snapshots", cs)
	}
	if _, err := open(ctx, c, "cinder", "maybe"); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("cinder maybe: %v, want ErrInvalidArgument", err)
	}
}

// Cinder answers a create with created_at in microseconds that its MySQL
// columns do not keep (a live Zed run showed …05.397812 on create and
// …05.000000 on every read): the driver's Created is whole seconds on
// both paths, so a create agrees with the gets and listings after it.
func TestCinderCreatedAgreesWithReads(t *testing.T) {
	ctx := t.Context()
	_, p := openFake(t)
	v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	got := waitVolume(t, p, v.ID, available)
	if !got.Created.Equal(v.Created) || v.Created.Nanosecond() != 0 {
		t.Errorf("volume created %v by CreateStorageVolume, %v by StorageVolume; want equal, whole seconds", v.Created, got.Created)
	}
	sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v.ID})
	if err != nil {
		t.Fatal(err)
	}
	gotSn, err := p.StorageSnapshot(ctx, sn.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !gotSn.Created.Equal(sn.Created) || sn.Created.Nanosecond() != 0 {
		t.Errorf("snapshot created %v by CreateStorageSnapshot, %v by StorageSnapshot; want equal, whole seconds", sn.Created, gotSn.Created)
	}
}
