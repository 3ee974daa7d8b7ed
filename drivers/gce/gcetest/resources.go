package gcetest

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"google.golang.org/api/compute/v1"
)

// diskByURL finds a disk by its URL or partial URL (…zones/Z/disks/NAME).
// Called with s.mu held.
func (s *Server) diskByURL(u string) *compute.Disk {
	i := strings.Index(u, "zones/")
	if i < 0 {
		return nil
	}
	parts := strings.Split(u[i:], "/")
	if len(parts) != 4 || parts[2] != "disks" {
		return nil
	}
	return s.disks[parts[1]+"/"+parts[3]]
}

// list answers one page of a filtered listing of a map's values whose keys
// start with prefix; only the page's items are copied.
func list[T any](s *Server, w http.ResponseWriter, r *http.Request, m map[string]*T, prefix string,
	nameLabels func(*T) (string, map[string]string), answer func(items []*T, next string) any) {
	f, ok := parseFilter(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	var keys []string
	for _, k := range sortedKeys(m) {
		if strings.HasPrefix(k, prefix) {
			if name, labels := nameLabels(m[k]); f.match(name, labels) {
				keys = append(keys, k)
			}
		}
	}
	s.mu.Unlock()
	from, to, next, ok := s.page(w, r, len(keys))
	if !ok {
		return
	}
	var items []*T
	s.mu.Lock()
	for _, k := range keys[from:to] {
		if v := m[k]; v != nil {
			items = append(items, clone(v))
		}
	}
	s.mu.Unlock()
	writeJSON(w, answer(items, next))
}

// get answers one resource of a map, or a 404.
func get[T any](s *Server, w http.ResponseWriter, m map[string]*T, key, what string) {
	s.mu.Lock()
	v := m[key]
	if v != nil {
		v = clone(v)
	}
	s.mu.Unlock()
	if v == nil {
		notFound(w, what)
		return
	}
	writeJSON(w, v)
}

// zonal is the map key and resource path of the zonal resource of a kind
// ("disks") a request names.
func zonal(r *http.Request, kind string) (key, path string) {
	zone, name := r.PathValue("zone"), r.PathValue("name")
	return zone + "/" + name, "projects/" + Project + "/zones/" + zone + "/" + kind + "/" + name
}

// insertOp answers the insert operation, in scope, of the resource at
// link, which sets *status to final when it ends.
func (s *Server) insertOp(w http.ResponseWriter, scope, link string, status *string, final string) {
	writeJSON(w, s.startOp(scope, "insert", link, func() *opFailure {
		*status = final
		return nil
	}))
}

// deleteOp answers the delete of the resource m[key]: a 404 naming what
// when there is none; else start — which may refuse it, answering its own
// error and returning "" — returns its selfLink, and an operation in scope
// removes it when it ends, then calls gone (nil: nothing). start and gone
// run with s.mu held.
func deleteOp[T any](s *Server, w http.ResponseWriter, m map[string]*T, key, what, scope string,
	start func(*T) (selfLink string), gone func(*T)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := m[key]
	if v == nil {
		notFound(w, what)
		return
	}
	link := start(v)
	if link == "" {
		return
	}
	writeJSON(w, s.startOp(scope, "delete", link, func() *opFailure {
		if m[key] == v {
			delete(m, key)
			if gone != nil {
				gone(v)
			}
		}
		return nil
	}))
}

func (s *Server) listDisks(w http.ResponseWriter, r *http.Request) {
	if !zoneOK(w, r) {
		return
	}
	list(s, w, r, s.disks, r.PathValue("zone")+"/", func(d *compute.Disk) (string, map[string]string) { return d.Name, d.Labels },
		func(items []*compute.Disk, next string) any {
			return &compute.DiskList{Kind: "compute#diskList", Items: items, NextPageToken: next}
		})
}

func (s *Server) getDisk(w http.ResponseWriter, r *http.Request) {
	if zoneOK(w, r) {
		key, path := zonal(r, "disks")
		get(s, w, s.disks, key, path)
	}
}

func (s *Server) insertDisk(w http.ResponseWriter, r *http.Request) {
	var d compute.Disk
	if !zoneOK(w, r) || !decode(w, r, &d) || !validName(w, d.Name) {
		return
	}
	zone := r.PathValue("zone")
	s.mu.Lock()
	defer s.mu.Unlock()
	key := zone + "/" + d.Name
	if s.disks[key] != nil {
		alreadyExists(w, "projects/"+Project+"/zones/"+zone+"/disks/"+d.Name)
		return
	}
	if d.SourceSnapshot != "" {
		sn := s.snapshots[last(d.SourceSnapshot)]
		if sn == nil {
			notFound(w, d.SourceSnapshot)
			return
		}
		d.SizeGb = max(d.SizeGb, sn.DiskSizeGb)
	}
	if d.SizeGb < 1 || d.SizeGb > 65536 {
		googleError(w, http.StatusBadRequest, "invalid", fmt.Sprintf("Invalid value for field 'resource.sizeGb': '%d'.", d.SizeGb))
		return
	}
	d.Kind, d.Status, d.Zone = "compute#disk", "CREATING", s.zoneURL(zone)
	if d.Type == "" {
		d.Type = s.zoneURL(zone) + "/diskTypes/pd-balanced"
	}
	d.CreationTimestamp, d.SelfLink = time.Now().UTC().Format(time.RFC3339), s.zoneURL(zone)+"/disks/"+d.Name
	s.disks[key] = &d
	s.insertOp(w, zone, d.SelfLink, &d.Status, "READY")
}

func (s *Server) deleteDisk(w http.ResponseWriter, r *http.Request) {
	if !zoneOK(w, r) {
		return
	}
	key, path := zonal(r, "disks")
	deleteOp(s, w, s.disks, key, path, r.PathValue("zone"), func(d *compute.Disk) string {
		if len(d.Users) > 0 {
			googleError(w, http.StatusBadRequest, "resourceInUseByAnotherResource",
				"The disk resource '"+d.SelfLink+"' is already being used by '"+d.Users[0]+"'")
			return ""
		}
		d.Status = "DELETING"
		return d.SelfLink
	}, nil)
}

func (s *Server) listSnapshots(w http.ResponseWriter, r *http.Request) {
	list(s, w, r, s.snapshots, "", func(v *compute.Snapshot) (string, map[string]string) { return v.Name, v.Labels },
		func(items []*compute.Snapshot, next string) any {
			return &compute.SnapshotList{Kind: "compute#snapshotList", Items: items, NextPageToken: next}
		})
}

func (s *Server) getSnapshot(w http.ResponseWriter, r *http.Request) {
	get(s, w, s.snapshots, r.PathValue("name"), "projects/"+Project+"/global/snapshots/"+r.PathValue("name"))
}

func (s *Server) insertSnapshot(w http.ResponseWriter, r *http.Request) {
	var sn compute.Snapshot
	if !decode(w, r, &sn) || !validName(w, sn.Name) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.snapshots[sn.Name] != nil {
		alreadyExists(w, "projects/"+Project+"/global/snapshots/"+sn.Name)
		return
	}
	d := s.diskByURL(sn.SourceDisk)
	if d == nil {
		notFound(w, sn.SourceDisk)
		return
	}
	sn.Kind, sn.Status, sn.DiskSizeGb, sn.SourceDisk = "compute#snapshot", "CREATING", d.SizeGb, d.SelfLink
	sn.CreationTimestamp, sn.SelfLink = time.Now().UTC().Format(time.RFC3339), s.globalURL()+"/snapshots/"+sn.Name
	s.snapshots[sn.Name] = &sn
	s.insertOp(w, "global", sn.SelfLink, &sn.Status, "READY")
}

func (s *Server) deleteSnapshot(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	deleteOp(s, w, s.snapshots, name, "projects/"+Project+"/global/snapshots/"+name, "global", func(sn *compute.Snapshot) string {
		sn.Status = "DELETING"
		return sn.SelfLink
	}, nil)
}

func (s *Server) listFirewalls(w http.ResponseWriter, r *http.Request) {
	list(s, w, r, s.firewalls, "", func(v *compute.Firewall) (string, map[string]string) { return v.Name, nil },
		func(items []*compute.Firewall, next string) any {
			return &compute.FirewallList{Kind: "compute#firewallList", Items: items, NextPageToken: next}
		})
}

func (s *Server) getFirewall(w http.ResponseWriter, r *http.Request) {
	get(s, w, s.firewalls, r.PathValue("name"), "projects/"+Project+"/global/firewalls/"+r.PathValue("name"))
}

func (s *Server) insertFirewall(w http.ResponseWriter, r *http.Request) {
	var fw compute.Firewall
	if !decode(w, r, &fw) || !validName(w, fw.Name) {
		return
	}
	if len(fw.Allowed) == 0 && len(fw.Denied) == 0 {
		googleError(w, http.StatusBadRequest, "invalid", "Exactly one of 'allowed' or 'denied' must be specified.")
		return
	}
	if len(fw.SourceRanges) == 0 && len(fw.SourceTags) == 0 {
		fw.SourceRanges = []string{"0.0.0.0/0"}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.firewalls[fw.Name] != nil {
		alreadyExists(w, "projects/"+Project+"/global/firewalls/"+fw.Name)
		return
	}
	fw.Kind, fw.SelfLink = "compute#firewall", s.globalURL()+"/firewalls/"+fw.Name
	fw.CreationTimestamp = time.Now().UTC().Format(time.RFC3339)
	if fw.Direction == "" {
		fw.Direction = "INGRESS"
	}
	if fw.Network == "" {
		fw.Network = s.globalURL() + "/networks/default"
	}
	stored := &fw
	writeJSON(w, s.startOp("global", "insert", stored.SelfLink, func() *opFailure {
		s.firewalls[stored.Name] = stored
		return nil
	}))
}

func (s *Server) deleteFirewall(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	deleteOp(s, w, s.firewalls, name, "projects/"+Project+"/global/firewalls/"+name, "global",
		func(fw *compute.Firewall) string { return fw.SelfLink }, nil)
}

// regionOK answers 404 for a region other than the fake's.
func regionOK(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("region") != Region {
		notFound(w, "projects/"+Project+"/regions/"+r.PathValue("region"))
		return false
	}
	return true
}

func (s *Server) listAddresses(w http.ResponseWriter, r *http.Request) {
	if !regionOK(w, r) {
		return
	}
	list(s, w, r, s.addresses, "", func(v *compute.Address) (string, map[string]string) { return v.Name, v.Labels },
		func(items []*compute.Address, next string) any {
			return &compute.AddressList{Kind: "compute#addressList", Items: items, NextPageToken: next}
		})
}

func (s *Server) getAddress(w http.ResponseWriter, r *http.Request) {
	if regionOK(w, r) {
		get(s, w, s.addresses, r.PathValue("name"), "projects/"+Project+"/regions/"+Region+"/addresses/"+r.PathValue("name"))
	}
}

func (s *Server) insertAddress(w http.ResponseWriter, r *http.Request) {
	var a compute.Address
	if !regionOK(w, r) || !decode(w, r, &a) || !validName(w, a.Name) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.addresses[a.Name] != nil {
		alreadyExists(w, "projects/"+Project+"/regions/"+Region+"/addresses/"+a.Name)
		return
	}
	s.seq++
	a.Kind, a.Status, a.Region = "compute#address", "RESERVING", s.regionURL(Region)
	a.Address = fmt.Sprintf("35.2.%d.%d", s.seq/250, s.seq%250+1)
	a.AddressType = "EXTERNAL"
	a.CreationTimestamp, a.SelfLink = time.Now().UTC().Format(time.RFC3339), s.regionURL(Region)+"/addresses/"+a.Name
	s.addresses[a.Name] = &a
	s.insertOp(w, Region, a.SelfLink, &a.Status, "RESERVED")
}

func (s *Server) deleteAddress(w http.ResponseWriter, r *http.Request) {
	if !regionOK(w, r) {
		return
	}
	name := r.PathValue("name")
	deleteOp(s, w, s.addresses, name, "projects/"+Project+"/regions/"+Region+"/addresses/"+name, Region, func(a *compute.Address) string {
		if len(a.Users) > 0 {
			googleError(w, http.StatusBadRequest, "resourceInUseByAnotherResource",
				"The address resource '"+a.SelfLink+"' is already being used by '"+a.Users[0]+"'")
			return ""
		}
		return a.SelfLink
	}, nil)
}
