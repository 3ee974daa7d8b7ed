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
}

// instance renders the record in the portable model.
func (r *record) instance() deltacloud.Instance {
	host := r.AddressImage + "." + r.ID
	return deltacloud.Instance{
		ID:               r.ID,
		Name:             r.Name,
		Owner:            r.Owner,
		ImageID:          r.ImageID,
		RealmID:          r.RealmID,
		Profile:          deltacloud.InstanceProfile{ID: r.ProfileID, Overrides: maps.Clone(r.Overrides)},
		State:            r.State,
		Actions:          lifecycle.Actions(r.State),
		PublicAddresses:  []deltacloud.Address{{Value: host + ".public.com", Type: deltacloud.AddressHostname}},
		PrivateAddresses: []deltacloud.Address{{Value: host + ".private.com", Type: deltacloud.AddressHostname}},
		LaunchTime:       r.LaunchTime,
		Authentication:   &deltacloud.Authentication{Method: "key", KeyName: r.KeyName},
		CanCreateImage:   r.CreateImage,
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
