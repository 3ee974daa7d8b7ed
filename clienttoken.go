package deltacloud

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// MaxClientTokenLen is the longest idempotency token a spec may carry: 64
// characters, EC2's limit, so a token valid here is valid on every cloud.
const MaxClientTokenLen = 64

// ClientTokenConn is implemented by drivers that honour
// InstanceSpec.ClientToken: a create repeated with the same token and the
// same spec answers the instances the first one made, and one with the same
// token and a different spec fails with ErrConflict. A driver whose support
// depends on the cloud (a remote Deltacloud server) says so at run time.
// The Provider refuses a token for drivers without it, since a driver that
// ignored the token would launch twice on a retry.
type ClientTokenConn interface {
	SupportsClientToken() bool
}

// SupportsClientToken reports whether creates on this provider honour
// InstanceSpec.ClientToken, so a caller can retry a create whose outcome it
// does not know (a timeout, an Unavailable answer) without launching twice.
// Where it is false, a create with a token is refused with ErrNotSupported.
func (p *Provider) SupportsClientToken() bool {
	c, ok := p.conn.(ClientTokenConn)
	return ok && c.SupportsClientToken()
}

// checkClientToken enforces the token's bounds: at most MaxClientTokenLen
// printable ASCII characters, which every cloud accepts and which can travel
// in a header or a form field unchanged.
func checkClientToken(op, token string) error {
	if len(token) > MaxClientTokenLen {
		return argErr(op, "client token is %d characters long; at most %d are allowed", len(token), MaxClientTokenLen)
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c < 0x20 || c > 0x7e {
			return argErr(op, "client token has a byte 0x%02x at offset %d; only printable ASCII is allowed", c, i)
		}
	}
	return nil
}

// SpecDigest is a digest of everything a spec asks for except its
// ClientToken: drivers that remember tokens store it beside the token and
// compare it on a repeated create, to tell a retry (same digest: answer
// the first create's instances) from a different request that reuses the
// token (ErrConflict). Two specs have the same digest exactly when all
// their fields are equal; secrets in the spec are hashed, never kept.
func SpecDigest(spec InstanceSpec) string {
	spec.ClientToken = ""
	// Marshal cannot fail for the spec's field types (strings, maps of
	// strings, bytes, ints, bools); maps are encoded in key order.
	b, _ := json.Marshal(spec)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
