package ec2

import (
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// NameTag is the EC2 tag that names a resource in the AWS console and in
// the driver's listings.
const NameTag = "Name"

// checkNameTag refuses a "Name" key in InstanceSpec.Tags unless the
// provider names instances (option name_tag): without it the driver does
// not advertise user_name, and a tag that renamed the instance behind that
// would surprise the original's clients. (The Provider already refuses
// InstanceSpec.Name then.)
func (c *conn) checkNameTag(spec deltacloud.InstanceSpec) error {
	if _, ok := spec.Tags[NameTag]; ok && !c.nameTag {
		return deltacloud.Errorf(deltacloud.InvalidArgument,
			"ec2: the %s tag names the instance; the provider needs the driver option name_tag=true for it", NameTag)
	}
	return nil
}

// instanceTags are the EC2 tags of a spec, sorted by key: its Tags, and
// its Name as the Name tag; a Name tag in Tags that says otherwise than
// Name is InvalidArgument.
func instanceTags(spec deltacloud.InstanceSpec) ([]types.Tag, error) {
	if v, ok := spec.Tags[NameTag]; ok && spec.Name != "" && v != spec.Name {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument,
			"ec2: name %q and tag %s=%q disagree; the Name tag is the instance's name", spec.Name, NameTag, v)
	}
	all := make(map[string]string, len(spec.Tags)+1)
	for k, v := range spec.Tags {
		all[k] = v
	}
	if spec.Name != "" {
		all[NameTag] = spec.Name
	}
	keys := make([]string, 0, len(all))
	for k := range all {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	tags := make([]types.Tag, 0, len(keys))
	for _, k := range keys {
		tags = append(tags, types.Tag{Key: aws.String(k), Value: aws.String(all[k])})
	}
	return tags, nil
}

// tagsOf is an instance's name (its Name tag) and its tags; nil tags when
// it has none.
func tagsOf(tags []types.Tag) (name string, out map[string]string) {
	for _, t := range tags {
		if out == nil {
			out = make(map[string]string, len(tags))
		}
		k, v := aws.ToString(t.Key), aws.ToString(t.Value)
		out[k] = v
		if k == NameTag {
			name = v
		}
	}
	return name, out
}
