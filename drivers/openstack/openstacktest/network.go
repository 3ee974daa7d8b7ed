package openstacktest

import (
	"net/http"
	"strings"
	"time"
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
	subnetID         string
	external         bool
	created          time.Time
}

type port struct {
	id, server, network, ip string
	groups                  []string
	created                 time.Time
}

// Network and subnet ids of the fake.
const (
	NetworkPrivate = "7b9c1e2a-3d4f-4a5b-8c6d-7e8f9a0b1c11"
	NetworkPublic  = "2c4e6a8b-0d2f-4e4a-9c6e-8a0b2c4d6e22"
	SubnetPrivate  = "a0304c3a-4f08-4c43-88af-d796509c97d2"
	SubnetPublic   = "5e1f3a7c-9b2d-4c6e-8f0a-1b3c5d7e9f33"
)

func newNeutron(c *Cloud) *neutron {
	n := &neutron{c: c, ports: map[string]*port{}, groups: map[string]*secgroup{}, floating: map[string]*floatingIP{}}
	n.nets = []*network{
		{id: NetworkPrivate, name: "private", subnet: "10.0.0.0/24", subnetID: SubnetPrivate, created: time.Now()},
		{id: NetworkPublic, name: "public", subnet: "172.24.4.0/24", subnetID: SubnetPublic, external: true, created: time.Now()},
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
	n.ports[server] = &port{id: newID(), server: server, network: n.networkID(network), ip: ip, groups: ids, created: time.Now()}
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
	subnet := SubnetPrivate
	for _, x := range n.nets {
		if x.id == p.network {
			subnet = x.subnetID
		}
	}
	return map[string]any{"id": p.id, "network_id": p.network, "device_id": p.server, "device_owner": "compute:nova",
		"tenant_id": ProjectID, "project_id": ProjectID, "admin_state_up": true, "status": "ACTIVE", "name": "",
		"mac_address": "fa:16:3e:4c:2c:30", "security_groups": p.groups, "binding:vnic_type": "normal",
		"fixed_ips":             []map[string]any{{"subnet_id": subnet, "ip_address": p.ip}},
		"allowed_address_pairs": []any{}, "extra_dhcp_opts": []any{}, "port_security_enabled": true, "description": "",
		"tags": []string{}, "revision_number": 4, "created_at": stamp(p.created), "updated_at": stamp(p.created)}
}

// networkJSON is a network as Neutron shows it.
func networkJSON(x *network) map[string]any {
	out := map[string]any{"id": x.id, "name": x.name, "status": "ACTIVE", "admin_state_up": true,
		"router:external": x.external, "shared": false, "tenant_id": ProjectID, "project_id": ProjectID,
		"subnets": []string{x.subnetID}, "mtu": 1450, "port_security_enabled": true, "description": "",
		"availability_zone_hints": []string{}, "availability_zones": []string{}, "ipv4_address_scope": nil,
		"ipv6_address_scope": nil, "tags": []string{}, "revision_number": 2,
		"created_at": stamp(x.created), "updated_at": stamp(x.created)}
	if x.external {
		out["is_default"] = false
	}
	return out
}

// subnetJSON is a network's IPv4 subnet as Neutron shows it.
func subnetJSON(x *network) map[string]any {
	prefix := strings.TrimSuffix(x.subnet, "0/24")
	return map[string]any{"id": x.subnetID, "name": "", "network_id": x.id, "tenant_id": ProjectID, "project_id": ProjectID,
		"ip_version": 4, "cidr": x.subnet, "gateway_ip": prefix + "1", "enable_dhcp": !x.external,
		"allocation_pools": []map[string]any{{"start": prefix + "2", "end": prefix + "254"}},
		"dns_nameservers":  []string{}, "host_routes": []any{}, "ipv6_address_mode": nil, "ipv6_ra_mode": nil,
		"service_types": []string{}, "subnetpool_id": nil, "description": "", "tags": []string{}, "revision_number": 0,
		"created_at": stamp(x.created), "updated_at": stamp(x.created)}
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
			out = append(out, networkJSON(x))
		}
		writeJSON(w, http.StatusOK, map[string]any{"networks": out})
	case "subnets":
		if r.Method != http.MethodGet || len(parts) != 1 {
			neutronFault(w, http.StatusNotFound, "HTTPNotFound", "The resource could not be found.")
			return
		}
		out := []map[string]any{}
		for _, x := range n.nets {
			if v := r.URL.Query().Get("network_id"); v == "" || v == x.id {
				out = append(out, subnetJSON(x))
			}
		}
		writeJSON(w, http.StatusOK, map[string]any{"subnets": out})
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
