package wire

import (
	"fmt"
	"strconv"

	"github.com/deltacloud-go/deltacloud"
)

// StorageVolume is the storage volume document:
//
//	<storage_volume href='{B}/storage_volumes/vol3' id='vol3'>
//	  <created>Thu Jul 30 14:35:11 UTC 2009</created><capacity unit='GB'>1</capacity>
//	  <kind>…</kind>                                  <!-- if set -->
//	  <name>vol3</name>                               <!-- name, else id -->
//	  <device>/dev/sda1</device>                      <!-- if set -->
//	  <realm href id></realm><realm_id>us</realm_id>  <!-- if realm -->
//	  <state>IN-USE</state>
//	  <mount><instance href id></instance><device name='/dev/sda1'></device></mount> <!-- if attached -->
//	  <actions><link href='{B}/storage_volumes/vol3/detach' method='post' rel='detach' /></actions>
//	</storage_volume>
//
// The XML has no description (the JSON form has), so Model leaves it
// empty.
type StorageVolume struct {
	XMLName  struct{}        `xml:"storage_volume"`
	Href     string          `xml:"href,attr"`
	ID       string          `xml:"id,attr"`
	Created  string          `xml:"created"`
	Capacity *VolumeCapacity `xml:"capacity"`
	Kind     string          `xml:"kind,omitempty"`
	Name     string          `xml:"name"`
	Device   string          `xml:"device,omitempty"`
	Realm    *Ref            `xml:"realm"`
	RealmID  string          `xml:"realm_id,omitempty"`
	State    string          `xml:"state"`
	Mount    *Mount          `xml:"mount"`
	Actions  *Actions        `xml:"actions"`
	// Description is carried by the JSON form only.
	Description string `xml:"-"`
}

// Declared reports that the volume document has an XML declaration.
func (StorageVolume) Declared() bool { return true }

// StorageVolumeList is the storage volume index document,
// <storage_volumes>. (StorageVolumes is an instance's list of attached
// volumes.)
type StorageVolumeList struct {
	XMLName struct{}        `xml:"storage_volumes"`
	Volumes []StorageVolume `xml:"storage_volume"`
}

// Declared reports that the volume index has an XML declaration.
func (StorageVolumeList) Declared() bool { return true }

// VolumeCapacity is <capacity unit='GB'>1</capacity>.
type VolumeCapacity struct {
	Unit  string `xml:"unit,attr"`
	Value string `xml:",chardata"`
}

// Mount says where a volume is attached:
// <mount><instance href id></instance><device name='/dev/sda1'></device></mount>.
type Mount struct {
	Instance *Ref         `xml:"instance"`
	Device   *MountDevice `xml:"device"`
}

// MountDevice is the device of a mount, <device name='/dev/sda1'>.
type MountDevice struct {
	Name string `xml:"name,attr"`
}

// The volume action rels, which are also the action routes' trailing path
// segments (POST {B}/storage_volumes/:id/attach).
const (
	RelAttach = "attach"
	RelDetach = "detach"
)

// VolumeActions are the actions a volume in state s allows: an available
// volume can be attached or destroyed, an attached one detached.
func VolumeActions(v deltacloud.StorageVolume) []string {
	switch {
	case v.Attached():
		return []string{RelDetach}
	case v.State == deltacloud.VolumeAvailable:
		return []string{RelAttach, RelDestroy}
	case v.State == deltacloud.VolumeError:
		return []string{RelDestroy}
	}
	return nil
}

// NewStorageVolume builds the document for v, with hrefs under base. The
// action links are VolumeActions(v).
func NewStorageVolume(base string, v deltacloud.StorageVolume) StorageVolume {
	href := memberHref(base, "storage_volumes", v.ID)
	d := StorageVolume{
		Href:        href,
		ID:          v.ID,
		Created:     FormatTime(v.Created),
		Capacity:    &VolumeCapacity{Unit: "GB", Value: strconv.Itoa(v.Capacity)},
		Kind:        v.Kind,
		Name:        v.Name,
		Device:      v.Device,
		State:       string(v.State),
		Description: v.Description,
	}
	if d.Name == "" {
		d.Name = v.ID
	}
	if v.RealmID != "" {
		d.Realm = &Ref{Href: memberHref(base, "realms", v.RealmID), ID: v.RealmID}
		d.RealmID = v.RealmID
	}
	if v.InstanceID != "" {
		d.Mount = &Mount{Instance: &Ref{Href: memberHref(base, "instances", v.InstanceID), ID: v.InstanceID}}
		if v.Device != "" {
			d.Mount.Device = &MountDevice{Name: v.Device}
		}
	}
	if acts := VolumeActions(v); len(acts) > 0 {
		d.Actions = &Actions{Links: make([]Link, len(acts))}
		for i, a := range acts {
			if a == RelDestroy {
				d.Actions.Links[i] = Link{Href: href, Method: "delete", Rel: a}
			} else {
				d.Actions.Links[i] = Link{Href: href + "/" + a, Method: "post", Rel: a}
			}
		}
	}
	return d
}

// NewStorageVolumes builds the index document.
func NewStorageVolumes(base string, vs []deltacloud.StorageVolume) StorageVolumeList {
	d := StorageVolumeList{Volumes: make([]StorageVolume, len(vs))}
	for i, v := range vs {
		d.Volumes[i] = NewStorageVolume(base, v)
	}
	return d
}

// DecodeStorageVolume reads a volume document.
func DecodeStorageVolume(data []byte) (*StorageVolume, error) { return decode[StorageVolume](data) }

// DecodeStorageVolumes reads a volume index document.
func DecodeStorageVolumes(data []byte) (*StorageVolumeList, error) {
	return decode[StorageVolumeList](data)
}

// Model converts the document into the model. A capacity that is not a
// whole number of GB, or a creation time ParseTime cannot read, is an
// error. The device is the mount's, else <device>.
func (d *StorageVolume) Model() (deltacloud.StorageVolume, error) {
	v := deltacloud.StorageVolume{
		ID:          text(d.ID),
		Name:        text(d.Name),
		Description: d.Description,
		Kind:        text(d.Kind),
		State:       deltacloud.VolumeState(text(d.State)),
		RealmID:     text(d.RealmID),
		Device:      text(d.Device),
	}
	if v.Name == "" {
		// The document's name falls back to the id.
		v.Name = v.ID
	}
	if d.Realm != nil && text(d.Realm.ID) != "" {
		v.RealmID = text(d.Realm.ID)
	}
	if c := d.Capacity; c != nil && text(c.Value) != "" {
		n, err := strconv.Atoi(text(c.Value))
		if err != nil || n < 0 {
			return deltacloud.StorageVolume{}, fmt.Errorf("wire: storage volume %q: capacity %q is not a number of GB", v.ID, c.Value)
		}
		v.Capacity = n
	}
	t, err := ParseTime(d.Created)
	if err != nil {
		return deltacloud.StorageVolume{}, fmt.Errorf("wire: storage volume %q: created: %w", v.ID, err)
	}
	v.Created = t
	if m := d.Mount; m != nil {
		if m.Instance != nil {
			v.InstanceID = text(m.Instance.ID)
		}
		if m.Device != nil && text(m.Device.Name) != "" {
			v.Device = text(m.Device.Name)
		}
	}
	return v, nil
}

// Model converts the index into the model.
func (d *StorageVolumeList) Model() ([]deltacloud.StorageVolume, error) {
	out := make([]deltacloud.StorageVolume, len(d.Volumes))
	for i := range d.Volumes {
		v, err := d.Volumes[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// StorageVolumeJSON is the volume's JSON form. Realm and
// instance are {} when the volume has none.
type StorageVolumeJSON struct {
	ID          string        `json:"id"`
	Href        string        `json:"href"`
	Name        string        `json:"name"`
	Description NullString    `json:"description"`
	State       string        `json:"state"`
	Created     string        `json:"created"`
	Realm       OptRefJSON    `json:"realm"`
	Device      NullString    `json:"device"`
	Kind        NullString    `json:"kind"`
	Capacity    Number        `json:"capacity"`
	Actions     []RelLinkJSON `json:"actions"`
	Instance    OptRefJSON    `json:"instance"`
}

// OptRefJSON is a reference that may be absent, written {} then.
type OptRefJSON struct {
	ID   string `json:"id,omitempty"`
	Href string `json:"href,omitempty"`
	Rel  string `json:"rel,omitempty"`
}

// RelLinkJSON is an action link in the volume's JSON form: {href, rel}.
type RelLinkJSON struct {
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// StorageVolumesJSON is the index's JSON form, {"storage_volumes":[…]}.
type StorageVolumesJSON struct {
	StorageVolumes []StorageVolumeJSON `json:"storage_volumes"`
}

// StorageVolumeShowJSON is the show, create, attach and detach JSON form,
// {"storage_volume":{…}}.
type StorageVolumeShowJSON struct {
	StorageVolume StorageVolumeJSON `json:"storage_volume"`
}

// JSON returns the volume's JSON form.
func (d StorageVolume) JSON() StorageVolumeJSON {
	j := StorageVolumeJSON{ID: d.ID, Href: d.Href, Name: d.Name, Description: NullString(d.Description), State: d.State,
		Created: d.Created, Device: NullString(d.Device), Kind: NullString(d.Kind), Actions: []RelLinkJSON{}}
	if d.Capacity != nil {
		j.Capacity = Number(d.Capacity.Value)
	}
	if d.Realm != nil {
		j.Realm = OptRefJSON{ID: d.Realm.ID, Href: d.Realm.Href, Rel: "realm"}
	}
	if d.Actions != nil {
		for _, l := range d.Actions.Links {
			j.Actions = append(j.Actions, RelLinkJSON{Href: l.Href, Rel: l.Rel})
		}
	}
	if m := d.Mount; m != nil {
		if m.Instance != nil {
			j.Instance = OptRefJSON{ID: m.Instance.ID, Href: m.Instance.Href, Rel: "instance"}
		}
		if m.Device != nil && j.Device == "" {
			j.Device = NullString(m.Device.Name)
		}
	}
	return j
}

// ShowJSON returns the show JSON form.
func (d StorageVolume) ShowJSON() StorageVolumeShowJSON {
	return StorageVolumeShowJSON{StorageVolume: d.JSON()}
}

// JSON returns the index's JSON form.
func (d StorageVolumeList) JSON() StorageVolumesJSON {
	j := StorageVolumesJSON{StorageVolumes: make([]StorageVolumeJSON, len(d.Volumes))}
	for i := range d.Volumes {
		j.StorageVolumes[i] = d.Volumes[i].JSON()
	}
	return j
}
