package hetzner

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"strings"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// Keys lists the SSH keys carrying the ownership label.
func (c *conn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	ks, err := c.client.SSHKey.AllWithOpts(ctx, hcloud.SSHKeyListOpts{ListOpts: hcloud.ListOpts{LabelSelector: c.ownerSelector()}})
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Key, 0, len(ks))
	for _, k := range ks {
		out = append(out, keyOf(k))
	}
	return out, nil
}

// Key reads one SSH key by name.
func (c *conn) Key(ctx context.Context, id string) (*deltacloud.Key, error) {
	k, err := c.ownedKey(ctx, id)
	if err != nil {
		return nil, err
	}
	out := keyOf(k)
	return &out, nil
}

func (c *conn) ownedKey(ctx context.Context, name string) (*hcloud.SSHKey, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	k, _, err := c.client.SSHKey.GetByName(ctx, name)
	if err != nil {
		return nil, wrap(err)
	}
	if k == nil || !c.owned(k.Labels) {
		return nil, notFound("key", name)
	}
	return k, nil
}

func keyOf(k *hcloud.SSHKey) deltacloud.Key {
	return deltacloud.Key{ID: k.Name, Name: k.Name, Type: deltacloud.KeyTypeKey, Fingerprint: k.Fingerprint,
		PublicKey: k.PublicKey, State: "AVAILABLE"}
}

// CreateKey uploads a public key, or generates an ed25519 pair, uploads
// its public half and returns the private key once.
func (c *conn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	pub, priv := spec.PublicKey, ""
	if pub == "" {
		var err error
		if pub, priv, err = generateKey(spec.Name); err != nil {
			return nil, err
		}
	}
	k, _, err := c.client.SSHKey.Create(ctx, hcloud.SSHKeyCreateOpts{Name: spec.Name, PublicKey: pub, Labels: c.ownerLabels()})
	if err != nil {
		if !hcloud.IsError(err, hcloud.ErrorCodeUniquenessError) {
			c.cutOff(ctx, func(ctx context.Context) bool {
				k, _, err := c.client.SSHKey.GetByName(ctx, spec.Name)
				if err != nil || k == nil || !c.owned(k.Labels) || k.PublicKey != strings.TrimSpace(pub) {
					return false
				}
				c.client.SSHKey.Delete(ctx, k)
				return true
			})
		}
		return nil, wrap(err)
	}
	out := keyOf(k)
	out.PrivateKey = priv
	return &out, nil
}

// DestroyKey deletes an SSH key the provider made.
func (c *conn) DestroyKey(ctx context.Context, id string) error {
	k, err := c.ownedKey(ctx, id)
	if err != nil {
		return err
	}
	_, err = c.client.SSHKey.Delete(ctx, k)
	return wrap(err)
}

// generateKey makes an ed25519 pair: the OpenSSH public key and the
// private key in OpenSSH's PEM format ("OPENSSH PRIVATE KEY"), unencrypted.
func generateKey(comment string) (pub, priv string, err error) {
	pk, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", "", err
	}
	str := func(b []byte, s []byte) []byte {
		b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
		return append(b, s...)
	}
	pubBlob := str(str(nil, []byte("ssh-ed25519")), pk)
	var check [4]byte
	rand.Read(check[:])
	var body []byte
	body = append(body, check[:]...)
	body = append(body, check[:]...)
	body = str(body, []byte("ssh-ed25519"))
	body = str(body, pk)
	body = str(body, sk)
	body = str(body, []byte(comment))
	for i := byte(1); len(body)%8 != 0; i++ {
		body = append(body, i)
	}
	blob := []byte("openssh-key-v1\x00")
	blob = str(blob, []byte("none"))
	blob = str(blob, []byte("none"))
	blob = str(blob, nil)
	blob = binary.BigEndian.AppendUint32(blob, 1)
	blob = str(blob, pubBlob)
	blob = str(blob, body)
	priv = string(pem.EncodeToMemory(&pem.Block{Type: "OPENSSH PRIVATE KEY", Bytes: blob}))
	pub = "ssh-ed25519 " + base64.StdEncoding.EncodeToString(pubBlob)
	if comment != "" {
		pub += " " + comment
	}
	return pub, priv, nil
}

var (
	_ deltacloud.KeyConn   = (*conn)(nil)
	_ deltacloud.KeyGetter = (*conn)(nil)
)
