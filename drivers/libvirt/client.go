package libvirt

import (
	"context"
	"net"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"

	"github.com/deltacloud-go/deltacloud"
)

// dialTimeout bounds connecting to the daemon when the context has no
// earlier deadline.
const dialTimeout = 10 * time.Second

// client returns the connected go-libvirt client, connecting on first use
// and again after the daemon dropped the connection. A provider whose
// credentials were refused never connects.
func (c *conn) client(ctx context.Context) (*golibvirt.Libvirt, error) {
	if c.refused != nil {
		return nil, c.refused
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, deltacloud.Errorf(deltacloud.InvalidState, "libvirt: the provider is closed")
	}
	if c.lv != nil && c.lv.IsConnected() {
		return c.lv, nil
	}
	dctx, cancel := context.WithTimeout(ctx, dialTimeout)
	defer cancel()
	nc, err := (&net.Dialer{}).DialContext(dctx, c.ep.Network, c.ep.Address)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &deltacloud.Error{Code: deltacloud.Unavailable, Message: "libvirt: cannot reach the daemon", Err: err}
	}
	if c.wrapConn != nil {
		nc = c.wrapConn(nc)
	}
	lv := golibvirt.NewWithDialer(dialers.NewAlreadyConnected(nc))
	// The handshake has no context of its own; the deadline bounds it.
	if d, ok := dctx.Deadline(); ok {
		nc.SetDeadline(d)
	}
	if err := lv.ConnectToURI(golibvirt.ConnectURI(c.ep.Remote)); err != nil {
		nc.Close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &deltacloud.Error{Code: deltacloud.Unavailable, Message: "libvirt: the daemon refused " + c.ep.Remote, Err: err}
	}
	nc.SetDeadline(time.Time{})
	c.lv = lv
	return lv, nil
}

// do runs fn with the client and returns as soon as ctx ends: go-libvirt's
// calls take no context, so a cancelled caller stops waiting while the
// call finishes on the connection by itself. Only reads and single,
// self-contained actions go through do; the steps of a create, which must
// not be abandoned half-way, use the client directly and check ctx
// between steps.
func (c *conn) do(ctx context.Context, fn func(*golibvirt.Libvirt) error) error {
	lv, err := c.client(ctx)
	if err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- fn(lv) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
