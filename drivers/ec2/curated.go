package ec2

import (
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// ImageFamily is one operating system release of the curated image set: the
// AMIs its publisher (an account id or alias) names after Pattern, an EC2
// name filter where * stands for any text (a version, a date, an
// architecture).
type ImageFamily struct {
	Name, Owner, Pattern string
}

// CuratedImages returns the image families listed by default beside the
// caller's own images: the current long-term releases of the common
// general-purpose systems, as their publishers name them on AWS. Of each
// family the newest available AMI of each architecture is listed, so the
// listing is a handful of images a user can launch rather than the tens of
// thousands of Amazon-owned AMIs (every dated build of every product) the
// original listed. The option image_owners replaces the default with every
// image of the owners it names (e.g. "self,amazon", the old default).
func CuratedImages() []ImageFamily { return slices.Clone(curatedImages) }

var curatedImages = []ImageFamily{
	{"Amazon Linux 2023", "amazon", "al2023-ami-2023.*"},
	{"Ubuntu 24.04 LTS", "099720109477", "ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-*-server-*"},
	{"Ubuntu 22.04 LTS", "099720109477", "ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-*-server-*"},
	{"Debian 12", "136693071363", "debian-12-*"},
	{"Windows Server 2022", "amazon", "Windows_Server-2022-English-Full-Base-*"},
}

// curatedPatterns are the families' patterns as regular expressions.
var curatedPatterns = func() []*regexp.Regexp {
	rs := make([]*regexp.Regexp, len(curatedImages))
	for i, f := range curatedImages {
		rs[i] = regexp.MustCompile("^" + strings.ReplaceAll(regexp.QuoteMeta(f.Pattern), `\*`, ".*") + "$")
	}
	return rs
}()

// family is the index of the curated family an AMI belongs to, or -1.
func family(img types.Image) int {
	for i, f := range curatedImages {
		owner := aws.ToString(img.OwnerId)
		if (f.Owner == owner || f.Owner == aws.ToString(img.ImageOwnerAlias)) && curatedPatterns[i].MatchString(aws.ToString(img.Name)) {
			return i
		}
	}
	return -1
}

// curated lists the newest available AMI of each curated family and
// architecture, with one DescribeImages listing (its publishers' images
// named after any family, which EC2 filters), narrowed by the listing's
// filters.
func (c *conn) curated(ctx context.Context, filters []types.Filter) ([]deltacloud.Image, error) {
	in := &ec2.DescribeImagesInput{Filters: append(slices.Clone(filters), filter("state", "available"))}
	var patterns []string
	for _, f := range curatedImages {
		if !slices.Contains(in.Owners, f.Owner) {
			in.Owners = append(in.Owners, f.Owner)
		}
		patterns = append(patterns, f.Pattern)
	}
	in.Filters = append(in.Filters, filter("name", patterns...))
	type key struct {
		family int
		arch   types.ArchitectureValues
	}
	newest := map[key]types.Image{}
	pg := ec2.NewDescribeImagesPaginator(c.client, in)
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, img := range page.Images {
			fam := family(img)
			if fam < 0 {
				continue
			}
			k := key{fam, img.Architecture}
			// CreationDate is RFC 3339 in UTC, so it orders as text.
			if old, ok := newest[k]; !ok || aws.ToString(img.CreationDate) > aws.ToString(old.CreationDate) {
				newest[k] = img
			}
		}
	}
	keys := make([]key, 0, len(newest))
	for k := range newest {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.family != b.family {
			return a.family - b.family
		}
		return strings.Compare(string(a.arch), string(b.arch))
	})
	out := make([]deltacloud.Image, len(keys))
	for i, k := range keys {
		out[i] = imageOf(newest[k])
	}
	return out, nil
}
