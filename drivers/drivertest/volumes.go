package drivertest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deltacloud-go/deltacloud"
)

// volumeFromListing ignores what may change between two calls on a live
// cloud.
var volumeFromListing = cmpopts.IgnoreFields(deltacloud.StorageVolume{}, "State", "InstanceID", "Device")

func (s *suite) testStorageVolumes(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionStorageVolumes)
	ctx := t.Context()
	vs, err := p.StorageVolumes(ctx)
	if err != nil {
		t.Fatalf("StorageVolumes: %v", err)
	}
	for _, v := range vs[:min(len(vs), 20)] {
		got, err := p.StorageVolume(ctx, v.ID)
		if err != nil {
			t.Errorf("StorageVolume(%q): %v", v.ID, err)
			continue
		}
		if d := cmp.Diff(v, *got, volumeFromListing); d != "" {
			t.Errorf("StorageVolume(%q) differs from the listing (-list +get):\n%s", v.ID, d)
		}
	}
	const unknown = "drivertest-no-such-volume-0"
	_, err = p.StorageVolume(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "StorageVolume(%q)", unknown)
	wantErr(t, p.DestroyStorageVolume(ctx, unknown), deltacloud.ErrNotFound, "DestroyStorageVolume(%q)", unknown)
	_, err = p.DetachStorageVolume(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "DetachStorageVolume(%q)", unknown)
	_, err = p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: -1})
	wantErr(t, err, deltacloud.ErrInvalidArgument, "CreateStorageVolume with capacity -1")

	// The features: honoured where advertised, refused (creating nothing)
	// where not.
	spec := deltacloud.StorageVolumeSpec{Capacity: s.h.VolumeCapacity}
	refused := map[string]func(*deltacloud.StorageVolumeSpec){}
	if p.Features().Has(deltacloud.FeatureVolumeName) {
		spec.Name = uniqueName("vol")
	} else {
		refused[deltacloud.FeatureVolumeName] = func(sp *deltacloud.StorageVolumeSpec) { sp.Name = uniqueName("vol") }
	}
	if p.Features().Has(deltacloud.FeatureVolumeDescription) {
		spec.Description = "drivertest volume"
	} else {
		refused[deltacloud.FeatureVolumeDescription] = func(sp *deltacloud.StorageVolumeSpec) { sp.Description = "drivertest" }
	}
	before := len(s.volumes(t, p))
	for feature, set := range refused {
		sp := spec
		set(&sp)
		v, err := p.CreateStorageVolume(ctx, sp)
		if !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("CreateStorageVolume with %s (not advertised) = %v, want ErrNotSupported", feature, err)
			if err == nil {
				s.destroyVolume(p, v.ID)
			}
		}
	}
	if after := len(s.volumes(t, p)); after != before {
		t.Errorf("refused creates changed the number of volumes from %d to %d", before, after)
	}

	v := s.createVolume(t, p, spec)
	if spec.Name != "" && v.Name != spec.Name {
		t.Errorf("created volume %s is named %q; the spec asked for %q (volume_name is advertised)", v.ID, v.Name, spec.Name)
	}
	if spec.Description != "" && v.Description != spec.Description {
		t.Errorf("created volume %s is described %q; the spec asked for %q (volume_description is advertised)",
			v.ID, v.Description, spec.Description)
	}
	if v.Capacity != spec.Capacity {
		t.Errorf("created volume %s has capacity %d GB; the spec asked for %d", v.ID, v.Capacity, spec.Capacity)
	}
	_, err = p.DetachStorageVolume(ctx, v.ID)
	wantErr(t, err, deltacloud.ErrInvalidState, "DetachStorageVolume(%q) of a detached volume", v.ID)
	_, err = p.AttachStorageVolume(ctx, v.ID, "drivertest-no-such-instance-0", s.h.VolumeDevice)
	wantErr(t, err, deltacloud.ErrNotFound, "AttachStorageVolume(%q) to an unknown instance", v.ID)
	_, err = p.AttachStorageVolume(ctx, unknown, "drivertest-no-such-instance-0", s.h.VolumeDevice)
	wantErr(t, err, deltacloud.ErrNotFound, "AttachStorageVolume(%q)", unknown)

	// Attach to an instance of the suite's own, then the state checks.
	in := s.running(t, p)
	att, err := p.AttachStorageVolume(ctx, v.ID, in.ID, s.h.VolumeDevice)
	if err != nil {
		t.Fatalf("AttachStorageVolume(%q, %q, %q): %v", v.ID, in.ID, s.h.VolumeDevice, err)
	}
	t.Cleanup(func() {
		ctx, cancel := s.cleanupCtx()
		defer cancel()
		if cur, err := p.StorageVolume(ctx, v.ID); err == nil && cur.Attached() {
			p.DetachStorageVolume(ctx, v.ID)
			s.poll(ctx, "detach", func(ctx context.Context) (bool, error) {
				cur, err := p.StorageVolume(ctx, v.ID)
				return err == nil && !cur.Attached(), err
			})
		}
	})
	if att.ID != v.ID {
		t.Errorf("AttachStorageVolume(%q) returned volume %q", v.ID, att.ID)
	}
	attached := s.waitVolume(t, p, v.ID, "attached to "+in.ID, func(v *deltacloud.StorageVolume) bool {
		return v.State == deltacloud.VolumeInUse && v.InstanceID == in.ID
	})
	if attached.Device == "" {
		t.Errorf("attached volume %s names no device", v.ID)
	}
	s.waitInstanceVolume(t, p, in.ID, deltacloud.VolumeAttachment{VolumeID: v.ID, Device: attached.Device}, true)
	wantErr(t, p.DestroyStorageVolume(ctx, v.ID), deltacloud.ErrInvalidState, "DestroyStorageVolume(%q) of an attached volume", v.ID)
	_, err = p.AttachStorageVolume(ctx, v.ID, in.ID, s.h.VolumeDevice)
	wantErr(t, err, deltacloud.ErrInvalidState, "AttachStorageVolume(%q) of an attached volume", v.ID)
	if _, err := p.StorageVolume(ctx, v.ID); err != nil {
		t.Errorf("StorageVolume(%q) after a refused destroy: %v", v.ID, err)
	}
	if _, err := p.DetachStorageVolume(ctx, v.ID); err != nil {
		t.Fatalf("DetachStorageVolume(%q): %v", v.ID, err)
	}
	s.waitVolume(t, p, v.ID, "available", func(v *deltacloud.StorageVolume) bool {
		return v.State == deltacloud.VolumeAvailable && !v.Attached()
	})
	s.waitInstanceVolume(t, p, in.ID, deltacloud.VolumeAttachment{VolumeID: v.ID}, false)

	if err := p.DestroyStorageVolume(ctx, v.ID); err != nil {
		t.Fatalf("DestroyStorageVolume(%q): %v", v.ID, err)
	}
	s.waitGone(t, "volume "+v.ID, func(ctx context.Context) error { _, err := p.StorageVolume(ctx, v.ID); return err })
}

// createVolume creates a volume, destroyed when the test ends, checks that
// it is listed and waits until it is available.
func (s *suite) createVolume(t *testing.T, p *deltacloud.Provider, spec deltacloud.StorageVolumeSpec) *deltacloud.StorageVolume {
	t.Helper()
	v, err := p.CreateStorageVolume(t.Context(), spec)
	if err != nil {
		t.Fatalf("CreateStorageVolume(%+v): %v", spec, err)
	}
	t.Cleanup(func() { s.destroyVolume(p, v.ID) })
	if got, err := p.StorageVolume(t.Context(), v.ID); err != nil {
		t.Fatalf("StorageVolume(%q) after create: %v", v.ID, err)
	} else if d := cmp.Diff(*v, *got, volumeFromListing); d != "" {
		t.Errorf("StorageVolume(%q) differs from what CreateStorageVolume returned (-create +get):\n%s", v.ID, d)
	}
	return s.waitVolume(t, p, v.ID, "available", func(v *deltacloud.StorageVolume) bool {
		return v.State == deltacloud.VolumeAvailable
	})
}

// destroyVolume deletes a volume after the test, ignoring errors.
func (s *suite) destroyVolume(p *deltacloud.Provider, id string) {
	ctx, cancel := s.cleanupCtx()
	defer cancel()
	p.DestroyStorageVolume(ctx, id)
}

// waitVolume waits until the volume satisfies ok and returns it.
func (s *suite) waitVolume(t *testing.T, p *deltacloud.Provider, id, what string, ok func(*deltacloud.StorageVolume) bool) *deltacloud.StorageVolume {
	t.Helper()
	var last *deltacloud.StorageVolume
	err := s.poll(t.Context(), "volume "+id, func(ctx context.Context) (bool, error) {
		v, err := p.StorageVolume(ctx, id)
		last = v
		return err == nil && ok(v), err
	})
	if err != nil {
		t.Fatalf("volume %s did not become %s: last seen %+v: %v", id, what, last, err)
	}
	return last
}

// waitInstanceVolume waits until instance id, read alone and in the
// instance listing, lists the attachment (at the device the volume names)
// or, when listed is false, no longer lists the volume: a client that
// attached a volume finds it on the instance too.
func (s *suite) waitInstanceVolume(t *testing.T, p *deltacloud.Provider, id string, att deltacloud.VolumeAttachment, listed bool) {
	t.Helper()
	has := func(in *deltacloud.Instance) bool {
		return slices.ContainsFunc(in.StorageVolumes, func(a deltacloud.VolumeAttachment) bool {
			return a.VolumeID == att.VolumeID && (!listed || a.Device == att.Device)
		})
	}
	var single, listing []deltacloud.VolumeAttachment
	err := s.poll(t.Context(), "instance "+id+" volumes", func(ctx context.Context) (bool, error) {
		in, err := p.Instance(ctx, id)
		if err != nil {
			return false, err
		}
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil {
			return false, err
		}
		i := slices.IndexFunc(ins, func(in deltacloud.Instance) bool { return in.ID == id })
		if i < 0 {
			return false, fmt.Errorf("the instance listing lacks %s", id)
		}
		single, listing = in.StorageVolumes, ins[i].StorageVolumes
		return has(in) == listed && has(&ins[i]) == listed, nil
	})
	if err == nil {
		return
	}
	if listed {
		t.Errorf("instance %s does not list attached volume %s at %s: Instance lists %+v, the listing %+v: %v",
			id, att.VolumeID, att.Device, single, listing, err)
	} else {
		t.Errorf("instance %s still lists detached volume %s: Instance lists %+v, the listing %+v: %v",
			id, att.VolumeID, single, listing, err)
	}
}

// waitGone waits until get answers ErrNotFound: clouds may take a moment
// to delete.
func (s *suite) waitGone(t *testing.T, what string, get func(context.Context) error) {
	t.Helper()
	var last error
	err := s.poll(t.Context(), what, func(ctx context.Context) (bool, error) {
		last = get(ctx)
		if errors.Is(last, deltacloud.ErrNotFound) {
			return true, nil
		}
		if last != nil && !errors.Is(last, deltacloud.ErrInvalidState) {
			return false, last
		}
		return false, nil
	})
	if err != nil {
		t.Errorf("%s is still there after it was destroyed (last: %v): %v", what, last, err)
	}
}

func (s *suite) volumes(t *testing.T, p *deltacloud.Provider) []deltacloud.StorageVolume {
	t.Helper()
	vs, err := p.StorageVolumes(t.Context())
	if err != nil {
		t.Fatalf("StorageVolumes: %v", err)
	}
	return vs
}

func (s *suite) testStorageSnapshots(t *testing.T) {
	p := s.serving(t, deltacloud.CollectionStorageSnapshots)
	ctx := t.Context()
	ss, err := p.StorageSnapshots(ctx)
	if err != nil {
		t.Fatalf("StorageSnapshots: %v", err)
	}
	fromListing := cmpopts.IgnoreFields(deltacloud.StorageSnapshot{}, "State")
	for _, sn := range ss[:min(len(ss), 20)] {
		got, err := p.StorageSnapshot(ctx, sn.ID)
		if err != nil {
			t.Errorf("StorageSnapshot(%q): %v", sn.ID, err)
			continue
		}
		if d := cmp.Diff(sn, *got, fromListing); d != "" {
			t.Errorf("StorageSnapshot(%q) differs from the listing (-list +get):\n%s", sn.ID, d)
		}
	}
	const unknown = "drivertest-no-such-snapshot-0"
	_, err = p.StorageSnapshot(ctx, unknown)
	wantErr(t, err, deltacloud.ErrNotFound, "StorageSnapshot(%q)", unknown)
	wantErr(t, p.DestroyStorageSnapshot(ctx, unknown), deltacloud.ErrNotFound, "DestroyStorageSnapshot(%q)", unknown)
	_, err = p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{})
	wantErr(t, err, deltacloud.ErrInvalidArgument, "CreateStorageSnapshot without a volume")

	if !servesVolumes(p) {
		t.Skip("the provider serves no storage_volumes, so the suite cannot make a volume to snapshot")
	}
	_, err = p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: "drivertest-no-such-volume-0"})
	wantErr(t, err, deltacloud.ErrNotFound, "CreateStorageSnapshot of an unknown volume")
	v := s.createVolume(t, p, deltacloud.StorageVolumeSpec{Capacity: s.h.VolumeCapacity})
	spec := deltacloud.StorageSnapshotSpec{VolumeID: v.ID}
	sn, err := p.CreateStorageSnapshot(ctx, spec)
	if err != nil {
		t.Fatalf("CreateStorageSnapshot(%+v): %v", spec, err)
	}
	t.Cleanup(func() {
		ctx, cancel := s.cleanupCtx()
		defer cancel()
		p.DestroyStorageSnapshot(ctx, sn.ID)
	})
	if sn.VolumeID != v.ID {
		t.Errorf("snapshot %s is of volume %q; it was taken of %q", sn.ID, sn.VolumeID, v.ID)
	}
	got, err := p.StorageSnapshot(ctx, sn.ID)
	if err != nil {
		t.Fatalf("StorageSnapshot(%q) after create: %v", sn.ID, err)
	}
	if d := cmp.Diff(*sn, *got, fromListing); d != "" {
		t.Errorf("StorageSnapshot(%q) differs from what CreateStorageSnapshot returned (-create +get):\n%s", sn.ID, d)
	}
	var last *deltacloud.StorageSnapshot
	err = s.poll(ctx, "snapshot "+sn.ID, func(ctx context.Context) (bool, error) {
		got, err := p.StorageSnapshot(ctx, sn.ID)
		last = got
		return err == nil && got.State != deltacloud.SnapshotPending, err
	})
	if err != nil {
		t.Fatalf("snapshot %s did not complete: last seen %+v: %v", sn.ID, last, err)
	}
	// An empty state is a cloud (or document: the Deltacloud XML has none)
	// that does not say.
	if last.State != deltacloud.SnapshotCompleted && last.State != "" {
		t.Errorf("snapshot %s ended in %s, want %s", sn.ID, last.State, deltacloud.SnapshotCompleted)
	}
	if err := p.DestroyStorageSnapshot(ctx, sn.ID); err != nil {
		t.Fatalf("DestroyStorageSnapshot(%q): %v", sn.ID, err)
	}
	s.waitGone(t, "snapshot "+sn.ID, func(ctx context.Context) error { _, err := p.StorageSnapshot(ctx, sn.ID); return err })
}

func servesVolumes(p *deltacloud.Provider) bool {
	return slices.Contains(p.Collections(), deltacloud.CollectionStorageVolumes)
}
