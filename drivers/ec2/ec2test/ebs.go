package ec2test

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Volume is what the fake knows of one EBS volume.
type Volume struct {
	ID         string
	Size       int
	Zone       string
	SnapshotID string
	Type       string
	// State is creating, available or in-use.
	State string
	// MultiAttach is CreateVolume's MultiAttachEnabled: detaching such a
	// volume must name the instance.
	MultiAttach bool
	Tags        map[string]string
	Created     time.Time
	// Attachment is set while the volume is attached, attaching or
	// detaching.
	Attachment *Attachment

	reads int
}

// Attachment is a volume's attachment to an instance.
type Attachment struct {
	InstanceID, Device string
	// State is attaching, attached or detaching.
	State string
	Time  time.Time
}

// Snapshot is what the fake knows of one EBS snapshot.
type Snapshot struct {
	ID, VolumeID, Description string
	Size                      int
	// State is pending or completed.
	State   string
	Tags    map[string]string
	Started time.Time

	reads int
}

// image is an AMI with the state the fake keeps for it.
type image struct {
	Image
	Description string
	State       string
	Created     time.Time
	Snapshot    string
	reads       int
}

// Volumes returns copies of the volumes, in creation order.
func (s *Server) Volumes() []Volume {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Volume, len(s.volumes))
	for i, v := range s.volumes {
		out[i] = *v
		if v.Attachment != nil {
			a := *v.Attachment
			out[i].Attachment = &a
		}
	}
	return out
}

// Snapshots returns copies of the snapshots, in creation order.
func (s *Server) Snapshots() []Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Snapshot, len(s.snapshots))
	for i, sn := range s.snapshots {
		out[i] = *sn
	}
	return out
}

func (s *Server) volume(id string) *Volume {
	i := slices.IndexFunc(s.volumes, func(v *Volume) bool { return v.ID == id })
	if i < 0 {
		return nil
	}
	return s.volumes[i]
}

func (s *Server) snapshot(id string) *Snapshot {
	i := slices.IndexFunc(s.snapshots, func(sn *Snapshot) bool { return sn.ID == id })
	if i < 0 {
		return nil
	}
	return s.snapshots[i]
}

func (s *Server) image(id string) *image {
	i := slices.IndexFunc(s.images, func(img *image) bool { return img.ID == id })
	if i < 0 {
		return nil
	}
	return s.images[i]
}

func volumeNotFound(id string) *apiError {
	return errf(400, "InvalidVolume.NotFound", "The volume '%s' does not exist.", id)
}

// tagsOf reads TagSpecification.N.Tag.M of the given resource type.
func tagsOf(r *http.Request, resource string) map[string]string {
	tags := map[string]string{}
	for i := 1; ; i++ {
		p := "TagSpecification." + strconv.Itoa(i)
		rt := r.Form.Get(p + ".ResourceType")
		if rt == "" {
			return tags
		}
		if rt != resource {
			continue
		}
		for j := 1; ; j++ {
			k := r.Form.Get(p + ".Tag." + strconv.Itoa(j) + ".Key")
			if k == "" {
				break
			}
			tags[k] = r.Form.Get(p + ".Tag." + strconv.Itoa(j) + ".Value")
		}
	}
}

func renderTags(tags map[string]string) []xTag {
	var out []xTag
	for _, k := range sortedKeys(tags) {
		out = append(out, xTag{Key: k, Value: tags[k]})
	}
	return out
}

// advanceVolume moves a volume on after one more read.
func (s *Server) advanceVolume(v *Volume) {
	v.reads++
	if v.reads <= s.pendingReads {
		return
	}
	v.reads = 0
	switch {
	case v.State == "creating":
		v.State = "available"
	case v.Attachment != nil && v.Attachment.State == "attaching":
		v.Attachment.State = "attached"
	case v.Attachment != nil && v.Attachment.State == "detaching":
		v.Attachment, v.State = nil, "available"
	}
}

func renderVolume(v *Volume) xVolume {
	x := xVolume{ID: v.ID, Size: v.Size, SnapshotID: v.SnapshotID, Zone: v.Zone, Status: v.State,
		CreateTime: v.Created.UTC().Format(timeFormat), Tags: renderTags(v.Tags), VolumeType: v.Type,
		MultiAttach: v.MultiAttach}
	if a := v.Attachment; a != nil {
		x.Attachments = []xAttachment{renderAttachment(v, a)}
	}
	return x
}

func renderAttachment(v *Volume, a *Attachment) xAttachment {
	return xAttachment{VolumeID: v.ID, InstanceID: a.InstanceID, Device: a.Device, Status: a.State,
		AttachTime: a.Time.UTC().Format(timeFormat)}
}

func (s *Server) describeVolumes(r *http.Request) (any, *apiError) {
	ids := list(r, "VolumeId")
	fs := filters(r)
	for _, id := range ids {
		if s.volume(id) == nil {
			return nil, volumeNotFound(id)
		}
	}
	var sel []*Volume
	for _, v := range s.volumes {
		if (len(ids) > 0 && !slices.Contains(ids, v.ID)) || !match(fs, "volume-id", v.ID) {
			continue
		}
		s.advanceVolume(v)
		if match(fs, "status", v.State) && match(fs, "availability-zone", v.Zone) {
			sel = append(sel, v)
		}
	}
	from, to, next, err := s.page(r, len(sel))
	if err != nil {
		return nil, err
	}
	resp := describeVolumesResponse{head: newHead(), NextToken: next}
	for _, v := range sel[from:to] {
		resp.Volumes = append(resp.Volumes, renderVolume(v))
	}
	return resp, nil
}

// volumeTypes are the EBS volume types the fake accepts.
var volumeTypes = []string{"gp2", "gp3", "io1", "io2", "st1", "sc1", "standard"}

func (s *Server) createVolume(r *http.Request) (any, *apiError) {
	zone := r.Form.Get("AvailabilityZone")
	if zone == "" {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter AvailabilityZone")
	}
	if !slices.ContainsFunc(Zones, func(z [2]string) bool { return z[0] == zone }) {
		return nil, errf(400, "InvalidZone.NotFound", "The zone '%s' does not exist.", zone)
	}
	typ := r.Form.Get("VolumeType")
	if typ == "" {
		typ = "gp2"
	}
	if !slices.Contains(volumeTypes, typ) {
		return nil, errf(400, "InvalidParameterValue", "Value (%s) for parameter volumeType is invalid.", typ)
	}
	size := 0
	if v := r.Form.Get("Size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 16384 {
			return nil, errf(400, "InvalidParameterValue", "Volume of %s GiB is outside 1..16384", v)
		}
		size = n
	}
	snapID := r.Form.Get("SnapshotId")
	if snapID != "" {
		sn := s.snapshot(snapID)
		if sn == nil {
			return nil, errf(400, "InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", snapID)
		}
		if sn.State != "completed" {
			return nil, errf(400, "IncorrectState", "Snapshot '%s' is not 'completed'.", snapID)
		}
		if size == 0 {
			size = sn.Size
		} else if size < sn.Size {
			return nil, errf(400, "InvalidParameterValue", "Volume of %d GiB is smaller than snapshot '%s', expect size >= %d", size, snapID, sn.Size)
		}
	}
	if size == 0 {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter size or snapshotId")
	}
	s.seq++
	v := &Volume{ID: fmt.Sprintf("vol-%017x", s.seq), Size: size, Zone: zone, SnapshotID: snapID, Type: typ,
		MultiAttach: r.Form.Get("MultiAttachEnabled") == "true", State: "creating", Tags: tagsOf(r, "volume"), Created: time.Now().Truncate(time.Millisecond)}
	s.volumes = append(s.volumes, v)
	return volumeResponse{head: newHead(), xVolume: renderVolume(v)}, nil
}

func (s *Server) deleteVolume(r *http.Request) (any, *apiError) {
	id := r.Form.Get("VolumeId")
	v := s.volume(id)
	if v == nil {
		return nil, volumeNotFound(id)
	}
	if v.Attachment != nil {
		return nil, errf(400, "VolumeInUse", "Volume %s is currently attached to %s", id, v.Attachment.InstanceID)
	}
	s.volumes = slices.DeleteFunc(s.volumes, func(x *Volume) bool { return x == v })
	return returnResponse{XMLName: xmlName("DeleteVolumeResponse"), head: newHead(), Return: true}, nil
}

// devices lists the device names in use on an instance.
func (s *Server) devices(in *Instance) []string {
	var devs []string
	if in.RootDeviceType == "ebs" {
		devs = append(devs, "/dev/sda1")
	}
	for d := range in.Snapshots {
		devs = append(devs, d)
	}
	for _, v := range s.volumes {
		if v.Attachment != nil && v.Attachment.InstanceID == in.ID {
			devs = append(devs, v.Attachment.Device)
		}
	}
	return devs
}

func (s *Server) attachVolume(r *http.Request) (any, *apiError) {
	id, instID, dev := r.Form.Get("VolumeId"), r.Form.Get("InstanceId"), r.Form.Get("Device")
	if dev == "" {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter device")
	}
	v := s.volume(id)
	if v == nil {
		return nil, volumeNotFound(id)
	}
	if e := s.lookup(instID); e != nil {
		return nil, e
	}
	in := s.instances[instID]
	switch {
	case v.Attachment != nil:
		return nil, errf(400, "VolumeInUse", "%s is already attached to an instance", id)
	case v.State != "available":
		return nil, errf(400, "IncorrectState", "vol '%s' is not 'available'.", id)
	case in.State != "running" && in.State != "stopped":
		return nil, errf(400, "IncorrectInstanceState", "Instance '%s' is not 'running' or 'stopped'.", instID)
	case in.Zone != v.Zone:
		return nil, errf(400, "InvalidVolume.ZoneMismatch",
			"The volume '%s' is not in the same availability zone as instance '%s'", id, instID)
	case !strings.HasPrefix(dev, "/dev/") && !strings.HasPrefix(dev, "xvd"):
		return nil, errf(400, "InvalidParameterValue", "Value (%s) for parameter device is invalid.", dev)
	case slices.Contains(s.devices(in), dev):
		return nil, errf(400, "InvalidParameterValue", "Attachment point %s is already in use", dev)
	}
	v.State, v.reads = "in-use", 0
	v.Attachment = &Attachment{InstanceID: instID, Device: dev, State: "attaching", Time: time.Now().Truncate(time.Millisecond)}
	return attachmentResponse{XMLName: xmlName("AttachVolumeResponse"), head: newHead(), xAttachment: renderAttachment(v, v.Attachment)}, nil
}

func (s *Server) detachVolume(r *http.Request) (any, *apiError) {
	id := r.Form.Get("VolumeId")
	v := s.volume(id)
	if v == nil {
		return nil, volumeNotFound(id)
	}
	if v.Attachment == nil {
		return nil, errf(400, "IncorrectState", "Volume '%s' is in the '%s' state.", id, v.State)
	}
	inst := r.Form.Get("InstanceId")
	if inst == "" && v.MultiAttach {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter InstanceId for a Multi-Attach enabled volume")
	}
	if inst != "" && inst != v.Attachment.InstanceID {
		return nil, errf(400, "InvalidAttachment.NotFound", "Volume '%s' is not attached to instance '%s'", id, inst)
	}
	if v.Attachment.State != "detaching" {
		v.Attachment.State, v.reads = "detaching", 0
	}
	return attachmentResponse{XMLName: xmlName("DetachVolumeResponse"), head: newHead(), xAttachment: renderAttachment(v, v.Attachment)}, nil
}

// releaseInstance frees what a terminated instance held: its volumes are
// detached and its address disassociated.
func (s *Server) releaseInstance(id string) {
	for _, v := range s.volumes {
		if v.Attachment != nil && v.Attachment.InstanceID == id {
			v.Attachment, v.State = nil, "available"
		}
	}
	if a := s.addressOf(id); a != nil {
		a.InstanceID, a.AssociationID = "", ""
	}
}

func (s *Server) advanceSnapshot(sn *Snapshot) {
	sn.reads++
	if sn.State == "pending" && sn.reads > s.pendingReads {
		sn.State, sn.reads = "completed", 0
	}
}

func renderSnapshot(sn *Snapshot) xSnapshot {
	progress := "0%"
	if sn.State == "completed" {
		progress = "100%"
	}
	return xSnapshot{ID: sn.ID, VolumeID: sn.VolumeID, Status: sn.State, StartTime: sn.Started.UTC().Format(timeFormat),
		Progress: progress, OwnerID: Account, VolumeSize: sn.Size, Description: sn.Description, Tags: renderTags(sn.Tags)}
}

// describeSnapshots lists the snapshots; every snapshot of the fake is
// Account's, so Owner.N selects all or none.
func (s *Server) describeSnapshots(r *http.Request) (any, *apiError) {
	ids := list(r, "SnapshotId")
	owners := list(r, "Owner")
	fs := filters(r)
	for _, id := range ids {
		if s.snapshot(id) == nil {
			return nil, errf(400, "InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", id)
		}
	}
	mine := len(owners) == 0 || slices.Contains(owners, "self") || slices.Contains(owners, Account)
	var sel []*Snapshot
	for _, sn := range s.snapshots {
		if !mine || (len(ids) > 0 && !slices.Contains(ids, sn.ID)) || !match(fs, "snapshot-id", sn.ID) {
			continue
		}
		s.advanceSnapshot(sn)
		if match(fs, "volume-id", sn.VolumeID) && match(fs, "status", sn.State) {
			sel = append(sel, sn)
		}
	}
	from, to, next, err := s.page(r, len(sel))
	if err != nil {
		return nil, err
	}
	resp := describeSnapshotsResponse{head: newHead(), NextToken: next}
	for _, sn := range sel[from:to] {
		resp.Snapshots = append(resp.Snapshots, renderSnapshot(sn))
	}
	return resp, nil
}

func (s *Server) newSnapshot(volumeID string, size int, desc string, tags map[string]string) *Snapshot {
	s.seq++
	sn := &Snapshot{ID: fmt.Sprintf("snap-%017x", s.seq), VolumeID: volumeID, Size: size, Description: desc,
		State: "pending", Tags: tags, Started: time.Now().Truncate(time.Millisecond)}
	s.snapshots = append(s.snapshots, sn)
	return sn
}

func (s *Server) createSnapshot(r *http.Request) (any, *apiError) {
	id := r.Form.Get("VolumeId")
	if id == "" {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter VolumeId")
	}
	v := s.volume(id)
	if v == nil {
		return nil, volumeNotFound(id)
	}
	if v.State == "creating" {
		return nil, errf(400, "IncorrectState", "Volume '%s' is still being created.", id)
	}
	sn := s.newSnapshot(v.ID, v.Size, r.Form.Get("Description"), tagsOf(r, "snapshot"))
	return snapshotResponse{head: newHead(), xSnapshot: renderSnapshot(sn)}, nil
}

func (s *Server) deleteSnapshot(r *http.Request) (any, *apiError) {
	id := r.Form.Get("SnapshotId")
	sn := s.snapshot(id)
	if sn == nil {
		return nil, errf(400, "InvalidSnapshot.NotFound", "The snapshot '%s' does not exist.", id)
	}
	for _, img := range s.images {
		if img.Snapshot == id {
			return nil, errf(400, "InvalidSnapshot.InUse", "The snapshot %s is currently in use by %s", id, img.ID)
		}
	}
	s.snapshots = slices.DeleteFunc(s.snapshots, func(x *Snapshot) bool { return x == sn })
	return returnResponse{XMLName: xmlName("DeleteSnapshotResponse"), head: newHead(), Return: true}, nil
}

func (s *Server) advanceImage(img *image) {
	img.reads++
	if img.State == "pending" && img.reads > s.pendingReads {
		img.State, img.reads = "available", 0
	}
}

// createImage registers an AMI of an EBS-backed instance, with a snapshot
// of its root volume.
func (s *Server) createImage(r *http.Request) (any, *apiError) {
	id, name := r.Form.Get("InstanceId"), r.Form.Get("Name")
	if e := s.lookup(id); e != nil {
		return nil, e
	}
	if name == "" {
		return nil, errf(400, "MissingParameter", "The request must contain the parameter Name")
	}
	if len(name) < 3 || len(name) > 128 {
		return nil, errf(400, "InvalidAMIName.Malformed", "AMI names must be between 3 and 128 characters long")
	}
	in := s.instances[id]
	if in.RootDeviceType != "ebs" {
		return nil, errf(400, "InvalidParameterValue", "The instance '%s' is not an EBS-backed instance.", id)
	}
	if in.State != "running" && in.State != "stopped" {
		return nil, errf(400, "IncorrectInstanceState", "Instance '%s' is not in a state from which an image can be created.", id)
	}
	if slices.ContainsFunc(s.images, func(img *image) bool { return img.OwnerID == Account && img.Name == name }) {
		return nil, errf(400, "InvalidAMIName.Duplicate", "AMI name %s is already in use by an AMI", name)
	}
	arch := "x86_64"
	if src := s.image(in.ImageID); src != nil {
		arch = src.Architecture
	}
	sn := s.newSnapshot("vol-"+strings.TrimPrefix(in.ID, "i-"), 8, "Created by CreateImage("+id+")", nil)
	s.seq++
	img := &image{Image: Image{ID: fmt.Sprintf("ami-%017x", s.seq), Name: name, OwnerID: Account, Architecture: arch, RootDeviceType: "ebs"},
		Description: r.Form.Get("Description"), State: "pending", Created: time.Now().Truncate(time.Millisecond), Snapshot: sn.ID}
	s.images = append(s.images, img)
	return createImageResponse{head: newHead(), ID: img.ID}, nil
}

func (s *Server) deregisterImage(r *http.Request) (any, *apiError) {
	id := r.Form.Get("ImageId")
	img := s.image(id)
	if img == nil {
		return nil, errf(400, "InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
	}
	if img.OwnerID != Account {
		return nil, errf(400, "AuthFailure", "Not authorized for image:%s", id)
	}
	s.images = slices.DeleteFunc(s.images, func(x *image) bool { return x == img })
	return returnResponse{XMLName: xmlName("DeregisterImageResponse"), head: newHead(), Return: true}, nil
}
