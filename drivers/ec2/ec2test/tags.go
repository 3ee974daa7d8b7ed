package ec2test

import (
	"slices"
	"strings"
)

// matchTags applies DescribeInstances' tag filters as EC2 does: tag:Key
// keeps resources whose tag Key has one of the values, tag-key those that
// carry one of the keys.
func matchTags(fs map[string][]string, tags map[string]string) bool {
	for name, values := range fs {
		if key, ok := strings.CutPrefix(name, "tag:"); ok {
			v, has := tags[key]
			if !has || !slices.Contains(values, v) {
				return false
			}
		}
		if name == "tag-key" && !slices.ContainsFunc(values, func(k string) bool { _, ok := tags[k]; return ok }) {
			return false
		}
	}
	return true
}
