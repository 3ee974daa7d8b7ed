package deltacloud

import "context"

// RealmState says whether a realm accepts new resources.
type RealmState string

// The realm states.
const (
	RealmAvailable   RealmState = "AVAILABLE"
	RealmUnavailable RealmState = "UNAVAILABLE"
)

// Realm is an area whose resources work together: a region, availability
// zone, data centre or pool.
type Realm struct {
	ID    string
	Name  string
	State RealmState
	// Limit is the most instances the realm takes; 0 means unlimited.
	Limit int
}

// Realms lists the provider's realms.
func (p *Provider) Realms(ctx context.Context) ([]Realm, error) {
	var rs []Realm
	err := p.call(ctx, "Realms", "", func() (err error) {
		rs, err = p.conn.Realms(ctx)
		return err
	})
	return rs, err
}

// Realm returns one realm; an unknown id is ErrNotFound.
func (p *Provider) Realm(ctx context.Context, id string) (*Realm, error) {
	if id == "" {
		return nil, argErr("Realm", "realm id is empty")
	}
	if g, ok := p.conn.(RealmGetter); ok {
		var r *Realm
		err := p.call(ctx, "Realm", id, func() (err error) {
			r, err = g.Realm(ctx, id)
			return err
		})
		return r, err
	}
	rs, err := p.Realms(ctx)
	if err != nil {
		return nil, err
	}
	return findByID(rs, "Realm", id, func(r Realm) string { return r.ID })
}

// findByID picks one object out of a listing, or answers ErrNotFound.
func findByID[T any](items []T, op, id string, idOf func(T) string) (*T, error) {
	for i := range items {
		if idOf(items[i]) == id {
			return &items[i], nil
		}
	}
	return nil, &Error{Code: NotFound, Op: op, ID: id, Message: "not found"}
}
