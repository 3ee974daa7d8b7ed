package libvirt_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/libvirt"
)

// ParseURI says what a provider URI makes the driver dial, and refuses the
// transports that would use the server host's own keys.
func ExampleParseURI() {
	for _, uri := range []string{"qemu:///system", "test:///default?socket=/tmp/d/libvirt-sock", "qemu+tcp://10.0.0.5/system", "qemu+ssh://host/system"} {
		e, err := libvirt.ParseURI(uri)
		if err != nil {
			fmt.Println(uri, "→", deltacloud.CodeOf(err).String())
			continue
		}
		fmt.Println(uri, "→", e.Network, e.Address, "opens", e.Remote)
	}
	// Output:
	// qemu:///system → unix /run/libvirt/libvirt-sock opens qemu:///system
	// test:///default?socket=/tmp/d/libvirt-sock → unix /tmp/d/libvirt-sock opens test:///default
	// qemu+tcp://10.0.0.5/system → tcp 10.0.0.5:16509 opens qemu:///system
	// qemu+ssh://host/system → not supported
}

// A server opens every provider with NoAmbientCredentials: a request
// without credentials never reaches the host's libvirt socket.
func Example_anonymousRequest() {
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "libvirt", deltacloud.Config{
		Provider:             "qemu:///system",
		NoAmbientCredentials: true,
		Options:              map[string]string{"user": "operator", "password": "s3cret"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	_, err = p.Instances(ctx, deltacloud.InstanceFilter{})
	fmt.Println(errors.Is(err, deltacloud.ErrAuthFailure))
	// Output: true
}

// The lifecycle of a domain: a running one can be paused (suspend) and a
// paused one resumed; features are what a create may ask for.
func Example_lifecycle() {
	p, err := deltacloud.Open(context.Background(), "libvirt", deltacloud.Config{Provider: "qemu:///system"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	m := p.Lifecycle()
	fmt.Println("running:", m.Actions(deltacloud.StateRunning))
	fmt.Println("paused:", m.Actions(deltacloud.StatePaused))
	for _, f := range p.Features() {
		fmt.Print(f.Name, " ")
	}
	fmt.Println()
	// Output:
	// running: [reboot stop suspend destroy]
	// paused: [resume destroy]
	// user_name user_data authentication_key volume_name
}
