package digitalocean

import "github.com/deltacloud-go/deltacloud"

// lifecycle is the droplet state machine. A create is new, then active;
// stop, start and reboot are droplet actions the driver waits for, so they
// lead straight to their end state; destroy deletes the droplet from any
// settled state, and it is gone (FINISH) once DigitalOcean has removed it.
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StatePending, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.Auto(deltacloud.StateShuttingDown, deltacloud.StateFinish),
)

// MapState maps a droplet status onto the Deltacloud state; an unknown
// status is StateUnknown.
func MapState(status string) deltacloud.State {
	switch status {
	case "new":
		return deltacloud.StatePending
	case "active":
		return deltacloud.StateRunning
	case "off":
		return deltacloud.StateStopped
	case "archive":
		return deltacloud.StateShuttingDown
	}
	return deltacloud.StateUnknown
}
