package deltacloud

import (
	"context"
	"strings"
)

// KeyType says what kind of login credential a Key holds.
type KeyType string

// The credential types of the Deltacloud API.
const (
	KeyTypeKey      KeyType = "key"
	KeyTypePassword KeyType = "password"
)

// Key is a login credential kept by the cloud: an SSH key pair (EC2 key
// pairs, Azure SSH public keys) or a username/password pair.
type Key struct {
	ID   string
	Name string
	Type KeyType
	// Fingerprint identifies the public key.
	Fingerprint string
	// PrivateKey is the PEM private key; clouds hand it out only when they
	// generate the key, in the result of CreateKey.
	PrivateKey string
	// PublicKey is the public key, where the cloud reports it.
	PublicKey string
	// Username and Password are set for KeyTypePassword.
	Username string
	Password string
	// State is the cloud's word for the key's state, if any.
	State string
}

// KeySpec describes a key to create. Without PublicKey the cloud generates
// the pair and returns the private key once.
type KeySpec struct {
	Name string
	// PublicKey (OpenSSH format) imports an existing key; it needs the
	// import_key feature.
	PublicKey string
}

// Keys lists the keys.
func (p *Provider) Keys(ctx context.Context) ([]Key, error) {
	return list(ctx, p, "Keys", CollectionKeys, func(c KeyConn) ([]Key, error) { return c.Keys(ctx) })
}

// Key returns one key; an unknown id is ErrNotFound.
func (p *Provider) Key(ctx context.Context, id string) (*Key, error) {
	if err := requireID("Key", "key", id); err != nil {
		return nil, err
	}
	if _, ok := p.conn.(KeyGetter); ok {
		return one(ctx, p, "Key", id, CollectionKeys, func(c KeyGetter) (*Key, error) { return c.Key(ctx, id) })
	}
	keys, err := p.Keys(ctx)
	if err != nil {
		return nil, err
	}
	return findByID(keys, "Key", id, func(k Key) string { return k.ID })
}

// CreateKey creates (or, with a public key, imports) a key.
func (p *Provider) CreateKey(ctx context.Context, spec KeySpec) (*Key, error) {
	const op = "CreateKey"
	if strings.TrimSpace(spec.Name) == "" {
		return nil, argErr(op, "key name is required")
	}
	if err := p.needFeature(op, spec.PublicKey != "", "public_key", FeatureImportKey); err != nil {
		return nil, err
	}
	return one(ctx, p, op, spec.Name, CollectionKeys, func(c KeyConn) (*Key, error) { return c.CreateKey(ctx, spec) })
}

// DestroyKey deletes a key; an unknown id is ErrNotFound.
func (p *Provider) DestroyKey(ctx context.Context, id string) error {
	if err := requireID("DestroyKey", "key", id); err != nil {
		return err
	}
	return do(ctx, p, "DestroyKey", id, CollectionKeys, func(c KeyConn) error { return c.DestroyKey(ctx, id) })
}
