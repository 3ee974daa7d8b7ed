package libvirt

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Ownership and bookkeeping: every domain the driver defines carries one
// element of the driver's own namespace in its <metadata>, which libvirt
// keeps with the domain (virDomainGetMetadata reads it alone, without the
// rest of the domain XML). Instances are the domains whose element names
// the provider's owner; the element also says what the domain was made
// from and which volumes the driver made or attached for it.
const (
	// MetadataURI is the namespace of the driver's metadata element.
	MetadataURI = "https://github.com/deltacloud-go/deltacloud/drivers/libvirt/instance/1"
	// metadataKey is the namespace prefix the element is written with.
	metadataKey = "deltacloud"
	// maxMetadata bounds the metadata element the driver reads back.
	maxMetadata = 256 << 10
)

// meta is the driver's metadata element of a domain.
type meta struct {
	XMLName xml.Name `xml:"instance"`
	Owner   string   `xml:"owner"`
	// Name is the instance name the user asked for; the domain's own
	// name adds a random suffix.
	Name    string `xml:"name"`
	Image   string `xml:"image"`
	Profile string `xml:"profile"`
	KeyName string `xml:"keyname,omitempty"`
	Created string `xml:"created"`
	// Root and Seed are the overlay and cloud-init seed volumes the
	// driver made for the domain (in the volume pool), deleted with it.
	Root  string     `xml:"root"`
	Seed  string     `xml:"seed,omitempty"`
	Disks []metaDisk `xml:"disk"`
	Tags  []metaTag  `xml:"tag"`
}

// metaDisk is a storage volume attached by the driver.
type metaDisk struct {
	Volume string `xml:"volume,attr"`
	Device string `xml:"device,attr"`
}

// metaTag is one user tag.
type metaTag struct {
	Key   string `xml:"key,attr"`
	Value string `xml:"value,attr"`
}

// parseMeta reads the metadata element libvirt hands back.
func parseMeta(s string) (*meta, error) {
	if len(s) > maxMetadata {
		return nil, fmt.Errorf("libvirt: metadata element is %d bytes; at most %d", len(s), maxMetadata)
	}
	var m meta
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	if err := d.Decode(&m); err != nil {
		return nil, fmt.Errorf("libvirt: unreadable metadata element: %w", err)
	}
	if m.XMLName.Space != "" && m.XMLName.Space != MetadataURI {
		return nil, fmt.Errorf("libvirt: metadata element of namespace %q", m.XMLName.Space)
	}
	return &m, nil
}

// marshal writes the element in the driver's namespace, as it sits in a
// domain's <metadata>; without it (plain) as virDomainSetMetadata takes
// it, adding the namespace itself.
func (m *meta) marshal(plain bool) (string, error) {
	var b bytes.Buffer
	start := xml.StartElement{Name: xml.Name{Space: MetadataURI, Local: "instance"}}
	if plain {
		start.Name.Space = ""
	}
	if err := xml.NewEncoder(&b).EncodeElement(m, start); err != nil {
		return "", err
	}
	return b.String(), nil
}

// created is the creation time, zero when unreadable.
func (m *meta) created() time.Time {
	t, _ := time.Parse(time.RFC3339, m.Created)
	return t
}

// tags are the user tags as a map; nil when none.
func (m *meta) tags() map[string]string {
	if len(m.Tags) == 0 {
		return nil
	}
	out := make(map[string]string, len(m.Tags))
	for _, t := range m.Tags {
		out[t.Key] = t.Value
	}
	return out
}

// metaCache keeps the parsed metadata elements a provider has read, by
// their text: a domain's element changes only when the driver attaches
// or detaches a volume, so a listing parses each element once rather than
// on every call (encoding/xml costs more than the two calls that read a
// domain). Small elements only, and a bounded number of them.
type metaCache struct {
	mu sync.Mutex
	m  map[string]*meta
}

const (
	maxCachedMeta     = 4096    // elements kept
	maxCachedMetaSize = 4 << 10 // bytes of one element kept
)

// parse returns the element's parsed form, a copy the caller may change.
func (c *metaCache) parse(s string) (*meta, error) {
	if len(s) > maxCachedMetaSize {
		return parseMeta(s)
	}
	c.mu.Lock()
	m, ok := c.m[s]
	c.mu.Unlock()
	if !ok {
		var err error
		if m, err = parseMeta(s); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.m == nil || len(c.m) >= maxCachedMeta {
			c.m = make(map[string]*meta)
		}
		c.m[s] = m
		c.mu.Unlock()
	}
	return m.clone(), nil
}

// clone copies an element, its lists included.
func (m *meta) clone() *meta {
	c := *m
	c.Disks = slices.Clone(m.Disks)
	c.Tags = slices.Clone(m.Tags)
	return &c
}
