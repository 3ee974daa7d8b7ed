package hetzner

import (
	"encoding/base32"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// labelText reports whether s is a valid label value or key name: 1-63
// letters, digits, '-', '_' and '.', alphanumeric at both ends.
func labelText(s string) bool {
	if len(s) == 0 || len(s) > 63 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !alnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return alnum(s[0]) && alnum(s[len(s)-1])
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' }

// labelKey reports whether k is a valid label key: an optional DNS
// subdomain prefix and '/', then a name as labelText.
func labelKey(k string) bool {
	name := k
	if i := strings.LastIndexByte(k, '/'); i >= 0 {
		prefix := k[:i]
		if prefix == "" || len(prefix) > 253 {
			return false
		}
		for _, part := range strings.Split(prefix, ".") {
			if !labelText(part) || strings.ContainsAny(part, "_") {
				return false
			}
		}
		name = k[i+1:]
	}
	return labelText(name)
}

// textEncoding writes free text into label values: lower-case base32hex
// without padding, whose letters and digits are valid anywhere in a value.
var textEncoding = base32.HexEncoding.WithPadding(base32.NoPadding)

// textPrefix marks an encoded value.
const textPrefix = "b32."

// textLabels stores free text (a description, a name with spaces) in
// labels, since label values allow only 63 characters of a small set: text
// that is itself a valid value is stored as it is under key; other text is
// "b32." and its base32hex encoding, split into values of 63 characters
// under key, key-2, key-3, …. Empty text stores nothing.
func textLabels(labels map[string]string, key, text string) {
	if text == "" {
		return
	}
	if labelText(text) && !strings.HasPrefix(text, textPrefix) {
		labels[key] = text
		return
	}
	enc := textPrefix + strings.ToLower(textEncoding.EncodeToString([]byte(text)))
	for i := 1; enc != ""; i++ {
		n := min(63, len(enc))
		k := key
		if i > 1 {
			k = key + "-" + strconv.Itoa(i)
		}
		labels[k] = enc[:n]
		enc = enc[n:]
	}
}

// textFromLabels reads what textLabels stored ("" when nothing is).
func textFromLabels(labels map[string]string, key string) string {
	v := labels[key]
	if !strings.HasPrefix(v, textPrefix) {
		return v
	}
	var b strings.Builder
	b.WriteString(v[len(textPrefix):])
	for i := 2; ; i++ {
		more, ok := labels[key+"-"+strconv.Itoa(i)]
		if !ok {
			break
		}
		b.WriteString(more)
	}
	out, err := textEncoding.DecodeString(strings.ToUpper(b.String()))
	if err != nil {
		return v
	}
	return string(out)
}

// maxTextLen bounds the text stored in labels, so that a resource keeps
// room for other labels.
const maxTextLen = 255

// checkText refuses text too long for textLabels.
func checkText(what, text string) error {
	if len(text) > maxTextLen {
		return invalid("%s is %d bytes; at most %d are kept", what, len(text), maxTextLen)
	}
	return nil
}

// ownLabel reports whether a label key is one of the driver's own.
func ownLabel(k string) bool { return strings.HasPrefix(k, "deltacloud-") }

// userTags returns the labels that are not the driver's own (nil when
// there are none).
func userTags(labels map[string]string) map[string]string {
	var out map[string]string
	for k, v := range labels {
		if ownLabel(k) {
			continue
		}
		if out == nil {
			out = make(map[string]string, len(labels))
		}
		out[k] = v
	}
	return out
}

// checkTags refuses tags that cannot be Hetzner labels, or would be the
// driver's own.
func checkTags(tags map[string]string) error {
	for _, k := range sortedKeys(tags) {
		v := tags[k]
		switch {
		case ownLabel(k):
			return invalid("tag %q: keys starting with deltacloud- are the driver's own", k)
		case !labelKey(k):
			return invalid("tag %q: a Hetzner label key is an optional DNS prefix and '/', then 1-63 letters, digits, '-', '_' or '.', alphanumeric at both ends", k)
		case v != "" && !labelText(v):
			return invalid("tag %q: the value %q is not a Hetzner label value (at most 63 letters, digits, '-', '_' or '.', alphanumeric at both ends)", k, v)
		}
	}
	return nil
}

func sortedKeys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

// ownerLabels are the labels of a new resource: the ownership label.
func (c *conn) ownerLabels() map[string]string {
	return map[string]string{LabelOwner: c.opts.owner}
}

var _ deltacloud.InstanceTagger = (*conn)(nil)
