package mock

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/deltacloud-go/deltacloud"
)

// tokenRecord is what the cloud remembers of a create made with a client
// token: the digest of its spec and the instances it made, and enough of
// the spec to describe an instance destroyed since. It is stored in the
// client_tokens directory, so a restarted cloud honours tokens it was
// given before, including for instances destroyed since (as EC2 answers a
// retried RunInstances with the terminated instances).
type tokenRecord struct {
	Owner     string   `json:"owner"`
	Token     string   `json:"token"`
	Digest    string   `json:"digest"`
	IDs       []string `json:"ids"`
	Name      string   `json:"name,omitempty"`
	ImageID   string   `json:"image_id"`
	RealmID   string   `json:"realm_id"`
	ProfileID string   `json:"profile_id"`
}

// tokenKey names a token record: tokens are per owner, as EC2's are per
// account. The owner's length comes first, so no owner and token pair
// spells another's.
func tokenKey(owner, token string) string {
	return strconv.Itoa(len(owner)) + ":" + owner + token
}

func (t *tokenRecord) key() string { return tokenKey(t.Owner, t.Token) }

// SupportsClientToken reports that the mock honours client tokens.
func (c *conn) SupportsClientToken() bool { return true }

// replay answers a create whose token the owner used before: the first
// create's instances (destroyed ones in state FINISH) when the spec is
// the same, ErrConflict when it differs. ok is false when the spec has no
// token or the token is new. The caller holds c.mu.
func (c *Cloud) replay(owner string, spec deltacloud.InstanceSpec) (ins []deltacloud.Instance, ok bool, err error) {
	if spec.ClientToken == "" {
		return nil, false, nil
	}
	t := c.tokens[tokenKey(owner, spec.ClientToken)]
	if t == nil {
		return nil, false, nil
	}
	if t.Digest != deltacloud.SpecDigest(spec) {
		return nil, true, &deltacloud.Error{Code: deltacloud.Conflict, Message: fmt.Sprintf(
			"client token %q was used for a different create (instances %v); use a new token for a new request", spec.ClientToken, t.IDs)}
	}
	v, b := c.view(), newParts(len(t.IDs))
	for _, id := range t.IDs {
		r, err := c.lookup(id)
		if err != nil {
			ins = append(ins, deltacloud.Instance{ID: id, Name: t.Name, Owner: owner, ImageID: t.ImageID, RealmID: t.RealmID,
				Profile: deltacloud.InstanceProfile{ID: t.ProfileID}, State: deltacloud.StateFinish, Actions: []deltacloud.Action{}})
			continue
		}
		ins = append(ins, c.render(r, v, b))
	}
	return ins, true, nil
}

// remember stores the token of a create that made ids. The caller holds
// c.mu.
func (c *Cloud) remember(owner string, spec deltacloud.InstanceSpec, digest, name string, cp createParams, ids []string) error {
	if spec.ClientToken == "" {
		return nil
	}
	t := &tokenRecord{Owner: owner, Token: spec.ClientToken, Digest: digest, IDs: ids, Name: name,
		ImageID: spec.ImageID, RealmID: cp.realm, ProfileID: cp.profile}
	if err := c.save(dirTokens, t.key(), t); err != nil {
		return err
	}
	c.tokens[t.key()] = t
	return nil
}

// indexTokens builds the token index from the stored token records and
// the tokens the instances carry, which cover a crash between writing a
// create's instances and its token record.
func indexTokens(ts []*tokenRecord, rs []*record) map[string]*tokenRecord {
	m := make(map[string]*tokenRecord, len(ts))
	for _, t := range ts {
		m[t.key()] = t
	}
	for _, r := range rs {
		if r.ClientToken == "" {
			continue
		}
		k := tokenKey(r.Owner, r.ClientToken)
		t := m[k]
		if t == nil {
			t = &tokenRecord{Owner: r.Owner, Token: r.ClientToken, Digest: r.SpecDigest, Name: r.Name,
				ImageID: r.ImageID, RealmID: r.RealmID, ProfileID: r.ProfileID}
			m[k] = t
		}
		if !slices.Contains(t.IDs, r.ID) {
			t.IDs = append(t.IDs, r.ID)
			slices.SortFunc(t.IDs, compareIDs)
		}
	}
	return m
}
