package ec2

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// DefaultVolumeGB is the size of a volume created with neither capacity
// nor snapshot.
const DefaultVolumeGB = 1

// StorageVolumes lists the region's EBS volumes; a volume's name is its
// Name tag.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	return c.describeVolumes(ctx, &ec2.DescribeVolumesInput{})
}

func (c *conn) describeVolumes(ctx context.Context, in *ec2.DescribeVolumesInput) ([]deltacloud.StorageVolume, error) {
	var vs []deltacloud.StorageVolume
	pg := ec2.NewDescribeVolumesPaginator(c.client, in)
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, v := range page.Volumes {
			vs = append(vs, volumeOf(v))
		}
	}
	return vs, nil
}

// StorageVolume describes one volume with DescribeVolumes' VolumeIds; an
// unknown id is ErrNotFound (InvalidVolume.NotFound).
func (c *conn) StorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	return c.volume(ctx, id)
}

// volume describes one volume; an id EC2 could not have issued is
// ErrNotFound without a call.
func (c *conn) volume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	if !strings.HasPrefix(id, "vol-") || len(id) > maxID {
		return nil, notFound("volume", id)
	}
	out, err := c.client.DescribeVolumes(ctx, &ec2.DescribeVolumesInput{VolumeIds: []string{id}})
	if err != nil {
		return nil, c.wrapGet(err, "volume", id)
	}
	if len(out.Volumes) != 1 {
		return nil, notFound("volume", id)
	}
	v := volumeOf(out.Volumes[0])
	return &v, nil
}

// VolumeStateOf maps an EBS volume state onto the model's.
func VolumeStateOf(s types.VolumeState) deltacloud.VolumeState {
	switch s {
	case types.VolumeStateCreating:
		return deltacloud.VolumeCreating
	case types.VolumeStateAvailable:
		return deltacloud.VolumeAvailable
	case types.VolumeStateInUse:
		return deltacloud.VolumeInUse
	case types.VolumeStateDeleting, types.VolumeStateDeleted:
		return deltacloud.VolumeDeleting
	case types.VolumeStateError:
		return deltacloud.VolumeError
	}
	return deltacloud.VolumeState(strings.ToUpper(string(s)))
}

func nameTag(tags []types.Tag) string {
	for _, t := range tags {
		if aws.ToString(t.Key) == "Name" {
			return aws.ToString(t.Value)
		}
	}
	return ""
}

func volumeOf(v types.Volume) deltacloud.StorageVolume {
	out := deltacloud.StorageVolume{
		ID:       aws.ToString(v.VolumeId),
		Name:     nameTag(v.Tags),
		Capacity: int(aws.ToInt32(v.Size)),
		RealmID:  aws.ToString(v.AvailabilityZone),
		State:    VolumeStateOf(v.State),
		Kind:     string(v.VolumeType),
	}
	if v.CreateTime != nil {
		out.Created = *v.CreateTime
	}
	for _, a := range v.Attachments {
		if a.State != types.VolumeAttachmentStateDetached {
			out.InstanceID, out.Device = aws.ToString(a.InstanceId), aws.ToString(a.Device)
			break
		}
	}
	return out
}

// CreateStorageVolume creates an EBS volume of spec.Capacity GB (default:
// the snapshot's size, or DefaultVolumeGB), in spec.RealmID (default: the
// region's first available zone), named by a Name tag.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	in := &ec2.CreateVolumeInput{AvailabilityZone: aws.String(spec.RealmID)}
	if spec.RealmID == "" {
		zone, err := c.defaultZone(ctx)
		if err != nil {
			return nil, err
		}
		in.AvailabilityZone = aws.String(zone)
	}
	switch {
	case spec.Capacity > 0:
		in.Size = aws.Int32(int32(spec.Capacity))
	case spec.SnapshotID == "":
		in.Size = aws.Int32(DefaultVolumeGB)
	}
	if spec.SnapshotID != "" {
		in.SnapshotId = aws.String(spec.SnapshotID)
	}
	if spec.Name != "" {
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeVolume,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(spec.Name)}}}}
	}
	out, err := c.client.CreateVolume(ctx, in)
	if err != nil {
		return nil, c.wrap(err)
	}
	v := volumeOf(types.Volume{VolumeId: out.VolumeId, Size: out.Size, AvailabilityZone: out.AvailabilityZone,
		State: out.State, VolumeType: out.VolumeType, CreateTime: out.CreateTime, Tags: out.Tags, Attachments: out.Attachments})
	if v.Name == "" {
		v.Name = spec.Name
	}
	return &v, nil
}

// defaultZone is the region's first available zone.
func (c *conn) defaultZone(ctx context.Context) (string, error) {
	rs, err := c.Realms(ctx)
	if err != nil {
		return "", err
	}
	for _, r := range rs {
		if r.State == deltacloud.RealmAvailable {
			return r.ID, nil
		}
	}
	return "", &deltacloud.Error{Code: deltacloud.Unavailable, Message: "ec2: region " + c.region + " has no available zone"}
}

// DestroyStorageVolume deletes a volume; an attached one is
// ErrInvalidState (VolumeInUse).
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	if !strings.HasPrefix(id, "vol-") {
		return notFound("volume", id)
	}
	_, err := c.client.DeleteVolume(ctx, &ec2.DeleteVolumeInput{VolumeId: aws.String(id)})
	return c.wrap(err)
}

// attachDevices are the device names AttachStorageVolume picks from when
// none is given, as the EC2 console suggests them for EBS data volumes.
var attachDevices = []string{"/dev/sdf", "/dev/sdg", "/dev/sdh", "/dev/sdi", "/dev/sdj", "/dev/sdk",
	"/dev/sdl", "/dev/sdm", "/dev/sdn", "/dev/sdo", "/dev/sdp"}

// AttachStorageVolume attaches a volume at device, or at the first of
// /dev/sdf…/dev/sdp the instance does not use when device is empty. EC2
// attaches only to running or stopped instances in the volume's zone.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	if !strings.HasPrefix(id, "vol-") {
		return nil, notFound("volume", id)
	}
	if device == "" {
		in, err := c.Instance(ctx, instanceID)
		if err != nil {
			return nil, err
		}
		for _, d := range attachDevices {
			if !slices.ContainsFunc(in.StorageVolumes, func(a deltacloud.VolumeAttachment) bool { return a.Device == d }) {
				device = d
				break
			}
		}
		if device == "" {
			return nil, &deltacloud.Error{Code: deltacloud.InvalidState, ID: instanceID,
				Message: fmt.Sprintf("ec2: instance %s has no free device among %s…%s", instanceID, attachDevices[0], attachDevices[len(attachDevices)-1])}
		}
	}
	_, err := c.client.AttachVolume(ctx, &ec2.AttachVolumeInput{VolumeId: aws.String(id),
		InstanceId: aws.String(instanceID), Device: aws.String(device)})
	if err != nil {
		return nil, c.wrap(err)
	}
	return c.volume(ctx, id)
}

// DetachStorageVolume detaches a volume; EC2 finishes the detachment in
// the background, and the volume shows IN-USE until it has.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	if !strings.HasPrefix(id, "vol-") {
		return nil, notFound("volume", id)
	}
	// Name the instance: EC2 requires it for Multi-Attach volumes.
	v, err := c.volume(ctx, id)
	if err != nil {
		return nil, err
	}
	in := &ec2.DetachVolumeInput{VolumeId: aws.String(id)}
	if v.InstanceID != "" {
		in.InstanceId = aws.String(v.InstanceID)
	}
	if _, err := c.client.DetachVolume(ctx, in); err != nil {
		return nil, c.wrap(err)
	}
	return c.volume(ctx, id)
}
