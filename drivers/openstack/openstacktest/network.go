package openstacktest

import (
	"net/http"
	"strings"
)

// neutron is the fake's networking: the tenant network "private", an
// external network "public", ports of servers and the security groups.
type neutron struct {
	c        *Cloud
	nets     []*network
	ports    map[string]*port // by server id
	groups   map[string]*secgroup
	floating map[string]*floatingIP
}

type network struct {
	id, name, subnet string
	external         bool
}

type port struct {
	id, server, network, ip string
	groups                  []string
}

// Network ids of the fake.
const (
	NetworkPrivate = "7b9c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c11"
	NetworkPublic  = "2c4e6a8b-0d2f-4e4a-9c6e-8a0b2c4d6e22"
)

func newNeutron(c *Cloud) *neutron {
	n := &neutron{c: c, ports: map[string]*port{}, groups: map[string]*secgroup{}, floating: map[string]*floatingIP{}}
	n.nets = []*network{
		{id: NetworkPrivate, name: "private", subnet: "10.0.0.0/24"},
		{id: NetworkPublic, name: "public", subnet: "172.24.4.0/24", external: true},
	}
	n.seedGroups()
	return n
}

// tenantNetwork is what networks "auto" picks: the one tenant network.
func (n *neutron) tenantNetwork() string { return "private" }

// networkName returns the name of a network id ("" if unknown).
func (n *neutron) networkName(id string) string {
	for _, x := range n.nets {
		if x.id == id {
			return x.name
		}
	}
	return ""
}

func (n *neutron) networkID(name string) string {
	for _, x := range n.nets {
		if x.name == name {
			return x.id
		}
	}
	return ""
}

// addPort plugs a server into a network; c.mu is held.
func (n *neutron) addPort(server, network, ip string, groups []string) {
	var ids []string
	for _, g := range groups {
		for _, sg := range n.groups {
			if sg.name == g || sg.id == g {
				ids = append(ids, sg.id)
			}
		}
	}
	n.ports[server] = &port{id: newID(), server: server, network: n.networkID(network), ip: ip, groups: ids}
}

// releasePorts removes a deleted server's port and frees its floating IP;
// c.mu is held.
func (n *neutron) releasePorts(server string) {
	p, ok := n.ports[server]
	if !ok {
		return
	}
	for _, f := range n.floating {
		if f.port == p.id {
			f.port, f.fixed = "", ""
		}
	}
	delete(n.ports, server)
}

func (n *neutron) portJSON(p *port) map[string]any {
	return map[string]any{"id": p.id, "network_id": p.network, "device_id": p.server, "device_owner": "compute:nova",
		"tenant_id": ProjectID, "project_id": ProjectID, "admin_state_up": true, "status": "ACTIVE", "name": "",
		"mac_address": "fa:16:3e:4c:2c:30", "security_groups": p.groups, "binding:vnic_type": "normal",
		"fixed_ips": []map[string]any{{"subnet_id": "a0304c3a-4f08-4c43-88af-d796509c97d2", "ip_address": p.ip}}}
}

func (n *neutron) serve(w http.ResponseWriter, r *http.Request, path string) {
	parts := strings.Split(strings.Trim(path, "/"), "/")
	n.c.mu.Lock()
	defer n.c.mu.Unlock()
	switch parts[0] {
	case "networks":
		if r.Method != http.MethodGet || len(parts) != 1 {
			neutronFault(w, http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
			return
		}
		q := r.URL.Query()
		out := []map[string]any{}
		for _, x := range n.nets {
			if v := q.Get("router:external"); v != "" && (v == "true") != x.external {
				continue
			}
			if v := q.Get("name"); v != "" && v != x.name {
				continue
			}
			if v := q.Get("id"); v != "" && v != x.id {
				continue
			}
			out = append(out, map[string]any{"id": x.id, "name": x.name, "status": "ACTIVE", "admin_state_up": true,
				"router:external": x.external, "shared": false, "tenant_id": ProjectID, "project_id": ProjectID,
				"subnets": []string{}, "mtu": 1450, "port_security_enabled": true})
		}
		writeJSON(w, http.StatusOK, map[string]any{"networks": out})
	case "ports":
		if r.Method == http.MethodGet && len(parts) == 2 {
			for _, p := range n.ports {
				if p.id == parts[1] {
					writeJSON(w, http.StatusOK, map[string]any{"port": n.portJSON(p)})
					return
				}
			}
			neutronFault(w, http.StatusNotFound, "PortNotFound", "Port "+parts[1]+" could not be found.")
			return
		}
		if r.Method != http.MethodGet || len(parts) != 1 {
			neutronFault(w, http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
			return
		}
		dev := r.URL.Query().Get("device_id")
		out := []map[string]any{}
		for _, p := range n.ports {
			if dev == "" || p.server == dev {
				out = append(out, n.portJSON(p))
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"ports": out})
	case "security-groups":
		n.serveGroups(w, r, parts)
	case "security-group-rules":
		n.serveRules(w, r, parts)
	case "floatingips":
		n.serveFloating(w, r, parts)
	default:
		neutronFault(w, http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
	}
}

// neutronFault answers Neutron's fault body.
func neutronFault(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, map[string]any{"NeutronError": map[string]any{"type": typ, "message": msg, "detail": ""}})
}
