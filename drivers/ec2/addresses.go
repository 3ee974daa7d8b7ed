package ec2

import (
	"context"
	"net/netip"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// Addresses lists the account's Elastic IPs in the region; an address's id
// is its public IP. EC2 does not paginate addresses.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	out, err := c.client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
	if err != nil {
		return nil, c.wrap(err)
	}
	as := make([]deltacloud.IPAddress, 0, len(out.Addresses))
	for _, a := range out.Addresses {
		as = append(as, addressOf(a))
	}
	return as, nil
}

func addressOf(a types.Address) deltacloud.IPAddress {
	ip := aws.ToString(a.PublicIp)
	return deltacloud.IPAddress{ID: ip, IP: ip, InstanceID: aws.ToString(a.InstanceId)}
}

// Address describes one Elastic IP with DescribeAddresses' PublicIps; an
// unknown address is ErrNotFound (InvalidAddress.NotFound).
func (c *conn) Address(ctx context.Context, id string) (*deltacloud.IPAddress, error) {
	a, err := c.address(ctx, id)
	if err != nil {
		return nil, err
	}
	ip := addressOf(a)
	return &ip, nil
}

// address describes one Elastic IP; an id that is not an IP address is
// ErrNotFound without a call.
func (c *conn) address(ctx context.Context, id string) (types.Address, error) {
	if _, err := netip.ParseAddr(id); err != nil {
		return types.Address{}, notFound("address", id)
	}
	out, err := c.client.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{PublicIps: []string{id}})
	if err != nil {
		return types.Address{}, c.wrapGet(err, "address", id)
	}
	if len(out.Addresses) != 1 {
		return types.Address{}, notFound("address", id)
	}
	return out.Addresses[0], nil
}

// CreateAddress allocates a VPC Elastic IP. Past the account's quota it is
// ErrForbidden (AddressLimitExceeded).
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	out, err := c.client.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc})
	if err != nil {
		return nil, c.wrap(err)
	}
	ip := aws.ToString(out.PublicIp)
	return &deltacloud.IPAddress{ID: ip, IP: ip}, nil
}

// DestroyAddress releases an Elastic IP, by allocation id where it has one
// (VPC addresses) and by public IP otherwise.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	a, err := c.address(ctx, id)
	if err != nil {
		return err
	}
	in := &ec2.ReleaseAddressInput{AllocationId: a.AllocationId}
	if a.AllocationId == nil {
		in = &ec2.ReleaseAddressInput{PublicIp: a.PublicIp}
	}
	_, err = c.client.ReleaseAddress(ctx, in)
	return c.wrap(err)
}

// AssociateAddress points an Elastic IP at an instance, which EC2 allows
// only while the instance runs (else ErrInvalidState).
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	a, err := c.address(ctx, id)
	if err != nil {
		return err
	}
	in := &ec2.AssociateAddressInput{InstanceId: aws.String(instanceID), AllocationId: a.AllocationId}
	if a.AllocationId == nil {
		in.PublicIp = a.PublicIp
	}
	_, err = c.client.AssociateAddress(ctx, in)
	return c.wrap(err)
}

// DisassociateAddress frees an Elastic IP, by association id where it has
// one and by public IP otherwise.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	a, err := c.address(ctx, id)
	if err != nil {
		return err
	}
	in := &ec2.DisassociateAddressInput{AssociationId: a.AssociationId}
	if a.AssociationId == nil {
		in = &ec2.DisassociateAddressInput{PublicIp: a.PublicIp}
	}
	_, err = c.client.DisassociateAddress(ctx, in)
	return c.wrap(err)
}
