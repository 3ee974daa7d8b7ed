package azure_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// added lists the resources in after but not in before.
func added(before, after []string) []string {
	var out []string
	for _, id := range after {
		if !strings.Contains(strings.Join(before, "\n")+"\n", id+"\n") {
			out = append(out, id)
		}
	}
	return out
}

func TestClientToken(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	if !p.SupportsClientToken() {
		t.Fatal("SupportsClientToken = false")
	}
	before := baseline(t, s, p)
	spec := deltacloud.InstanceSpec{ImageID: ubuntu, Name: "web", Password: testPassword, ClientToken: "order-7"}
	first, err := p.CreateInstance(ctx, spec)
	if err != nil {
		t.Fatalf("CreateInstance: %v", err)
	}
	made := added(before, s.Resources())
	again, err := p.CreateInstance(ctx, spec)
	if err != nil || again.ID != first.ID {
		t.Fatalf("retry = %v, %v; want %s", again, err, first.ID)
	}
	if d := cmp.Diff(made, added(before, s.Resources())); d != "" {
		t.Errorf("the retry made resources (-first +now):\n%s", d)
	}
	// Another provider (a restarted program) finds it too.
	q := mustOpen(t, s)
	if in, err := q.CreateInstance(ctx, spec); err != nil || in.ID != first.ID {
		t.Errorf("retry from another provider = %v, %v; want %s", in, err, first.ID)
	}
	for name, change := range map[string]func(*deltacloud.InstanceSpec){
		"name":     func(sp *deltacloud.InstanceSpec) { sp.Name = "db" },
		"password": func(sp *deltacloud.InstanceSpec) { sp.Password = testPassword + "x" },
	} {
		other := spec
		change(&other)
		if _, err := p.CreateInstance(ctx, other); !errors.Is(err, deltacloud.ErrConflict) {
			t.Errorf("the token reused with another %s = %v, want ErrConflict", name, err)
		}
	}
	// The spec tag is keyed by the token: it shows nothing of the spec.
	var vms *armcompute.VirtualMachinesClient
	if !p.As(&vms) {
		t.Fatal("As(VirtualMachinesClient) = false")
	}
	vm, err := vms.Get(ctx, azuretest.ResourceGroup, first.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if tag := vm.Tags[azure.TagSpec]; tag == nil || len(*tag) != 64 || strings.Contains(*tag, testPassword) {
		t.Errorf("VM tag %s = %v, want a 64-digit keyed digest", azure.TagSpec, tag)
	}
	if _, err := p.Drive(ctx, first.ID, deltacloud.StateFinish); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, s.Resources()); d != "" {
		t.Errorf("resources after the destroy (-before +after):\n%s", d)
	}
}

// TestClientTokenRetryAfterCancelledCreate cancels a create with a token
// during its VM create, so its clean-up runs in the background, and
// retries at once: the retry waits for the clean-up instead of building
// beside the deletion of the same names, and one instance is left.
func TestClientTokenRetryAfterCancelledCreate(t *testing.T) {
	s := azuretest.New()
	s.SetLROSteps(3)
	p := mustOpen(t, s)
	ctx := t.Context()
	before := baseline(t, s, p)
	spec := deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, ClientToken: "cancelled-once"}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.OnRequest("VirtualMachinesClient.BeginCreateOrUpdate", func(*http.Request) { cancel() })
	if _, err := p.CreateInstance(cctx, spec); !errors.Is(err, context.Canceled) {
		t.Fatalf("CreateInstance = %v; want a cancellation", err)
	}
	s.OnRequest("VirtualMachinesClient.BeginCreateOrUpdate", nil)
	in, err := p.CreateInstance(ctx, spec)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	cur, err := p.Instance(ctx, in.ID)
	if err != nil || cur.ID != in.ID {
		t.Fatalf("the retried instance %s: %v, %v", in.ID, cur, err)
	}
	p.Close() // waits for every clean-up
	q := mustOpen(t, s)
	if _, err := q.Drive(ctx, in.ID, deltacloud.StateFinish); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(before, s.Resources()); d != "" {
		t.Errorf("resources after the retry's instance is gone (-before +after):\n%s", d)
	}
}

func TestDryRun(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	before := s.Resources()
	spec := deltacloud.InstanceSpec{ImageID: ubuntu, Name: "web", Password: testPassword, UserData: []byte("secret"), KeyName: "test-key"}
	plan, err := p.DryRun(ctx, spec)
	if err != nil {
		t.Fatalf("DryRun: %v", err)
	}
	d := plan.Driver
	if d == nil || d.Verified {
		t.Fatalf("driver plan = %+v; want an unverified one (Azure has no dry run)", d)
	}
	want := map[string]string{"adminPassword": "(hidden)", "customData": "(hidden)", "sshKey": "test-key", azure.TagName: "web",
		"subnetId": "(created on first use: deltacloud-vnet/default)", "adminUsername": azure.DefaultAdminUser, "vmSize": azure.DefaultVMSize}
	for k, v := range want {
		if d.Request[k] != v {
			t.Errorf("request %s = %q, want %q", k, d.Request[k], v)
		}
	}
	if dc := cmp.Diff(before, s.Resources()); dc != "" {
		t.Errorf("DryRun created resources (-before +after):\n%s", dc)
	}
	cases := []struct {
		name string
		spec deltacloud.InstanceSpec
		want error
	}{
		{"unknown image", deltacloud.InstanceSpec{ImageID: "no-such-image", Password: testPassword}, deltacloud.ErrNotFound},
		{"unknown key", deltacloud.InstanceSpec{ImageID: ubuntu, KeyName: "no-such-key"}, deltacloud.ErrNotFound},
		{"no login", deltacloud.InstanceSpec{ImageID: ubuntu}, deltacloud.ErrInvalidArgument},
		{"weak password", deltacloud.InstanceSpec{ImageID: ubuntu, Password: "password"}, deltacloud.ErrInvalidArgument},
		{"unknown option", deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Options: map[string]string{"x": "1"}}, deltacloud.ErrInvalidArgument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := p.DryRun(ctx, c.spec); !errors.Is(err, c.want) {
				t.Errorf("DryRun = %v, want %v", err, c.want)
			}
		})
	}
	// A token already used: the plan names its instance, or refuses
	// another spec.
	tokened := deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, ClientToken: "planned"}
	in, err := p.CreateInstance(ctx, tokened)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Drive(context.Background(), in.ID, deltacloud.StateFinish) })
	if plan, err := p.DryRun(ctx, tokened); err != nil || plan.Driver == nil || !cmp.Equal(plan.Driver.Existing, []string{in.ID}) {
		t.Errorf("DryRun with the used token = %+v, %v; want existing %s", plan, err, in.ID)
	}
	other := tokened
	other.Name = "other"
	if _, err := p.DryRun(ctx, other); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("DryRun with the token and another spec = %v, want ErrConflict", err)
	}
}
