package openstacktest

import (
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
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

// cinderTime is Cinder's timestamp format (microseconds, no zone) of a
// stored time: Cinder's MySQL DATETIME columns keep whole seconds, so what
// is read back always ends in .000000.
func cinderTime(t time.Time) string { return cinderMicro(t.Truncate(time.Second)) }

// cinderMicro is a time Cinder has not stored yet, in a create's answer:
// with its microseconds.
func cinderMicro(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000") }

// nullTime is a stored time that may not be set yet (null).
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return cinderTime(t)
}

// uuidLike is the form Cinder's request schemas accept for the ids of
// volumes and snapshots.
var uuidLike = regexp.MustCompile(`^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$`)

// metadataKey is the pattern of Cinder's metadata keys.
var metadataKey = regexp.MustCompile(`^[a-zA-Z0-9-_:. /]{1,255}$`)

// pyRepr renders a request value as Python shows it in Cinder's and Nova's
// schema errors ({'name': 'x', 'force': True}); keys in sorted order.
func pyRepr(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		if v {
			return "True"
		}
		return "False"
	case string:
		return "'" + v + "'"
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = "'" + k + "': " + pyRepr(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case map[string]string:
		m := map[string]any{}
		for k, x := range v {
			m[k] = x
		}
		return pyRepr(m)
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = pyRepr(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v)
}

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
		"availability_zone": v.zone, "created_at": cinderTime(v.created), "updated_at": nullTime(v.updated),
		"attachments": atts, "volume_type": "lvmdriver-1", "snapshot_id": snap, "source_volid": nil,
		"metadata": meta, "user_id": UserID, "bootable": "false", "encrypted": false, "replication_status": nil,
		"consistencygroup_id": nil, "multiattach": false,
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
		"created_at": cinderTime(s.created), "updated_at": nullTime(s.updated), "metadata": meta,
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
		// Cinder compares the URL's project with the token's.
		fault(w, http.StatusBadRequest, "badRequest", "Malformed request url")
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
		busy := false
		switch v.status {
		case "available", "error", "error_restoring", "error_extending", "error_managing":
		default:
			busy = true
		}
		for _, s := range c.snapshots {
			if s.volume == v.id && c.advanceSnapshot(s) {
				busy = true
			}
		}
		if busy { // one message for a status, an attachment or snapshots
			fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer.")
			return
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

// checkMetadata answers badRequest for a name or metadata Cinder refuses,
// with Cinder's messages.
func checkMetadata(w http.ResponseWriter, name string, meta map[string]string) bool {
	keys := make([]string, 0, len(meta))
	for k := range meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !metadataKey.MatchString(k) {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute metadata. Value: %s. '%s' does not match any of the regexes: '%s'",
				pyRepr(meta), k, metadataKey)
			return false
		}
		if v := meta[k]; len(v) > 255 {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute %s. Value: %s. '%s' is too long", k, v, v)
			return false
		}
	}
	if len(name) > 255 {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: name has %d characters, more than 255.", len(name))
		return false
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
		fault(w, http.StatusBadRequest, "badRequest", "'volume' is a required property")
		return
	}
	in := req.Volume
	if in.SnapshotID != "" && !uuidLike.MatchString(in.SnapshotID) {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute snapshot_id. Value: %s. '%s' is not valid under any of the given schemas", in.SnapshotID, in.SnapshotID)
		return
	}
	if in.Size != nil && *in.Size < 1 {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute size. Value: %d. %d is less than the minimum of 1", *in.Size, *in.Size)
		return
	}
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
	case in.Size != nil && *in.Size < size:
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input received: Volume size '%d'GB cannot be smaller than the snapshot size %dGB. They must be >= original snapshot size.", *in.Size, size)
		return
	case in.Size != nil:
		size = *in.Size
	case size == 0:
		fault(w, http.StatusBadRequest, "badRequest", "The server could not comply with the request since it is either malformed or otherwise incorrect.")
		return
	}
	zone := in.AvailabilityZone
	if zone == "" {
		zone = "nova"
	} else if !c.knownZone(zone) {
		fault(w, http.StatusBadRequest, "badRequest", "Availability zone '%s' is invalid.", zone)
		return
	}
	now := time.Now()
	v := &volume{id: newID(), name: in.Name, description: in.Description, zone: zone, status: "creating",
		snapshot: in.SnapshotID, size: size, metadata: in.Metadata, created: now.Truncate(time.Second)}
	c.volumes[v.id] = v
	c.volumeLater(v, "available", nil)
	// The answer is Cinder's object before it is stored: created_at with
	// its microseconds (a later read has whole seconds), no updated_at,
	// and not yet the tenant attribute.
	body := c.volumeJSON(v)
	body["created_at"], body["updated_at"] = cinderMicro(now), nil
	delete(body, "os-vol-tenant-attr:tenant_id")
	writeJSON(w, http.StatusAccepted, map[string]any{"volume": body})
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
	ids, byID := newestFirst(list)
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
		Snapshot map[string]any `json:"snapshot"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Snapshot == nil {
		fault(w, http.StatusBadRequest, "badRequest", "'snapshot' is a required property")
		return
	}
	str := func(k string) string { v, _ := req.Snapshot[k].(string); return v }
	volumeID, ok := req.Snapshot["volume_id"].(string)
	switch {
	case req.Snapshot["volume_id"] == nil:
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute snapshot. Value: %s. 'volume_id' is a required property", pyRepr(req.Snapshot))
		return
	case !ok || !uuidLike.MatchString(volumeID):
		v := pyRepr(req.Snapshot["volume_id"])
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute volume_id. Value: %s. %s is not valid under any of the given schemas", strings.Trim(v, "'"), v)
		return
	}
	force, _ := req.Snapshot["force"].(bool)
	meta := map[string]string{}
	if m, ok := req.Snapshot["metadata"].(map[string]any); ok {
		for k, v := range m {
			meta[k], _ = v.(string)
		}
	}
	if !checkMetadata(w, str("name"), meta) {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	v := c.findVolume(w, volumeID)
	if v == nil {
		return
	}
	if v.status != "available" && !(v.status == "in-use" && force) {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: Volume %s status must be available, but current status is: %s.", v.id, v.status)
		return
	}
	now := time.Now()
	s := &snapshot{id: newID(), name: str("name"), description: str("description"), volume: v.id, status: "creating",
		size: v.size, metadata: meta, created: now.Truncate(time.Second)}
	c.snapshots[s.id] = s
	s.next = &volumeChange{at: now.Add(c.step), status: "available"}
	// As for volumes: the answer precedes the store (microseconds, no
	// updated_at), and has no extended attributes yet.
	body := snapshotJSON(s)
	body["created_at"], body["updated_at"] = cinderMicro(now), nil
	delete(body, "os-extended-snapshot-attributes:progress")
	delete(body, "os-extended-snapshot-attributes:project_id")
	writeJSON(w, http.StatusAccepted, map[string]any{"snapshot": body})
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
	ids, byID := newestFirst(list)
	path := "/volume/v3/" + ProjectID + "/snapshots"
	if detail {
		path += "/detail"
	}
	c.listPage(w, r, ids, "snapshots", path, func(id string) map[string]any {
		s := snapshotJSON(byID[id])
		if !detail {
			return map[string]any{"id": s["id"], "name": s["name"], "volume_id": s["volume_id"], "status": s["status"],
				"size": s["size"], "created_at": s["created_at"], "updated_at": s["updated_at"], "description": s["description"],
				"metadata": s["metadata"]}
		}
		return s
	})
}

// deviceName is the form Nova's schema accepts for a requested device.
var deviceName = regexp.MustCompile(`(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$`)
