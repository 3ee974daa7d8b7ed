package wire

import (
	"fmt"

	"github.com/deltacloud-go/deltacloud"
)

// StorageSnapshot is the storage snapshot document:
//
//	<storage_snapshot href='{B}/storage_snapshots/snap1' id='snap1'><name>snap1</name>
//	  <created>Wed Jul 29 18:15:24 UTC 2009</created>
//	  <storage_volume href='{B}/storage_volumes/vol1' id='vol1'></storage_volume></storage_snapshot>
//
// <name> always holds the id and the state is not rendered, as in the
// original; the JSON form carries the state.
type StorageSnapshot struct {
	XMLName       struct{} `xml:"storage_snapshot"`
	Href          string   `xml:"href,attr"`
	ID            string   `xml:"id,attr"`
	Name          string   `xml:"name"`
	Created       string   `xml:"created"`
	StorageVolume *Ref     `xml:"storage_volume"`
	// State is carried by the JSON form only.
	State string `xml:"-"`
}

// Declared reports that the snapshot document has an XML declaration.
func (StorageSnapshot) Declared() bool { return true }

// StorageSnapshots is the snapshot index document.
type StorageSnapshots struct {
	XMLName   struct{}          `xml:"storage_snapshots"`
	Snapshots []StorageSnapshot `xml:"storage_snapshot"`
}

// Declared reports that the snapshot index has an XML declaration.
func (StorageSnapshots) Declared() bool { return true }

// NewStorageSnapshot builds the document for s, with hrefs under base.
func NewStorageSnapshot(base string, s deltacloud.StorageSnapshot) StorageSnapshot {
	d := StorageSnapshot{
		Href:    memberHref(base, "storage_snapshots", s.ID),
		ID:      s.ID,
		Name:    s.ID,
		Created: FormatTime(s.Created),
		State:   string(s.State),
	}
	if s.VolumeID != "" {
		d.StorageVolume = &Ref{Href: memberHref(base, "storage_volumes", s.VolumeID), ID: s.VolumeID}
	}
	return d
}

// NewStorageSnapshots builds the index document.
func NewStorageSnapshots(base string, ss []deltacloud.StorageSnapshot) StorageSnapshots {
	d := StorageSnapshots{Snapshots: make([]StorageSnapshot, len(ss))}
	for i, s := range ss {
		d.Snapshots[i] = NewStorageSnapshot(base, s)
	}
	return d
}

// DecodeStorageSnapshot reads a snapshot document.
func DecodeStorageSnapshot(data []byte) (*StorageSnapshot, error) {
	return decode[StorageSnapshot](data)
}

// DecodeStorageSnapshots reads a snapshot index document.
func DecodeStorageSnapshots(data []byte) (*StorageSnapshots, error) {
	return decode[StorageSnapshots](data)
}

// Model converts the document into the model. The document has no name or
// description of the snapshot's own: Name is left empty. A creation time
// ParseTime cannot read is an error.
func (d *StorageSnapshot) Model() (deltacloud.StorageSnapshot, error) {
	s := deltacloud.StorageSnapshot{ID: text(d.ID), State: deltacloud.SnapshotState(text(d.State))}
	if d.StorageVolume != nil {
		s.VolumeID = text(d.StorageVolume.ID)
	}
	t, err := ParseTime(d.Created)
	if err != nil {
		return deltacloud.StorageSnapshot{}, fmt.Errorf("wire: storage snapshot %q: created: %w", s.ID, err)
	}
	s.Created = t
	return s, nil
}

// Model converts the index into the model.
func (d *StorageSnapshots) Model() ([]deltacloud.StorageSnapshot, error) {
	out := make([]deltacloud.StorageSnapshot, len(d.Snapshots))
	for i := range d.Snapshots {
		s, err := d.Snapshots[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

// StorageSnapshotJSON is the snapshot's JSON form: {id, href, state,
// storage_volume, created}.
type StorageSnapshotJSON struct {
	ID            string     `json:"id"`
	Href          string     `json:"href"`
	State         string     `json:"state"`
	StorageVolume OptRefJSON `json:"storage_volume"`
	Created       string     `json:"created"`
}

// StorageSnapshotsJSON is the index's JSON form, {"storage_snapshots":[…]}.
type StorageSnapshotsJSON struct {
	StorageSnapshots []StorageSnapshotJSON `json:"storage_snapshots"`
}

// StorageSnapshotShowJSON is the show and create JSON form,
// {"storage_snapshot":{…}}.
type StorageSnapshotShowJSON struct {
	StorageSnapshot StorageSnapshotJSON `json:"storage_snapshot"`
}

// JSON returns the snapshot's JSON form.
func (d StorageSnapshot) JSON() StorageSnapshotJSON {
	j := StorageSnapshotJSON{ID: d.ID, Href: d.Href, State: d.State, Created: d.Created}
	if v := d.StorageVolume; v != nil {
		j.StorageVolume = OptRefJSON{ID: v.ID, Href: v.Href, Rel: "storage_volume"}
	}
	return j
}

// ShowJSON returns the show and create JSON form.
func (d StorageSnapshot) ShowJSON() StorageSnapshotShowJSON {
	return StorageSnapshotShowJSON{StorageSnapshot: d.JSON()}
}

// JSON returns the index's JSON form.
func (d StorageSnapshots) JSON() StorageSnapshotsJSON {
	j := StorageSnapshotsJSON{StorageSnapshots: make([]StorageSnapshotJSON, len(d.Snapshots))}
	for i := range d.Snapshots {
		j.StorageSnapshots[i] = d.Snapshots[i].JSON()
	}
	return j
}
