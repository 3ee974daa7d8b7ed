package azure_test

import (
	"strings"
	"testing"

	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// TestInstanceListsVolumes follows a VM through attaches and a detach and
// checks after each step that the instance, read alone and in the listing,
// lists its data disks as the volume collection names them (the managed
// disk's name) at their LUNs ("lun5"), while the OS disk, which is no
// volume, is only named in Extra. The fake writes data disk ids with the
// resource group in capitals, as Azure does, so the ids are compared
// without case.
func TestInstanceListsVolumes(t *testing.T) {
	s := azuretest.New()
	p := mustOpen(t, s)
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: ubuntu, Password: testPassword, RealmID: "eastus-2"})
	if err != nil {
		t.Fatal(err)
	}
	volume := func(name string) string {
		v, err := p.CreateStorageVolume(ctx, deltacloud.StorageVolumeSpec{Name: name, Capacity: 1, RealmID: "eastus-2"})
		if err != nil {
			t.Fatal(err)
		}
		return v.ID
	}
	data, logs := volume("Data"), volume("logs")
	steps := []struct {
		name string
		do   func() error
		want []deltacloud.VolumeAttachment
	}{
		{name: "created", do: func() error { return nil }},
		{name: "attached at the lowest free LUN", do: func() error {
			_, err := p.AttachStorageVolume(ctx, data, in.ID, "")
			return err
		}, want: []deltacloud.VolumeAttachment{{VolumeID: "Data", Device: "lun0"}}},
		{name: "attached at lun5", do: func() error {
			_, err := p.AttachStorageVolume(ctx, logs, in.ID, "lun5")
			return err
		}, want: []deltacloud.VolumeAttachment{{VolumeID: "Data", Device: "lun0"}, {VolumeID: "logs", Device: "lun5"}}},
		{name: "first detached", do: func() error {
			_, err := p.DetachStorageVolume(ctx, data)
			return err
		}, want: []deltacloud.VolumeAttachment{{VolumeID: "logs", Device: "lun5"}}},
	}
	for _, st := range steps {
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := p.Instance(ctx, in.ID)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if d := cmp.Diff(st.want, got.StorageVolumes); d != "" {
			t.Errorf("%s: Instance(%s).StorageVolumes (-want +got):\n%s", st.name, in.ID, d)
		}
		if os := got.Extra["os_disk"]; os == "" || strings.Contains(os, "/") {
			t.Errorf("%s: Extra[os_disk] = %q, want the OS disk's name", st.name, os)
		}
		all, err := p.Instances(ctx, deltacloud.InstanceFilter{})
		if err != nil || len(all) != 1 {
			t.Fatalf("%s: Instances = %+v, %v", st.name, all, err)
		}
		if d := cmp.Diff(st.want, all[0].StorageVolumes); d != "" {
			t.Errorf("%s: the listing's StorageVolumes (-want +got):\n%s", st.name, d)
		}
		// Each listed volume shows the same attachment from its side.
		for _, a := range st.want {
			v, err := p.StorageVolume(ctx, a.VolumeID)
			if err != nil || v.InstanceID != in.ID || v.Device != a.Device {
				t.Errorf("%s: StorageVolume(%s) = %+v, %v; want attached to %s at %s", st.name, a.VolumeID, v, err, in.ID, a.Device)
			}
		}
	}

	// The fake answers with the data disk shape of a real VM document.
	var f *armcompute.ClientFactory
	if !p.As(&f) {
		t.Fatal("As(**armcompute.ClientFactory) = false")
	}
	vm, err := f.NewVirtualMachinesClient().Get(ctx, azuretest.ResourceGroup, in.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	dd := vm.Properties.StorageProfile.DataDisks
	if len(dd) != 1 {
		t.Fatalf("data disks %+v, want logs only", dd)
	}
	wantID := "/subscriptions/" + azuretest.SubscriptionID + "/resourceGroups/" + strings.ToUpper(azuretest.ResourceGroup) +
		"/providers/Microsoft.Compute/disks/logs"
	d := dd[0]
	if *d.ManagedDisk.ID != wantID || *d.Name != "logs" || *d.Lun != 5 || *d.CreateOption != armcompute.DiskCreateOptionTypesAttach ||
		*d.Caching != armcompute.CachingTypesNone || *d.ToBeDetached || *d.DiskSizeGB != 1 ||
		*d.ManagedDisk.StorageAccountType != armcompute.StorageAccountTypesStandardSSDLRS {
		t.Errorf("data disk %s %q lun %d %s caching %s toBeDetached %v %d GB %s",
			*d.ManagedDisk.ID, *d.Name, *d.Lun, *d.CreateOption, *d.Caching, *d.ToBeDetached, *d.DiskSizeGB, *d.ManagedDisk.StorageAccountType)
	}
}
