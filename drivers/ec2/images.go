package ec2

import (
	"context"
	"slices"
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
	if err := c.withProfiles(ctx, imgs); err != nil {
		return nil, err
	}
	return imgs, nil
}

// withProfiles fills in the hardware profiles each image runs on: the
// instance types whose architecture allows the image's (HardwareProfileFilter
// with that architecture), from the provider's cached catalogue, as the
// original Deltacloud listed them. Images of one architecture share one
// slice. When the catalogue cannot be listed (an account not allowed
// ec2:DescribeInstanceTypes, a throttled request) the images are shown
// without profiles, which means unrestricted: creates still check the
// architecture. Only the end of ctx is an error.
func (c *conn) withProfiles(ctx context.Context, imgs []deltacloud.Image) error {
	if len(imgs) == 0 {
		return nil
	}
	hs, err := c.types.get(ctx, c.listTypes)
	if err != nil {
		return ctx.Err()
	}
	byArch := map[string][]string{}
	for i := range imgs {
		arch := imgs[i].Architecture
		if arch == "" {
			continue
		}
		ids, ok := byArch[arch]
		if !ok {
			ids = []string{}
			f := deltacloud.HardwareProfileFilter{Architecture: arch}
			for _, h := range hs {
				if f.Match(h) {
					ids = append(ids, h.ID)
				}
			}
			ids = slices.Clip(ids)
			byArch[arch] = ids
		}
		imgs[i].HardwareProfiles = ids
	}
	return nil
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
	imgs := []deltacloud.Image{imageOf(out.Images[0])}
	if err := c.withProfiles(ctx, imgs); err != nil {
		return nil, err
	}
	return &imgs[0], nil
}

// DestroyImage deregisters an AMI; its snapshots stay, as on EC2.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	if !strings.HasPrefix(id, "ami-") {
		return notFound("image", id)
	}
	_, err := c.client.DeregisterImage(ctx, &ec2.DeregisterImageInput{ImageId: aws.String(id)})
	return c.wrap(err)
}
