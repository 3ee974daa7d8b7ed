package deltacloud

import (
	"context"
	"net/netip"
	"strings"
)

// Firewall is a named set of inbound rules instances are launched into
// (EC2 security groups, Azure network security groups).
type Firewall struct {
	ID          string
	Name        string
	Description string
	Owner       string
	Rules       []FirewallRule
}

// FirewallRule allows traffic of one protocol and port range from sources.
type FirewallRule struct {
	ID string
	// Protocol is "tcp", "udp" or "icmp".
	Protocol string
	// PortFrom and PortTo bound the ports; for icmp they are the ICMP type
	// and code, -1 meaning any.
	PortFrom, PortTo int
	Sources          []RuleSource
	// Direction is "ingress" or "egress" where the cloud says; empty means
	// ingress.
	Direction string
}

// SourceType says what a RuleSource names.
type SourceType string

// The rule source types.
const (
	SourceAddress SourceType = "address"
	SourceGroup   SourceType = "group"
)

// RuleSource is where allowed traffic may come from: an address block or
// another firewall (group) of an owner.
type RuleSource struct {
	Type SourceType
	// Prefix is the address block of an address source.
	Prefix netip.Prefix
	// Group and Owner name a group source.
	Group string
	Owner string
}

// FirewallSpec describes a firewall to create; both fields are required, as
// in the Deltacloud API.
type FirewallSpec struct {
	Name        string
	Description string
}

// FirewallRuleSpec describes a rule to add.
type FirewallRuleSpec struct {
	Protocol         string
	PortFrom, PortTo int
	Sources          []RuleSource
}

// Firewalls lists the firewalls.
func (p *Provider) Firewalls(ctx context.Context) ([]Firewall, error) {
	return list(ctx, p, "Firewalls", CollectionFirewalls, func(c FirewallConn) ([]Firewall, error) { return c.Firewalls(ctx) })
}

// Firewall returns one firewall; an unknown id is ErrNotFound.
func (p *Provider) Firewall(ctx context.Context, id string) (*Firewall, error) {
	if err := requireID("Firewall", "firewall", id); err != nil {
		return nil, err
	}
	if _, ok := p.conn.(FirewallGetter); ok {
		return one(ctx, p, "Firewall", id, CollectionFirewalls, func(c FirewallGetter) (*Firewall, error) { return c.Firewall(ctx, id) })
	}
	fws, err := p.Firewalls(ctx)
	if err != nil {
		return nil, err
	}
	return findByID(fws, "Firewall", id, func(f Firewall) string { return f.ID })
}

// CreateFirewall creates a firewall with no rules.
func (p *Provider) CreateFirewall(ctx context.Context, spec FirewallSpec) (*Firewall, error) {
	const op = "CreateFirewall"
	if strings.TrimSpace(spec.Name) == "" {
		return nil, argErr(op, "firewall name is required")
	}
	if strings.TrimSpace(spec.Description) == "" {
		return nil, argErr(op, "firewall description is required")
	}
	return one(ctx, p, op, spec.Name, CollectionFirewalls, func(c FirewallConn) (*Firewall, error) { return c.CreateFirewall(ctx, spec) })
}

// DestroyFirewall deletes a firewall.
func (p *Provider) DestroyFirewall(ctx context.Context, id string) error {
	if err := requireID("DestroyFirewall", "firewall", id); err != nil {
		return err
	}
	return do(ctx, p, "DestroyFirewall", id, CollectionFirewalls, func(c FirewallConn) error { return c.DestroyFirewall(ctx, id) })
}

// AddFirewallRule adds a rule and returns the updated firewall. The protocol
// is lower-cased; tcp and udp ports must lie in 0–65535 with PortFrom ≤
// PortTo, icmp type and code in -1–255 (-1: any); at least one source is
// required.
func (p *Provider) AddFirewallRule(ctx context.Context, firewallID string, rule FirewallRuleSpec) (*Firewall, error) {
	const op = "AddFirewallRule"
	if err := requireID(op, "firewall", firewallID); err != nil {
		return nil, err
	}
	rule, err := CheckFirewallRule(rule)
	if err != nil {
		return nil, &Error{Code: InvalidArgument, Op: op, ID: firewallID, Message: err.Error()}
	}
	return one(ctx, p, op, firewallID, CollectionFirewalls, func(c FirewallConn) (*Firewall, error) {
		return c.AddFirewallRule(ctx, firewallID, rule)
	})
}

// DeleteFirewallRule removes one rule of a firewall.
func (p *Provider) DeleteFirewallRule(ctx context.Context, firewallID, ruleID string) error {
	const op = "DeleteFirewallRule"
	if err := requireID(op, "firewall", firewallID); err != nil {
		return err
	}
	if err := requireID(op, "rule", ruleID); err != nil {
		return err
	}
	return do(ctx, p, op, firewallID, CollectionFirewalls, func(c FirewallConn) error {
		return c.DeleteFirewallRule(ctx, firewallID, ruleID)
	})
}

// CheckFirewallRule validates a rule and returns it normalised (protocol
// lower-cased, address prefixes masked). Drivers and the REST handler use it
// so every layer agrees on what a valid rule is.
func CheckFirewallRule(r FirewallRuleSpec) (FirewallRuleSpec, error) {
	r.Protocol = strings.ToLower(strings.TrimSpace(r.Protocol))
	switch r.Protocol {
	case "tcp", "udp":
		for _, port := range []int{r.PortFrom, r.PortTo} {
			if port < 0 || port > 65535 {
				return r, Errorf(InvalidArgument, "port %d is outside 0..65535", port)
			}
		}
		if r.PortFrom > r.PortTo {
			return r, Errorf(InvalidArgument, "port_from %d is above port_to %d", r.PortFrom, r.PortTo)
		}
	case "icmp":
		// The "ports" are the ICMP type and code, not a range.
		for _, v := range []int{r.PortFrom, r.PortTo} {
			if v < -1 || v > 255 {
				return r, Errorf(InvalidArgument, "icmp type or code %d is outside -1..255", v)
			}
		}
	default:
		return r, Errorf(InvalidArgument, "protocol %q is not one of tcp, udp, icmp", r.Protocol)
	}
	if len(r.Sources) == 0 {
		return r, Errorf(InvalidArgument, "No sources. Specify at least one source ip address or group.")
	}
	srcs := make([]RuleSource, len(r.Sources))
	for i, s := range r.Sources {
		switch s.Type {
		case SourceAddress:
			if !s.Prefix.IsValid() {
				return r, Errorf(InvalidArgument, "source %d has no valid address block", i+1)
			}
			s.Prefix = s.Prefix.Masked()
		case SourceGroup:
			if strings.TrimSpace(s.Group) == "" {
				return r, Errorf(InvalidArgument, "source %d names no group", i+1)
			}
		default:
			return r, Errorf(InvalidArgument, "source %d has type %q, not address or group", i+1, s.Type)
		}
		srcs[i] = s
	}
	r.Sources = srcs
	return r, nil
}
