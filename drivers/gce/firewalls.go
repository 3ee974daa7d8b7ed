package gce

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// maxFirewallName leaves room for a rule's "-" and 8-character hash within
// Compute's 63 characters.
const maxFirewallName = 54

// ownerMark is the description prefix that marks owned firewall rules
// (Compute firewall rules have no labels).
func (c *conn) ownerMark() string { return "[deltacloud:" + c.opts.owner + "] " }

// ruleSet is every owned firewall rule, by name.
func (c *conn) ownedRules(ctx context.Context) (map[string]*compute.Firewall, error) {
	out := map[string]*compute.Firewall{}
	mark := c.ownerMark()
	err := c.compute.Firewalls.List(c.scope.Project).Context(ctx).Pages(ctx, func(l *compute.FirewallList) error {
		for _, fw := range l.Items {
			if strings.HasPrefix(fw.Description, mark) && len(fw.TargetTags) == 1 {
				out[fw.Name] = fw
			}
		}
		return nil
	})
	return out, wrap(err)
}

// isAnchor reports whether a rule is a firewall's anchor (named after its
// tag, disabled).
func isAnchor(fw *compute.Firewall) bool {
	return fw.Disabled && len(fw.TargetTags) == 1 && fw.TargetTags[0] == fw.Name
}

// firewallOf builds a firewall from its anchor and the owned rules.
func (c *conn) firewallOf(anchor *compute.Firewall, rules map[string]*compute.Firewall) deltacloud.Firewall {
	out := deltacloud.Firewall{ID: anchor.Name, Name: anchor.Name, Owner: c.scope.Project,
		Description: strings.TrimPrefix(anchor.Description, c.ownerMark())}
	for _, name := range sortedRuleNames(rules) {
		r := rules[name]
		if isAnchor(r) || r.TargetTags[0] != anchor.Name || !strings.HasPrefix(r.Name, anchor.Name+"-") {
			continue
		}
		out.Rules = append(out.Rules, ruleOf(r)...)
	}
	return out
}

// ruleOf maps a Compute rule onto rules: one per allowed protocol and port
// range. A rule the driver made has exactly one.
func ruleOf(fw *compute.Firewall) []deltacloud.FirewallRule {
	var sources []deltacloud.RuleSource
	for _, r := range fw.SourceRanges {
		if p, err := netip.ParsePrefix(r); err == nil {
			sources = append(sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: p})
		}
	}
	for _, t := range fw.SourceTags {
		sources = append(sources, deltacloud.RuleSource{Type: deltacloud.SourceGroup, Group: t})
	}
	var out []deltacloud.FirewallRule
	for _, a := range fw.Allowed {
		r := deltacloud.FirewallRule{ID: fw.Name, Protocol: a.IPProtocol, Sources: sources, Direction: "ingress"}
		switch {
		case a.IPProtocol == "icmp":
			r.PortFrom, r.PortTo = -1, -1
		case len(a.Ports) == 0:
			r.PortFrom, r.PortTo = 0, 65535
		default:
			lo, hi, _ := strings.Cut(a.Ports[0], "-")
			r.PortFrom, _ = strconv.Atoi(lo)
			r.PortTo = r.PortFrom
			if hi != "" {
				r.PortTo, _ = strconv.Atoi(hi)
			}
		}
		out = append(out, r)
	}
	return out
}

func sortedRuleNames(m map[string]*compute.Firewall) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Firewalls lists the owned firewalls.
func (c *conn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	rules, err := c.ownedRules(ctx)
	if err != nil {
		return nil, err
	}
	var out []deltacloud.Firewall
	for _, name := range sortedRuleNames(rules) {
		if r := rules[name]; isAnchor(r) {
			out = append(out, c.firewallOf(r, rules))
		}
	}
	return out, nil
}

// Firewall gets one owned firewall with its rules.
func (c *conn) Firewall(ctx context.Context, id string) (*deltacloud.Firewall, error) {
	if !nameRE.MatchString(id) {
		return nil, notFound("firewall", id)
	}
	rules, err := c.ownedRules(ctx)
	if err != nil {
		return nil, err
	}
	anchor := rules[id]
	if anchor == nil || !isAnchor(anchor) {
		return nil, notFound("firewall", id)
	}
	fw := c.firewallOf(anchor, rules)
	return &fw, nil
}

// CreateFirewall makes a firewall's anchor rule: disabled, targeting the
// tag named after the firewall. A taken name is ErrConflict.
func (c *conn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	if !nameRE.MatchString(spec.Name) || len(spec.Name) > maxFirewallName {
		return nil, invalid("firewall name %q: want 1-%d lower-case letters, digits and dashes, starting with a letter", truncate(spec.Name), maxFirewallName)
	}
	if len(spec.Description) > 2000 {
		return nil, invalid("the description is %d characters long; at most 2000", len(spec.Description))
	}
	anchor := &compute.Firewall{
		Name: spec.Name, Description: c.ownerMark() + spec.Description, Network: c.opts.network,
		Direction: "INGRESS", Priority: 65535, Disabled: true, TargetTags: []string{spec.Name},
		Allowed: []*compute.FirewallAllowed{{IPProtocol: "icmp"}}, SourceRanges: []string{"0.0.0.0/32"},
	}
	op, err := c.compute.Firewalls.Insert(c.scope.Project, anchor).Context(ctx).Do()
	if err := c.wait(ctx, op, err); err != nil {
		return nil, err
	}
	return c.Firewall(ctx, spec.Name)
}

// DestroyFirewall deletes a firewall's rules, then its anchor.
func (c *conn) DestroyFirewall(ctx context.Context, id string) error {
	fw, err := c.Firewall(ctx, id)
	if err != nil {
		return err
	}
	for _, r := range fw.Rules {
		op, err := c.compute.Firewalls.Delete(c.scope.Project, r.ID).Context(ctx).Do()
		if err := c.wait(ctx, op, err); err != nil && !isNotFoundErr(err) {
			return err
		}
	}
	op, err := c.compute.Firewalls.Delete(c.scope.Project, id).Context(ctx).Do()
	return c.wait(ctx, op, err)
}

// AddFirewallRule makes an ingress allow rule targeting the firewall's
// tag, named after the firewall and a hash of the rule (the same rule
// twice is ErrConflict).
func (c *conn) AddFirewallRule(ctx context.Context, id string, spec deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	if _, err := c.Firewall(ctx, id); err != nil {
		return nil, err
	}
	allowed := &compute.FirewallAllowed{IPProtocol: spec.Protocol}
	switch spec.Protocol {
	case "tcp", "udp":
		allowed.Ports = []string{strconv.Itoa(spec.PortFrom)}
		if spec.PortTo != spec.PortFrom {
			allowed.Ports = []string{fmt.Sprintf("%d-%d", spec.PortFrom, spec.PortTo)}
		}
	case "icmp":
		if spec.PortFrom != -1 || spec.PortTo != -1 {
			return nil, &deltacloud.Error{Code: deltacloud.NotSupported, Message: "gce: firewall rules cannot match ICMP types or codes"}
		}
	default:
		return nil, invalid("protocol %q: want tcp, udp or icmp", truncate(spec.Protocol))
	}
	rule := &compute.Firewall{Description: c.ownerMark() + "rule of " + id, Network: c.opts.network,
		Direction: "INGRESS", Priority: 1000, TargetTags: []string{id}, Allowed: []*compute.FirewallAllowed{allowed}}
	var key strings.Builder
	fmt.Fprintf(&key, "%s %d %d", spec.Protocol, spec.PortFrom, spec.PortTo)
	for _, s := range spec.Sources {
		switch s.Type {
		case deltacloud.SourceAddress:
			if !s.Prefix.Addr().Is4() {
				return nil, &deltacloud.Error{Code: deltacloud.NotSupported, Message: "gce: a rule's sources are IPv4 prefixes"}
			}
			rule.SourceRanges = append(rule.SourceRanges, s.Prefix.String())
		case deltacloud.SourceGroup:
			if !nameRE.MatchString(s.Group) {
				return nil, invalid("group %q is not a firewall name", truncate(s.Group))
			}
			rule.SourceTags = append(rule.SourceTags, s.Group)
		}
		fmt.Fprintf(&key, " %s %s %s", s.Type, s.Prefix, s.Group)
	}
	sum := sha256.Sum256([]byte(key.String()))
	rule.Name = id + "-" + hex.EncodeToString(sum[:4])
	op, err := c.compute.Firewalls.Insert(c.scope.Project, rule).Context(ctx).Do()
	if err := c.wait(ctx, op, err); err != nil {
		return nil, err
	}
	return c.Firewall(ctx, id)
}

// DeleteFirewallRule deletes one rule of a firewall.
func (c *conn) DeleteFirewallRule(ctx context.Context, id, ruleID string) error {
	fw, err := c.Firewall(ctx, id)
	if err != nil {
		return err
	}
	for _, r := range fw.Rules {
		if r.ID == ruleID {
			op, err := c.compute.Firewalls.Delete(c.scope.Project, ruleID).Context(ctx).Do()
			return c.wait(ctx, op, err)
		}
	}
	return notFound("firewall rule", ruleID)
}

// firewallTags checks that each firewall id of a create is an owned
// firewall and returns them as network tags.
func (c *conn) firewallTags(ctx context.Context, ids []string) ([]string, error) {
	rules, err := c.ownedRules(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		if r := rules[id]; r == nil || !isAnchor(r) {
			return nil, invalid("firewall %q does not exist", truncate(id))
		}
	}
	return ids, nil
}
