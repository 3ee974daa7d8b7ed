// Package ctxsleep waits under a context: the pause between polls or
// retries that the Provider and several drivers take.
package ctxsleep

import (
	"context"
	"time"
)

// Sleep waits d or until ctx ends, returning ctx's error then.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
