package wire

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// Realm is the realm document:
//
//	<realm href='{B}/realms/us' id='us'><name>United States</name>
//	  <state>AVAILABLE</state><limit><![CDATA[…]]></limit></realm>
//
// Limit is left out when the realm is unlimited.
type Realm struct {
	XMLName struct{} `xml:"realm"`
	Href    string   `xml:"href,attr"`
	ID      string   `xml:"id,attr"`
	Name    string   `xml:"name"`
	State   string   `xml:"state"`
	Limit   *CDATA   `xml:"limit"`
}

// Declared reports that the realm document has an XML declaration.
func (Realm) Declared() bool { return true }

// Realms is the realm index document, <realms><realm>…</realm></realms>.
type Realms struct {
	XMLName struct{} `xml:"realms"`
	Realms  []Realm  `xml:"realm"`
}

// Declared reports that the realm index has an XML declaration.
func (Realms) Declared() bool { return true }

// NewRealm builds the realm document for r, with hrefs under base
// (e.g. "http://localhost:3001/api").
func NewRealm(base string, r deltacloud.Realm) Realm {
	d := Realm{Href: memberHref(base, "realms", r.ID), ID: r.ID, Name: r.Name, State: string(r.State)}
	if r.Limit != 0 {
		d.Limit = &CDATA{Text: strconv.Itoa(r.Limit)}
	}
	return d
}

// NewRealms builds the realm index document.
func NewRealms(base string, rs []deltacloud.Realm) Realms {
	d := Realms{Realms: make([]Realm, len(rs))}
	for i, r := range rs {
		d.Realms[i] = NewRealm(base, r)
	}
	return d
}

// DecodeRealm reads a realm document.
func DecodeRealm(data []byte) (*Realm, error) { return decode[Realm](data) }

// DecodeRealms reads a realm index document.
func DecodeRealms(data []byte) (*Realms, error) { return decode[Realms](data) }

// Model converts the document into the model. A limit that is not a
// non-negative whole number is an error; "unlimited" or no limit is 0.
func (d *Realm) Model() (deltacloud.Realm, error) {
	r := deltacloud.Realm{ID: text(d.ID), Name: text(d.Name), State: deltacloud.RealmState(text(d.State))}
	if d.Limit != nil {
		n, err := parseLimit(d.Limit.Text)
		if err != nil {
			return deltacloud.Realm{}, fmt.Errorf("wire: realm %q: %w", r.ID, err)
		}
		r.Limit = n
	}
	return r, nil
}

// Model converts the index into the model.
func (d *Realms) Model() ([]deltacloud.Realm, error) {
	out := make([]deltacloud.Realm, len(d.Realms))
	for i := range d.Realms {
		r, err := d.Realms[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func parseLimit(s string) (int, error) {
	s = text(s)
	if s == "" || strings.EqualFold(s, "unlimited") {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("limit %q is not a number of instances", s)
	}
	return n, nil
}

// RealmJSON is the realm's JSON form: {id, href, name, state, limit}.
type RealmJSON struct {
	ID    string `json:"id"`
	Href  string `json:"href"`
	Name  string `json:"name"`
	State string `json:"state"`
	Limit Limit  `json:"limit"`
}

// RealmsJSON is the realm index's JSON form, {"realms":[…]}.
type RealmsJSON struct {
	Realms []RealmJSON `json:"realms"`
}

// RealmShowJSON is the realm show JSON form, {"realm":{…}}.
type RealmShowJSON struct {
	Realm RealmJSON `json:"realm"`
}

// JSON returns the realm's JSON form.
func (d Realm) JSON() RealmJSON {
	j := RealmJSON{ID: d.ID, Href: d.Href, Name: d.Name, State: d.State}
	if d.Limit != nil {
		j.Limit = Limit(text(d.Limit.Text))
	}
	return j
}

// ShowJSON returns the realm show JSON form.
func (d Realm) ShowJSON() RealmShowJSON { return RealmShowJSON{Realm: d.JSON()} }

// JSON returns the index's JSON form.
func (d Realms) JSON() RealmsJSON {
	j := RealmsJSON{Realms: make([]RealmJSON, len(d.Realms))}
	for i, r := range d.Realms {
		j.Realms[i] = r.JSON()
	}
	return j
}

// Limit is a realm's instance limit in JSON, kept as the XML's text: empty
// (unlimited) is written as the string "unlimited", a whole number as a JSON
// number, anything else as a string.
type Limit string

// MarshalJSON writes "unlimited", the number, or the text.
func (l Limit) MarshalJSON() ([]byte, error) {
	if text(string(l)) == "" {
		return []byte(`"unlimited"`), nil
	}
	return Number(l).MarshalJSON()
}

// UnmarshalJSON reads a number, a string or null; "unlimited" and null are
// the empty limit.
func (l *Limit) UnmarshalJSON(b []byte) error {
	if err := (*Number)(l).UnmarshalJSON(b); err != nil {
		return err
	}
	if strings.EqualFold(text(string(*l)), "unlimited") {
		*l = ""
	}
	return nil
}
