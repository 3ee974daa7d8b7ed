package azure

import (
	"context"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/runtime"

	"github.com/deltacloud-go/deltacloud"
)

// Act starts, stops (deallocates, or powers off with the option
// stop=power_off), restarts or destroys a VM. Start, stop and reboot return
// once Azure accepted the operation, with the VM as it is then; destroy
// waits until the VM, its interface, public IP and OS disk are deleted.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	vm, err := c.ownedVM(ctx, id, false)
	if err != nil {
		return nil, err
	}
	rg := c.scope.ResourceGroup
	switch a {
	case deltacloud.ActionStart:
		_, err = c.vms.BeginStart(ctx, rg, id, nil)
	case deltacloud.ActionStop:
		if c.opts.powerOff {
			_, err = c.vms.BeginPowerOff(ctx, rg, id, nil)
		} else {
			_, err = c.vms.BeginDeallocate(ctx, rg, id, nil)
		}
	case deltacloud.ActionReboot:
		_, err = c.vms.BeginRestart(ctx, rg, id, nil)
	case deltacloud.ActionDestroy:
		names, err := c.namesOf(ctx, vm)
		if err != nil {
			return nil, err
		}
		if err := c.teardown(ctx, names, false); err != nil {
			return nil, wrap(err)
		}
		return nil, nil
	default:
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "azure: unknown action %q", a)
	}
	if err != nil {
		return nil, notFoundAs(err, "instance", id)
	}
	return c.Instance(ctx, id)
}

// pollOpts are the options of every wait for a long-running operation.
func (c *conn) pollOpts() *runtime.PollUntilDoneOptions {
	return &runtime.PollUntilDoneOptions{Frequency: c.opts.pollInterval}
}
