package openstacktest

import (
	"net/http"
	"slices"
	"time"
)

// serveVolumeAttachments is Nova's /servers/{id}/os-volume_attachments
// (microversion 2.46 shapes: device, id, serverId, volumeId).
func (c *Cloud) serveVolumeAttachments(w http.ResponseWriter, r *http.Request, parts []string) {
	m := r.Method
	switch {
	case len(parts) == 3 && m == http.MethodGet:
		c.mu.Lock()
		defer c.mu.Unlock()
		s := c.findServer(w, parts[1])
		if s == nil {
			return
		}
		out := []map[string]any{}
		for _, v := range c.attachedTo(s.id) {
			out = append(out, attachmentJSON(v))
		}
		writeJSON(w, http.StatusOK, map[string]any{"volumeAttachments": out})
	case len(parts) == 3 && m == http.MethodPost:
		c.attachVolume(w, r, parts[1])
	case len(parts) == 4 && m == http.MethodGet:
		c.mu.Lock()
		defer c.mu.Unlock()
		if v := c.findAttachment(w, parts[1], parts[3]); v != nil {
			writeJSON(w, http.StatusOK, map[string]any{"volumeAttachment": attachmentJSON(v)})
		}
	case len(parts) == 4 && m == http.MethodDelete:
		c.mu.Lock()
		defer c.mu.Unlock()
		v := c.findAttachment(w, parts[1], parts[3])
		if v == nil {
			return
		}
		if v.status != "in-use" {
			fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: Unable to detach volume. Volume status must be 'in-use' and attach_status must be 'attached' to detach.")
			return
		}
		v.status = "detaching"
		c.volumeLater(v, "available", func() { v.server, v.device, v.attachmentID = "", "", "" })
		w.WriteHeader(http.StatusAccepted)
	default:
		fault(w, http.StatusNotFound, "itemNotFound", "The resource could not be found.")
	}
}

// attachmentJSON is a volume attachment as Nova shows it.
func attachmentJSON(v *volume) map[string]any {
	return map[string]any{"device": v.device, "id": v.id, "serverId": v.server, "volumeId": v.id}
}

// attachedTo lists the volumes attached to a server, by device; c.mu is
// held.
func (c *Cloud) attachedTo(server string) []*volume {
	var out []*volume
	for _, v := range c.volumes {
		if c.advanceVolume(v) && v.server == server {
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b *volume) int {
		if a.device < b.device {
			return -1
		}
		if a.device > b.device {
			return 1
		}
		return 0
	})
	return out
}

// findAttachment returns the volume attached to a server, or answers
// itemNotFound; c.mu is held.
func (c *Cloud) findAttachment(w http.ResponseWriter, server, volumeID string) *volume {
	if c.findServer(w, server) == nil {
		return nil
	}
	v, ok := c.volumes[volumeID]
	if !ok || !c.advanceVolume(v) {
		fault(w, http.StatusNotFound, "itemNotFound", "Volume %s could not be found.", volumeID)
		return nil
	}
	if v.server != server {
		fault(w, http.StatusNotFound, "itemNotFound", "Instance %s is not attached to volume %s", server, volumeID)
		return nil
	}
	return v
}

func (c *Cloud) attachVolume(w http.ResponseWriter, r *http.Request, serverID string) {
	var req struct {
		Attachment map[string]any `json:"volumeAttachment"`
	}
	if !decode(w, r, &req) {
		return
	}
	if req.Attachment == nil {
		fault(w, http.StatusBadRequest, "badRequest", "'volumeAttachment' is a required property")
		return
	}
	var in struct{ VolumeID, Device string }
	in.VolumeID, _ = req.Attachment["volumeId"].(string)
	in.Device, _ = req.Attachment["device"].(string)
	if in.VolumeID == "" {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute volumeAttachment. Value: %s. 'volumeId' is a required property", pyRepr(req.Attachment))
		return
	}
	if in.Device != "" && !deviceName.MatchString(in.Device) {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute device. Value: %s. '%s' does not match '%s'", in.Device, in.Device, deviceName)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.findServer(w, serverID)
	if s == nil {
		return
	}
	switch {
	case s.task != "":
		fault(w, http.StatusConflict, "conflictingRequest", "Cannot 'attach_volume' instance %s while it is in task_state %s", s.id, s.task)
		return
	case !slices.Contains([]string{"ACTIVE", "SHUTOFF", "PAUSED", "SUSPENDED", "SHELVED", "SHELVED_OFFLOADED"}, s.status):
		fault(w, http.StatusConflict, "conflictingRequest", "Cannot 'attach_volume' instance %s while it is in vm_state %s", s.id, s.vmState)
		return
	}
	v, ok := c.volumes[in.VolumeID]
	if !ok || !c.advanceVolume(v) {
		fault(w, http.StatusNotFound, "itemNotFound", "Volume %s could not be found.", in.VolumeID)
		return
	}
	if v.server != "" { // Nova's own check, before Cinder's reservation
		fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: volume %s is already attached to instances: %s", v.id, v.server)
		return
	}
	if v.status != "available" {
		fault(w, http.StatusBadRequest, "badRequest", "Invalid volume: Volume %s status must be available or downloading to reserve, but the current status is %s.", v.id, v.status)
		return
	}
	taken := map[string]bool{"/dev/vda": true}
	for _, o := range c.attachedTo(s.id) {
		taken[o.device] = true
	}
	dev := in.Device
	if dev == "" || taken[dev] {
		for l := 'b'; l <= 'z'; l++ {
			if d := "/dev/vd" + string(l); !taken[d] {
				dev = d
				break
			}
		}
	}
	v.status, v.server, v.device, v.attachmentID = "attaching", s.id, dev, newID()
	v.updated = time.Now()
	c.volumeLater(v, "in-use", func() { v.attached = time.Now() })
	writeJSON(w, http.StatusOK, map[string]any{"volumeAttachment": attachmentJSON(v)})
}

// detachAll frees the volumes of a deleted server; c.mu is held.
func (c *Cloud) detachAll(server string) {
	for _, v := range c.volumes {
		if v.server == server {
			v.status, v.server, v.device, v.attachmentID, v.next = "available", "", "", "", nil
		}
	}
}

// volumesAttached is a server's os-extended-volumes:volumes_attached
// (with delete_on_termination from 2.3); c.mu is held.
func (c *Cloud) volumesAttached(server string) []map[string]any {
	out := []map[string]any{}
	for _, v := range c.attachedTo(server) {
		out = append(out, map[string]any{"id": v.id, "delete_on_termination": false})
	}
	return out
}
