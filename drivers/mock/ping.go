package mock

import "context"

// Ping checks the credentials as every credentialed call does: only
// mockuser/mockpassword are accepted. Faults and latency injected for
// every operation (OpAll) apply, so tests can make a cloud unreachable.
func (c *conn) Ping(ctx context.Context) error {
	if c.isClosed() {
		return errClosed
	}
	if err := c.cloud.enter(ctx, OpAll); err != nil {
		return err
	}
	return c.auth()
}
