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
			return nil, wrap(err)
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
