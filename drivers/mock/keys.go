package mock

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// keyRecord is a stored key.
type keyRecord = deltacloud.Key

func (c *Cloud) keyList() []deltacloud.Key {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]deltacloud.Key, 0, len(c.keys))
	for _, k := range c.keys {
		out = append(out, *k)
	}
	slices.SortFunc(out, func(a, b deltacloud.Key) int { return compareIDs(a.ID, b.ID) })
	return out
}

// createKey makes a key named spec.Name with a random fingerprint and
// private key. A public key is ignored: the mock does not advertise
// import_key.
func (c *Cloud) createKey(spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	if err := checkName("key", spec.Name); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys[spec.Name] != nil {
		return nil, conflict("key", spec.Name)
	}
	k := &keyRecord{ID: spec.Name, Name: spec.Name, Type: deltacloud.KeyTypeKey,
		Fingerprint: randomFingerprint(), PrivateKey: randomPEM()}
	if err := c.save(dirKeys, k.ID, k); err != nil {
		return nil, err
	}
	c.keys[k.ID] = k
	out := *k
	return &out, nil
}

func (c *Cloud) destroyKey(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys[id] == nil {
		return missing("key", id)
	}
	if err := c.drop(dirKeys, id); err != nil {
		return err
	}
	delete(c.keys, id)
	return nil
}

// randomFingerprint is 20 random bytes in the colon-separated hex of SSH
// key fingerprints.
func randomFingerprint() string {
	b := make([]byte, 20)
	rand.Read(b)
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02x", x)
	}
	return strings.Join(parts, ":")
}

// randomPEM is a fake RSA private key: random bytes in PEM armour.
func randomPEM() string {
	b := make([]byte, 96)
	rand.Read(b)
	return "-----BEGIN RSA PRIVATE KEY-----\n" + base64.StdEncoding.EncodeToString(b) + "\n-----END RSA PRIVATE KEY-----\n"
}

// Keys lists the keys, sorted by id.
func (c *conn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	if err := c.begin(ctx, OpKeys); err != nil {
		return nil, err
	}
	return c.cloud.keyList(), nil
}

// CreateKey creates a key; a taken name is ErrConflict.
func (c *conn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	if err := c.begin(ctx, OpCreateKey); err != nil {
		return nil, err
	}
	return c.cloud.createKey(spec)
}

// DestroyKey deletes a key.
func (c *conn) DestroyKey(ctx context.Context, id string) error {
	if err := c.begin(ctx, OpDestroyKey); err != nil {
		return err
	}
	return c.cloud.destroyKey(id)
}
