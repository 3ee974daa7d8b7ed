package deltacloud_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
)

// openPending opens a mock cloud whose new instances stay PENDING for their
// first two reads, polling fast.
func openPending(ctx context.Context) *deltacloud.Provider {
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{
		Credentials:  deltacloud.Credentials{User: "mockuser", Password: "mockpassword"},
		PollInterval: time.Millisecond,
		Options:      map[string]string{"pending_polls": "2"},
	})
	if err != nil {
		log.Fatal(err)
	}
	return p
}

// Wait for a new instance to leave PENDING. Temporary errors while polling
// are retried; a typo in the state is refused at once.
func ExampleProvider_WaitFor() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := openPending(ctx)
	defer p.Close()

	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", in.State)

	// This call polls every 10 ms, whatever the provider's PollInterval.
	in, err = p.WaitFor(ctx, in.ID, deltacloud.StateRunning, deltacloud.WaitOptions{PollInterval: 10 * time.Millisecond})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("now:", in.State, in.Actions)

	_, err = p.WaitFor(ctx, in.ID, "RUNING")
	fmt.Println(errors.Is(err, deltacloud.ErrInvalidArgument))
	// Output:
	// created: PENDING
	// now: RUNNING [reboot stop]
	// true
}

// Drive an instance to a state: Drive plans the actions, waits through the
// states the cloud leaves by itself and plans again if the instance moves
// meanwhile. FINISH tears the instance down.
func ExampleProvider_Drive() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := openPending(ctx)
	defer p.Close()

	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	if err != nil {
		log.Fatal(err)
	}
	// PENDING → (the cloud) RUNNING → stop → STOPPED.
	in, err = p.Drive(ctx, in.ID, deltacloud.StateStopped)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.State)

	// STOPPED → destroy → gone.
	in, err = p.Drive(ctx, in.ID, deltacloud.StateFinish)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.State)
	_, err = p.Instance(ctx, in.ID)
	fmt.Println(errors.Is(err, deltacloud.ErrNotFound))
	// Output:
	// STOPPED
	// FINISH
	// true
}

// Watch instances change. Passing a listing taken first as Initial makes
// an instance created before ranging starts a "created" event; without it
// the instance would only be part of the first snapshot.
func ExampleProvider_Watch() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := openMock(ctx)
	defer p.Close()

	known, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		log.Fatal(err)
	}
	events := p.Watch(ctx, deltacloud.WatchOptions{Interval: 10 * time.Millisecond, Initial: known})

	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Name: "web-1"})
	if err != nil {
		log.Fatal(err)
	}
	stopped := false
	for ev := range events {
		switch ev.Kind {
		case deltacloud.EventCreated:
			fmt.Println(ev.Kind, ev.Instance.Name, ev.Instance.State)
			if _, err := p.Stop(ctx, in.ID); err != nil {
				log.Fatal(err)
			}
			stopped = true
		case deltacloud.EventChanged:
			fmt.Println(ev.Kind, ev.Instance.Name, ev.From, "→", ev.Instance.State)
		case deltacloud.EventError:
			continue // a temporary failure; the watch retries
		}
		if stopped && ev.Kind == deltacloud.EventChanged {
			break
		}
	}
	// Output:
	// created web-1 RUNNING
	// changed web-1 RUNNING → STOPPED
}
