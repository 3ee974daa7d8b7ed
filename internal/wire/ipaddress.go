package wire

import (
	"github.com/deltacloud-go/deltacloud"
)

// IPAddress is the address document of the addresses collection (Address is an instance's address):
//
//	<address href='{B}/addresses/192.168.0.1' id='192.168.0.1'><ip>192.168.0.1</ip>
//	  <actions><link href='{B}/addresses/ID' method='delete' rel='destroy' />
//	    <link href='{B}/addresses/ID/associate' method='post' rel='associate' /></actions>
//	  <instance href='{B}/instances/inst1' id='inst1'></instance> <!-- if associated -->
//	</address>
//
// An associated address has a disassociate link instead of associate.
type IPAddress struct {
	XMLName  struct{} `xml:"address"`
	Href     string   `xml:"href,attr"`
	ID       string   `xml:"id,attr"`
	IP       string   `xml:"ip"`
	Actions  Actions  `xml:"actions"`
	Instance *Ref     `xml:"instance"`
}

// Declared reports that the address document has an XML declaration.
func (IPAddress) Declared() bool { return true }

// IPAddresses is the address index document, <addresses>.
type IPAddresses struct {
	XMLName   struct{}    `xml:"addresses"`
	Addresses []IPAddress `xml:"address"`
}

// Declared reports that the address index has an XML declaration.
func (IPAddresses) Declared() bool { return true }

// The address action rels, which are also the action routes' trailing
// path segments (POST {B}/addresses/:id/associate).
const (
	RelAssociate    = "associate"
	RelDisassociate = "disassociate"
)

// NewIPAddress builds the document for a, with hrefs under base.
func NewIPAddress(base string, a deltacloud.IPAddress) IPAddress {
	href := memberHref(base, "addresses", a.ID)
	d := IPAddress{Href: href, ID: a.ID, IP: a.IP}
	if d.IP == "" {
		d.IP = a.ID
	}
	d.Actions.Links = []Link{{Href: href, Method: "delete", Rel: RelDestroy}}
	if a.Associated() {
		d.Actions.Links = append(d.Actions.Links, Link{Href: href + "/" + RelDisassociate, Method: "post", Rel: RelDisassociate})
		d.Instance = &Ref{Href: memberHref(base, "instances", a.InstanceID), ID: a.InstanceID}
	} else {
		d.Actions.Links = append(d.Actions.Links, Link{Href: href + "/" + RelAssociate, Method: "post", Rel: RelAssociate})
	}
	return d
}

// NewIPAddresses builds the index document.
func NewIPAddresses(base string, as []deltacloud.IPAddress) IPAddresses {
	d := IPAddresses{Addresses: make([]IPAddress, len(as))}
	for i, a := range as {
		d.Addresses[i] = NewIPAddress(base, a)
	}
	return d
}

// DecodeIPAddress reads an address document.
func DecodeIPAddress(data []byte) (*IPAddress, error) { return decode[IPAddress](data) }

// DecodeIPAddresses reads an address index document.
func DecodeIPAddresses(data []byte) (*IPAddresses, error) { return decode[IPAddresses](data) }

// Model converts the document into the model.
func (d *IPAddress) Model() deltacloud.IPAddress {
	a := deltacloud.IPAddress{ID: text(d.ID), IP: text(d.IP)}
	if d.Instance != nil {
		a.InstanceID = text(d.Instance.ID)
	}
	return a
}

// Model converts the index into the model.
func (d *IPAddresses) Model() []deltacloud.IPAddress {
	out := make([]deltacloud.IPAddress, len(d.Addresses))
	for i := range d.Addresses {
		out[i] = d.Addresses[i].Model()
	}
	return out
}

// IPAddressJSON is the address's JSON form: {id, href, associated,
// instance_id?}.
type IPAddressJSON struct {
	ID         string `json:"id"`
	Href       string `json:"href"`
	Associated bool   `json:"associated"`
	InstanceID string `json:"instance_id,omitempty"`
}

// IPAddressesJSON is the index's JSON form, {"addresses":[…]}.
type IPAddressesJSON struct {
	Addresses []IPAddressJSON `json:"addresses"`
}

// IPAddressShowJSON is the show and create JSON form, {"address":{…}}.
type IPAddressShowJSON struct {
	Address IPAddressJSON `json:"address"`
}

// JSON returns the address's JSON form.
func (d IPAddress) JSON() IPAddressJSON {
	j := IPAddressJSON{ID: d.ID, Href: d.Href}
	if d.Instance != nil {
		j.Associated, j.InstanceID = true, d.Instance.ID
	}
	return j
}

// ShowJSON returns the show and create JSON form.
func (d IPAddress) ShowJSON() IPAddressShowJSON { return IPAddressShowJSON{Address: d.JSON()} }

// JSON returns the index's JSON form.
func (d IPAddresses) JSON() IPAddressesJSON {
	j := IPAddressesJSON{Addresses: make([]IPAddressJSON, len(d.Addresses))}
	for i := range d.Addresses {
		j.Addresses[i] = d.Addresses[i].JSON()
	}
	return j
}
