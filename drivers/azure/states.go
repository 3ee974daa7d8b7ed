package azure

import (
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/deltacloud-go/deltacloud"
)

// lifecycle is the Azure VM state machine. Create returns once the VM is
// provisioned; stop deallocates (or powers off) through STOPPING; destroy is
// allowed from every settled state, including a failed provisioning.
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateError),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StatePending),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateError, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.Auto(deltacloud.StateShuttingDown, deltacloud.StateFinish),
)

// MapState maps a VM's provisioning state and power state onto the
// Deltacloud state. Both are the lower-case words after "ProvisioningState/"
// and "PowerState/" in the instance view's status codes (creating, updating,
// succeeded, failed, deleting; starting, running, stopping, stopped,
// deallocating, deallocated). Deleting and failed provisioning win over the
// power state; otherwise the power state decides, and a VM still being
// created without one is pending. Anything else is StateUnknown.
func MapState(provisioning, power string) deltacloud.State {
	provisioning, power = strings.ToLower(provisioning), strings.ToLower(power)
	switch provisioning {
	case "deleting":
		return deltacloud.StateShuttingDown
	case "failed":
		return deltacloud.StateError
	}
	switch power {
	case "starting":
		return deltacloud.StatePending
	case "running":
		if provisioning == "creating" {
			return deltacloud.StatePending
		}
		return deltacloud.StateRunning
	case "stopping", "deallocating":
		return deltacloud.StateStopping
	case "stopped", "deallocated":
		return deltacloud.StateStopped
	}
	if provisioning == "creating" || provisioning == "updating" {
		return deltacloud.StatePending
	}
	return deltacloud.StateUnknown
}

// statesOf reads the provisioning and power state from an instance view's
// statuses ("ProvisioningState/failed/AllocationFailed" gives "failed"),
// falling back to the VM's provisioning state.
func statesOf(vm *armcompute.VirtualMachine, iv *armcompute.VirtualMachineInstanceView) (provisioning, power string) {
	if vm != nil && vm.Properties != nil && vm.Properties.ProvisioningState != nil {
		provisioning = *vm.Properties.ProvisioningState
	}
	if iv == nil && vm != nil && vm.Properties != nil {
		iv = vm.Properties.InstanceView
	}
	if iv == nil {
		return provisioning, ""
	}
	for _, s := range iv.Statuses {
		if s == nil || s.Code == nil {
			continue
		}
		kind, rest, _ := strings.Cut(*s.Code, "/")
		word, _, _ := strings.Cut(rest, "/")
		switch kind {
		case "ProvisioningState":
			provisioning = word
		case "PowerState":
			power = word
		}
	}
	return provisioning, power
}
