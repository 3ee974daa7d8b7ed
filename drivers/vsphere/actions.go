package vsphere

import (
	"context"
	"errors"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// Act starts, stops, reboots, suspends, resumes or destroys one of the
// provider's VMs, and waits for vSphere to finish.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	s, err := c.session(ctx)
	if err != nil {
		return nil, err
	}
	mvm, err := c.ownedVM(ctx, s, id)
	if err != nil {
		return nil, err
	}
	vm := object.NewVirtualMachine(s.c, mvm.Self)
	switch a {
	case deltacloud.ActionStart:
		err = c.wait(ctx, s, func() (*object.Task, error) { return vm.PowerOn(ctx) })
	case deltacloud.ActionStop:
		if mvm.Runtime.PowerState == types.VirtualMachinePowerStateSuspended {
			// A suspended guest cannot shut down: power off.
			err = c.wait(ctx, s, func() (*object.Task, error) { return vm.PowerOff(ctx) })
		} else {
			err = c.stop(ctx, s, vm)
		}
	case deltacloud.ActionSuspend:
		err = c.wait(ctx, s, func() (*object.Task, error) { return vm.Suspend(ctx) })
	case deltacloud.ActionResume:
		err = c.wait(ctx, s, func() (*object.Task, error) { return vm.PowerOn(ctx) })
	case deltacloud.ActionReboot:
		err = c.reboot(ctx, s, vm)
	case deltacloud.ActionDestroy:
		return nil, c.destroyVM(ctx, s, vm)
	default:
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "vsphere: unknown action %q", a)
	}
	if err != nil {
		var e *deltacloud.Error
		if errors.As(err, &e) && e.Code == deltacloud.InvalidState {
			e.State = stateOf(mvm)
		}
		return nil, err
	}
	return c.instance(ctx, s, id)
}

// stop shuts the guest down and powers off when the tools are not running
// or the shutdown takes longer than shutdown_timeout; with stop=power_off
// it powers off at once.
func (c *conn) stop(ctx context.Context, s *state, vm *object.VirtualMachine) error {
	powerOff := func() error { return c.wait(ctx, s, func() (*object.Task, error) { return vm.PowerOff(ctx) }) }
	if c.opts.powerOff {
		return powerOff()
	}
	if err := vm.ShutdownGuest(ctx); err != nil {
		if isFault(err, &types.ToolsUnavailable{}) {
			return powerOff()
		}
		return c.fail(s, err)
	}
	wctx, cancel := context.WithTimeout(ctx, c.opts.shutdownTimeout)
	defer cancel()
	err := vm.WaitForPowerState(wctx, types.VirtualMachinePowerStatePoweredOff)
	if err != nil && ctx.Err() == nil {
		// The guest did not stop in time; it may stop meanwhile.
		if err := powerOff(); err != nil && !isFault(err, &types.InvalidPowerState{}) {
			return err
		}
		return nil
	}
	if err != nil {
		return c.fail(s, err)
	}
	return nil
}

// reboot restarts the guest, or resets the VM when the tools are not
// running.
func (c *conn) reboot(ctx context.Context, s *state, vm *object.VirtualMachine) error {
	err := vm.RebootGuest(ctx)
	if isFault(err, &types.ToolsUnavailable{}) {
		return c.wait(ctx, s, func() (*object.Task, error) { return vm.Reset(ctx) })
	}
	if err != nil {
		return c.fail(s, err)
	}
	return nil
}

// destroyVM powers a VM off (unless it is off), detaches the volumes
// (which are kept) and deletes it with its other disks; a VM already gone
// is not an error.
func (c *conn) destroyVM(ctx context.Context, s *state, vm *object.VirtualMachine) error {
	var mvm mo.VirtualMachine
	err := c.retrieveOne(ctx, s, vm.Reference(), []string{"runtime.powerState", "config.hardware.device"}, &mvm)
	if isFault(err, &types.ManagedObjectNotFound{}) {
		return nil
	}
	if err != nil {
		return err
	}
	if mvm.Runtime.PowerState != types.VirtualMachinePowerStatePoweredOff {
		err := c.wait(ctx, s, func() (*object.Task, error) { return vm.PowerOff(ctx) })
		if err != nil && !isFault(err, &types.InvalidPowerState{}) {
			return err
		}
	}
	if att := c.diskAttachments(&mvm); len(att) > 0 {
		disks := make([]*types.VirtualDisk, 0, len(att))
		for _, a := range att {
			disks = append(disks, a.disk)
		}
		if err := c.detach(ctx, s, vm, disks...); err != nil {
			return err
		}
	}
	err = c.wait(ctx, s, func() (*object.Task, error) { return vm.Destroy(ctx) })
	if isFault(err, &types.ManagedObjectNotFound{}) {
		return nil
	}
	return err
}
