package deltacloud

import (
	"context"
	"slices"
	"time"
)

// OwnerSelf in an owner filter means the authenticated account.
const OwnerSelf = "self"

// AddressType says what an Address holds.
type AddressType string

// The address types of the Deltacloud API.
const (
	AddressIPv4        AddressType = "ipv4"
	AddressIPv6        AddressType = "ipv6"
	AddressHostname    AddressType = "hostname"
	AddressMAC         AddressType = "mac"
	AddressVNC         AddressType = "vnc"
	AddressUnavailable AddressType = "unavailable"
)

// Address is one network address of an instance.
type Address struct {
	Value string
	Type  AddressType
	// Port is set when the cloud names one (VNC consoles); 0 otherwise.
	Port int
}

// InstanceProfile is the hardware profile an instance runs with.
type InstanceProfile struct {
	ID string
	// Overrides are the property values chosen at create time, in canonical
	// form (e.g. {"memory": "12288"}).
	Overrides map[string]string
}

// Authentication says how to log in to an instance.
type Authentication struct {
	// Method is "key" or "password".
	Method   string
	KeyName  string
	Username string
	Password string
}

// VolumeAttachment is a storage volume attached to an instance.
type VolumeAttachment struct {
	VolumeID string
	Device   string
}

// Instance is a virtual machine.
type Instance struct {
	ID      string
	Name    string
	Owner   string
	ImageID string
	RealmID string
	Profile InstanceProfile
	State   State
	// Actions are the actions allowed in the current state, in the order of
	// the driver's state machine. A Provider always fills them.
	Actions          []Action
	PublicAddresses  []Address
	PrivateAddresses []Address
	LaunchTime       time.Time
	// Authentication is nil when the cloud reports no login method.
	Authentication *Authentication
	Firewalls      []string
	StorageVolumes []VolumeAttachment
	// CanCreateImage reports whether an image can be made from the instance.
	CanCreateImage bool
	// Extra holds driver-specific facts (e.g. EC2's "root_device_type"),
	// by name; the portable model does not interpret them.
	Extra map[string]string
	// Tags are the instance's tags (see tags.go): those it was created
	// with, and those the cloud shows (EC2's Name); nil when it has none.
	Tags map[string]string
}

// Can reports whether action a is allowed now.
func (in *Instance) Can(a Action) bool { return slices.Contains(in.Actions, a) }

// InstanceFilter narrows an instance listing; empty fields match everything.
// Realm needs the realm_filter feature.
type InstanceFilter struct {
	ID    string
	State State
	Realm string
	// Owner selects another owner's instances where the cloud scopes
	// listings to the caller (the mock does).
	Owner string
	// TagKey, when set, keeps the instances carrying the tag TagKey with
	// the value TagValue (which may be empty); a driver may send it to the
	// cloud (EC2 does). One tag keeps the filter comparable.
	TagKey, TagValue string
}

// Match reports whether in passes the filter (Owner "self" is left to the
// driver, which knows who that is).
func (f InstanceFilter) Match(in Instance) bool {
	return (f.ID == "" || in.ID == f.ID) &&
		(f.State == "" || in.State == f.State) &&
		(f.Realm == "" || in.RealmID == f.Realm) &&
		(f.Owner == "" || f.Owner == OwnerSelf || in.Owner == f.Owner) &&
		matchTag(in.Tags, f.TagKey, f.TagValue)
}

// SnapshotAttachment attaches a storage snapshot at boot (EC2 block device
// mapping).
type SnapshotAttachment struct {
	SnapshotID string
	Device     string
}

// InstanceSpec describes instances to create. Only ImageID is required; an
// empty realm or profile lets the driver choose. Fields that belong to a
// feature are refused with ErrNotSupported when the provider does not
// advertise that feature, rather than silently ignored.
type InstanceSpec struct {
	ImageID string
	RealmID string
	// ProfileID selects the hardware profile; Properties override its range
	// and enum properties by name ("cpu", "memory", "storage", …).
	ProfileID  string
	Properties map[string]string
	// Name needs the user_name feature. An empty Name lets the driver
	// choose one (the mock's i-<unix time>), unless NameSet is true.
	Name string
	// NameSet says the caller gave Name even when it is empty: an instance
	// asked for with the empty name and NameSet is created without a name,
	// as the original server did for a name= parameter with no value.
	// The zero value keeps the meaning Name had before the field existed.
	NameSet bool
	// KeyName needs the authentication_key feature.
	KeyName string
	// Password needs the authentication_password feature.
	Password string
	// UserData (raw bytes, not base64) needs the user_data feature.
	UserData []byte
	// Firewalls needs the firewalls feature.
	Firewalls []string
	// Count is how many identical instances to launch; zero means one, more
	// than one needs the instance_count feature.
	Count int
	// Metrics enables detailed monitoring; needs the metrics feature.
	Metrics bool
	// Snapshot needs the attach_snapshot feature.
	Snapshot *SnapshotAttachment
	// Tags are written on the instances as the cloud's tags; they must be
	// within the portable bounds (CheckTags) and need a driver that writes
	// them (InstanceTagger).
	Tags map[string]string
	// Options are driver-specific create parameters (e.g. the mock's
	// "initial_state", EC2's "subnet_id"). A driver rejects keys it does not
	// know with ErrInvalidArgument.
	Options map[string]string
	// ClientToken, when set, makes the create idempotent: repeating it with
	// the same token and spec (a retry after a timeout or an Unavailable
	// answer) returns the instances the first create made instead of
	// launching more, and reusing the token for a different spec is
	// ErrConflict. At most MaxClientTokenLen printable ASCII characters.
	// A provider that cannot honour it (Provider.SupportsClientToken is
	// false) refuses the create with ErrNotSupported rather than risk
	// launching twice.
	ClientToken string
}

// Instances lists instances. A filter by realm is the cloud's own where
// the driver advertises realm_filter; otherwise the Provider keeps the
// instances of that realm from the full listing (every instance says its
// realm), rather than refusing a filter it can apply itself.
func (p *Provider) Instances(ctx context.Context, f InstanceFilter) ([]Instance, error) {
	df := f
	if !p.features.Has(FeatureRealmFilter) {
		df.Realm = "" // the driver lists every realm's; Match below keeps f.Realm's
	}
	var ins []Instance
	err := p.call(ctx, "Instances", f.ID, func() (err error) {
		ins, err = p.conn.Instances(ctx, df)
		return err
	})
	if err != nil {
		return nil, err
	}
	if f != (InstanceFilter{}) {
		ins = slices.DeleteFunc(ins, func(in Instance) bool { return !f.Match(in) })
	}
	for i := range ins {
		p.complete(&ins[i])
	}
	return ins, nil
}

// Instance returns one instance; an unknown id is ErrNotFound.
func (p *Provider) Instance(ctx context.Context, id string) (*Instance, error) {
	if id == "" {
		return nil, argErr("Instance", "instance id is empty")
	}
	if g, ok := p.conn.(InstanceGetter); ok {
		var in *Instance
		err := p.call(ctx, "Instance", id, func() (err error) {
			in, err = g.Instance(ctx, id)
			return err
		})
		if err != nil {
			return nil, err
		}
		p.complete(in)
		return in, nil
	}
	ins, err := p.Instances(ctx, InstanceFilter{ID: id})
	if err != nil {
		return nil, err
	}
	return findByID(ins, "Instance", id, func(i Instance) string { return i.ID })
}

// complete fills what the driver may leave out: the allowed actions come from
// the state machine unless the driver computed them itself.
func (p *Provider) complete(in *Instance) {
	if in != nil && in.Actions == nil {
		in.Actions = p.lifecycle.Actions(in.State)
	}
}
