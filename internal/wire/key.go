package wire

import (
	"github.com/deltacloud-go/deltacloud"
)

// Key is the key document:
//
//	<key href='{B}/keys/test-key' id='test-key' type='key'>
//	  <name>test-key</name>
//	  <actions><link href='{B}/keys/test-key' method='delete' rel='destroy' /></actions>
//	  <fingerprint>5e:ce:…</fingerprint>                      <!-- key type, if set -->
//	  <pem><![CDATA[-----BEGIN RSA PRIVATE KEY-----…]]></pem> <!-- key type, if set -->
//	  <username><![CDATA[u]]></username><password><![CDATA[p]]></password> <!-- password type -->
//	  <state>…</state>
//	</key>
//
// The document has no element for a public key, so Model leaves
// deltacloud.Key.PublicKey empty.
type Key struct {
	XMLName     struct{} `xml:"key"`
	Href        string   `xml:"href,attr"`
	ID          string   `xml:"id,attr"`
	Type        string   `xml:"type,attr"`
	Name        string   `xml:"name"`
	Actions     Actions  `xml:"actions"`
	Fingerprint string   `xml:"fingerprint,omitempty"`
	PEM         *CDATA   `xml:"pem"`
	Username    *CDATA   `xml:"username"`
	Password    *CDATA   `xml:"password"`
	State       string   `xml:"state"`
}

// Declared reports that the key document has an XML declaration.
func (Key) Declared() bool { return true }

// Keys is the key index document.
type Keys struct {
	XMLName struct{} `xml:"keys"`
	Keys    []Key    `xml:"key"`
}

// Declared reports that the key index has an XML declaration.
func (Keys) Declared() bool { return true }

// RelDestroy is the rel of the destroy link of every collection but
// instances (whose destroy is a lifecycle action).
const RelDestroy = "destroy"

// NewKey builds the document for k, with hrefs under base. The name falls
// back to the id, as the original's does.
func NewKey(base string, k deltacloud.Key) Key {
	d := Key{
		Href:        memberHref(base, "keys", k.ID),
		ID:          k.ID,
		Type:        string(k.Type),
		Name:        k.Name,
		Fingerprint: k.Fingerprint,
		State:       k.State,
	}
	if d.Type == "" {
		d.Type = string(deltacloud.KeyTypeKey)
	}
	if d.Name == "" {
		d.Name = k.ID
	}
	d.Actions.Links = []Link{{Href: d.Href, Method: "delete", Rel: RelDestroy}}
	if k.PrivateKey != "" {
		d.PEM = &CDATA{Text: k.PrivateKey}
	}
	if d.Type == string(deltacloud.KeyTypePassword) || k.Username != "" || k.Password != "" {
		d.Username = &CDATA{Text: k.Username}
		d.Password = &CDATA{Text: k.Password}
	}
	return d
}

// NewKeys builds the index document.
func NewKeys(base string, ks []deltacloud.Key) Keys {
	d := Keys{Keys: make([]Key, len(ks))}
	for i, k := range ks {
		d.Keys[i] = NewKey(base, k)
	}
	return d
}

// DecodeKey reads a key document.
func DecodeKey(data []byte) (*Key, error) { return decode[Key](data) }

// DecodeKeys reads a key index document.
func DecodeKeys(data []byte) (*Keys, error) { return decode[Keys](data) }

// Model converts the document into the model. The PEM and the password are
// taken as they are (surrounding whitespace may belong to them).
func (d *Key) Model() deltacloud.Key {
	k := deltacloud.Key{
		ID:          text(d.ID),
		Name:        text(d.Name),
		Type:        deltacloud.KeyType(text(d.Type)),
		Fingerprint: text(d.Fingerprint),
		State:       text(d.State),
	}
	if k.Name == "" {
		// The document's name falls back to the id, so a nameless key is
		// one named by its id.
		k.Name = k.ID
	}
	if k.Type == "" {
		// A document without a type is a key pair, the type NewKey writes
		// for an untyped key.
		k.Type = deltacloud.KeyTypeKey
	}
	if d.PEM != nil {
		k.PrivateKey = d.PEM.Text
	}
	if d.Username != nil {
		k.Username = text(d.Username.Text)
	}
	if d.Password != nil {
		k.Password = d.Password.Text
	}
	return k
}

// Model converts the index into the model.
func (d *Keys) Model() []deltacloud.Key {
	out := make([]deltacloud.Key, len(d.Keys))
	for i := range d.Keys {
		out[i] = d.Keys[i].Model()
	}
	return out
}

// KeyJSON is the key's JSON form: {id, href, credential_type,
// username, password, state, pem_rsa_key?, fingerprint?}. It has no name.
type KeyJSON struct {
	ID             string     `json:"id"`
	Href           string     `json:"href"`
	CredentialType string     `json:"credential_type"`
	Username       NullString `json:"username"`
	Password       NullString `json:"password"`
	State          NullString `json:"state"`
	PEMRSAKey      string     `json:"pem_rsa_key,omitempty"`
	Fingerprint    string     `json:"fingerprint,omitempty"`
}

// KeysJSON is the index's JSON form, {"keys":[…]}.
type KeysJSON struct {
	Keys []KeyJSON `json:"keys"`
}

// KeyShowJSON is the show and create JSON form, {"key":{…}}.
type KeyShowJSON struct {
	Key KeyJSON `json:"key"`
}

// JSON returns the key's JSON form.
func (d Key) JSON() KeyJSON {
	j := KeyJSON{ID: d.ID, Href: d.Href, CredentialType: d.Type, State: NullString(d.State), Fingerprint: d.Fingerprint}
	if d.PEM != nil {
		j.PEMRSAKey = d.PEM.Text
	}
	if d.Username != nil {
		j.Username = NullString(d.Username.Text)
	}
	if d.Password != nil {
		j.Password = NullString(d.Password.Text)
	}
	return j
}

// ShowJSON returns the show and create JSON form.
func (d Key) ShowJSON() KeyShowJSON { return KeyShowJSON{Key: d.JSON()} }

// JSON returns the index's JSON form.
func (d Keys) JSON() KeysJSON {
	j := KeysJSON{Keys: make([]KeyJSON, len(d.Keys))}
	for i := range d.Keys {
		j.Keys[i] = d.Keys[i].JSON()
	}
	return j
}
