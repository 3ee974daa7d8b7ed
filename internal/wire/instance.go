package wire

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// Instance is the instance document, elements in the original's
// order:
//
//	<instance href='{B}/instances/inst0' id='inst0'>
//	  <name>…</name>                                    <!-- always, <name></name> when empty -->
//	  <owner_id>…</owner_id>                            <!-- if set -->
//	  <image href id></image><realm href id></realm>    <!-- if set -->
//	  <state>RUNNING</state>
//	  <hardware_profile href id><property kind='fixed' …/></hardware_profile>
//	  <actions><link href method rel />…</actions>
//	  <launch_time>…</launch_time>                      <!-- if set -->
//	  <public_addresses><address type='hostname'>…</address></public_addresses>
//	  <private_addresses>…</private_addresses>
//	  <firewalls><firewall href id></firewall></firewalls> <!-- if set -->
//	  <storage_volumes><storage_volume device href id></storage_volume></storage_volumes>
//	  <authentication type='key'><login><keyname>…</keyname></login></authentication>
//	</instance>
type Instance struct {
	XMLName          struct{}                 `xml:"instance"`
	Href             string                   `xml:"href,attr"`
	ID               string                   `xml:"id,attr"`
	Name             string                   `xml:"name"` // always written, empty too: clients expect every instance to have one
	OwnerID          string                   `xml:"owner_id,omitempty"`
	Image            *Ref                     `xml:"image"`
	Realm            *Ref                     `xml:"realm"`
	State            string                   `xml:"state"`
	HardwareProfile  *InstanceHardwareProfile `xml:"hardware_profile"`
	Actions          Actions                  `xml:"actions"`
	LaunchTime       string                   `xml:"launch_time,omitempty"`
	PublicAddresses  Addresses                `xml:"public_addresses"`
	PrivateAddresses Addresses                `xml:"private_addresses"`
	Firewalls        *Firewalls               `xml:"firewalls"`
	StorageVolumes   StorageVolumes           `xml:"storage_volumes"`
	Authentication   *Authentication          `xml:"authentication"`
}

// Declared reports that the instance document has an XML declaration.
func (Instance) Declared() bool { return true }

// Instances is the instance index document; a create of several instances
// answers it too.
type Instances struct {
	XMLName   struct{}   `xml:"instances"`
	Instances []Instance `xml:"instance"`
}

// Declared reports that the instance index has an XML declaration.
func (Instances) Declared() bool { return true }

// InstanceHardwareProfile is the profile an instance runs with; each
// create-time override is a fixed <property>.
type InstanceHardwareProfile struct {
	Href       string     `xml:"href,attr"`
	ID         string     `xml:"id,attr"`
	Properties []Property `xml:"property"`
}

// Addresses is a list of <address> elements.
type Addresses struct {
	Addresses []Address `xml:"address"`
}

// Address is one address, <address port='5900' type='vnc'>host</address>.
// Port is text so that a document with a malformed port still decodes; Model
// reports it.
type Address struct {
	Port  string `xml:"port,attr,omitempty"`
	Type  string `xml:"type,attr"`
	Value string `xml:",chardata"`
}

// Firewalls lists an instance's firewalls.
type Firewalls struct {
	Firewalls []Ref `xml:"firewall"`
}

// StorageVolumes lists the volumes attached to an instance.
type StorageVolumes struct {
	Volumes []VolumeRef `xml:"storage_volume"`
}

// VolumeRef is an attached volume with its device.
type VolumeRef struct {
	Device string `xml:"device,attr,omitempty"`
	Href   string `xml:"href,attr"`
	ID     string `xml:"id,attr"`
}

// Authentication says how to log in: type 'key' or 'password', with the
// login details when known, or an error when the cloud failed to provide
// them.
type Authentication struct {
	Type  string `xml:"type,attr"`
	Login *Login `xml:"login"`
	Error string `xml:"error,omitempty"`
}

// Login holds a key name, or a user name and password.
type Login struct {
	KeyName  string `xml:"keyname,omitempty"`
	Username string `xml:"username,omitempty"`
	Password *CDATA `xml:"password"`
}

// The instance action link rels besides the lifecycle actions.
const (
	RelRun         = "run"
	RelCreateImage = "create_image"
)

// InstanceOptions says which extra action links an instance document
// carries; they depend on driver capabilities the model's Instance does not
// know.
type InstanceOptions struct {
	// Run adds run: POST {B}/instances/:id/run;id=:id (run_on_instance).
	Run bool
	// CreateImage adds create_image: POST {B}/images;instance_id=:id, for
	// instances whose CanCreateImage is set.
	CreateImage bool
}

// ActionLink is the link of a lifecycle action of instance id: POST
// {B}/instances/:id/<action>, or DELETE {B}/instances/:id for destroy.
func ActionLink(base, id string, a deltacloud.Action) Link {
	return actionLink(memberHref(base, "instances", id), a)
}

// actionLink is ActionLink for the instance at href.
func actionLink(href string, a deltacloud.Action) Link {
	if a == deltacloud.ActionDestroy {
		return Link{Href: href, Method: "delete", Rel: string(a)}
	}
	return Link{Href: href + "/" + url.PathEscape(string(a)), Method: "post", Rel: string(a)}
}

// NewInstance builds the document for in, with hrefs under base. The action
// links are in.Actions in order, then run and create_image as opts allow.
func NewInstance(base string, in deltacloud.Instance, opts InstanceOptions) Instance {
	href := memberHref(base, "instances", in.ID)
	d := Instance{
		Href:       href,
		ID:         in.ID,
		Name:       in.Name,
		OwnerID:    in.Owner,
		State:      string(in.State),
		LaunchTime: FormatTime(in.LaunchTime),
	}
	if in.ImageID != "" {
		d.Image = &Ref{Href: memberHref(base, "images", in.ImageID), ID: in.ImageID}
	}
	if in.RealmID != "" {
		d.Realm = &Ref{Href: memberHref(base, "realms", in.RealmID), ID: in.RealmID}
	}
	if in.Profile.ID != "" || len(in.Profile.Overrides) > 0 {
		hp := &InstanceHardwareProfile{Href: memberHref(base, "hardware_profiles", in.Profile.ID), ID: in.Profile.ID}
		if n := len(in.Profile.Overrides); n > 0 {
			hp.Properties = make([]Property, 0, n)
		}
		for _, name := range sortedKeys(in.Profile.Overrides) {
			hp.Properties = append(hp.Properties, Property{Kind: string(deltacloud.Fixed), Name: name,
				Unit: UnitOf(name), Value: in.Profile.Overrides[name]})
		}
		d.HardwareProfile = hp
	}
	createImage := opts.CreateImage && in.CanCreateImage
	if n := len(in.Actions) + oneIf(opts.Run) + oneIf(createImage); n > 0 {
		d.Actions.Links = make([]Link, 0, n)
	}
	for _, a := range in.Actions {
		d.Actions.Links = append(d.Actions.Links, actionLink(href, a))
	}
	if opts.Run {
		d.Actions.Links = append(d.Actions.Links, Link{
			Href: href + "/run;id=" + url.PathEscape(in.ID), Method: "post", Rel: RelRun})
	}
	if createImage {
		d.Actions.Links = append(d.Actions.Links, Link{
			Href: strings.TrimRight(base, "/") + "/images;instance_id=" + url.PathEscape(in.ID), Method: "post", Rel: RelCreateImage})
	}
	d.PublicAddresses = newAddresses(in.PublicAddresses)
	d.PrivateAddresses = newAddresses(in.PrivateAddresses)
	if in.Firewalls != nil {
		d.Firewalls = &Firewalls{Firewalls: make([]Ref, len(in.Firewalls))}
		for i, id := range in.Firewalls {
			d.Firewalls.Firewalls[i] = Ref{Href: memberHref(base, "firewalls", id), ID: id}
		}
	}
	if n := len(in.StorageVolumes); n > 0 {
		d.StorageVolumes.Volumes = make([]VolumeRef, 0, n)
	}
	for _, v := range in.StorageVolumes {
		d.StorageVolumes.Volumes = append(d.StorageVolumes.Volumes,
			VolumeRef{Device: v.Device, Href: memberHref(base, "storage_volumes", v.VolumeID), ID: v.VolumeID})
	}
	if a := in.Authentication; a != nil {
		d.Authentication = &Authentication{Type: a.Method}
		if a.KeyName != "" || a.Username != "" || a.Password != "" {
			d.Authentication.Login = &Login{KeyName: a.KeyName, Username: a.Username}
			if a.Password != "" {
				d.Authentication.Login.Password = &CDATA{Text: a.Password}
			}
		}
	}
	return d
}

// oneIf is 1 for true, 0 for false.
func oneIf(b bool) int {
	if b {
		return 1
	}
	return 0
}

// newAddresses builds an address list: nil Addresses when there are none.
func newAddresses(as []deltacloud.Address) Addresses {
	var d Addresses
	if len(as) > 0 {
		d.Addresses = make([]Address, 0, len(as))
	}
	for _, a := range as {
		da := Address{Type: string(a.Type), Value: a.Value}
		if a.Port != 0 {
			da.Port = strconv.Itoa(a.Port)
		}
		d.Addresses = append(d.Addresses, da)
	}
	return d
}

// NewInstances builds the index document.
func NewInstances(base string, ins []deltacloud.Instance, opts InstanceOptions) Instances {
	d := Instances{Instances: make([]Instance, len(ins))}
	for i, in := range ins {
		d.Instances[i] = NewInstance(base, in, opts)
	}
	return d
}

// DecodeInstance reads an instance document.
func DecodeInstance(data []byte) (*Instance, error) { return decode[Instance](data) }

// DecodeInstances reads an instance index document.
func DecodeInstances(data []byte) (*Instances, error) { return decode[Instances](data) }

// Model converts the document into the model. The allowed actions are the
// rels of the action links other than run and create_image (never nil, so
// a Provider does not recompute them); CanCreateImage is whether a
// create_image link is present. The links themselves stay in the document
// (see Actions.Find). An unreadable launch time or port is an error.
func (d *Instance) Model() (deltacloud.Instance, error) {
	in := deltacloud.Instance{
		ID:      text(d.ID),
		Name:    text(d.Name),
		Owner:   text(d.OwnerID),
		State:   deltacloud.ParseState(d.State),
		Actions: []deltacloud.Action{},
	}
	if d.Image != nil {
		in.ImageID = text(d.Image.ID)
	}
	if d.Realm != nil {
		in.RealmID = text(d.Realm.ID)
	}
	if hp := d.HardwareProfile; hp != nil {
		in.Profile.ID = text(hp.ID)
		for _, p := range hp.Properties {
			if in.Profile.Overrides == nil {
				in.Profile.Overrides = map[string]string{}
			}
			in.Profile.Overrides[text(p.Name)] = text(p.Value)
		}
	}
	for _, l := range d.Actions.Links {
		switch rel := text(l.Rel); rel {
		case "":
		case RelRun:
		case RelCreateImage:
			in.CanCreateImage = true
		default:
			in.Actions = append(in.Actions, deltacloud.Action(rel))
		}
	}
	t, err := ParseTime(d.LaunchTime)
	if err != nil {
		return deltacloud.Instance{}, fmt.Errorf("wire: instance %q: launch_time: %w", in.ID, err)
	}
	in.LaunchTime = t
	if in.PublicAddresses, err = d.PublicAddresses.model(); err != nil {
		return deltacloud.Instance{}, fmt.Errorf("wire: instance %q: %w", in.ID, err)
	}
	if in.PrivateAddresses, err = d.PrivateAddresses.model(); err != nil {
		return deltacloud.Instance{}, fmt.Errorf("wire: instance %q: %w", in.ID, err)
	}
	if d.Firewalls != nil {
		in.Firewalls = make([]string, len(d.Firewalls.Firewalls))
		for i, f := range d.Firewalls.Firewalls {
			in.Firewalls[i] = text(f.ID)
		}
	}
	for _, v := range d.StorageVolumes.Volumes {
		in.StorageVolumes = append(in.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: text(v.ID), Device: text(v.Device)})
	}
	if a := d.Authentication; a != nil {
		in.Authentication = &deltacloud.Authentication{Method: text(a.Type)}
		if l := a.Login; l != nil {
			in.Authentication.KeyName = text(l.KeyName)
			in.Authentication.Username = text(l.Username)
			if l.Password != nil {
				// A password is taken as is: surrounding spaces may be part of it.
				in.Authentication.Password = l.Password.Text
			}
		}
	}
	return in, nil
}

func (d Addresses) model() ([]deltacloud.Address, error) {
	var out []deltacloud.Address
	for _, a := range d.Addresses {
		ma := deltacloud.Address{Value: text(a.Value), Type: deltacloud.AddressType(text(a.Type))}
		if p := text(a.Port); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 0 || n > 65535 {
				return nil, fmt.Errorf("address %q: port %q is not a port number", ma.Value, p)
			}
			ma.Port = n
		}
		out = append(out, ma)
	}
	return out, nil
}

// Model converts the index into the model.
func (d *Instances) Model() ([]deltacloud.Instance, error) {
	out := make([]deltacloud.Instance, len(d.Instances))
	for i := range d.Instances {
		in, err := d.Instances[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = in
	}
	return out, nil
}

// InstanceJSON is the instance's JSON form. Note "owner" where
// the XML has owner_id, create_time for launch_time, and create_image true
// when the document has a create_image link.
type InstanceJSON struct {
	ID                 string               `json:"id"`
	Href               string               `json:"href"`
	Name               string               `json:"name"`
	State              string               `json:"state"`
	Owner              string               `json:"owner"`
	Image              *RefJSON             `json:"image,omitempty"`
	Realm              *RefJSON             `json:"realm,omitempty"`
	Actions            []LinkJSON           `json:"actions"`
	HardwareProfile    *InstanceProfileJSON `json:"hardware_profile,omitempty"`
	PublicAddresses    []AddressJSON        `json:"public_addresses"`
	PrivateAddresses   []AddressJSON        `json:"private_addresses"`
	CreateTime         string               `json:"create_time,omitempty"`
	CreateImage        bool                 `json:"create_image,omitempty"`
	Firewalls          []RefJSON            `json:"firewalls,omitempty"`
	StorageVolumes     []RefJSON            `json:"storage_volumes"`
	AuthenticationType string               `json:"authentication_type,omitempty"`
	Authentication     *AuthenticationJSON  `json:"authentication,omitempty"`
}

// InstanceProfileJSON is an instance's profile in JSON, with its overrides.
type InstanceProfileJSON struct {
	ID         string         `json:"id"`
	Href       string         `json:"href"`
	Rel        string         `json:"rel"`
	Properties PropertyValues `json:"properties"`
}

// AddressJSON is an address in JSON: {address, type[, port]}.
type AddressJSON struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	Port    Number `json:"port,omitempty"`
}

// AuthenticationJSON is the login in JSON: {keyname} or {user, password}.
type AuthenticationJSON struct {
	KeyName  string `json:"keyname,omitempty"`
	User     string `json:"user,omitempty"`
	Password string `json:"password,omitempty"`
}

// InstancesJSON is the index's JSON form, {"instances":[…]}.
type InstancesJSON struct {
	Instances []InstanceJSON `json:"instances"`
}

// InstanceShowJSON is the show and create JSON form, {"instance":{…}}.
// Instance actions answer the bare InstanceJSON instead.
type InstanceShowJSON struct {
	Instance InstanceJSON `json:"instance"`
}

// JSON returns the instance's JSON form.
func (d Instance) JSON() InstanceJSON {
	j := InstanceJSON{
		ID: d.ID, Href: d.Href, Name: d.Name, State: d.State, Owner: d.OwnerID,
		Actions:          make([]LinkJSON, len(d.Actions.Links)),
		PublicAddresses:  addressesJSON(d.PublicAddresses),
		PrivateAddresses: addressesJSON(d.PrivateAddresses),
		CreateTime:       d.LaunchTime,
		StorageVolumes:   make([]RefJSON, len(d.StorageVolumes.Volumes)),
	}
	if d.Image != nil {
		j.Image = &RefJSON{ID: d.Image.ID, Href: d.Image.Href, Rel: "image"}
	}
	if d.Realm != nil {
		j.Realm = &RefJSON{ID: d.Realm.ID, Href: d.Realm.Href, Rel: "realm"}
	}
	for i, l := range d.Actions.Links {
		j.Actions[i] = LinkJSON{Href: l.Href, Rel: l.Rel, Method: l.Method}
		if l.Rel == RelCreateImage {
			j.CreateImage = true
		}
	}
	if hp := d.HardwareProfile; hp != nil {
		j.HardwareProfile = &InstanceProfileJSON{ID: hp.ID, Href: hp.Href, Rel: "hardware_profile",
			Properties: make(PropertyValues, 0, len(hp.Properties))}
		for _, p := range hp.Properties {
			j.HardwareProfile.Properties = append(j.HardwareProfile.Properties, PropertyValue{Name: p.Name, Value: p.Value})
		}
	}
	if d.Firewalls != nil {
		if n := len(d.Firewalls.Firewalls); n > 0 {
			j.Firewalls = make([]RefJSON, 0, n)
		}
		for _, f := range d.Firewalls.Firewalls {
			j.Firewalls = append(j.Firewalls, RefJSON{ID: f.ID, Href: f.Href, Rel: "firewall"})
		}
	}
	for i, v := range d.StorageVolumes.Volumes {
		j.StorageVolumes[i] = RefJSON{ID: v.ID, Href: v.Href, Rel: "storage_volume"}
	}
	if a := d.Authentication; a != nil {
		j.AuthenticationType = a.Type
		if l := a.Login; l != nil {
			j.Authentication = &AuthenticationJSON{KeyName: l.KeyName, User: l.Username}
			if l.Password != nil {
				j.Authentication.Password = l.Password.Text
			}
		}
	}
	return j
}

func addressesJSON(d Addresses) []AddressJSON {
	out := make([]AddressJSON, len(d.Addresses))
	for i, a := range d.Addresses {
		out[i] = AddressJSON{Address: a.Value, Type: a.Type, Port: Number(a.Port)}
	}
	return out
}

// ShowJSON returns the show and create JSON form.
func (d Instance) ShowJSON() InstanceShowJSON { return InstanceShowJSON{Instance: d.JSON()} }

// JSON returns the index's JSON form.
func (d Instances) JSON() InstancesJSON {
	j := InstancesJSON{Instances: make([]InstanceJSON, len(d.Instances))}
	for i := range d.Instances {
		j.Instances[i] = d.Instances[i].JSON()
	}
	return j
}
