package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// Realms lists the region's availability zones.
func (c *conn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	out, err := c.client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return nil, c.wrap(err)
	}
	rs := make([]deltacloud.Realm, 0, len(out.AvailabilityZones))
	for _, z := range out.AvailabilityZones {
		rs = append(rs, realmOf(z))
	}
	return rs, nil
}

func realmOf(z types.AvailabilityZone) deltacloud.Realm {
	r := deltacloud.Realm{ID: aws.ToString(z.ZoneName), Name: aws.ToString(z.ZoneName), State: deltacloud.RealmUnavailable}
	if z.State == types.AvailabilityZoneStateAvailable {
		r.State = deltacloud.RealmAvailable
	}
	return r
}
