package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/keypairs"

	"github.com/deltacloud-go/deltacloud"
)

// Keys lists the user's key pairs.
func (c *conn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := keypairs.List(s.compute, keypairs.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := keypairs.ExtractKeyPairs(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Key, 0, len(list))
	for _, k := range list {
		out = append(out, keyOf(k))
	}
	return out, nil
}

// Key fetches one key pair by name.
func (c *conn) Key(ctx context.Context, id string) (*deltacloud.Key, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	k, err := keypairs.Get(ctx, s.compute, id, keypairs.GetOpts{}).Extract()
	if isNotFound(err) {
		return nil, notFound("key pair", id)
	}
	if err != nil {
		return nil, wrap(err)
	}
	out := keyOf(*k)
	return &out, nil
}

// CreateKey imports a public key, or has Nova generate a pair and returns
// its private key once.
func (c *conn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	k, err := keypairs.Create(ctx, s.compute, keypairs.CreateOpts{Name: spec.Name, PublicKey: spec.PublicKey}).Extract()
	if err != nil {
		return nil, wrap(err)
	}
	out := keyOf(*k)
	out.PrivateKey = k.PrivateKey
	return &out, nil
}

// DestroyKey deletes a key pair.
func (c *conn) DestroyKey(ctx context.Context, id string) error {
	s, err := c.services(ctx)
	if err != nil {
		return err
	}
	err = keypairs.Delete(ctx, s.compute, id, keypairs.DeleteOpts{}).ExtractErr()
	if isNotFound(err) {
		return notFound("key pair", id)
	}
	return wrap(err)
}

// keyOf maps a key pair; its name is its id.
func keyOf(k keypairs.KeyPair) deltacloud.Key {
	return deltacloud.Key{ID: k.Name, Name: k.Name, Type: deltacloud.KeyTypeKey, Fingerprint: k.Fingerprint, PublicKey: k.PublicKey}
}
