package azuretest

import (
	"strings"
	"unicode/utf8"
)

// validTags applies Azure's limits on a resource's tags: at most 50, names
// of at most 512 characters without < > % & \ ? /, values of at most 256.
func validTags(tags map[string]*string) bool {
	if len(tags) > 50 {
		return false
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > 512 || strings.ContainsAny(k, `<>%&\?/`) ||
			(v != nil && utf8.RuneCountInString(*v) > 256) {
			return false
		}
	}
	return true
}
