package gce

import "github.com/deltacloud-go/deltacloud"

// lifecycle is Compute Engine's instance state machine. Create returns once
// the insert operation is done (RUNNING); stop and suspend pass through
// STOPPING (GCE's STOPPING and SUSPENDING) to STOPPED (TERMINATED) and
// SUSPENDED; start and resume pass through PENDING (STAGING). GCE deletes
// an instance in any state, and the delete ends with the instance gone.
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionSuspend, deltacloud.StateStopping),
	deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
	deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateSuspended),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StatePending),
	deltacloud.On(deltacloud.StateSuspended, deltacloud.ActionResume, deltacloud.StatePending),
	deltacloud.On(deltacloud.StateSuspended, deltacloud.ActionStop, deltacloud.StateStopping),
	deltacloud.On(deltacloud.StatePending, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateStopping, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateSuspended, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.Auto(deltacloud.StateShuttingDown, deltacloud.StateFinish),
)

// MapState maps an instance's status onto the Deltacloud state:
// PROVISIONING, STAGING and REPAIRING are PENDING, RUNNING is RUNNING,
// STOPPING and SUSPENDING are STOPPING, TERMINATED (GCE's word for a
// stopped instance, which keeps its disks) is STOPPED and SUSPENDED is
// SUSPENDED. Anything else is StateUnknown.
func MapState(status string) deltacloud.State {
	switch status {
	case "PROVISIONING", "STAGING", "REPAIRING":
		return deltacloud.StatePending
	case "RUNNING":
		return deltacloud.StateRunning
	case "STOPPING", "SUSPENDING":
		return deltacloud.StateStopping
	case "TERMINATED", "STOPPED":
		return deltacloud.StateStopped
	case "SUSPENDED":
		return deltacloud.StateSuspended
	}
	return deltacloud.StateUnknown
}

// actionMethods are the instance methods of the actions other than
// destroy.
var actionMethods = map[deltacloud.Action]string{
	deltacloud.ActionStart:   "start",
	deltacloud.ActionStop:    "stop",
	deltacloud.ActionReboot:  "reset",
	deltacloud.ActionSuspend: "suspend",
	deltacloud.ActionResume:  "resume",
}
