package deltacloud_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strings"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
)

func openMock(ctx context.Context) *deltacloud.Provider {
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"},
	})
	if err != nil {
		log.Fatal(err)
	}
	return p
}

// Open the mock cloud and list what it has.
func ExampleOpen() {
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		log.Fatal(err)
	}
	for _, in := range ins {
		fmt.Println(in.ID, in.State, in.Actions)
	}
	// Output:
	// inst0 RUNNING [reboot stop]
	// inst1 RUNNING [reboot stop]
	// inst2 RUNNING [reboot stop]
	// inst3 RUNNING [reboot stop]
}

// Create an instance with a hardware profile override, wait for it to run,
// and take it to FINISH by the plan the state machine gives.
func ExampleProvider_CreateInstance() {
	ctx := context.Background()
	p := openMock(ctx)
	defer p.Close()

	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{
		ImageID:    "img1",
		ProfileID:  "m1-large",
		Properties: map[string]string{"memory": "12288.0"},
		Name:       "web-1",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.ID, in.Name, in.Profile.Overrides)

	in, err = p.WaitFor(ctx, in.ID, deltacloud.StateRunning)
	if err != nil {
		log.Fatal(err)
	}
	plan, err := p.Lifecycle().Plan(in.State, deltacloud.StateFinish)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("plan:", plan)
	for _, a := range plan {
		if _, err := p.Do(ctx, in.ID, a); err != nil {
			log.Fatal(err)
		}
	}
	_, err = p.Instance(ctx, in.ID)
	fmt.Println(errors.Is(err, deltacloud.ErrNotFound))
	// Output:
	// inst4 web-1 map[memory:12288]
	// plan: [stop destroy]
	// true
}

// Values outside what a hardware profile allows are refused before the cloud
// is called, with a message naming what is allowed.
func ExampleProvider_CreateInstance_invalidOverride() {
	ctx := context.Background()
	p := openMock(ctx)
	defer p.Close()

	_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{
		ImageID:    "img1",
		ProfileID:  "m1-large",
		Properties: map[string]string{"cpu": "8"},
	})
	fmt.Println(errors.Is(err, deltacloud.ErrInvalidArgument))
	fmt.Println(err)
	// Output:
	// true
	// deltacloud: CreateInstance: hardware property cpu: "8" is not allowed; allowed: 1 to 6
}

// Features say which optional parameters a cloud honours; using one it does
// not advertise is an error, not a silent no-op.
func ExampleProvider_Features() {
	ctx := context.Background()
	p := openMock(ctx)
	defer p.Close()

	for _, f := range p.Features() {
		fmt.Println(f.Collection, f.Operation, f.Name, f.Params)
	}
	_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Firewalls: []string{"web"}})
	fmt.Println(errors.Is(err, deltacloud.ErrNotSupported))
	// Output:
	// images create image_name [name]
	// images create image_description [description]
	// instances create metrics [metrics]
	// instances index realm_filter [realm_id]
	// instances create user_name [name]
	// instances create user_data [user_data]
	// instances create authentication_key [keyname]
	// storage_volumes create volume_name [name]
	// storage_volumes create volume_description [description]
	// true
}

// Plan finds the shortest list of actions between two states; automatic
// transitions cost nothing.
func ExampleStateMachine_Plan() {
	m := deltacloud.MustStateMachine(
		deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
		deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
		deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
		deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
		deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
		deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
	)
	plan, _ := m.Plan(deltacloud.StateRunning, deltacloud.StateFinish)
	fmt.Println(plan)
	plan, _ = m.Plan(deltacloud.StatePending, deltacloud.StateStopped)
	fmt.Println(plan)
	fmt.Println(m.Actions(deltacloud.StateStopped))
	// Output:
	// [stop destroy]
	// [stop]
	// [start destroy]
}

// Stream a blob into a bucket and back; the content is never held whole in
// memory, and metadata travels with it.
func ExampleProvider_PutBlob() {
	ctx := context.Background()
	p := openMock(ctx)
	defer p.Close()

	if !slices.Contains(p.Collections(), deltacloud.CollectionBuckets) {
		log.Fatal("this cloud has no object storage")
	}
	if _, err := p.CreateBucket(ctx, deltacloud.BucketSpec{Name: "reports"}); err != nil {
		log.Fatal(err)
	}
	content := strings.NewReader("quarterly numbers\n")
	blob, err := p.PutBlob(ctx, "reports", deltacloud.BlobSpec{
		ID: "q3.txt", ContentType: "text/plain",
		Metadata: map[string]string{"quarter": "3"},
		Size:     content.Size(),
	}, content)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(blob.ID, blob.ContentLength, blob.Metadata["quarter"])

	_, r, err := p.BlobContent(ctx, "reports", "q3.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	if _, err := io.Copy(os.Stdout, r); err != nil {
		log.Fatal(err)
	}

	// A bucket that still holds blobs cannot be destroyed.
	err = p.DestroyBucket(ctx, "reports")
	fmt.Println(errors.Is(err, deltacloud.ErrInvalidState))
	// Output:
	// q3.txt 18 3
	// quarterly numbers
	// true
}

// Attach a storage volume to a running instance; the Provider checks the
// volume's state first.
func ExampleProvider_AttachStorageVolume() {
	ctx := context.Background()
	p := openMock(ctx)
	defer p.Close()

	v, err := p.AttachStorageVolume(ctx, "vol1", "inst0", "/dev/sdb")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(v.ID, v.State, v.InstanceID, v.Device)

	// vol1 is now in use: attaching it again is refused before the cloud is
	// asked, and so is destroying it.
	_, err = p.AttachStorageVolume(ctx, "vol1", "inst2", "")
	fmt.Println(errors.Is(err, deltacloud.ErrInvalidState))
	fmt.Println(errors.Is(p.DestroyStorageVolume(ctx, "vol1"), deltacloud.ErrInvalidState))
	// Output:
	// vol1 IN-USE inst0 /dev/sdb
	// true
	// true
}
