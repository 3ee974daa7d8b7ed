package azure

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"

	"github.com/deltacloud-go/deltacloud"
)

// TagSpec keeps, on a VM created with a client token, a keyed digest of the
// create's spec: a repeated create compares it to tell a retry (same spec:
// the VM is answered) from another request reusing the token
// (ErrConflict). It is an HMAC keyed by the token, which Azure never sees,
// so the tag reveals nothing of the spec's secrets (password, user data).
const TagSpec = "deltacloud-spec"

// SupportsClientToken reports that creates honour InstanceSpec.ClientToken:
// the VM (and its interface, address and disk) are named after the owner
// and the token, so a retried create finds what the first one made.
func (c *conn) SupportsClientToken() bool { return true }

// tokenVMName is the VM name of a create with a client token: the same
// for every retry under the same owner tag, and unlike any random name
// (those start with the user's name or "dc" and end in 8 hex digits).
func tokenVMName(owner, token string) string {
	sum := sha256.Sum256([]byte(owner + "\x00" + token))
	return "dct-" + hex.EncodeToString(sum[:12])
}

// specTag is the TagSpec value of a spec: its digest keyed by its token.
func specTag(spec deltacloud.InstanceSpec) string {
	m := hmac.New(sha256.New, []byte(spec.ClientToken))
	m.Write([]byte(deltacloud.SpecDigest(spec)))
	return hex.EncodeToString(m.Sum(nil))
}

// existingVM answers the instance an earlier create with the plan's token
// made, nil when there is none. A VM of that name made for another spec, or
// not carrying this provider's ownership tag, is ErrConflict.
func (c *conn) existingVM(ctx context.Context, p createPlan) (*deltacloud.Instance, error) {
	vm, err := c.vms.Get(ctx, c.scope.ResourceGroup, p.names.vm, nil)
	switch {
	case isNotFound(err):
		return nil, nil
	case err != nil:
		return nil, wrap(err)
	case tag(vm.Tags, TagOwner) != c.opts.owner:
		return nil, deltacloud.Errorf(deltacloud.Conflict,
			"azure: VM %s, the name of this client token, exists and is not this provider's", p.names.vm)
	case !hmac.Equal([]byte(tag(vm.Tags, TagSpec)), []byte(p.specTag)):
		return nil, deltacloud.Errorf(deltacloud.Conflict,
			"azure: the client token was used for a different create (VM %s); use a new token for a new request", p.names.vm)
	}
	return c.Instance(ctx, p.names.vm)
}

// names serialises, in this process, the creates and clean-ups that use
// one VM name: a retried create with a client token waits until the
// clean-up of its failed predecessor has deleted what it made, rather than
// building beside a deletion of the same names.
var names = nameLocks{busy: map[string]chan struct{}{}}

type nameLocks struct {
	mu   sync.Mutex
	busy map[string]chan struct{}
}

// acquire takes key, waiting while another holder has it; it fails only
// when ctx ends first. release gives it back.
func (l *nameLocks) acquire(ctx context.Context, key string) (release func(), err error) {
	key = strings.ToLower(key) // Azure names are case-insensitive
	for {
		l.mu.Lock()
		ch, held := l.busy[key]
		if !held {
			ch = make(chan struct{})
			l.busy[key] = ch
			l.mu.Unlock()
			return sync.OnceFunc(func() {
				l.mu.Lock()
				delete(l.busy, key)
				l.mu.Unlock()
				close(ch)
			}), nil
		}
		l.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// nameKey is a VM name's key in names: the scope and the name.
func (c *conn) nameKey(vm string) string {
	return c.scope.SubscriptionID + "/" + c.scope.ResourceGroup + "/" + vm
}
