package vsphere

import (
	"context"

	"github.com/vmware/govmomi/session"

	"github.com/deltacloud-go/deltacloud"
)

// Ping logs in (on first use) and checks that vCenter still knows the
// session.
func (c *conn) Ping(ctx context.Context) error {
	s, err := c.session(ctx)
	if err != nil {
		return err
	}
	us, err := session.NewManager(s.c).UserSession(ctx)
	if err != nil {
		return c.fail(s, err)
	}
	if us == nil {
		c.forget(s)
		return deltacloud.Errorf(deltacloud.AuthFailure, "vsphere: vCenter no longer knows the session")
	}
	return nil
}
