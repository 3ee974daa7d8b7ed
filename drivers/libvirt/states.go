package libvirt

import (
	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
)

// lifecycle is the domain state machine. Create defines and starts the
// domain and returns it running; stop is an ACPI shutdown that ends in a
// destroy after the shutdown_timeout option; it returns once the domain
// is shut off, and a domain seen meanwhile (or shut down from within) is
// STOPPING.
// Suspend pauses the vCPUs (virDomainSuspend: memory stays, PAUSED) and
// resume lets them run on (virDomainResume). A crashed domain (ERROR) can
// only be destroyed.
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionSuspend, deltacloud.StatePaused),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateFinish),
	deltacloud.On(deltacloud.StatePaused, deltacloud.ActionResume, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StatePaused, deltacloud.ActionDestroy, deltacloud.StateFinish),
	deltacloud.Auto(deltacloud.StateRunning, deltacloud.StateError),
	deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateStopping, deltacloud.ActionDestroy, deltacloud.StateFinish),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
	deltacloud.On(deltacloud.StateError, deltacloud.ActionDestroy, deltacloud.StateFinish),
)

// MapState maps a libvirt domain state (virDomainState) onto the
// Deltacloud state: running and blocked are RUNNING, shutdown (shutting
// down) is STOPPING, shutoff is STOPPED, crashed is ERROR, paused is
// PAUSED. pmsuspended (the guest suspended itself, which only a guest
// wake-up ends) and nostate are UNKNOWN.
func MapState(s golibvirt.DomainState) deltacloud.State {
	switch s {
	case golibvirt.DomainRunning, golibvirt.DomainBlocked:
		return deltacloud.StateRunning
	case golibvirt.DomainShutdown:
		return deltacloud.StateStopping
	case golibvirt.DomainShutoff:
		return deltacloud.StateStopped
	case golibvirt.DomainPaused:
		return deltacloud.StatePaused
	case golibvirt.DomainCrashed:
		return deltacloud.StateError
	}
	return deltacloud.StateUnknown
}
