package openstacktest

import (
	"fmt"
	"net"
	"net/http"
	"sort"
	"time"
)

// secgroup is a Neutron security group with its rules.
type secgroup struct {
	id, name, description string
	rules                 []*rule
	created               time.Time
}

type rule struct {
	id, group, direction, ethertype, protocol, prefix, remoteGroup string
	min, max                                                       *int
	// described is false for the rules Neutron makes itself (their
	// description is null); a created rule's is "".
	described bool
	created   time.Time
	attr      int // Neutron's standard_attr_id
}

func (n *neutron) seedGroups() {
	g := &secgroup{id: newID(), name: "default", description: "Default security group", created: time.Now()}
	for _, eth := range []string{"IPv4", "IPv6"} {
		g.rules = append(g.rules, n.newRule(&rule{group: g.id, direction: "egress", ethertype: eth}),
			n.newRule(&rule{group: g.id, direction: "ingress", ethertype: eth, remoteGroup: g.id}))
	}
	n.groups[g.id] = g
}

// hasGroup reports whether a group of that name or id exists; c.mu is held.
func (n *neutron) hasGroup(nameOrID string) bool {
	for _, g := range n.groups {
		if g.name == nameOrID || g.id == nameOrID {
			return true
		}
	}
	return false
}

// newRule gives a rule its id, time and standard attribute id; c.mu is
// held.
func (n *neutron) newRule(r *rule) *rule {
	n.c.seq++
	r.id, r.created, r.attr = newID(), time.Now(), n.c.seq
	return r
}

// ruleJSON is a rule as Neutron shows it; embedded (in its group's
// security_group_rules) it also has standard_attr_id and tags.
func ruleJSON(r *rule, embedded bool) map[string]any {
	var desc any
	if r.described {
		desc = ""
	}
	out := map[string]any{"id": r.id, "security_group_id": r.group, "direction": r.direction, "ethertype": r.ethertype,
		"protocol": nil, "port_range_min": nil, "port_range_max": nil, "remote_ip_prefix": nil, "remote_group_id": nil,
		"remote_address_group_id": nil, "normalized_cidr": nil, "description": desc, "tenant_id": ProjectID, "project_id": ProjectID,
		"revision_number": 0, "created_at": stamp(r.created), "updated_at": stamp(r.created)}
	if embedded {
		out["standard_attr_id"], out["tags"] = r.attr, []string{}
	}
	if r.protocol != "" {
		out["protocol"] = r.protocol
	}
	if r.min != nil {
		out["port_range_min"] = *r.min
	}
	if r.max != nil {
		out["port_range_max"] = *r.max
	}
	if r.prefix != "" {
		out["remote_ip_prefix"], out["normalized_cidr"] = r.prefix, r.prefix
		if _, n, err := net.ParseCIDR(r.prefix); err == nil {
			out["normalized_cidr"] = n.String()
		}
	}
	if r.remoteGroup != "" {
		out["remote_group_id"] = r.remoteGroup
	}
	return out
}

func groupJSON(g *secgroup) map[string]any {
	rules := []map[string]any{}
	for _, r := range g.rules {
		rules = append(rules, ruleJSON(r, true))
	}
	return map[string]any{"id": g.id, "name": g.name, "description": g.description, "tenant_id": ProjectID,
		"project_id": ProjectID, "security_group_rules": rules, "stateful": true, "shared": false, "tags": []string{},
		"revision_number": len(g.rules), "created_at": stamp(g.created), "updated_at": stamp(g.created)}
}

func (n *neutron) inUse(g *secgroup) bool {
	for _, p := range n.ports {
		for _, id := range p.groups {
			if id == g.id {
				return true
			}
		}
	}
	return false
}

func (n *neutron) serveGroups(w http.ResponseWriter, r *http.Request, parts []string) {
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		q := r.URL.Query()
		var list []*secgroup
		for _, g := range n.groups {
			if v := q.Get("name"); v != "" && v != g.name {
				continue
			}
			list = append(list, g)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
		out := []map[string]any{}
		for _, g := range list {
			out = append(out, groupJSON(g))
		}
		writeJSON(w, http.StatusOK, map[string]any{"security_groups": out})
	case len(parts) == 1 && r.Method == http.MethodPost:
		var req struct {
			SG struct {
				Name        string `json:"name"`
				Description string `json:"description"`
			} `json:"security_group"`
		}
		if !decodeNeutron(w, r, &req) {
			return
		}
		if len(req.SG.Name) > 255 || len(req.SG.Description) > 255 {
			neutronFault(w, http.StatusBadRequest, "HTTPBadRequest", "Invalid input for name. Reason: too long.")
			return
		}
		if req.SG.Name == "default" {
			neutronFault(w, http.StatusConflict, "SecurityGroupDefaultAlreadyExists", "Default security group already exists.")
			return
		}
		g := &secgroup{id: newID(), name: req.SG.Name, description: req.SG.Description, created: time.Now()}
		for _, eth := range []string{"IPv4", "IPv6"} {
			g.rules = append(g.rules, n.newRule(&rule{group: g.id, direction: "egress", ethertype: eth}))
		}
		n.groups[g.id] = g
		writeJSON(w, http.StatusCreated, map[string]any{"security_group": groupJSON(g)})
	case len(parts) == 2:
		g, ok := n.groups[parts[1]]
		if !ok {
			neutronFault(w, http.StatusNotFound, "SecurityGroupNotFound", fmt.Sprintf("Security group %s does not exist", parts[1]))
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, map[string]any{"security_group": groupJSON(g)})
		case http.MethodDelete:
			if n.inUse(g) {
				neutronFault(w, http.StatusConflict, "SecurityGroupInUse", fmt.Sprintf("Security Group %s in use.", g.id))
				return
			}
			delete(n.groups, g.id)
			w.WriteHeader(http.StatusNoContent)
		default:
			neutronFault(w, http.StatusMethodNotAllowed, "HTTPMethodNotAllowed", "Method not allowed.")
		}
	default:
		neutronFault(w, http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
	}
}

func (n *neutron) serveRules(w http.ResponseWriter, r *http.Request, parts []string) {
	switch {
	case len(parts) == 1 && r.Method == http.MethodPost:
		var req struct {
			R struct {
				Group     string `json:"security_group_id"`
				Direction string `json:"direction"`
				EtherType string `json:"ethertype"`
				Protocol  string `json:"protocol"`
				Min       *int   `json:"port_range_min"`
				Max       *int   `json:"port_range_max"`
				Prefix    string `json:"remote_ip_prefix"`
				Remote    string `json:"remote_group_id"`
			} `json:"security_group_rule"`
		}
		if !decodeNeutron(w, r, &req) {
			return
		}
		in := req.R
		g, ok := n.groups[in.Group]
		if !ok {
			neutronFault(w, http.StatusNotFound, "SecurityGroupNotFound", fmt.Sprintf("Security group %s does not exist", in.Group))
			return
		}
		if in.Direction != "ingress" && in.Direction != "egress" {
			neutronFault(w, http.StatusBadRequest, "HTTPBadRequest", "Invalid input for direction. Reason: "+in.Direction+" is not in valid_values.")
			return
		}
		if in.Prefix != "" {
			if _, _, err := net.ParseCIDR(in.Prefix); err != nil && net.ParseIP(in.Prefix) == nil {
				neutronFault(w, http.StatusBadRequest, "InvalidCIDR", "Invalid CIDR "+in.Prefix+" given as IP prefix.")
				return
			}
		}
		if in.Protocol == "tcp" || in.Protocol == "udp" {
			for _, p := range []*int{in.Min, in.Max} {
				if p != nil && (*p < 0 || *p > 65535) {
					neutronFault(w, http.StatusBadRequest, "SecurityGroupInvalidPortValue", fmt.Sprintf("Invalid value for port %d", *p))
					return
				}
			}
		}
		if in.EtherType == "" {
			in.EtherType = "IPv4"
		}
		if in.Min != nil && in.Max != nil && *in.Min > *in.Max && in.Protocol != "icmp" {
			neutronFault(w, http.StatusBadRequest, "SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max")
			return
		}
		for _, x := range g.rules {
			if x.direction == in.Direction && x.ethertype == in.EtherType && x.protocol == in.Protocol && x.prefix == in.Prefix &&
				x.remoteGroup == in.Remote && eqInt(x.min, in.Min) && eqInt(x.max, in.Max) {
				neutronFault(w, http.StatusConflict, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is "+x.id+".")
				return
			}
		}
		rl := n.newRule(&rule{group: g.id, direction: in.Direction, ethertype: in.EtherType, protocol: in.Protocol,
			prefix: in.Prefix, remoteGroup: in.Remote, min: in.Min, max: in.Max, described: true})
		g.rules = append(g.rules, rl)
		writeJSON(w, http.StatusCreated, map[string]any{"security_group_rule": ruleJSON(rl, false)})
	case len(parts) == 2 && r.Method == http.MethodGet:
		for _, g := range n.groups {
			for _, x := range g.rules {
				if x.id == parts[1] {
					writeJSON(w, http.StatusOK, map[string]any{"security_group_rule": ruleJSON(x, false)})
					return
				}
			}
		}
		neutronFault(w, http.StatusNotFound, "SecurityGroupRuleNotFound", fmt.Sprintf("Security group rule %s does not exist", parts[1]))
	case len(parts) == 2 && r.Method == http.MethodDelete:
		for _, g := range n.groups {
			for i, x := range g.rules {
				if x.id == parts[1] {
					g.rules = append(g.rules[:i], g.rules[i+1:]...)
					w.WriteHeader(http.StatusNoContent)
					return
				}
			}
		}
		neutronFault(w, http.StatusNotFound, "SecurityGroupRuleNotFound", fmt.Sprintf("Security group rule %s does not exist", parts[1]))
	default:
		neutronFault(w, http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
	}
}

func eqInt(a, b *int) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// decodeNeutron reads a bounded JSON body, answering Neutron's bad request.
func decodeNeutron(w http.ResponseWriter, r *http.Request, v any) bool {
	if err := jsonDecode(w, r, v); err != nil {
		neutronFault(w, http.StatusBadRequest, "HTTPBadRequest", "Malformed request body")
		return false
	}
	return true
}

// floatingIP is a Neutron floating IP.
type floatingIP struct {
	id, addr, port, fixed string
}

// floatingFor is the floating address of a server's port; c.mu is held.
func (n *neutron) floatingFor(server string) string {
	p, ok := n.ports[server]
	if !ok {
		return ""
	}
	for _, f := range n.floating {
		if f.port == p.id {
			return f.addr
		}
	}
	return ""
}

func (n *neutron) floatingJSON(f *floatingIP) map[string]any {
	out := map[string]any{"id": f.id, "floating_ip_address": f.addr, "floating_network_id": NetworkPublic,
		"router_id": nil, "port_id": nil, "fixed_ip_address": nil, "status": "DOWN", "tenant_id": ProjectID,
		"project_id": ProjectID, "description": "", "port_details": nil, "tags": []string{},
		"revision_number": 0, "created_at": "2024-03-01T12:00:00Z", "updated_at": "2024-03-01T12:00:00Z"}
	if f.port != "" {
		out["port_id"], out["fixed_ip_address"], out["status"] = f.port, f.fixed, "ACTIVE"
		out["router_id"] = "d23abc8d-2991-4a55-ba98-2aaea84cc72f"
		for _, p := range n.ports {
			if p.id == f.port {
				out["port_details"] = map[string]any{"name": "", "network_id": p.network, "mac_address": "fa:16:3e:4c:2c:30",
					"admin_state_up": true, "status": "ACTIVE", "device_id": p.server, "device_owner": "compute:nova"}
			}
		}
	}
	return out
}

func (n *neutron) serveFloating(w http.ResponseWriter, r *http.Request, parts []string) {
	switch {
	case len(parts) == 1 && r.Method == http.MethodGet:
		var list []*floatingIP
		for _, f := range n.floating {
			list = append(list, f)
		}
		sort.Slice(list, func(i, j int) bool { return list[i].id < list[j].id })
		out := []map[string]any{}
		for _, f := range list {
			out = append(out, n.floatingJSON(f))
		}
		writeJSON(w, http.StatusOK, map[string]any{"floatingips": out})
	case len(parts) == 1 && r.Method == http.MethodPost:
		var req struct {
			F struct {
				Network string `json:"floating_network_id"`
			} `json:"floatingip"`
		}
		if !decodeNeutron(w, r, &req) {
			return
		}
		switch {
		case n.networkName(req.F.Network) == "":
			neutronFault(w, http.StatusNotFound, "NetworkNotFound", "Network "+req.F.Network+" could not be found.")
			return
		case req.F.Network != NetworkPublic:
			neutronFault(w, http.StatusBadRequest, "BadRequest", "Bad floatingip request: Network "+req.F.Network+" is not a valid external network.")
			return
		}
		n.c.seq++
		f := &floatingIP{id: newID(), addr: fmt.Sprintf("172.24.4.%d", 10+n.c.seq%240)}
		n.floating[f.id] = f
		writeJSON(w, http.StatusCreated, map[string]any{"floatingip": n.floatingJSON(f)})
	case len(parts) == 2:
		f, ok := n.floating[parts[1]]
		if !ok {
			neutronFault(w, http.StatusNotFound, "FloatingIPNotFound", "Floating IP "+parts[1]+" could not be found")
			return
		}
		switch r.Method {
		case http.MethodGet:
			writeJSON(w, http.StatusOK, map[string]any{"floatingip": n.floatingJSON(f)})
		case http.MethodDelete:
			delete(n.floating, f.id)
			w.WriteHeader(http.StatusNoContent)
		case http.MethodPut:
			var req struct {
				F struct {
					Port *string `json:"port_id"`
				} `json:"floatingip"`
			}
			if !decodeNeutron(w, r, &req) {
				return
			}
			if req.F.Port == nil || *req.F.Port == "" {
				f.port, f.fixed = "", ""
			} else {
				var found *port
				for _, p := range n.ports {
					if p.id == *req.F.Port {
						found = p
					}
				}
				if found == nil {
					neutronFault(w, http.StatusNotFound, "PortNotFound", "Port "+*req.F.Port+" could not be found.")
					return
				}
				for _, o := range n.floating {
					if o != f && o.port == found.id {
						neutronFault(w, http.StatusConflict, "FloatingIPPortAlreadyAssociated", "Cannot associate floating IP "+f.addr+" with port "+found.id+": port already has a floating IP.")
						return
					}
				}
				f.port, f.fixed = found.id, found.ip
			}
			writeJSON(w, http.StatusOK, map[string]any{"floatingip": n.floatingJSON(f)})
		default:
			neutronFault(w, http.StatusMethodNotAllowed, "HTTPMethodNotAllowed", "Method not allowed.")
		}
	default:
		neutronFault(w, http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
	}
}

// groupIDs resolves a name or id as Nova does through Neutron: the id's
// group, or every group of that name; c.mu is held.
func (n *neutron) groupIDs(nameOrID string) []string {
	if _, ok := n.groups[nameOrID]; ok {
		return []string{nameOrID}
	}
	var ids []string
	for _, g := range n.groups {
		if g.name == nameOrID {
			ids = append(ids, g.id)
		}
	}
	sort.Strings(ids)
	return ids
}

// groupName is a group's name (its id once it is gone); c.mu is held.
func (n *neutron) groupName(id string) string {
	if g, ok := n.groups[id]; ok {
		return g.name
	}
	return id
}
