package ec2test_test

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestTagNameAndRegionFilters drives the fake with the SDK: tag: and
// tag-key filters on instances, name patterns and state on images, and
// DescribeRegions.
func TestTagNameAndRegionFilters(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(100)
	ec, _ := clients(t, s, "AKID")
	ctx := t.Context()
	launch := func(tags ...string) string {
		in := &awsec2.RunInstancesInput{ImageId: aws.String("ami-00000001"), MinCount: aws.Int32(1), MaxCount: aws.Int32(1)}
		if len(tags) > 0 {
			spec := ec2types.TagSpecification{ResourceType: ec2types.ResourceTypeInstance}
			for i := 0; i+1 < len(tags); i += 2 {
				spec.Tags = append(spec.Tags, ec2types.Tag{Key: aws.String(tags[i]), Value: aws.String(tags[i+1])})
			}
			in.TagSpecifications = []ec2types.TagSpecification{spec}
		}
		out, err := ec.RunInstances(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return aws.ToString(out.Instances[0].InstanceId)
	}
	acme, globex, none := launch("tenant", "acme", "Name", "web"), launch("tenant", "globex"), launch()
	instances := func(fs ...ec2types.Filter) []string {
		out, err := ec.DescribeInstances(ctx, &awsec2.DescribeInstancesInput{Filters: fs})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, r := range out.Reservations {
			for _, i := range r.Instances {
				ids = append(ids, aws.ToString(i.InstanceId))
			}
		}
		return ids
	}
	f := func(name string, values ...string) ec2types.Filter {
		return ec2types.Filter{Name: aws.String(name), Values: values}
	}
	for _, c := range []struct {
		name string
		fs   []ec2types.Filter
		want []string
	}{
		{"no filter", nil, []string{acme, globex, none}},
		{"tag value", []ec2types.Filter{f("tag:tenant", "acme")}, []string{acme}},
		{"tag values", []ec2types.Filter{f("tag:tenant", "acme", "globex")}, []string{acme, globex}},
		{"two tags", []ec2types.Filter{f("tag:tenant", "acme"), f("tag:Name", "db")}, nil},
		{"tag key", []ec2types.Filter{f("tag-key", "Name")}, []string{acme}},
	} {
		if diff := cmp.Diff(c.want, instances(c.fs...)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.name, diff)
		}
	}

	s.AddImage(ec2test.Image{ID: "ami-0d000001", Name: "debian-12-amd64-20250101", OwnerID: "136693071363",
		Architecture: "x86_64", RootDeviceType: "ebs"}, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	imgs, err := ec.DescribeImages(ctx, &awsec2.DescribeImagesInput{Owners: []string{"136693071363", "amazon"},
		Filters: []ec2types.Filter{f("name", "debian-12-*", "amzn-?rm"), f("state", "available")}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, img := range imgs.Images {
		names = append(names, aws.ToString(img.Name))
	}
	if diff := cmp.Diff([]string{"amzn-arm", "debian-12-amd64-20250101"}, names); diff != "" {
		t.Errorf("images by name pattern (-want +got):\n%s", diff)
	}

	regions, err := ec.DescribeRegions(ctx, &awsec2.DescribeRegionsInput{RegionNames: []string{"eu-west-1"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(regions.Regions) != 1 || aws.ToString(regions.Regions[0].RegionName) != "eu-west-1" ||
		aws.ToString(regions.Regions[0].Endpoint) != "ec2.eu-west-1.amazonaws.com" || aws.ToString(regions.Regions[0].OptInStatus) != "opt-in-not-required" {
		t.Errorf("DescribeRegions(eu-west-1) = %+v", regions.Regions)
	}
}
