package openstack_test

import (
	"slices"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// An instance's Firewalls are the ids of its security groups, the ids
// Firewalls lists, though Nova shows a server's groups by name (as the live
// Zed stack did: [{"name": "shape-sg"}]); a server without ports (networks
// none) shows none.
func TestInstanceFirewallsAreIDs(t *testing.T) {
	ctx := t.Context()
	_, p := openFake(t)
	fw, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "web servers"})
	if err != nil {
		t.Fatal(err)
	}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1", Firewalls: []string{fw.ID}})
	if err != nil {
		t.Fatal(err)
	}
	waitInstance(t, p, in.ID, deltacloud.StateRunning)
	got, err := p.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Firewalls, []string{fw.ID}) {
		t.Errorf("Instance(%s).Firewalls = %q, want [%s] (the firewall's id)", in.ID, got.Firewalls, fw.ID)
	}
	all, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(all) != 1 {
		t.Fatalf("Instances: %v %v", all, err)
	}
	if !slices.Equal(all[0].Firewalls, []string{fw.ID}) {
		t.Errorf("Instances()[0].Firewalls = %q, want [%s]", all[0].Firewalls, fw.ID)
	}
	if _, err := p.Firewall(ctx, got.Firewalls[0]); err != nil {
		t.Errorf("Firewall(%q) of the instance's Firewalls: %v", got.Firewalls[0], err)
	}
	// Two groups named alike: the ids come from the server's ports.
	twin, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "more web servers"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := p.Instance(ctx, in.ID); err != nil || !slices.Equal(got.Firewalls, []string{fw.ID}) {
		t.Errorf("with two groups named web: Instance(%s).Firewalls = %q, %v; want [%s]", in.ID, got.Firewalls, err, fw.ID)
	}
	if all, err := p.Instances(ctx, deltacloud.InstanceFilter{}); err != nil || !slices.Equal(all[0].Firewalls, []string{fw.ID}) {
		t.Errorf("with two groups named web: Instances()[0].Firewalls = %q, %v; want [%s]", all[0].Firewalls, err, fw.ID)
	}
	if err := p.DestroyFirewall(ctx, twin.ID); err != nil {
		t.Fatal(err)
	}
	none, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: openstacktest.ImageCirros, ProfileID: "1",
		Options: map[string]string{"network": "none"}})
	if err != nil {
		t.Fatal(err)
	}
	waitInstance(t, p, none.ID, deltacloud.StateRunning)
	if got, err := p.Instance(ctx, none.ID); err != nil || len(got.Firewalls) != 0 {
		t.Errorf("instance without a network: Firewalls %q, %v; want none", got.Firewalls, err)
	}
}
