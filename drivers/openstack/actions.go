package openstack

import (
	"context"
	"strings"
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
		srv, err := getServer(ctx, cl, id)
		if err != nil {
			return nil, err
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
		srv, err := c.settled(ctx, cl, id)
		if err != nil {
			return nil, err
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
		return nil, serverErr(res.Err, id)
	}
	in, err := c.Instance(ctx, id)
	if deltacloud.CodeOf(err) == deltacloud.NotFound && a == deltacloud.ActionDestroy {
		return nil, nil
	}
	return in, err
}

// settleLimit bounds how long Resume waits for a suspend or pause still
// under way.
const settleLimit = 10 * time.Minute

// settled returns the server once no suspend or pause is under way: such
// a server already reads SUSPENDED or PAUSED, but Nova refuses to resume
// it until the task is done, so Resume waits for that (polling, within
// ctx and settleLimit) instead of failing after a WaitFor that returned.
func (c *conn) settled(ctx context.Context, cl *gophercloud.ServiceClient, id string) (*servers.Server, error) {
	ctx, cancel := context.WithTimeout(ctx, settleLimit)
	defer cancel()
	delay := max(c.cfg.PollInterval, time.Millisecond)
	for {
		srv, err := getServer(ctx, cl, id)
		if err != nil {
			return nil, err
		}
		if t := strings.ToLower(srv.TaskState); t != "suspending" && t != "pausing" {
			return srv, nil
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(delay):
		}
		delay = min(delay*2, max(c.cfg.MaxPollInterval, time.Second))
	}
}

// getServer fetches one server; a missing one is ErrNotFound.
func getServer(ctx context.Context, cl *gophercloud.ServiceClient, id string) (*servers.Server, error) {
	srv, err := servers.Get(ctx, cl, id).Extract()
	if err != nil {
		return nil, serverErr(err, id)
	}
	return srv, nil
}

// serverErr is ErrNotFound for a server Nova does not know, wrap's
// classification otherwise (an action's 409 carries the server's state).
func serverErr(err error, id string) error {
	if isNotFound(err) {
		return notFound("server", id)
	}
	return wrap(err)
}
