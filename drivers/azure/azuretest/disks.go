package azuretest

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/binary"
	"encoding/pem"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"time"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	computefake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6/fake"
)

// diskNameRE is Azure's rule for disk and snapshot names.
var diskNameRE = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$`)

// diskServers adds managed disks (create, list), snapshots, SSH public key
// management and VM updates of data disks to the compute fakes, with
// Azure's rules: an attached disk cannot be deleted or attached elsewhere,
// a LUN holds one disk, a zonal disk attaches only to a VM of its zone, a
// snapshot needs an existing source disk.
func (s *Subscription) diskServers(f *computefake.ServerFactory) {
	f.DisksServer.BeginCreateOrUpdate = s.createDisk
	f.DisksServer.NewListByResourceGroupPager = func(rg string, _ *armcompute.DisksClientListByResourceGroupOptions) azfake.PagerResponder[armcompute.DisksClientListByResourceGroupResponse] {
		s.mu.Lock()
		defer s.mu.Unlock()
		var ds []*armcompute.Disk
		if g := s.groups[strings.ToLower(rg)]; g != nil {
			ds = clonesOf(g.disks)
		}
		return pages(s, ds, func(p []*armcompute.Disk) armcompute.DisksClientListByResourceGroupResponse {
			return armcompute.DisksClientListByResourceGroupResponse{DiskList: armcompute.DiskList{Value: p}}
		})
	}
	f.SnapshotsServer = computefake.SnapshotsServer{
		BeginCreateOrUpdate: s.createSnapshot,
		Get: func(ctx context.Context, rg, name string, _ *armcompute.SnapshotsClientGetOptions) (resp azfake.Responder[armcompute.SnapshotsClientGetResponse], e azfake.ErrorResponder) {
			if v, ok := getClone(s, rg, name, "Microsoft.Compute/snapshots", func(g *group) map[string]*armcompute.Snapshot { return g.snaps }, &e); ok {
				resp.SetResponse(http.StatusOK, armcompute.SnapshotsClientGetResponse{Snapshot: v}, nil)
			}
			return
		},
		BeginDelete: func(ctx context.Context, rg, name string, _ *armcompute.SnapshotsClientBeginDeleteOptions) (resp azfake.PollerResponder[armcompute.SnapshotsClientDeleteResponse], e azfake.ErrorResponder) {
			s.mu.Lock()
			defer s.mu.Unlock()
			g := s.group(rg, &e)
			if g == nil {
				return
			}
			status := http.StatusNoContent
			if g.snaps[strings.ToLower(name)] != nil {
				delete(g.snaps, strings.ToLower(name))
				status = http.StatusOK
			}
			resp = poller(s, status, armcompute.SnapshotsClientDeleteResponse{})
			return
		},
		NewListByResourceGroupPager: func(rg string, _ *armcompute.SnapshotsClientListByResourceGroupOptions) azfake.PagerResponder[armcompute.SnapshotsClientListByResourceGroupResponse] {
			s.mu.Lock()
			defer s.mu.Unlock()
			var ss []*armcompute.Snapshot
			if g := s.groups[strings.ToLower(rg)]; g != nil {
				ss = clonesOf(g.snaps)
			}
			return pages(s, ss, func(p []*armcompute.Snapshot) armcompute.SnapshotsClientListByResourceGroupResponse {
				return armcompute.SnapshotsClientListByResourceGroupResponse{SnapshotList: armcompute.SnapshotList{Value: p}}
			})
		},
	}
	f.SSHPublicKeysServer.Create = s.createKey
	f.SSHPublicKeysServer.GenerateKeyPair = s.generateKeyPair
	f.SSHPublicKeysServer.Delete = func(ctx context.Context, rg, name string, _ *armcompute.SSHPublicKeysClientDeleteOptions) (resp azfake.Responder[armcompute.SSHPublicKeysClientDeleteResponse], e azfake.ErrorResponder) {
		s.mu.Lock()
		defer s.mu.Unlock()
		g := s.group(rg, &e)
		if g == nil {
			return
		}
		status := http.StatusNoContent
		if g.keys[strings.ToLower(name)] != nil {
			delete(g.keys, strings.ToLower(name))
			status = http.StatusOK
		}
		resp.SetResponse(status, armcompute.SSHPublicKeysClientDeleteResponse{}, nil)
		return
	}
	f.SSHPublicKeysServer.NewListByResourceGroupPager = func(rg string, _ *armcompute.SSHPublicKeysClientListByResourceGroupOptions) azfake.PagerResponder[armcompute.SSHPublicKeysClientListByResourceGroupResponse] {
		s.mu.Lock()
		defer s.mu.Unlock()
		var ks []*armcompute.SSHPublicKeyResource
		if g := s.groups[strings.ToLower(rg)]; g != nil {
			ks = clonesOf(g.keys)
		}
		return pages(s, ks, func(p []*armcompute.SSHPublicKeyResource) armcompute.SSHPublicKeysClientListByResourceGroupResponse {
			return armcompute.SSHPublicKeysClientListByResourceGroupResponse{SSHPublicKeysGroupListResult: armcompute.SSHPublicKeysGroupListResult{Value: p}}
		})
	}
	f.VirtualMachinesServer.BeginUpdate = s.updateVM
}

func (s *Subscription) createDisk(ctx context.Context, rg, name string, d armcompute.Disk, _ *armcompute.DisksClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armcompute.DisksClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(rg, &e)
	if g == nil {
		return
	}
	bad := func(code string) { e.SetResponseError(http.StatusBadRequest, code) }
	if !diskNameRE.MatchString(name) {
		bad("InvalidResourceName")
		return
	}
	if g.disks[strings.ToLower(name)] != nil {
		e.SetResponseError(http.StatusConflict, "PropertyChangeNotAllowed")
		return
	}
	p := d.Properties
	if !strings.EqualFold(str(d.Location), Location) || p == nil || p.CreationData == nil || p.CreationData.CreateOption == nil {
		bad("InvalidParameter")
		return
	}
	if len(d.Zones) > 0 && !strings.Contains("123", str(d.Zones[0])) || len(d.Zones) > 0 && len(str(d.Zones[0])) != 1 {
		bad("InvalidParameter")
		return
	}
	switch *p.CreationData.CreateOption {
	case armcompute.DiskCreateOptionEmpty:
		if p.DiskSizeGB == nil || *p.DiskSizeGB < 1 || *p.DiskSizeGB > 32767 {
			bad("InvalidParameter")
			return
		}
	case armcompute.DiskCreateOptionCopy:
		src := g.snaps[strings.ToLower(lastSegment(str(p.CreationData.SourceResourceID)))]
		if src == nil {
			e.SetResponseError(http.StatusNotFound, "NotFound")
			return
		}
		size := i32(src.Properties.DiskSizeGB)
		if p.DiskSizeGB == nil {
			p.DiskSizeGB = to.Ptr(size)
		} else if *p.DiskSizeGB < size {
			bad("InvalidParameter")
			return
		}
	default:
		bad("InvalidParameter")
		return
	}
	if d.SKU == nil {
		d.SKU = &armcompute.DiskSKU{Name: to.Ptr(armcompute.DiskStorageAccountTypesStandardLRS)}
	}
	d.ID, d.Name, d.Type = to.Ptr(computeID(g.name, "disks", name)), to.Ptr(name), to.Ptr("Microsoft.Compute/disks")
	p.ProvisioningState = to.Ptr("Succeeded")
	p.DiskState = to.Ptr(armcompute.DiskStateUnattached)
	p.TimeCreated = to.Ptr(time.Now().UTC().Truncate(time.Second))
	g.disks[strings.ToLower(name)] = &d
	resp = poller(s, http.StatusOK, armcompute.DisksClientCreateOrUpdateResponse{Disk: clone(&d)})
	return
}

func (s *Subscription) createSnapshot(ctx context.Context, rg, name string, sn armcompute.Snapshot, _ *armcompute.SnapshotsClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armcompute.SnapshotsClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(rg, &e)
	if g == nil {
		return
	}
	if !diskNameRE.MatchString(name) {
		e.SetResponseError(http.StatusBadRequest, "InvalidResourceName")
		return
	}
	p := sn.Properties
	if !strings.EqualFold(str(sn.Location), Location) || p == nil || p.CreationData == nil ||
		p.CreationData.CreateOption == nil || *p.CreationData.CreateOption != armcompute.DiskCreateOptionCopy {
		e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
		return
	}
	src := g.disks[strings.ToLower(lastSegment(str(p.CreationData.SourceResourceID)))]
	if src == nil {
		e.SetResponseError(http.StatusNotFound, "NotFound")
		return
	}
	sn.ID, sn.Name, sn.Type = to.Ptr(computeID(g.name, "snapshots", name)), to.Ptr(name), to.Ptr("Microsoft.Compute/snapshots")
	p.DiskSizeGB = src.Properties.DiskSizeGB
	p.ProvisioningState = to.Ptr("Succeeded")
	p.TimeCreated = to.Ptr(time.Now().UTC().Truncate(time.Second))
	g.snaps[strings.ToLower(name)] = &sn
	resp = poller(s, http.StatusOK, armcompute.SnapshotsClientCreateOrUpdateResponse{Snapshot: clone(&sn)})
	return
}

// updateVM applies a PATCH of a VM's data disks, the only update the fake
// knows.
func (s *Subscription) updateVM(ctx context.Context, rg, name string, u armcompute.VirtualMachineUpdate, _ *armcompute.VirtualMachinesClientBeginUpdateOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientUpdateResponse], e azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(rg, &e)
	if g == nil {
		return
	}
	r := g.vms[strings.ToLower(name)]
	if r == nil {
		e.SetResponseError(notFoundCode("Microsoft.Compute/virtualMachines", name, rg))
		return
	}
	if u.Properties == nil || u.Properties.StorageProfile == nil || u.Properties.StorageProfile.DataDisks == nil {
		resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientUpdateResponse{VirtualMachine: s.vmOut(r, false)}, nil)
		return
	}
	vmID := *r.vm.ID
	luns := map[int32]bool{}
	keep := map[string]bool{}
	var next []*armcompute.DataDisk
	for _, dd := range u.Properties.StorageProfile.DataDisks {
		if dd.Lun == nil || dd.ManagedDisk == nil || luns[*dd.Lun] || *dd.Lun < 0 || *dd.Lun > 63 {
			e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
			return
		}
		luns[*dd.Lun] = true
		key := strings.ToLower(lastSegment(str(dd.ManagedDisk.ID)))
		d := g.disks[key]
		if d == nil {
			e.SetResponseError(http.StatusNotFound, "NotFound")
			return
		}
		if d.ManagedBy != nil && !strings.EqualFold(*d.ManagedBy, vmID) {
			e.SetResponseError(http.StatusConflict, "OperationNotAllowed") // attached to another VM
			return
		}
		if len(d.Zones) > 0 && (len(r.vm.Zones) == 0 || str(d.Zones[0]) != str(r.vm.Zones[0])) {
			e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
			return
		}
		keep[key] = true
		next = append(next, dataDiskOut(dd, d, g.name))
	}
	for _, dd := range dataDisksOf(r.vm) {
		key := strings.ToLower(lastSegment(str(dd.ManagedDisk.ID)))
		if d := g.disks[key]; d != nil && !keep[key] {
			d.ManagedBy = nil
			d.Properties.DiskState = to.Ptr(armcompute.DiskStateUnattached)
		}
	}
	for key := range keep {
		d := g.disks[key]
		d.ManagedBy = to.Ptr(vmID)
		d.Properties.DiskState = to.Ptr(armcompute.DiskStateAttached)
	}
	r.vm.Properties.StorageProfile.DataDisks = next
	// A VM PATCH answers 200 throughout, with the operation to poll.
	for range s.lroSteps {
		resp.AddNonTerminalResponse(http.StatusOK, nil)
	}
	resp.SetTerminalResponse(http.StatusOK, armcompute.VirtualMachinesClientUpdateResponse{VirtualMachine: s.vmOut(r, false)}, nil)
	return
}

// dataDiskOut is a data disk as a VM shows it after an update: the name,
// size and storage type of the managed disk, caching None, createOption
// Attach, deleteOption Detach and toBeDetached false unless the update set
// them, and the disk's id with the resource group in capitals, as Azure
// writes it in VM documents (clients must compare ids without case).
func dataDiskOut(dd *armcompute.DataDisk, d *armcompute.Disk, rg string) *armcompute.DataDisk {
	out := *dd
	id := str(d.ID)
	if i := len(groupID(rg)); len(id) > i && strings.EqualFold(id[:i], groupID(rg)) {
		id = groupID(strings.ToUpper(rg)) + id[i:]
	}
	out.ManagedDisk = &armcompute.ManagedDiskParameters{ID: to.Ptr(id)}
	if d.SKU != nil && d.SKU.Name != nil {
		out.ManagedDisk.StorageAccountType = to.Ptr(armcompute.StorageAccountTypes(*d.SKU.Name))
	}
	out.Name = d.Name
	out.DiskSizeGB = d.Properties.DiskSizeGB
	if out.Caching == nil {
		out.Caching = to.Ptr(armcompute.CachingTypesNone)
	}
	if out.CreateOption == nil {
		out.CreateOption = to.Ptr(armcompute.DiskCreateOptionTypesAttach)
	}
	if out.DeleteOption == nil {
		out.DeleteOption = to.Ptr(armcompute.DiskDeleteOptionTypesDetach)
	}
	if out.ToBeDetached == nil {
		out.ToBeDetached = to.Ptr(false)
	}
	out.WriteAcceleratorEnabled = to.Ptr(out.WriteAcceleratorEnabled != nil && *out.WriteAcceleratorEnabled)
	return &out
}

func dataDisksOf(vm *armcompute.VirtualMachine) []*armcompute.DataDisk {
	if vm.Properties == nil || vm.Properties.StorageProfile == nil {
		return nil
	}
	return vm.Properties.StorageProfile.DataDisks
}

func (s *Subscription) createKey(ctx context.Context, rg, name string, k armcompute.SSHPublicKeyResource, _ *armcompute.SSHPublicKeysClientCreateOptions) (resp azfake.Responder[armcompute.SSHPublicKeysClientCreateResponse], e azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(rg, &e)
	if g == nil {
		return
	}
	if !strings.EqualFold(str(k.Location), Location) {
		e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
		return
	}
	if k.Properties != nil && k.Properties.PublicKey != nil && !validPublicKey(*k.Properties.PublicKey) {
		e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
		return
	}
	if k.Properties == nil {
		k.Properties = &armcompute.SSHPublicKeyResourceProperties{}
	}
	status := http.StatusCreated
	if g.keys[strings.ToLower(name)] != nil {
		status = http.StatusOK
	}
	k.ID, k.Name, k.Type = to.Ptr(computeID(g.name, "sshPublicKeys", name)), to.Ptr(name), to.Ptr("Microsoft.Compute/sshPublicKeys")
	g.keys[strings.ToLower(name)] = &k
	resp.SetResponse(status, armcompute.SSHPublicKeysClientCreateResponse{SSHPublicKeyResource: clone(&k)}, nil)
	return
}

// validPublicKey accepts what Azure accepts: an OpenSSH ssh-rsa or
// ssh-ed25519 line whose key blob names the same type.
func validPublicKey(line string) bool {
	f := strings.Fields(line)
	if len(f) < 2 || f[0] != "ssh-rsa" && f[0] != "ssh-ed25519" {
		return false
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(blob) < 4 {
		return false
	}
	n := binary.BigEndian.Uint32(blob)
	return int(n) <= len(blob)-4 && string(blob[4:4+n]) == f[0]
}

// generateKeyPair makes an RSA pair for a key resource without a public
// key, as Azure does: the resource keeps the public key, the private key is
// in the answer only.
func (s *Subscription) generateKeyPair(ctx context.Context, rg, name string, _ *armcompute.SSHPublicKeysClientGenerateKeyPairOptions) (resp azfake.Responder[armcompute.SSHPublicKeysClientGenerateKeyPairResponse], e azfake.ErrorResponder) {
	s.mu.Lock()
	g := s.group(rg, &e)
	var k *armcompute.SSHPublicKeyResource
	if g != nil {
		if k = g.keys[strings.ToLower(name)]; k == nil {
			e.SetResponseError(notFoundCode("Microsoft.Compute/sshPublicKeys", name, rg))
		} else if str(k.Properties.PublicKey) != "" {
			e.SetResponseError(http.StatusConflict, "Conflict")
			k = nil
		}
	}
	s.mu.Unlock()
	if k == nil {
		return
	}
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		e.SetError(err)
		return
	}
	pub := "ssh-rsa " + base64.StdEncoding.EncodeToString(rsaBlob(&priv.PublicKey)) + " generated-by-azure"
	pemKey := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)}))
	s.mu.Lock()
	k.Properties.PublicKey = to.Ptr(pub)
	s.mu.Unlock()
	resp.SetResponse(http.StatusOK, armcompute.SSHPublicKeysClientGenerateKeyPairResponse{SSHPublicKeyGenerateKeyPairResult: armcompute.SSHPublicKeyGenerateKeyPairResult{
		ID: k.ID, PrivateKey: to.Ptr(pemKey), PublicKey: to.Ptr(pub)}}, nil)
	return
}

// rsaBlob is the OpenSSH wire form of an RSA public key.
func rsaBlob(pub *rsa.PublicKey) []byte {
	var b []byte
	for _, field := range [][]byte{[]byte("ssh-rsa"), mpint(big.NewInt(int64(pub.E))), mpint(pub.N)} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(field)))
		b = append(b, field...)
	}
	return b
}

func mpint(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) > 0 && b[0]&0x80 != 0 {
		b = append([]byte{0}, b...)
	}
	return b
}

func i32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
