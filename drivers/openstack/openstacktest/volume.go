package openstacktest

import (
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// volume is a Cinder volume with its attachment and pending change.
type volume struct {
	id, name, description, zone, status, snapshot string
	size                                          int
	metadata                                      map[string]string
	created, updated                              time.Time
	// server, device, attachmentID and attached describe the attachment,
	// set while the volume is in-use or detaching.
	server, device, attachmentID string
	attached                     time.Time
	next                         *volumeChange
}

// volumeChange is the status a volume (or snapshot) reaches by itself.
type volumeChange struct {
	at     time.Time
	status string
	gone   bool
	then   func()
}

// snapshot is a Cinder snapshot.
type snapshot struct {
	id, name, description, volume, status string
	size                                  int
	metadata                              map[string]string
	created, updated                      time.Time
	next                                  *volumeChange
}

// cinderTime is Cinder's timestamp format (microseconds, no zone).
func cinderTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// advanceVolume applies a volume's due change; c.mu is held. It reports
// false when the volume is gone. A volume attached to a server that is
// gone is available again, as Nova detaches a deleted server's volumes.
func (c *Cloud) advanceVolume(v *volume) bool {
	if v.server != "" {
		if s, ok := c.servers[v.server]; !ok || !c.advance(s) {
			c.detachAll(v.server)
		}
	}
	for v.next != nil && !time.Now().Before(v.next.at) {
		n := v.next
		v.next = nil
		if n.gone {
			delete(c.volumes, v.id)
			return false
		}
		v.status, v.updated = n.status, n.at
		if n.then != nil {
			n.then()
		}
	}
	return true
}

// advanceSnapshot applies a snapshot's due change; c.mu is held.
func (c *Cloud) advanceSnapshot(s *snapshot) bool {
	for s.next != nil && !time.Now().Before(s.next.at) {
		n := s.next
		s.next = nil
		if n.gone {
			delete(c.snapshots, s.id)
			return false
		}
		s.status, s.updated = n.status, n.at
	}
	return true
}

// volumeLater schedules a volume's next status one step from now.
func (c *Cloud) volumeLater(v *volume, status string, then func()) {
	v.next = &volumeChange{at: time.Now().Add(c.step), status: status, then: then}
}

// VolumeCount is the number of volumes the project has, whatever their
// status.
func (c *Cloud) VolumeCount() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, v := range c.volumes {
		if c.advanceVolume(v) {
			n++
		}
	}
	return n
}

// volumeJSON is a volume's detail as Cinder v3 (microversion 3.0) shows
// it.
func (c *Cloud) volumeJSON(v *volume) map[string]any {
	href := c.srv.URL + "/volume/v3/" + ProjectID + "/volumes/" + v.id
	atts := []map[string]any{}
	if v.server != "" && (v.status == "in-use" || v.status == "detaching") {
		atts = append(atts, map[string]any{"server_id": v.server, "attachment_id": v.attachmentID,
			"attached_at": cinderTime(v.attached), "host_name": nil, "volume_id": v.id, "device": v.device, "id": v.id})
	}
	meta := v.metadata
	if meta == nil {
		meta = map[string]string{}
	}
	var snap, desc any
	if v.snapshot != "" {
		snap = v.snapshot
	}
	if v.description != "" {
		desc = v.description
	}
	return map[string]any{
		"id": v.id, "name": v.name, "description": desc, "status": v.status, "size": v.size,
		"availability_zone": v.zone, "created_at": cinderTime(v.created), "updated_at": cinderTime(v.updated),
		"attachments": atts, "volume_type": "lvmdriver-1", "snapshot_id": snap, "source_volid": nil,
		"metadata": meta, "user_id": UserID, "bootable": "false", "encrypted": false, "replication_status": nil,
		"consistencygroup_id": nil, "multiattach": false, "migration_status": nil,
		"os-vol-tenant-attr:tenant_id": ProjectID,
		"links":                        []map[string]any{{"href": href, "rel": "self"}, {"href": strings.Replace(href, "/v3", "", 1), "rel": "bookmark"}},
	}
}

// snapshotJSON is a snapshot's detail as Cinder v3 (3.0) shows it.
func snapshotJSON(s *snapshot) map[string]any {
	meta := s.metadata
	if meta == nil {
		meta = map[string]string{}
	}
	var desc any
	if s.description != "" {
		desc = s.description
	}
	progress := "0%"
	if s.status == "available" {
		progress = "100%"
	}
	return map[string]any{
		"id": s.id, "name": s.name, "description": desc, "volume_id": s.volume, "status": s.status, "size": s.size,
		"created_at": cinderTime(s.created), "updated_at": cinderTime(s.updated), "metadata": meta,
		"os-extended-snapshot-attributes:progress":   progress,
		"os-extended-snapshot-attributes:project_id": ProjectID,
	}
}

// serveVolume is Cinder v3 under /volume/v3/{project_id}.
func (c *Cloud) serveVolume(w http.ResponseWriter, r *http.Request, path string) {
	w.Header().Set("OpenStack-API-Version", "volume 3.0")
	w.Header().Add("Vary", "OpenStack-API-Version")
	project, rest, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if project != ProjectID {
		fault(w, http.StatusForbidden, "forbidden", "Policy doesn't allow this operation to be performed.")
		return
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	switch parts[0] {
	case "volumes":
		c.serveVolumes(w, r, parts)
	case "snapshots":
		c.serveSnapshots(w, r, parts)
	default:
		fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
	}
}

func (c *Cloud) serveVolumes(w http.ResponseWriter, r *http.Request, parts []string) {
	m := r.Method
	switch {
	case len(parts) == 1 && m == http.MethodPost:
		c.createVolume(w, r)
	case (len(parts) == 1 || (len(parts) == 2 && parts[1] == "detail")) && m == http.MethodGet:
		c.listVolumes(w, r, len(parts) == 2)
	case len(parts) == 2 && m == http.MethodGet:
		c.mu.Lock()
		defer c.mu.Unlock()
		if v := c.findVolume(w, parts[1]); v != nil {
			writeJSON(w, http.StatusOK, map[string]any{"volume": c.volumeJSON(v)})
		}
	case len(parts) == 2 && m == http.MethodDelete:
		c.mu.Lock()
		defer c.mu.Unlock()
		v := c.findVolume(w, parts[1])
		if v == nil {
			return
		}
		switch v.status {
		case "available", "error", "error_restoring", "error_extending", "error_managing":
		default:
			fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.")
			return
		}
		for _, s := range c.snapshots {
			if s.volume == v.id && c.advanceSnapshot(s) {
				fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: Volume %s still has dependent snapshots.", v.id)
				return
			}
		}
		v.status = "deleting"
		v.next = &volumeChange{at: time.Now().Add(c.step), gone: true}
		w.WriteHeader(http.StatusAccepted)
	default:
		fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
	}
}

// findVolume returns a volume brought up to date, or answers itemNotFound
// and returns nil; c.mu is held.
func (c *Cloud) findVolume(w http.ResponseWriter, id string) *volume {
	v, ok := c.volumes[id]
	if !ok || !c.advanceVolume(v) {
		fault(w, http.StatusNotFound, "itemNotFound", "Volume %s could not be found.", id)
		return nil
	}
	return v
}

// checkMetadata answers badRequest for a name or metadata Cinder refuses.
func checkMetadata(w http.ResponseWriter, name string, meta map[string]string) bool {
	if len(name) > 255 {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: name has more than 255 characters.")
		return false
	}
	for k, v := range meta {
		if k == "" || len(k) > 255 || len(v) > 255 {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: metadata keys and values must be 1 to 255 characters.")
			return false
		}
	}
	return true
}

func (c *Cloud) createVolume(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Volume *struct {
			Name             string            `json:"name"`
			Description      string            `json:"description"`
			Size             *int              `json:"size"`
			AvailabilityZone string            `json:"availability_zone"`
			SnapshotID       string            `json:"snapshot_id"`
			Metadata         map[string]string `json:"metadata"`
		} `json:"volume"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Volume == nil {
		fault(w, http.StatusBadRequest, "badRequest", "Missing required element 'volume' in request body.")
		return
	}
	in := req.Volume
	if !checkMetadata(w, in.Name, in.Metadata) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	size := 0
	if in.SnapshotID != "" {
		s, ok := c.snapshots[in.SnapshotID]
		if !ok || !c.advanceSnapshot(s) {
			fault(w, http.StatusNotFound, "itemNotFound", "Snapshot %s could not be found.", in.SnapshotID)
			return
		}
		if s.status != "available" {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid snapshot: Originating snapshot status must be one of 'available' values")
			return
		}
		size = s.size
	}
	switch {
	case in.Size != nil && *in.Size < 1:
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: 'size' parameter must be an integer greater than 0.")
		return
	case in.Size != nil && *in.Size < size:
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: Volume size '%d'GB cannot be smaller than the snapshot size %dGB. They must be >= original snapshot size.", *in.Size, size)
		return
	case in.Size != nil:
		size = *in.Size
	case size == 0:
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: Size of volume must be specified.")
		return
	}
	zone := in.AvailabilityZone
	if zone == "" {
		zone = "nova"
	} else if !c.knownZone(zone) {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: Availability zone '%s' is invalid.", zone)
		return
	}
	now := time.Now()
	v := &volume{id: newID(), name: in.Name, description: in.Description, zone: zone, status: "creating",
		snapshot: in.SnapshotID, size: size, metadata: in.Metadata, created: now, updated: now}
	c.volumes[v.id] = v
	c.volumeLater(v, "available", nil)
	writeJSON(w, http.StatusAccepted, map[string]any{"volume": c.volumeJSON(v)})
}

// knownZone reports whether zone is one of the cloud's; c.mu is held.
func (c *Cloud) knownZone(zone string) bool {
	for _, z := range c.zones {
		if z == zone {
			return true
		}
	}
	return false
}

func (c *Cloud) listVolumes(w http.ResponseWriter, r *http.Request, detail bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var list []*volume
	q := r.URL.Query()
	for _, v := range c.volumes {
		if !c.advanceVolume(v) {
			continue
		}
		if st := q.Get("status"); st != "" && st != v.status {
			continue
		}
		if n := q.Get("name"); n != "" && n != v.name {
			continue
		}
		list = append(list, v)
	}
	// Cinder sorts by created_at desc, then id desc.
	sort.Slice(list, func(i, j int) bool {
		if !list[i].created.Equal(list[j].created) {
			return list[i].created.After(list[j].created)
		}
		return list[i].id > list[j].id
	})
	ids := make([]string, len(list))
	byID := map[string]*volume{}
	for i, v := range list {
		ids[i], byID[v.id] = v.id, v
	}
	path := "/volume/v3/" + ProjectID + "/volumes"
	if detail {
		path += "/detail"
	}
	c.listPage(w, r, ids, "volumes", path, func(id string) map[string]any {
		v := c.volumeJSON(byID[id])
		if !detail {
			return map[string]any{"id": v["id"], "name": v["name"], "links": v["links"]}
		}
		return v
	})
}

func (c *Cloud) serveSnapshots(w http.ResponseWriter, r *http.Request, parts []string) {
	m := r.Method
	switch {
	case len(parts) == 1 && m == http.MethodPost:
		c.createSnapshot(w, r)
	case (len(parts) == 1 || (len(parts) == 2 && parts[1] == "detail")) && m == http.MethodGet:
		c.listSnapshots(w, r, len(parts) == 2)
	case len(parts) == 2 && m == http.MethodGet:
		c.mu.Lock()
		defer c.mu.Unlock()
		if s := c.findSnapshot(w, parts[1]); s != nil {
			writeJSON(w, http.StatusOK, map[string]any{"snapshot": snapshotJSON(s)})
		}
	case len(parts) == 2 && m == http.MethodDelete:
		c.mu.Lock()
		defer c.mu.Unlock()
		s := c.findSnapshot(w, parts[1])
		if s == nil {
			return
		}
		if s.status != "available" && s.status != "error" {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid snapshot: Snapshot status must be available or error and must not be part of a group.")
			return
		}
		s.status = "deleting"
		s.next = &volumeChange{at: time.Now().Add(c.step), gone: true}
		w.WriteHeader(http.StatusAccepted)
	default:
		fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
	}
}

// findSnapshot returns a snapshot brought up to date, or answers
// itemNotFound and returns nil; c.mu is held.
func (c *Cloud) findSnapshot(w http.ResponseWriter, id string) *snapshot {
	s, ok := c.snapshots[id]
	if !ok || !c.advanceSnapshot(s) {
		fault(w, http.StatusNotFound, "itemNotFound", "Snapshot %s could not be found.", id)
		return nil
	}
	return s
}

func (c *Cloud) createSnapshot(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Snapshot *struct {
			VolumeID    string            `json:"volume_id"`
			Name        string            `json:"name"`
			Description string            `json:"description"`
			Force       bool              `json:"force"`
			Metadata    map[string]string `json:"metadata"`
		} `json:"snapshot"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Snapshot == nil || req.Snapshot.VolumeID == "" {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: 'volume_id' must be specified.")
		return
	}
	in := req.Snapshot
	if !checkMetadata(w, in.Name, in.Metadata) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.findVolume(w, in.VolumeID)
	if v == nil {
		return
	}
	if v.status != "available" && !(v.status == "in-use" && in.Force) {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: Volume %s status must be available, but current status is: %s.", v.id, v.status)
		return
	}
	now := time.Now()
	s := &snapshot{id: newID(), name: in.Name, description: in.Description, volume: v.id, status: "creating",
		size: v.size, metadata: in.Metadata, created: now, updated: now}
	c.snapshots[s.id] = s
	s.next = &volumeChange{at: now.Add(c.step), status: "available"}
	writeJSON(w, http.StatusAccepted, map[string]any{"snapshot": snapshotJSON(s)})
}

func (c *Cloud) listSnapshots(w http.ResponseWriter, r *http.Request, detail bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var list []*snapshot
	q := r.URL.Query()
	for _, s := range c.snapshots {
		if !c.advanceSnapshot(s) {
			continue
		}
		if vid := q.Get("volume_id"); vid != "" && vid != s.volume {
			continue
		}
		list = append(list, s)
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].created.Equal(list[j].created) {
			return list[i].created.After(list[j].created)
		}
		return list[i].id > list[j].id
	})
	ids := make([]string, len(list))
	byID := map[string]*snapshot{}
	for i, s := range list {
		ids[i], byID[s.id] = s.id, s
	}
	path := "/volume/v3/" + ProjectID + "/snapshots"
	if detail {
		path += "/detail"
	}
	c.listPage(w, r, ids, "snapshots", path, func(id string) map[string]any {
		s := snapshotJSON(byID[id])
		if !detail {
			return map[string]any{"id": s["id"], "name": s["name"], "volume_id": s["volume_id"], "status": s["status"],
				"size": s["size"], "created_at": s["created_at"], "description": s["description"], "metadata": s["metadata"]}
		}
		return s
	})
}

// deviceName is the form Nova accepts for a requested device.
var deviceName = regexp.MustCompile(`^/dev/[a-z]+[a-z0-9]*$`)
