package vsphere_test

import (
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"

	"github.com/deltacloud-go/deltacloud"
)

// vmFacts are what a test checks of a VM, read with the raw client.
type vmFacts struct {
	NamePrefix bool
	CPU        int32
	MemoryMiB  int32
	Power      types.VirtualMachinePowerState
	Pool       string
	UserData   string
	Encoding   string
}

func (s *sim) facts(t *testing.T, id, namePrefix string) vmFacts {
	t.Helper()
	vm := s.vm(t, id, "name", "config", "runtime.powerState", "resourcePool")
	f := vmFacts{NamePrefix: strings.HasPrefix(vm.Name, namePrefix), CPU: vm.Config.Hardware.NumCPU,
		MemoryMiB: vm.Config.Hardware.MemoryMB, Power: vm.Runtime.PowerState, Pool: vm.ResourcePool.Value}
	for _, o := range vm.Config.ExtraConfig {
		ov := o.GetOptionValue()
		switch ov.Key {
		case "guestinfo.userdata":
			f.UserData = ov.Value.(string)
		case "guestinfo.userdata.encoding":
			f.Encoding = ov.Value.(string)
		}
	}
	return f
}

func TestCreate(t *testing.T) {
	s := newSim(t, nil)
	p := s.open(t, s.config("profiles", "small=1:256,large=4:1024"))
	ctx := t.Context()
	tmpl := s.vm(t, s.template, "config.hardware")
	realms, err := p.Realms(ctx)
	if err != nil || len(realms) < 2 {
		t.Fatalf("Realms: %v, %v", realms, err)
	}
	userData := "#cloud-config\nhostname: web\n"
	cases := []struct {
		name        string
		spec        deltacloud.InstanceSpec
		wantName    string
		wantProfile deltacloud.InstanceProfile
		want        vmFacts
	}{
		{"size and user data",
			deltacloud.InstanceSpec{Name: "web 1", ProfileID: "custom", Properties: map[string]string{"cpu": "2", "memory": "512"},
				UserData: []byte(userData)},
			"web 1", deltacloud.InstanceProfile{ID: "custom", Overrides: map[string]string{"cpu": "2", "memory": "512"}},
			vmFacts{NamePrefix: true, CPU: 2, MemoryMiB: 512, Power: "poweredOn", Pool: realms[0].ID,
				UserData: base64.StdEncoding.EncodeToString([]byte(userData)), Encoding: "base64"}},
		{"fixed profile in a realm",
			deltacloud.InstanceSpec{Name: "small", ProfileID: "small", RealmID: realms[1].ID},
			"small", deltacloud.InstanceProfile{ID: "small"},
			vmFacts{NamePrefix: true, CPU: 1, MemoryMiB: 256, Power: "poweredOn", Pool: realms[1].ID}},
		{"template's size",
			deltacloud.InstanceSpec{Name: "plain"},
			"plain", deltacloud.InstanceProfile{ID: "custom", Overrides: map[string]string{
				"cpu": strconv.Itoa(int(tmpl.Config.Hardware.NumCPU)), "memory": strconv.Itoa(int(tmpl.Config.Hardware.MemoryMB))}},
			vmFacts{NamePrefix: true, CPU: tmpl.Config.Hardware.NumCPU, MemoryMiB: tmpl.Config.Hardware.MemoryMB,
				Power: "poweredOn", Pool: realms[0].ID}},
		{"custom profile defaults",
			deltacloud.InstanceSpec{Name: "defaults", ProfileID: "custom"},
			"defaults", deltacloud.InstanceProfile{ID: "custom", Overrides: map[string]string{"cpu": "1", "memory": "1024"}},
			vmFacts{NamePrefix: true, CPU: 1, MemoryMiB: 1024, Power: "poweredOn", Pool: realms[0].ID}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			spec := c.spec
			spec.ImageID = s.template
			in, err := p.CreateInstance(ctx, spec)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { p.Destroy(ctx, in.ID) })
			if in.Name != c.wantName || in.ImageID != s.template || in.State != deltacloud.StateRunning {
				t.Errorf("instance %q from %s in %s, want %q from %s RUNNING", in.Name, in.ImageID, in.State, c.wantName, s.template)
			}
			if d := cmp.Diff(c.wantProfile, in.Profile); d != "" {
				t.Errorf("profile (-want +got):\n%s", d)
			}
			prefix := strings.ReplaceAll(c.wantName, " ", "-") + "-"
			if d := cmp.Diff(c.want, s.facts(t, in.ID, prefix)); d != "" {
				t.Errorf("the VM (-want +got):\n%s", d)
			}
		})
	}
}

func TestCreateRefusals(t *testing.T) {
	s := newSim(t, nil)
	p := s.open(t, s.config("max_user_data", "16"))
	before := s.vms(t)
	cases := []struct {
		name string
		spec deltacloud.InstanceSpec
		want error
	}{
		{"unknown image", deltacloud.InstanceSpec{ImageID: "vm-999999"}, deltacloud.ErrNotFound},
		{"a VM, not a template", deltacloud.InstanceSpec{ImageID: s.ref(t, "DC0_H0_VM1")}, deltacloud.ErrNotFound},
		{"malformed image id", deltacloud.InstanceSpec{ImageID: "../../etc"}, deltacloud.ErrNotFound},
		{"unknown realm", deltacloud.InstanceSpec{ImageID: s.template, RealmID: "resgroup-999999"}, deltacloud.ErrInvalidArgument},
		{"user data too long", deltacloud.InstanceSpec{ImageID: s.template, UserData: []byte(strings.Repeat("x", 17))}, deltacloud.ErrInvalidArgument},
		{"unknown option", deltacloud.InstanceSpec{ImageID: s.template, Options: map[string]string{"colour": "blue"}}, deltacloud.ErrInvalidArgument},
		{"memory off the 4 MiB step", deltacloud.InstanceSpec{ImageID: s.template, ProfileID: "custom",
			Properties: map[string]string{"memory": "1023"}}, deltacloud.ErrInvalidArgument},
	}
	for _, c := range cases {
		if _, err := p.CreateInstance(t.Context(), c.spec); !errors.Is(err, c.want) {
			t.Errorf("%s: create = %v, want %v", c.name, err, c.want)
		}
	}
	if d := cmp.Diff(before, s.vms(t)); d != "" {
		t.Errorf("refused creates changed the VMs (-before +after):\n%s", d)
	}
}

// TestOwnership: a provider sees and touches only the VMs it made, unless
// all_vms is set; another owner sees none of them.
func TestOwnership(t *testing.T) {
	s := newSim(t, nil)
	ctx := t.Context()
	mine := s.open(t, s.config())
	in, err := mine.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: s.template, Name: "mine"})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(p *deltacloud.Provider) []string {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, in := range ins {
			out = append(out, in.Name)
		}
		return out
	}
	if d := cmp.Diff([]string{"mine"}, ids(mine)); d != "" {
		t.Errorf("the owner's listing (-want +got):\n%s", d)
	}
	other := s.open(t, s.config("owner", "someone-else"))
	if got := ids(other); len(got) != 0 {
		t.Errorf("another owner lists %q", got)
	}
	if _, err := other.Stop(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("another owner's Stop = %v, want ErrNotFound", err)
	}
	if err := other.Destroy(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("another owner's Destroy = %v, want ErrNotFound", err)
	}
	all := s.open(t, s.config("all_vms", "true"))
	if got := ids(all); len(got) != 4 { // the simulator's three VMs that are not the template, and ours
		t.Errorf("all_vms lists %q, want the simulator's 3 VMs and ours", got)
	}
}

// TestStop: a guest without VMware Tools is powered off; stop=power_off
// powers off at once.
func TestStop(t *testing.T) {
	s := newSim(t, nil)
	ctx := t.Context()
	for _, opts := range [][]string{nil, {"stop", "power_off"}} {
		p := s.open(t, s.config(opts...))
		in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: s.template})
		if err != nil {
			t.Fatal(err)
		}
		s.model.Service.AddFaultRule(&simulator.FaultInjectionRule{MethodName: "ShutdownGuest", ObjectType: "*", ObjectName: "*",
			Probability: 1, FaultType: simulator.FaultTypeCustom, Fault: &types.ToolsUnavailable{}, Enabled: true})
		out, err := p.Stop(ctx, in.ID)
		s.model.Service.ClearFaultRules()
		if err != nil || out.State != deltacloud.StateStopped {
			t.Errorf("stop (options %q) = %+v, %v; want STOPPED", opts, out, err)
		}
		if err := p.Destroy(ctx, in.ID); err != nil {
			t.Error(err)
		}
	}
}
