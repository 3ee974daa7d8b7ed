package wire

// The documents' hand-written XML encodings. Each writes exactly what
// encoding/xml writes for the type from its struct tags (Marshal's fallback,
// marshalReflect), only without reflection: elements and attributes in field
// order, omitempty fields left out when empty, nil pointers left out, and
// non-pointer struct fields always present, empty or not.
//
// A field added to a document type must be added here too; the tests fill
// every field of every document and compare both encoders byte for byte.

// xmlDocument is a Document with a hand-written encoding; Marshal and
// Encode use it instead of encoding/xml.
type xmlDocument interface {
	Document
	// writeXML writes the document's root element.
	writeXML(w *xmlWriter)
}

// Every document type has a hand-written encoding.
var (
	_ xmlDocument = API{}
	_ xmlDocument = Drivers{}
	_ xmlDocument = Driver{}
	_ xmlDocument = ErrorDoc{}
	_ xmlDocument = HardwareProfiles{}
	_ xmlDocument = HardwareProfile{}
	_ xmlDocument = Images{}
	_ xmlDocument = Image{}
	_ xmlDocument = Instances{}
	_ xmlDocument = Instance{}
	_ xmlDocument = Realms{}
	_ xmlDocument = Realm{}
	_ xmlDocument = States{}
)

// writeRef writes <name href id></name>.
func writeRef(w *xmlWriter, name string, r *Ref) {
	w.start(name)
	w.attr("href", r.Href)
	w.attr("id", r.ID)
	w.end(name)
}

// write writes the <actions> element.
func (a *Actions) write(w *xmlWriter) {
	w.start("actions")
	for i := range a.Links {
		l := &a.Links[i]
		w.start("link")
		w.attr("href", l.Href)
		w.attrOmitEmpty("method", l.Method)
		w.attr("rel", l.Rel)
		w.end("link")
	}
	w.end("actions")
}

// writeXML writes the entry point.
func (d API) writeXML(w *xmlWriter) {
	w.start("api")
	w.attr("driver", d.Driver)
	w.attrOmitEmpty("provider", d.Provider)
	w.attr("version", d.Version)
	for i := range d.Links {
		l := &d.Links[i]
		w.start("link")
		w.attr("href", l.Href)
		w.attr("rel", l.Rel)
		for k := range l.Features {
			f := &l.Features[k]
			w.start("feature")
			w.attr("name", f.Name)
			w.attr("rel", f.Rel)
			for _, p := range f.Params {
				w.start("param")
				w.attr("name", p.Name)
				w.end("param")
			}
			for _, c := range f.Constraints {
				w.start("constraint")
				w.attr("name", c.Name)
				w.text(c.Value)
				w.end("constraint")
			}
			w.end("feature")
		}
		w.end("link")
	}
	w.end("api")
}

// writeXML writes the driver index.
func (d Drivers) writeXML(w *xmlWriter) {
	w.start("drivers")
	for i := range d.Drivers {
		d.Drivers[i].write(w)
	}
	w.end("drivers")
}

// writeXML writes the driver document.
func (d Driver) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <driver>.
func (d *Driver) write(w *xmlWriter) {
	w.start("driver")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("name", d.Name)
	for i := range d.Providers {
		p := &d.Providers[i]
		w.start("provider")
		w.attr("id", p.ID)
		for _, e := range p.Entrypoints {
			w.start("entrypoint")
			w.attr("kind", e.Kind)
			w.cdata(e.URL)
			w.end("entrypoint")
		}
		w.end("provider")
	}
	w.end("driver")
}

// writeXML writes the error document.
func (d ErrorDoc) writeXML(w *xmlWriter) {
	w.start("error")
	w.attrInt("status", d.Status)
	w.attr("url", d.URL)
	w.start("backend")
	w.attr("driver", d.Backend.Driver)
	w.attr("provider", d.Backend.Provider)
	w.end("backend")
	w.intElement("code", d.Code)
	w.cdataElement("message", d.Message.Text)
	w.cdataElement("backtrace", d.Backtrace.Text)
	w.start("request")
	for _, p := range d.Request.Params {
		w.start("param")
		w.attr("name", p.Name)
		w.cdata(p.Value)
		w.end("param")
	}
	w.end("request")
	w.end("error")
}

// writeXML writes the hardware profile index.
func (d HardwareProfiles) writeXML(w *xmlWriter) {
	w.start("hardware_profiles")
	for i := range d.HardwareProfiles {
		d.HardwareProfiles[i].write(w)
	}
	w.end("hardware_profiles")
}

// writeXML writes the hardware profile document.
func (d HardwareProfile) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <hardware_profile>.
func (d *HardwareProfile) write(w *xmlWriter) {
	w.start("hardware_profile")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("id", d.IDText)
	w.textElement("name", d.Name)
	for i := range d.Properties {
		d.Properties[i].write(w)
	}
	w.end("hardware_profile")
}

// write writes one <property>, of a profile or of an instance's profile.
func (p *Property) write(w *xmlWriter) {
	w.start("property")
	w.attr("kind", p.Kind)
	w.attr("name", p.Name)
	w.attrOmitEmpty("unit", p.Unit)
	w.attr("value", p.Value)
	if pp := p.Param; pp != nil {
		w.start("param")
		w.attr("href", pp.Href)
		w.attr("method", pp.Method)
		w.attr("name", pp.Name)
		w.attr("operation", pp.Operation)
		w.end("param")
	}
	if r := p.Range; r != nil {
		w.start("range")
		w.attr("first", r.First)
		w.attr("last", r.Last)
		w.attrOmitEmpty("step", r.Step)
		w.end("range")
	}
	if e := p.Enum; e != nil {
		w.start("enum")
		for _, entry := range e.Entries {
			w.start("entry")
			w.attr("value", entry.Value)
			w.end("entry")
		}
		w.end("enum")
	}
	w.end("property")
}

// writeXML writes the image index.
func (d Images) writeXML(w *xmlWriter) {
	w.start("images")
	for i := range d.Images {
		d.Images[i].write(w)
	}
	w.end("images")
}

// writeXML writes the image document.
func (d Image) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <image>.
func (d *Image) write(w *xmlWriter) {
	w.start("image")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("name", d.Name)
	w.textElement("description", d.Description)
	w.textElement("owner_id", d.OwnerID)
	w.textElement("architecture", d.Architecture)
	w.textElementOmitEmpty("state", d.State)
	w.textElementOmitEmpty("creation_time", d.CreationTime)
	if hp := d.HardwareProfiles; hp != nil {
		w.start("hardware_profiles")
		for i := range hp.Profiles {
			r := &hp.Profiles[i]
			w.start("hardware_profile")
			w.attr("href", r.Href)
			w.attr("id", r.ID)
			w.attr("rel", r.Rel)
			w.end("hardware_profile")
		}
		w.end("hardware_profiles")
	}
	w.textElement("root_type", d.RootType)
	d.Actions.write(w)
	w.end("image")
}

// writeXML writes the instance index.
func (d Instances) writeXML(w *xmlWriter) {
	w.start("instances")
	for i := range d.Instances {
		d.Instances[i].write(w)
	}
	w.end("instances")
}

// writeXML writes the instance document.
func (d Instance) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <instance>.
func (d *Instance) write(w *xmlWriter) {
	w.start("instance")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElementOmitEmpty("name", d.Name)
	w.textElementOmitEmpty("owner_id", d.OwnerID)
	if d.Image != nil {
		writeRef(w, "image", d.Image)
	}
	if d.Realm != nil {
		writeRef(w, "realm", d.Realm)
	}
	w.textElement("state", d.State)
	if hp := d.HardwareProfile; hp != nil {
		w.start("hardware_profile")
		w.attr("href", hp.Href)
		w.attr("id", hp.ID)
		for i := range hp.Properties {
			hp.Properties[i].write(w)
		}
		w.end("hardware_profile")
	}
	d.Actions.write(w)
	w.textElementOmitEmpty("launch_time", d.LaunchTime)
	d.PublicAddresses.write(w, "public_addresses")
	d.PrivateAddresses.write(w, "private_addresses")
	if f := d.Firewalls; f != nil {
		w.start("firewalls")
		for i := range f.Firewalls {
			writeRef(w, "firewall", &f.Firewalls[i])
		}
		w.end("firewalls")
	}
	w.start("storage_volumes")
	for i := range d.StorageVolumes.Volumes {
		v := &d.StorageVolumes.Volumes[i]
		w.start("storage_volume")
		w.attrOmitEmpty("device", v.Device)
		w.attr("href", v.Href)
		w.attr("id", v.ID)
		w.end("storage_volume")
	}
	w.end("storage_volumes")
	if a := d.Authentication; a != nil {
		w.start("authentication")
		w.attr("type", a.Type)
		if l := a.Login; l != nil {
			w.start("login")
			w.textElementOmitEmpty("keyname", l.KeyName)
			w.textElementOmitEmpty("username", l.Username)
			if l.Password != nil {
				w.cdataElement("password", l.Password.Text)
			}
			w.end("login")
		}
		w.textElementOmitEmpty("error", a.Error)
		w.end("authentication")
	}
	w.end("instance")
}

// write writes an address list as element name.
func (d *Addresses) write(w *xmlWriter, name string) {
	w.start(name)
	for i := range d.Addresses {
		a := &d.Addresses[i]
		w.start("address")
		w.attrOmitEmpty("port", a.Port)
		w.attr("type", a.Type)
		w.text(a.Value)
		w.end("address")
	}
	w.end(name)
}

// writeXML writes the realm index.
func (d Realms) writeXML(w *xmlWriter) {
	w.start("realms")
	for i := range d.Realms {
		d.Realms[i].write(w)
	}
	w.end("realms")
}

// writeXML writes the realm document.
func (d Realm) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <realm>.
func (d *Realm) write(w *xmlWriter) {
	w.start("realm")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("name", d.Name)
	w.textElement("state", d.State)
	if d.Limit != nil {
		w.cdataElement("limit", d.Limit.Text)
	}
	w.end("realm")
}

// writeXML writes the instance_states document.
func (d States) writeXML(w *xmlWriter) {
	w.start("states")
	for i := range d.States {
		s := &d.States[i]
		w.start("state")
		w.attr("name", s.Name)
		for _, t := range s.Transitions {
			w.start("transition")
			w.attrOmitEmpty("action", t.Action)
			w.attrOmitEmpty("auto", t.Auto)
			w.attr("to", t.To)
			w.end("transition")
		}
		w.end("state")
	}
	w.end("states")
}
