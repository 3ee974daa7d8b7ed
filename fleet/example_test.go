package fleet_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/fleet"
)

// A broker lists realms across two clouds at once; a cloud that fails is
// named in the error while the others' realms still come back.
func Example() {
	ctx := context.Background()
	f := fleet.New(fleet.Options{Parallelism: 8, Timeout: 10 * time.Second})
	defer f.Close()
	creds := deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}
	for _, name := range []string{"west", "east"} {
		if err := f.Open(ctx, name, "mock", deltacloud.Config{Credentials: creds}); err != nil {
			log.Fatal(err)
		}
	}
	realms, err := f.Realms(ctx)
	if err != nil {
		fmt.Println("failed:", fleet.Failed(err))
	}
	for _, r := range realms {
		fmt.Println(r.Provider, r.Value.ID, r.Value.State)
	}
	// Output:
	// east us AVAILABLE
	// east eu AVAILABLE
	// west us AVAILABLE
	// west eu AVAILABLE
}

// A broker asks for at least 2 vCPUs and 8 GiB on x86_64 from img1, and
// creates the smallest fit; the profiles passed over say why.
func ExampleFleet_Match() {
	ctx := context.Background()
	f := fleet.New(fleet.Options{})
	defer f.Close()
	creds := deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}
	if err := f.Open(ctx, "lab", "mock", deltacloud.Config{Credentials: creds}); err != nil {
		log.Fatal(err)
	}
	memory, _ := deltacloud.ConvertSize("8", deltacloud.GiB, deltacloud.MiB)
	m, err := f.Match(ctx, fleet.Need{
		Requirements: deltacloud.Requirements{MinCPU: "2", MinMemoryMiB: memory, Architecture: "x86_64"},
		ImageID:      "img1",
		Realm:        "us",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range m.Rejected {
		fmt.Printf("passed over %s: %s\n", r.What, r.Reason)
	}
	best := m.Candidates[0]
	fmt.Println("smallest fit:", best.Provider, best.Realm.ID, best.Profile.ID, best.Properties)
	p, _ := f.Provider(best.Provider)
	if _, err := p.CreateInstance(ctx, best.Spec()); err != nil {
		log.Fatal(err)
	}
	// Output:
	// passed over hardware profile m1-small: cpu 1 below 2; memory 1740.8 MiB below 8192; architecture i386, not x86_64
	// smallest fit: lab us m1-large map[architecture:x86_64 cpu:2 memory:8192]
}

// A broker marks what it creates; after a crash it asks every cloud for
// its marked instances that its inventory does not know, first in a dry
// run, then tearing them down. (The mock reports no launch times, so no
// MinAge here; on real clouds give one longer than a create takes, so
// creates in flight are spared.)
func ExampleFleet_Reap() {
	ctx := context.Background()
	f := fleet.New(fleet.Options{Parallelism: 8, Timeout: time.Minute})
	defer f.Close()
	creds := deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}
	inventory := map[string]bool{}
	for _, name := range []string{"west", "east"} {
		if err := f.Open(ctx, name, "mock", deltacloud.Config{Credentials: creds}); err != nil {
			log.Fatal(err)
		}
		p, _ := f.Provider(name)
		in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"}.Marked("broker-1"))
		if err != nil {
			log.Fatal(err)
		}
		if name == "west" { // the broker crashed before recording east's
			inventory[name+"/"+in.ID] = true
		}
	}
	opts := fleet.ReapOptions{Mark: "broker-1",
		Keep: func(provider, id string) bool { return inventory[provider+"/"+id] }}
	for _, destroy := range []bool{false, true} {
		opts.Destroy = destroy
		items, err := f.Reap(ctx, opts)
		if err != nil {
			log.Fatal(err)
		}
		for _, it := range items {
			fmt.Println(it.Provider, it.Value.ID, it.Value.Outcome)
		}
	}
	// Output:
	// east inst4 orphan
	// west inst4 kept
	// east inst4 destroyed
	// west inst4 kept
}
