package libvirt

import (
	"context"
	"net"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"
	"github.com/digitalocean/go-libvirt/socket/dialers"

	"github.com/deltacloud-go/deltacloud"
)

// dialTimeout bounds connecting to the daemon, handshake included.
const dialTimeout = 10 * time.Second

// dialing is a connection attempt under way; done is closed when it ends,
// with lv or err set.
type dialing struct {
	done chan struct{}
	lv   *golibvirt.Libvirt
	err  error
}

// client returns the connected go-libvirt client, connecting on first use
// and again after the daemon dropped the connection. Callers wait for a
// connection attempt only as long as their context lasts; the attempt
// itself is bounded by dialTimeout. A provider whose credentials were
// refused never connects.
func (c *conn) client(ctx context.Context) (*golibvirt.Libvirt, error) {
	if c.refused != nil {
		return nil, c.refused
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil, deltacloud.Errorf(deltacloud.InvalidState, "libvirt: the provider is closed")
	}
	if c.lv != nil && c.lv.IsConnected() {
		lv := c.lv
		c.mu.Unlock()
		return lv, nil
	}
	d := c.dialing
	if d == nil {
		d = &dialing{done: make(chan struct{})}
		c.dialing = d
		go c.dial(d)
	}
	c.mu.Unlock()
	select {
	case <-d.done:
		return d.lv, d.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dial connects to the daemon and opens the URI's driver there.
func (c *conn) dial(d *dialing) {
	defer close(d.done)
	d.lv, d.err = c.connect()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.dialing = nil
	if d.err != nil {
		return
	}
	if c.closed {
		d.lv.Disconnect()
		d.lv, d.err = nil, deltacloud.Errorf(deltacloud.InvalidState, "libvirt: the provider is closed")
		return
	}
	c.lv = d.lv
}

// connect dials the endpoint and makes the handshake.
func (c *conn) connect() (*golibvirt.Libvirt, error) {
	ctx, cancel := context.WithTimeout(context.Background(), dialTimeout)
	defer cancel()
	nc, err := (&net.Dialer{}).DialContext(ctx, c.ep.Network, c.ep.Address)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.Unavailable, Message: "libvirt: cannot reach the daemon", Err: err}
	}
	if c.wrapConn != nil {
		nc = c.wrapConn(nc)
	}
	// The handshake takes no context: closing the connection ends it.
	// (A read deadline would not: go-libvirt retries timed-out reads.)
	stop := context.AfterFunc(ctx, func() { nc.Close() })
	lv := golibvirt.NewWithDialer(dialers.NewAlreadyConnected(nc))
	err = lv.ConnectToURI(golibvirt.ConnectURI(c.ep.Remote))
	if !stop() || err != nil {
		nc.Close()
		if err == nil {
			err = ctx.Err()
		}
		return nil, &deltacloud.Error{Code: deltacloud.Unavailable, Message: "libvirt: no handshake with the daemon for " + c.ep.Remote, Err: err}
	}
	return lv, nil
}

// do runs fn with the client and returns as soon as ctx ends: go-libvirt's
// calls take no context, so a cancelled caller stops waiting while the
// call finishes on the connection by itself. Only reads and single,
// self-contained actions go through do; the steps of a create, which must
// not be abandoned half-way, run in a goroutine of their own and check
// ctx between steps.
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
