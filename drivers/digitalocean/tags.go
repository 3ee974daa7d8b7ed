package digitalocean

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// The tags the driver writes. DigitalOcean tags are plain names (letters,
// digits, ":", "-" and "_", at most 255), so each carries its value after a
// colon.
const (
	// TagOwnerPrefix + the owner option marks the droplets, volumes and
	// snapshots a provider manages.
	TagOwnerPrefix = "deltacloud-owner:"
	// TagTokenPrefix + a hash of the owner and a client token marks the
	// droplets of an idempotent create.
	TagTokenPrefix = "deltacloud-token:"
	// TagSpecPrefix + a digest of the spec marks what that create asked for.
	TagSpecPrefix = "deltacloud-spec:"
	// TagCreatePrefix + a random id marks the droplets of one create while
	// it runs, so that a failed create finds what it made.
	TagCreatePrefix = "deltacloud-create:"
)

// owns reports whether tags hold the provider's owner tag.
func (c *conn) owns(tags []string) bool { return slices.Contains(tags, c.ownerTag) }

// tokenTag is the tag of a client token, scoped by owner so that two owners
// on one account may use the same tokens.
func (c *conn) tokenTag(token string) string {
	sum := sha256.Sum256([]byte(c.ownerTag + "\x00" + token))
	return TagTokenPrefix + hex.EncodeToString(sum[:16])
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
