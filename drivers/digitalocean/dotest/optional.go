package dotest

import (
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/digitalocean/godo"
)

// Fingerprint is the MD5 fingerprint DigitalOcean gives an OpenSSH public
// key ("aa:bb:…"); "" for a key it cannot read.
func Fingerprint(publicKey string) string {
	f := strings.Fields(publicKey)
	if len(f) < 2 || !strings.HasPrefix(f[0], "ssh-") && !strings.HasPrefix(f[0], "ecdsa-") {
		return ""
	}
	blob, err := base64.StdEncoding.DecodeString(f[1])
	if err != nil || len(blob) < 8 {
		return ""
	}
	sum := md5.Sum(blob)
	hex := make([]string, len(sum))
	for i, b := range sum {
		hex[i] = fmt.Sprintf("%02x", b)
	}
	return strings.Join(hex, ":")
}

func (s *Server) keyRoutes(mux *http.ServeMux) {
	s.route(mux, "GET /v2/account/keys", func(r *http.Request) (int, any) {
		return listed(r, "ssh_keys", values(s.keys))
	})
	s.route(mux, "GET /v2/account/keys/{id}", func(r *http.Request) (int, any) {
		k := s.key(r.PathValue("id"))
		if k == nil {
			return notFound()
		}
		return 200, map[string]any{"ssh_key": k}
	})
	s.route(mux, "POST /v2/account/keys", func(r *http.Request) (int, any) {
		var req godo.KeyCreateRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		fp := Fingerprint(req.PublicKey)
		if req.Name == "" || fp == "" {
			return unprocessable("Key invalid, key should be of the form 'type key [comment]'")
		}
		for _, k := range s.keys {
			if k.Fingerprint == fp {
				return unprocessable("SSH Key is already in use on your account")
			}
		}
		k := &godo.Key{ID: s.id(), Name: req.Name, Fingerprint: fp, PublicKey: strings.TrimSpace(req.PublicKey)}
		s.keys[k.ID] = k
		return 201, map[string]any{"ssh_key": k}
	})
	s.route(mux, "DELETE /v2/account/keys/{id}", func(r *http.Request) (int, any) {
		k := s.key(r.PathValue("id"))
		if k == nil {
			return notFound()
		}
		delete(s.keys, k.ID)
		return http.StatusNoContent, nil
	})
}

func (s *Server) key(idOrFingerprint string) *godo.Key {
	if n, err := strconv.Atoi(idOrFingerprint); err == nil {
		return s.keys[n]
	}
	for _, k := range s.keys {
		if k.Fingerprint == idOrFingerprint {
			return k
		}
	}
	return nil
}

// validRules checks rules the way the API does: a known protocol, ports
// ("22", "8000-9000", "all" or "" for icmp) and addresses that parse.
func validRules(in []godo.InboundRule, out []godo.OutboundRule) bool {
	check := func(proto, ports string, addrs []string) bool {
		switch proto {
		case "tcp", "udp":
			if ports == "" {
				return false
			}
		case "icmp":
		default:
			return false
		}
		for _, a := range addrs {
			if _, err := netip.ParsePrefix(a); err != nil {
				if _, err := netip.ParseAddr(a); err != nil {
					return false
				}
			}
		}
		return true
	}
	for _, r := range in {
		if r.Sources == nil || !check(r.Protocol, r.PortRange, r.Sources.Addresses) {
			return false
		}
	}
	for _, r := range out {
		if r.Destinations == nil || !check(r.Protocol, r.PortRange, r.Destinations.Addresses) {
			return false
		}
	}
	return true
}

func (s *Server) firewallRoutes(mux *http.ServeMux) {
	s.route(mux, "GET /v2/firewalls", func(r *http.Request) (int, any) {
		return listed(r, "firewalls", values(s.fws))
	})
	s.route(mux, "GET /v2/firewalls/{id}", func(r *http.Request) (int, any) {
		return one(s.fws, r.PathValue("id"), "firewall")
	})
	s.route(mux, "POST /v2/firewalls", func(r *http.Request) (int, any) {
		var req godo.FirewallRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		if req.Name == "" || len(req.Name) > 255 || !validRules(req.InboundRules, req.OutboundRules) {
			return unprocessable("invalid firewall request")
		}
		fw := &godo.Firewall{ID: fmt.Sprintf("fw-%08d", s.id()), Name: req.Name, Status: "succeeded",
			InboundRules: req.InboundRules, OutboundRules: req.OutboundRules, DropletIDs: req.DropletIDs,
			Tags: req.Tags, Created: now(), PendingChanges: []godo.PendingChange{}}
		if fw.InboundRules == nil {
			fw.InboundRules = []godo.InboundRule{}
		}
		if fw.OutboundRules == nil {
			fw.OutboundRules = []godo.OutboundRule{}
		}
		s.fws[fw.ID] = fw
		return 202, map[string]any{"firewall": fw}
	})
	s.route(mux, "DELETE /v2/firewalls/{id}", func(r *http.Request) (int, any) {
		return remove(s.fws, r.PathValue("id"))
	})
	rules := func(add bool) handler {
		return func(r *http.Request) (int, any) {
			fw, ok := s.fws[r.PathValue("id")]
			if !ok {
				return notFound()
			}
			var req godo.FirewallRulesRequest
			if e := decode(r, &req); e != nil {
				return 0, *e
			}
			if !validRules(req.InboundRules, req.OutboundRules) {
				return unprocessable("invalid rules")
			}
			if add {
				fw.InboundRules = append(fw.InboundRules, req.InboundRules...)
				fw.OutboundRules = append(fw.OutboundRules, req.OutboundRules...)
				return http.StatusNoContent, nil
			}
			for _, x := range req.InboundRules {
				fw.InboundRules = slices.DeleteFunc(fw.InboundRules, func(y godo.InboundRule) bool {
					return x.Protocol == y.Protocol && x.PortRange == y.PortRange && slices.Equal(x.Sources.Addresses, y.Sources.Addresses)
				})
			}
			for _, x := range req.OutboundRules {
				fw.OutboundRules = slices.DeleteFunc(fw.OutboundRules, func(y godo.OutboundRule) bool {
					return x.Protocol == y.Protocol && x.PortRange == y.PortRange && slices.Equal(x.Destinations.Addresses, y.Destinations.Addresses)
				})
			}
			return http.StatusNoContent, nil
		}
	}
	s.route(mux, "POST /v2/firewalls/{id}/rules", rules(true))
	s.route(mux, "DELETE /v2/firewalls/{id}/rules", rules(false))
}

func (s *Server) reservedIPRoutes(mux *http.ServeMux) {
	s.route(mux, "GET /v2/reserved_ips", func(r *http.Request) (int, any) {
		return listed(r, "reserved_ips", values(s.ips))
	})
	s.route(mux, "GET /v2/reserved_ips/{ip}", func(r *http.Request) (int, any) {
		return one(s.ips, r.PathValue("ip"), "reserved_ip")
	})
	s.route(mux, "POST /v2/reserved_ips", func(r *http.Request) (int, any) {
		var req godo.ReservedIPCreateRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		reg := regionOf(req.Region)
		if !reg.Available {
			return unprocessable("region is not available")
		}
		n := s.id()
		ip := &godo.ReservedIP{Region: &reg, IP: fmt.Sprintf("198.51.%d.%d", n/250%250, n%250+1), ProjectID: "fake-project"}
		s.ips[ip.IP] = ip
		return 202, map[string]any{"reserved_ip": ip}
	})
	s.route(mux, "DELETE /v2/reserved_ips/{ip}", func(r *http.Request) (int, any) {
		return remove(s.ips, r.PathValue("ip"))
	})
	s.route(mux, "POST /v2/reserved_ips/{ip}/actions", func(r *http.Request) (int, any) {
		ip, ok := s.ips[r.PathValue("ip")]
		if !ok {
			return notFound()
		}
		var req actionRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		var a *action
		switch req.Type {
		case "assign":
			d, ok := s.droplets[req.DropletID]
			if !ok {
				return unprocessable("Droplet not found")
			}
			a = s.startAction("assign_ip", "reserved_ip", 0, false, func() { cp := d.Droplet; ip.Droplet = &cp })
		case "unassign":
			if ip.Droplet == nil {
				return unprocessable("The reserved IP is not assigned.")
			}
			a = s.startAction("unassign_ip", "reserved_ip", 0, false, func() { ip.Droplet = nil })
		default:
			return unprocessable("unknown action type")
		}
		return 201, map[string]any{"action": a.Action}
	})
	s.route(mux, "GET /v2/reserved_ips/{ip}/actions/{aid}", func(r *http.Request) (int, any) { return s.getAction(r.PathValue("aid")) })
}

func (s *Server) volumeRoutes(mux *http.ServeMux) {
	s.route(mux, "GET /v2/volumes", func(r *http.Request) (int, any) {
		var all []godo.Volume
		for _, id := range slices.Sorted(maps.Keys(s.volumes)) {
			v := s.volumes[id]
			if n := r.URL.Query().Get("name"); n != "" && v.Name != n {
				continue
			}
			all = append(all, *v)
		}
		return listed(r, "volumes", all)
	})
	s.route(mux, "GET /v2/volumes/{id}", func(r *http.Request) (int, any) {
		return one(s.volumes, r.PathValue("id"), "volume")
	})
	s.route(mux, "POST /v2/volumes", func(r *http.Request) (int, any) {
		var req godo.VolumeCreateRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		if req.Name == "" || (req.SizeGigaBytes <= 0 && req.SnapshotID == "") || req.SizeGigaBytes > 16<<10 {
			return unprocessable("invalid volume request")
		}
		for _, v := range s.volumes {
			if v.Name == req.Name && v.Region.Slug == req.Region {
				return 0, errorf(http.StatusConflict, "conflict", "a volume with that name already exists")
			}
		}
		size := req.SizeGigaBytes
		if req.SnapshotID != "" {
			snap, ok := s.snaps[req.SnapshotID]
			if !ok {
				return unprocessable("snapshot not found")
			}
			size = max(size, int64(snap.MinDiskSize))
		}
		reg := regionOf(req.Region)
		v := &godo.Volume{ID: fmt.Sprintf("vol-%08d", s.id()), Region: &reg, Name: req.Name, SizeGigaBytes: size,
			Description: req.Description, DropletIDs: []int{}, CreatedAt: time.Now().UTC().Truncate(time.Second),
			FilesystemType: req.FilesystemType, Tags: req.Tags}
		s.tag(req.Tags)
		s.volumes[v.ID] = v
		return 201, map[string]any{"volume": v}
	})
	s.route(mux, "DELETE /v2/volumes/{id}", func(r *http.Request) (int, any) {
		v, ok := s.volumes[r.PathValue("id")]
		if !ok {
			return notFound()
		}
		if len(v.DropletIDs) > 0 {
			return 0, errorf(http.StatusConflict, "conflict", "volume is attached to a droplet")
		}
		delete(s.volumes, v.ID)
		return http.StatusNoContent, nil
	})
	s.route(mux, "POST /v2/volumes/{id}/actions", func(r *http.Request) (int, any) {
		v, ok := s.volumes[r.PathValue("id")]
		if !ok {
			return notFound()
		}
		var req actionRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		d, ok := s.droplets[req.DropletID]
		if !ok {
			return notFound()
		}
		var a *action
		switch req.Type {
		case "attach":
			if len(v.DropletIDs) > 0 {
				return unprocessable("volume is already attached")
			}
			a = s.startAction("attach_volume", "volume", 0, false, func() {
				v.DropletIDs = []int{d.ID}
				d.VolumeIDs = append(d.VolumeIDs, v.ID)
			})
		case "detach":
			if !slices.Contains(v.DropletIDs, d.ID) {
				return unprocessable("volume is not attached to this droplet")
			}
			a = s.startAction("detach_volume", "volume", 0, false, func() {
				v.DropletIDs = []int{}
				d.VolumeIDs = slices.DeleteFunc(d.VolumeIDs, func(x string) bool { return x == v.ID })
			})
		default:
			return unprocessable("unknown action type")
		}
		return 202, map[string]any{"action": a.Action}
	})
	s.route(mux, "GET /v2/volumes/{id}/actions/{aid}", func(r *http.Request) (int, any) { return s.getAction(r.PathValue("aid")) })
	s.route(mux, "POST /v2/volumes/{id}/snapshots", func(r *http.Request) (int, any) {
		v, ok := s.volumes[r.PathValue("id")]
		if !ok {
			return notFound()
		}
		var req godo.SnapshotCreateRequest
		if e := decode(r, &req); e != nil {
			return 0, *e
		}
		if req.Name == "" {
			return unprocessable("name is required")
		}
		snap := &godo.Snapshot{ID: fmt.Sprintf("snap-%08d", s.id()), Name: req.Name, ResourceID: v.ID, ResourceType: "volume",
			Regions: []string{v.Region.Slug}, MinDiskSize: int(v.SizeGigaBytes), SizeGigaBytes: 0.5, Created: now(), Tags: req.Tags}
		s.tag(req.Tags)
		s.snaps[snap.ID] = snap
		return 201, map[string]any{"snapshot": snap}
	})
	s.route(mux, "GET /v2/snapshots", func(r *http.Request) (int, any) {
		var all []godo.Snapshot
		for _, id := range slices.Sorted(maps.Keys(s.snaps)) {
			if rt := r.URL.Query().Get("resource_type"); rt == "" || rt == "volume" {
				all = append(all, *s.snaps[id])
			}
		}
		return listed(r, "snapshots", all)
	})
	s.route(mux, "GET /v2/snapshots/{id}", func(r *http.Request) (int, any) {
		return one(s.snaps, r.PathValue("id"), "snapshot")
	})
	s.route(mux, "DELETE /v2/snapshots/{id}", func(r *http.Request) (int, any) {
		return remove(s.snaps, r.PathValue("id"))
	})
}

// Resources lists what exists besides the catalogue — droplets, keys,
// firewalls, reserved IPs, volumes, snapshots and snapshot images — by kind
// and id, so a test can prove nothing was left behind.
func (s *Server) Resources() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advance()
	var out []string
	for id := range s.droplets {
		out = append(out, "droplet "+strconv.Itoa(id))
	}
	for id := range s.keys {
		out = append(out, "key "+strconv.Itoa(id))
	}
	for id := range s.fws {
		out = append(out, "firewall "+id)
	}
	for ip := range s.ips {
		out = append(out, "reserved_ip "+ip)
	}
	for id := range s.volumes {
		out = append(out, "volume "+id)
	}
	for id := range s.snaps {
		out = append(out, "snapshot "+id)
	}
	for id := range s.images {
		out = append(out, "image "+strconv.Itoa(id))
	}
	slices.Sort(out)
	return out
}

// actionRequest is the body of a volume or reserved IP action.
type actionRequest struct {
	Type      string `json:"type"`
	DropletID int    `json:"droplet_id"`
}
