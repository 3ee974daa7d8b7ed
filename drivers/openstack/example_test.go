package openstack_test

import (
	"context"
	"fmt"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// Example boots a server with a key pair in a zone, suspends and resumes
// it and deletes it, on the in-memory cloud; against a real OpenStack only
// the Config differs (the Keystone URL, user, password and project).
func Example() {
	ctx := context.Background()
	c := openstacktest.NewCloud()
	defer c.Close()
	p, err := deltacloud.Open(ctx, "openstack", c.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	if _, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "ops"}); err != nil {
		fmt.Println(err)
		return
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "2",
		RealmID: "nova", Name: "web-1", KeyName: "ops"})
	if err != nil {
		fmt.Println(err)
		return
	}
	// The server is PENDING while Nova builds it (how long depends on the
	// cloud), then RUNNING.
	if in, err = p.WaitFor(ctx, in.ID, deltacloud.StateRunning); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.State, in.RealmID, in.Profile.ID, in.Authentication.KeyName)
	for _, step := range []struct {
		a    deltacloud.Action
		want deltacloud.State
	}{{deltacloud.ActionSuspend, deltacloud.StateSuspended}, {deltacloud.ActionResume, deltacloud.StateRunning}} {
		if _, err := p.Do(ctx, in.ID, step.a); err != nil {
			fmt.Println(err)
			return
		}
		got, err := p.WaitFor(ctx, in.ID, step.want)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(step.a, "→", got.State)
	}
	if err := p.Destroy(ctx, in.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = p.WaitFor(ctx, in.ID, deltacloud.StateFinish)
	fmt.Println("destroyed:", err == nil)
	// Output:
	// web-1 RUNNING nova 2 ops
	// suspend → SUSPENDED
	// resume → RUNNING
	// destroyed: true
}
