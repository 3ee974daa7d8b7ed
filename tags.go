package deltacloud

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Portable instance tags: InstanceSpec.Tags are key/value labels a program
// puts on the instances it creates (a broker's tenant, a job id, a cost
// centre), which every driver that serves them writes as the cloud's own
// tags (EC2 tags, Azure resource tags, the mock's stored map) and reports
// on Instance.Tags; InstanceFilter.TagKey lists the instances carrying one.
//
// The bounds are what every cloud served accepts, so that a spec valid for
// one driver is valid for all (CheckTags):
//
//   - at most MaxTags tags;
//   - a key is 1 to MaxTagKeyLen characters, a value 0 to MaxTagValueLen,
//     both valid UTF-8 without control characters;
//   - a key holds none of < > % & \ ? / (Azure refuses them) and does not
//     start with "aws:" (EC2 reserves it), in any case;
//   - no two keys differ only in case (Azure's keys ignore case).
//
// A cloud may add its own tags (EC2's Name, Azure's deltacloud-* ownership
// tags); drivers show a user's tags on Instance.Tags and refuse keys that
// would overwrite their own with InvalidArgument.
const (
	MaxTags        = 50
	MaxTagKeyLen   = 128
	MaxTagValueLen = 256
)

// InstanceTagger is implemented by drivers that write InstanceSpec.Tags on
// the instances they create. Provider.CreateInstance refuses tags with
// ErrNotSupported for a driver that does not, rather than create
// instances without the labels the caller relies on.
type InstanceTagger interface {
	// TagsInstances reports whether this provider writes tags.
	TagsInstances() bool
}

// CheckTags reports the first tag outside the portable bounds as an
// InvalidArgument error naming it.
func CheckTags(tags map[string]string) error {
	if len(tags) > MaxTags {
		return &Error{Code: InvalidArgument, Message: fmt.Sprintf("%d tags; at most %d are allowed", len(tags), MaxTags)}
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	folded := make(map[string]string, len(tags))
	for _, k := range keys {
		v := tags[k]
		bad := func(format string, args ...any) error {
			return &Error{Code: InvalidArgument, Message: fmt.Sprintf("tag %q: ", truncate(k)) + fmt.Sprintf(format, args...)}
		}
		switch n := utf8.RuneCountInString(k); {
		case n == 0:
			return &Error{Code: InvalidArgument, Message: "a tag key is empty"}
		case n > MaxTagKeyLen:
			return bad("the key has %d characters; at most %d are allowed", n, MaxTagKeyLen)
		case !printable(k):
			return bad("the key is not valid UTF-8 text")
		case strings.ContainsAny(k, `<>%&\?/`):
			return bad(`the key holds one of < > %% & \ ? /`)
		case strings.HasPrefix(strings.ToLower(k), "aws:"):
			return bad(`keys starting with "aws:" are reserved`)
		}
		if n := utf8.RuneCountInString(v); n > MaxTagValueLen {
			return bad("the value has %d characters; at most %d are allowed", n, MaxTagValueLen)
		}
		if !printable(v) {
			return bad("the value is not valid UTF-8 text")
		}
		if other, ok := folded[strings.ToLower(k)]; ok {
			return bad("the key differs from %q only in case", other)
		}
		folded[strings.ToLower(k)] = k
	}
	return nil
}

// checkInstanceTags checks a spec's tags against the bounds and the
// driver's support for them.
func (p *Provider) checkInstanceTags(op string, tags map[string]string) error {
	if len(tags) == 0 {
		return nil
	}
	if t, ok := p.conn.(InstanceTagger); !ok || !t.TagsInstances() {
		return &Error{Code: NotSupported, Op: op, Message: fmt.Sprintf("driver %s does not write instance tags", p.driver)}
	}
	if err := CheckTags(tags); err != nil {
		err.(*Error).Op = op
		return err
	}
	return nil
}

// matchTag reports whether tags carry key with value; an empty key
// matches all.
func matchTag(tags map[string]string, key, value string) bool {
	if key == "" {
		return true
	}
	got, ok := tags[key]
	return ok && got == value
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// truncate shortens what an error quotes of a long key.
func truncate(s string) string {
	if len(s) <= 64 {
		return s
	}
	return strings.ToValidUTF8(s[:64], "") + "…"
}
