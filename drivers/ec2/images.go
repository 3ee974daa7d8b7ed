package ec2

import (
	"context"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// Images lists AMIs. Without an owner filter it lists the configured
// default owners (self and amazon), not the whole public catalogue. Ids
// and architectures are sent as filters, so an unknown id lists nothing
// rather than failing.
func (c *conn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	in := &ec2.DescribeImagesInput{Owners: c.owners}
	if f.Owner != "" {
		in.Owners = []string{f.Owner}
	}
	if f.ID != "" {
		in.Filters = append(in.Filters, filter("image-id", f.ID))
	}
	if f.Architecture != "" {
		in.Filters = append(in.Filters, filter("architecture", ec2Archs(f.Architecture)...))
	}
	var imgs []deltacloud.Image
	pg := ec2.NewDescribeImagesPaginator(c.client, in)
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, img := range page.Images {
			imgs = append(imgs, imageOf(img))
		}
	}
	return imgs, nil
}

// ec2Archs are the EC2 architectures that map onto a Deltacloud one.
func ec2Archs(arch string) []string {
	switch arch {
	case "x86_64":
		return []string{"x86_64", "x86_64_mac"}
	case "arm64":
		return []string{"arm64", "arm64_mac"}
	}
	return []string{arch}
}

func filter(name string, values ...string) types.Filter {
	return types.Filter{Name: aws.String(name), Values: values}
}

// imageOf maps an AMI; the owner is its alias ("amazon") when it has one.
func imageOf(img types.Image) deltacloud.Image {
	out := deltacloud.Image{
		ID:           aws.ToString(img.ImageId),
		Name:         aws.ToString(img.Name),
		Description:  aws.ToString(img.Description),
		Owner:        aws.ToString(img.OwnerId),
		Architecture: archOf(types.ArchitectureType(img.Architecture)),
		State:        strings.ToUpper(string(img.State)),
		RootType:     "transient",
	}
	if a := aws.ToString(img.ImageOwnerAlias); a != "" {
		out.Owner = a
	}
	if out.Architecture == "" {
		out.Architecture = string(img.Architecture)
	}
	if t, err := time.Parse(time.RFC3339, aws.ToString(img.CreationDate)); err == nil {
		out.CreationTime = t
	}
	if img.RootDeviceType == types.DeviceTypeEbs {
		out.RootType = "persistent"
	}
	return out
}

// CreateImage registers an AMI of an EBS-backed instance (CreateImage). EC2
// requires a name, so without one the image is named after the instance
// and the time; a taken name is ErrConflict (InvalidAMIName.Duplicate). The
// image is returned as EC2 describes it, usually still PENDING.
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	name := spec.Name
	if name == "" {
		name = spec.InstanceID + "-" + time.Now().UTC().Format("20060102T150405Z")
	}
	in := &ec2.CreateImageInput{InstanceId: aws.String(spec.InstanceID), Name: aws.String(name)}
	if spec.Description != "" {
		in.Description = aws.String(spec.Description)
	}
	out, err := c.client.CreateImage(ctx, in)
	if err != nil {
		return nil, c.wrap(err)
	}
	id := aws.ToString(out.ImageId)
	img, err := c.Image(ctx, id)
	if err != nil {
		// The AMI exists; describe may lag behind it on real EC2.
		if deltacloud.CodeOf(err) != deltacloud.NotFound {
			return nil, err
		}
		return &deltacloud.Image{ID: id, Name: name, Description: spec.Description, State: "PENDING", RootType: "persistent"}, nil
	}
	return img, nil
}

// Image describes one AMI by id, whoever owns it; an unknown id is
// ErrNotFound.
func (c *conn) Image(ctx context.Context, id string) (*deltacloud.Image, error) {
	if !strings.HasPrefix(id, "ami-") {
		return nil, notFound("image", id)
	}
	out, err := c.client.DescribeImages(ctx, &ec2.DescribeImagesInput{ImageIds: []string{id}})
	if err != nil {
		return nil, c.wrap(err)
	}
	if len(out.Images) != 1 {
		return nil, notFound("image", id)
	}
	img := imageOf(out.Images[0])
	return &img, nil
}

// DestroyImage deregisters an AMI; its snapshots stay, as on EC2.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	if !strings.HasPrefix(id, "ami-") {
		return notFound("image", id)
	}
	_, err := c.client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: aws.String(id)})
	return c.wrap(err)
}
