package deltacloud

import (
	"context"
	"fmt"
	"strings"
)

// Capability names an optional driver operation that is not a whole
// collection, the way the Deltacloud API's 412 answers name it in their
// Expect header.
type Capability string

// The capabilities beyond collections.
const (
	CapabilityCreateImage  Capability = "create_image"
	CapabilityDestroyImage Capability = "destroy_image"
)

// Supports reports whether the driver implements an optional operation. A
// driver that relays to another server (drivers/deltacloud) implements them
// all; the server may still refuse, which surfaces as ErrNotSupported.
func (p *Provider) Supports(c Capability) bool {
	switch c {
	case CapabilityCreateImage:
		_, ok := p.conn.(ImageCreator)
		return ok
	case CapabilityDestroyImage:
		_, ok := p.conn.(ImageDestroyer)
		return ok
	}
	return false
}

// optionalCollections maps each optional collection to a test of whether a
// driver implements its interface.
var optionalCollections = []struct {
	c   Collection
	has func(Conn) bool
}{
	{CollectionKeys, func(c Conn) bool { _, ok := c.(KeyConn); return ok }},
	{CollectionFirewalls, func(c Conn) bool { _, ok := c.(FirewallConn); return ok }},
	{CollectionAddresses, func(c Conn) bool { _, ok := c.(AddressConn); return ok }},
	{CollectionStorageVolumes, func(c Conn) bool { _, ok := c.(VolumeConn); return ok }},
	{CollectionStorageSnapshots, func(c Conn) bool { _, ok := c.(SnapshotConn); return ok }},
	{CollectionBuckets, func(c Conn) bool { _, ok := c.(BucketConn); return ok }},
	{CollectionMetrics, func(c Conn) bool { _, ok := c.(MetricConn); return ok }},
}

// optional returns the driver's implementation of an optional collection's
// interface, or ErrNotSupported naming the collection.
func optional[T any](p *Provider, op string, c Collection) (T, error) {
	impl, ok := p.conn.(T)
	if !ok || !p.serves(c) {
		var zero T
		return zero, &Error{Code: NotSupported, Op: op,
			Message: fmt.Sprintf("driver %s does not serve the %s collection", p.driver, c)}
	}
	return impl, nil
}

// serves reports whether c is among the provider's collections.
func (p *Provider) serves(c Collection) bool {
	for _, have := range p.collections {
		if have == c {
			return true
		}
	}
	return false
}

// list runs one listing call of an optional collection.
func list[C, T any](ctx context.Context, p *Provider, op string, coll Collection, fn func(C) ([]T, error)) ([]T, error) {
	impl, err := optional[C](p, op, coll)
	if err != nil {
		return nil, err
	}
	var out []T
	err = p.call(ctx, op, "", func() (err error) {
		out, err = fn(impl)
		return err
	})
	return out, err
}

// one runs one call of an optional collection that returns an object, and
// treats a driver that returns neither object nor error as a backend fault.
func one[C, T any](ctx context.Context, p *Provider, op, id string, coll Collection, fn func(C) (*T, error)) (*T, error) {
	impl, err := optional[C](p, op, coll)
	if err != nil {
		return nil, err
	}
	var out *T
	err = p.call(ctx, op, id, func() (err error) {
		out, err = fn(impl)
		return err
	})
	if err == nil && out == nil {
		err = &Error{Code: Backend, Op: op, ID: id, Message: "the driver returned nothing"}
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// do runs one call of an optional collection that returns only an error.
func do[C any](ctx context.Context, p *Provider, op, id string, coll Collection, fn func(C) error) error {
	impl, err := optional[C](p, op, coll)
	if err != nil {
		return err
	}
	return p.call(ctx, op, id, func() error { return fn(impl) })
}

// requireID rejects an empty (or blank) id before any call.
func requireID(op, what, id string) error {
	if strings.TrimSpace(id) == "" {
		return argErr(op, "%s id is empty", what)
	}
	return nil
}

// needFeature answers ErrNotSupported when a parameter is set whose feature
// the provider does not advertise.
func (p *Provider) needFeature(op string, set bool, param string, feature FeatureName) error {
	if set && !p.features.Has(feature) {
		return p.unsupported(op, param, feature)
	}
	return nil
}

// stateErr builds the InvalidState error of a non-instance object.
func stateErr(op, id, state, format string, args ...any) error {
	return &Error{Code: InvalidState, Op: op, ID: id, State: State(state), Message: fmt.Sprintf(format, args...)}
}
