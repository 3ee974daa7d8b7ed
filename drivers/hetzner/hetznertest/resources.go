package hetznertest

import (
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud/schema"
)

// --- SSH keys

// fingerprint is the MD5 fingerprint of an OpenSSH public key, as the API
// states it ("aa:bb:…"), or "" when the key cannot be read.
func fingerprint(publicKey string) string {
	f := strings.Fields(publicKey)
	if len(f) < 2 {
		return ""
	}
	switch f[0] {
	case "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
	default:
		return ""
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(blob) < 4 {
		return ""
	}
	sum := md5.Sum(blob)
	parts := make([]string, len(sum))
	for i, b := range sum {
		parts[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(parts, ":")
}

// Keys returns the SSH keys as the API shows them, in id order.
func (s *Server) Keys() []schema.SSHKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	return all(s.keys)
}

func (s *Server) listKeys(r *http.Request) (int, any, *apiError) {
	items, meta, e := listed(r, s.keys, func(q query, k *schema.SSHKey) (schema.SSHKey, bool) {
		return *k, q.is("name", k.Name) && q.is("fingerprint", k.Fingerprint) && q.match(k.Labels)
	})
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.SSHKeyListResponse
		schema.MetaResponse
	}{schema.SSHKeyListResponse{SSHKeys: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) key(r *http.Request) (*schema.SSHKey, *apiError) {
	return byID(r, s.keys, "ssh key", "ssh_key")
}

func (s *Server) getKey(r *http.Request) (int, any, *apiError) {
	k, e := s.key(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, schema.SSHKeyGetResponse{SSHKey: *k}, nil
}

func (s *Server) createKey(r *http.Request) (int, any, *apiError) {
	var req schema.SSHKeyCreateRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	if strings.TrimSpace(req.Name) == "" || len(req.Name) > 128 {
		return 0, nil, invalid("name", "a name of 1-128 characters is required")
	}
	fp := fingerprint(req.PublicKey)
	if fp == "" {
		return 0, nil, invalid("public_key", "not a valid OpenSSH public key")
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	for _, k := range s.keys {
		if k.Name == req.Name {
			return 0, nil, errf(http.StatusConflict, "uniqueness_error", "SSH key with the same name already exists")
		}
		if k.Fingerprint == fp {
			return 0, nil, errf(http.StatusConflict, "uniqueness_error", "SSH key with the same fingerprint already exists")
		}
	}
	k := &schema.SSHKey{ID: s.id(), Name: req.Name, Fingerprint: fp, PublicKey: strings.TrimSpace(req.PublicKey),
		Labels: labelsOf(req.Labels), Created: s.now().UTC().Truncate(time.Second)}
	s.keys[k.ID] = k
	return http.StatusCreated, schema.SSHKeyCreateResponse{SSHKey: *k}, nil
}

func (s *Server) deleteKey(r *http.Request) (int, any, *apiError) {
	k, e := s.key(r)
	if e != nil {
		return 0, nil, e
	}
	delete(s.keys, k.ID)
	return http.StatusNoContent, nil, nil
}

// --- Firewalls

// checkRules validates firewall rules as the API does.
func checkRules(rules []schema.FirewallRuleRequest) ([]schema.FirewallRule, *apiError) {
	out := []schema.FirewallRule{}
	for i, r := range rules {
		field := fmt.Sprintf("rules[%d]", i)
		if r.Direction != "in" && r.Direction != "out" {
			return nil, invalid(field+".direction", "must be in or out")
		}
		switch r.Protocol {
		case "tcp", "udp":
			if r.Port == nil || !portSpec(*r.Port) {
				return nil, invalid(field+".port", "a port or port range is required for %s", r.Protocol)
			}
		case "icmp", "esp", "gre":
			if r.Port != nil {
				return nil, invalid(field+".port", "no port is allowed for %s", r.Protocol)
			}
		default:
			return nil, invalid(field+".protocol", "unknown protocol %q", r.Protocol)
		}
		ips := r.SourceIPs
		if r.Direction == "out" {
			ips = r.DestinationIPs
		}
		if len(ips) == 0 {
			return nil, invalid(field, "at least one address is required")
		}
		for _, ip := range ips {
			if p, err := netip.ParsePrefix(ip); err != nil || p.Masked() != p {
				return nil, invalid(field, "%q is not a network in CIDR notation", ip)
			}
		}
		out = append(out, schema.FirewallRule{Direction: r.Direction, SourceIPs: nonNil(r.SourceIPs),
			DestinationIPs: nonNil(r.DestinationIPs), Protocol: r.Protocol, Port: r.Port, Description: r.Description})
	}
	return out, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

// portSpec reports whether p is a port ("22"), a range ("1024-2048") or
// "any".
func portSpec(p string) bool {
	if p == "any" {
		return true
	}
	lo, hi, isRange := strings.Cut(p, "-")
	a, err1 := strconv.Atoi(lo)
	b := a
	var err2 error
	if isRange {
		b, err2 = strconv.Atoi(hi)
	}
	return err1 == nil && err2 == nil && a >= 1 && b <= 65535 && a <= b
}

func (s *Server) listFirewalls(r *http.Request) (int, any, *apiError) {
	items, meta, e := listed(r, s.firewalls, func(q query, fw *schema.Firewall) (schema.Firewall, bool) {
		return *fw, q.is("name", fw.Name) && q.match(fw.Labels)
	})
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.FirewallListResponse
		schema.MetaResponse
	}{schema.FirewallListResponse{Firewalls: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) firewall(r *http.Request) (*schema.Firewall, *apiError) {
	return byID(r, s.firewalls, "firewall", "firewall")
}

func (s *Server) getFirewall(r *http.Request) (int, any, *apiError) {
	fw, e := s.firewall(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, schema.FirewallGetResponse{Firewall: *fw}, nil
}

func (s *Server) createFirewall(r *http.Request) (int, any, *apiError) {
	var req schema.FirewallCreateRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	if strings.TrimSpace(req.Name) == "" || len(req.Name) > 128 {
		return 0, nil, invalid("name", "a name of 1-128 characters is required")
	}
	for _, fw := range s.firewalls {
		if fw.Name == req.Name {
			return 0, nil, errf(http.StatusConflict, "uniqueness_error", "firewall name is already used")
		}
	}
	rules, e := checkRules(req.Rules)
	if e != nil {
		return 0, nil, e
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	fw := &schema.Firewall{ID: s.id(), Name: req.Name, Labels: labelsOf(req.Labels), Rules: rules,
		Created: s.now().UTC().Truncate(time.Second), AppliedTo: []schema.FirewallResource{}}
	s.firewalls[fw.ID] = fw
	actions := []schema.Action{s.newAction("set_firewall_rules", nil, ref("firewall", fw.ID)).a}
	return http.StatusCreated, schema.FirewallCreateResponse{Firewall: *fw, Actions: actions}, nil
}

func (s *Server) deleteFirewall(r *http.Request) (int, any, *apiError) {
	fw, e := s.firewall(r)
	if e != nil {
		return 0, nil, e
	}
	if len(fw.AppliedTo) > 0 {
		return 0, nil, errf(http.StatusUnprocessableEntity, "resource_in_use", "firewall %d is still applied to resources", fw.ID)
	}
	delete(s.firewalls, fw.ID)
	return http.StatusNoContent, nil, nil
}

// applyFirewall applies a firewall to a server.
func applyFirewall(fw *schema.Firewall, srv *server) {
	fw.AppliedTo = append(fw.AppliedTo, schema.FirewallResource{Type: "server", Server: &schema.FirewallResourceServer{ID: srv.s.ID}})
	srv.s.PublicNet.Firewalls = append(srv.s.PublicNet.Firewalls, schema.ServerFirewall{ID: fw.ID, Status: "applied"})
}

// onServer reports whether a firewall's resource is the server.
func onServer(id int64) func(schema.FirewallResource) bool {
	return func(res schema.FirewallResource) bool { return res.Server != nil && res.Server.ID == id }
}

func (s *Server) firewallAction(r *http.Request) (int, any, *apiError) {
	fw, e := s.firewall(r)
	if e != nil {
		return 0, nil, e
	}
	id := fw.ID
	switch name := r.PathValue("action"); name {
	case "set_rules":
		var req schema.FirewallActionSetRulesRequest
		if e := decode(r, &req); e != nil {
			return 0, nil, e
		}
		rules, e := checkRules(req.Rules)
		if e != nil {
			return 0, nil, e
		}
		fw.Rules = rules // the rules apply at once; the action applies them to the servers
		a := s.newAction("set_firewall_rules", nil, ref("firewall", id))
		return http.StatusCreated, schema.FirewallActionSetRulesResponse{Actions: []schema.Action{a.a}}, nil
	case "apply_to_resources", "remove_from_resources":
		var req struct {
			ApplyTo    []schema.FirewallResource `json:"apply_to"`
			RemoveFrom []schema.FirewallResource `json:"remove_from"`
		}
		if e := decode(r, &req); e != nil {
			return 0, nil, e
		}
		res := req.ApplyTo
		if name == "remove_from_resources" {
			res = req.RemoveFrom
		}
		var actions []schema.Action
		for _, x := range res {
			if x.Type != "server" || x.Server == nil {
				return 0, nil, invalid("type", "only servers are served by hetznertest")
			}
			srv, ok := s.servers[x.Server.ID]
			if !ok {
				return 0, nil, errf(http.StatusNotFound, "firewall_resource_not_found", "server %d not found", x.Server.ID)
			}
			applied := slices.ContainsFunc(fw.AppliedTo, onServer(srv.s.ID))
			if name == "apply_to_resources" {
				if applied {
					return 0, nil, errf(http.StatusUnprocessableEntity, "firewall_already_applied", "firewall %d is already applied to server %d", id, srv.s.ID)
				}
				applyFirewall(fw, srv)
				actions = append(actions, s.newAction("apply_firewall", nil, ref("firewall", id), ref("server", srv.s.ID)).a)
			} else {
				if !applied {
					continue
				}
				fw.AppliedTo = slices.DeleteFunc(fw.AppliedTo, onServer(srv.s.ID))
				srv.s.PublicNet.Firewalls = slices.DeleteFunc(srv.s.PublicNet.Firewalls, func(f schema.ServerFirewall) bool { return f.ID == id })
				actions = append(actions, s.newAction("remove_firewall", nil, ref("firewall", id), ref("server", srv.s.ID)).a)
			}
		}
		if actions == nil {
			actions = []schema.Action{}
		}
		return http.StatusCreated, schema.FirewallActionApplyToResourcesResponse{Actions: actions}, nil
	default:
		return 0, nil, notServed("firewall", name)
	}
}

// --- Floating IPs

func (s *Server) listFloatingIPs(r *http.Request) (int, any, *apiError) {
	items, meta, e := listed(r, s.floatingIPs, func(q query, ip *schema.FloatingIP) (schema.FloatingIP, bool) {
		return *ip, q.is("name", ip.Name) && q.match(ip.Labels)
	})
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.FloatingIPListResponse
		schema.MetaResponse
	}{schema.FloatingIPListResponse{FloatingIPs: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) floatingIP(r *http.Request) (*schema.FloatingIP, *apiError) {
	return byID(r, s.floatingIPs, "floating ip", "floating_ip")
}

func (s *Server) getFloatingIP(r *http.Request) (int, any, *apiError) {
	ip, e := s.floatingIP(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, schema.FloatingIPGetResponse{FloatingIP: *ip}, nil
}

func (s *Server) createFloatingIP(r *http.Request) (int, any, *apiError) {
	var req schema.FloatingIPCreateRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	if req.Type != "ipv4" && req.Type != "ipv6" {
		return 0, nil, invalid("type", "must be ipv4 or ipv6")
	}
	loc, srv, e := s.placement(req.Server, "home_location", req.HomeLocation)
	if e != nil {
		return 0, nil, e
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	id := s.id()
	ip := &schema.FloatingIP{ID: id, Description: req.Description, Created: s.now().UTC().Truncate(time.Second),
		Type: req.Type, HomeLocation: loc, Labels: labelsOf(req.Labels), DNSPtr: []schema.FloatingIPDNSPtr{},
		Name: fmt.Sprintf("floating-ip-%d", id)}
	if req.Name != nil {
		ip.Name = *req.Name
	}
	for _, other := range s.floatingIPs {
		if other.Name == ip.Name {
			return 0, nil, errf(http.StatusConflict, "uniqueness_error", "floating IP name is already used")
		}
	}
	if req.Type == "ipv4" {
		ip.IP = fmt.Sprintf("78.46.%d.%d", id>>8&0xff, id&0xff)
	} else {
		ip.IP = fmt.Sprintf("2a01:4f8:1c1c:%x::/64", id&0xffff)
	}
	s.floatingIPs[id] = ip
	resp := schema.FloatingIPCreateResponse{FloatingIP: *ip}
	if srv != nil {
		a := s.newAction("assign_floating_ip", s.assignEffect(id, srv.s.ID), ref("floating_ip", id), ref("server", srv.s.ID))
		resp.Action = &a.a
	}
	return http.StatusCreated, resp, nil
}

// placement is where a new floating IP or volume goes: with the server the
// request names, else in the location it names (field is the request's
// location field, for the answers).
func (s *Server) placement(serverID *int64, field string, location *string) (schema.Location, *server, *apiError) {
	switch {
	case serverID != nil:
		srv, ok := s.servers[*serverID]
		if !ok {
			return schema.Location{}, nil, invalid("server", "server %d not found", *serverID)
		}
		return srv.s.Location, srv, nil
	case location != nil:
		loc, ok := s.location(*location)
		if !ok {
			return schema.Location{}, nil, invalid(field, "location %q not found", *location)
		}
		return loc, nil, nil
	}
	return schema.Location{}, nil, invalid(field, "%s or server is required", field)
}

// assignEffect assigns a floating IP to a server (0: unassigns it).
func (s *Server) assignEffect(ipID, serverID int64) func(bool) {
	return func(ok bool) {
		ip, exists := s.floatingIPs[ipID]
		if !ok || !exists {
			return
		}
		if ip.Server != nil {
			if old, ok := s.servers[*ip.Server]; ok {
				old.s.PublicNet.FloatingIPs = slices.DeleteFunc(old.s.PublicNet.FloatingIPs, func(x int64) bool { return x == ipID })
			}
			ip.Server = nil
		}
		if srv, ok := s.servers[serverID]; ok && serverID != 0 {
			ip.Server = ptr(serverID)
			srv.s.PublicNet.FloatingIPs = append(srv.s.PublicNet.FloatingIPs, ipID)
		}
	}
}

func (s *Server) deleteFloatingIP(r *http.Request) (int, any, *apiError) {
	ip, e := s.floatingIP(r)
	if e != nil {
		return 0, nil, e
	}
	if ip.Protection.Delete {
		return 0, nil, protected("floating IP", ip.ID)
	}
	s.assignEffect(ip.ID, 0)(true)
	delete(s.floatingIPs, ip.ID)
	return http.StatusNoContent, nil, nil
}

func (s *Server) floatingIPAction(r *http.Request) (int, any, *apiError) {
	ip, e := s.floatingIP(r)
	if e != nil {
		return 0, nil, e
	}
	if e := s.locked("floating_ip", ip.ID); e != nil {
		return 0, nil, e
	}
	switch name := r.PathValue("action"); name {
	case "assign":
		var req schema.FloatingIPActionAssignRequest
		if e := decode(r, &req); e != nil {
			return 0, nil, e
		}
		srv, ok := s.servers[req.Server]
		if !ok {
			return 0, nil, notFound("server", req.Server)
		}
		if srv.s.Location.NetworkZone != ip.HomeLocation.NetworkZone {
			return 0, nil, invalid("server", "server %d is in network zone %s, the floating IP in %s",
				srv.s.ID, srv.s.Location.NetworkZone, ip.HomeLocation.NetworkZone)
		}
		a := s.newAction("assign_floating_ip", s.assignEffect(ip.ID, srv.s.ID), ref("floating_ip", ip.ID), ref("server", srv.s.ID))
		return http.StatusCreated, schema.FloatingIPActionAssignResponse{Action: a.a}, nil
	case "unassign":
		a := s.newAction("unassign_floating_ip", s.assignEffect(ip.ID, 0), ref("floating_ip", ip.ID))
		return http.StatusCreated, schema.FloatingIPActionUnassignResponse{Action: a.a}, nil
	default:
		return 0, nil, notServed("floating IP", name)
	}
}

// --- Volumes

// LinuxDevice is the device path the API states for a volume.
func LinuxDevice(id int64) string { return fmt.Sprintf("/dev/disk/by-id/scsi-0HC_Volume_%d", id) }

// attach attaches a volume to a server; the caller holds the lock.
func (s *Server) attach(v *schema.Volume, srv *server) {
	if v == nil || srv == nil {
		return
	}
	v.Server = ptr(srv.s.ID)
	if !slices.Contains(srv.s.Volumes, v.ID) {
		srv.s.Volumes = append(srv.s.Volumes, v.ID)
	}
}

// attachEffect attaches a volume to a server when its action succeeds.
func (s *Server) attachEffect(volumeID, serverID int64) func(bool) {
	return func(ok bool) {
		if ok {
			s.attach(s.volumes[volumeID], s.servers[serverID])
		}
	}
}

// detach detaches a volume from its server; the caller holds the lock.
func (s *Server) detach(v *schema.Volume) {
	if v == nil || v.Server == nil {
		return
	}
	if srv, ok := s.servers[*v.Server]; ok {
		srv.s.Volumes = slices.DeleteFunc(srv.s.Volumes, func(x int64) bool { return x == v.ID })
	}
	v.Server = nil
}

func (s *Server) listVolumes(r *http.Request) (int, any, *apiError) {
	items, meta, e := listed(r, s.volumes, func(q query, v *schema.Volume) (schema.Volume, bool) {
		return *v, q.is("name", v.Name) && q.in("status", v.Status) && q.match(v.Labels)
	})
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, struct {
		schema.VolumeListResponse
		schema.MetaResponse
	}{schema.VolumeListResponse{Volumes: items}, schema.MetaResponse{Meta: meta}}, nil
}

func (s *Server) volume(r *http.Request) (*schema.Volume, *apiError) {
	return byID(r, s.volumes, "volume", "volume")
}

func (s *Server) getVolume(r *http.Request) (int, any, *apiError) {
	v, e := s.volume(r)
	if e != nil {
		return 0, nil, e
	}
	return http.StatusOK, schema.VolumeGetResponse{Volume: *v}, nil
}

func (s *Server) createVolume(r *http.Request) (int, any, *apiError) {
	var req schema.VolumeCreateRequest
	if e := decode(r, &req); e != nil {
		return 0, nil, e
	}
	if !hostname(req.Name) {
		return 0, nil, invalid("name", "%q is not a valid volume name", req.Name)
	}
	if req.Size < 10 || req.Size > 10240 {
		return 0, nil, invalid("size", "size must be between 10 and 10240 GB")
	}
	for _, v := range s.volumes {
		if v.Name == req.Name {
			return 0, nil, errf(http.StatusConflict, "uniqueness_error", "volume name is already used")
		}
	}
	var locName *string
	if req.Location != nil {
		locName = &req.Location.Name
		if req.Location.ID != 0 {
			locName = ptr(strconv.FormatInt(req.Location.ID, 10))
		}
	}
	loc, srv, e := s.placement(req.Server, "location", locName)
	if e != nil {
		return 0, nil, e
	}
	if req.Format != nil && *req.Format != "ext4" && *req.Format != "xfs" {
		return 0, nil, invalid("format", "must be ext4 or xfs")
	}
	if e := checkLabels(req.Labels); e != nil {
		return 0, nil, e
	}
	id := s.id()
	v := &schema.Volume{ID: id, Name: req.Name, Status: "creating", Location: loc, Size: req.Size, Format: req.Format,
		Labels: labelsOf(req.Labels), LinuxDevice: LinuxDevice(id), Created: s.now().UTC().Truncate(time.Second)}
	s.volumes[id] = v
	a := s.newAction("create_volume", func(ok bool) {
		if cur, exists := s.volumes[id]; exists {
			cur.Status = "available"
		}
	}, ref("volume", id))
	resp := schema.VolumeCreateResponse{Volume: *v, Action: &a.a, NextActions: []schema.Action{}}
	if srv != nil {
		next := s.newAction("attach_volume", s.attachEffect(id, srv.s.ID), ref("volume", id), ref("server", srv.s.ID))
		resp.NextActions = append(resp.NextActions, next.a)
	}
	return http.StatusCreated, resp, nil
}

func (s *Server) deleteVolume(r *http.Request) (int, any, *apiError) {
	v, e := s.volume(r)
	if e != nil {
		return 0, nil, e
	}
	if v.Protection.Delete {
		return 0, nil, protected("volume", v.ID)
	}
	if v.Server != nil {
		return 0, nil, errf(http.StatusUnprocessableEntity, "resource_in_use", "volume %d is attached to server %d", v.ID, *v.Server)
	}
	if e := s.locked("volume", v.ID); e != nil {
		return 0, nil, e
	}
	delete(s.volumes, v.ID)
	return http.StatusNoContent, nil, nil
}

func (s *Server) volumeAction(r *http.Request) (int, any, *apiError) {
	v, e := s.volume(r)
	if e != nil {
		return 0, nil, e
	}
	id := v.ID
	if e := s.locked("volume", id); e != nil {
		return 0, nil, e
	}
	switch name := r.PathValue("action"); name {
	case "attach":
		var req schema.VolumeActionAttachVolumeRequest
		if e := decode(r, &req); e != nil {
			return 0, nil, e
		}
		srv, ok := s.servers[req.Server]
		if !ok {
			return 0, nil, notFound("server", req.Server)
		}
		if v.Server != nil {
			return 0, nil, errf(http.StatusUnprocessableEntity, "volume_already_attached", "volume %d is already attached to server %d", id, *v.Server)
		}
		if srv.s.Location.Name != v.Location.Name {
			return 0, nil, invalid("server", "server %d is in %s, the volume in %s", srv.s.ID, srv.s.Location.Name, v.Location.Name)
		}
		if e := s.locked("server", srv.s.ID); e != nil {
			return 0, nil, e
		}
		a := s.newAction("attach_volume", s.attachEffect(id, srv.s.ID), ref("volume", id), ref("server", srv.s.ID))
		return http.StatusCreated, schema.VolumeActionAttachVolumeResponse{Action: a.a}, nil
	case "detach":
		if v.Server == nil {
			return 0, nil, errf(http.StatusUnprocessableEntity, "invalid_input", "volume %d is not attached", id)
		}
		res := []schema.ActionResourceReference{ref("volume", id), ref("server", *v.Server)}
		a := s.newAction("detach_volume", func(ok bool) {
			if ok {
				s.detach(s.volumes[id])
			}
		}, res...)
		return http.StatusCreated, schema.VolumeActionDetachVolumeResponse{Action: a.a}, nil
	default:
		return 0, nil, notServed("volume", name)
	}
}

// Volumes returns the volumes as the API shows them, in id order.
func (s *Server) Volumes() []schema.Volume {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	return all(s.volumes)
}

// FloatingIPs returns the floating IPs as the API shows them, in id order.
func (s *Server) FloatingIPs() []schema.FloatingIP {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	return all(s.floatingIPs)
}

// Firewalls returns the firewalls as the API shows them, in id order.
func (s *Server) Firewalls() []schema.Firewall {
	s.mu.Lock()
	defer s.mu.Unlock()
	return all(s.firewalls)
}

// Images returns the images as the API shows them, in id order.
func (s *Server) Images() []schema.Image {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	return all(s.images)
}
