package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/deltacloud-go/deltacloud/internal/ctxsleep"
)

// WaitOptions change how one WaitFor or Drive call polls, for a caller
// whose instance settles faster or slower than the provider's usual (set
// by Config.PollInterval and Config.MaxPollInterval). Zero fields keep the
// provider's values.
type WaitOptions struct {
	// PollInterval is the first delay between polls.
	PollInterval time.Duration
	// MaxPollInterval caps the delay as it grows by half after each poll.
	MaxPollInterval time.Duration
	// Progress, when set, is called with every instance a poll reads, on
	// the caller's goroutine, so a program can show the way to the target
	// (the command-line tool's --wait does). It must not keep the pointer.
	Progress func(*Instance)
}

// progressOf is the last Progress of opts, or a no-op.
func progressOf(opts []WaitOptions) func(*Instance) {
	for i := len(opts) - 1; i >= 0; i-- {
		if opts[i].Progress != nil {
			return opts[i].Progress
		}
	}
	return func(*Instance) {}
}

// pollDelays returns the first and the largest delay between polls for a
// call with opts (at most one is used).
func (p *Provider) pollDelays(opts []WaitOptions) (first, most time.Duration) {
	first, most = p.cfg.PollInterval, p.cfg.MaxPollInterval
	for _, o := range opts {
		if o.PollInterval > 0 {
			first = o.PollInterval
		}
		if o.MaxPollInterval > 0 {
			most = o.MaxPollInterval
		}
	}
	return first, max(first, most)
}

// checkTarget refuses a target state the provider's lifecycle does not
// know (a typo such as "RUNING" could otherwise only ever time out), and
// StateStart, which no instance is ever in.
func (p *Provider) checkTarget(op, id string, target State) error {
	if target == StateStart || !p.lifecycle.Has(target) {
		return &Error{Code: InvalidArgument, Op: op, ID: id,
			Message: fmt.Sprintf("unknown state %q: driver %s's instances can be %v", target, p.driver, p.targets())}
	}
	return nil
}

// targets lists the states an instance can be in, for messages.
func (p *Provider) targets() []State {
	var out []State
	for _, s := range p.lifecycle.States() {
		if s != StateStart {
			out = append(out, s)
		}
	}
	return out
}

// WaitFor polls an instance until it reaches the target state, backing off
// from Config.PollInterval to Config.MaxPollInterval (or the values of
// opts, for this call only). Temporary errors (rate limiting, an
// unavailable or failing cloud, see Code.Temporary) are retried at the next
// poll; any other error ends the wait and is returned. It fails at once
// with ErrInvalidArgument for a target the lifecycle does not know, with
// ErrInvalidState (carrying the last observed state) when the state machine
// says the target can no longer be reached, and with ErrTimeout (or
// ErrCanceled) when ctx ends first. Waiting for StateFinish also succeeds
// when the instance disappears, as destroyed instances do on most clouds.
//
// WaitFor only watches; to make an instance reach a state, use Drive.
func (p *Provider) WaitFor(ctx context.Context, id string, target State, opts ...WaitOptions) (*Instance, error) {
	const op = "WaitFor"
	if err := p.checkTarget(op, id, target); err != nil {
		return nil, err
	}
	var last *Instance
	delay, most := p.pollDelays(opts)
	progress := progressOf(opts)
	for {
		in, err := p.Instance(ctx, id)
		switch {
		case err == nil:
			progress(in)
			if in.State == target {
				return in, nil
			}
			if !p.lifecycle.Reachable(in.State, target) {
				return in, p.label(&Error{Code: InvalidState, Op: op, ID: id, State: in.State,
					Message: fmt.Sprintf("instance is %s, from which %s can no longer be reached", in.State, target)})
			}
			last = in
		case errors.Is(err, ErrNotFound) && target == StateFinish:
			return gone(id, last), nil
		case ctx.Err() != nil || !CodeOf(err).Temporary():
			return nil, withOp(err, op, last)
		}
		if err := ctxsleep.Sleep(ctx, jitter(delay)); err != nil {
			return last, p.gaveUp(op, id, fmt.Sprintf("gave up waiting for %s", target), last, err)
		}
		delay = min(delay*3/2, most)
	}
}

// gone is what is known of a destroyed instance that is no longer listed.
func gone(id string, last *Instance) *Instance {
	g := Instance{ID: id, State: StateFinish}
	if last != nil {
		g = *last
		g.State, g.Actions = StateFinish, nil
	}
	return &g
}

// gaveUp is the error of a wait the context ended.
func (p *Provider) gaveUp(op, id, msg string, last *Instance, err error) error {
	e := &Error{Code: ctxCode(err), Op: op, ID: id, Err: err, Message: msg}
	if last != nil {
		e.State = last.State
	}
	return p.label(e)
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
