package libvirt

import (
	"context"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
)

// stopPoll is how often stop looks whether the guest has shut down.
const stopPoll = 100 * time.Millisecond

// Act starts, stops, reboots, suspends, resumes or destroys one of the
// owner's domains.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	h, err := c.facts(ctx)
	if err != nil {
		return nil, err
	}
	lv, err := c.client(ctx)
	if err != nil {
		return nil, err
	}
	var d golibvirt.Domain
	var m *meta
	err = c.do(ctx, func(lv *golibvirt.Libvirt) error {
		d, m, err = c.lookup(lv, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	switch a {
	case deltacloud.ActionStart:
		err = c.do(ctx, func(lv *golibvirt.Libvirt) error { return wrap(lv.DomainCreate(d)) })
	case deltacloud.ActionReboot:
		err = c.do(ctx, func(lv *golibvirt.Libvirt) error { return wrap(lv.DomainReboot(d, golibvirt.DomainRebootDefault)) })
	case deltacloud.ActionSuspend:
		err = c.do(ctx, func(lv *golibvirt.Libvirt) error { return wrap(lv.DomainSuspend(d)) })
	case deltacloud.ActionResume:
		err = c.do(ctx, func(lv *golibvirt.Libvirt) error { return wrap(lv.DomainResume(d)) })
	case deltacloud.ActionStop:
		err = c.stop(ctx, lv, d)
	case deltacloud.ActionDestroy:
		// The tear-down is not abandoned half-way: it runs to its end
		// (bounded by cleanupTimeout) even if the caller goes.
		unlock := c.lockDomain(id)
		defer unlock()
		tctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cleanupTimeout)
		defer cancel()
		if err := c.teardown(tctx, lv, made{dom: &d, root: m.Root, seed: m.Seed}); err != nil {
			return nil, err
		}
		c.domainMu.Delete(id)
		return nil, nil
	default:
		return nil, notSupported("action %q", a)
	}
	if err != nil {
		return nil, err
	}
	var in deltacloud.Instance
	err = c.do(ctx, func(lv *golibvirt.Libvirt) error {
		in, err = c.instanceOf(lv, h, d, m)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &in, nil
}

// stop asks the guest to shut down (ACPI power button) and powers the
// domain off if it has not within the shutdown_timeout option. A guest
// that does not react to ACPI at all is powered off at once.
func (c *conn) stop(ctx context.Context, lv *golibvirt.Libvirt, d golibvirt.Domain) error {
	err := c.do(ctx, func(lv *golibvirt.Libvirt) error {
		return lv.DomainShutdownFlags(d, golibvirt.DomainShutdownAcpiPowerBtn)
	})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err == nil {
		deadline := time.Now().Add(c.opts.shutdownTimeout)
		for time.Now().Before(deadline) {
			var state int32
			err := c.do(ctx, func(lv *golibvirt.Libvirt) (err error) {
				state, _, err = lv.DomainGetState(d, 0)
				return wrap(err)
			})
			if err != nil {
				return err
			}
			if golibvirt.DomainState(state) == golibvirt.DomainShutoff {
				return nil
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(stopPoll):
			}
		}
	} else if !isCode(err, golibvirt.ErrOperationInvalid) && !isCode(err, golibvirt.ErrNoSupport) &&
		!isCode(err, golibvirt.ErrArgumentUnsupported) && !isCode(err, golibvirt.ErrOperationFailed) {
		return wrap(err)
	}
	return c.do(ctx, func(lv *golibvirt.Libvirt) error {
		err := lv.DomainDestroyFlags(d, golibvirt.DomainDestroyDefault)
		if isCode(err, golibvirt.ErrOperationInvalid) {
			return nil // it shut off meanwhile
		}
		return wrap(err)
	})
}
