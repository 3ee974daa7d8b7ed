package openstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// metaCreate is the volume and snapshot metadata key holding a create's
// token, by which a create whose answer was lost (its ctx ended) finds
// what it made.
const metaCreate = "deltacloud-create"

// reapGrace is how long a cancelled create's request may still be on its
// way to Cinder: until then (or Close) finding nothing does not end the
// search.
const reapGrace = 10 * time.Second

// newToken is a random token for metaCreate.
func newToken() string {
	var b [12]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// reap deletes, in the background, what a cancelled create may have made:
// find looks for it by its token (reporting its id, whether Cinder lets
// it be deleted yet, and whether it was found) until it is deleted, a few
// searches in a row find nothing after reapGrace or Close (the request
// never made it), or the clean-up times out. Close waits for it.
func (c *conn) reap(ctx context.Context, find func(context.Context) (id string, ready, found bool, err error),
	del func(context.Context, string) error) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		delay := max(c.cfg.PollInterval, time.Millisecond)
		start := time.Now()
		for misses := 0; misses < 3; {
			id, ready, found, err := find(ctx)
			switch {
			case err != nil && ctx.Err() != nil:
				return
			case found && ready:
				if err := del(ctx, id); err == nil || isNotFound(err) {
					return
				}
			case !found && err == nil && (time.Since(start) > reapGrace || c.closing()):
				misses++
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(delay):
			}
			delay = min(delay*2, max(c.cfg.MaxPollInterval, time.Second))
		}
	}()
}

// closing reports whether Close has been called.
func (c *conn) closing() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}
