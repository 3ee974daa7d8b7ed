package digitalocean

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"strconv"
	"strings"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// maxKeyName bounds SSH key names.
const maxKeyName = 255

// Keys lists the account's SSH keys, all of them (DigitalOcean cannot tag
// keys, and any may be an instance's keyname): id is the key's number.
func (c *conn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	ks, err := listAll(ctx, c, c.client.Keys.List)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Key, len(ks))
	for i, k := range ks {
		out[i] = keyOf(k)
	}
	return out, nil
}

func keyOf(k godo.Key) deltacloud.Key {
	return deltacloud.Key{ID: strconv.Itoa(k.ID), Name: k.Name, Type: deltacloud.KeyTypeKey,
		Fingerprint: k.Fingerprint, PublicKey: k.PublicKey, State: "AVAILABLE"}
}

// Key reads one SSH key by number.
func (c *conn) Key(ctx context.Context, id string) (*deltacloud.Key, error) {
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 {
		return nil, notFound("SSH key", id)
	}
	k, _, err := c.client.Keys.GetByID(ctx, n)
	if err != nil {
		return nil, c.wrapGet(err, "SSH key", id)
	}
	out := keyOf(*k)
	return &out, nil
}

// CreateKey stores a public key (import_key) or, without one, a new
// Ed25519 key pair whose private key (PKCS #8 PEM, which OpenSSH reads) is
// returned once. DigitalOcean allows repeated names; the driver does not,
// so a taken name is ErrConflict, as a taken public key is.
func (c *conn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	if len(spec.Name) > maxKeyName {
		return nil, invalid("key name is %d bytes; at most %d are allowed", len(spec.Name), maxKeyName)
	}
	ks, err := c.Keys(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range ks {
		if k.Name == spec.Name {
			return nil, deltacloud.Errorf(deltacloud.Conflict, "digitalocean: an SSH key named %q exists (id %s)", spec.Name, k.ID)
		}
	}
	pub, priv := strings.TrimSpace(spec.PublicKey), ""
	if pub == "" {
		if pub, priv, err = newKeyPair(); err != nil {
			return nil, err
		}
	}
	k, _, err := c.client.Keys.Create(ctx, &godo.KeyCreateRequest{Name: spec.Name, PublicKey: pub})
	if err != nil {
		if classify(err) == deltacloud.InvalidArgument && strings.Contains(strings.ToLower(err.Error()), "already in use") {
			return nil, deltacloud.Errorf(deltacloud.Conflict, "digitalocean: the public key is already stored")
		}
		return nil, c.wrap(err)
	}
	out := keyOf(*k)
	out.PrivateKey = priv
	return &out, nil
}

// newKeyPair makes an Ed25519 pair: the OpenSSH public key and the PEM
// private key.
func newKeyPair() (string, string, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", deltacloud.Errorf(deltacloud.Backend, "digitalocean: cannot generate a key: %v", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", "", deltacloud.Errorf(deltacloud.Backend, "digitalocean: cannot encode a key: %v", err)
	}
	var blob []byte
	for _, field := range [][]byte{[]byte("ssh-ed25519"), pub} {
		blob = binary.BigEndian.AppendUint32(blob, uint32(len(field)))
		blob = append(blob, field...)
	}
	return "ssh-ed25519 " + base64.StdEncoding.EncodeToString(blob),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})), nil
}

// DestroyKey deletes an SSH key by number.
func (c *conn) DestroyKey(ctx context.Context, id string) error {
	n, err := strconv.Atoi(id)
	if err != nil || n < 1 {
		return notFound("SSH key", id)
	}
	_, err = c.client.Keys.DeleteByID(ctx, n)
	return c.wrapGet(err, "SSH key", id)
}
