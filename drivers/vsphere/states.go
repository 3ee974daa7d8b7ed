package vsphere

import (
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// lifecycle is the vSphere VM state machine. Every action waits for its
// vSphere task, so a create returns a running VM and the actions lead
// straight to their state; destroy is allowed from every state. A
// suspended VM resumes (powers on) or stops (powers off, losing the saved
// memory).
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionSuspend, deltacloud.StateSuspended),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateFinish),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
	deltacloud.On(deltacloud.StateSuspended, deltacloud.ActionResume, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateSuspended, deltacloud.ActionStop, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateSuspended, deltacloud.ActionDestroy, deltacloud.StateFinish),
)

// MapState maps a VM's power state onto the Deltacloud state: poweredOn is
// RUNNING, poweredOff STOPPED, suspended SUSPENDED; anything else is
// StateUnknown.
func MapState(power types.VirtualMachinePowerState) deltacloud.State {
	switch power {
	case types.VirtualMachinePowerStatePoweredOn:
		return deltacloud.StateRunning
	case types.VirtualMachinePowerStatePoweredOff:
		return deltacloud.StateStopped
	case types.VirtualMachinePowerStateSuspended:
		return deltacloud.StateSuspended
	}
	return deltacloud.StateUnknown
}
