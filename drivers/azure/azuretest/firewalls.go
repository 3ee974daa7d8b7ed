package azuretest

import (
	"context"
	"net/http"
	"net/netip"
	"strconv"
	"strings"

	azfake "github.com/Azure/azure-sdk-for-go/sdk/azcore/fake"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	networkfake "github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7/fake"
)

// securityServers adds network security groups and their rules to the
// network fakes, with Azure's rules: a group an interface uses cannot be
// deleted (InUseNetworkSecurityGroupCannotBeDeleted), two rules of one
// direction cannot share a priority (SecurityRuleConflict), priorities lie
// in 100-4096, ports and prefixes must parse.
func (s *Subscription) securityServers(f *networkfake.ServerFactory) {
	f.SecurityGroupsServer = networkfake.SecurityGroupsServer{
		BeginCreateOrUpdate: func(ctx context.Context, rg, name string, sg armnetwork.SecurityGroup, _ *armnetwork.SecurityGroupsClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armnetwork.SecurityGroupsClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
			s.mu.Lock()
			defer s.mu.Unlock()
			g := s.group(rg, &e)
			if g == nil {
				return
			}
			if !strings.EqualFold(str(sg.Location), Location) || !diskNameRE.MatchString(name) {
				e.SetResponseError(http.StatusBadRequest, "InvalidParameter")
				return
			}
			id := networkID(g.name, "networkSecurityGroups", name)
			if sg.Properties == nil {
				sg.Properties = &armnetwork.SecurityGroupPropertiesFormat{}
			}
			for _, r := range sg.Properties.SecurityRules {
				if code := checkRule(r, sg.Properties.SecurityRules); code != "" {
					e.SetResponseError(http.StatusBadRequest, code)
					return
				}
				r.ID = to.Ptr(id + "/securityRules/" + str(r.Name))
			}
			sg.ID, sg.Name, sg.Type = to.Ptr(id), to.Ptr(name), to.Ptr("Microsoft.Network/networkSecurityGroups")
			sg.Properties.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateSucceeded)
			sg.Properties.DefaultSecurityRules = defaultRules(id)
			status := http.StatusCreated
			if g.nsgs[strings.ToLower(name)] != nil {
				status = http.StatusOK
			}
			g.nsgs[strings.ToLower(name)] = &sg
			resp = poller(s, status, armnetwork.SecurityGroupsClientCreateOrUpdateResponse{SecurityGroup: clone(&sg)})
			return
		},
		Get: func(ctx context.Context, rg, name string, _ *armnetwork.SecurityGroupsClientGetOptions) (resp azfake.Responder[armnetwork.SecurityGroupsClientGetResponse], e azfake.ErrorResponder) {
			if v, ok := getClone(s, rg, name, "Microsoft.Network/networkSecurityGroups", func(g *group) map[string]*armnetwork.SecurityGroup { return g.nsgs }, &e); ok {
				resp.SetResponse(http.StatusOK, armnetwork.SecurityGroupsClientGetResponse{SecurityGroup: v}, nil)
			}
			return
		},
		BeginDelete: func(ctx context.Context, rg, name string, _ *armnetwork.SecurityGroupsClientBeginDeleteOptions) (resp azfake.PollerResponder[armnetwork.SecurityGroupsClientDeleteResponse], e azfake.ErrorResponder) {
			s.mu.Lock()
			defer s.mu.Unlock()
			g := s.group(rg, &e)
			if g == nil {
				return
			}
			status := http.StatusNoContent
			if sg := g.nsgs[strings.ToLower(name)]; sg != nil {
				for _, nic := range g.nics {
					if ref := nic.Properties.NetworkSecurityGroup; ref != nil && strings.EqualFold(str(ref.ID), str(sg.ID)) {
						e.SetResponseError(http.StatusBadRequest, "InUseNetworkSecurityGroupCannotBeDeleted")
						return
					}
				}
				delete(g.nsgs, strings.ToLower(name))
				status = http.StatusOK
			}
			resp = poller(s, status, armnetwork.SecurityGroupsClientDeleteResponse{})
			return
		},
		NewListPager: func(rg string, _ *armnetwork.SecurityGroupsClientListOptions) azfake.PagerResponder[armnetwork.SecurityGroupsClientListResponse] {
			s.mu.Lock()
			defer s.mu.Unlock()
			var out []*armnetwork.SecurityGroup
			if g := s.groups[strings.ToLower(rg)]; g != nil {
				out = clonesOf(g.nsgs)
			}
			return pages(s, out, func(p []*armnetwork.SecurityGroup) armnetwork.SecurityGroupsClientListResponse {
				return armnetwork.SecurityGroupsClientListResponse{SecurityGroupListResult: armnetwork.SecurityGroupListResult{Value: p}}
			})
		},
	}
	f.SecurityRulesServer = networkfake.SecurityRulesServer{
		BeginCreateOrUpdate: func(ctx context.Context, rg, nsg, name string, r armnetwork.SecurityRule, _ *armnetwork.SecurityRulesClientBeginCreateOrUpdateOptions) (resp azfake.PollerResponder[armnetwork.SecurityRulesClientCreateOrUpdateResponse], e azfake.ErrorResponder) {
			s.mu.Lock()
			defer s.mu.Unlock()
			sg := s.securityGroup(rg, nsg, &e)
			if sg == nil {
				return
			}
			if !diskNameRE.MatchString(name) {
				e.SetResponseError(http.StatusBadRequest, "InvalidResourceName")
				return
			}
			r.Name = to.Ptr(name)
			var others []*armnetwork.SecurityRule
			for _, o := range sg.Properties.SecurityRules {
				if !strings.EqualFold(str(o.Name), name) {
					others = append(others, o)
				}
			}
			if code := checkRule(&r, append(others, &r)); code != "" {
				e.SetResponseError(http.StatusBadRequest, code)
				return
			}
			r.ID = to.Ptr(str(sg.ID) + "/securityRules/" + name)
			r.Type = to.Ptr("Microsoft.Network/networkSecurityGroups/securityRules")
			r.Properties.ProvisioningState = to.Ptr(armnetwork.ProvisioningStateSucceeded)
			status := http.StatusCreated
			if len(others) < len(sg.Properties.SecurityRules) {
				status = http.StatusOK
			}
			sg.Properties.SecurityRules = append(others, &r)
			resp = poller(s, status, armnetwork.SecurityRulesClientCreateOrUpdateResponse{SecurityRule: clone(&r)})
			return
		},
		Get: func(ctx context.Context, rg, nsg, name string, _ *armnetwork.SecurityRulesClientGetOptions) (resp azfake.Responder[armnetwork.SecurityRulesClientGetResponse], e azfake.ErrorResponder) {
			s.mu.Lock()
			defer s.mu.Unlock()
			sg := s.securityGroup(rg, nsg, &e)
			if sg == nil {
				return
			}
			for _, r := range sg.Properties.SecurityRules {
				if strings.EqualFold(str(r.Name), name) {
					resp.SetResponse(http.StatusOK, armnetwork.SecurityRulesClientGetResponse{SecurityRule: clone(r)}, nil)
					return
				}
			}
			e.SetResponseError(http.StatusNotFound, "NotFound")
			return
		},
		BeginDelete: func(ctx context.Context, rg, nsg, name string, _ *armnetwork.SecurityRulesClientBeginDeleteOptions) (resp azfake.PollerResponder[armnetwork.SecurityRulesClientDeleteResponse], e azfake.ErrorResponder) {
			s.mu.Lock()
			defer s.mu.Unlock()
			sg := s.securityGroup(rg, nsg, &e)
			if sg == nil {
				return
			}
			status := http.StatusNoContent
			var keep []*armnetwork.SecurityRule
			for _, r := range sg.Properties.SecurityRules {
				if strings.EqualFold(str(r.Name), name) {
					status = http.StatusOK
					continue
				}
				keep = append(keep, r)
			}
			sg.Properties.SecurityRules = keep
			resp = poller(s, status, armnetwork.SecurityRulesClientDeleteResponse{})
			return
		},
	}
}

// securityGroup returns a security group, or sets the ARM 404 on e.
func (s *Subscription) securityGroup(rg, name string, e *azfake.ErrorResponder) *armnetwork.SecurityGroup {
	g := s.group(rg, e)
	if g == nil {
		return nil
	}
	sg := g.nsgs[strings.ToLower(name)]
	if sg == nil {
		e.SetResponseError(notFoundCode("Microsoft.Network/networkSecurityGroups", name, rg))
	}
	return sg
}

// checkRule returns the error code Azure gives a rule, or "".
func checkRule(r *armnetwork.SecurityRule, all []*armnetwork.SecurityRule) string {
	p := r.Properties
	if p == nil || p.Access == nil || p.Direction == nil || p.Protocol == nil || p.Priority == nil {
		return "InvalidParameter"
	}
	if *p.Priority < 100 || *p.Priority > 4096 {
		return "SecurityRuleInvalidPriority"
	}
	for _, o := range all {
		if o != r && o.Properties != nil && o.Properties.Priority != nil && *o.Properties.Priority == *p.Priority &&
			o.Properties.Direction != nil && *o.Properties.Direction == *p.Direction {
			return "SecurityRuleConflict"
		}
	}
	for _, pr := range append([]*string{p.DestinationPortRange}, p.DestinationPortRanges...) {
		if pr != nil && !validPorts(*pr) {
			return "SecurityRuleInvalidPortRange"
		}
	}
	prefixes := p.SourceAddressPrefixes
	if p.SourceAddressPrefix != nil {
		prefixes = append(prefixes, p.SourceAddressPrefix)
	}
	if len(prefixes) == 0 && len(p.SourceApplicationSecurityGroups) == 0 {
		return "InvalidParameter"
	}
	for _, pf := range prefixes {
		v := str(pf)
		if _, err := netip.ParsePrefix(v); err != nil && v != "*" && v != "Internet" && v != "VirtualNetwork" && v != "AzureLoadBalancer" {
			if _, err := netip.ParseAddr(v); err != nil {
				return "SecurityRuleInvalidAddressPrefix"
			}
		}
	}
	return ""
}

func validPorts(s string) bool {
	if s == "*" {
		return true
	}
	a, b, found := strings.Cut(s, "-")
	if !found {
		b = a
	}
	from, err1 := strconv.Atoi(a)
	to, err2 := strconv.Atoi(b)
	return err1 == nil && err2 == nil && from >= 0 && to <= 65535 && from <= to
}

// defaultRules are the rules Azure adds to every security group.
func defaultRules(id string) []*armnetwork.SecurityRule {
	mk := func(name string, prio int32, dir armnetwork.SecurityRuleDirection, access armnetwork.SecurityRuleAccess, src string) *armnetwork.SecurityRule {
		return &armnetwork.SecurityRule{ID: to.Ptr(id + "/defaultSecurityRules/" + name), Name: to.Ptr(name),
			Properties: &armnetwork.SecurityRulePropertiesFormat{Priority: to.Ptr(prio), Direction: to.Ptr(dir), Access: to.Ptr(access),
				Protocol: to.Ptr(armnetwork.SecurityRuleProtocolAsterisk), SourceAddressPrefix: to.Ptr(src),
				DestinationAddressPrefix: to.Ptr("*"), SourcePortRange: to.Ptr("*"), DestinationPortRange: to.Ptr("*")}}
	}
	in, out := armnetwork.SecurityRuleDirectionInbound, armnetwork.SecurityRuleDirectionOutbound
	allow, deny := armnetwork.SecurityRuleAccessAllow, armnetwork.SecurityRuleAccessDeny
	return []*armnetwork.SecurityRule{
		mk("AllowVnetInBound", 65000, in, allow, "VirtualNetwork"),
		mk("AllowAzureLoadBalancerInBound", 65001, in, allow, "AzureLoadBalancer"),
		mk("DenyAllInBound", 65500, in, deny, "*"),
		mk("AllowVnetOutBound", 65000, out, allow, "VirtualNetwork"),
		mk("AllowInternetOutBound", 65001, out, allow, "*"),
		mk("DenyAllOutBound", 65500, out, deny, "*"),
	}
}
