package vsphere_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/url"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/vsphere"
)

// Example clones a VM from a template with a size and cloud-init user
// data, suspends and resumes it, and destroys it, on govmomi's vCenter
// simulator; against a real vCenter only the Config differs.
func Example() {
	// An in-process vCenter with one template.
	m := simulator.VPX()
	defer m.Remove()
	if err := m.Create(); err != nil {
		fmt.Println(err)
		return
	}
	m.Service.TLS = new(tls.Config)
	m.Service.Listen = &url.URL{User: url.UserPassword("administrator@vsphere.local", "Ex4mple-pa55")}
	srv := m.Service.NewServer()
	defer srv.Close()
	ctx := context.Background()

	u := *srv.URL
	u.User = nil
	p, err := deltacloud.Open(ctx, "vsphere", deltacloud.Config{
		Provider:    u.String(),
		Credentials: deltacloud.Credentials{User: "administrator@vsphere.local", Password: "Ex4mple-pa55"},
		Options:     map[string]string{"insecure": "true"}, // the simulator's certificate is self-signed
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	// The simulator has no template: make one with govmomi itself,
	// through the driver's client (Provider.As).
	var c *vim25.Client
	if !p.As(&c) {
		fmt.Println("no client")
		return
	}
	vm, err := find.NewFinder(c).VirtualMachine(ctx, "DC0_H0_VM0")
	if err != nil {
		fmt.Println(err)
		return
	}
	if task, err := vm.PowerOff(ctx); err != nil || task.Wait(ctx) != nil || vm.MarkAsTemplate(ctx) != nil {
		fmt.Println("cannot make the template")
		return
	}

	imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
	if err != nil || len(imgs) == 0 {
		fmt.Println(len(imgs), err)
		return
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{
		ImageID: imgs[0].ID, Name: "web-1", UserData: []byte("#cloud-config\nhostname: web-1\n"),
		ProfileID: "custom", Properties: map[string]string{"cpu": "2", "memory": "2048"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.State, in.Profile.Overrides["cpu"], in.Profile.Overrides["memory"], in.Actions)
	if in, err = p.Suspend(ctx, in.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.State, in.Actions)
	if in, err = p.Resume(ctx, in.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.State)
	if err := p.Destroy(ctx, in.ID); err != nil {
		fmt.Println(err)
		return
	}
	_, err = p.Instance(ctx, in.ID)
	fmt.Println(deltacloud.CodeOf(err).String())
	// Output:
	// web-1 RUNNING 2 2048 [reboot stop suspend destroy]
	// SUSPENDED [resume stop destroy]
	// RUNNING
	// not found
}

// ExampleParseProvider shows the provider's forms: the URL loses any user
// information, which comes back apart.
func ExampleParseProvider() {
	for _, p := range []string{"vcenter.example.com", "https://vcenter.example.com:8443/sdk", "https://ops:s3cret@vcenter.example.com/sdk"} {
		u, creds, err := vsphere.ParseProvider(p)
		fmt.Println(u, creds, err)
	}
	// Output:
	// https://vcenter.example.com/sdk  <nil>
	// https://vcenter.example.com:8443/sdk  <nil>
	// https://vcenter.example.com/sdk ops:*** <nil>
}
