package hetzner

import (
	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// lifecycle is the Hetzner Cloud server state machine. A server is created
// initializing (PENDING) and runs once its create_server action succeeds;
// stop is an ACPI shutdown (with a hard power-off after stop_timeout) or,
// with the option stop=poweroff, a power-off, through STOPPING; start
// powers a server on; reboot is an ACPI reboot; destroy deletes the server
// from any settled state. PENDING may also settle on STOPPED: a server
// created without starting, or migrated while off, comes to rest there.
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StatePending),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.Auto(deltacloud.StateShuttingDown, deltacloud.StateFinish),
)

// MapState maps a server's status onto the Deltacloud state:
//
//	initializing, starting, migrating, rebuilding  PENDING
//	running                                         RUNNING
//	stopping                                        STOPPING
//	off                                             STOPPED
//	deleting                                        SHUTTING_DOWN
//	unknown, anything else                          UNKNOWN
//
// A server migrating or being rebuilt comes back running or off, as it
// was; both are reachable from PENDING.
func MapState(status hcloud.ServerStatus) deltacloud.State {
	switch status {
	case hcloud.ServerStatusInitializing, hcloud.ServerStatusStarting,
		hcloud.ServerStatusMigrating, hcloud.ServerStatusRebuilding:
		return deltacloud.StatePending
	case hcloud.ServerStatusRunning:
		return deltacloud.StateRunning
	case hcloud.ServerStatusStopping:
		return deltacloud.StateStopping
	case hcloud.ServerStatusOff:
		return deltacloud.StateStopped
	case hcloud.ServerStatusDeleting:
		return deltacloud.StateShuttingDown
	}
	return deltacloud.StateUnknown
}
