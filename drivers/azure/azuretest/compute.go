package azuretest

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	computefake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
)

func groupID(rg string) string { return "/subscriptions/" + SubscriptionID + "/resourceGroups/" + rg }

func computeID(rg, kind, name string) string {
	return groupID(rg) + "/providers/Microsoft.Compute/" + kind + "/" + name
}

func notFound(kind, name, rg string) (int, string, string) {
	return http.StatusNotFound, "ResourceNotFound",
		fmt.Sprintf("The Resource '%s/%s' under resource group '%s' was not found.", kind, name, rg)
}

// group returns a resource group, or sets the ARM 404 on e.
func (s *Subscription) group(rg string, e *azfake.ErrorResponder) *group {
	g := s.groups[strings.ToLower(rg)]
	if g == nil {
		e.SetResponseError(http.StatusNotFound, "ResourceGroupNotFound")
	}
	return g
}

// poller answers a long-running operation: lroSteps polls "in progress",
// then res.
func poller[T any](s *Subscription, status int, res T) azfake.PollerResponder[T] {
	var p azfake.PollerResponder[T]
	inProgress := http.StatusAccepted // deletes and actions
	if status == http.StatusCreated {
		inProgress = http.StatusCreated // creates
	}
	for range s.lroSteps {
		p.AddNonTerminalResponse(inProgress, nil)
	}
	p.SetTerminalResponse(status, res, nil)
	return p
}

// pages splits items into pages of s.pageSize.
func pages[T any, R any](s *Subscription, items []T, page func([]T) R) azfake.PagerResponder[R] {
	var p azfake.PagerResponder[R]
	n := s.pageSize
	if n <= 0 || n > len(items) {
		n = max(len(items), 1)
	}
	for i := 0; i < len(items) || i == 0; i += n {
		p.AddPage(http.StatusOK, page(items[i:min(i+n, len(items))]), nil)
	}
	return p
}

// view returns a VM's instance view, counting the read that settles a
// pending state.
func (s *Subscription) view(r *vmRecord) *armcompute.VirtualMachineInstanceView {
	if r.next != nil {
		r.reads++
		if r.reads > s.settleReads {
			r.prov, r.power, r.next, r.reads = r.next[0], r.next[1], nil, 0
		}
	}
	statuses := []*armcompute.InstanceViewStatus{{
		Code: to.Ptr("ProvisioningState/" + r.prov), Level: to.Ptr(armcompute.StatusLevelTypesInfo),
		DisplayStatus: to.Ptr("Provisioning " + r.prov),
	}}
	if r.power != "" {
		statuses = append(statuses, &armcompute.InstanceViewStatus{
			Code: to.Ptr("PowerState/" + r.power), Level: to.Ptr(armcompute.StatusLevelTypesInfo),
			DisplayStatus: to.Ptr("VM " + r.power),
		})
	}
	return &armcompute.VirtualMachineInstanceView{Statuses: statuses}
}

// vmOut is the response copy of a VM, with its instance view if asked.
func (s *Subscription) vmOut(r *vmRecord, withView bool) armcompute.VirtualMachine {
	v := clone(r.vm)
	if v.Properties.OSProfile != nil {
		v.Properties.OSProfile.CustomData = nil // kept for VM(), never returned, as in Azure
	}
	v.Properties.ProvisioningState = to.Ptr(strings.ToUpper(r.prov[:1]) + r.prov[1:])
	if withView {
		v.Properties.InstanceView = s.view(r)
	}
	return v
}

// transition starts a change of state that settles after settleReads reads.
func (s *Subscription) transition(r *vmRecord, prov, power, finalProv, finalPower string) {
	r.prov, r.power = prov, power
	r.next, r.reads = &[2]string{finalProv, finalPower}, 0
	if s.settleReads == 0 {
		r.prov, r.power, r.next = finalProv, finalPower, nil
	}
}

func (s *Subscription) computeServers() *computefake.ServerFactory {
	f := &computefake.ServerFactory{
		VirtualMachinesServer: computefake.VirtualMachinesServer{
			BeginCreateOrUpdate: s.createVM,
			Get: func(ctx context.Context, rg, name string, o *armcompute.VirtualMachinesClientGetOptions) (resp azfake.Responder[armcompute.VirtualMachinesClientGetResponse], e azfake.ErrorResponder) {
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
				withView := o != nil && o.Expand != nil && *o.Expand == armcompute.InstanceViewTypesInstanceView
				resp.SetResponse(http.StatusOK, armcompute.VirtualMachinesClientGetResponse{VirtualMachine: s.vmOut(r, withView)}, nil)
				return
			},
			NewListPager: func(rg string, _ *armcompute.VirtualMachinesClientListOptions) azfake.PagerResponder[armcompute.VirtualMachinesClientListResponse] {
				s.mu.Lock()
				defer s.mu.Unlock()
				var vms []*armcompute.VirtualMachine
				if g := s.groups[strings.ToLower(rg)]; g != nil {
					for _, name := range sortedKeys(g.vms) {
						v := s.vmOut(g.vms[name], false)
						vms = append(vms, &v)
					}
				}
				return pages(s, vms, func(p []*armcompute.VirtualMachine) armcompute.VirtualMachinesClientListResponse {
					return armcompute.VirtualMachinesClientListResponse{VirtualMachineListResult: armcompute.VirtualMachineListResult{Value: p}}
				})
			},
			NewListAllPager: func(o *armcompute.VirtualMachinesClientListAllOptions) azfake.PagerResponder[armcompute.VirtualMachinesClientListAllResponse] {
				s.mu.Lock()
				defer s.mu.Unlock()
				statusOnly := o != nil && o.StatusOnly != nil && strings.EqualFold(*o.StatusOnly, "true")
				var vms []*armcompute.VirtualMachine
				for _, gname := range sortedKeys(s.groups) {
					g := s.groups[gname]
					for _, name := range sortedKeys(g.vms) {
						r := g.vms[name]
						if statusOnly {
							vms = append(vms, &armcompute.VirtualMachine{ID: to.Ptr(*r.vm.ID), Name: to.Ptr(*r.vm.Name),
								Properties: &armcompute.VirtualMachineProperties{InstanceView: s.view(r)}})
							continue
						}
						v := s.vmOut(r, false)
						vms = append(vms, &v)
					}
				}
				return pages(s, vms, func(p []*armcompute.VirtualMachine) armcompute.VirtualMachinesClientListAllResponse {
					return armcompute.VirtualMachinesClientListAllResponse{VirtualMachineListResult: armcompute.VirtualMachineListResult{Value: p}}
				})
			},
			BeginStart: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginStartOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientStartResponse], e azfake.ErrorResponder) {
				s.powerAction(rg, name, &e, func(r *vmRecord) {
					if r.power != "running" {
						s.transition(r, "updating", "starting", "succeeded", "running")
					}
				})
				resp = poller(s, http.StatusOK, armcompute.VirtualMachinesClientStartResponse{})
				return
			},
			BeginDeallocate: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginDeallocateOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientDeallocateResponse], e azfake.ErrorResponder) {
				s.powerAction(rg, name, &e, func(r *vmRecord) {
					if r.power != "deallocated" {
						s.transition(r, "updating", "deallocating", "succeeded", "deallocated")
					}
				})
				resp = poller(s, http.StatusOK, armcompute.VirtualMachinesClientDeallocateResponse{})
				return
			},
			BeginPowerOff: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginPowerOffOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientPowerOffResponse], e azfake.ErrorResponder) {
				s.powerAction(rg, name, &e, func(r *vmRecord) {
					if r.power == "running" || r.power == "starting" {
						s.transition(r, "updating", "stopping", "succeeded", "stopped")
					}
				})
				resp = poller(s, http.StatusOK, armcompute.VirtualMachinesClientPowerOffResponse{})
				return
			},
			BeginRestart: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginRestartOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientRestartResponse], e azfake.ErrorResponder) {
				s.powerAction(rg, name, &e, func(r *vmRecord) {
					if r.power != "running" {
						e.SetResponseError(http.StatusConflict, "OperationNotAllowed")
					}
				})
				resp = poller(s, http.StatusOK, armcompute.VirtualMachinesClientRestartResponse{})
				return
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armcompute.VirtualMachinesClientBeginDeleteOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientDeleteResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				status := http.StatusNoContent
				if r := g.vms[strings.ToLower(name)]; r != nil {
					s.deleteVM(g, r)
					status = http.StatusOK
				}
				resp = poller(s, status, armcompute.VirtualMachinesClientDeleteResponse{})
				return
			},
		},
		ResourceSKUsServer: computefake.ResourceSKUsServer{
			NewListPager: func(o *armcompute.ResourceSKUsClientListOptions) azfake.PagerResponder[armcompute.ResourceSKUsClientListResponse] {
				s.mu.Lock()
				defer s.mu.Unlock()
				var skus []*armcompute.ResourceSKU
				for _, sku := range s.skus {
					if o != nil && o.Filter != nil && !strings.Contains(*o.Filter, "'"+str(sku.Locations[0])+"'") {
						continue
					}
					c := clone(sku)
					skus = append(skus, &c)
				}
				return pages(s, skus, func(p []*armcompute.ResourceSKU) armcompute.ResourceSKUsClientListResponse {
					return armcompute.ResourceSKUsClientListResponse{ResourceSKUsResult: armcompute.ResourceSKUsResult{Value: p}}
				})
			},
		},
		VirtualMachineImagesServer: computefake.VirtualMachineImagesServer{
			List: func(ctx context.Context, location, pub, offer, sku string, o *armcompute.VirtualMachineImagesClientListOptions) (resp azfake.Responder[armcompute.VirtualMachineImagesClientListResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				versions, ok := s.market[strings.ToLower(pub+":"+offer+":"+sku)]
				if !ok || !strings.EqualFold(location, Location) {
					e.SetResponseError(http.StatusNotFound, "NotFound")
					return
				}
				var out []*armcompute.VirtualMachineImageResource
				for _, v := range versions {
					out = append(out, &armcompute.VirtualMachineImageResource{Name: to.Ptr(*v.Name), Location: to.Ptr(Location), ID: to.Ptr(*v.ID)})
				}
				if o != nil && o.Orderby != nil && strings.HasSuffix(strings.ToLower(*o.Orderby), "desc") {
					slices.Reverse(out)
				}
				if o != nil && o.Top != nil && int(*o.Top) < len(out) {
					out = out[:*o.Top]
				}
				resp.SetResponse(http.StatusOK, armcompute.VirtualMachineImagesClientListResponse{VirtualMachineImageResourceArray: out}, nil)
				return
			},
			Get: func(ctx context.Context, location, pub, offer, sku, version string, _ *armcompute.VirtualMachineImagesClientGetOptions) (resp azfake.Responder[armcompute.VirtualMachineImagesClientGetResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				img := s.marketImage(pub, offer, sku, version)
				if img == nil || !strings.EqualFold(location, Location) {
					e.SetResponseError(http.StatusNotFound, "NotFound")
					return
				}
				resp.SetResponse(http.StatusOK, armcompute.VirtualMachineImagesClientGetResponse{VirtualMachineImage: clone(img)}, nil)
				return
			},
		},
		ImagesServer: computefake.ImagesServer{
			Get: func(ctx context.Context, rg, name string, _ *armcompute.ImagesClientGetOptions) (resp azfake.Responder[armcompute.ImagesClientGetResponse], e azfake.ErrorResponder) {
				if v, ok := getClone(s, rg, name, "Microsoft.Compute/images", func(g *group) map[string]*armcompute.Image { return g.images }, &e); ok {
					resp.SetResponse(http.StatusOK, armcompute.ImagesClientGetResponse{Image: v}, nil)
				}
				return
			},
			NewListByResourceGroupPager: func(rg string, _ *armcompute.ImagesClientListByResourceGroupOptions) azfake.PagerResponder[armcompute.ImagesClientListByResourceGroupResponse] {
				s.mu.Lock()
				defer s.mu.Unlock()
				var imgs []*armcompute.Image
				if g := s.groups[strings.ToLower(rg)]; g != nil {
					imgs = clonesOf(g.images)
				}
				return pages(s, imgs, func(p []*armcompute.Image) armcompute.ImagesClientListByResourceGroupResponse {
					return armcompute.ImagesClientListByResourceGroupResponse{ImageListResult: armcompute.ImageListResult{Value: p}}
				})
			},
		},
		DisksServer: computefake.DisksServer{
			Get: func(ctx context.Context, rg, name string, _ *armcompute.DisksClientGetOptions) (resp azfake.Responder[armcompute.DisksClientGetResponse], e azfake.ErrorResponder) {
				if v, ok := getClone(s, rg, name, "Microsoft.Compute/disks", func(g *group) map[string]*armcompute.Disk { return g.disks }, &e); ok {
					resp.SetResponse(http.StatusOK, armcompute.DisksClientGetResponse{Disk: v}, nil)
				}
				return
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armcompute.DisksClientBeginDeleteOptions) (resp azfake.PollerResponder[armcompute.DisksClientDeleteResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				status := http.StatusNoContent
				if d := g.disks[strings.ToLower(name)]; d != nil {
					if d.ManagedBy != nil {
						e.SetResponseError(http.StatusConflict, "OperationNotAllowed")
						return
					}
					delete(g.disks, strings.ToLower(name))
					status = http.StatusOK
				}
				resp = poller(s, status, armcompute.DisksClientDeleteResponse{})
				return
			},
		},
		SSHPublicKeysServer: computefake.SSHPublicKeysServer{
			Get: func(ctx context.Context, rg, name string, _ *armcompute.SSHPublicKeysClientGetOptions) (resp azfake.Responder[armcompute.SSHPublicKeysClientGetResponse], e azfake.ErrorResponder) {
				if v, ok := getClone(s, rg, name, "Microsoft.Compute/sshPublicKeys", func(g *group) map[string]*armcompute.SSHPublicKeyResource { return g.keys }, &e); ok {
					resp.SetResponse(http.StatusOK, armcompute.SSHPublicKeysClientGetResponse{SSHPublicKeyResource: v}, nil)
				}
				return
			},
		},
	}
	s.diskServers(f)
	return f
}

func notFoundCode(kind, name, rg string) (int, string) {
	status, code, _ := notFound(kind, name, rg)
	return status, code
}

// powerAction applies a power change to an existing, not deleting VM.
func (s *Subscription) powerAction(rg, name string, e *azfake.ErrorResponder, apply func(*vmRecord)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(rg, e)
	if g == nil {
		return
	}
	r := g.vms[strings.ToLower(name)]
	if r == nil {
		e.SetResponseError(notFoundCode("Microsoft.Compute/virtualMachines", name, rg))
		return
	}
	if r.prov == "deleting" || r.prov == "failed" {
		e.SetResponseError(http.StatusConflict, "OperationNotAllowed")
		return
	}
	apply(r)
}

// marketImage finds one version of a marketplace image.
func (s *Subscription) marketImage(pub, offer, sku, version string) *armcompute.VirtualMachineImage {
	for _, v := range s.market[strings.ToLower(pub+":"+offer+":"+sku)] {
		if *v.Name == version {
			return v
		}
	}
	return nil
}

// createVM validates a VM the way Resource Manager does, makes its OS disk,
// attaches its interfaces and starts it.
func (s *Subscription) createVM(ctx context.Context, rg, name string, vm armcompute.VirtualMachine, _ *armcompute.VirtualMachinesClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armcompute.VirtualMachinesClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(rg, &e)
	if g == nil {
		return
	}
	if g.vms[strings.ToLower(name)] != nil {
		e.SetResponseError(http.StatusConflict, "PropertyChangeNotAllowed")
		return
	}
	p := vm.Properties
	bad := func(code string) { e.SetResponseError(http.StatusBadRequest, code) }
	if !strings.EqualFold(str(vm.Location), Location) || p == nil || p.HardwareProfile == nil || p.StorageProfile == nil ||
		p.StorageProfile.ImageReference == nil || p.OSProfile == nil || p.NetworkProfile == nil || len(p.NetworkProfile.NetworkInterfaces) == 0 {
		bad("InvalidParameter")
		return
	}
	if !validTags(vm.Tags) {
		bad("InvalidTag")
		return
	}
	if !s.hasSize(string(*p.HardwareProfile.VMSize)) {
		e.SetResponseError(http.StatusConflict, "SkuNotAvailable")
		return
	}
	if len(vm.Zones) > 0 && !slices.Contains([]string{"1", "2", "3"}, str(vm.Zones[0])) {
		bad("InvalidParameter")
		return
	}
	ref := p.StorageProfile.ImageReference
	osType := armcompute.OperatingSystemTypesLinux
	switch {
	case ref.Publisher != nil:
		version := str(ref.Version)
		versions := s.market[strings.ToLower(str(ref.Publisher)+":"+str(ref.Offer)+":"+str(ref.SKU))]
		if version == "latest" && len(versions) > 0 {
			version = *versions[len(versions)-1].Name
		}
		img := s.marketImage(str(ref.Publisher), str(ref.Offer), str(ref.SKU), version)
		if img == nil {
			e.SetResponseError(http.StatusNotFound, "PlatformImageNotFound")
			return
		}
		osType = *img.Properties.OSDiskImage.OperatingSystem
		ref.ExactVersion = to.Ptr(version)
	case ref.ID != nil:
		img := g.images[strings.ToLower(lastSegment(*ref.ID))]
		if img == nil {
			e.SetResponseError(http.StatusNotFound, "ImageNotFound")
			return
		}
		osType = *img.Properties.StorageProfile.OSDisk.OSType
	default:
		bad("InvalidParameter")
		return
	}
	op := p.OSProfile
	if str(op.AdminUsername) == "" {
		bad("InvalidParameter")
		return
	}
	if osType == armcompute.OperatingSystemTypesLinux {
		lc := op.LinuxConfiguration
		hasKey := lc != nil && lc.SSH != nil && len(lc.SSH.PublicKeys) > 0
		if !hasKey && str(op.AdminPassword) == "" {
			bad("InvalidParameter")
			return
		}
	} else if str(op.AdminPassword) == "" {
		bad("InvalidParameter")
		return
	}
	vmID := computeID(g.name, "virtualMachines", name)
	var nics []*nicRef
	for _, ref := range p.NetworkProfile.NetworkInterfaces {
		nic := g.nics[strings.ToLower(lastSegment(str(ref.ID)))]
		if nic == nil {
			e.SetResponseError(http.StatusNotFound, "NotFound")
			return
		}
		if nic.Properties.VirtualMachine != nil {
			bad("NicInUse")
			return
		}
		nics = append(nics, &nicRef{nic: nic, ref: ref})
	}
	// Valid: make the OS disk and the VM.
	od := p.StorageProfile.OSDisk
	if od == nil {
		od = &armcompute.OSDisk{CreateOption: to.Ptr(armcompute.DiskCreateOptionTypesFromImage)}
		p.StorageProfile.OSDisk = od
	}
	if od.Name == nil {
		od.Name = to.Ptr(name + "_OsDisk_1")
	}
	diskID := computeID(g.name, "disks", *od.Name)
	g.disks[strings.ToLower(*od.Name)] = &armcompute.Disk{
		ID: to.Ptr(diskID), Name: to.Ptr(*od.Name), Location: to.Ptr(Location), Type: to.Ptr("Microsoft.Compute/disks"),
		ManagedBy: to.Ptr(vmID), Tags: vm.Tags, Zones: vm.Zones,
		Properties: &armcompute.DiskProperties{OSType: to.Ptr(osType), DiskSizeGB: to.Ptr[int32](30),
			CreationData: &armcompute.CreationData{CreateOption: to.Ptr(armcompute.DiskCreateOptionFromImage)},
			DiskState:    to.Ptr(armcompute.DiskStateAttached), ProvisioningState: to.Ptr("Succeeded")},
	}
	if od.ManagedDisk == nil {
		od.ManagedDisk = &armcompute.ManagedDiskParameters{}
	}
	od.ManagedDisk.ID = to.Ptr(diskID)
	od.OSType = to.Ptr(osType)
	op.AdminPassword = nil // write-only, as in Azure
	for _, n := range nics {
		n.nic.Properties.VirtualMachine = &armnetwork.SubResource{ID: to.Ptr(vmID)}
		if n.ref.Properties == nil {
			n.ref.Properties = &armcompute.NetworkInterfaceReferenceProperties{}
		}
	}
	vm.ID, vm.Name, vm.Type = to.Ptr(vmID), to.Ptr(name), to.Ptr("Microsoft.Compute/virtualMachines")
	p.VMID = to.Ptr(fmt.Sprintf("%08x-0000-4000-8000-%012x", s.nextID.Add(1), s.nextID.Load()))
	p.TimeCreated = to.Ptr(time.Now().UTC().Truncate(time.Second))
	r := &vmRecord{vm: &vm, prov: "succeeded", power: "running"}
	g.vms[strings.ToLower(name)] = r
	if f := s.createFailure; f != nil {
		s.createFailure = nil
		r.prov, r.power = "failed", ""
		resp.AddNonTerminalResponse(http.StatusCreated, nil)
		resp.SetTerminalError(f.Status, f.Code)
		return
	}
	resp = poller(s, http.StatusCreated, armcompute.VirtualMachinesClientCreateOrUpdateResponse{VirtualMachine: s.vmOut(r, false)})
	return
}

// deleteVM removes a VM, detaching (or, with cascading deletes and delete
// option Delete, deleting) its interfaces, their public IPs and its OS disk.
func (s *Subscription) deleteVM(g *group, r *vmRecord) {
	delete(g.vms, strings.ToLower(*r.vm.Name))
	p := r.vm.Properties
	for _, ref := range p.NetworkProfile.NetworkInterfaces {
		key := strings.ToLower(lastSegment(str(ref.ID)))
		nic := g.nics[key]
		if nic == nil {
			continue
		}
		nic.Properties.VirtualMachine = nil
		if s.cascade && ref.Properties != nil && ref.Properties.DeleteOption != nil && *ref.Properties.DeleteOption == armcompute.DeleteOptionsDelete {
			s.deleteNIC(g, key, true)
		}
	}
	for _, dd := range p.StorageProfile.DataDisks {
		if dd.ManagedDisk == nil {
			continue
		}
		key := strings.ToLower(lastSegment(str(dd.ManagedDisk.ID)))
		if d := g.disks[key]; d != nil {
			d.ManagedBy = nil
			d.Properties.DiskState = to.Ptr(armcompute.DiskStateUnattached)
			if s.cascade && dd.DeleteOption != nil && *dd.DeleteOption == armcompute.DiskDeleteOptionTypesDelete {
				delete(g.disks, key)
			}
		}
	}
	if od := p.StorageProfile.OSDisk; od != nil && od.Name != nil {
		key := strings.ToLower(*od.Name)
		if d := g.disks[key]; d != nil {
			d.ManagedBy = nil
			d.Properties.DiskState = to.Ptr(armcompute.DiskStateUnattached)
			if s.cascade && od.DeleteOption != nil && *od.DeleteOption == armcompute.DiskDeleteOptionTypesDelete {
				delete(g.disks, key)
			}
		}
	}
}

// hasSize reports whether a VM size is offered.
func (s *Subscription) hasSize(size string) bool {
	return slices.ContainsFunc(s.skus, func(k *armcompute.ResourceSKU) bool {
		return strings.EqualFold(str(k.Name), size) && len(k.Restrictions) == 0
	})
}

type nicRef struct {
	nic *armnetwork.Interface
	ref *armcompute.NetworkInterfaceReference
}

func lastSegment(id string) string { return id[strings.LastIndex(id, "/")+1:] }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// getClone looks a resource of a resource group up under the lock and
// returns a copy, or sets Azure's error for a missing group or resource.
func getClone[T any](s *Subscription, rg, name, typ string, of func(*group) map[string]*T, e *azfake.ErrorResponder) (T, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var zero T
	g := s.group(rg, e)
	if g == nil {
		return zero, false
	}
	v := of(g)[strings.ToLower(name)]
	if v == nil {
		e.SetResponseError(notFoundCode(typ, name, rg))
		return zero, false
	}
	return clone(v), true
}

// clonesOf returns deep copies of a group's resources in name order, so a
// listing neither shares state with the fake nor depends on map order.
func clonesOf[T any](m map[string]*T) []*T {
	out := make([]*T, 0, len(m))
	for _, k := range sortedKeys(m) {
		c := clone(m[k])
		out = append(out, &c)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
