package vsphere_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/simulator"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

// stepMethods are the vSphere methods of each create step.
var stepMethods = map[string]string{
	"clone":       "CloneVM_Task",
	"fields":      "SetField",
	"reconfigure": "ReconfigVM_Task",
	"power_on":    "PowerOnVM_Task",
}

// TestCreateLeavesNothing fails or cancels a create at each of its steps,
// in every way a step can go wrong, and checks that the simulator holds
// the same VMs afterwards: the clean-up removed what the create made.
func TestCreateLeavesNothing(t *testing.T) {
	s := newSim(t, nil)
	// Every create has user data and a size, so that no step is skipped.
	spec := deltacloud.InstanceSpec{ImageID: s.template, Name: "leak", UserData: []byte("#cloud-config\n"),
		ProfileID: "custom", Properties: map[string]string{"cpu": "2", "memory": "256"}}
	cases := []struct {
		name     string
		prepare  func(t *testing.T, step string) (ctx context.Context)
		wantCode deltacloud.Code
	}{
		{"fault", func(t *testing.T, step string) context.Context {
			s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{MethodName: stepMethods[step], ObjectType: "*", ObjectName: "*",
				Probability: 1, FaultType: simulator.FaultTypeInsufficientResourcesFault, Message: "injected", Enabled: true, MaxCount: 1})
			t.Cleanup(s.model.Service.ClearFaultRules)
			return t.Context()
		}, deltacloud.Unavailable},
		{"hook error", func(t *testing.T, step string) context.Context {
			t.Cleanup(vsphere.SetStepHook(func(_ context.Context, at string) error {
				if at == step {
					return deltacloud.Errorf(deltacloud.Backend, "injected failure before %s", step)
				}
				return nil
			}))
			return t.Context()
		}, deltacloud.Backend},
		{"cancelled before", func(t *testing.T, step string) context.Context {
			ctx, cancel := context.WithCancel(t.Context())
			t.Cleanup(vsphere.SetStepHook(func(ctx context.Context, at string) error {
				if at == step {
					cancel()
					return ctx.Err()
				}
				return nil
			}))
			return ctx
		}, deltacloud.Canceled},
		{"answer lost", func(t *testing.T, step string) context.Context {
			s.wire.stall(nil, regexp.MustCompile("^"+stepMethods[step]+"$"))
			t.Cleanup(func() { s.wire.stall(nil, nil) })
			// The deadline comes when the step's answer is dropped.
			ctx, stop := s.wire.deadlineAtStall(t.Context())
			t.Cleanup(stop)
			return ctx
		}, deltacloud.Timeout},
	}
	before := s.vms(t)
	slices.Sort(before)
	for _, c := range cases {
		for _, step := range vsphere.Steps {
			t.Run(c.name+"/"+step, func(t *testing.T) {
				p, err := deltacloud.Open(t.Context(), "vsphere", s.configWire())
				if err != nil {
					t.Fatal(err)
				}
				ctx := c.prepare(t, step)
				in, err := p.CreateInstance(ctx, spec)
				if err == nil {
					t.Errorf("create succeeded (%s): %s", in.ID, in.Name)
				} else if got := deltacloud.CodeOf(err); got != c.wantCode {
					t.Errorf("create = %v (%s), want %s", err, got, c.wantCode)
				}
				p.Close() // waits for the background clean-up
				after := s.vms(t)
				slices.Sort(after)
				if d := cmp.Diff(before, after); d != "" {
					t.Errorf("VMs after the failed create (-before +after):\n%s", d)
				}
			})
		}
	}
}

// TestCreateCleanupFailureIsReported checks that a clean-up that fails is
// part of the create's error, so a VM left behind is never silent.
func TestCreateCleanupFailureIsReported(t *testing.T) {
	s := newSim(t, nil)
	p := s.open(t, s.config())
	s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{MethodName: "PowerOnVM_Task", ObjectType: "*", ObjectName: "*",
		Probability: 1, FaultType: simulator.FaultTypeGeneric, Message: "power on failed", Enabled: true})
	s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{MethodName: "Destroy_Task", ObjectType: "*", ObjectName: "*",
		Probability: 1, FaultType: simulator.FaultTypeNoPermission, Message: "no destroy", Enabled: true, MaxCount: 1})
	defer s.model.Service.ClearFaultRules()
	_, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: s.template})
	if err == nil || !regexp.MustCompile(`cleaning up after the failed create: .*NoPermission`).MatchString(err.Error()) {
		t.Errorf("create = %v, want the power-on failure and the failed clean-up", err)
	}
	if !errors.Is(err, deltacloud.ErrBackend) {
		t.Errorf("create = %v, want the power-on failure's code (backend)", err)
	}
}

// TestCreateImageLeavesNothing fails an image create after its clone, and
// loses the clone's answer: neither leaves a template.
func TestCreateImageLeavesNothing(t *testing.T) {
	s := newSim(t, nil)
	p := s.open(t, s.configWire())
	in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: s.template})
	if err != nil {
		t.Fatal(err)
	}
	before := s.vms(t)
	slices.Sort(before)
	failures := map[string]func(t *testing.T) context.Context{
		"fault marking": func(t *testing.T) context.Context {
			s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{MethodName: "SetField", ObjectType: "*", ObjectName: "*",
				Probability: 1, FaultType: simulator.FaultTypeNoPermission, Enabled: true, MaxCount: 1})
			t.Cleanup(s.model.Service.ClearFaultRules)
			return t.Context()
		},
		"clone answer lost": func(t *testing.T) context.Context {
			s.wire.stall(nil, regexp.MustCompile("^CloneVM_Task$"))
			t.Cleanup(func() { s.wire.stall(nil, nil) })
			// The deadline comes when the clone's answer is dropped.
			ctx, stop := s.wire.deadlineAtStall(t.Context())
			t.Cleanup(stop)
			return ctx
		},
	}
	for name, fail := range failures {
		t.Run(name, func(t *testing.T) {
			// A provider of its own, whose Close waits for the clean-up
			// of a cancelled create, which runs in the background.
			q := s.open(t, s.configWire())
			img, err := q.CreateImage(fail(t), deltacloud.ImageSpec{InstanceID: in.ID, Name: "golden-" + strings.ReplaceAll(name, " ", "-")})
			if err == nil {
				t.Fatalf("CreateImage succeeded: %s", img.ID)
			}
			q.Close() // waits for the background clean-up
			after := s.vms(t)
			slices.Sort(after)
			if d := cmp.Diff(before, after); d != "" {
				t.Fatalf("VMs after the failed image create (-before +after):\n%s", d)
			}
		})
	}
}
