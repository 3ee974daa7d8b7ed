package openstack

import (
	"context"
	"time"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"

	"github.com/deltacloud-go/deltacloud"
)

// Act performs an action and returns the server as it is right after.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	cl := s.compute
	var res gophercloud.ErrResult
	switch a {
	case deltacloud.ActionStart:
		srv, err := servers.Get(ctx, cl, id).Extract()
		if err != nil {
			return nil, c.actErr(err, id)
		}
		if srv.Status == "SHELVED" || srv.Status == "SHELVED_OFFLOADED" {
			res = servers.Unshelve(ctx, cl, id, servers.UnshelveOpts{}).ErrResult
		} else {
			res = servers.Start(ctx, cl, id).ErrResult
		}
	case deltacloud.ActionStop:
		res = servers.Stop(ctx, cl, id).ErrResult
	case deltacloud.ActionReboot:
		res = servers.Reboot(ctx, cl, id, servers.RebootOpts{Type: servers.SoftReboot}).ErrResult
	case deltacloud.ActionSuspend:
		if c.opts.pause {
			res = servers.Pause(ctx, cl, id).ErrResult
		} else {
			res = servers.Suspend(ctx, cl, id).ErrResult
		}
	case deltacloud.ActionResume:
		srv, err := c.untilSuspended(ctx, cl, id)
		if err != nil {
			return nil, c.actErr(err, id)
		}
		if srv.Status == "PAUSED" {
			res = servers.Unpause(ctx, cl, id).ErrResult
		} else {
			res = servers.Resume(ctx, cl, id).ErrResult
		}
	case deltacloud.ActionDestroy:
		res = servers.Delete(ctx, cl, id).ErrResult
	default:
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "openstack: unknown action %q", a)
	}
	if res.Err != nil {
		return nil, c.actErr(res.Err, id)
	}
	in, err := c.Instance(ctx, id)
	if deltacloud.CodeOf(err) == deltacloud.NotFound && a == deltacloud.ActionDestroy {
		return nil, nil
	}
	return in, err
}

// maxSuspendWait bounds how long a resume waits for Nova to finish
// suspending or pausing.
const maxSuspendWait = 5 * time.Minute

// untilSuspended returns the server once Nova is done suspending or
// pausing it (within ctx and maxSuspendWait): the driver reports such a
// server SUSPENDED or PAUSED at once, which allows resume, but Nova
// refuses resume and unpause (409) until its task is over, and only then
// says which of the two applies.
func (c *conn) untilSuspended(ctx context.Context, cl *gophercloud.ServiceClient, id string) (*servers.Server, error) {
	delay := max(c.cfg.PollInterval, time.Millisecond)
	deadline := time.Now().Add(maxSuspendWait)
	for {
		srv, err := servers.Get(ctx, cl, id).Extract()
		if err != nil || (srv.TaskState != "suspending" && srv.TaskState != "pausing") || time.Now().After(deadline) {
			return srv, err
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		delay = min(delay*2, max(c.cfg.MaxPollInterval, time.Second))
	}
}

// actErr maps an action's error: a 409 carries the server's state.
func (c *conn) actErr(err error, id string) error {
	if isNotFound(err) {
		return notFound("server", id)
	}
	return wrap(err)
}
