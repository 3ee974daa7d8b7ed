package deltacloud

import "context"

// IPAddress is an address of the addresses collection: a public IP the
// account holds independently of instances and can move between them (EC2
// Elastic IPs, Azure public IPs). Instance addresses are [Address].
type IPAddress struct {
	ID string
	// IP is the address itself; on many clouds it is also the ID.
	IP string
	// InstanceID is the instance the address is associated with; empty when
	// it is free.
	InstanceID string
}

// Associated reports whether the address is in use by an instance.
func (a *IPAddress) Associated() bool { return a.InstanceID != "" }

// Addresses lists the account's addresses.
func (p *Provider) Addresses(ctx context.Context) ([]IPAddress, error) {
	return list(ctx, p, "Addresses", CollectionAddresses, func(c AddressConn) ([]IPAddress, error) { return c.Addresses(ctx) })
}

// Address returns one address; an unknown id is ErrNotFound.
func (p *Provider) Address(ctx context.Context, id string) (*IPAddress, error) {
	if err := requireID("Address", "address", id); err != nil {
		return nil, err
	}
	if _, ok := p.conn.(AddressGetter); ok {
		return one(ctx, p, "Address", id, CollectionAddresses, func(c AddressGetter) (*IPAddress, error) { return c.Address(ctx, id) })
	}
	as, err := p.Addresses(ctx)
	if err != nil {
		return nil, err
	}
	return findByID(as, "Address", id, func(a IPAddress) string { return a.ID })
}

// CreateAddress allocates a new address.
func (p *Provider) CreateAddress(ctx context.Context) (*IPAddress, error) {
	return one(ctx, p, "CreateAddress", "", CollectionAddresses, func(c AddressConn) (*IPAddress, error) { return c.CreateAddress(ctx) })
}

// DestroyAddress releases an address; one still associated is
// ErrInvalidState.
func (p *Provider) DestroyAddress(ctx context.Context, id string) error {
	const op = "DestroyAddress"
	a, err := p.addressFor(ctx, op, id)
	if err != nil {
		return err
	}
	if a.Associated() {
		return stateErr(op, id, "ASSOCIATED", "address is associated with instance %s; disassociate it first", a.InstanceID)
	}
	return do(ctx, p, op, id, CollectionAddresses, func(c AddressConn) error { return c.DestroyAddress(ctx, id) })
}

// AssociateAddress points a free address at an instance. An address in use
// is ErrInvalidState, an unknown instance ErrNotFound.
func (p *Provider) AssociateAddress(ctx context.Context, id, instanceID string) error {
	const op = "AssociateAddress"
	if err := requireID(op, "instance", instanceID); err != nil {
		return err
	}
	a, err := p.addressFor(ctx, op, id)
	if err != nil {
		return err
	}
	if a.Associated() {
		return stateErr(op, id, "ASSOCIATED", "address is already associated with instance %s", a.InstanceID)
	}
	if _, err := p.instanceFor(ctx, op, instanceID); err != nil {
		return err
	}
	return do(ctx, p, op, id, CollectionAddresses, func(c AddressConn) error { return c.AssociateAddress(ctx, id, instanceID) })
}

// DisassociateAddress frees an associated address; a free one is
// ErrInvalidState.
func (p *Provider) DisassociateAddress(ctx context.Context, id string) error {
	const op = "DisassociateAddress"
	a, err := p.addressFor(ctx, op, id)
	if err != nil {
		return err
	}
	if !a.Associated() {
		return stateErr(op, id, "FREE", "address is not associated with an instance")
	}
	return do(ctx, p, op, id, CollectionAddresses, func(c AddressConn) error { return c.DisassociateAddress(ctx, id) })
}

// addressFor looks an address up for op, reporting errors under op.
func (p *Provider) addressFor(ctx context.Context, op, id string) (*IPAddress, error) {
	if err := requireID(op, "address", id); err != nil {
		return nil, err
	}
	a, err := p.Address(ctx, id)
	return a, renameOp(err, op)
}

// instanceFor looks an instance up for op: it must exist and not be
// destroyed.
func (p *Provider) instanceFor(ctx context.Context, op, id string) (*Instance, error) {
	in, err := p.Instance(ctx, id)
	if err != nil {
		return nil, renameOp(err, op)
	}
	if in.State == StateFinish {
		return nil, &Error{Code: NotFound, Op: op, ID: id, State: in.State, Message: "instance is destroyed"}
	}
	return in, nil
}

// renameOp reports a lookup's error under the operation that needed it.
func renameOp(err error, op string) error {
	if e, ok := err.(*Error); ok {
		e.Op = op
	}
	return err
}
