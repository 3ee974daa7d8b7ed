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
	_ xmlDocument = Keys{}
	_ xmlDocument = Key{}
	_ xmlDocument = FirewallList{}
	_ xmlDocument = Firewall{}
	_ xmlDocument = IPAddresses{}
	_ xmlDocument = IPAddress{}
	_ xmlDocument = StorageVolumeList{}
	_ xmlDocument = StorageVolume{}
	_ xmlDocument = StorageSnapshots{}
	_ xmlDocument = StorageSnapshot{}
	_ xmlDocument = Buckets{}
	_ xmlDocument = Bucket{}
	_ xmlDocument = Blob{}
	_ xmlDocument = Metrics{}
	_ xmlDocument = Metric{}
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
		w.attrOmitEmpty("id", l.ID)
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
	w.start("backtrace")
	w.section(d.Backtrace.Text)
	w.end("backtrace")
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
	w.textElement("name", d.Name)
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

// writeXML writes the key index.
func (d Keys) writeXML(w *xmlWriter) {
	w.start("keys")
	for i := range d.Keys {
		d.Keys[i].write(w)
	}
	w.end("keys")
}

// writeXML writes the key document.
func (d Key) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <key>.
func (d *Key) write(w *xmlWriter) {
	w.start("key")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.attr("type", d.Type)
	w.textElement("name", d.Name)
	d.Actions.write(w)
	w.textElementOmitEmpty("fingerprint", d.Fingerprint)
	if d.PEM != nil {
		w.cdataElement("pem", d.PEM.Text)
	}
	if d.Username != nil {
		w.cdataElement("username", d.Username.Text)
	}
	if d.Password != nil {
		w.cdataElement("password", d.Password.Text)
	}
	w.textElement("state", d.State)
	w.end("key")
}

// writeXML writes the firewall index.
func (d FirewallList) writeXML(w *xmlWriter) {
	w.start("firewalls")
	for i := range d.Firewalls {
		d.Firewalls[i].write(w)
	}
	w.end("firewalls")
}

// writeXML writes the firewall document.
func (d Firewall) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <firewall>.
func (d *Firewall) write(w *xmlWriter) {
	w.start("firewall")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	d.Actions.write(w)
	w.cdataElement("name", d.Name.Text)
	w.cdataElement("description", d.Description.Text)
	w.textElement("owner_id", d.OwnerID)
	w.start("rules")
	for i := range d.Rules.Rules {
		r := &d.Rules.Rules[i]
		w.start("rule")
		w.attr("href", r.Href)
		w.attr("id", r.ID)
		r.Actions.write(w)
		w.textElement("allow_protocol", r.AllowProtocol)
		w.textElement("port_from", r.PortFrom)
		w.textElement("port_to", r.PortTo)
		w.textElement("direction", r.Direction)
		w.textElement("rule_action", r.RuleAction)
		w.textElement("log_rule", r.LogRule)
		w.start("sources")
		for k := range r.Sources.Sources {
			s := &r.Sources.Sources[k]
			w.start("source")
			w.attrOmitEmpty("address", s.Address)
			w.attrOmitEmpty("family", s.Family)
			w.attrOmitEmpty("name", s.Name)
			w.attrOmitEmpty("owner", s.Owner)
			w.attrOmitEmpty("prefix", s.Prefix)
			w.attr("type", s.Type)
			w.end("source")
		}
		w.end("sources")
		w.end("rule")
	}
	w.end("rules")
	w.end("firewall")
}

// writeXML writes the address index.
func (d IPAddresses) writeXML(w *xmlWriter) {
	w.start("addresses")
	for i := range d.Addresses {
		d.Addresses[i].write(w)
	}
	w.end("addresses")
}

// writeXML writes the address document.
func (d IPAddress) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <address>.
func (d *IPAddress) write(w *xmlWriter) {
	w.start("address")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("ip", d.IP)
	d.Actions.write(w)
	if d.Instance != nil {
		writeRef(w, "instance", d.Instance)
	}
	w.end("address")
}

// writeXML writes the storage volume index.
func (d StorageVolumeList) writeXML(w *xmlWriter) {
	w.start("storage_volumes")
	for i := range d.Volumes {
		d.Volumes[i].write(w)
	}
	w.end("storage_volumes")
}

// writeXML writes the storage volume document.
func (d StorageVolume) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <storage_volume>.
func (d *StorageVolume) write(w *xmlWriter) {
	w.start("storage_volume")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("created", d.Created)
	if c := d.Capacity; c != nil {
		w.start("capacity")
		w.attr("unit", c.Unit)
		w.text(c.Value)
		w.end("capacity")
	}
	w.textElementOmitEmpty("kind", d.Kind)
	w.textElement("name", d.Name)
	w.textElementOmitEmpty("device", d.Device)
	if d.Realm != nil {
		writeRef(w, "realm", d.Realm)
	}
	w.textElementOmitEmpty("realm_id", d.RealmID)
	w.textElement("state", d.State)
	if m := d.Mount; m != nil {
		w.start("mount")
		if m.Instance != nil {
			writeRef(w, "instance", m.Instance)
		}
		if m.Device != nil {
			w.start("device")
			w.attr("name", m.Device.Name)
			w.end("device")
		}
		w.end("mount")
	}
	if d.Actions != nil {
		d.Actions.write(w)
	}
	w.end("storage_volume")
}

// writeXML writes the storage snapshot index.
func (d StorageSnapshots) writeXML(w *xmlWriter) {
	w.start("storage_snapshots")
	for i := range d.Snapshots {
		d.Snapshots[i].write(w)
	}
	w.end("storage_snapshots")
}

// writeXML writes the storage snapshot document.
func (d StorageSnapshot) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <storage_snapshot>.
func (d *StorageSnapshot) write(w *xmlWriter) {
	w.start("storage_snapshot")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("name", d.Name)
	w.textElement("created", d.Created)
	if d.StorageVolume != nil {
		writeRef(w, "storage_volume", d.StorageVolume)
	}
	w.end("storage_snapshot")
}

// writeXML writes the bucket index.
func (d Buckets) writeXML(w *xmlWriter) {
	w.start("buckets")
	for i := range d.Buckets {
		d.Buckets[i].write(w)
	}
	w.end("buckets")
}

// writeXML writes the bucket document.
func (d Bucket) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <bucket>.
func (d *Bucket) write(w *xmlWriter) {
	w.start("bucket")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("name", d.Name)
	w.textElement("size", d.Size)
	for i := range d.Blobs {
		writeRef(w, "blob", &d.Blobs[i])
	}
	w.end("bucket")
}

// writeXML writes the blob document.
func (d Blob) writeXML(w *xmlWriter) {
	w.start("blob")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("bucket", d.Bucket)
	w.textElement("content_length", d.ContentLength)
	w.textElement("content_type", d.ContentType)
	w.textElement("last_modified", d.LastModified)
	w.start("user_metadata")
	for _, e := range d.UserMetadata.Entries {
		w.start("entry")
		w.attr("key", e.Key)
		w.cdata(e.Value)
		w.end("entry")
	}
	w.end("user_metadata")
	if c := d.Content; c != nil {
		w.start("content")
		w.attr("href", c.Href)
		w.attr("rel", c.Rel)
		w.end("content")
	}
	w.end("blob")
}

// writeXML writes the metric index.
func (d Metrics) writeXML(w *xmlWriter) {
	w.start("metrics")
	for i := range d.Metrics {
		d.Metrics[i].write(w)
	}
	w.end("metrics")
}

// writeXML writes the metric document.
func (d Metric) writeXML(w *xmlWriter) { d.write(w) }

// write writes one <metric>. A property element is named by its XMLName
// as encoding/xml names it: Local with an xmlns attribute when Space is
// set, or the field's name when Local is empty.
func (d *Metric) write(w *xmlWriter) {
	w.start("metric")
	w.attr("href", d.Href)
	w.attr("id", d.ID)
	w.textElement("entity", d.Entity)
	w.start("properties")
	for i := range d.Properties.Properties {
		p := &d.Properties.Properties[i]
		name, space := p.XMLName.Local, p.XMLName.Space
		if name == "" {
			// encoding/xml ignores an XMLName without a local name and
			// falls back to the field's name.
			name, space = "Properties", ""
		}
		w.start(name)
		w.attrOmitEmpty("xmlns", space)
		for _, s := range p.Samples {
			w.start("sample")
			for _, v := range s.Values {
				w.start("property")
				w.attr("name", v.Name)
				w.attr("value", v.Value)
				w.end("property")
			}
			w.end("sample")
		}
		w.end(name)
	}
	w.end("properties")
	w.end("metric")
}
