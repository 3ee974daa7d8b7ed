package hetzner_test

import (
	"context"
	"fmt"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/hetzner/hetznertest"
)

// Example launches a server in Helsinki with an SSH key, stops it and
// destroys it, on the fake API; against Hetzner Cloud only the Config
// differs (the project's API token as the password, no endpoint option).
func Example() {
	ctx := context.Background()
	api := hetznertest.NewServer() // the fake Hetzner Cloud API
	defer api.Close()
	p, err := deltacloud.Open(ctx, "hetzner", deltacloud.Config{
		Provider:    "fsn1", // the default location
		Credentials: deltacloud.Credentials{Password: api.Token()},
		Options:     map[string]string{"endpoint": api.URL, "poll_interval": "10ms"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	key, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "deploy"}) // an ed25519 pair made here
	if err != nil {
		fmt.Println(err)
		return
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{
		ImageID: "100", // ubuntu-24.04 (x86) on the fake
		RealmID: "hel1", ProfileID: "cx23", Name: "web-1", KeyName: key.Name,
		Tags: map[string]string{"team": "blue"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.State, in.RealmID, in.Profile.ID, in.Authentication.Method, in.Tags["team"])
	if in, err = p.Stop(ctx, in.ID); err != nil { // an ACPI shutdown, awaited
		fmt.Println(err)
		return
	}
	fmt.Println(in.State, in.Actions)
	if err := p.Destroy(ctx, in.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("servers left:", len(api.Servers()))
	// Output:
	// web-1 RUNNING hel1 cx23 key blue
	// STOPPED [start destroy]
	// servers left: 0
}
