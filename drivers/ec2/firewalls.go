package ec2

import (
	"context"
	"net/netip"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// Firewalls lists the region's security groups with their ingress rules.
// A firewall's id is the group id (sg-…). Egress rules and prefix-list
// sources have no place in the model and are not shown.
func (c *conn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	return c.describeGroups(ctx, &ec2.DescribeSecurityGroupsInput{})
}

func (c *conn) describeGroups(ctx context.Context, in *ec2.DescribeSecurityGroupsInput) ([]deltacloud.Firewall, error) {
	var fws []deltacloud.Firewall
	pg := ec2.NewDescribeSecurityGroupsPaginator(c.client, in)
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, g := range page.SecurityGroups {
			fws = append(fws, firewallOf(g))
		}
	}
	return fws, nil
}

// Firewall describes one security group with DescribeSecurityGroups'
// GroupIds; an unknown id is ErrNotFound (InvalidGroup.NotFound).
func (c *conn) Firewall(ctx context.Context, id string) (*deltacloud.Firewall, error) {
	fw, _, err := c.group(ctx, id)
	return fw, err
}

// group describes one security group by id; an id EC2 could not have
// issued is ErrNotFound without a call.
func (c *conn) group(ctx context.Context, id string) (*deltacloud.Firewall, types.SecurityGroup, error) {
	if !strings.HasPrefix(id, "sg-") || len(id) > maxID {
		return nil, types.SecurityGroup{}, notFound("security group", id)
	}
	out, err := c.client.DescribeSecurityGroups(ctx, &ec2.DescribeSecurityGroupsInput{GroupIds: []string{id}})
	if err != nil {
		return nil, types.SecurityGroup{}, c.wrapGet(err, "security group", id)
	}
	if len(out.SecurityGroups) != 1 {
		return nil, types.SecurityGroup{}, notFound("security group", id)
	}
	fw := firewallOf(out.SecurityGroups[0])
	return &fw, out.SecurityGroups[0], nil
}

func firewallOf(g types.SecurityGroup) deltacloud.Firewall {
	fw := deltacloud.Firewall{
		ID:          aws.ToString(g.GroupId),
		Name:        aws.ToString(g.GroupName),
		Description: aws.ToString(g.Description),
		Owner:       aws.ToString(g.OwnerId),
		Rules:       []deltacloud.FirewallRule{},
	}
	for _, p := range g.IpPermissions {
		fw.Rules = append(fw.Rules, ruleOf(p))
	}
	return fw
}

// protocolOf is the model's name of an EC2 protocol: "all" for -1, the
// name or number otherwise.
func protocolOf(p string) string {
	if p == "-1" {
		return "all"
	}
	return strings.ToLower(p)
}

func ruleOf(p types.IpPermission) deltacloud.FirewallRule {
	proto := protocolOf(aws.ToString(p.IpProtocol))
	from, to := -1, -1
	if p.FromPort != nil {
		from = int(*p.FromPort)
	}
	if p.ToPort != nil {
		to = int(*p.ToPort)
	}
	r := deltacloud.FirewallRule{ID: RuleID(proto, from, to), Protocol: proto, PortFrom: from, PortTo: to, Direction: "ingress"}
	for _, ip := range p.IpRanges {
		if pfx, err := netip.ParsePrefix(aws.ToString(ip.CidrIp)); err == nil {
			r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: pfx})
		}
	}
	for _, ip := range p.Ipv6Ranges {
		if pfx, err := netip.ParsePrefix(aws.ToString(ip.CidrIpv6)); err == nil {
			r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: pfx})
		}
	}
	for _, g := range p.UserIdGroupPairs {
		name := aws.ToString(g.GroupName)
		if name == "" {
			name = aws.ToString(g.GroupId)
		}
		r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceGroup, Group: name, Owner: aws.ToString(g.UserId)})
	}
	return r
}

// RuleID is the id of the firewall rule that allows protocol proto (the
// model's name: tcp, udp, icmp, all or a number) on ports from..to.
//
// EC2 keeps one ingress permission per protocol and port range and lists
// all of its sources together, so a rule is that permission and its id is
// derived from what identifies it: "tcp-22-22", "udp-5000-5100",
// "icmp-8-any" (echo request, any code; -1 is written "any"), and "all"
// for every protocol. The id does not change as sources come and go, and
// deleting a rule revokes the permission with all its current sources.
func RuleID(proto string, from, to int) string {
	if proto == "all" || proto == "-1" {
		return "all"
	}
	port := func(p int) string {
		if p < 0 {
			return "any"
		}
		return strconv.Itoa(p)
	}
	return proto + "-" + port(from) + "-" + port(to)
}

// ParseRuleID reverses RuleID; it reports false for an id RuleID cannot
// produce.
func ParseRuleID(id string) (proto string, from, to int, ok bool) {
	if id == "all" {
		return "all", -1, -1, true
	}
	parts := strings.Split(id, "-")
	if len(parts) != 3 {
		return "", 0, 0, false
	}
	proto = parts[0]
	switch proto {
	case "tcp", "udp", "icmp":
	default:
		n, err := strconv.Atoi(proto)
		if err != nil || n < 0 || n > 255 || strconv.Itoa(n) != proto {
			return "", 0, 0, false
		}
	}
	port := func(s string) (int, bool) {
		if s == "any" {
			return -1, true
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > 65535 || strconv.Itoa(n) != s {
			return 0, false
		}
		return n, true
	}
	var ok1, ok2 bool
	from, ok1 = port(parts[1])
	to, ok2 = port(parts[2])
	if !ok1 || !ok2 {
		return "", 0, 0, false
	}
	return proto, from, to, true
}

// CreateFirewall creates a security group (in the default VPC) with no
// ingress rules. A taken name is ErrConflict (InvalidGroup.Duplicate).
func (c *conn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	out, err := c.client.CreateSecurityGroup(ctx, &ec2.CreateSecurityGroupInput{
		GroupName: aws.String(spec.Name), Description: aws.String(spec.Description)})
	if err != nil {
		return nil, c.wrap(err)
	}
	fw, _, err := c.group(ctx, aws.ToString(out.GroupId))
	if err != nil {
		return nil, err
	}
	return fw, nil
}

// DestroyFirewall deletes a security group; one still used by instances or
// named by another group's rule is ErrInvalidState (DependencyViolation).
func (c *conn) DestroyFirewall(ctx context.Context, id string) error {
	if !strings.HasPrefix(id, "sg-") {
		return notFound("security group", id)
	}
	if _, err := c.client.DeleteSecurityGroup(ctx, &ec2.DeleteSecurityGroupInput{GroupId: aws.String(id)}); err != nil {
		return c.wrap(err)
	}
	return nil
}

// permissionOf builds the EC2 permission of a checked rule. A group source
// that looks like a group id (sg-…) is sent as one, else as a group name.
func permissionOf(r deltacloud.FirewallRuleSpec) types.IpPermission {
	p := types.IpPermission{IpProtocol: aws.String(r.Protocol)}
	if r.Protocol == "all" {
		p.IpProtocol = aws.String("-1")
	} else {
		p.FromPort, p.ToPort = aws.Int32(int32(r.PortFrom)), aws.Int32(int32(r.PortTo))
	}
	for _, s := range r.Sources {
		switch s.Type {
		case deltacloud.SourceAddress:
			if s.Prefix.Addr().Is4() {
				p.IpRanges = append(p.IpRanges, types.IpRange{CidrIp: aws.String(s.Prefix.String())})
			} else {
				p.Ipv6Ranges = append(p.Ipv6Ranges, types.Ipv6Range{CidrIpv6: aws.String(s.Prefix.String())})
			}
		case deltacloud.SourceGroup:
			pair := types.UserIdGroupPair{}
			if strings.HasPrefix(s.Group, "sg-") {
				pair.GroupId = aws.String(s.Group)
			} else {
				pair.GroupName = aws.String(s.Group)
			}
			if s.Owner != "" {
				pair.UserId = aws.String(s.Owner)
			}
			p.UserIdGroupPairs = append(p.UserIdGroupPairs, pair)
		}
	}
	return p
}

// AddFirewallRule authorizes ingress and returns the group as EC2
// describes it afterwards. A source the group already allows on these
// ports is ErrConflict (InvalidPermission.Duplicate).
func (c *conn) AddFirewallRule(ctx context.Context, firewallID string, rule deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	if !strings.HasPrefix(firewallID, "sg-") {
		return nil, notFound("security group", firewallID)
	}
	_, err := c.client.AuthorizeSecurityGroupIngress(ctx, &ec2.AuthorizeSecurityGroupIngressInput{
		GroupId: aws.String(firewallID), IpPermissions: []types.IpPermission{permissionOf(rule)}})
	if err != nil {
		return nil, c.wrap(err)
	}
	fw, _, err := c.group(ctx, firewallID)
	if err != nil {
		return nil, err
	}
	return fw, nil
}

// DeleteFirewallRule revokes the permission a rule id names (see RuleID)
// with all the sources EC2 lists for it now.
func (c *conn) DeleteFirewallRule(ctx context.Context, firewallID, ruleID string) error {
	proto, from, to, ok := ParseRuleID(ruleID)
	if !ok {
		return notFound("firewall rule", ruleID)
	}
	_, g, err := c.group(ctx, firewallID)
	if err != nil {
		return err
	}
	for _, p := range g.IpPermissions {
		r := ruleOf(p)
		if r.Protocol != proto || (proto != "all" && (r.PortFrom != from || r.PortTo != to)) {
			continue
		}
		revoke := types.IpPermission{IpProtocol: p.IpProtocol, FromPort: p.FromPort, ToPort: p.ToPort,
			IpRanges: p.IpRanges, Ipv6Ranges: p.Ipv6Ranges, PrefixListIds: p.PrefixListIds}
		for _, pair := range p.UserIdGroupPairs {
			revoke.UserIdGroupPairs = append(revoke.UserIdGroupPairs, types.UserIdGroupPair{GroupId: pair.GroupId, UserId: pair.UserId})
		}
		_, err := c.client.RevokeSecurityGroupIngress(ctx, &ec2.RevokeSecurityGroupIngressInput{
			GroupId: aws.String(firewallID), IpPermissions: []types.IpPermission{revoke}})
		return c.wrap(err)
	}
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: ruleID, Message: "ec2: firewall " + firewallID + " has no rule " + ruleID}
}
