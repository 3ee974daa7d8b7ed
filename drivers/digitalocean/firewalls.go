package digitalocean

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// TagDescriptionPrefix + the hex of a firewall's description is the
// firewall tag that keeps it: DigitalOcean firewalls have no description,
// and a firewall's tags name the droplets it applies to, so the driver
// uses a tag no droplet carries.
const TagDescriptionPrefix = "deltacloud-desc:"

// maxDescription bounds a firewall description so its tag stays within
// DigitalOcean's 255 characters.
const maxDescription = 100

// Firewalls lists the account's cloud firewalls, all of them: a firewall
// cannot carry the owner tag, since its tags select the droplets it
// applies to.
func (c *conn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	fws, err := listAll(ctx, c, c.client.Firewalls.List)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Firewall, len(fws))
	for i, fw := range fws {
		out[i] = firewallOf(fw)
	}
	return out, nil
}

func firewallOf(fw godo.Firewall) deltacloud.Firewall {
	out := deltacloud.Firewall{ID: fw.ID, Name: fw.Name, Rules: []deltacloud.FirewallRule{}}
	for _, t := range fw.Tags {
		if h, ok := strings.CutPrefix(t, TagDescriptionPrefix); ok {
			if b, err := hex.DecodeString(h); err == nil {
				out.Description = string(b)
			}
		}
	}
	for _, r := range fw.InboundRules {
		if r.Sources != nil {
			out.Rules = append(out.Rules, ruleOf("ingress", r.Protocol, r.PortRange, r.Sources.Addresses))
		}
	}
	for _, r := range fw.OutboundRules {
		if r.Destinations != nil {
			out.Rules = append(out.Rules, ruleOf("egress", r.Protocol, r.PortRange, r.Destinations.Addresses))
		}
	}
	return out
}

// ruleOf maps a rule; its id is a digest of what it says, since
// DigitalOcean rules have none.
func ruleOf(direction, protocol, ports string, addrs []string) deltacloud.FirewallRule {
	r := deltacloud.FirewallRule{Protocol: protocol, Direction: direction, PortFrom: -1, PortTo: -1}
	switch from, to, ok := strings.Cut(ports, "-"); {
	case ports == "all" || ports == "0":
		r.PortFrom, r.PortTo = 1, 65535
	case ok:
		r.PortFrom, _ = strconv.Atoi(from)
		r.PortTo, _ = strconv.Atoi(to)
	case ports != "":
		r.PortFrom, _ = strconv.Atoi(ports)
		r.PortTo = r.PortFrom
	}
	for _, a := range addrs {
		p, err := netip.ParsePrefix(a)
		if err != nil {
			ip, aerr := netip.ParseAddr(a)
			if aerr != nil {
				continue
			}
			p = netip.PrefixFrom(ip, ip.BitLen())
		}
		r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: p})
	}
	sum := sha256.Sum256([]byte(direction + "|" + protocol + "|" + ports + "|" + strings.Join(addrs, ",")))
	r.ID = direction[:1] + "-" + hex.EncodeToString(sum[:8])
	return r
}

// Firewall reads one firewall.
func (c *conn) Firewall(ctx context.Context, id string) (*deltacloud.Firewall, error) {
	fw, err := c.firewall(ctx, id)
	if err != nil {
		return nil, err
	}
	out := firewallOf(*fw)
	return &out, nil
}

func (c *conn) firewall(ctx context.Context, id string) (*godo.Firewall, error) {
	if !plainName(id, 64) {
		return nil, notFound("firewall", id)
	}
	fw, _, err := c.client.Firewalls.Get(ctx, id)
	if err != nil {
		return nil, c.wrapGet(err, "firewall", id)
	}
	return fw, nil
}

// CreateFirewall creates a firewall without rules; the description becomes
// its description tag (at most 100 bytes), created first as DigitalOcean
// requires.
func (c *conn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	if !hostname(spec.Name) {
		return nil, invalid("firewall name %q: want letters, digits, dots and dashes, at most 63", truncate(spec.Name, 80))
	}
	if len(spec.Description) > maxDescription {
		return nil, invalid("firewall description is %d bytes; at most %d are allowed", len(spec.Description), maxDescription)
	}
	tag := TagDescriptionPrefix + hex.EncodeToString([]byte(spec.Description))
	if _, _, err := c.client.Tags.Create(ctx, &godo.TagCreateRequest{Name: tag}); err != nil {
		return nil, c.wrap(err)
	}
	fw, _, err := c.client.Firewalls.Create(ctx, &godo.FirewallRequest{Name: spec.Name, Tags: []string{tag},
		InboundRules: []godo.InboundRule{}, OutboundRules: []godo.OutboundRule{}})
	if err != nil {
		return nil, c.wrap(err)
	}
	out := firewallOf(*fw)
	return &out, nil
}

// DestroyFirewall deletes a firewall.
func (c *conn) DestroyFirewall(ctx context.Context, id string) error {
	if _, err := c.firewall(ctx, id); err != nil {
		return err
	}
	_, err := c.client.Firewalls.Delete(ctx, id)
	return c.wrapGet(err, "firewall", id)
}

// AddFirewallRule adds an inbound rule from address sources; group sources
// are ErrNotSupported (DigitalOcean's other sources are droplets, tags and
// load balancers), and so are icmp types and codes, which it cannot match.
func (c *conn) AddFirewallRule(ctx context.Context, id string, spec deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	var addrs []string
	for _, s := range spec.Sources {
		if s.Type != deltacloud.SourceAddress {
			return nil, deltacloud.Errorf(deltacloud.NotSupported, "digitalocean: firewall rules take address sources only")
		}
		addrs = append(addrs, s.Prefix.Masked().String())
	}
	ports := ""
	switch {
	case spec.Protocol == "icmp":
		if spec.PortFrom != -1 || spec.PortTo != -1 {
			return nil, deltacloud.Errorf(deltacloud.NotSupported, "digitalocean: icmp rules cannot match a type or code")
		}
	case spec.PortFrom == 1 && spec.PortTo == 65535:
		ports = "all"
	case spec.PortFrom == spec.PortTo:
		ports = strconv.Itoa(spec.PortFrom)
	default:
		ports = fmt.Sprintf("%d-%d", spec.PortFrom, spec.PortTo)
	}
	if _, err := c.firewall(ctx, id); err != nil {
		return nil, err
	}
	_, err := c.client.Firewalls.AddRules(ctx, id, &godo.FirewallRulesRequest{InboundRules: []godo.InboundRule{
		{Protocol: spec.Protocol, PortRange: ports, Sources: &godo.Sources{Addresses: addrs}}}})
	if err != nil {
		return nil, c.wrapGet(err, "firewall", id)
	}
	return c.Firewall(ctx, id)
}

// DeleteFirewallRule removes the rule with that id (see ruleOf).
func (c *conn) DeleteFirewallRule(ctx context.Context, id, ruleID string) error {
	fw, err := c.firewall(ctx, id)
	if err != nil {
		return err
	}
	req := &godo.FirewallRulesRequest{}
	for _, r := range fw.InboundRules {
		if r.Sources != nil && ruleOf("ingress", r.Protocol, r.PortRange, r.Sources.Addresses).ID == ruleID {
			req.InboundRules = append(req.InboundRules, r)
		}
	}
	for _, r := range fw.OutboundRules {
		if r.Destinations != nil && ruleOf("egress", r.Protocol, r.PortRange, r.Destinations.Addresses).ID == ruleID {
			req.OutboundRules = append(req.OutboundRules, r)
		}
	}
	if len(req.InboundRules)+len(req.OutboundRules) == 0 {
		return notFound("firewall rule", ruleID)
	}
	_, err = c.client.Firewalls.RemoveRules(ctx, id, req)
	return c.wrapGet(err, "firewall", id)
}
