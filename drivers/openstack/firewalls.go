package openstack

import (
	"context"
	"net/netip"
	"strings"

	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/groups"
	"github.com/gophercloud/gophercloud/v2/openstack/networking/v2/extensions/security/rules"

	"github.com/deltacloud-go/deltacloud"
)

// Firewalls lists the project's security groups.
func (c *conn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	pages, err := groups.List(s.network, groups.ListOpts{}).AllPages(ctx)
	if err != nil {
		return nil, wrap(err)
	}
	list, err := groups.ExtractGroups(pages)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Firewall, 0, len(list))
	for _, g := range list {
		out = append(out, firewallOf(g))
	}
	return out, nil
}

// Firewall fetches one security group.
func (c *conn) Firewall(ctx context.Context, id string) (*deltacloud.Firewall, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	g, err := groups.Get(ctx, s.network, id).Extract()
	if isNotFound(err) {
		return nil, notFound("security group", id)
	}
	if err != nil {
		return nil, wrap(err)
	}
	fw := firewallOf(*g)
	return &fw, nil
}

// CreateFirewall creates a security group (Neutron adds its egress
// rules).
func (c *conn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	g, err := groups.Create(ctx, s.network, groups.CreateOpts{Name: spec.Name, Description: spec.Description}).Extract()
	if err != nil {
		return nil, wrap(err)
	}
	fw := firewallOf(*g)
	return &fw, nil
}

// DestroyFirewall deletes a security group; one in use is ErrInvalidState.
func (c *conn) DestroyFirewall(ctx context.Context, id string) error {
	s, err := c.services(ctx)
	if err != nil {
		return err
	}
	err = groups.Delete(ctx, s.network, id).ExtractErr()
	if isNotFound(err) {
		return notFound("security group", id)
	}
	return wrap(err)
}

// AddFirewallRule adds one ingress rule per source and returns the group.
func (c *conn) AddFirewallRule(ctx context.Context, firewallID string, rule deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	s, err := c.services(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := c.Firewall(ctx, firewallID); err != nil {
		return nil, err
	}
	var made []string
	for _, src := range rule.Sources {
		r, err := rules.Create(ctx, s.network, ruleOpts(firewallID, rule, src)).Extract()
		if err != nil {
			for _, id := range made {
				rules.Delete(context.WithoutCancel(ctx), s.network, id)
			}
			return nil, wrap(err)
		}
		made = append(made, r.ID)
	}
	return c.Firewall(ctx, firewallID)
}

// DeleteFirewallRule deletes one rule.
func (c *conn) DeleteFirewallRule(ctx context.Context, firewallID, ruleID string) error {
	s, err := c.services(ctx)
	if err != nil {
		return err
	}
	err = rules.Delete(ctx, s.network, ruleID).ExtractErr()
	if isNotFound(err) {
		return notFound("security group rule", ruleID)
	}
	return wrap(err)
}

// ruleCreate is a rule's create body with explicit ports: gophercloud's
// CreateOpts leaves out a zero port, which is ICMP type 0 (echo reply).
type ruleCreate map[string]any

// ToSecGroupRuleCreateMap wraps the body.
func (r ruleCreate) ToSecGroupRuleCreateMap() (map[string]any, error) {
	return map[string]any{"security_group_rule": map[string]any(r)}, nil
}

// ruleOpts is the Neutron rule of one source of a rule spec.
func ruleOpts(group string, r deltacloud.FirewallRuleSpec, src deltacloud.RuleSource) rules.CreateOptsBuilder {
	m := ruleCreate{"security_group_id": group, "direction": "ingress", "protocol": r.Protocol, "ethertype": "IPv4"}
	switch {
	case r.Protocol == "icmp":
		if r.PortFrom >= 0 {
			m["port_range_min"] = r.PortFrom
			if r.PortTo >= 0 {
				m["port_range_max"] = r.PortTo
			}
		}
	default:
		m["port_range_min"], m["port_range_max"] = r.PortFrom, r.PortTo
	}
	switch src.Type {
	case deltacloud.SourceGroup:
		m["remote_group_id"] = src.Group
	default:
		m["remote_ip_prefix"] = src.Prefix.String()
		if src.Prefix.Addr().Is6() {
			m["ethertype"] = "IPv6"
		}
	}
	return m
}

// firewallOf maps a security group and its tcp, udp and icmp rules.
func firewallOf(g groups.SecGroup) deltacloud.Firewall {
	fw := deltacloud.Firewall{ID: g.ID, Name: g.Name, Description: g.Description, Owner: g.ProjectID}
	for _, r := range g.Rules {
		proto := strings.ToLower(r.Protocol)
		if proto != "tcp" && proto != "udp" && proto != "icmp" {
			continue
		}
		fr := deltacloud.FirewallRule{ID: r.ID, Protocol: proto, PortFrom: r.PortRangeMin, PortTo: r.PortRangeMax, Direction: r.Direction}
		if proto == "icmp" {
			if r.PortRangeMin == 0 && r.PortRangeMax == 0 {
				fr.PortFrom, fr.PortTo = -1, -1
			}
		} else if r.PortRangeMin == 0 && r.PortRangeMax == 0 {
			fr.PortFrom, fr.PortTo = 1, 65535
		}
		switch {
		case r.RemoteGroupID != "":
			fr.Sources = []deltacloud.RuleSource{{Type: deltacloud.SourceGroup, Group: r.RemoteGroupID, Owner: g.ProjectID}}
		case r.RemoteIPPrefix != "":
			if p, err := netip.ParsePrefix(r.RemoteIPPrefix); err == nil {
				fr.Sources = []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: p}}
			} else if a, err := netip.ParseAddr(r.RemoteIPPrefix); err == nil {
				fr.Sources = []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.PrefixFrom(a, a.BitLen())}}
			}
		default:
			any := netip.MustParsePrefix("0.0.0.0/0")
			if r.EtherType == "IPv6" {
				any = netip.MustParsePrefix("::/0")
			}
			fr.Sources = []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: any}}
		}
		fw.Rules = append(fw.Rules, fr)
	}
	return fw
}
