package openstack

import (
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// lifecycle is the Nova server state machine. With pause, ActionSuspend
// is Nova's pause (RUNNING → PAUSED) and a SUSPENDED server is only ever
// found (suspended by another client); without, it is Nova's suspend and a
// PAUSED server is the one found. Either is left by resume (Nova resume or
// unpause). A server found in the other state comes from START directly:
// it was put there outside the driver.
func lifecycle(pause bool) *deltacloud.StateMachine {
	suspended, found := deltacloud.StateSuspended, deltacloud.StatePaused
	if pause {
		suspended, found = deltacloud.StatePaused, deltacloud.StateSuspended
	}
	s := deltacloud.StateStart
	return deltacloud.MustStateMachine(
		deltacloud.Auto(s, deltacloud.StatePending),
		deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
		deltacloud.Auto(deltacloud.StatePending, deltacloud.StateError),
		// Nova deletes a server in any state, one still building too.
		deltacloud.On(deltacloud.StatePending, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StatePending),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionSuspend, suspended),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
		deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
		deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StatePending),
		deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
		deltacloud.On(suspended, deltacloud.ActionResume, deltacloud.StatePending),
		deltacloud.On(suspended, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
		deltacloud.Auto(s, found),
		deltacloud.On(found, deltacloud.ActionResume, deltacloud.StatePending),
		deltacloud.On(found, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
		deltacloud.On(deltacloud.StateError, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
		deltacloud.Auto(deltacloud.StateShuttingDown, deltacloud.StateFinish),
	)
}

// MapState maps a server's status and task state (OS-EXT-STS:task_state,
// "" when null) onto the Deltacloud state; see the package doc's table.
func MapState(status, task string) deltacloud.State {
	switch strings.ToLower(task) {
	case "deleting", "soft-deleting":
		return deltacloud.StateShuttingDown
	case "powering-off", "shelving", "shelving_image_pending_upload", "shelving_image_uploading", "shelving_offloading":
		return deltacloud.StateStopping
	case "suspending":
		return deltacloud.StateSuspended
	case "pausing":
		return deltacloud.StatePaused
	case "powering-on", "resuming", "unpausing", "rebooting", "reboot_pending", "reboot_started",
		"rebooting_hard", "reboot_pending_hard", "reboot_started_hard", "unshelving", "spawning", "scheduling",
		"networking", "block_device_mapping":
		return deltacloud.StatePending
	}
	switch strings.ToUpper(status) {
	case "BUILD", "REBOOT", "HARD_REBOOT", "REBUILD", "RESIZE", "MIGRATING", "REVERT_RESIZE":
		return deltacloud.StatePending
	case "ACTIVE", "VERIFY_RESIZE", "RESCUE", "PASSWORD":
		return deltacloud.StateRunning
	case "SHUTOFF", "SHELVED", "SHELVED_OFFLOADED":
		return deltacloud.StateStopped
	case "SUSPENDED":
		return deltacloud.StateSuspended
	case "PAUSED":
		return deltacloud.StatePaused
	case "ERROR":
		return deltacloud.StateError
	case "DELETED", "SOFT_DELETED":
		return deltacloud.StateFinish
	}
	return deltacloud.StateUnknown
}
