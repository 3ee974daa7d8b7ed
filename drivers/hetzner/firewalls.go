package hetzner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// Firewalls lists the firewalls carrying the ownership label.
func (c *conn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	fws, err := c.client.Firewall.AllWithOpts(ctx, hcloud.FirewallListOpts{ListOpts: hcloud.ListOpts{LabelSelector: c.ownerSelector()}})
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Firewall, 0, len(fws))
	for _, fw := range fws {
		out = append(out, firewallOf(fw))
	}
	return out, nil
}

// Firewall reads one firewall.
func (c *conn) Firewall(ctx context.Context, id string) (*deltacloud.Firewall, error) {
	fw, err := c.ownedFirewall(ctx, id)
	if err != nil {
		return nil, err
	}
	out := firewallOf(fw)
	return &out, nil
}

func (c *conn) ownedFirewall(ctx context.Context, id string) (*hcloud.Firewall, error) {
	n, err := c.parseID(ctx, "firewall", id)
	if err != nil {
		return nil, err
	}
	fw, _, err := c.client.Firewall.GetByID(ctx, n)
	if err != nil {
		return nil, wrap(err)
	}
	if fw == nil || !c.owned(fw.Labels) {
		return nil, notFound("firewall", id)
	}
	return fw, nil
}

func firewallOf(fw *hcloud.Firewall) deltacloud.Firewall {
	out := deltacloud.Firewall{ID: strconv.FormatInt(fw.ID, 10), Name: fw.Name,
		Description: textFromLabels(fw.Labels, LabelDescription), Owner: fw.Labels[LabelOwner]}
	for _, r := range fw.Rules {
		if rule, ok := ruleOf(r); ok {
			out.Rules = append(out.Rules, rule)
		}
	}
	return out
}

// ruleOf is an inbound tcp, udp or icmp rule in the model; other rules
// are not shown (and kept as they are).
func ruleOf(r hcloud.FirewallRule) (deltacloud.FirewallRule, bool) {
	if r.Direction != hcloud.FirewallRuleDirectionIn {
		return deltacloud.FirewallRule{}, false
	}
	out := deltacloud.FirewallRule{Protocol: string(r.Protocol)}
	switch r.Protocol {
	case hcloud.FirewallRuleProtocolTCP, hcloud.FirewallRuleProtocolUDP:
		if r.Port == nil {
			return out, false
		}
		from, to, ok := parsePorts(*r.Port)
		if !ok {
			return out, false
		}
		out.PortFrom, out.PortTo = from, to
	case hcloud.FirewallRuleProtocolICMP:
		out.PortFrom, out.PortTo = -1, -1
	default:
		return out, false
	}
	for _, n := range r.SourceIPs {
		p, ok := prefixOf(n)
		if !ok {
			continue
		}
		out.Sources = append(out.Sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: p})
	}
	out.ID = ruleID(out)
	return out, true
}

// parsePorts reads "22", "80-85" or "any".
func parsePorts(p string) (from, to int, ok bool) {
	if p == "any" {
		return 1, 65535, true
	}
	lo, hi, isRange := strings.Cut(p, "-")
	a, err := strconv.Atoi(lo)
	if err != nil {
		return 0, 0, false
	}
	b := a
	if isRange {
		if b, err = strconv.Atoi(hi); err != nil {
			return 0, 0, false
		}
	}
	return a, b, true
}

func prefixOf(n net.IPNet) (netip.Prefix, bool) {
	a, ok := netip.AddrFromSlice(n.IP)
	if !ok {
		return netip.Prefix{}, false
	}
	ones, _ := n.Mask.Size()
	return netip.PrefixFrom(a.Unmap(), ones), true
}

// ruleID is a digest of what a rule allows: "in-<protocol>-<ports>-<12
// hex digits of the sources' SHA-256>".
func ruleID(r deltacloud.FirewallRule) string {
	srcs := make([]string, 0, len(r.Sources))
	for _, s := range r.Sources {
		srcs = append(srcs, s.Prefix.String())
	}
	slices.Sort(srcs)
	sum := sha256.Sum256([]byte(strings.Join(srcs, ",")))
	ports := strconv.Itoa(r.PortFrom) + "-" + strconv.Itoa(r.PortTo)
	if r.Protocol == "icmp" {
		ports = "any"
	}
	return "in-" + r.Protocol + "-" + ports + "-" + hex.EncodeToString(sum[:6])
}

// CreateFirewall creates an empty firewall.
func (c *conn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	if err := c.authorized(); err != nil {
		return nil, err
	}
	if err := checkText("the description", spec.Description); err != nil {
		return nil, err
	}
	labels := c.ownerLabels()
	textLabels(labels, LabelDescription, spec.Description)
	res, _, err := c.client.Firewall.Create(ctx, hcloud.FirewallCreateOpts{Name: spec.Name, Labels: labels})
	if err != nil {
		c.cutOff(ctx, func(ctx context.Context) bool {
			fw, _, err := c.client.Firewall.GetByName(ctx, spec.Name)
			if err != nil || fw == nil || !c.owned(fw.Labels) || textFromLabels(fw.Labels, LabelDescription) != spec.Description {
				return false
			}
			c.client.Firewall.Delete(ctx, fw)
			return true
		})
		return nil, wrap(err)
	}
	if err := c.wait(ctx, res.Actions...); err != nil {
		c.undo(ctx, func(ctx context.Context) { c.client.Firewall.Delete(ctx, res.Firewall) })
		return nil, err
	}
	out := firewallOf(res.Firewall)
	return &out, nil
}

// DestroyFirewall deletes a firewall; one applied to servers is
// ErrInvalidState.
func (c *conn) DestroyFirewall(ctx context.Context, id string) error {
	fw, err := c.ownedFirewall(ctx, id)
	if err != nil {
		return err
	}
	_, err = c.client.Firewall.Delete(ctx, fw)
	return wrap(err)
}

// AddFirewallRule adds an inbound rule and waits until it is set.
func (c *conn) AddFirewallRule(ctx context.Context, id string, spec deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	fw, err := c.ownedFirewall(ctx, id)
	if err != nil {
		return nil, err
	}
	rule := hcloud.FirewallRule{Direction: hcloud.FirewallRuleDirectionIn, Protocol: hcloud.FirewallRuleProtocol(spec.Protocol)}
	switch spec.Protocol {
	case "tcp", "udp":
		port := strconv.Itoa(spec.PortFrom)
		if spec.PortTo != spec.PortFrom {
			port += "-" + strconv.Itoa(spec.PortTo)
		}
		rule.Port = &port
	case "icmp":
		if spec.PortFrom != -1 || spec.PortTo != -1 {
			return nil, deltacloud.Errorf(deltacloud.NotSupported, "hetzner: ICMP rules match every type and code (-1)")
		}
	default:
		return nil, invalid("protocol %q: want tcp, udp or icmp", spec.Protocol)
	}
	for _, s := range spec.Sources {
		if s.Type != deltacloud.SourceAddress {
			return nil, deltacloud.Errorf(deltacloud.NotSupported, "hetzner: rule sources are address blocks; group sources are not served")
		}
		p := s.Prefix.Masked()
		rule.SourceIPs = append(rule.SourceIPs, net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())})
	}
	if len(rule.SourceIPs) == 0 {
		return nil, invalid("a rule needs at least one source")
	}
	added, _ := ruleOf(rule)
	if slices.ContainsFunc(fw.Rules, func(r hcloud.FirewallRule) bool { x, ok := ruleOf(r); return ok && x.ID == added.ID }) {
		return nil, deltacloud.Errorf(deltacloud.Conflict, "hetzner: firewall %s already has rule %s", id, added.ID)
	}
	if err := c.setRules(ctx, fw, append(slices.Clone(fw.Rules), rule)); err != nil {
		return nil, err
	}
	return c.Firewall(ctx, id)
}

// DeleteFirewallRule removes a rule by id and waits until it is gone.
func (c *conn) DeleteFirewallRule(ctx context.Context, id, ruleID string) error {
	fw, err := c.ownedFirewall(ctx, id)
	if err != nil {
		return err
	}
	rules := slices.DeleteFunc(slices.Clone(fw.Rules), func(r hcloud.FirewallRule) bool {
		x, ok := ruleOf(r)
		return ok && x.ID == ruleID
	})
	if len(rules) == len(fw.Rules) {
		return notFound("firewall rule", ruleID)
	}
	return c.setRules(ctx, fw, rules)
}

func (c *conn) setRules(ctx context.Context, fw *hcloud.Firewall, rules []hcloud.FirewallRule) error {
	if rules == nil {
		rules = []hcloud.FirewallRule{}
	}
	actions, _, err := c.client.Firewall.SetRules(ctx, fw, hcloud.FirewallSetRulesOpts{Rules: rules})
	if err != nil {
		return wrap(err)
	}
	return c.wait(ctx, actions...)
}

var (
	_ deltacloud.FirewallConn   = (*conn)(nil)
	_ deltacloud.FirewallGetter = (*conn)(nil)
)
