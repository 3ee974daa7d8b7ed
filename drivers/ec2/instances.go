package ec2

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// Instances lists instances; the id, state and realm filters are sent to
// EC2 as filters, so an unknown id lists nothing.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	in := &ec2.DescribeInstancesInput{}
	if f.ID != "" {
		in.Filters = append(in.Filters, filter("instance-id", f.ID))
	}
	if f.State != "" {
		names := stateNames(f.State)
		if names == nil {
			return nil, nil
		}
		in.Filters = append(in.Filters, filter("instance-state-name", names...))
	}
	if f.Realm != "" {
		in.Filters = append(in.Filters, filter("availability-zone", f.Realm))
	}
	if f.Owner != "" && f.Owner != deltacloud.OwnerSelf {
		in.Filters = append(in.Filters, filter("owner-id", f.Owner))
	}
	var ins []deltacloud.Instance
	pg := ec2.NewDescribeInstancesPaginator(c.client, in)
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, r := range page.Reservations {
			for _, i := range r.Instances {
				ins = append(ins, instanceOf(aws.ToString(r.OwnerId), i))
			}
		}
	}
	return ins, nil
}

// Instance returns one instance; an unknown id is ErrNotFound.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	ins, err := c.Instances(ctx, deltacloud.InstanceFilter{ID: id})
	if err != nil {
		return nil, err
	}
	for i := range ins {
		if ins[i].ID == id {
			return &ins[i], nil
		}
	}
	return nil, &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: fmt.Sprintf("ec2: instance %q not found", id)}
}

// clientToken is a fresh idempotency token for one CreateInstances call;
// the SDK resends it on retries, so EC2 launches at most once.
func clientToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "deltacloud-" + hex.EncodeToString(b), nil
}

// specToken is the caller's client token, or a fresh one.
func specToken(spec deltacloud.InstanceSpec) (string, error) {
	if spec.ClientToken != "" {
		return spec.ClientToken, nil
	}
	token, err := clientToken()
	if err != nil {
		return "", &deltacloud.Error{Code: deltacloud.Backend, Message: "ec2: cannot make a client token", Err: err}
	}
	return token, nil
}

// runInput builds the RunInstances request for a checked spec.
func runInput(spec deltacloud.InstanceSpec, token string) (*ec2.RunInstancesInput, error) {
	n := int32(max(spec.Count, 1))
	in := &ec2.RunInstancesInput{
		ClientToken: aws.String(token),
		ImageId:     aws.String(spec.ImageID),
		MinCount:    aws.Int32(n),
		MaxCount:    aws.Int32(n),
	}
	if spec.ProfileID != "" && spec.ProfileID != deltacloud.OpaqueProfileID {
		in.InstanceType = types.InstanceType(spec.ProfileID)
	}
	if spec.RealmID != "" {
		in.Placement = &types.Placement{AvailabilityZone: aws.String(spec.RealmID)}
	}
	if spec.KeyName != "" {
		in.KeyName = aws.String(spec.KeyName)
	}
	if len(spec.UserData) > 0 {
		in.UserData = aws.String(base64.StdEncoding.EncodeToString(spec.UserData))
	}
	// Firewalls are group ids (the firewalls collection's) or names.
	for _, f := range spec.Firewalls {
		if strings.HasPrefix(f, "sg-") {
			in.SecurityGroupIds = append(in.SecurityGroupIds, f)
		} else {
			in.SecurityGroups = append(in.SecurityGroups, f)
		}
	}
	if spec.Metrics {
		in.Monitoring = &types.RunInstancesMonitoringEnabled{Enabled: aws.Bool(true)}
	}
	if s := spec.Snapshot; s != nil {
		in.BlockDeviceMappings = []types.BlockDeviceMapping{{
			DeviceName: aws.String(s.Device),
			Ebs:        &types.EbsBlockDevice{SnapshotId: aws.String(s.SnapshotID)},
		}}
	}
	if spec.Name != "" {
		in.TagSpecifications = []types.TagSpecification{{
			ResourceType: types.ResourceTypeInstance,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String(spec.Name)}},
		}}
	}
	for k, v := range spec.Options {
		switch k {
		case "subnet_id":
			in.SubnetId = aws.String(v)
		default:
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: unknown create option %q (known: subnet_id)", k)
		}
	}
	return in, nil
}

// CreateInstances launches Count instances with one RunInstances call,
// carrying a client token so SDK retries never launch twice: the caller's
// InstanceSpec.ClientToken, which makes the caller's own retries safe too
// (EC2 answers a repeated token with the first launch's reservation, and a
// reused one with other parameters with IdempotentParameterMismatch,
// ErrConflict), or a fresh one for this call.
func (c *conn) CreateInstances(ctx context.Context, spec deltacloud.InstanceSpec) ([]deltacloud.Instance, error) {
	token, err := specToken(spec)
	if err != nil {
		return nil, err
	}
	in, err := runInput(spec, token)
	if err != nil {
		return nil, err
	}
	out, err := c.client.RunInstances(ctx, in)
	if err != nil {
		return nil, c.wrap(err)
	}
	ins := make([]deltacloud.Instance, 0, len(out.Instances))
	for _, i := range out.Instances {
		x := instanceOf(aws.ToString(out.OwnerId), i)
		if spec.Name != "" {
			x.Name = spec.Name // the Name tag RunInstances wrote
		}
		ins = append(ins, x)
	}
	return ins, nil
}

// Act starts, stops, reboots or terminates an instance and returns it as
// EC2 describes it afterwards.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	ids := []string{id}
	var err error
	switch a {
	case deltacloud.ActionStart:
		_, err = c.client.StartInstances(ctx, &ec2.StartInstancesInput{InstanceIds: ids})
	case deltacloud.ActionStop:
		_, err = c.client.StopInstances(ctx, &ec2.StopInstancesInput{InstanceIds: ids})
	case deltacloud.ActionReboot:
		_, err = c.client.RebootInstances(ctx, &ec2.RebootInstancesInput{InstanceIds: ids})
	case deltacloud.ActionDestroy:
		_, err = c.client.TerminateInstances(ctx, &ec2.TerminateInstancesInput{InstanceIds: ids})
	default:
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "ec2: unknown action %q", a)
	}
	if err != nil {
		return nil, c.wrap(err)
	}
	return c.Instance(ctx, id)
}

// instanceOf maps an EC2 instance of a reservation owned by owner.
func instanceOf(owner string, i types.Instance) deltacloud.Instance {
	var state deltacloud.State = deltacloud.StateUnknown
	if i.State != nil {
		state = MapState(i.State.Name)
	}
	out := deltacloud.Instance{
		ID:      aws.ToString(i.InstanceId),
		Owner:   owner,
		ImageID: aws.ToString(i.ImageId),
		Profile: deltacloud.InstanceProfile{ID: string(i.InstanceType)},
		State:   state,
		Actions: Actions(state, i.RootDeviceType),
		Extra:   map[string]string{"root_device_type": string(i.RootDeviceType)},
	}
	// The name is the Name tag; without one it is the image id, as the
	// original Deltacloud named every EC2 instance.
	out.Name = out.ImageID
	for _, t := range i.Tags {
		if aws.ToString(t.Key) == "Name" {
			out.Name = aws.ToString(t.Value)
		}
	}
	if i.Placement != nil {
		out.RealmID = aws.ToString(i.Placement.AvailabilityZone)
	}
	if v := aws.ToString(i.PublicIpAddress); v != "" {
		out.PublicAddresses = append(out.PublicAddresses, deltacloud.Address{Value: v, Type: deltacloud.AddressIPv4})
	}
	if v := aws.ToString(i.PublicDnsName); v != "" {
		out.PublicAddresses = append(out.PublicAddresses, deltacloud.Address{Value: v, Type: deltacloud.AddressHostname})
	}
	if v := aws.ToString(i.PrivateIpAddress); v != "" {
		out.PrivateAddresses = append(out.PrivateAddresses, deltacloud.Address{Value: v, Type: deltacloud.AddressIPv4})
	}
	if v := aws.ToString(i.PrivateDnsName); v != "" {
		out.PrivateAddresses = append(out.PrivateAddresses, deltacloud.Address{Value: v, Type: deltacloud.AddressHostname})
	}
	if i.LaunchTime != nil {
		out.LaunchTime = *i.LaunchTime
	}
	if k := aws.ToString(i.KeyName); k != "" {
		out.Authentication = &deltacloud.Authentication{Method: "key", KeyName: k}
	}
	// Firewalls are the group ids, as the firewalls collection names them.
	for _, g := range i.SecurityGroups {
		id := aws.ToString(g.GroupId)
		if id == "" {
			id = aws.ToString(g.GroupName)
		}
		out.Firewalls = append(out.Firewalls, id)
	}
	// Attached volumes are the EBS volumes of the block device mapping: the
	// root volume, those made at launch and those attached since, each at
	// its device name (instance-store volumes are not listed by EC2).
	for _, b := range i.BlockDeviceMappings {
		if b.Ebs != nil && aws.ToString(b.Ebs.VolumeId) != "" {
			out.StorageVolumes = append(out.StorageVolumes, deltacloud.VolumeAttachment{
				VolumeID: aws.ToString(b.Ebs.VolumeId), Device: aws.ToString(b.DeviceName)})
		}
	}
	out.CanCreateImage = i.RootDeviceType == types.DeviceTypeEbs &&
		(state == deltacloud.StateRunning || state == deltacloud.StateStopped)
	return out
}
