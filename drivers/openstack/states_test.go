package openstack_test

import (
	"context"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

func TestMapState(t *testing.T) {
	cases := []struct {
		status, task string
		want         deltacloud.State
	}{
		{"BUILD", "spawning", deltacloud.StatePending},
		{"ACTIVE", "", deltacloud.StateRunning},
		{"ACTIVE", "powering-off", deltacloud.StateStopping},
		{"SHUTOFF", "", deltacloud.StateStopped},
		{"SHUTOFF", "powering-on", deltacloud.StatePending},
		{"ACTIVE", "suspending", deltacloud.StateSuspended},
		{"SUSPENDED", "", deltacloud.StateSuspended},
		{"PAUSED", "", deltacloud.StatePaused},
		{"ERROR", "", deltacloud.StateError},
		{"ACTIVE", "deleting", deltacloud.StateShuttingDown},
		{"REBOOT", "rebooting", deltacloud.StatePending},
		{"SHELVED_OFFLOADED", "", deltacloud.StateStopped},
		{"WHATEVER", "", deltacloud.StateUnknown},
	}
	for _, c := range cases {
		if got := openstack.MapState(c.status, c.task); got != c.want {
			t.Errorf("MapState(%q, %q) = %s, want %s", c.status, c.task, got, c.want)
		}
	}
}

// With suspend=pause, ActionSuspend is Nova's pause and resume unpauses.
func TestPauseOption(t *testing.T) {
	ctx := context.Background()
	c := openstacktest.New(t)
	for _, mode := range []struct {
		option string
		want   deltacloud.State
	}{{"suspend", deltacloud.StateSuspended}, {"pause", deltacloud.StatePaused}} {
		p, err := open(ctx, c, "suspend", mode.option)
		if err != nil {
			t.Fatal(err)
		}
		in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning); err != nil {
			t.Fatal(err)
		}
		if _, err := p.Do(ctx, in.ID, deltacloud.ActionSuspend); err != nil {
			t.Fatalf("%s: suspend: %v", mode.option, err)
		}
		got, err := p.WaitFor(ctx, in.ID, mode.want)
		if err != nil {
			t.Fatalf("%s: wait for %s: %v", mode.option, mode.want, err)
		}
		if _, err := p.Do(ctx, in.ID, deltacloud.ActionResume); err != nil {
			t.Fatalf("%s: resume from %s: %v", mode.option, got.State, err)
		}
		if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning); err != nil {
			t.Fatal(err)
		}
		if err := p.Destroy(ctx, in.ID); err != nil {
			t.Fatal(err)
		}
		p.Close()
	}
}

// A server Nova is still suspending or pausing reads SUSPENDED or PAUSED,
// whose resume Nova refuses (409) until it is done: resume waits for it.
// (Without the wait this failed whenever the fake's step outlasted the
// requests between, as TestPauseOption did without -race.)
func TestResumeWhileSuspending(t *testing.T) {
	ctx := t.Context()
	c := openstacktest.New(t)
	for _, mode := range []string{"suspend", "pause"} {
		p, err := open(ctx, c, "suspend", mode)
		if err != nil {
			t.Fatal(err)
		}
		c.SetStep(5 * time.Millisecond)
		in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning); err != nil {
			t.Fatal(err)
		}
		c.SetStep(300 * time.Millisecond)
		got, err := p.Do(ctx, in.ID, deltacloud.ActionSuspend)
		if err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if _, err := p.Do(ctx, in.ID, deltacloud.ActionResume); err != nil {
			t.Errorf("%s: resume right after suspend (%s): %v", mode, got.State, err)
		}
		c.SetStep(5 * time.Millisecond)
		p.Destroy(ctx, in.ID)
		p.Close()
	}
}

// A server still building (PENDING) can be destroyed, as Nova allows: the
// live run's Concurrency group left its three servers behind, because the
// suite's cleanup found them PENDING with no destroy allowed.
func TestDestroyPending(t *testing.T) {
	ctx := t.Context()
	c, p := openFake(t)
	c.SetStep(time.Hour)
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1"})
	if err != nil {
		t.Fatal(err)
	}
	if in.State != deltacloud.StatePending || !in.Can(deltacloud.ActionDestroy) {
		t.Errorf("building instance: %s with actions %v, want PENDING with destroy", in.State, in.Actions)
	}
	c.SetStep(time.Millisecond)
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatalf("Destroy of a PENDING instance: %v", err)
	}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateFinish); err != nil {
		t.Errorf("after Destroy: %v", err)
	}
}
