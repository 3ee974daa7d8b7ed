package ec2

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/deltacloud-go/deltacloud"
)

// Keys lists the region's key pairs; a key's id is its name, which is what
// InstanceSpec.KeyName takes. EC2 does not paginate key pairs.
func (c *conn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	out, err := c.client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{IncludePublicKey: aws.Bool(true)})
	if err != nil {
		return nil, c.wrap(err)
	}
	keys := make([]deltacloud.Key, 0, len(out.KeyPairs))
	for _, k := range out.KeyPairs {
		keys = append(keys, keyOf(k))
	}
	return keys, nil
}

// Key describes one key pair by name with DescribeKeyPairs' KeyNames; an
// unknown name is ErrNotFound (InvalidKeyPair.NotFound).
func (c *conn) Key(ctx context.Context, id string) (*deltacloud.Key, error) {
	if id == "" || len(id) > maxKeyName {
		return nil, notFound("key pair", id)
	}
	out, err := c.client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{id}, IncludePublicKey: aws.Bool(true)})
	if err != nil {
		return nil, c.wrapGet(err, "key pair", id)
	}
	for _, k := range out.KeyPairs {
		if aws.ToString(k.KeyName) == id {
			key := keyOf(k)
			return &key, nil
		}
	}
	return nil, notFound("key pair", id)
}

// maxKeyName is EC2's limit on key pair names.
const maxKeyName = 255

// KeyAvailable is the state of every listed key pair: EC2 has no other, and
// the original Deltacloud showed it.
const KeyAvailable = "AVAILABLE"

func keyOf(k types.KeyPairInfo) deltacloud.Key {
	return deltacloud.Key{
		ID:          aws.ToString(k.KeyName),
		Name:        aws.ToString(k.KeyName),
		Type:        deltacloud.KeyTypeKey,
		Fingerprint: aws.ToString(k.KeyFingerprint),
		PublicKey:   aws.ToString(k.PublicKey),
		State:       KeyAvailable,
	}
}

// CreateKey generates a key pair, returning its private key (EC2 hands it
// out only now), or imports spec.PublicKey (import_key). A taken name is
// ErrConflict (InvalidKeyPair.Duplicate).
func (c *conn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	if spec.PublicKey != "" {
		out, err := c.client.ImportKeyPair(ctx, &ec2.ImportKeyPairInput{
			KeyName: aws.String(spec.Name), PublicKeyMaterial: []byte(spec.PublicKey)})
		if err != nil {
			return nil, c.wrap(err)
		}
		return &deltacloud.Key{ID: aws.ToString(out.KeyName), Name: aws.ToString(out.KeyName), Type: deltacloud.KeyTypeKey,
			Fingerprint: aws.ToString(out.KeyFingerprint), PublicKey: spec.PublicKey, State: KeyAvailable}, nil
	}
	out, err := c.client.CreateKeyPair(ctx, &ec2.CreateKeyPairInput{KeyName: aws.String(spec.Name)})
	if err != nil {
		return nil, c.wrap(err)
	}
	return &deltacloud.Key{ID: aws.ToString(out.KeyName), Name: aws.ToString(out.KeyName), Type: deltacloud.KeyTypeKey,
		Fingerprint: aws.ToString(out.KeyFingerprint), PrivateKey: aws.ToString(out.KeyMaterial), State: KeyAvailable}, nil
}

// DestroyKey deletes a key pair. EC2 answers success for a name it does
// not know, so the key is looked up first and an unknown one is
// ErrNotFound.
func (c *conn) DestroyKey(ctx context.Context, id string) error {
	if _, err := c.client.DescribeKeyPairs(ctx, &ec2.DescribeKeyPairsInput{KeyNames: []string{id}}); err != nil {
		return c.wrap(err)
	}
	if _, err := c.client.DeleteKeyPair(ctx, &ec2.DeleteKeyPairInput{KeyName: aws.String(id)}); err != nil {
		return c.wrap(err)
	}
	return nil
}

// notFound is the NotFound error of an object EC2 did not list.
func notFound(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: fmt.Sprintf("ec2: %s %q not found", what, id)}
}

// wrapGet wraps the error of a lookup by id. An id EC2 finds malformed
// (InvalidVolumeID.Malformed, InvalidGroupId.Malformed, …) names nothing
// that exists, so a get answers it as NotFound, keeping EC2's error; the
// "….NotFound" codes already are.
func (c *conn) wrapGet(err error, what, id string) error {
	e := c.wrap(err)
	var api smithy.APIError
	if errors.As(err, &api) && strings.HasSuffix(api.ErrorCode(), ".Malformed") {
		return &deltacloud.Error{Code: deltacloud.NotFound, ID: id,
			Message: fmt.Sprintf("ec2: %s %q not found: %s", what, id, api.ErrorCode()), Err: err}
	}
	return e
}
