package azuretest

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	networkfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7/fake"
)

func networkID(rg, kind, name string) string {
	return groupID(rg) + "/providers/Microsoft.Network/" + kind + "/" + name
}

func (s *Subscription) networkServers() *networkfake.ServerFactory {
	f := &networkfake.ServerFactory{
		InterfacesServer: networkfake.InterfacesServer{
			BeginCreateOrUpdate: s.createNIC,
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.InterfacesClientGetOptions) (resp azfake.Responder[armnetwork.InterfacesClientGetResponse], e azfake.ErrorResponder) {
				if v, ok := getClone(s, rg, name, "Microsoft.Network/networkInterfaces", func(g *group) map[string]*armnetwork.Interface { return g.nics }, &e); ok {
					resp.SetResponse(http.StatusOK, armnetwork.InterfacesClientGetResponse{Interface: v}, nil)
				}
				return
			},
			NewListPager: func(rg string, _ *armnetwork.InterfacesClientListOptions) azfake.PagerResponder[armnetwork.InterfacesClientListResponse] {
				s.mu.Lock()
				defer s.mu.Unlock()
				var out []*armnetwork.Interface
				if g := s.groups[strings.ToLower(rg)]; g != nil {
					out = clonesOf(g.nics)
				}
				return pages(s, out, func(p []*armnetwork.Interface) armnetwork.InterfacesClientListResponse {
					return armnetwork.InterfacesClientListResponse{InterfaceListResult: armnetwork.InterfaceListResult{Value: p}}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.InterfacesClientBeginDeleteOptions) (resp azfake.PollerResponder[armnetwork.InterfacesClientDeleteResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				status := http.StatusNoContent
				if nic := g.nics[strings.ToLower(name)]; nic != nil {
					if nic.Properties.VirtualMachine != nil {
						e.SetResponseError(http.StatusBadRequest, "NicInUse")
						return
					}
					s.deleteNIC(g, strings.ToLower(name), false)
					status = http.StatusOK
				}
				resp = poller(s, status, armnetwork.InterfacesClientDeleteResponse{})
				return
			},
		},
		PublicIPAddressesServer: networkfake.PublicIPAddressesServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, ip armnetwork.PublicIPAddress, _ *armnetwork.PublicIPAddressesClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armnetwork.PublicIPAddressesClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				if !strings.EqualFold(str(ip.Location), Location) {
					e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
					return
				}
				if ip.Properties == nil {
					ip.Properties = &armnetwork.PublicIPAddressPropertiesFormat{}
				}
				s.ipCount++
				ip.ID, ip.Name, ip.Type = to.Ptr(networkID(g.name, "publicIPAddresses", name)), to.Ptr(name), to.Ptr("Microsoft.Network/publicIPAddresses")
				ip.Properties.IPAddress = to.Ptr(fmt.Sprintf("20.%d.%d.%d", s.ipCount/65536%256, s.ipCount/256%256, s.ipCount%256))
				ip.Properties.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateSucceeded)
				if ip.Properties.PublicIPAddressVersion == nil {
					ip.Properties.PublicIPAddressVersion = to.Ptr(armnetwork.IPVersionIPv4)
				}
				g.ips[strings.ToLower(name)] = &ip
				resp = poller(s, http.StatusCreated, armnetwork.PublicIPAddressesClientCreateOrUpdateResponse{PublicIPAddress: clone(&ip)})
				return
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.PublicIPAddressesClientGetOptions) (resp azfake.Responder[armnetwork.PublicIPAddressesClientGetResponse], e azfake.ErrorResponder) {
				if v, ok := getClone(s, rg, name, "Microsoft.Network/publicIPAddresses", func(g *group) map[string]*armnetwork.PublicIPAddress { return g.ips }, &e); ok {
					resp.SetResponse(http.StatusOK, armnetwork.PublicIPAddressesClientGetResponse{PublicIPAddress: v}, nil)
				}
				return
			},
			NewListPager: func(rg string, _ *armnetwork.PublicIPAddressesClientListOptions) azfake.PagerResponder[armnetwork.PublicIPAddressesClientListResponse] {
				s.mu.Lock()
				defer s.mu.Unlock()
				var out []*armnetwork.PublicIPAddress
				if g := s.groups[strings.ToLower(rg)]; g != nil {
					out = clonesOf(g.ips)
				}
				return pages(s, out, func(p []*armnetwork.PublicIPAddress) armnetwork.PublicIPAddressesClientListResponse {
					return armnetwork.PublicIPAddressesClientListResponse{PublicIPAddressListResult: armnetwork.PublicIPAddressListResult{Value: p}}
				})
			},
			BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.PublicIPAddressesClientBeginDeleteOptions) (resp azfake.PollerResponder[armnetwork.PublicIPAddressesClientDeleteResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				status := http.StatusNoContent
				if ip := g.ips[strings.ToLower(name)]; ip != nil {
					if ip.Properties.IPConfiguration != nil {
						e.SetResponseError(http.StatusBadRequest, "PublicIPAddressCannotBeDeleted")
						return
					}
					delete(g.ips, strings.ToLower(name))
					status = http.StatusOK
				}
				resp = poller(s, status, armnetwork.PublicIPAddressesClientDeleteResponse{})
				return
			},
		},
		VirtualNetworksServer: networkfake.VirtualNetworksServer{
			BeginCreateOrUpdate: func(ctx context.Context, rg, name string, vnet armnetwork.VirtualNetwork, _ *armnetwork.VirtualNetworksClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armnetwork.VirtualNetworksClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				id := networkID(g.name, "virtualNetworks", name)
				vnet.ID, vnet.Name, vnet.Type = to.Ptr(id), to.Ptr(name), to.Ptr("Microsoft.Network/virtualNetworks")
				if vnet.Properties == nil {
					vnet.Properties = &armnetwork.VirtualNetworkPropertiesFormat{}
				}
				for _, sn := range vnet.Properties.Subnets {
					sn.ID = to.Ptr(id + "/subnets/" + str(sn.Name))
				}
				g.vnets[strings.ToLower(name)] = &vnet
				resp = poller(s, http.StatusCreated, armnetwork.VirtualNetworksClientCreateOrUpdateResponse{VirtualNetwork: clone(&vnet)})
				return
			},
			Get: func(ctx context.Context, rg, name string, _ *armnetwork.VirtualNetworksClientGetOptions) (resp azfake.Responder[armnetwork.VirtualNetworksClientGetResponse], e azfake.ErrorResponder) {
				if v, ok := getClone(s, rg, name, "Microsoft.Network/virtualNetworks", func(g *group) map[string]*armnetwork.VirtualNetwork { return g.vnets }, &e); ok {
					resp.SetResponse(http.StatusOK, armnetwork.VirtualNetworksClientGetResponse{VirtualNetwork: v}, nil)
				}
				return
			},
		},
		SubnetsServer: networkfake.SubnetsServer{
			Get: func(ctx context.Context, rg, vnet, name string, _ *armnetwork.SubnetsClientGetOptions) (resp azfake.Responder[armnetwork.SubnetsClientGetResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				sn := g.subnet(vnet, name)
				if sn == nil {
					e.SetResponseError(notFoundCode("Microsoft.Network/virtualNetworks/subnets", vnet+"/"+name, rg))
					return
				}
				resp.SetResponse(http.StatusOK, armnetwork.SubnetsClientGetResponse{Subnet: clone(sn)}, nil)
				return
			},
			BeginCreateOrUpdate: func(ctx context.Context, rg, vnet, name string, sn armnetwork.Subnet, _ *armnetwork.SubnetsClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armnetwork.SubnetsClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
				s.mu.Lock()
				defer s.mu.Unlock()
				g := s.group(rg, &e)
				if g == nil {
					return
				}
				v := g.vnets[strings.ToLower(vnet)]
				if v == nil {
					e.SetResponseError(notFoundCode("Microsoft.Network/virtualNetworks", vnet, rg))
					return
				}
				sn.ID, sn.Name = to.Ptr(*v.ID+"/subnets/"+name), to.Ptr(name)
				v.Properties.Subnets = append(v.Properties.Subnets, &sn)
				resp = poller(s, http.StatusCreated, armnetwork.SubnetsClientCreateOrUpdateResponse{Subnet: clone(&sn)})
				return
			},
		},
	}
	s.securityServers(f)
	return f
}

// subnet finds a subnet of a virtual network of the group.
func (g *group) subnet(vnet, name string) *armnetwork.Subnet {
	v := g.vnets[strings.ToLower(vnet)]
	if v == nil || v.Properties == nil {
		return nil
	}
	for _, sn := range v.Properties.Subnets {
		if strings.EqualFold(str(sn.Name), name) {
			return sn
		}
	}
	return nil
}

// createNIC checks the subnet and public IP an interface refers to and
// gives it a private address.
func (s *Subscription) createNIC(ctx context.Context, rg, name string, nic armnetwork.Interface, _ *armnetwork.InterfacesClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armnetwork.InterfacesClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.group(rg, &e)
	if g == nil {
		return
	}
	if !strings.EqualFold(str(nic.Location), Location) || nic.Properties == nil || len(nic.Properties.IPConfigurations) == 0 {
		e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
		return
	}
	id := networkID(g.name, "networkInterfaces", name)
	old := g.nics[strings.ToLower(name)] // an update of an existing interface
	ownConfig := func(ip *armnetwork.PublicIPAddress) bool {
		return old != nil && strings.HasPrefix(strings.ToLower(str(ip.Properties.IPConfiguration.ID)), strings.ToLower(id)+"/")
	}
	var ips []*armnetwork.PublicIPAddress
	for _, ipc := range nic.Properties.IPConfigurations {
		if ipc.Properties == nil || ipc.Properties.Subnet == nil {
			e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
			return
		}
		sid := str(ipc.Properties.Subnet.ID)
		parts := strings.Split(sid, "/")
		if len(parts) < 11 || !strings.EqualFold(parts[4], g.name) || g.subnet(parts[8], parts[10]) == nil {
			e.SetResponseError(http.StatusBadRequest, "InvalidResourceReference")
			return
		}
		if ref := ipc.Properties.PublicIPAddress; ref != nil {
			ip := g.ips[strings.ToLower(lastSegment(str(ref.ID)))]
			if ip == nil {
				e.SetResponseError(http.StatusBadRequest, "InvalidResourceReference")
				return
			}
			if ip.Properties.IPConfiguration != nil && !ownConfig(ip) {
				e.SetResponseError(http.StatusBadRequest, "PublicIPAddressInUse")
				return
			}
			ips = append(ips, ip)
		}
	}
	n := s.nextID.Add(1)
	nic.ID, nic.Name, nic.Type = to.Ptr(id), to.Ptr(name), to.Ptr("Microsoft.Network/networkInterfaces")
	nic.Properties.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateSucceeded)
	nic.Properties.MacAddress = to.Ptr(fmt.Sprintf("00-0D-3A-%02X-%02X-%02X", n/65536%256, n/256%256, n%256))
	private := map[string]*string{}
	if old != nil {
		// An update keeps what Azure keeps: the MAC, the VM, the private
		// addresses; public IPs no longer referenced are freed.
		nic.Properties.MacAddress = old.Properties.MacAddress
		nic.Properties.VirtualMachine = old.Properties.VirtualMachine
		for _, ipc := range old.Properties.IPConfigurations {
			private[strings.ToLower(str(ipc.Name))] = ipc.Properties.PrivateIPAddress
			if ref := ipc.Properties.PublicIPAddress; ref != nil {
				if ip := g.ips[strings.ToLower(lastSegment(str(ref.ID)))]; ip != nil {
					ip.Properties.IPConfiguration = nil
				}
			}
		}
	}
	for i, ipc := range nic.Properties.IPConfigurations {
		if ipc.Name == nil {
			ipc.Name = to.Ptr(fmt.Sprintf("ipconfig%d", i+1))
		}
		ipc.ID = to.Ptr(id + "/ipConfigurations/" + *ipc.Name)
		ipc.Properties.PrivateIPAddress = to.Ptr(fmt.Sprintf("10.0.%d.%d", n/250%250, n%250+4))
		if p := private[strings.ToLower(*ipc.Name)]; p != nil {
			ipc.Properties.PrivateIPAddress = p
		}
		ipc.Properties.PrivateIPAddressVersion = to.Ptr(armnetwork.IPVersionIPv4)
	}
	for i, ip := range ips {
		ip.Properties.IPConfiguration = &armnetwork.IPConfiguration{ID: nic.Properties.IPConfigurations[min(i, len(nic.Properties.IPConfigurations)-1)].ID}
	}
	g.nics[strings.ToLower(name)] = &nic
	if old != nil {
		// An update answers 200 throughout, with the operation to poll.
		for range s.lroSteps {
			resp.AddNonTerminalResponse(http.StatusOK, nil)
		}
		resp.SetTerminalResponse(http.StatusOK, armnetwork.InterfacesClientCreateOrUpdateResponse{Interface: clone(&nic)}, nil)
		return
	}
	resp = poller(s, http.StatusCreated, armnetwork.InterfacesClientCreateOrUpdateResponse{Interface: clone(&nic)})
	return
}

// deleteNIC removes an interface and frees its public IPs; cascading, it
// deletes those whose delete option is Delete.
func (s *Subscription) deleteNIC(g *group, key string, cascade bool) {
	nic := g.nics[key]
	delete(g.nics, key)
	for _, ipc := range nic.Properties.IPConfigurations {
		if ipc.Properties == nil || ipc.Properties.PublicIPAddress == nil {
			continue
		}
		ipKey := strings.ToLower(lastSegment(str(ipc.Properties.PublicIPAddress.ID)))
		ip := g.ips[ipKey]
		if ip == nil {
			continue
		}
		ip.Properties.IPConfiguration = nil
		if cascade && ip.Properties.DeleteOption != nil && *ip.Properties.DeleteOption == armnetwork.DeleteOptionsDelete {
			delete(g.ips, ipKey)
		}
	}
}
