package wire

// The JSON forms' hand-written encodings. Each writes exactly what an
// encoding/json Encoder with SetEscapeHTML(false) writes for the type from
// its struct tags: members in field order under their tag names; omitempty
// fields left out when empty ("" strings, false, nil pointers, empty slices
// and maps); other nil slices and maps as null; and the fields whose types
// have a MarshalJSON method (Number, NullString, Limit, PropertyValues) as that method
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
	_ jsonForm = KeyJSON{}
	_ jsonForm = KeyShowJSON{}
	_ jsonForm = KeysJSON{}
	_ jsonForm = FirewallJSON{}
	_ jsonForm = FirewallShowJSON{}
	_ jsonForm = FirewallsJSON{}
	_ jsonForm = IPAddressJSON{}
	_ jsonForm = IPAddressShowJSON{}
	_ jsonForm = IPAddressesJSON{}
	_ jsonForm = StorageVolumeJSON{}
	_ jsonForm = StorageVolumeShowJSON{}
	_ jsonForm = StorageVolumesJSON{}
	_ jsonForm = StorageSnapshotJSON{}
	_ jsonForm = StorageSnapshotShowJSON{}
	_ jsonForm = StorageSnapshotsJSON{}
	_ jsonForm = BucketJSON{}
	_ jsonForm = BucketShowJSON{}
	_ jsonForm = BucketsJSON{}
	_ jsonForm = BlobJSON{}
	_ jsonForm = BlobShowJSON{}
	_ jsonForm = MetricJSON{}
	_ jsonForm = MetricShowJSON{}
	_ jsonForm = MetricsJSON{}
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
	w.nullStringField("description", j.Description)
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

// bool writes true or false.
func (w *jsonWriter) bool(b bool) {
	if b {
		w.buf = append(w.buf, "true"...)
	} else {
		w.buf = append(w.buf, "false"...)
	}
}

// writeJSON writes the key.
func (j KeyJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes the key's members.
func (j *KeyJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("credential_type", j.CredentialType)
	w.nullStringField("username", j.Username)
	w.nullStringField("password", j.Password)
	w.nullStringField("state", j.State)
	w.stringFieldOmitEmpty("pem_rsa_key", j.PEMRSAKey)
	w.stringFieldOmitEmpty("fingerprint", j.Fingerprint)
	w.close()
}

// writeJSON writes {"key":{…}}.
func (j KeyShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("key")
	j.Key.write(w)
	w.close()
}

// writeJSON writes {"keys":[…]}.
func (j KeysJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("keys")
	writeArray(w, j.Keys)
	w.close()
}

// writeJSON writes the firewall.
func (j FirewallJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes the firewall's members.
func (j *FirewallJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("name", j.Name)
	w.stringField("description", j.Description)
	w.stringField("owner_id", j.OwnerID)
	w.key("rules")
	writeArray(w, j.Rules)
	w.close()
}

// write writes one rule.
func (j *RuleJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringFieldOmitEmpty("allow_protocol", j.AllowProtocol)
	w.stringFieldOmitEmpty("port_from", j.PortFrom)
	w.stringFieldOmitEmpty("port_to", j.PortTo)
	w.key("sources")
	writeArray(w, j.Sources)
	w.stringFieldOmitEmpty("direction", j.Direction)
	w.stringFieldOmitEmpty("rule_action", j.RuleAction)
	w.stringFieldOmitEmpty("log_rule", j.LogRule)
	w.close()
}

// write writes one rule source.
func (j *SourceJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("type", j.Type)
	w.stringFieldOmitEmpty("family", j.Family)
	w.stringFieldOmitEmpty("address", j.Address)
	w.stringFieldOmitEmpty("prefix", j.Prefix)
	w.stringFieldOmitEmpty("name", j.Name)
	w.stringFieldOmitEmpty("owner", j.Owner)
	w.close()
}

// writeJSON writes {"firewall":{…}}.
func (j FirewallShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("firewall")
	j.Firewall.write(w)
	w.close()
}

// writeJSON writes {"firewalls":[…]}.
func (j FirewallsJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("firewalls")
	writeArray(w, j.Firewalls)
	w.close()
}

// writeJSON writes the address.
func (j IPAddressJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes {"id","href","associated"[,"instance_id"]}.
func (j *IPAddressJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.key("associated")
	w.bool(j.Associated)
	w.stringFieldOmitEmpty("instance_id", j.InstanceID)
	w.close()
}

// writeJSON writes {"address":{…}}.
func (j IPAddressShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("address")
	j.Address.write(w)
	w.close()
}

// writeJSON writes {"addresses":[…]}.
func (j IPAddressesJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("addresses")
	writeArray(w, j.Addresses)
	w.close()
}

// write writes a reference that may be absent: {} when it is.
func (j *OptRefJSON) write(w *jsonWriter) {
	w.open()
	w.stringFieldOmitEmpty("id", j.ID)
	w.stringFieldOmitEmpty("href", j.Href)
	w.stringFieldOmitEmpty("rel", j.Rel)
	w.close()
}

// write writes {"href","rel"}.
func (j *RelLinkJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("href", j.Href)
	w.stringField("rel", j.Rel)
	w.close()
}

// writeJSON writes the storage volume.
func (j StorageVolumeJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes the volume's members.
func (j *StorageVolumeJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("name", j.Name)
	w.nullStringField("description", j.Description)
	w.stringField("state", j.State)
	w.stringField("created", j.Created)
	w.key("realm")
	j.Realm.write(w)
	w.nullStringField("device", j.Device)
	w.nullStringField("kind", j.Kind)
	w.key("capacity")
	w.number(j.Capacity)
	w.key("actions")
	writeArray(w, j.Actions)
	w.key("instance")
	j.Instance.write(w)
	w.close()
}

// writeJSON writes {"storage_volume":{…}}.
func (j StorageVolumeShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("storage_volume")
	j.StorageVolume.write(w)
	w.close()
}

// writeJSON writes {"storage_volumes":[…]}.
func (j StorageVolumesJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("storage_volumes")
	writeArray(w, j.StorageVolumes)
	w.close()
}

// writeJSON writes the storage snapshot.
func (j StorageSnapshotJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes {"id","href","state","storage_volume","created"}.
func (j *StorageSnapshotJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("state", j.State)
	w.key("storage_volume")
	j.StorageVolume.write(w)
	w.stringField("created", j.Created)
	w.close()
}

// writeJSON writes {"storage_snapshot":{…}}.
func (j StorageSnapshotShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("storage_snapshot")
	j.StorageSnapshot.write(w)
	w.close()
}

// writeJSON writes {"storage_snapshots":[…]}.
func (j StorageSnapshotsJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("storage_snapshots")
	writeArray(w, j.StorageSnapshots)
	w.close()
}

// writeJSON writes the bucket.
func (j BucketJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes {"id","href","name","size","blob_list"}.
func (j *BucketJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("name", j.Name)
	w.key("size")
	w.number(j.Size)
	w.key("blob_list")
	writeArray(w, j.BlobList)
	w.close()
}

// writeJSON writes {"bucket":{…}}.
func (j BucketShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("bucket")
	j.Bucket.write(w)
	w.close()
}

// writeJSON writes {"buckets":[…]}.
func (j BucketsJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("buckets")
	writeArray(w, j.Buckets)
	w.close()
}

// writeJSON writes the blob.
func (j BlobJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes the blob's members.
func (j *BlobJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.key("bucket")
	j.Bucket.write(w)
	w.key("content_length")
	w.number(j.ContentLength)
	w.stringField("content_type", j.ContentType)
	w.stringField("last_modified", j.LastModified)
	w.stringField("content", j.Content)
	w.key("user_metadata")
	writeMap(w, j.UserMetadata, (*jsonWriter).string)
	w.close()
}

// writeJSON writes {"blob":{…}}.
func (j BlobShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("blob")
	j.Blob.write(w)
	w.close()
}

// writeJSON writes the metric.
func (j MetricJSON) writeJSON(w *jsonWriter) { j.write(w) }

// write writes {"id","href","entity","properties"}.
func (j *MetricJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("id", j.ID)
	w.stringField("href", j.Href)
	w.stringField("entity", j.Entity)
	w.key("properties")
	writeArray(w, j.Properties)
	w.close()
}

// write writes {"name","values"}.
func (j *MetricPropertyJSON) write(w *jsonWriter) {
	w.open()
	w.stringField("name", j.Name)
	w.key("values")
	writeArray(w, j.Values)
	w.close()
}

// write writes one sample.
func (j *MetricValueJSON) write(w *jsonWriter) {
	w.open()
	w.key("minimum")
	w.decimal(j.Minimum)
	w.key("maximum")
	w.decimal(j.Maximum)
	w.key("average")
	w.decimal(j.Average)
	w.key("timestamp")
	w.number(j.Timestamp)
	w.stringField("unit", j.Unit)
	w.close()
}

// writeJSON writes {"metric":{…}}.
func (j MetricShowJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("metric")
	j.Metric.write(w)
	w.close()
}

// writeJSON writes {"metrics":[…]}.
func (j MetricsJSON) writeJSON(w *jsonWriter) {
	w.open()
	w.key("metrics")
	writeArray(w, j.Metrics)
	w.close()
}
