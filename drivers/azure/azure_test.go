package azure_test

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

const ubuntu = "Canonical:ubuntu-24_04-lts:server:latest"

// mustOpen opens the driver on s, closed when the test ends.
func mustOpen(t *testing.T, s *azuretest.Subscription, options ...string) *deltacloud.Provider {
	t.Helper()
	p, err := open(t.Context(), s, options...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// baseline creates and destroys one instance, so the shared network
// exists, and returns the resources then.
func baseline(t *testing.T, s *azuretest.Subscription, p *deltacloud.Provider) []string {
	t.Helper()
	in, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	if err := p.Destroy(t.Context(), in.ID); err != nil {
		t.Fatalf("Destroy: %v", err)
	}
	return s.Resources()
}

func TestRealmsAndProfiles(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	rs, err := p.Realms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []deltacloud.Realm{
		{ID: "eastus-1", Name: "eastus zone 1", State: deltacloud.RealmAvailable},
		{ID: "eastus-2", Name: "eastus zone 2", State: deltacloud.RealmAvailable},
		{ID: "eastus-3", Name: "eastus zone 3", State: deltacloud.RealmAvailable},
		{ID: "eastus", Name: "eastus", State: deltacloud.RealmAvailable},
	}
	if d := cmp.Diff(want, rs); d != "" {
		t.Errorf("Realms (-want +got):\n%s", d)
	}
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hs {
		ids = append(ids, h.ID)
	}
	if d := cmp.Diff([]string{"Standard_B1ls", "Standard_B1s", "Standard_B2s", "Standard_D2s_v5", "Standard_D2ps_v5", "Standard_D4s_v5"}, ids); d != "" {
		t.Errorf("profiles (-want +got), restricted sizes and disks left out:\n%s", d)
	}
	b1ls := deltacloud.HardwareProfile{ID: "Standard_B1ls", Name: "Standard_B1ls", Properties: []deltacloud.Property{
		deltacloud.FixedProperty("cpu", "count", "1"),
		deltacloud.FixedProperty("memory", "MB", "512"),
		deltacloud.FixedProperty("storage", "GB", "4"),
		deltacloud.FixedProperty("architecture", "label", "x86_64"),
	}}
	if d := cmp.Diff(b1ls, hs[0]); d != "" {
		t.Errorf("Standard_B1ls (-want +got):\n%s", d)
	}
	if arm := hs[slices.IndexFunc(hs, func(h deltacloud.HardwareProfile) bool { return h.ID == "Standard_D2ps_v5" })]; arm.Value("architecture") != "arm64" || arm.Value("storage") != "" {
		t.Errorf("Standard_D2ps_v5 = %+v; want arm64 without a temporary disk", arm)
	}
}

func TestImages(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, img := range imgs {
		ids = append(ids, img.ID)
	}
	want := []string{
		"Canonical:ubuntu-24_04-lts:server:latest",
		"Canonical:ubuntu-24_04-lts:server-arm64:latest",
		"Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
		"Debian:debian-12:12-gen2:latest",
		"MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest",
		"golden-image",
	}
	if d := cmp.Diff(want, ids); d != "" {
		t.Errorf("images (-want +got); URNs the location lacks are left out:\n%s", d)
	}
	if d := cmp.Diff(deltacloud.Image{
		ID: ubuntu, Name: "ubuntu-24_04-lts server", Description: "Canonical ubuntu-24_04-lts server version 24.04.202501140",
		Owner: "Canonical", Architecture: "x86_64", State: "AVAILABLE", RootType: "persistent",
	}, imgs[0]); d != "" {
		t.Errorf("image (-want +got):\n%s", d)
	}
	if imgs[1].Architecture != "arm64" {
		t.Errorf("arm64 image has architecture %q", imgs[1].Architecture)
	}
	// Any URN can be read by id, listed or not.
	old := "Canonical:ubuntu-24_04-lts:server:24.04.202409120"
	img, err := p.Image(ctx, old)
	if err != nil || img.ID != old {
		t.Errorf("Image(%q) = %+v, %v", old, img, err)
	}
	for _, id := range []string{"Canonical:nope:server:latest", "bad:urn", "no-such-image", "../etc"} {
		if _, err := p.Image(ctx, id); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Image(%q) = %v, want ErrNotFound", id, err)
		}
	}
	// The images option replaces the curated list.
	p2 := mustOpen(t, s, "images", "Debian:debian-12:12-gen2:latest")
	imgs, err = p2.Images(ctx, deltacloud.ImageFilter{})
	if err != nil || len(imgs) != 2 || imgs[0].Owner != "Debian" {
		t.Errorf("Images with images option = %+v, %v", imgs, err)
	}
}

func TestCreateBuildsAndDestroyRemoves(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	before := baseline(t, s, p)
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{
		ImageID: ubuntu, RealmID: "eastus-2", ProfileID: "Standard_D2s_v5", Name: "web 1",
		KeyName: "test-key", UserData: []byte("#cloud-config\n"),
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(in.ID, "web-1-") || in.Name != "web 1" || in.State != deltacloud.StateRunning ||
		in.RealmID != "eastus-2" || in.Profile.ID != "Standard_D2s_v5" || in.ImageID != ubuntu || in.Owner != "deltacloud" {
		t.Errorf("created %+v", in)
	}
	if in.Authentication == nil || in.Authentication.Method != "key" || in.Authentication.KeyName != "test-key" || in.Authentication.Username != "azureuser" {
		t.Errorf("authentication = %+v", in.Authentication)
	}
	if len(in.PublicAddresses) != 1 || len(in.PrivateAddresses) != 1 {
		t.Errorf("addresses = %v / %v", in.PublicAddresses, in.PrivateAddresses)
	}
	got, err := p.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(*in, *got); d != "" {
		t.Errorf("Instance differs from the create's answer (-create +get):\n%s", d)
	}
	vm := s.VM(azuretest.ResourceGroup, in.ID)
	prof := vm.Properties
	if str(prof.OSProfile.CustomData) != base64.StdEncoding.EncodeToString([]byte("#cloud-config\n")) {
		t.Errorf("custom data = %q", str(prof.OSProfile.CustomData))
	}
	if k := prof.OSProfile.LinuxConfiguration.SSH.PublicKeys; len(k) != 1 || str(k[0].KeyData) != azuretest.TestPublicKey {
		t.Errorf("ssh keys = %v", k)
	}
	if !*prof.OSProfile.LinuxConfiguration.DisablePasswordAuthentication {
		t.Error("password authentication is on for a key-only VM")
	}
	if *prof.StorageProfile.OSDisk.DeleteOption != armcompute.DiskDeleteOptionTypesDelete ||
		*prof.NetworkProfile.NetworkInterfaces[0].Properties.DeleteOption != armcompute.DeleteOptionsDelete {
		t.Error("the OS disk and NIC are not created with delete option Delete")
	}
	if str(vm.Tags[azure.TagOwner]) != "deltacloud" || str(vm.Tags[azure.TagName]) != "web 1" || str(vm.Zones[0]) != "2" {
		t.Errorf("tags %v zones %v", vm.Tags, vm.Zones)
	}
	if n := len(s.Resources()) - len(before); n != 4 {
		t.Errorf("create made %d resources, want 4 (VM, disk, NIC, public IP): %q", n, s.Resources())
	}
	// Without Azure's cascading deletes the driver still removes it all.
	s.SetCascadeDeletes(false)
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, s.Resources()); d != "" {
		t.Errorf("destroy left resources (-before +after):\n%s", d)
	}
	if _, err := p.Instance(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Instance after destroy = %v, want ErrNotFound", err)
	}
}

func TestCreateVariants(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	cases := []struct {
		name  string
		spec  deltacloud.InstanceSpec
		err   error
		check func(t *testing.T, in *deltacloud.Instance, vm *armcompute.VirtualMachine)
	}{
		{name: "password and no public IP", spec: deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Options: map[string]string{"public_ip": "false"}},
			check: func(t *testing.T, in *deltacloud.Instance, vm *armcompute.VirtualMachine) {
				if len(in.PublicAddresses) != 0 || in.Authentication.Method != "password" || *vm.Properties.OSProfile.LinuxConfiguration.DisablePasswordAuthentication {
					t.Errorf("instance %+v", in)
				}
			}},
		{name: "inline key", spec: deltacloud.InstanceSpec{ImageID: ubuntu, KeyName: "ssh-rsa AAAAB3Nza test", Options: map[string]string{"admin_user": "ops"}},
			check: func(t *testing.T, in *deltacloud.Instance, vm *armcompute.VirtualMachine) {
				k := vm.Properties.OSProfile.LinuxConfiguration.SSH.PublicKeys[0]
				if str(k.KeyData) != "ssh-rsa AAAAB3Nza test" || str(k.Path) != "/home/ops/.ssh/authorized_keys" || in.Authentication.Username != "ops" {
					t.Errorf("key %+v, auth %+v", k, in.Authentication)
				}
			}},
		{name: "resource group image", spec: deltacloud.InstanceSpec{ImageID: "golden-image", Password: testPassword, RealmID: "eastus"},
			check: func(t *testing.T, in *deltacloud.Instance, vm *armcompute.VirtualMachine) {
				if in.ImageID != "golden-image" || in.RealmID != "eastus" || len(vm.Zones) != 0 {
					t.Errorf("instance %+v zones %v", in, vm.Zones)
				}
			}},
		{name: "windows", spec: deltacloud.InstanceSpec{ImageID: "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest", Name: "a-long-windows-name", Password: testPassword},
			check: func(t *testing.T, in *deltacloud.Instance, vm *armcompute.VirtualMachine) {
				if cn := str(vm.Properties.OSProfile.ComputerName); len(cn) > 15 || vm.Properties.OSProfile.WindowsConfiguration == nil {
					t.Errorf("computer name %q", cn)
				}
			}},
		{name: "no credentials", spec: deltacloud.InstanceSpec{ImageID: ubuntu}, err: deltacloud.ErrInvalidArgument},
		{name: "weak password", spec: deltacloud.InstanceSpec{ImageID: ubuntu, Password: "password"}, err: deltacloud.ErrInvalidArgument},
		{name: "windows with key", spec: deltacloud.InstanceSpec{ImageID: "MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest", KeyName: "test-key"}, err: deltacloud.ErrInvalidArgument},
		{name: "unknown key", spec: deltacloud.InstanceSpec{ImageID: ubuntu, KeyName: "no-such-key"}, err: deltacloud.ErrNotFound},
		{name: "unknown image", spec: deltacloud.InstanceSpec{ImageID: "Canonical:nope:x:latest", Password: testPassword}, err: deltacloud.ErrNotFound},
		{name: "bad realm", spec: deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, RealmID: "westeurope-1"}, err: deltacloud.ErrInvalidArgument},
		{name: "reserved admin", spec: deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Options: map[string]string{"admin_user": "root"}}, err: deltacloud.ErrInvalidArgument},
		{name: "unknown option", spec: deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Options: map[string]string{"colour": "blue"}}, err: deltacloud.ErrInvalidArgument},
	}
	before := baseline(t, s, p)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in, err := p.CreateInstance(ctx, c.spec)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("CreateInstance = %+v, %v; want %v", in, err, c.err)
				}
				if d := cmp.Diff(before, s.Resources()); d != "" {
					t.Errorf("a refused create made resources (-before +after):\n%s", d)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer p.Destroy(ctx, in.ID)
			c.check(t, in, s.VM(azuretest.ResourceGroup, in.ID))
		})
	}
}

// TestHalfFailedCreate fails each step of a create in turn and checks that
// nothing is left behind and the error says why.
func TestHalfFailedCreate(t *testing.T) {
	s := azuretest.New()
	s.SetLROSteps(2)
	p := mustOpen(t, s)
	ctx := t.Context()
	before := baseline(t, s, p)
	cases := []struct {
		name   string
		inject func()
		code   deltacloud.Code
	}{
		{"public IP refused", func() {
			s.Fail(azuretest.Fault{API: "PublicIPAddressesClient.BeginCreateOrUpdate", Status: http.StatusConflict, Code: "OperationNotAllowed", Message: "exceeding approved Total Regional Cores quota"})
		}, deltacloud.Forbidden},
		{"NIC refused", func() {
			s.Fail(azuretest.Fault{API: "InterfacesClient.BeginCreateOrUpdate", Status: http.StatusBadRequest, Code: "InvalidParameter"})
		}, deltacloud.InvalidArgument},
		{"VM refused", func() {
			s.Fail(azuretest.Fault{API: "VirtualMachinesClient.BeginCreateOrUpdate", Status: http.StatusForbidden, Code: "AuthorizationFailed"})
		}, deltacloud.Forbidden},
		{"VM allocation fails while polling", func() {
			s.FailCreate(azuretest.Fault{Status: http.StatusOK, Code: "AllocationFailed"})
		}, deltacloud.Unavailable},
		{"VM creation throttled", func() {
			s.Fail(azuretest.Fault{API: "VirtualMachinesClient.BeginCreateOrUpdate", Status: http.StatusTooManyRequests, Code: "TooManyRequests", RetryAfter: 7 * time.Second})
		}, deltacloud.RateLimited},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.inject()
			_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
			if deltacloud.CodeOf(err) != c.code {
				t.Fatalf("CreateInstance = %v; want code %s", err, c.code)
			}
			var re *azcore.ResponseError
			if !errors.As(err, &re) {
				t.Errorf("error %v does not reach *azcore.ResponseError", err)
			}
			if c.code == deltacloud.RateLimited {
				var e *deltacloud.Error
				if errors.As(err, &e); e.RetryAfter != 7*time.Second {
					t.Errorf("RetryAfter = %v, want 7s", e.RetryAfter)
				}
			}
			if d := cmp.Diff(before, s.Resources()); d != "" {
				t.Errorf("the failed create left resources (-before +after):\n%s", d)
			}
		})
	}
	t.Run("cancelled during the VM create", func(t *testing.T) {
		p := mustOpen(t, s)
		cctx, cancel := context.WithCancel(ctx)
		defer cancel()
		// Cancel exactly when the VM create arrives, after the public IP
		// and NIC were made: no wall-clock deadline to land elsewhere.
		s.OnRequest("VirtualMachinesClient.BeginCreateOrUpdate", func(*http.Request) { cancel() })
		defer s.OnRequest("VirtualMachinesClient.BeginCreateOrUpdate", nil)
		_, err := p.CreateInstance(cctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("CreateInstance = %v; want a cancellation error", err)
		}
		if n := s.Requests()["VirtualMachinesClient.BeginCreateOrUpdate"]; n == 0 {
			t.Fatal("the VM create was never requested; the cancellation landed elsewhere")
		}
		p.Close() // waits for the background clean-up
		if d := cmp.Diff(before, s.Resources()); d != "" {
			t.Errorf("the cancelled create left resources (-before +after):\n%s", d)
		}
	})
}

func TestStopOptions(t *testing.T) {
	for _, c := range []struct{ option, settled string }{{"deallocate", "deallocated"}, {"power_off", "stopped"}} {
		t.Run(c.option, func(t *testing.T) {
			s := azuretest.New()
			p := mustOpen(t, s, "stop", c.option)
			ctx := t.Context()
			in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
			if err != nil {
				t.Fatal(err)
			}
			out, err := p.Stop(ctx, in.ID)
			if err != nil || out.State != deltacloud.StateStopping {
				t.Fatalf("Stop = %+v, %v; want STOPPING", out, err)
			}
			out, err = p.WaitFor(ctx, in.ID, deltacloud.StateStopped)
			if err != nil || out.Extra["power_state"] != c.settled {
				t.Fatalf("WaitFor STOPPED = %+v, %v; want power state %s", out, err, c.settled)
			}
			if !slices.Equal(out.Actions, []deltacloud.Action{deltacloud.ActionStart, deltacloud.ActionDestroy}) {
				t.Errorf("actions when stopped = %v", out.Actions)
			}
			if err := p.Destroy(ctx, in.ID); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestOwnership(t *testing.T) {
	s := azuretest.New()
	mine := mustOpen(t, s)
	theirs := mustOpen(t, s, "owner", "someone-else")
	ctx := t.Context()
	in, err := theirs.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if ins, err := mine.Instances(ctx, deltacloud.InstanceFilter{}); err != nil || len(ins) != 0 {
		t.Errorf("another owner's VM is listed: %+v, %v", ins, err)
	}
	if _, err := mine.Stop(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Stop of another owner's VM = %v, want ErrNotFound", err)
	}
	if ins, err := mine.Instances(ctx, deltacloud.InstanceFilter{Owner: "someone-else"}); err != nil || len(ins) != 1 {
		t.Errorf("owner filter = %d instances, %v", len(ins), err)
	}
	if err := theirs.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
}

func TestPagedListingAndRealmFilter(t *testing.T) {
	s := azuretest.New()
	s.SetPageSize(2)
	p := mustOpen(t, s, "public_ip", "false")
	ctx := t.Context()
	for _, realm := range []string{"eastus-1", "eastus-1", "eastus-2", "eastus", "eastus-3"} {
		if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, RealmID: realm}); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(ins) != 5 {
		t.Fatalf("Instances = %d, %v; want 5 over three pages", len(ins), err)
	}
	for _, in := range ins {
		if in.State != deltacloud.StateRunning || len(in.PrivateAddresses) != 1 {
			t.Errorf("listed %+v", in)
		}
	}
	ins, err = p.Instances(ctx, deltacloud.InstanceFilter{Realm: "eastus-1"})
	if err != nil || len(ins) != 2 {
		t.Errorf("Instances(realm eastus-1) = %d, %v; want 2", len(ins), err)
	}
	if n := s.Requests()["VirtualMachinesClient.NewListPager"]; n < 6 {
		t.Errorf("%d VM list requests for two listings of 5 in pages of 2; want ≥ 6", n)
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		code    string
		status  int
		message string
		want    deltacloud.Code
	}{
		{"ResourceNotFound", 404, "", deltacloud.NotFound},
		{"ResourceGroupNotFound", 404, "", deltacloud.NotFound},
		{"AuthorizationFailed", 403, "", deltacloud.Forbidden},
		{"InvalidAuthenticationToken", 401, "", deltacloud.AuthFailure},
		{"TooManyRequests", 429, "", deltacloud.RateLimited},
		{"SubscriptionRequestsThrottled", 429, "", deltacloud.RateLimited},
		{"OperationNotAllowed", 409, "Operation could not be completed as it results in exceeding approved standardDSv5Family Cores quota", deltacloud.Forbidden},
		{"OperationNotAllowed", 409, "Cannot restart VM as it is deallocated", deltacloud.InvalidState},
		{"Conflict", 409, "", deltacloud.Conflict},
		{"NicInUse", 400, "", deltacloud.Conflict},
		{"InvalidParameter", 400, "", deltacloud.InvalidArgument},
		{"SkuNotAvailable", 409, "", deltacloud.Unavailable},
		{"AllocationFailed", 200, "", deltacloud.Unavailable},
		{"InternalServerError", 500, "", deltacloud.Backend},
		{"SomethingNew", 503, "", deltacloud.Unavailable},
		{"SomethingNew", 404, "", deltacloud.NotFound},
		{"SomethingNew", 418, "", deltacloud.CodeUnknown},
	}
	for _, c := range cases {
		if got := azure.CodeFor(c.code, c.status, c.message); got != c.want {
			t.Errorf("CodeFor(%s, %d, %q) = %s, want %s", c.code, c.status, c.message, got, c.want)
		}
	}

	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	s.Fail(azuretest.Fault{API: "VirtualMachinesClient.NewListPager", Status: 429, Code: "TooManyRequests", RetryAfter: 3 * time.Second})
	s.Fail(azuretest.Fault{API: "ResourceSKUsClient.NewListPager", Status: 403, Code: "AuthorizationFailed"})
	_, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	var e *deltacloud.Error
	var re *azcore.ResponseError
	if !errors.As(err, &e) || e.Code != deltacloud.RateLimited || e.RetryAfter != 3*time.Second || !errors.As(err, &re) || re.StatusCode != 429 {
		t.Errorf("throttled listing = %#v", err)
	}
	if _, err := p.Realms(ctx); !errors.Is(err, deltacloud.ErrForbidden) || !errors.As(err, &re) || re.ErrorCode != "AuthorizationFailed" {
		t.Errorf("forbidden listing = %v", err)
	}
	// The SDK retries throttled requests when asked to, honouring Retry-After.
	p2 := mustOpen(t, s, "max_retries", "2")
	s.Fail(azuretest.Fault{API: "ResourceSKUsClient.NewListPager", Status: 429, Code: "TooManyRequests", RetryAfter: time.Second})
	start := time.Now()
	if _, err := p2.Realms(ctx); err != nil || time.Since(start) < time.Second {
		t.Errorf("Realms with retries = %v after %v; want success after the Retry-After second", err, time.Since(start))
	}
}

// TestLROHonoursContext cancels a destroy while its poller waits.
func TestLROHonoursContext(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	slow := mustOpen(t, s, "poll_interval", "1h")
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	s.SetLROSteps(3)
	var sent atomic.Bool // the delete request reached the subscription
	s.OnRequest("VirtualMachinesClient.BeginDelete", func(*http.Request) { sent.Store(true) })
	defer s.OnRequest("VirtualMachinesClient.BeginDelete", nil)
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = slow.Destroy(cctx, in.ID)
	// The bound only tells "did not sit out the hour" apart from "ended
	// on the deadline"; it is far above any scheduling delay of a busy CI
	// machine. Wherever the deadline lands (delete request or poll wait),
	// the error must be a timeout.
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, deltacloud.ErrTimeout) || time.Since(start) > 10*time.Minute {
		t.Errorf("Destroy with a 1h poll interval = %v after %v; want a timeout well before the hour", err, time.Since(start))
	}
	if !sent.Load() {
		// On a loaded machine the deadline can pass before the delete is
		// sent: then nothing is being deleted, and there is nothing more
		// to check (waiting for FINISH would wait for ever).
		t.Log("the deadline passed before the delete request was sent")
		return
	}
	// Azure goes on deleting the VM; with its delete options it takes the
	// rest along.
	s.SetLROSteps(0)
	wctx, wcancel := context.WithTimeout(ctx, 2*time.Minute)
	defer wcancel()
	if _, err := p.WaitFor(wctx, in.ID, deltacloud.StateFinish); err != nil {
		t.Error(err)
	}
}

func TestOpen(t *testing.T) {
	s := azuretest.New()
	ctx := t.Context()
	bad := map[string][]string{
		"unknown option": {"colour", "blue"},
		"bad stop":       {"stop", "halt"},
		"bad retries":    {"max_retries", "-1"},
		"bad interval":   {"poll_interval", "soon"},
		"bad URN":        {"images", "a:b"},
		"bad subnet":     {"subnet_id", "/subscriptions/x"},
		"contradiction":  {"location", "westeurope"},
		"bad cloud":      {"cloud", "mars"},
		"bad public_ip":  {"public_ip", "maybe"},
		"reserved admin": {"admin_user", "admin"},
	}
	for name, o := range bad {
		if _, err := open(ctx, s, o...); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("%s: Open = %v, want ErrInvalidArgument", name, err)
		}
	}
	// The scope may come in parts from the provider, options and the
	// environment.
	t.Setenv("AZURE_SUBSCRIPTION_ID", azuretest.SubscriptionID)
	cfg := s.Config("resource_group", azuretest.ResourceGroup)
	cfg.Provider = azuretest.Location
	p, err := deltacloud.Open(ctx, "azure", cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	var scope azure.Scope
	var compute *armcompute.ClientFactory
	var network *armnetwork.ClientFactory
	var vms *armcompute.VirtualMachinesClient
	var cred azcore.TokenCredential
	if !p.As(&scope) || !p.As(&compute) || !p.As(&network) || !p.As(&vms) || !p.As(&cred) || p.As(new(int)) {
		t.Error("As does not hand out the SDK clients")
	}
	if scope != (azure.Scope{SubscriptionID: azuretest.SubscriptionID, ResourceGroup: azuretest.ResourceGroup, Location: azuretest.Location}) {
		t.Errorf("scope = %+v", scope)
	}
	if _, err := p.Realms(ctx); err != nil {
		t.Errorf("Realms: %v", err)
	}
	// Missing scope parts are named.
	cfg.Options = nil
	if _, err := deltacloud.Open(ctx, "azure", cfg); !errors.Is(err, deltacloud.ErrInvalidArgument) || !strings.Contains(err.Error(), "resource group") {
		t.Errorf("Open without a resource group = %v", err)
	}
	// Empty credentials use the default chain; Open does not call Azure.
	cfg = s.Config()
	cfg.Credentials = deltacloud.Credentials{}
	p, err = deltacloud.Open(ctx, "azure", cfg)
	if err != nil {
		t.Fatalf("Open with the default chain: %v", err)
	}
	p.Close()
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
