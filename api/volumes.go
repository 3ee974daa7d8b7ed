package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The storage_volumes and storage_snapshots
// collections.

func volumesIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	vs, err := p.StorageVolumes(q.r.Context())
	if err != nil {
		return err
	}
	vs = onlyID(q, vs, func(x deltacloud.StorageVolume) string { return x.ID })
	doc := wire.NewStorageVolumes(q.base, vs)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "storage_volumes", doc)
}

// volumePage is the volume page's data: the document and the instances
// the attach form offers.
type volumePage struct {
	wire.StorageVolume
	Instances []deltacloud.Instance
}

func volumeShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	v, err := p.StorageVolume(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	return q.renderVolume(http.StatusOK, p, v)
}

// renderVolume answers with a volume document (show, attach, detach).
func (q *request) renderVolume(status int, p *deltacloud.Provider, v *deltacloud.StorageVolume) error {
	doc := wire.NewStorageVolume(q.base, *v)
	data := volumePage{StorageVolume: doc}
	if q.format == formatHTML && !v.Attached() {
		data.Instances = q.instancesForForm(p)
	}
	return q.render(status, doc, func() any { return doc.ShowJSON() }, "storage_volume", data)
}

// maxCapacity bounds a volume's capacity (GB); beyond it no cloud offers
// volumes, and the number stays far from int overflow.
const maxCapacity = 1 << 30

// parseCapacity reads the capacity parameter: empty (the driver chooses)
// or a whole number of GB from 0 to maxCapacity, optionally followed by
// "GB"; anything else is ErrInvalidArgument.
func parseCapacity(s string) (int, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(t, "GB"), "gb"))
	if t == "" && strings.TrimSpace(s) == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > maxCapacity || t != strconv.Itoa(n) {
		return 0, deltacloud.Errorf(deltacloud.InvalidArgument, "capacity %q is not a whole number of GB from 0 to %d", s, maxCapacity)
	}
	return n, nil
}

func volumeCreate(q *request) error {
	capacity, err := parseCapacity(q.params.Get("capacity"))
	if err != nil {
		return err
	}
	p, err := q.open()
	if err != nil {
		return err
	}
	v, err := p.CreateStorageVolume(q.r.Context(), deltacloud.StorageVolumeSpec{
		Name: q.params.Get("name"), Description: q.params.Get("description"), Capacity: capacity,
		RealmID: q.params.Get("realm_id"), SnapshotID: q.params.Get("snapshot_id"),
	})
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewStorageVolume(q.base, *v)
	return q.created(memberPath(deltacloud.CollectionStorageVolumes, v.ID), doc, func() any { return doc.ShowJSON() },
		"storage_volume", volumePage{StorageVolume: doc})
}

func volumeDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyStorageVolume(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.noContent("/storage_volumes")
	return nil
}

// volumeAttach answers 202 with the volume (HTML: back to its page).
func volumeAttach(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	v, err := p.AttachStorageVolume(q.r.Context(), q.id, q.params.Get("instance_id"), strings.TrimSpace(q.params.Get("device")))
	if err != nil {
		return forbidState(err)
	}
	return q.volumeAction(p, v)
}

// volumeDetach answers 202 with the volume (HTML: back to its page).
func volumeDetach(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	v, err := p.DetachStorageVolume(q.r.Context(), q.id)
	if err != nil {
		return forbidState(err)
	}
	return q.volumeAction(p, v)
}

func (q *request) volumeAction(p *deltacloud.Provider, v *deltacloud.StorageVolume) error {
	if q.format == formatHTML {
		q.redirect(memberPath(deltacloud.CollectionStorageVolumes, v.ID))
		return nil
	}
	return q.renderVolume(http.StatusAccepted, p, v)
}

func volumeNewPage(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	data := formPage{Features: p.Features()}
	if data.Realms, err = p.Realms(q.r.Context()); err != nil {
		return err
	}
	if slices.Contains(p.Collections(), deltacloud.CollectionStorageSnapshots) {
		data.Snapshots, _ = p.StorageSnapshots(q.r.Context())
	}
	return q.render(http.StatusOK, nil, nil, "new_storage_volume", data)
}

func snapshotsIndex(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	ss, err := p.StorageSnapshots(q.r.Context())
	if err != nil {
		return err
	}
	ss = onlyID(q, ss, func(x deltacloud.StorageSnapshot) string { return x.ID })
	doc := wire.NewStorageSnapshots(q.base, ss)
	return q.render(http.StatusOK, doc, func() any { return doc.JSON() }, "storage_snapshots", doc)
}

func snapshotShow(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	s, err := p.StorageSnapshot(q.r.Context(), q.id)
	if err != nil {
		return err
	}
	doc := wire.NewStorageSnapshot(q.base, *s)
	return q.render(http.StatusOK, doc, func() any { return doc.ShowJSON() }, "storage_snapshot", doc)
}

func snapshotCreate(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	s, err := p.CreateStorageSnapshot(q.r.Context(), deltacloud.StorageSnapshotSpec{
		VolumeID: q.params.Get("volume_id"), Name: q.params.Get("name"), Description: q.params.Get("description")})
	if err != nil {
		return forbidState(err)
	}
	doc := wire.NewStorageSnapshot(q.base, *s)
	return q.created(memberPath(deltacloud.CollectionStorageSnapshots, s.ID), doc, func() any { return doc.ShowJSON() }, "storage_snapshot", doc)
}

func snapshotDestroy(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	if err := p.DestroyStorageSnapshot(q.r.Context(), q.id); err != nil {
		return forbidState(err)
	}
	q.noContent("/storage_snapshots")
	return nil
}

func snapshotNewPage(q *request) error {
	p, err := q.open()
	if err != nil {
		return err
	}
	data := formPage{Features: p.Features()}
	if slices.Contains(p.Collections(), deltacloud.CollectionStorageVolumes) {
		if data.Volumes, err = p.StorageVolumes(q.r.Context()); err != nil {
			return err
		}
	}
	if v := q.params.Get("volume_id"); v != "" {
		data.InstanceID = v // preselects the volume
	}
	return q.render(http.StatusOK, nil, nil, "new_storage_snapshot", data)
}
