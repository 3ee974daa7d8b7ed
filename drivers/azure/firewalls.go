package azure

import (
	"context"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"

	"github.com/deltacloud-go/deltacloud"
)

// Security rule priorities: the driver gives each new rule the lowest free
// priority from firstPriority on.
const (
	firstPriority = 1000
	lastPriority  = 4096
)

// isFirewall reports whether a network security group is the provider's.
func (c *conn) isFirewall(g *armnetwork.SecurityGroup) bool { return c.owned(g.Tags) }

// firewallOf maps a network security group and its own (not default)
// security rules.
func (c *conn) firewallOf(g *armnetwork.SecurityGroup) deltacloud.Firewall {
	fw := deltacloud.Firewall{ID: str(g.Name), Name: str(g.Name), Description: str(g.Tags[TagDescription]),
		Owner: c.scope.SubscriptionID}
	if g.Properties != nil {
		for _, r := range g.Properties.SecurityRules {
			if rule, ok := ruleOf(r); ok {
				fw.Rules = append(fw.Rules, rule)
			}
		}
	}
	return fw
}

// ruleOf maps an allowing security rule; ok is false for rules the model
// cannot express (deny rules, "*" protocols, sources that are service tags
// or application security groups only).
func ruleOf(r *armnetwork.SecurityRule) (deltacloud.FirewallRule, bool) {
	p := r.Properties
	if p == nil || p.Access == nil || *p.Access != armnetwork.SecurityRuleAccessAllow || p.Protocol == nil {
		return deltacloud.FirewallRule{}, false
	}
	out := deltacloud.FirewallRule{ID: str(r.Name), Protocol: strings.ToLower(string(*p.Protocol)), Direction: "ingress"}
	if p.Direction != nil && *p.Direction == armnetwork.SecurityRuleDirectionOutbound {
		out.Direction = "egress"
	}
	switch out.Protocol {
	case "tcp", "udp":
		from, to, ok := portRange(str(p.DestinationPortRange))
		if !ok {
			return out, false
		}
		out.PortFrom, out.PortTo = from, to
	case "icmp":
		out.PortFrom, out.PortTo = -1, -1
	default:
		return out, false
	}
	prefixes := p.SourceAddressPrefixes
	if p.SourceAddressPrefix != nil {
		prefixes = append([]*string{p.SourceAddressPrefix}, prefixes...)
	}
	for _, s := range prefixes {
		v := str(s)
		if v == "*" {
			v = "0.0.0.0/0"
		}
		pfx, err := netip.ParsePrefix(v)
		if err != nil {
			if a, aerr := netip.ParseAddr(v); aerr == nil {
				pfx = netip.PrefixFrom(a, a.BitLen())
			} else {
				continue // a service tag such as "Internet"
			}
		}
		out.Sources = append(out.Sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: pfx.Masked()})
	}
	if len(out.Sources) == 0 {
		return out, false
	}
	return out, true
}

// portRange reads a destination port range: "22", "8000-8080" or "*".
func portRange(s string) (from, to int, ok bool) {
	if s == "*" {
		return 0, 65535, true
	}
	a, b, found := strings.Cut(s, "-")
	if !found {
		b = a
	}
	from, err1 := strconv.Atoi(a)
	to, err2 := strconv.Atoi(b)
	return from, to, err1 == nil && err2 == nil
}

// Firewalls lists the provider's network security groups (tagged with the
// owner) with their rules.
func (c *conn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	var out []deltacloud.Firewall
	pg := c.nsgs.NewListPager(c.scope.ResourceGroup, nil)
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, g := range page.Value {
			if c.isFirewall(g) {
				out = append(out, c.firewallOf(g))
			}
		}
	}
	return out, nil
}

// nsg fetches one of the provider's security groups; anything else is
// ErrNotFound.
func (c *conn) nsg(ctx context.Context, id string) (*armnetwork.SecurityGroup, error) {
	if !resourceNameRE.MatchString(id) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: no firewall %q", id)
	}
	got, err := c.nsgs.Get(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return nil, notFoundAs(err, "firewall", id)
	}
	if !c.isFirewall(&got.SecurityGroup) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: network security group %q is not a firewall of owner %q", id, c.opts.owner)
	}
	return &got.SecurityGroup, nil
}

// CreateFirewall creates a network security group named spec.Name (a taken
// name is ErrConflict) with the description in a tag and no rules of its
// own (Azure's default rules apply and are not listed).
func (c *conn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	if !resourceNameRE.MatchString(spec.Name) {
		return nil, invalid("firewall name %q: want 1-80 letters, digits, '_', '.' or '-'", spec.Name)
	}
	rg := c.scope.ResourceGroup
	if _, err := c.nsgs.Get(ctx, rg, spec.Name, nil); err == nil {
		return nil, deltacloud.Errorf(deltacloud.Conflict, "azure: a network security group named %q exists in resource group %s", spec.Name, rg)
	} else if !isNotFound(err) {
		return nil, wrap(err)
	}
	poller, err := c.nsgs.BeginCreateOrUpdate(ctx, rg, spec.Name, armnetwork.SecurityGroup{
		Location:   to.Ptr(c.scope.Location),
		Tags:       map[string]*string{TagOwner: to.Ptr(c.opts.owner), TagDescription: to.Ptr(spec.Description)},
		Properties: &armnetwork.SecurityGroupPropertiesFormat{},
	}, nil)
	if err != nil {
		return nil, wrap(err)
	}
	res, err := poller.PollUntilDone(ctx, c.pollOpts())
	if err != nil {
		c.cleanupAfter(ctx, func(ctx context.Context) error {
			p, err := c.nsgs.BeginDelete(ctx, rg, spec.Name, nil)
			if err == nil {
				_, err = p.PollUntilDone(ctx, c.pollOpts())
			}
			return err
		})
		return nil, wrap(err)
	}
	fw := c.firewallOf(&res.SecurityGroup)
	return &fw, nil
}

// DestroyFirewall deletes a security group; Azure refuses while an
// interface or subnet uses it (ErrInvalidState).
func (c *conn) DestroyFirewall(ctx context.Context, id string) error {
	if _, err := c.nsg(ctx, id); err != nil {
		return err
	}
	poller, err := c.nsgs.BeginDelete(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return wrap(err)
	}
	_, err = poller.PollUntilDone(ctx, c.pollOpts())
	return wrap(err)
}

// AddFirewallRule adds an inbound allow rule at the lowest free priority
// from 1000, named "<protocol>-<from>-<to>-<random>" (the rule id). Address
// sources become the rule's source prefixes. Group sources are
// ErrNotSupported: a security rule's other sources are application security
// groups, which are not firewalls in this model. Azure cannot match ICMP
// types or codes, so an icmp rule must have -1 for both (any).
func (c *conn) AddFirewallRule(ctx context.Context, firewallID string, rule deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	var prefixes []*string
	for _, s := range rule.Sources {
		if s.Type != deltacloud.SourceAddress {
			return nil, deltacloud.Errorf(deltacloud.NotSupported,
				"azure: rule source %q is a group; network security rules take address prefixes only", s.Group)
		}
		prefixes = append(prefixes, to.Ptr(s.Prefix.Masked().String()))
	}
	var proto armnetwork.SecurityRuleProtocol
	ports := fmt.Sprintf("%d-%d", rule.PortFrom, rule.PortTo)
	if rule.PortFrom == rule.PortTo {
		ports = strconv.Itoa(rule.PortFrom)
	}
	switch rule.Protocol {
	case "tcp":
		proto = armnetwork.SecurityRuleProtocolTCP
	case "udp":
		proto = armnetwork.SecurityRuleProtocolUDP
	case "icmp":
		if rule.PortFrom != -1 || rule.PortTo != -1 {
			return nil, deltacloud.Errorf(deltacloud.NotSupported, "azure: network security rules cannot match ICMP type %d code %d; use -1 for both", rule.PortFrom, rule.PortTo)
		}
		proto, ports = armnetwork.SecurityRuleProtocolIcmp, "*"
	default:
		return nil, invalid("protocol %q", rule.Protocol)
	}
	g, err := c.nsg(ctx, firewallID)
	if err != nil {
		return nil, err
	}
	used := map[int32]bool{}
	for _, r := range g.Properties.SecurityRules {
		if r.Properties != nil && r.Properties.Priority != nil &&
			(r.Properties.Direction == nil || *r.Properties.Direction == armnetwork.SecurityRuleDirectionInbound) {
			used[*r.Properties.Priority] = true
		}
	}
	prio := int32(firstPriority)
	for used[prio] {
		prio++
	}
	if prio > lastPriority {
		return nil, deltacloud.Errorf(deltacloud.Forbidden, "azure: firewall %s has no free rule priority left", firewallID)
	}
	suffix, err := randomHex(3)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%s-%s-%s", rule.Protocol, strings.ReplaceAll(ports, "*", "any"), suffix)
	props := &armnetwork.SecurityRulePropertiesFormat{
		Access: to.Ptr(armnetwork.SecurityRuleAccessAllow), Direction: to.Ptr(armnetwork.SecurityRuleDirectionInbound),
		Priority: to.Ptr(prio), Protocol: to.Ptr(proto),
		SourcePortRange: to.Ptr("*"), DestinationPortRange: to.Ptr(ports), DestinationAddressPrefix: to.Ptr("*"),
	}
	if len(prefixes) == 1 {
		props.SourceAddressPrefix = prefixes[0]
	} else {
		props.SourceAddressPrefixes = prefixes
	}
	poller, err := c.rules.BeginCreateOrUpdate(ctx, c.scope.ResourceGroup, firewallID, name, armnetwork.SecurityRule{Properties: props}, nil)
	if err != nil {
		return nil, wrap(err)
	}
	if _, err := poller.PollUntilDone(ctx, c.pollOpts()); err != nil {
		return nil, wrap(err)
	}
	g, err = c.nsg(ctx, firewallID)
	if err != nil {
		return nil, err
	}
	fw := c.firewallOf(g)
	return &fw, nil
}

// DeleteFirewallRule deletes a security rule by name; an unknown one is
// ErrNotFound.
func (c *conn) DeleteFirewallRule(ctx context.Context, firewallID, ruleID string) error {
	if _, err := c.nsg(ctx, firewallID); err != nil {
		return err
	}
	if !resourceNameRE.MatchString(ruleID) {
		return deltacloud.Errorf(deltacloud.NotFound, "azure: no rule %q in firewall %s", ruleID, firewallID)
	}
	if _, err := c.rules.Get(ctx, c.scope.ResourceGroup, firewallID, ruleID, nil); err != nil {
		return notFoundAs(err, "firewall rule", ruleID)
	}
	poller, err := c.rules.BeginDelete(ctx, c.scope.ResourceGroup, firewallID, ruleID, nil)
	if err != nil {
		return wrap(err)
	}
	_, err = poller.PollUntilDone(ctx, c.pollOpts())
	return wrap(err)
}
