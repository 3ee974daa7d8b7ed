package ec2

import (
	"context"
	"errors"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"

	"github.com/deltacloud-go/deltacloud"
)

// SupportsClientToken reports that creates honour
// InstanceSpec.ClientToken: it is EC2's own RunInstances ClientToken.
func (c *conn) SupportsClientToken() bool { return true }

// dryRunOK is the error code with which EC2 answers a request made with
// DryRun set that would have succeeded (HTTP 412); UnauthorizedOperation
// (403) says it would have been refused.
const dryRunOK = "DryRunOperation"

// DryRun sends the RunInstances request a create would send, with EC2's
// DryRun flag: EC2 checks the parameters and the caller's permission to
// launch them and answers DryRunOperation instead of launching. Its
// refusals are the create's errors (UnauthorizedOperation is
// ErrForbidden, an unknown image ErrNotFound, a bad parameter
// ErrInvalidArgument).
func (c *conn) DryRun(ctx context.Context, spec deltacloud.InstanceSpec) (*deltacloud.DriverPlan, error) {
	token, err := specToken(spec)
	if err != nil {
		return nil, err
	}
	in, err := runInput(spec, token)
	if err != nil {
		return nil, err
	}
	in.DryRun = aws.Bool(true)
	_, err = c.client.RunInstances(ctx, in)
	var api smithy.APIError
	switch {
	case err == nil:
		return nil, &deltacloud.Error{Code: deltacloud.Backend,
			Message: "ec2: RunInstances with DryRun answered success instead of DryRunOperation; nothing is known of what it did"}
	case errors.As(err, &api) && api.ErrorCode() == dryRunOK:
	default:
		return nil, c.wrap(err)
	}
	plan := &deltacloud.DriverPlan{Request: runRequest(in), Verified: true}
	if spec.ClientToken == "" {
		delete(plan.Request, "ClientToken") // a fresh one per call
	}
	return plan, nil
}

// runRequest lists a RunInstances request's parameters by their Query API
// names, the user data hidden.
func runRequest(in *ec2.RunInstancesInput) map[string]string {
	r := map[string]string{
		"ImageId":  aws.ToString(in.ImageId),
		"MinCount": strconv.Itoa(int(aws.ToInt32(in.MinCount))),
		"MaxCount": strconv.Itoa(int(aws.ToInt32(in.MaxCount))),
	}
	set := func(k string, v *string) {
		if v != nil {
			r[k] = *v
		}
	}
	set("ClientToken", in.ClientToken)
	if in.InstanceType != "" {
		r["InstanceType"] = string(in.InstanceType)
	}
	if in.Placement != nil {
		set("Placement.AvailabilityZone", in.Placement.AvailabilityZone)
	}
	set("KeyName", in.KeyName)
	if in.UserData != nil {
		r["UserData"] = "(hidden)"
	}
	for i, g := range in.SecurityGroupIds {
		r["SecurityGroupId."+strconv.Itoa(i+1)] = g
	}
	for i, g := range in.SecurityGroups {
		r["SecurityGroup."+strconv.Itoa(i+1)] = g
	}
	if in.Monitoring != nil && aws.ToBool(in.Monitoring.Enabled) {
		r["Monitoring.Enabled"] = "true"
	}
	for i, m := range in.BlockDeviceMappings {
		p := "BlockDeviceMapping." + strconv.Itoa(i+1)
		set(p+".DeviceName", m.DeviceName)
		if m.Ebs != nil {
			set(p+".Ebs.SnapshotId", m.Ebs.SnapshotId)
		}
	}
	for i, ts := range in.TagSpecifications {
		p := "TagSpecification." + strconv.Itoa(i+1)
		r[p+".ResourceType"] = string(ts.ResourceType)
		for j, tag := range ts.Tags {
			q := p + ".Tag." + strconv.Itoa(j+1)
			set(q+".Key", tag.Key)
			set(q+".Value", tag.Value)
		}
	}
	set("SubnetId", in.SubnetId)
	return r
}
