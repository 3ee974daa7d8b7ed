package wire

import (
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// The request parameters and headers of the optional collections that are
// more than name=value: blob metadata (as X-Deltacloud-Blobmeta-* headers
// and as meta_params/meta_nameN/meta_valueN form fields) and firewall rule
// sources (ip_address* and groupN/groupNowner). The handler parses them,
// the remote driver writes them, with the same code.

// BlobMetaHeaderPrefix begins the header of each blob metadata entry,
// X-Deltacloud-Blobmeta-<name>.
const BlobMetaHeaderPrefix = "X-Deltacloud-Blobmeta-"

// MaxBlobMetadata bounds the entries one request may set, so a count
// parameter cannot make the server loop or allocate without end.
const MaxBlobMetadata = 1000

// BlobMetadataFromHeader collects the X-Deltacloud-Blobmeta-<Name> headers
// of h. Names are lower-cased, as the original server stored them
// (X-Deltacloud-Blobmeta-Version is stored and shown as version): header
// names are case-insensitive, so no spelling of one can be kept over
// another. Several values of one name are joined with ", ". Headers with an
// empty name are ignored. nil means there were none.
func BlobMetadataFromHeader(h http.Header) map[string]string {
	var meta map[string]string
	for k, vs := range h {
		if len(k) <= len(BlobMetaHeaderPrefix) || !strings.EqualFold(k[:len(BlobMetaHeaderPrefix)], BlobMetaHeaderPrefix) {
			continue
		}
		if meta == nil {
			meta = map[string]string{}
		}
		name := strings.ToLower(k[len(BlobMetaHeaderPrefix):])
		if old, ok := meta[name]; ok {
			vs = append([]string{old}, vs...)
		}
		meta[name] = strings.Join(vs, ", ")
	}
	return meta
}

// SetBlobMetadataHeader sets one X-Deltacloud-Blobmeta-<name> header per
// entry of meta on h, the name written as it is (not canonicalised, so a
// client sees the name exactly as stored, X-Deltacloud-Blobmeta-author).
func SetBlobMetadataHeader(h http.Header, meta map[string]string) {
	for _, k := range sortedKeys(meta) {
		h[BlobMetaHeaderPrefix+k] = []string{meta[k]}
	}
}

// BlobMetadataFromParams reads blob metadata from form parameters:
// meta_params=N with meta_name1…meta_nameN and meta_value1…meta_valueN.
// Without meta_params every meta_nameN present is taken. Entries with an
// empty name are skipped; a count that is not a number from 0 to
// MaxBlobMetadata is ErrInvalidArgument. Names are kept as sent.
func BlobMetadataFromParams(v url.Values) (map[string]string, error) {
	var idx []int
	if s := strings.TrimSpace(v.Get("meta_params")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > MaxBlobMetadata {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "meta_params %q is not a number from 0 to %d", s, MaxBlobMetadata)
		}
		for i := 1; i <= n; i++ {
			idx = append(idx, i)
		}
	} else {
		for k := range v {
			if rest, ok := strings.CutPrefix(k, "meta_name"); ok {
				if i, err := strconv.Atoi(rest); err == nil && i >= 0 && strconv.Itoa(i) == rest {
					idx = append(idx, i)
				}
			}
		}
		if len(idx) > MaxBlobMetadata {
			return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "more than %d metadata entries", MaxBlobMetadata)
		}
		slices.Sort(idx)
	}
	var meta map[string]string
	for _, i := range idx {
		n := strconv.Itoa(i)
		name := strings.TrimSpace(v.Get("meta_name" + n))
		if name == "" {
			continue
		}
		if meta == nil {
			meta = map[string]string{}
		}
		meta[name] = v.Get("meta_value" + n)
	}
	return meta, nil
}

// BlobMetadataParams writes meta as the form parameters
// BlobMetadataFromParams reads, entries sorted by name.
func BlobMetadataParams(meta map[string]string) url.Values {
	v := url.Values{}
	if len(meta) == 0 {
		return v
	}
	v.Set("meta_params", strconv.Itoa(len(meta)))
	for i, k := range sortedKeys(meta) {
		n := strconv.Itoa(i + 1)
		v.Set("meta_name"+n, k)
		v.Set("meta_value"+n, meta[k])
	}
	return v
}

// FirewallRuleFromParams reads POST {B}/firewalls/:id/rules: protocol,
// port_from, port_to, and the sources — every parameter whose name begins
// with ip_address (an address block, "10.0.0.0/8", or one address) and
// every groupN with its groupNowner. Sources come in the order of their
// parameter names' numbers. Malformed ports or address blocks are
// ErrInvalidArgument, as is a rule without sources (the original's
// message). Ports left out are 0; the Provider checks the rest
// (deltacloud.CheckFirewallRule).
func FirewallRuleFromParams(v url.Values) (deltacloud.FirewallRuleSpec, error) {
	r := deltacloud.FirewallRuleSpec{Protocol: strings.TrimSpace(v.Get("protocol"))}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"port_from", &r.PortFrom}, {"port_to", &r.PortTo}} {
		s := strings.TrimSpace(v.Get(p.name))
		if s == "" {
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < -1 || n > 65535 {
			return r, deltacloud.Errorf(deltacloud.InvalidArgument, "%s %q is not a port", p.name, s)
		}
		*p.dst = n
	}
	var addrKeys, groupKeys []string
	for k := range v {
		switch {
		case strings.HasPrefix(k, "ip_address"):
			addrKeys = append(addrKeys, k)
		case strings.HasPrefix(k, "group") && !strings.HasSuffix(k, "owner"):
			if _, err := strconv.Atoi(k[len("group"):]); err == nil {
				groupKeys = append(groupKeys, k)
			}
		}
	}
	slices.SortFunc(addrKeys, byNumberedName("ip_address"))
	slices.SortFunc(groupKeys, byNumberedName("group"))
	for _, k := range addrKeys {
		for _, s := range v[k] {
			s = strings.TrimSpace(s)
			if s == "" {
				continue
			}
			p, err := parseAddressBlock(s)
			if err != nil {
				return r, deltacloud.Errorf(deltacloud.InvalidArgument, "%s %q is not an address block", k, s)
			}
			r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceAddress, Prefix: p})
		}
	}
	for _, k := range groupKeys {
		g := strings.TrimSpace(v.Get(k))
		if g == "" {
			continue
		}
		r.Sources = append(r.Sources, deltacloud.RuleSource{Type: deltacloud.SourceGroup, Group: g,
			Owner: strings.TrimSpace(v.Get(k + "owner"))})
	}
	if len(r.Sources) == 0 {
		return r, deltacloud.Errorf(deltacloud.InvalidArgument, "No sources. Specify at least one source ip address or group.")
	}
	return r, nil
}

// parseAddressBlock reads "10.0.0.0/8" or a single address (a /32 or
// /128).
func parseAddressBlock(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		return netip.ParsePrefix(s)
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	if a.Zone() != "" {
		return netip.Prefix{}, fmt.Errorf("address %q has a zone", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// byNumberedName orders names "<prefix>N" by N, names without a number
// first, then by name.
func byNumberedName(prefix string) func(a, b string) int {
	num := func(s string) int {
		n, err := strconv.Atoi(strings.TrimPrefix(s, prefix))
		if err != nil {
			return -1
		}
		return n
	}
	return func(a, b string) int {
		if na, nb := num(a), num(b); na != nb {
			return na - nb
		}
		return strings.Compare(a, b)
	}
}

// FirewallRuleParams writes r as the form parameters FirewallRuleFromParams
// reads: address sources as ip_address1…, group sources as group1 and
// group1owner, ….
func FirewallRuleParams(r deltacloud.FirewallRuleSpec) url.Values {
	v := url.Values{}
	v.Set("protocol", r.Protocol)
	v.Set("port_from", strconv.Itoa(r.PortFrom))
	v.Set("port_to", strconv.Itoa(r.PortTo))
	na, ng := 0, 0
	for _, s := range r.Sources {
		switch s.Type {
		case deltacloud.SourceAddress:
			na++
			v.Set(fmt.Sprintf("ip_address%d", na), s.Prefix.String())
		default:
			ng++
			v.Set(fmt.Sprintf("group%d", ng), s.Group)
			if s.Owner != "" {
				v.Set(fmt.Sprintf("group%downer", ng), s.Owner)
			}
		}
	}
	return v
}
