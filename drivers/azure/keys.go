package azure

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/deltacloud-go/deltacloud"
)

// keyOf maps an SSH public key resource; its id is its name, which is what
// an instance's keyname names.
func keyOf(k *armcompute.SSHPublicKeyResource) deltacloud.Key {
	out := deltacloud.Key{ID: str(k.Name), Name: str(k.Name), Type: deltacloud.KeyTypeKey}
	if k.Properties != nil {
		out.PublicKey = strings.TrimSpace(str(k.Properties.PublicKey))
		out.Fingerprint = Fingerprint(out.PublicKey)
	}
	return out
}

// Fingerprint is the OpenSSH SHA-256 fingerprint ("SHA256:…") of an
// OpenSSH public key line, or "" when the line holds no base64 key.
func Fingerprint(publicKey string) string {
	f := strings.Fields(publicKey)
	if len(f) < 2 {
		return ""
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(blob) == 0 {
		return ""
	}
	sum := sha256.Sum256(blob)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}

// Keys lists the resource group's SSH public key resources (all of them,
// not only the driver's: any may be an instance's keyname).
func (c *conn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	var keys []deltacloud.Key
	pg := c.sshKeys.NewListByResourceGroupPager(c.scope.ResourceGroup, nil)
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, k := range page.Value {
			keys = append(keys, keyOf(k))
		}
	}
	return keys, nil
}

// CreateKey makes an SSH public key resource named spec.Name, tagged with
// the owner. With a public key (import_key; Azure accepts ssh-rsa of at
// least 2048 bits and ssh-ed25519) it stores that key; without one Azure
// generates an RSA pair and the private key (PEM) is returned this once. A
// taken name is ErrConflict. If generating fails the resource is deleted
// again.
func (c *conn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	rg := c.scope.ResourceGroup
	if _, err := c.sshKeys.Get(ctx, rg, spec.Name, nil); err == nil {
		return nil, deltacloud.Errorf(deltacloud.Conflict, "azure: an SSH public key named %q exists in resource group %s", spec.Name, rg)
	} else if !isNotFound(err) {
		return nil, wrap(err)
	}
	res := armcompute.SSHPublicKeyResource{
		Location:   to.Ptr(c.scope.Location),
		Tags:       map[string]*string{TagOwner: to.Ptr(c.opts.owner)},
		Properties: &armcompute.SSHPublicKeyResourceProperties{},
	}
	if spec.PublicKey != "" {
		res.Properties.PublicKey = to.Ptr(strings.TrimSpace(spec.PublicKey))
	}
	created, err := c.sshKeys.Create(ctx, rg, spec.Name, res, nil)
	if err != nil {
		return nil, wrap(err)
	}
	k := keyOf(&created.SSHPublicKeyResource)
	if spec.PublicKey != "" {
		return &k, nil
	}
	pair, err := c.sshKeys.GenerateKeyPair(ctx, rg, spec.Name, nil)
	if err != nil {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		c.sshKeys.Delete(dctx, rg, spec.Name, nil)
		return nil, wrap(err)
	}
	k.PublicKey = strings.TrimSpace(str(pair.PublicKey))
	k.Fingerprint = Fingerprint(k.PublicKey)
	k.PrivateKey = str(pair.PrivateKey)
	return &k, nil
}

// DestroyKey deletes an SSH public key resource; an unknown one is
// ErrNotFound.
func (c *conn) DestroyKey(ctx context.Context, id string) error {
	if _, err := c.sshKeys.Get(ctx, c.scope.ResourceGroup, id, nil); err != nil {
		return wrap(err)
	}
	_, err := c.sshKeys.Delete(ctx, c.scope.ResourceGroup, id, nil)
	return wrap(err)
}
