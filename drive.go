package deltacloud

import (
	"context"
	"errors"
	"fmt"

	"github.com/deltacloud-go/deltacloud/internal/ctxsleep"
)

// Drive takes an instance to the target state and returns it there: it
// plans the actions with the lifecycle (StateMachine.Plan), performs the
// first, waits through the states the cloud leaves by itself (PENDING,
// STOPPING, …), and plans again from whatever state it finds next, so an
// instance that another user or the cloud moved meanwhile, or an action the
// cloud refused with ErrInvalidState because the state had just changed,
// only leads to a new plan. A target of StateFinish tears the instance
// down (stopping it first where the cloud demands it) and succeeds when
// the instance is gone, also when it was gone before the call, so a
// teardown can safely be repeated; the returned instance then has state
// FINISH.
//
// Temporary errors are retried like WaitFor does, polling with opts or the
// provider's intervals. Drive fails with ErrInvalidArgument for a state
// the lifecycle does not know, with ErrInvalidState when the instance
// reaches a state from which the target cannot be reached (the error
// carries that state), with the error of any action or read that is not
// temporary, and with ErrTimeout or ErrCanceled when ctx ends first; ctx
// bounds the whole drive, so give it a deadline.
func (p *Provider) Drive(ctx context.Context, id string, target State, opts ...WaitOptions) (*Instance, error) {
	const op = "Drive"
	if err := p.checkTarget(op, id, target); err != nil {
		return nil, err
	}
	first, most := p.pollDelays(opts)
	progress := progressOf(opts)
	delay := first
	var last, cur *Instance
	wait := func() error {
		if err := ctxsleep.Sleep(ctx, jitter(delay)); err != nil {
			return p.gaveUp(op, id, fmt.Sprintf("gave up driving to %s", target), last, err)
		}
		delay = min(delay*3/2, most)
		cur = nil
		return nil
	}
	for {
		if cur == nil {
			in, err := p.Instance(ctx, id)
			switch {
			case err == nil:
				cur = in
				progress(in)
			case errors.Is(err, ErrNotFound) && target == StateFinish:
				return gone(id, last), nil
			case ctx.Err() == nil && CodeOf(err).Temporary():
				if err := wait(); err != nil {
					return last, err
				}
				continue
			default:
				return last, withOp(err, op, last)
			}
		}
		last = cur
		if cur.State == target {
			return cur, nil
		}
		a, ok, err := p.nextAction(cur, target)
		if err != nil {
			return cur, p.label(&Error{Code: InvalidState, Op: op, ID: id, State: cur.State, Err: err,
				Message: fmt.Sprintf("instance is %s, from which %s cannot be reached", cur.State, target)})
		}
		if !ok {
			// The cloud moves the instance by itself from here (or is in a
			// state the lifecycle does not know): look again later.
			if err := wait(); err != nil {
				return last, err
			}
			continue
		}
		out, err := p.Do(ctx, id, a)
		switch {
		case err == nil:
			delay = first
			cur = out
			if out != nil {
				progress(out)
			}
			if out == nil || a == ActionDestroy {
				// Destroyed instances settle or vanish: read again.
				cur = nil
			}
		case errors.Is(err, ErrInvalidState), errors.Is(err, ErrNotFound) && a == ActionDestroy && target == StateFinish:
			// The state moved under us (or a destroy raced with another):
			// plan again from what the cloud says now.
			if err := wait(); err != nil {
				return last, err
			}
		case ctx.Err() == nil && CodeOf(err).Temporary():
			if err := wait(); err != nil {
				return last, err
			}
		default:
			return last, withOp(err, op, last)
		}
	}
}

// nextAction is the first action of the plan from in's state to target,
// false when the plan is to wait, and an error when target cannot be
// reached. A state the lifecycle does not know is waited out. An action
// the plan wants but the instance does not allow now is waited for too:
// drivers that compute the allowed actions themselves know of momentary
// restrictions the lifecycle does not.
func (p *Provider) nextAction(in *Instance, target State) (Action, bool, error) {
	if !p.lifecycle.Has(in.State) {
		return "", false, nil
	}
	plan, err := p.lifecycle.Plan(in.State, target)
	if err != nil {
		return "", false, err
	}
	if len(plan) == 0 || !in.Can(plan[0]) {
		return "", false, nil
	}
	return plan[0], true, nil
}
