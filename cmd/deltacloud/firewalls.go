package main

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

func (c *cli) firewallsCommand() *cobra.Command {
	var spec deltacloud.FirewallSpec
	create := &cobra.Command{
		Use: "create NAME", Short: "Create a firewall (security group)", Args: exactArgs("NAME"),
		RunE: func(cmd *cobra.Command, args []string) error {
			spec.Name = args[0]
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				f, err := p.CreateFirewall(ctx, spec)
				if err != nil {
					return err
				}
				return c.printFirewalls([]deltacloud.Firewall{*f}, true)
			})
		},
	}
	create.Flags().StringVar(&spec.Description, "description", "", "description")
	rules := collectionCommand("rules", "A firewall's rules", []string{"rule"}, c.addRuleCommand(),
		&cobra.Command{
			Use: "delete FIREWALL RULE", Short: "Delete a rule", Args: exactArgs("FIREWALL", "RULE"),
			RunE: func(cmd *cobra.Command, args []string) error {
				return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
					return p.DeleteFirewallRule(ctx, args[0], args[1])
				})
			},
		})
	return collectionCommand("firewalls", "Firewalls: which traffic reaches instances", []string{"firewall"},
		lister(c, "List firewalls", (*deltacloud.Provider).Firewalls, c.printFirewalls),
		shower(c, "show FIREWALL", "Show one firewall with its rules", (*deltacloud.Provider).Firewall, c.printFirewalls),
		create, rules,
		c.destroyer("firewall", "destroy FIREWALL", "Destroy a firewall", (*deltacloud.Provider).DestroyFirewall),
	)
}

// addRuleCommand adds an ingress rule: a protocol, a port or range, and
// sources (address blocks or other firewalls).
func (c *cli) addRuleCommand() *cobra.Command {
	var protocol, ports string
	var addrs, groups []string
	cmd := &cobra.Command{
		Use: "add FIREWALL", Short: "Allow traffic: --protocol tcp --port 22 --source 0.0.0.0/0", Args: exactArgs("FIREWALL"),
		RunE: func(cmd *cobra.Command, args []string) error {
			rule, err := parseRule(protocol, ports, addrs, groups)
			if err != nil {
				return err
			}
			return c.withProvider(cmd, func(ctx context.Context, p *deltacloud.Provider) error {
				f, err := p.AddFirewallRule(ctx, args[0], rule)
				if err != nil {
					return err
				}
				return c.printFirewalls([]deltacloud.Firewall{*f}, true)
			})
		},
	}
	cmd.Flags().StringVar(&protocol, "protocol", "tcp", "tcp, udp or icmp")
	cmd.Flags().StringVar(&ports, "port", "", "a port (22) or a range (8000-8080)")
	cmd.Flags().StringArrayVar(&addrs, "source", nil, "an address block allowed in (repeatable)")
	cmd.Flags().StringArrayVar(&groups, "group", nil, "a firewall allowed in, as name or owner/name (repeatable)")
	_ = cmd.MarkFlagRequired("port")
	return cmd
}

// parseRule reads the rule flags.
func parseRule(protocol, ports string, addrs, groups []string) (deltacloud.FirewallRuleSpec, error) {
	r := deltacloud.FirewallRuleSpec{Protocol: protocol}
	from, to, isRange := strings.Cut(ports, "-")
	var err error
	if r.PortFrom, err = strconv.Atoi(strings.TrimSpace(from)); err != nil {
		return r, usagef("--port %q is not a port or a range", ports)
	}
	r.PortTo = r.PortFrom
	if isRange {
		if r.PortTo, err = strconv.Atoi(strings.TrimSpace(to)); err != nil {
			return r, usagef("--port %q is not a port or a range", ports)
		}
	}
	for _, a := range addrs {
		pfx, err := netip.ParsePrefix(a)
		if err != nil {
			return r, usagef("--source %q is not an address block (e.g. 10.0.0.0/8)", a)
		}
		r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: pfx})
	}
	for _, g := range groups {
		owner, name, ok := strings.Cut(g, "/")
		if !ok {
			owner, name = "", g
		}
		r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceGroup, Group: name, Owner: owner})
	}
	if len(r.Sources) == 0 {
		return r, usagef("a rule needs --source or --group")
	}
	return r, nil
}

func (c *cli) printFirewalls(fs []deltacloud.Firewall, one bool) error {
	pr, _ := c.printer()
	t := table{header: []string{"ID", "NAME", "RULE", "PROTOCOL", "PORTS", "SOURCES"}}
	for _, f := range fs {
		if len(f.Rules) == 0 {
			t.add(f.ID, f.Name, "", "", "", "")
		}
		for _, r := range f.Rules {
			ports := strconv.Itoa(r.PortFrom)
			if r.PortTo != r.PortFrom {
				ports += "-" + strconv.Itoa(r.PortTo)
			}
			srcs := make([]string, len(r.Sources))
			for i, s := range r.Sources {
				srcs[i] = s.Prefix.String()
				if s.Type == deltacloud.SourceGroup {
					srcs[i] = strings.TrimPrefix(s.Owner+"/"+s.Group, "/")
				}
			}
			t.add(f.ID, f.Name, r.ID, r.Protocol, ports, strings.Join(srcs, ","))
		}
	}
	if one {
		return pr.print(t, wire.NewFirewall("", fs[0]).ShowJSON())
	}
	return pr.print(t, wire.NewFirewalls("", fs).JSON())
}
