package ec2_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestCuratedImages: the default listing is the caller's own images and
// the newest build of each curated family and architecture, from two
// DescribeImages requests; look-alikes of other publishers and other
// products of the same publisher stay out, and image_owners brings back a
// listing by owner.
func TestCuratedImages(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(1000)
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	const canonical, debian = "099720109477", "136693071363"
	for _, c := range []struct {
		img     ec2test.Image
		created time.Time
	}{
		{ec2test.Image{ID: "ami-0a100001", Name: "al2023-ami-2023.6.20250101.0-kernel-6.1-x86_64", OwnerID: "137112412989", OwnerAlias: "amazon", Architecture: "x86_64", RootDeviceType: "ebs"}, day(1)},
		{ec2test.Image{ID: "ami-0a100002", Name: "al2023-ami-2023.6.20250110.0-kernel-6.1-x86_64", OwnerID: "137112412989", OwnerAlias: "amazon", Architecture: "x86_64", RootDeviceType: "ebs"}, day(10)},
		{ec2test.Image{ID: "ami-0a100003", Name: "al2023-ami-2023.6.20250105.0-kernel-6.1-arm64", OwnerID: "137112412989", OwnerAlias: "amazon", Architecture: "arm64", RootDeviceType: "ebs"}, day(5)},
		{ec2test.Image{ID: "ami-0a100004", Name: "al2023-ami-minimal-2023.6.20250120.0-kernel-6.1-x86_64", OwnerID: "137112412989", OwnerAlias: "amazon", Architecture: "x86_64", RootDeviceType: "ebs"}, day(20)},
		{ec2test.Image{ID: "ami-0b100001", Name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250102", OwnerID: canonical, Architecture: "x86_64", RootDeviceType: "ebs"}, day(2)},
		{ec2test.Image{ID: "ami-0b100002", Name: "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20250103", OwnerID: canonical, Architecture: "x86_64", RootDeviceType: "ebs"}, day(3)},
		{ec2test.Image{ID: "ami-0b100003", Name: "ubuntu-pro-server/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-pro-server-20250104", OwnerID: canonical, Architecture: "x86_64", RootDeviceType: "ebs"}, day(4)},
		{ec2test.Image{ID: "ami-0c100001", Name: "debian-12-amd64-20250101-1949", OwnerID: debian, Architecture: "x86_64", RootDeviceType: "ebs"}, day(1)},
		{ec2test.Image{ID: "ami-0c100002", Name: "debian-12-amd64-20250115-2000", OwnerID: "999999999999", Architecture: "x86_64", RootDeviceType: "ebs"}, day(15)},
	} {
		s.AddImage(c.img, c.created)
	}
	p := open(t, s)
	before := s.Calls("DescribeImages")
	imgs, err := p.Images(t.Context(), deltacloud.ImageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Calls("DescribeImages") - before; n != 2 {
		t.Errorf("%d DescribeImages requests, want 2 (own, curated)", n)
	}
	var got []string
	for _, img := range imgs {
		got = append(got, img.ID)
	}
	// Own images, then by family order (Amazon Linux, Ubuntu 24.04,
	// Debian) and architecture; the Ubuntu Pro build (another product), the
	// minimal Amazon Linux and the look-alike Debian are not families.
	want := []string{"ami-00000001", "ami-00000004", "ami-0a100003", "ami-0a100002", "ami-0b100002", "ami-0c100001"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("default listing (-want +got):\n%s", diff)
	}
	arm, err := p.Images(t.Context(), deltacloud.ImageFilter{Architecture: "arm64"})
	if err != nil || len(arm) != 1 || arm[0].ID != "ami-0a100003" {
		t.Errorf("arm64 listing = %+v, %v; want the Amazon Linux arm64 build", arm, err)
	}

	byOwner := open(t, s, "image_owners", "self,amazon")
	imgs, err = byOwner.Images(t.Context(), deltacloud.ImageFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got = nil
	for _, img := range imgs {
		got = append(got, img.ID)
	}
	want = []string{"ami-00000001", "ami-00000002", "ami-00000003", "ami-00000004", "ami-0a100001", "ami-0a100002", "ami-0a100003", "ami-0a100004"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("image_owners=self,amazon (-want +got):\n%s", diff)
	}
	if _, err := openFake(t.Context(), s, goodCreds, "image_owners", " , "); err == nil {
		t.Error("image_owners naming no owner accepted")
	}
	if len(ec2.CuratedImages()) < 5 {
		t.Errorf("CuratedImages = %v", ec2.CuratedImages())
	}
}
