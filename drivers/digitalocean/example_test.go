package digitalocean_test

import (
	"context"
	"fmt"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
)

// exampleT stands in for a *testing.T where an example starts the fake.
type exampleT struct{ cleanups []func() }

func (t *exampleT) Cleanup(f func()) { t.cleanups = append(t.cleanups, f) }

// Example opens the driver (here on the fake API; leave "endpoint" out for
// DigitalOcean itself), creates a droplet, waits for it and destroys it.
func Example() {
	t := &exampleT{}
	s := dotest.NewServer(t)
	defer func() {
		for _, f := range t.cleanups {
			f()
		}
	}()
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "digitalocean", deltacloud.Config{
		Provider:     "nyc3",
		Credentials:  deltacloud.Credentials{Password: dotest.Token}, // the API token
		Options:      map[string]string{"endpoint": s.URL, "poll_interval": "1ms"},
		PollInterval: time.Millisecond,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ubuntu-24-04-x64", Name: "web-1", ProfileID: "s-1vcpu-1gb"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.RealmID, in.State)
	in, err = p.WaitFor(ctx, in.ID, deltacloud.StateRunning)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.State, in.Actions)
	if err := p.Destroy(ctx, in.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = p.WaitFor(ctx, in.ID, deltacloud.StateFinish)
	fmt.Println("destroyed:", err == nil)
	// Output:
	// web-1 nyc3 PENDING
	// web-1 RUNNING [reboot stop destroy]
	// destroyed: true
}
