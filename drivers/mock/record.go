package mock

import (
	"maps"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// record is one mock instance as stored, in memory and on disk.
type record struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Owner     string            `json:"owner"`
	ImageID   string            `json:"image_id"`
	RealmID   string            `json:"realm_id"`
	ProfileID string            `json:"profile_id"`
	Overrides map[string]string `json:"overrides,omitempty"`
	State     deltacloud.State  `json:"state"`
	KeyName   string            `json:"keyname,omitempty"`
	UserData  []byte            `json:"user_data,omitempty"`
	Metrics   bool              `json:"metrics,omitempty"`
	// CreateImage says whether an image can be made from the instance.
	CreateImage bool `json:"create_image"`
	// AddressImage is the image id the host names are built from; the
	// fixtures' inst1 uses img1 although it runs img3.
	AddressImage string    `json:"address_image"`
	LaunchTime   time.Time `json:"launch_time,omitzero"`
	// A PENDING instance becomes RUNNING once PendingUntil has passed and it
	// has been read PendingPolls more times.
	PendingUntil time.Time `json:"pending_until,omitzero"`
	PendingPolls int       `json:"pending_polls,omitempty"`
	// ClientToken and SpecDigest are the idempotency token the instance
	// was created with and the digest of that create's spec. They are
	// stored with the instance itself, so a crash after the instance was
	// written but before its token record still remembers the token.
	ClientToken string `json:"client_token,omitempty"`
	SpecDigest  string `json:"spec_digest,omitempty"`
	// Tags are the portable tags the instance was created with.
	Tags map[string]string `json:"tags,omitempty"`

	// publicHost and privateHost are the host names built from
	// AddressImage and ID, made on the first render (under the cloud's
	// lock) rather than on every listing.
	publicHost, privateHost string
}

// render writes the record in the portable model into in, a zero Instance
// that a listing has in place in its result (copying a rendered instance into the result
// was a good part of a large listing's cost).
func (r *record) render(in *deltacloud.Instance, b *parts) {
	if r.publicHost == "" {
		host := r.AddressImage + "." + r.ID
		r.publicHost, r.privateHost = host+".public.com", host+".private.com"
	}
	// Field by field: in is zero, and assigning a whole composite literal
	// would build it aside and copy it in.
	in.ID, in.Name, in.Owner = r.ID, r.Name, r.Owner
	in.ImageID, in.RealmID = r.ImageID, r.RealmID
	in.Profile.ID = r.ProfileID
	if r.Overrides != nil {
		in.Profile.Overrides = maps.Clone(r.Overrides)
	}
	in.State = r.State
	in.Actions = b.actions(r.State)
	in.PublicAddresses = b.address(r.publicHost, deltacloud.AddressHostname)
	in.PrivateAddresses = b.address(r.privateHost, deltacloud.AddressHostname)
	in.LaunchTime = r.LaunchTime
	in.Authentication = b.keyAuthentication(r.KeyName)
	in.CanCreateImage = r.CreateImage
	if r.Tags != nil {
		in.Tags = maps.Clone(r.Tags)
	}
}

// settle applies the automatic pending→running transition on a read and
// reports whether the record changed.
func (r *record) settle(now time.Time) bool {
	if r.State != deltacloud.StatePending {
		return false
	}
	if r.PendingPolls > 0 {
		r.PendingPolls--
	}
	if r.PendingPolls == 0 && !now.Before(r.PendingUntil) {
		r.State = deltacloud.StateRunning
		r.PendingUntil = time.Time{}
	}
	return true
}
