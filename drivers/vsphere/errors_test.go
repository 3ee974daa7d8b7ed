package vsphere_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

func TestCodeFor(t *testing.T) {
	cases := []struct {
		fault types.BaseMethodFault
		want  deltacloud.Code
	}{
		{&types.NotAuthenticated{}, deltacloud.AuthFailure},
		{&types.InvalidLogin{}, deltacloud.AuthFailure},
		{&types.NoPermission{}, deltacloud.Forbidden},
		{&types.ManagedObjectNotFound{}, deltacloud.NotFound},
		{&types.FileNotFound{}, deltacloud.NotFound},
		{&types.InvalidPowerState{}, deltacloud.InvalidState},
		{&types.InvalidState{}, deltacloud.InvalidState},
		{&types.ToolsUnavailable{}, deltacloud.InvalidState},
		{&types.DuplicateName{}, deltacloud.Conflict},
		{&types.FileAlreadyExists{}, deltacloud.Conflict},
		{&types.TaskInProgress{}, deltacloud.Conflict},
		{&types.InvalidArgument{}, deltacloud.InvalidArgument},
		{&types.InvalidName{}, deltacloud.InvalidArgument},
		{&types.NotSupported{}, deltacloud.NotSupported},
		{&types.InsufficientResourcesFault{}, deltacloud.Unavailable},
		{&types.InsufficientMemoryResourcesFault{}, deltacloud.Unavailable},
		{&types.NoDiskSpace{}, deltacloud.Unavailable},
		{&types.HostNotConnected{}, deltacloud.Unavailable},
		{&types.RequestCanceled{}, deltacloud.Canceled},
		{&types.Timedout{}, deltacloud.Timeout},
		{&types.SystemError{}, deltacloud.Backend},
		{&types.CustomizationFault{}, deltacloud.CodeUnknown},
	}
	for _, c := range cases {
		if got := vsphere.CodeFor(c.fault); got != c.want {
			t.Errorf("CodeFor(%T) = %s, want %s", c.fault, got, c.want)
		}
	}
}

// TestFaultsThroughTheDriver has the simulator answer faults to the
// driver's real calls and checks the codes a Provider returns.
func TestFaultsThroughTheDriver(t *testing.T) {
	s := newSim(t, nil)
	p := s.open(t, s.config())
	ctx := t.Context()
	in := s.instance(t, p)
	cases := []struct {
		method string
		fault  simulator.FaultType
		call   func() error
		want   deltacloud.Code
		state  deltacloud.State
	}{
		{"SuspendVM_Task", simulator.FaultTypeInvalidState, func() error {
			_, err := p.Suspend(ctx, in.ID)
			return err
		}, deltacloud.InvalidState, deltacloud.StateRunning},
		{"CloneVM_Task", simulator.FaultTypeInsufficientResourcesFault, func() error {
			_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: s.template})
			return err
		}, deltacloud.Unavailable, ""},
		{"CloneVM_Task", simulator.FaultTypeNoPermission, func() error {
			_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: s.template})
			return err
		}, deltacloud.Forbidden, ""},
		{"RetrievePropertiesEx", simulator.FaultTypeManagedObjectNotFound, func() error {
			_, err := p.Instance(ctx, in.ID)
			return err
		}, deltacloud.NotFound, ""},
	}
	for _, c := range cases {
		s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{MethodName: c.method, ObjectType: "*", ObjectName: "*",
			Probability: 1, FaultType: c.fault, Message: "injected", Enabled: true, MaxCount: 1})
		err := c.call()
		s.model.Service.ClearFaultRules()
		var e *deltacloud.Error
		if !errors.As(err, &e) || e.Code != c.want || e.State != c.state {
			t.Errorf("%s answering %v: %v (%+v), want %s in state %q", c.method, c.fault, err, e, c.want, c.state)
		}
	}
}

// TestSessionLostLogsInAgain: a session vCenter forgot (NotAuthenticated)
// fails one call with ErrAuthFailure, and the next logs in again.
func TestSessionLostLogsInAgain(t *testing.T) {
	s := newSim(t, nil)
	p := s.open(t, s.config())
	ctx := t.Context()
	if err := p.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{MethodName: "CreateContainerView", ObjectType: "*", ObjectName: "*",
		Probability: 1, FaultType: simulator.FaultTypeNotAuthenticated, Enabled: true, MaxCount: 1})
	defer s.model.Service.ClearFaultRules()
	if _, err := p.Realms(ctx); !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Fatalf("Realms with a lost session = %v, want ErrAuthFailure", err)
	}
	if _, err := p.Realms(ctx); err != nil {
		t.Fatalf("Realms after the lost session = %v, want a new session", err)
	}
}

// TestBadPasswordIsNotShown: neither the error of a rejected login nor the
// provider's printed forms show the password.
func TestBadPasswordIsNotShown(t *testing.T) {
	s := newSim(t, nil)
	const secret = "Wr0ng-but-secret"
	cfg := s.config()
	cfg.Credentials.Password = secret
	p := s.open(t, cfg)
	_, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if !errors.Is(err, deltacloud.ErrAuthFailure) {
		t.Fatalf("Instances with a wrong password = %v, want ErrAuthFailure", err)
	}
	for _, text := range []string{err.Error(), cfg.Credentials.String()} {
		if strings.Contains(text, secret) {
			t.Errorf("the password shows in %q", text)
		}
	}
}
