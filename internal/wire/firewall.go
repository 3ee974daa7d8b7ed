package wire

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"

	"github.com/deltacloud-go/deltacloud"
)

// Firewall is the firewall document:
//
//	<firewall href='{B}/firewalls/fw' id='fw'>
//	  <actions><link href='{B}/firewalls/fw' method='delete' rel='destroy' />
//	    <link href='{B}/firewalls/fw/rules' method='post' rel='update' /></actions>
//	  <name><![CDATA[fw]]></name><description><![CDATA[…]]></description><owner_id>…</owner_id>
//	  <rules><rule href='{B}/firewalls/fw/<rule_id>' id='<rule_id>'>…</rule></rules>
//	</firewall>
//
// In the index the second link's rel is add_rule and both links carry the
// firewall's id (NewFirewalls).
type Firewall struct {
	XMLName     struct{} `xml:"firewall"`
	Href        string   `xml:"href,attr"`
	ID          string   `xml:"id,attr"`
	Actions     Actions  `xml:"actions"`
	Name        CDATA    `xml:"name"`
	Description CDATA    `xml:"description"`
	OwnerID     string   `xml:"owner_id"`
	Rules       Rules    `xml:"rules"`
}

// Declared reports that the firewall document has an XML declaration.
func (Firewall) Declared() bool { return true }

// FirewallList is the firewall index document, <firewalls>. (Firewalls is
// an instance's list of firewall references.)
type FirewallList struct {
	XMLName   struct{}   `xml:"firewalls"`
	Firewalls []Firewall `xml:"firewall"`
}

// Declared reports that the firewall index has an XML declaration.
func (FirewallList) Declared() bool { return true }

// Rules is a firewall's <rules> element.
type Rules struct {
	Rules []Rule `xml:"rule"`
}

// Rule is one firewall rule:
//
//	<rule href id><actions>…</actions><allow_protocol>tcp</allow_protocol>
//	  <port_from>22</port_from><port_to>22</port_to><direction/><rule_action/><log_rule/>
//	  <sources><source address='10.0.0.0' family='ipv4' prefix='8' type='address' />
//	    <source name='g' owner='123' type='group' /></sources></rule>
type Rule struct {
	Href          string  `xml:"href,attr"`
	ID            string  `xml:"id,attr"`
	Actions       Actions `xml:"actions"`
	AllowProtocol string  `xml:"allow_protocol"`
	PortFrom      string  `xml:"port_from"`
	PortTo        string  `xml:"port_to"`
	Direction     string  `xml:"direction"`
	RuleAction    string  `xml:"rule_action"`
	LogRule       string  `xml:"log_rule"`
	Sources       Sources `xml:"sources"`
}

// Sources is a rule's <sources> element.
type Sources struct {
	Sources []Source `xml:"source"`
}

// Source is one rule source: an address block (address, family, prefix)
// or a group of an owner (name, owner).
type Source struct {
	Address string `xml:"address,attr,omitempty"`
	Family  string `xml:"family,attr,omitempty"`
	Name    string `xml:"name,attr,omitempty"`
	Owner   string `xml:"owner,attr,omitempty"`
	Prefix  string `xml:"prefix,attr,omitempty"`
	Type    string `xml:"type,attr"`
}

// The firewall link rels.
const (
	// RelUpdate is the show document's link to add a rule.
	RelUpdate = "update"
	// RelAddRule is the index's link to add a rule.
	RelAddRule = "add_rule"
)

// RulesAction is the trailing path segment of the add-rule route,
// POST {B}/firewalls/:id/rules.
const RulesAction = "rules"

// NewFirewall builds the show document for f, with hrefs under base.
func NewFirewall(base string, f deltacloud.Firewall) Firewall { return newFirewall(base, f, false) }

// NewFirewalls builds the index document.
func NewFirewalls(base string, fs []deltacloud.Firewall) FirewallList {
	d := FirewallList{Firewalls: make([]Firewall, len(fs))}
	for i, f := range fs {
		d.Firewalls[i] = newFirewall(base, f, true)
	}
	return d
}

func newFirewall(base string, f deltacloud.Firewall, index bool) Firewall {
	href := memberHref(base, "firewalls", f.ID)
	d := Firewall{
		Href:        href,
		ID:          f.ID,
		Name:        CDATA{Text: f.Name},
		Description: CDATA{Text: f.Description},
		OwnerID:     f.Owner,
	}
	destroy := Link{Href: href, Method: "delete", Rel: RelDestroy}
	add := Link{Href: href + "/" + RulesAction, Method: "post", Rel: RelUpdate}
	if index {
		destroy.ID, add.ID, add.Rel = f.ID, f.ID, RelAddRule
	}
	d.Actions.Links = []Link{destroy, add}
	if len(f.Rules) > 0 {
		d.Rules.Rules = make([]Rule, len(f.Rules))
	}
	for i, r := range f.Rules {
		rh := href + "/" + url.PathEscape(r.ID)
		dr := Rule{
			Href: rh, ID: r.ID,
			Actions:       Actions{Links: []Link{{Href: rh, Method: "delete", Rel: RelDestroy}}},
			AllowProtocol: r.Protocol,
			PortFrom:      strconv.Itoa(r.PortFrom),
			PortTo:        strconv.Itoa(r.PortTo),
			Direction:     r.Direction,
		}
		if len(r.Sources) > 0 {
			dr.Sources.Sources = make([]Source, len(r.Sources))
		}
		for k, s := range r.Sources {
			dr.Sources.Sources[k] = newSource(s)
		}
		d.Rules.Rules[i] = dr
	}
	return d
}

// newSource builds one <source>.
func newSource(s deltacloud.RuleSource) Source {
	switch s.Type {
	case deltacloud.SourceAddress:
		d := Source{Type: string(s.Type)}
		if s.Prefix.IsValid() {
			d.Address = s.Prefix.Addr().String()
			d.Family = "ipv4"
			if s.Prefix.Addr().Is6() {
				d.Family = "ipv6"
			}
			d.Prefix = strconv.Itoa(s.Prefix.Bits())
		}
		return d
	default:
		return Source{Name: s.Group, Owner: s.Owner, Type: string(s.Type)}
	}
}

// DecodeFirewall reads a firewall document.
func DecodeFirewall(data []byte) (*Firewall, error) { return decode[Firewall](data) }

// DecodeFirewalls reads a firewall index document.
func DecodeFirewalls(data []byte) (*FirewallList, error) { return decode[FirewallList](data) }

// Model converts the document into the model. Ports that are not whole
// numbers and address sources that are not an address with a prefix length
// are errors; an empty port is 0 and an empty direction stays empty.
func (d *Firewall) Model() (deltacloud.Firewall, error) {
	f := deltacloud.Firewall{
		ID:          text(d.ID),
		Name:        text(d.Name.Text),
		Description: text(d.Description.Text),
		Owner:       text(d.OwnerID),
	}
	for _, r := range d.Rules.Rules {
		mr := deltacloud.FirewallRule{ID: text(r.ID), Protocol: text(r.AllowProtocol), Direction: text(r.Direction)}
		var err error
		if mr.PortFrom, err = parsePort(r.PortFrom); err != nil {
			return deltacloud.Firewall{}, fmt.Errorf("wire: firewall %q rule %q: port_from: %w", f.ID, mr.ID, err)
		}
		if mr.PortTo, err = parsePort(r.PortTo); err != nil {
			return deltacloud.Firewall{}, fmt.Errorf("wire: firewall %q rule %q: port_to: %w", f.ID, mr.ID, err)
		}
		for _, s := range r.Sources.Sources {
			ms, err := s.model()
			if err != nil {
				return deltacloud.Firewall{}, fmt.Errorf("wire: firewall %q rule %q: %w", f.ID, mr.ID, err)
			}
			mr.Sources = append(mr.Sources, ms)
		}
		f.Rules = append(f.Rules, mr)
	}
	return f, nil
}

// parsePort reads a rule port: a whole number, -1 allowed (icmp), empty 0.
func parsePort(s string) (int, error) {
	s = text(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < -1 || n > 65535 {
		return 0, fmt.Errorf("%q is not a port", s)
	}
	return n, nil
}

// model converts a source into the model.
func (s Source) model() (deltacloud.RuleSource, error) {
	typ := deltacloud.SourceType(text(s.Type))
	if typ != deltacloud.SourceAddress {
		return deltacloud.RuleSource{Type: typ, Group: text(s.Name), Owner: text(s.Owner)}, nil
	}
	addr, err := netip.ParseAddr(text(s.Address))
	if err != nil {
		return deltacloud.RuleSource{}, fmt.Errorf("source address %q: %w", s.Address, err)
	}
	bits := addr.BitLen()
	if p := text(s.Prefix); p != "" {
		if bits, err = strconv.Atoi(p); err != nil || bits < 0 || bits > addr.BitLen() {
			return deltacloud.RuleSource{}, fmt.Errorf("source prefix %q is not a prefix length", s.Prefix)
		}
	}
	return deltacloud.RuleSource{Type: typ, Prefix: netip.PrefixFrom(addr, bits)}, nil
}

// Model converts the index into the model.
func (d *FirewallList) Model() ([]deltacloud.Firewall, error) {
	out := make([]deltacloud.Firewall, len(d.Firewalls))
	for i := range d.Firewalls {
		f, err := d.Firewalls[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = f
	}
	return out, nil
}

// FirewallJSON is the firewall's JSON form.
type FirewallJSON struct {
	ID          string     `json:"id"`
	Href        string     `json:"href"`
	Name        string     `json:"name"`
	Description string     `json:"description"`
	OwnerID     string     `json:"owner_id"`
	Rules       []RuleJSON `json:"rules"`
}

// RuleJSON is a rule in JSON; the original leaves out members without a
// value.
type RuleJSON struct {
	ID            string       `json:"id"`
	AllowProtocol string       `json:"allow_protocol,omitempty"`
	PortFrom      string       `json:"port_from,omitempty"`
	PortTo        string       `json:"port_to,omitempty"`
	Sources       []SourceJSON `json:"sources"`
	Direction     string       `json:"direction,omitempty"`
	RuleAction    string       `json:"rule_action,omitempty"`
	LogRule       string       `json:"log_rule,omitempty"`
}

// SourceJSON is a rule source in JSON: {type, family, address, prefix} or
// {type, name, owner}.
type SourceJSON struct {
	Type    string `json:"type"`
	Family  string `json:"family,omitempty"`
	Address string `json:"address,omitempty"`
	Prefix  string `json:"prefix,omitempty"`
	Name    string `json:"name,omitempty"`
	Owner   string `json:"owner,omitempty"`
}

// FirewallsJSON is the index's JSON form, {"firewalls":[…]}.
type FirewallsJSON struct {
	Firewalls []FirewallJSON `json:"firewalls"`
}

// FirewallShowJSON is the show and create JSON form, {"firewall":{…}}.
type FirewallShowJSON struct {
	Firewall FirewallJSON `json:"firewall"`
}

// JSON returns the firewall's JSON form.
func (d Firewall) JSON() FirewallJSON {
	j := FirewallJSON{ID: d.ID, Href: d.Href, Name: d.Name.Text, Description: d.Description.Text, OwnerID: d.OwnerID,
		Rules: make([]RuleJSON, len(d.Rules.Rules))}
	for i, r := range d.Rules.Rules {
		jr := RuleJSON{ID: r.ID, AllowProtocol: r.AllowProtocol, PortFrom: r.PortFrom, PortTo: r.PortTo,
			Direction: r.Direction, RuleAction: r.RuleAction, LogRule: r.LogRule,
			Sources: make([]SourceJSON, len(r.Sources.Sources))}
		for k, s := range r.Sources.Sources {
			jr.Sources[k] = SourceJSON{Type: s.Type, Family: s.Family, Address: s.Address, Prefix: s.Prefix, Name: s.Name, Owner: s.Owner}
		}
		j.Rules[i] = jr
	}
	return j
}

// ShowJSON returns the show and create JSON form.
func (d Firewall) ShowJSON() FirewallShowJSON { return FirewallShowJSON{Firewall: d.JSON()} }

// JSON returns the index's JSON form.
func (d FirewallList) JSON() FirewallsJSON {
	j := FirewallsJSON{Firewalls: make([]FirewallJSON, len(d.Firewalls))}
	for i := range d.Firewalls {
		j.Firewalls[i] = d.Firewalls[i].JSON()
	}
	return j
}
