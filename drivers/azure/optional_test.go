package azure_test

import (
	"context"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

func TestKeys(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	k, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "generated"})
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode([]byte(k.PrivateKey))
	if block == nil {
		t.Fatalf("generated key's private key is not PEM: %q", k.PrivateKey)
	}
	if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
		t.Errorf("generated private key: %v", err)
	}
	if !strings.HasPrefix(k.PublicKey, "ssh-rsa ") || k.Fingerprint != azure.Fingerprint(k.PublicKey) || !strings.HasPrefix(k.Fingerprint, "SHA256:") {
		t.Errorf("generated key: public %q, fingerprint %q", k.PublicKey, k.Fingerprint)
	}
	got, err := p.Key(ctx, "generated")
	if err != nil || got.PrivateKey != "" || got.PublicKey != k.PublicKey {
		t.Errorf("Key(generated) = %+v, %v; want the public key and no private key", got, err)
	}
	// The fixture's key is listed too: any key may be an instance's keyname.
	if _, err := p.Key(ctx, "test-key"); err != nil {
		t.Errorf("Key(test-key): %v", err)
	}
	// A generated key works as an instance's keyname.
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, KeyName: "generated"})
	if err != nil {
		t.Fatalf("CreateInstance with keyname generated: %v", err)
	}
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"ssh-dss AAAAB3NzaC1kc3MAAACBAP", "not a key", "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIA=="} {
		_, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "bad", PublicKey: bad})
		if !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("CreateKey with public key %q = %v, want ErrInvalidArgument", bad, err)
		}
	}
	if _, err := p.Key(ctx, "bad"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("a refused import left key bad: %v", err)
	}
	// A failed generation leaves no key resource behind.
	s.Fail(azuretest.Fault{API: "SSHPublicKeysClient.GenerateKeyPair", Status: 500, Code: "InternalServerError"})
	if _, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "half"}); !errors.Is(err, deltacloud.ErrBackend) {
		t.Errorf("CreateKey with a failing generation = %v, want ErrBackend", err)
	}
	if _, err := p.Key(ctx, "half"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("a failed generation left key half: %v", err)
	}
}

func TestVolumes(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, RealmID: "eastus-2"})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{RealmID: "eastus-2", Description: "data"})
	if err != nil {
		t.Fatal(err)
	}
	if v1.Capacity != azure.DefaultVolumeGB || v1.RealmID != "eastus-2" || v1.Kind != "StandardSSD_LRS" ||
		v1.Description != "data" || v1.State != deltacloud.VolumeAvailable || !strings.HasPrefix(v1.ID, "vol-") {
		t.Errorf("CreateStorageVolume = %+v", v1)
	}
	v2, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "logs", Capacity: 8, RealmID: "eastus-2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: "logs"}); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("CreateStorageVolume of a taken name = %v, want ErrConflict", err)
	}
	// Empty device: the lowest free LUN; a taken LUN is a conflict.
	att, err := p.AttachStorageVolume(ctx, v1.ID, in.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if att.Device != "lun0" || att.InstanceID != in.ID || att.State != deltacloud.VolumeInUse {
		t.Errorf("attached volume = %+v, want lun0 of %s, IN-USE", att, in.ID)
	}
	if _, err := p.AttachStorageVolume(ctx, v2.ID, in.ID, "lun0"); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("attach at a taken LUN = %v, want ErrConflict", err)
	}
	if att, err := p.AttachStorageVolume(ctx, v2.ID, in.ID, "lun5"); err != nil || att.Device != "lun5" {
		t.Errorf("attach at lun5 = %+v, %v", att, err)
	}
	// Azure itself refuses to delete an attached disk: OperationNotAllowed is
	// ErrInvalidState.
	var f *armcompute.ClientFactory
	if !p.As(&f) {
		t.Fatal("As(**armcompute.ClientFactory) = false")
	}
	_, err = f.NewDisksClient().BeginDelete(ctx, azuretest.ResourceGroup, v1.ID, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || re.ErrorCode != "OperationNotAllowed" {
		t.Errorf("deleting an attached disk through the SDK = %v, want OperationNotAllowed", err)
	}
	if c := deltacloud.CodeOf(p.DestroyStorageVolume(ctx, v1.ID)); c != deltacloud.InvalidState {
		t.Errorf("DestroyStorageVolume of an attached volume: code %v, want InvalidState", c)
	}
	// A snapshot of an attached volume, and a volume made from it.
	sn, err := p.CreateStorageSnapshot(ctx, deltacloud.StorageSnapshotSpec{VolumeID: v2.ID, Name: "nightly", Description: "d"})
	if err != nil {
		t.Fatal(err)
	}
	if sn.VolumeID != v2.ID || sn.Name != "nightly" || sn.Description != "d" || sn.State != deltacloud.SnapshotCompleted {
		t.Errorf("CreateStorageSnapshot = %+v", sn)
	}
	v3, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{SnapshotID: sn.ID})
	if err != nil {
		t.Fatal(err)
	}
	if v3.Capacity != 8 {
		t.Errorf("volume from an 8 GB snapshot has %d GB", v3.Capacity)
	}
	// A zonal disk does not attach to a VM of another zone.
	other, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Capacity: 1, RealmID: "eastus-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.AttachStorageVolume(ctx, other.ID, in.ID, ""); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("attaching a zone-1 disk to a zone-2 VM = %v, want ErrInvalidArgument", err)
	}
	// Destroying the instance detaches its data disks and keeps them.
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{v1.ID, v2.ID} {
		v, err := p.StorageVolume(ctx, id)
		if err != nil || v.Attached() || v.State != deltacloud.VolumeAvailable {
			t.Errorf("volume %s after its instance was destroyed: %+v, %v", id, v, err)
		}
	}
	// OS disks are not volumes.
	vs, err := p.StorageVolumes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 4 {
		t.Errorf("StorageVolumes lists %d volumes, want 4: %+v", len(vs), vs)
	}
	for _, id := range []string{v1.ID, v2.ID, v3.ID, other.ID} {
		if err := p.DestroyStorageVolume(ctx, id); err != nil {
			t.Errorf("DestroyStorageVolume(%s): %v", id, err)
		}
	}
	if err := p.DestroyStorageSnapshot(ctx, sn.ID); err != nil {
		t.Error(err)
	}
	for _, r := range s.Resources() {
		if strings.Contains(r, "/disks/") || strings.Contains(r, "/snapshots/") {
			t.Errorf("left after the test: %s", r)
		}
	}
}

// TestVolumeCreateFails: a disk whose creation fails is deleted again.
func TestVolumeCreateFails(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	s.SetLROSteps(2)
	s.Fail(azuretest.Fault{API: "DisksClient.BeginCreateOrUpdate", Status: 409, Code: "OperationNotAllowed",
		Message: "Operation results in exceeding quota limits of Core."})
	_, err := p.CreateStorageVolume(t.Context(), deltacloud.StorageVolumeSpec{Capacity: 1})
	if !errors.Is(err, deltacloud.ErrForbidden) {
		t.Errorf("CreateStorageVolume over quota = %v, want ErrForbidden", err)
	}
	for _, r := range s.Resources() {
		if strings.Contains(r, "/disks/") {
			t.Errorf("left after a failed create: %s", r)
		}
	}
}

func TestAddresses(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	own := in.ID + "-ip"
	a, err := p.CreateAddress(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a.IP == "" || a.Associated() || !strings.HasPrefix(a.ID, "addr-") {
		t.Errorf("CreateAddress = %+v", a)
	}
	if err := p.AssociateAddress(ctx, a.ID, in.ID); err != nil {
		t.Fatal(err)
	}
	// The address replaced the instance's own public IP, which is gone.
	got, err := p.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.PublicAddresses) != 1 || got.PublicAddresses[0].Value != a.IP {
		t.Errorf("instance's public addresses = %+v, want [%s]", got.PublicAddresses, a.IP)
	}
	for _, r := range s.Resources() {
		if strings.HasSuffix(r, "/"+own) {
			t.Errorf("the instance's own public IP %s is left after the address replaced it", r)
		}
	}
	// Azure refuses to delete an associated public IP: ErrInvalidState.
	if c := deltacloud.CodeOf(p.DestroyAddress(ctx, a.ID)); c != deltacloud.InvalidState {
		t.Errorf("DestroyAddress of an associated address: code %v, want InvalidState", c)
	}
	var nf *armnetwork.ClientFactory
	if !p.As(&nf) {
		t.Fatal("As(**armnetwork.ClientFactory) = false")
	}
	_, err = nf.NewPublicIPAddressesClient().BeginDelete(ctx, azuretest.ResourceGroup, a.ID, nil)
	var re *azcore.ResponseError
	if !errors.As(err, &re) || azure.CodeFor(re.ErrorCode, re.StatusCode, "") != deltacloud.InvalidState {
		t.Errorf("deleting an associated public IP through the SDK = %v, want an error classified InvalidState", err)
	}
	// Destroying the instance frees the address and keeps it.
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	after, err := p.Address(ctx, a.ID)
	if err != nil || after.Associated() || after.IP != a.IP {
		t.Errorf("address after its instance was destroyed = %+v, %v; want it free, same IP", after, err)
	}
	if err := p.DestroyAddress(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	// The instance's own public IP is not an address.
	in2, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Destroy(context.Background(), in2.ID)
	if as, err := p.Addresses(ctx); err != nil || len(as) != 0 {
		t.Errorf("Addresses = %+v, %v; want none (an instance's own IP is not one)", as, err)
	}
	if _, err := p.Address(ctx, in2.ID+"-ip"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Address of an instance's own IP = %v, want ErrNotFound", err)
	}
}

func TestFirewalls(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	fw, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "web servers"})
	if err != nil {
		t.Fatal(err)
	}
	if fw.ID != "web" || fw.Description != "web servers" || len(fw.Rules) != 0 || fw.Owner != azuretest.SubscriptionID {
		t.Errorf("CreateFirewall = %+v (Azure's default rules must not be listed)", fw)
	}
	if _, err := p.CreateFirewall(ctx, deltacloud.FirewallSpec{Name: "web", Description: "again"}); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("CreateFirewall of a taken name = %v, want ErrConflict", err)
	}
	src := func(s ...string) []deltacloud.RuleSource {
		var out []deltacloud.RuleSource
		for _, p := range s {
			out = append(out, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix(p)})
		}
		return out
	}
	rules := []deltacloud.FirewallRuleSpec{
		{Protocol: "tcp", PortFrom: 80, PortTo: 443, Sources: src("0.0.0.0/0")},
		{Protocol: "udp", PortFrom: 53, PortTo: 53, Sources: src("10.0.0.0/8", "192.168.1.0/24")},
		{Protocol: "icmp", PortFrom: -1, PortTo: -1, Sources: src("203.0.113.7/32")},
	}
	for _, r := range rules {
		if fw, err = p.AddFirewallRule(ctx, "web", r); err != nil {
			t.Fatalf("AddFirewallRule(%+v): %v", r, err)
		}
	}
	if len(fw.Rules) != 3 {
		t.Fatalf("firewall has rules %+v, want 3", fw.Rules)
	}
	for i, r := range fw.Rules {
		want := rules[i]
		if r.Protocol != want.Protocol || r.PortFrom != want.PortFrom || r.PortTo != want.PortTo || len(r.Sources) != len(want.Sources) ||
			r.Sources[0] != want.Sources[0] || r.Direction != "ingress" {
			t.Errorf("rule %d = %+v, want %+v", i, r, want)
		}
	}
	for _, bad := range []deltacloud.FirewallRuleSpec{
		{Protocol: "tcp", PortFrom: 22, PortTo: 22, Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceGroup, Group: "other"}}},
		{Protocol: "icmp", PortFrom: 8, PortTo: 0, Sources: src("0.0.0.0/0")},
	} {
		if _, err := p.AddFirewallRule(ctx, "web", bad); !errors.Is(err, deltacloud.ErrNotSupported) {
			t.Errorf("AddFirewallRule(%+v) = %v, want ErrNotSupported", bad, err)
		}
	}
	if err := p.DeleteFirewallRule(ctx, "web", "no-such-rule"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("DeleteFirewallRule of an unknown rule = %v, want ErrNotFound", err)
	}
	// A group an interface uses cannot be deleted: ErrInvalidState.
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	var nf *armnetwork.ClientFactory
	p.As(&nf)
	nics := nf.NewInterfacesClient()
	nic, err := nics.Get(ctx, azuretest.ResourceGroup, in.ID+"-nic", nil)
	if err != nil {
		t.Fatal(err)
	}
	nic.Properties.NetworkSecurityGroup = &armnetwork.SecurityGroup{ID: to.Ptr("/subscriptions/" + azuretest.SubscriptionID +
		"/resourceGroups/" + azuretest.ResourceGroup + "/providers/Microsoft.Network/networkSecurityGroups/web")}
	poller, err := nics.BeginCreateOrUpdate(ctx, azuretest.ResourceGroup, in.ID+"-nic", nic.Interface, nil)
	if err == nil {
		_, err = poller.PollUntilDone(ctx, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := p.DestroyFirewall(ctx, "web"); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("DestroyFirewall of a group in use = %v, want ErrInvalidState", err)
	}
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	for _, r := range fw.Rules {
		if err := p.DeleteFirewallRule(ctx, "web", r.ID); err != nil {
			t.Errorf("DeleteFirewallRule(%s): %v", r.ID, err)
		}
	}
	if err := p.DestroyFirewall(ctx, "web"); err != nil {
		t.Fatal(err)
	}
}
