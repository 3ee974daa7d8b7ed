package azure_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// TestInstanceTags: the azure driver writes InstanceSpec.Tags as Azure
// tags next to its own, shows only the user's on Instance.Tags, and
// refuses keys of its own and more tags than Azure holds beside its own
// (owner, name, keyname and a client token's spec digest: 46 are left).
func TestInstanceTags(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	tags := map[string]string{"tenant": "acme", "cost-centre": "42", "empty": ""}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Name: "tagged", Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tags, in.Tags); diff != "" {
		t.Errorf("created instance's tags (-want +got):\n%s", diff)
	}
	vm := s.VM(azuretest.ResourceGroup, in.ID)
	got := map[string]string{}
	for k, v := range vm.Tags {
		got[k] = str(v)
	}
	want := map[string]string{"tenant": "acme", "cost-centre": "42", "empty": "",
		azure.TagOwner: "deltacloud", azure.TagName: "tagged"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Azure tags of the VM (-want +got):\n%s", diff)
	}
	listed, err := p.Instances(ctx, deltacloud.InstanceFilter{TagKey: "tenant", TagValue: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if len(listed) != 1 || listed[0].ID != in.ID {
		t.Errorf("instances tagged tenant=acme: %+v", listed)
	}
	untagged, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	if untagged.Tags != nil {
		t.Errorf("an untagged instance shows %v", untagged.Tags)
	}

	tooMany := map[string]string{}
	for i := range 47 {
		tooMany["k"+strconv.Itoa(i)] = "v"
	}
	for name, bad := range map[string]map[string]string{
		"the driver's key": {"Deltacloud-Owner": "me"},
		"47 tags":          tooMany,
	} {
		before := len(s.Resources())
		_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Tags: bad})
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("%s: %v, want InvalidArgument", name, err)
		}
		if n := len(s.Resources()) - before; n != 0 {
			t.Errorf("%s: a refused create made %d resources", name, n)
		}
	}
	delete(tooMany, "k0")
	if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, Name: "full",
		KeyName: "test-key", ClientToken: "full-1", Tags: tooMany}); err != nil {
		t.Errorf("46 tags and the driver's 4: %v", err)
	}
}
