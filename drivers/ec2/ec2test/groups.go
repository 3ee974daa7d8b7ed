package ec2test

import (
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// VPC is the id of the fake's one (default) VPC.
const VPC = "vpc-0000000000000001a"

// SecurityGroup is what the fake knows of one security group.
type SecurityGroup struct {
	ID, Name, Description string
	Ingress               []Permission
}

// Permission is one ingress permission: a protocol and port range with its
// sources, grouped the way EC2 describes them.
type Permission struct {
	// Protocol is "tcp", "udp", "icmp", "-1" (all) or an IP protocol number.
	Protocol string
	// From and To are the port range (icmp: type and code); -1 when the
	// protocol has no ports.
	From, To int
	CIDRs    []string
	CIDRs6   []string
	Groups   []GroupPair
}

// GroupPair is a security group source.
type GroupPair struct{ UserID, GroupID string }

// SecurityGroups returns copies of the security groups, in creation order.
func (s *Server) SecurityGroups() []SecurityGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]SecurityGroup, len(s.groups))
	for i, g := range s.groups {
		out[i] = *g
		out[i].Ingress = clonePerms(g.Ingress)
	}
	return out
}

func clonePerms(ps []Permission) []Permission {
	out := make([]Permission, len(ps))
	for i, p := range ps {
		p.CIDRs, p.CIDRs6, p.Groups = slices.Clone(p.CIDRs), slices.Clone(p.CIDRs6), slices.Clone(p.Groups)
		out[i] = p
	}
	return out
}

func (s *Server) groupBy(id, name string) *SecurityGroup {
	for _, g := range s.groups {
		if (id != "" && g.ID == id) || (id == "" && name != "" && g.Name == name) {
			return g
		}
	}
	return nil
}

// newGroup adds a group; the caller has checked the name.
func (s *Server) newGroup(name, desc string) *SecurityGroup {
	s.seq++
	g := &SecurityGroup{ID: fmt.Sprintf("sg-%017x", s.seq), Name: name, Description: desc}
	s.groups = append(s.groups, g)
	return g
}

func groupNotFound(what string) *apiError {
	return errf(400, "InvalidGroup.NotFound", "The security group '%s' does not exist in default VPC '%s'", what, VPC)
}

// targetGroup finds the group a request names by GroupId or GroupName.
func (s *Server) targetGroup(r *http.Request) (*SecurityGroup, *apiError) {
	id, name := r.Form.Get("GroupId"), r.Form.Get("GroupName")
	if id == "" && name == "" {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter GroupId or GroupName")
	}
	g := s.groupBy(id, name)
	if g == nil {
		return nil, groupNotFound(id + name)
	}
	return g, nil
}

func (s *Server) describeGroups(r *http.Request) (any, *apiError) {
	ids, names := list(r, "GroupId"), list(r, "GroupName")
	fs := filters(r)
	for _, id := range ids {
		if s.groupBy(id, "") == nil {
			return nil, groupNotFound(id)
		}
	}
	for _, n := range names {
		if s.groupBy("", n) == nil {
			return nil, groupNotFound(n)
		}
	}
	var sel []*SecurityGroup
	for _, g := range s.groups {
		if (len(ids) == 0 || slices.Contains(ids, g.ID)) && (len(names) == 0 || slices.Contains(names, g.Name)) &&
			match(fs, "group-id", g.ID) && match(fs, "group-name", g.Name) {
			sel = append(sel, g)
		}
	}
	from, to, next, err := s.page(r, len(sel))
	if err != nil {
		return nil, err
	}
	resp := describeGroupsResponse{head: newHead(), NextToken: next}
	for _, g := range sel[from:to] {
		resp.Groups = append(resp.Groups, s.renderGroup(g))
	}
	return resp, nil
}

func (s *Server) renderGroup(g *SecurityGroup) xSecurityGroup {
	x := xSecurityGroup{OwnerID: Account, ID: g.ID, Name: g.Name, Description: g.Description, VPCID: VPC,
		Egress: []xPermission{{Protocol: "-1", Ranges: []xRange{{CIDR: "0.0.0.0/0"}}}}}
	for _, p := range g.Ingress {
		xp := xPermission{Protocol: p.Protocol}
		if p.Protocol != "-1" {
			xp.From, xp.To = &p.From, &p.To
		}
		for _, c := range p.CIDRs {
			xp.Ranges = append(xp.Ranges, xRange{CIDR: c})
		}
		for _, c := range p.CIDRs6 {
			xp.Ranges6 = append(xp.Ranges6, xRange6{CIDR: c})
		}
		for _, pair := range p.Groups {
			xg := xPair{UserID: pair.UserID, GroupID: pair.GroupID}
			if src := s.groupBy(pair.GroupID, ""); src != nil && pair.UserID == Account {
				xg.GroupName = src.Name
			}
			xp.Groups = append(xp.Groups, xg)
		}
		x.Ingress = append(x.Ingress, xp)
	}
	return x
}

func (s *Server) createGroup(r *http.Request) (any, *apiError) {
	name, desc := r.Form.Get("GroupName"), r.Form.Get("GroupDescription")
	switch {
	case name == "":
		return nil, errf(400, "MissingParameter", "The request must contain the parameter GroupName")
	case desc == "":
		return nil, errf(400, "MissingParameter", "The request must contain the parameter GroupDescription")
	case len(name) > 255 || len(desc) > 255:
		return nil, errf(400, "InvalidParameterValue", "Group name and description must be at most 255 characters")
	case strings.HasPrefix(name, "sg-"):
		return nil, errf(400, "InvalidParameterValue", "Group names may not be in the format sg-*")
	case s.groupBy("", name) != nil:
		return nil, errf(400, "InvalidGroup.Duplicate", "The security group '%s' already exists for VPC '%s'", name, VPC)
	}
	g := s.newGroup(name, desc)
	return createGroupResponse{head: newHead(), Return: true, ID: g.ID}, nil
}

func (s *Server) deleteGroup(r *http.Request) (any, *apiError) {
	g, e := s.targetGroup(r)
	if e != nil {
		return nil, e
	}
	if g.Name == "default" {
		return nil, errf(400, "CannotDelete", "the specified group: \"%s\" name: \"default\" cannot be deleted by a user", g.ID)
	}
	for _, in := range s.instances {
		if in.State != "terminated" && slices.Contains(in.Groups, g.Name) {
			return nil, errf(400, "DependencyViolation", "resource %s has a dependent object", g.ID)
		}
	}
	for _, other := range s.groups {
		for _, p := range other.Ingress {
			if other != g && slices.ContainsFunc(p.Groups, func(gp GroupPair) bool { return gp.GroupID == g.ID }) {
				return nil, errf(400, "DependencyViolation", "resource %s has a dependent object", g.ID)
			}
		}
	}
	s.groups = slices.DeleteFunc(s.groups, func(x *SecurityGroup) bool { return x == g })
	return returnResponse{XMLName: xmlName("DeleteSecurityGroupResponse"), head: newHead(), Return: true}, nil
}

// protocols maps the protocol names and numbers EC2 accepts onto the name
// it describes them by.
var protocols = map[string]string{"tcp": "tcp", "6": "tcp", "udp": "udp", "17": "udp", "icmp": "icmp", "1": "icmp", "-1": "-1", "all": "-1"}

// permissions parses IpPermissions.N from a request.
func (s *Server) permissions(r *http.Request) ([]Permission, *apiError) {
	var out []Permission
	for i := 1; ; i++ {
		p := "IpPermissions." + strconv.Itoa(i)
		raw := strings.ToLower(r.Form.Get(p + ".IpProtocol"))
		if raw == "" {
			break
		}
		perm := Permission{Protocol: protocols[raw], From: -1, To: -1}
		if perm.Protocol == "" {
			n, err := strconv.Atoi(raw)
			if err != nil || n < 0 || n > 255 {
				return nil, errf(400, "InvalidParameterValue", "Invalid value '%s' for IP protocol. Unknown protocol.", raw)
			}
			perm.Protocol = raw
		}
		if perm.Protocol == "tcp" || perm.Protocol == "udp" || perm.Protocol == "icmp" {
			lo := 0
			if perm.Protocol == "icmp" {
				lo = -1
			}
			from, e1 := strconv.Atoi(r.Form.Get(p + ".FromPort"))
			to, e2 := strconv.Atoi(r.Form.Get(p + ".ToPort"))
			if e1 != nil || e2 != nil {
				return nil, errf(400, "InvalidParameterValue", "Invalid value for portRange. Must specify both from and to ports with TCP/UDP.")
			}
			if from < lo || to < lo || from > 65535 || to > 65535 || (perm.Protocol != "icmp" && from > to) {
				return nil, errf(400, "InvalidParameterValue", "Invalid port range %d-%d", from, to)
			}
			perm.From, perm.To = from, to
		}
		for j := 1; ; j++ {
			c, ok := r.Form[p+".IpRanges."+strconv.Itoa(j)+".CidrIp"]
			if !ok {
				break
			}
			pfx, err := netip.ParsePrefix(c[0])
			if err != nil || !pfx.Addr().Is4() {
				return nil, errf(400, "InvalidParameterValue", "CIDR block %s is malformed", c[0])
			}
			perm.CIDRs = append(perm.CIDRs, pfx.Masked().String())
		}
		for j := 1; ; j++ {
			c, ok := r.Form[p+".Ipv6Ranges."+strconv.Itoa(j)+".CidrIpv6"]
			if !ok {
				break
			}
			pfx, err := netip.ParsePrefix(c[0])
			if err != nil || !pfx.Addr().Is6() {
				return nil, errf(400, "InvalidParameterValue", "CIDR block %s is malformed", c[0])
			}
			perm.CIDRs6 = append(perm.CIDRs6, pfx.Masked().String())
		}
		for j := 1; ; j++ {
			q := p + ".Groups." + strconv.Itoa(j)
			id, name, user := r.Form.Get(q+".GroupId"), r.Form.Get(q+".GroupName"), r.Form.Get(q+".UserId")
			if id == "" && name == "" {
				break
			}
			if user == "" {
				user = Account
			}
			if user == Account {
				g := s.groupBy(id, name)
				if g == nil {
					return nil, groupNotFound(id + name)
				}
				id = g.ID
			} else if id == "" {
				return nil, errf(400, "InvalidParameterValue", "A group of another account must be named by its id")
			}
			perm.Groups = append(perm.Groups, GroupPair{UserID: user, GroupID: id})
		}
		if len(perm.CIDRs)+len(perm.CIDRs6)+len(perm.Groups) == 0 {
			return nil, errf(400, "MissingParameter", "No source given for permission %d", i)
		}
		out = append(out, perm)
	}
	if len(out) == 0 {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter IpPermissions")
	}
	return out, nil
}

func samePorts(a, b Permission) bool {
	return a.Protocol == b.Protocol && a.From == b.From && a.To == b.To
}

// ingress answers Authorize/RevokeSecurityGroupIngress: every source is
// checked before any is changed, as EC2 fails the whole request.
func (s *Server) ingress(r *http.Request, action string) (any, *apiError) {
	g, e := s.targetGroup(r)
	if e != nil {
		return nil, e
	}
	perms, e := s.permissions(r)
	if e != nil {
		return nil, e
	}
	authorize := action == "AuthorizeSecurityGroupIngress"
	next := clonePerms(g.Ingress)
	for _, p := range perms {
		i := slices.IndexFunc(next, func(q Permission) bool { return samePorts(p, q) })
		if i < 0 && authorize {
			next = append(next, Permission{Protocol: p.Protocol, From: p.From, To: p.To})
			i = len(next) - 1
		}
		if i < 0 {
			return nil, errf(400, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		}
		q := &next[i]
		var err *apiError
		q.CIDRs, err = change(q.CIDRs, p.CIDRs, authorize, p)
		if err == nil {
			q.CIDRs6, err = change(q.CIDRs6, p.CIDRs6, authorize, p)
		}
		if err == nil {
			q.Groups, err = change(q.Groups, p.Groups, authorize, p)
		}
		if err != nil {
			return nil, err
		}
	}
	g.Ingress = slices.DeleteFunc(next, func(q Permission) bool { return len(q.CIDRs)+len(q.CIDRs6)+len(q.Groups) == 0 })
	return returnResponse{XMLName: xmlName(action + "Response"), head: newHead(), Return: true}, nil
}

// change adds or removes sources, failing on a duplicate or missing one.
func change[T comparable](have, give []T, add bool, p Permission) ([]T, *apiError) {
	for _, v := range give {
		i := slices.Index(have, v)
		switch {
		case add && i >= 0:
			return nil, errf(400, "InvalidPermission.Duplicate",
				"the specified rule \"peer: %v, %s, from port: %d, to port: %d, ALLOW\" already exists", v, strings.ToUpper(p.Protocol), p.From, p.To)
		case add:
			have = append(have, v)
		case i < 0:
			return nil, errf(400, "InvalidPermission.NotFound", "The specified rule does not exist in this security group.")
		default:
			have = slices.Delete(have, i, i+1)
		}
	}
	return have, nil
}

// instanceGroups resolves RunInstances' SecurityGroup.N (names) and
// SecurityGroupId.N to group names; none means the default group.
func (s *Server) instanceGroups(r *http.Request) ([]string, *apiError) {
	var names []string
	for _, n := range list(r, "SecurityGroup") {
		if s.groupBy("", n) == nil {
			return nil, groupNotFound(n)
		}
		names = append(names, n)
	}
	for _, id := range list(r, "SecurityGroupId") {
		g := s.groupBy(id, "")
		if g == nil {
			return nil, groupNotFound(id)
		}
		names = append(names, g.Name)
	}
	if len(names) == 0 {
		names = []string{"default"}
	}
	return names, nil
}
