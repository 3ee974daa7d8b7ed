package deltacloud

import (
	"context"
	"fmt"
)

// Do performs an action on an instance after checking that the instance's
// current state allows it: an action it does not allow is ErrInvalidState
// (with the observed state), an unknown instance is ErrNotFound. For
// ActionDestroy the returned instance may be nil.
func (p *Provider) Do(ctx context.Context, id string, a Action) (*Instance, error) {
	op := actionOp(a)
	if a == "" || a == ActionCreate {
		return nil, argErr(op, "%q is not an action on an existing instance", a)
	}
	in, err := p.Instance(ctx, id)
	if err != nil {
		if e, ok := err.(*Error); ok {
			e.Op = op
		}
		return nil, err
	}
	if !in.Can(a) {
		return nil, &Error{Code: InvalidState, Op: op, ID: id, State: in.State,
			Message: fmt.Sprintf("instance is %s, which allows %v, not %s", in.State, in.Actions, a)}
	}
	var out *Instance
	err = p.call(ctx, op, id, func() (err error) {
		out, err = p.conn.Act(ctx, id, a)
		return err
	})
	if err != nil {
		return nil, err
	}
	p.complete(out)
	return out, nil
}

func actionOp(a Action) string {
	switch a {
	case ActionStart:
		return "Start"
	case ActionStop:
		return "Stop"
	case ActionReboot:
		return "Reboot"
	case ActionDestroy:
		return "Destroy"
	case ActionSuspend:
		return "Suspend"
	case ActionResume:
		return "Resume"
	}
	return "Do"
}

// Start starts a stopped instance.
func (p *Provider) Start(ctx context.Context, id string) (*Instance, error) {
	return p.Do(ctx, id, ActionStart)
}

// Stop stops a running instance.
func (p *Provider) Stop(ctx context.Context, id string) (*Instance, error) {
	return p.Do(ctx, id, ActionStop)
}

// Reboot reboots a running instance.
func (p *Provider) Reboot(ctx context.Context, id string) (*Instance, error) {
	return p.Do(ctx, id, ActionReboot)
}

// Suspend suspends or pauses a running instance, on clouds whose lifecycle
// has the action (see Lifecycle).
func (p *Provider) Suspend(ctx context.Context, id string) (*Instance, error) {
	return p.Do(ctx, id, ActionSuspend)
}

// Resume lets a suspended or paused instance run again.
func (p *Provider) Resume(ctx context.Context, id string) (*Instance, error) {
	return p.Do(ctx, id, ActionResume)
}

// Destroy destroys an instance. Many clouds only destroy stopped instances;
// use Plan or Lifecycle to find the way there.
func (p *Provider) Destroy(ctx context.Context, id string) error {
	_, err := p.Do(ctx, id, ActionDestroy)
	return err
}
