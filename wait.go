package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// WaitFor polls an instance until it reaches the target state, backing off
// from Config.PollInterval to Config.MaxPollInterval. It fails at once with
// ErrInvalidState (carrying the last observed state) when the state machine
// says the target can no longer be reached, and with ErrTimeout when ctx ends
// first. Waiting for StateFinish also succeeds when the instance disappears,
// as destroyed instances do on most clouds.
func (p *Provider) WaitFor(ctx context.Context, id string, target State) (*Instance, error) {
	const op = "WaitFor"
	var last *Instance
	delay := p.cfg.PollInterval
	for {
		in, err := p.Instance(ctx, id)
		switch {
		case err == nil:
			if in.State == target {
				return in, nil
			}
			if !p.lifecycle.Reachable(in.State, target) {
				return in, &Error{Code: InvalidState, Op: op, ID: id, State: in.State,
					Message: fmt.Sprintf("instance is %s, from which %s can no longer be reached", in.State, target)}
			}
			last = in
		case errors.Is(err, ErrNotFound) && target == StateFinish:
			gone := Instance{ID: id, State: StateFinish}
			if last != nil {
				gone = *last
				gone.State, gone.Actions = StateFinish, nil
			}
			return &gone, nil
		case ctx.Err() != nil || !CodeOf(err).Temporary():
			return nil, withOp(err, op, last)
		}
		if err := sleep(ctx, jitter(delay)); err != nil {
			e := &Error{Code: Timeout, Op: op, ID: id, Err: err,
				Message: fmt.Sprintf("gave up waiting for %s", target)}
			if last != nil {
				e.State = last.State
			}
			return last, e
		}
		delay = min(delay*3/2, p.cfg.MaxPollInterval)
	}
}

// withOp re-labels an *Error with the outer operation and the last observed
// state.
func withOp(err error, op string, last *Instance) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out := *e
	out.Op = op
	if last != nil && out.State == "" {
		out.State = last.State
	}
	return &out
}

// sleep waits for d or until ctx ends, returning ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// jitter spreads d by ±10% so that many waiters do not poll in lockstep.
func jitter(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	spread := int64(d) / 5
	if spread == 0 {
		return d
	}
	return d - time.Duration(spread/2) + time.Duration(rand.Int64N(spread))
}
