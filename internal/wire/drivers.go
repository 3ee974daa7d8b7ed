package wire

import (
	"github.com/deltacloud-go/deltacloud"
)

// Drivers is the driver index document, which has no XML
// declaration. The index lists each driver's providers without their
// entrypoints:
//
//	<drivers>
//	  <driver href='{B}/drivers/ec2' id='ec2'><name>EC2</name>
//	    <provider id='us-west-1'></provider>…</driver>
//	</drivers>
type Drivers struct {
	XMLName struct{} `xml:"drivers"`
	Drivers []Driver `xml:"driver"`
}

// Declared reports that the driver index has no XML declaration.
func (Drivers) Declared() bool { return false }

// Driver is one driver; its show document lists each provider's
// entrypoints:
//
//	<driver href='{B}/drivers/ec2' id='ec2'><name>EC2</name>
//	  <provider id='us-west-1'>
//	    <entrypoint kind='s3'><![CDATA[s3-us-west-1.amazonaws.com]]></entrypoint>…
//	  </provider>
//	</driver>
//
// Like the index it has no XML declaration (the spec marks none for the
// drivers views).
type Driver struct {
	XMLName   struct{}         `xml:"driver"`
	Href      string           `xml:"href,attr"`
	ID        string           `xml:"id,attr"`
	Name      string           `xml:"name"`
	Providers []DriverProvider `xml:"provider"`
}

// Declared reports that the driver document has no XML declaration.
func (Driver) Declared() bool { return false }

// DriverProvider is one provider of a driver.
type DriverProvider struct {
	ID          string       `xml:"id,attr"`
	Entrypoints []Entrypoint `xml:"entrypoint"`
}

// Entrypoint is one endpoint of a provider by kind (e.g. "ec2", "s3").
type Entrypoint struct {
	Kind string `xml:"kind,attr"`
	URL  string `xml:",cdata"`
}

// NewDriver builds the show document of a driver: id is info.Name, the
// displayed name info.Description; entrypoints are sorted by kind.
func NewDriver(base string, info deltacloud.DriverInfo) Driver {
	d := Driver{Href: memberHref(base, "drivers", info.Name), ID: info.Name, Name: info.Description}
	for _, p := range info.Providers {
		dp := DriverProvider{ID: p.ID}
		for _, k := range sortedKeys(p.Entrypoints) {
			dp.Entrypoints = append(dp.Entrypoints, Entrypoint{Kind: k, URL: p.Entrypoints[k]})
		}
		d.Providers = append(d.Providers, dp)
	}
	return d
}

// NewDrivers builds the index document, without entrypoints.
func NewDrivers(base string, infos []deltacloud.DriverInfo) Drivers {
	d := Drivers{Drivers: make([]Driver, len(infos))}
	for i, info := range infos {
		d.Drivers[i] = NewDriver(base, info)
		for k := range d.Drivers[i].Providers {
			d.Drivers[i].Providers[k].Entrypoints = nil
		}
	}
	return d
}

// DecodeDriver reads a driver document.
func DecodeDriver(data []byte) (*Driver, error) { return decode[Driver](data) }

// DecodeDrivers reads a driver index document.
func DecodeDrivers(data []byte) (*Drivers, error) { return decode[Drivers](data) }

// Model converts the document into the model (see NewDriver for the
// mapping).
func (d *Driver) Model() deltacloud.DriverInfo {
	info := deltacloud.DriverInfo{Name: text(d.ID), Description: text(d.Name)}
	for _, dp := range d.Providers {
		p := deltacloud.ProviderInfo{ID: text(dp.ID)}
		for _, e := range dp.Entrypoints {
			if p.Entrypoints == nil {
				p.Entrypoints = map[string]string{}
			}
			p.Entrypoints[text(e.Kind)] = text(e.URL)
		}
		info.Providers = append(info.Providers, p)
	}
	return info
}

// Model converts the index into the model.
func (d *Drivers) Model() []deltacloud.DriverInfo {
	out := make([]deltacloud.DriverInfo, len(d.Drivers))
	for i := range d.Drivers {
		out[i] = d.Drivers[i].Model()
	}
	return out
}

// DriverJSON is a driver in JSON: the original's configuration entry,
// {"name":"EC2","entrypoints":{"ec2":{"us-west-1":"…"}}}, with its id in
// the show form. Entrypoints are by kind, then by provider, so a provider
// without entrypoints does not appear in JSON.
type DriverJSON struct {
	Name        string                       `json:"name"`
	Entrypoints map[string]map[string]string `json:"entrypoints,omitempty"`
	ID          string                       `json:"id,omitempty"`
}

// DriverShowJSON is the show JSON form, {"driver":{…,"id":"ec2"}}.
type DriverShowJSON struct {
	Driver DriverJSON `json:"driver"`
}

// DriversJSON is the index JSON form: the original's configuration map,
// {"ec2":{…},"mock":{"name":"Mock"}}, keyed by driver id.
type DriversJSON map[string]DriverJSON

// JSON returns the driver's JSON form, with its id.
func (d Driver) JSON() DriverJSON {
	j := DriverJSON{Name: d.Name, ID: d.ID}
	for _, p := range d.Providers {
		for _, e := range p.Entrypoints {
			if j.Entrypoints == nil {
				j.Entrypoints = map[string]map[string]string{}
			}
			if j.Entrypoints[e.Kind] == nil {
				j.Entrypoints[e.Kind] = map[string]string{}
			}
			j.Entrypoints[e.Kind][p.ID] = e.URL
		}
	}
	return j
}

// ShowJSON returns the show JSON form.
func (d Driver) ShowJSON() DriverShowJSON { return DriverShowJSON{Driver: d.JSON()} }

// NewDriversJSON builds the index JSON form. It starts from the model, not
// from the index document, because the JSON index keeps the entrypoints the
// XML index leaves out.
func NewDriversJSON(base string, infos []deltacloud.DriverInfo) DriversJSON {
	j := DriversJSON{}
	for _, info := range infos {
		dj := NewDriver(base, info).JSON()
		dj.ID = ""
		j[info.Name] = dj
	}
	return j
}
