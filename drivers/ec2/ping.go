package ec2

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
)

// Ping asks EC2 for the region's availability zones: the cheapest signed
// request, answered only for valid credentials, and one every identity
// that can use EC2 at all may make.
func (c *conn) Ping(ctx context.Context) error {
	if _, err := c.client.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{}); err != nil {
		return c.wrap(err)
	}
	return nil
}
