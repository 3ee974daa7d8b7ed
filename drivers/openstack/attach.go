package openstack

import (
	"context"

	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/servers"
	"github.com/gophercloud/gophercloud/v2/openstack/compute/v2/volumeattach"

	"github.com/deltacloud-go/deltacloud"
)

// AttachStorageVolume attaches an owned, available volume to a server
// through Nova's volume attachments, at device or, when it is empty (or
// Nova's hypervisor picks its own), where Nova chooses. It returns the
// volume as Cinder then shows it, with the attachment Nova answered.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	v, err := c.getVolume(ctx, s, id)
	if err != nil {
		return nil, err
	}
	if st := MapVolumeState(v.Status); st != deltacloud.VolumeAvailable {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id,
			Message: "openstack: volume " + id + " is " + v.Status + "; only an available volume can be attached"}
	}
	att, err := volumeattach.Create(ctx, s.compute, instanceID, volumeattach.CreateOpts{VolumeID: id, Device: device}).Extract()
	if isNotFound(err) {
		if _, gerr := servers.Get(ctx, s.compute, instanceID).Extract(); isNotFound(gerr) {
			return nil, notFound("server", instanceID)
		}
		return nil, notFound("volume", id)
	}
	if err != nil {
		return nil, stateOn400(err, id)
	}
	out := volumeOf(v)
	if v, err := c.getVolume(ctx, s, id); err == nil {
		out = volumeOf(v)
	} else if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if out.InstanceID == "" {
		out.State, out.InstanceID, out.Device = deltacloud.VolumeInUse, att.ServerID, att.Device
	}
	return &out, nil
}

// DetachStorageVolume detaches an owned volume from the server Cinder
// says it is attached to, through Nova; the volume is IN-USE (Cinder's
// detaching) until Nova is done.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	s, err := c.cinder(ctx)
	if err != nil {
		return nil, err
	}
	v, err := c.getVolume(ctx, s, id)
	if err != nil {
		return nil, err
	}
	if len(v.Attachments) == 0 || v.Status != "in-use" {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id,
			Message: "openstack: volume " + id + " is " + v.Status + "; only an in-use volume can be detached"}
	}
	server := v.Attachments[0].ServerID
	err = volumeattach.Delete(ctx, s.compute, server, id).ExtractErr()
	if isNotFound(err) {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: id,
			Message: "openstack: volume " + id + " is no longer attached to server " + server, Err: err}
	}
	if err != nil {
		return nil, stateOn400(err, id)
	}
	if got, err := c.getVolume(ctx, s, id); err == nil {
		v = got
	} else if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	out := volumeOf(v)
	return &out, nil
}

// serverDevices fills the devices of one server's attached volumes from
// Nova's volume attachments (one request, made only when the server has
// volumes). Errors other than the end of ctx leave the devices empty.
func serverDevices(ctx context.Context, s *services, in *deltacloud.Instance) error {
	if len(in.StorageVolumes) == 0 {
		return nil
	}
	pages, err := volumeattach.List(s.compute, in.ID).AllPages(ctx)
	if err != nil {
		return ctx.Err()
	}
	atts, err := volumeattach.ExtractVolumeAttachments(pages)
	if err != nil {
		return nil
	}
	dev := map[string]string{}
	for _, a := range atts {
		dev[a.VolumeID] = a.Device
	}
	for i := range in.StorageVolumes {
		in.StorageVolumes[i].Device = dev[in.StorageVolumes[i].VolumeID]
	}
	return nil
}

// listingDevices fills the devices of a listing's attached volumes from
// one Cinder volume listing, made only when some server has volumes and
// the catalog has Cinder. Errors other than the end of ctx leave the
// devices empty.
func listingDevices(ctx context.Context, s *services, ins []deltacloud.Instance) error {
	some := false
	for i := range ins {
		some = some || len(ins[i].StorageVolumes) > 0
	}
	if !some || s.volume == nil {
		return nil
	}
	list, err := allVolumes(ctx, s)
	if err != nil {
		return ctx.Err()
	}
	type key struct{ server, volume string }
	dev := map[key]string{}
	for _, v := range list {
		for _, a := range v.Attachments {
			dev[key{a.ServerID, v.ID}] = a.Device
		}
	}
	for i := range ins {
		for j := range ins[i].StorageVolumes {
			a := &ins[i].StorageVolumes[j]
			a.Device = dev[key{ins[i].ID, a.VolumeID}]
		}
	}
	return nil
}
