package wire

// The JSON forms' hand-written encodings. Each writes exactly what an
// encoding/json Encoder with SetEscapeHTML(false) writes for the type from
// its struct tags: members in field order under their tag names; omitempty
// fields left out when empty ("" strings, false, nil pointers, empty slices
// and maps); other nil slices and maps as null; and the fields whose types
// have a MarshalJSON method (Number, Limit, PropertyValues) as that method
// writes them.
//
// A field added to a JSON form must be added here too; the tests fill every
// field of every form and compare both encoders byte for byte.

// Every JSON form the handler renders has a hand-written encoding (States'
// []StateJSON through stateListJSON).
var (
	_ jsonForm = APIJSON{}
	_ jsonForm = DriverJSON{}
	_ jsonForm = DriverShowJSON{}
	_ jsonForm = DriversJSON{}
	_ jsonForm = ErrorJSON{}
	_ jsonForm = HardwareProfileJSON{}
	_ jsonForm = HardwareProfileShowJSON{}
	_ jsonForm = HardwareProfilesJSON{}
	_ jsonForm = ImageJSON{}
	_ jsonForm = ImageShowJSON{}
	_ jsonForm = ImagesJSON{}
	_ jsonForm = InstanceJSON{}
	_ jsonForm = InstanceShowJSON{}
	_ jsonForm = InstancesJSON{}
	_ jsonForm = RealmJSON{}
	_ jsonForm = RealmShowJSON{}
	_ jsonForm = RealmsJSON{}
	_ jsonForm = stateListJSON{}
)

// write writes {"id","href","rel"}.
func (j *RefJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("rel", j.Rel)
	w.close()
}

// write writes {"href","rel","method"}.
func (j *LinkJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("href", j.Href)
	w.stringField("rel", j.Rel)
	w.stringField("method", j.Method)
	w.close()
}

// writeJSON writes the entry point.
func (j APIJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("api")
	b := &j.API
	w.open()
	w.stringField("version", b.Version)
	w.stringField("driver", b.Driver)
	w.stringField("provider", b.Provider)
	w.key("links")
	writeArray(w, b.Links)
	w.close()
	w.close()
}

// write writes one collection of the entry point.
func (j *APILinkJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("rel", j.Rel)
	w.stringField("href", j.Href)
	w.key("features")
	if j.Features == nil {
		w.null()
	} else {
		w.buf = append(w.buf, '[')
		for i, fs := range j.Features {
			if i > 0 {
				w.buf = append(w.buf, ',')
			}
			writeArray(w, fs)
		}
		w.buf = append(w.buf, ']')
	}
	w.close()
}

// write writes one feature entry.
func (j *APIFeatureJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("name", j.Name)
	w.stringField("rel", j.Rel)
	w.key("params")
	w.stringArray(j.Params)
	w.key("constraints")
	writeMap(w, j.Constraints, (*jsonWriter).number)
	w.close()
}

// writeJSON writes the driver.
func (j DriverJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes {"name"[,"entrypoints"][,"id"]}.
func (j *DriverJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("name", j.Name)
	if len(j.Entrypoints) > 0 {
		w.key("entrypoints")
		writeMap(w, j.Entrypoints, func(w *jsonWriter, byProvider map[string]string) {
			writeMap(w, byProvider, (*jsonWriter).string)
		})
	}
	w.stringFieldOmitEmpty("id", j.ID)
	w.close()
}

// writeJSON writes {"driver":{…}}.
func (j DriverShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("driver")
	j.Driver.write(w)
	w.close()
}

// writeJSON writes the driver index, drivers by id.
func (j DriversJSON) writeJSON(w *jsonWriter) {
	writeMap(w, j, func(w *jsonWriter, d DriverJSON) { d.write(w) })
}

// writeJSON writes {"code","message","error"}.
func (j ErrorJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("code")
	w.int(j.Code)
	w.stringField("message", j.Message)
	w.stringField("error", j.Error)
	w.close()
}

// writeJSON writes the hardware profile.
func (j HardwareProfileJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes {"id","href","name"[,"properties"]}.
func (j *HardwareProfileJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("name", j.Name)
	if len(j.Properties) > 0 {
		w.key("properties")
		w.properties(j.Properties)
	}
	w.close()
}

// writeJSON writes {"hardware_profile":{…}}.
func (j HardwareProfileShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("hardware_profile")
	j.HardwareProfile.write(w)
	w.close()
}

// writeJSON writes {"hardware_profiles":[…]}.
func (j HardwareProfilesJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("hardware_profiles")
	writeArray(w, j.HardwareProfiles)
	w.close()
}

// writeJSON writes the image.
func (j ImageJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes the image's members.
func (j *ImageJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("name", j.Name)
	w.stringField("description", j.Description)
	w.stringField("owner", j.Owner)
	w.stringField("architecture", j.Architecture)
	w.stringFieldOmitEmpty("state", j.State)
	w.stringField("root_type", j.RootType)
	w.stringFieldOmitEmpty("creation_time", j.CreationTime)
	if len(j.HardwareProfiles) > 0 {
		w.key("hardware_profiles")
		writeArray(w, j.HardwareProfiles)
	}
	w.close()
}

// writeJSON writes {"image":{…}}.
func (j ImageShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("image")
	j.Image.write(w)
	w.close()
}

// writeJSON writes {"images":[…]}.
func (j ImagesJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("images")
	writeArray(w, j.Images)
	w.close()
}

// writeJSON writes the bare instance, as instance actions answer.
func (j InstanceJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes the instance's members.
func (j *InstanceJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("name", j.Name)
	w.stringField("state", j.State)
	w.stringField("owner", j.Owner)
	if j.Image != nil {
		w.key("image")
		j.Image.write(w)
	}
	if j.Realm != nil {
		w.key("realm")
		j.Realm.write(w)
	}
	w.key("actions")
	writeArray(w, j.Actions)
	if j.HardwareProfile != nil {
		w.key("hardware_profile")
		j.HardwareProfile.write(w)
	}
	w.key("public_addresses")
	writeArray(w, j.PublicAddresses)
	w.key("private_addresses")
	writeArray(w, j.PrivateAddresses)
	w.stringFieldOmitEmpty("create_time", j.CreateTime)
	if j.CreateImage {
		w.key("create_image")
		w.buf = append(w.buf, "true"...)
	}
	if len(j.Firewalls) > 0 {
		w.key("firewalls")
		writeArray(w, j.Firewalls)
	}
	w.key("storage_volumes")
	writeArray(w, j.StorageVolumes)
	w.stringFieldOmitEmpty("authentication_type", j.AuthenticationType)
	if j.Authentication != nil {
		w.key("authentication")
		j.Authentication.write(w)
	}
	w.close()
}

// write writes {"id","href","rel","properties"}; properties is {} when
// there are none, as PropertyValues.MarshalJSON writes a nil one.
func (j *InstanceProfileJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("rel", j.Rel)
	w.key("properties")
	w.properties(j.Properties)
	w.close()
}

// write writes {"address","type"[,"port"]}.
func (j *AddressJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("address", j.Address)
	w.stringField("type", j.Type)
	if j.Port != "" {
		w.key("port")
		w.number(j.Port)
	}
	w.close()
}

// write writes the login's non-empty members: {} when all are empty.
func (j *AuthenticationJSON) write(w *jsonWriter) {
	w.open()
	w.stringFieldOmitEmpty("keyname", j.KeyName)
	w.stringFieldOmitEmpty("user", j.User)
	w.stringFieldOmitEmpty("password", j.Password)
	w.close()
}

// writeJSON writes {"instance":{…}}.
func (j InstanceShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("instance")
	j.Instance.write(w)
	w.close()
}

// writeJSON writes {"instances":[…]}.
func (j InstancesJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("instances")
	writeArray(w, j.Instances)
	w.close()
}

// writeJSON writes the realm.
func (j RealmJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes {"id","href","name","state","limit"}.
func (j *RealmJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("name", j.Name)
	w.stringField("state", j.State)
	w.key("limit")
	w.limit(j.Limit)
	w.close()
}

// writeJSON writes {"realm":{…}}.
func (j RealmShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("realm")
	j.Realm.write(w)
	w.close()
}

// writeJSON writes {"realms":[…]}.
func (j RealmsJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("realms")
	writeArray(w, j.Realms)
	w.close()
}

// stateListJSON is States.JSON's []StateJSON, given a hand-written
// encoding: an array, null when nil.
type stateListJSON []StateJSON

// writeJSON writes the states.
func (j stateListJSON) writeJSON(w *jsonWriter) { writeArray(w, []StateJSON(j)) }

// write writes {"name","transitions"}.
func (j *StateJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("name", j.Name)
	w.key("transitions")
	writeArray(w, j.Transitions)
	w.close()
}

// write writes {"to"[,"action"][,"auto"]}.
func (j *TransitionJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("to", j.To)
	w.stringFieldOmitEmpty("action", j.Action)
	w.stringFieldOmitEmpty("auto", j.Auto)
	w.close()
}
