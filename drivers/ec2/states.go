package ec2

import (
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// lifecycle is EC2's state machine. EC2 terminates an instance in any live
// state (pending, running, stopping, stopped), and a terminating instance
// passes through shutting-down, from which it can only finish; the
// original's machine allowed destroy only from STOPPED, which made a teardown
// take a needless stop and showed shutting-down instances as startable.
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
	deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
	// The original's machine has start lead straight to RUNNING; real EC2 passes through
	// pending, so the machine says so and a live watch stays inside it.
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StatePending),
	deltacloud.On(deltacloud.StatePending, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateStopping, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateShuttingDown),
	deltacloud.Auto(deltacloud.StateShuttingDown, deltacloud.StateFinish),
)

// MapState maps an EC2 instance state name onto the Deltacloud state;
// an unknown name is StateUnknown.
func MapState(s types.InstanceStateName) deltacloud.State {
	switch s {
	case types.InstanceStateNamePending:
		return deltacloud.StatePending
	case types.InstanceStateNameRunning:
		return deltacloud.StateRunning
	case types.InstanceStateNameStopping:
		return deltacloud.StateStopping
	case types.InstanceStateNameStopped:
		return deltacloud.StateStopped
	case types.InstanceStateNameShuttingDown:
		return deltacloud.StateShuttingDown
	case types.InstanceStateNameTerminated:
		return deltacloud.StateFinish
	}
	return deltacloud.StateUnknown
}

// stateNames are the EC2 state names that map onto a Deltacloud state, for
// the instance-state-name filter.
func stateNames(s deltacloud.State) []string {
	switch s {
	case deltacloud.StatePending:
		return []string{"pending"}
	case deltacloud.StateRunning:
		return []string{"running"}
	case deltacloud.StateStopping:
		return []string{"stopping"}
	case deltacloud.StateStopped:
		return []string{"stopped"}
	case deltacloud.StateShuttingDown:
		return []string{"shutting-down"}
	case deltacloud.StateFinish:
		return []string{"terminated"}
	}
	return nil
}

// Actions returns the actions an instance allows in state s. EBS-backed
// instances follow the state machine; for instance-store instances stop is
// shown as destroy and start is removed. The result is never nil.
func Actions(s deltacloud.State, rootDeviceType types.DeviceType) []deltacloud.Action {
	as := lifecycle.Actions(s)
	out := make([]deltacloud.Action, 0, len(as))
	ebs := rootDeviceType == types.DeviceTypeEbs
	for _, a := range as {
		if !ebs {
			switch a {
			case deltacloud.ActionStart:
				continue
			case deltacloud.ActionStop:
				a = deltacloud.ActionDestroy
			}
		}
		if !containsAction(out, a) {
			out = append(out, a)
		}
	}
	return out
}

func containsAction(as []deltacloud.Action, a deltacloud.Action) bool {
	for _, x := range as {
		if x == a {
			return true
		}
	}
	return false
}
