package wire

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/deltacloud-go/deltacloud"
)

// HardwareProfile is the hardware profile document:
//
//	<hardware_profile href='{B}/hardware_profiles/m1-large' id='m1-large'>
//	  <id>m1-large</id><name>m1-large</name>
//	  <property kind='range' name='cpu' unit='count' value='1'>
//	    <param href='{B}/instances' method='post' name='hwp_cpu' operation='create' />
//	    <range first='1' last='6' />
//	  </property>
//	  …
//	</hardware_profile>
//
// An opaque profile has no properties.
type HardwareProfile struct {
	XMLName struct{} `xml:"hardware_profile"`
	Href    string   `xml:"href,attr"`
	ID      string   `xml:"id,attr"`
	// IDText is the <id> element, which repeats the id attribute.
	IDText     string     `xml:"id"`
	Name       string     `xml:"name"`
	Properties []Property `xml:"property"`
}

// Declared reports that the hardware profile document has an XML
// declaration.
func (HardwareProfile) Declared() bool { return true }

// HardwareProfiles is the hardware profile index document.
type HardwareProfiles struct {
	XMLName          struct{}          `xml:"hardware_profiles"`
	HardwareProfiles []HardwareProfile `xml:"hardware_profile"`
}

// Declared reports that the hardware profile index has an XML declaration.
func (HardwareProfiles) Declared() bool { return true }

// Property is one <property> of a hardware profile, or one fixed override in
// an instance's <hardware_profile>. Value is the default. Range and enum
// properties carry the <param> that says how to override them at create
// time, and their <range> or <enum>.
type Property struct {
	Kind  string         `xml:"kind,attr"`
	Name  string         `xml:"name,attr"`
	Unit  string         `xml:"unit,attr,omitempty"`
	Value string         `xml:"value,attr"`
	Param *PropertyParam `xml:"param"`
	Range *PropertyRange `xml:"range"`
	Enum  *PropertyEnum  `xml:"enum"`
}

// PropertyParam is the create parameter that overrides a property:
// <param href='{B}/instances' method='post' name='hwp_cpu' operation='create' />.
type PropertyParam struct {
	Href      string `xml:"href,attr"`
	Method    string `xml:"method,attr"`
	Name      string `xml:"name,attr"`
	Operation string `xml:"operation,attr"`
}

// PropertyRange bounds a range property. Step is an extension of this
// implementation, written only when the model has one (the original has no
// steps); other clients ignore the attribute.
type PropertyRange struct {
	First string `xml:"first,attr"`
	Last  string `xml:"last,attr"`
	Step  string `xml:"step,attr,omitempty"`
}

// PropertyEnum lists an enum property's values.
type PropertyEnum struct {
	Entries []EnumEntry `xml:"entry"`
}

// EnumEntry is one value of an enum property, <entry value='850' />.
type EnumEntry struct {
	Value string `xml:"value,attr"`
}

// ParamPrefix prefixes a property's name to make its create parameter
// ("hwp_memory").
const ParamPrefix = "hwp_"

// UnitOf is the unit the original attaches to a property by name (its
// HardwareProfile::unit): count, MB, GB, label, or none for other names such
// as root_type. Instance overrides carry no unit in the model, so their
// documents take it from here.
func UnitOf(name string) string {
	switch name {
	case deltacloud.PropertyCPU:
		return deltacloud.UnitCount
	case deltacloud.PropertyMemory:
		return deltacloud.UnitMB
	case deltacloud.PropertyStorage:
		return deltacloud.UnitGB
	case deltacloud.PropertyArchitecture:
		return deltacloud.UnitLabel
	}
	return ""
}

// NewHardwareProfile builds the document for h, with hrefs under base.
func NewHardwareProfile(base string, h deltacloud.HardwareProfile) HardwareProfile {
	d := HardwareProfile{Href: memberHref(base, "hardware_profiles", h.ID), ID: h.ID, IDText: h.ID, Name: h.Name}
	for _, p := range h.Properties {
		dp := Property{Kind: string(p.Kind), Name: p.Name, Unit: p.Unit, Value: p.Default}
		switch p.Kind {
		case deltacloud.Range:
			dp.Range = &PropertyRange{First: p.First, Last: p.Last, Step: p.Step}
		case deltacloud.Enum:
			dp.Enum = &PropertyEnum{Entries: make([]EnumEntry, len(p.Values))}
			for i, v := range p.Values {
				dp.Enum.Entries[i] = EnumEntry{Value: v}
			}
		}
		if dp.Range != nil || dp.Enum != nil {
			dp.Param = &PropertyParam{Href: collectionHref(base, "instances"), Method: "post",
				Name: ParamPrefix + p.Name, Operation: "create"}
		}
		d.Properties = append(d.Properties, dp)
	}
	return d
}

// NewHardwareProfiles builds the index document, in the order given
// (deltacloud.SortHardwareProfiles gives the original's).
func NewHardwareProfiles(base string, hs []deltacloud.HardwareProfile) HardwareProfiles {
	d := HardwareProfiles{HardwareProfiles: make([]HardwareProfile, len(hs))}
	for i, h := range hs {
		d.HardwareProfiles[i] = NewHardwareProfile(base, h)
	}
	return d
}

// DecodeHardwareProfile reads a hardware profile document.
func DecodeHardwareProfile(data []byte) (*HardwareProfile, error) {
	return decode[HardwareProfile](data)
}

// DecodeHardwareProfiles reads a hardware profile index document.
func DecodeHardwareProfiles(data []byte) (*HardwareProfiles, error) {
	return decode[HardwareProfiles](data)
}

// Model converts the document into the model. The id is the id attribute,
// or the <id> element when the attribute is missing. A range property
// without <range> or an enum without <enum> is an error: the document cannot
// say what the property allows.
func (d *HardwareProfile) Model() (deltacloud.HardwareProfile, error) {
	h := deltacloud.HardwareProfile{ID: text(d.ID), Name: text(d.Name)}
	if h.ID == "" {
		h.ID = text(d.IDText)
	}
	for _, dp := range d.Properties {
		p := deltacloud.Property{
			Name:    text(dp.Name),
			Kind:    deltacloud.PropertyKind(strings.ToLower(text(dp.Kind))),
			Unit:    text(dp.Unit),
			Default: text(dp.Value),
		}
		switch p.Kind {
		case deltacloud.Range:
			if dp.Range == nil {
				return deltacloud.HardwareProfile{}, fmt.Errorf("wire: hardware profile %q: range property %q has no <range>", h.ID, p.Name)
			}
			p.First, p.Last, p.Step = text(dp.Range.First), text(dp.Range.Last), text(dp.Range.Step)
		case deltacloud.Enum:
			if dp.Enum == nil {
				return deltacloud.HardwareProfile{}, fmt.Errorf("wire: hardware profile %q: enum property %q has no <enum>", h.ID, p.Name)
			}
			for _, e := range dp.Enum.Entries {
				p.Values = append(p.Values, text(e.Value))
			}
		}
		h.Properties = append(h.Properties, p)
	}
	return h, nil
}

// Model converts the index into the model.
func (d *HardwareProfiles) Model() ([]deltacloud.HardwareProfile, error) {
	out := make([]deltacloud.HardwareProfile, len(d.HardwareProfiles))
	for i := range d.HardwareProfiles {
		h, err := d.HardwareProfiles[i].Model()
		if err != nil {
			return nil, err
		}
		out[i] = h
	}
	return out, nil
}

// Param returns the create parameter of the named property (for range and
// enum properties), its attributes without surrounding whitespace.
func (d *HardwareProfile) Param(property string) (PropertyParam, bool) {
	for _, p := range d.Properties {
		if text(p.Name) == property && p.Param != nil {
			return PropertyParam{Href: text(p.Param.Href), Method: text(p.Param.Method),
				Name: text(p.Param.Name), Operation: text(p.Param.Operation)}, true
		}
	}
	return PropertyParam{}, false
}

// HardwareProfileJSON is the JSON form: {id, href, name, properties}, where
// each property is reduced to its default as a string, so kinds, ranges and
// enums are lost. Properties is left out for opaque profiles.
type HardwareProfileJSON struct {
	ID         string         `json:"id"`
	Href       string         `json:"href"`
	Name       string         `json:"name"`
	Properties PropertyValues `json:"properties,omitempty"`
}

// HardwareProfilesJSON is the index's JSON form,
// {"hardware_profiles":[…]}.
type HardwareProfilesJSON struct {
	HardwareProfiles []HardwareProfileJSON `json:"hardware_profiles"`
}

// HardwareProfileShowJSON is the show JSON form, {"hardware_profile":{…}}.
type HardwareProfileShowJSON struct {
	HardwareProfile HardwareProfileJSON `json:"hardware_profile"`
}

// JSON returns the profile's JSON form.
func (d HardwareProfile) JSON() HardwareProfileJSON {
	j := HardwareProfileJSON{ID: d.ID, Href: d.Href, Name: d.Name}
	for _, p := range d.Properties {
		j.Properties = append(j.Properties, PropertyValue{Name: p.Name, Value: p.Value})
	}
	return j
}

// ShowJSON returns the show JSON form.
func (d HardwareProfile) ShowJSON() HardwareProfileShowJSON {
	return HardwareProfileShowJSON{HardwareProfile: d.JSON()}
}

// JSON returns the index's JSON form.
func (d HardwareProfiles) JSON() HardwareProfilesJSON {
	j := HardwareProfilesJSON{HardwareProfiles: make([]HardwareProfileJSON, len(d.HardwareProfiles))}
	for i, h := range d.HardwareProfiles {
		j.HardwareProfiles[i] = h.JSON()
	}
	return j
}

// PropertyValue is one entry of a PropertyValues object.
type PropertyValue struct {
	Name, Value string
}

// PropertyValues is a JSON object of property names to string values,
// {"cpu":"1","memory":"10240"}, kept in document order (a Go map would sort
// the keys).
type PropertyValues []PropertyValue

// MarshalJSON writes the object in order.
func (pv PropertyValues) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, p := range pv {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(p.Name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(p.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// UnmarshalJSON reads an object of strings (numbers are taken as their
// text), keeping the order of the keys.
func (pv *PropertyValues) UnmarshalJSON(data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	tok, err := d.Token()
	if err != nil {
		return err
	}
	if tok == nil {
		*pv = nil
		return nil
	}
	if tok != json.Delim('{') {
		return fmt.Errorf("wire: properties: want an object, have %v", tok)
	}
	out := PropertyValues{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var v any
		if err := d.Decode(&v); err != nil {
			return err
		}
		var s string
		switch v := v.(type) {
		case string:
			s = v
		case json.Number:
			s = v.String()
		case nil:
		default:
			return fmt.Errorf("wire: property %q: want a string, have %T", name, v)
		}
		out = append(out, PropertyValue{Name: name, Value: s})
	}
	if _, err := d.Token(); err != nil {
		return err
	}
	*pv = out
	return nil
}
