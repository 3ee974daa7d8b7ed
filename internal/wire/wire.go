// Package wire holds the documents of the Deltacloud REST API as Go types,
// in XML and JSON, with conversions to and from the root package's model.
//
// The REST handler (package api) builds documents from model values and
// encodes them; the remote driver (drivers/deltacloud) decodes documents and
// converts them back into the model. Both ends use the same types, so they
// agree by construction.
//
// Each resource has an XML type (Realm, Instance, …) that reproduces the
// original server's element names, nesting, order and attributes, and a JSON
// type (RealmJSON, …) for the JSON shape, which differs. The XML
// type is the primary form: New* functions build it from the model, its JSON
// method derives the JSON form, and its Model method converts a decoded
// document back into the model. Decoded documents keep every href, so a
// client follows the server's links instead of building paths.
//
// Marshal writes an XML document, with the declaration where the original
// server writes one; EncodeJSON writes a JSON form. Both write what
// encoding/xml and encoding/json would, by hand rather than by reflection.
// Unmarshal and the Decode* functions read XML tolerantly: unknown elements
// and attributes are ignored, attributes may use either quote, the
// declaration is optional and whitespace may appear anywhere.
package wire

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// APIVersion is the Deltacloud API version the documents follow.
const APIVersion = "1.1.3"

// XMLDeclaration begins the documents the original server renders with one.
const XMLDeclaration = "<?xml version='1.0' encoding='utf-8' ?>\n"

// Document is a top-level XML document of the API.
type Document interface {
	// Declared reports whether the original server begins this document
	// with XMLDeclaration. The entry point, drivers and instance_states have
	// none.
	Declared() bool
}

// Marshal encodes doc as indented XML, preceded by XMLDeclaration when the
// document has one. encoding/xml writes attributes in double quotes where the
// original writes single ones; clients must not depend on either.
//
// The output is what an encoding/xml Encoder with Indent("", "  ") writes
// for doc, followed by a newline. The document types of this package are
// written by hand (xmlencode.go) to the same bytes, several times faster;
// any other Document goes through encoding/xml.
func Marshal(doc Document) ([]byte, error) {
	if isNil(doc) {
		return nil, fmt.Errorf("wire: nil document")
	}
	if fd, ok := doc.(xmlDocument); ok {
		w := getWriter()
		defer putWriter(w)
		return bytes.Clone(writeDocument(w, fd)), nil
	}
	return marshalReflect(doc)
}

// Encode writes doc to w as Marshal encodes it. Nothing is written if the
// document cannot be encoded, so a handler can still answer with an error.
func Encode(w io.Writer, doc Document) error {
	if isNil(doc) {
		return fmt.Errorf("wire: nil document")
	}
	if fd, ok := doc.(xmlDocument); ok {
		xw := getWriter()
		defer putWriter(xw)
		_, err := w.Write(writeDocument(xw, fd))
		return err
	}
	data, err := marshalReflect(doc)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// isNil reports whether doc is nil or a nil pointer.
func isNil(doc Document) bool {
	if doc == nil {
		return true
	}
	v := reflect.ValueOf(doc)
	return v.Kind() == reflect.Pointer && v.IsNil()
}

// writeDocument writes doc with its hand-written encoding into the empty
// writer w and returns the bytes, which stay w's.
func writeDocument(w *xmlWriter, doc xmlDocument) []byte {
	if doc.Declared() {
		w.buf = append(w.buf, XMLDeclaration...)
	}
	doc.writeXML(w)
	w.buf = append(w.buf, '\n')
	return w.buf
}

// marshalReflect is Marshal through encoding/xml's reflection: the fallback
// for documents without a hand-written encoding, and the reference the
// hand-written ones are tested against.
func marshalReflect(doc Document) ([]byte, error) {
	if isNil(doc) {
		return nil, fmt.Errorf("wire: nil document")
	}
	var b bytes.Buffer
	if doc.Declared() {
		b.WriteString(XMLDeclaration)
	}
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("wire: encoding %T: %w", doc, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("wire: encoding %T: %w", doc, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

// Unmarshal decodes the XML document in data into doc, a pointer to one of
// the document types. It accepts what any XML parser accepts (either quote
// around attributes, a declaration or none, a UTF-8 byte-order mark, the
// utf-8, us-ascii and iso-8859-1 encodings) and ignores elements and
// attributes it does not know. The root element must be the document's.
func Unmarshal(data []byte, doc any) error {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = charsetReader
	if err := d.Decode(doc); err != nil {
		return fmt.Errorf("wire: decoding %T: %w", doc, err)
	}
	return nil
}

// decode is Unmarshal into a new T.
func decode[T any](data []byte) (*T, error) {
	v := new(T)
	if err := Unmarshal(data, v); err != nil {
		return nil, err
	}
	return v, nil
}

// charsetReader lets documents declare the encodings a Deltacloud server or
// a proxy may plausibly use besides UTF-8.
func charsetReader(charset string, input io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return input, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1":
		return &latin1Reader{r: input}, nil
	}
	return nil, fmt.Errorf("wire: unsupported encoding %q", charset)
}

// latin1Reader turns ISO-8859-1 bytes into UTF-8.
type latin1Reader struct {
	r       io.Reader
	pending []byte // UTF-8 produced but not yet returned
}

// Read returns the UTF-8 form of the next bytes of input.
func (l *latin1Reader) Read(p []byte) (int, error) {
	if len(l.pending) == 0 {
		in := make([]byte, max(len(p), 1))
		n, err := l.r.Read(in)
		for _, c := range in[:n] {
			l.pending = utf8.AppendRune(l.pending, rune(c))
		}
		if len(l.pending) == 0 {
			return 0, err
		}
	}
	n := copy(p, l.pending)
	l.pending = l.pending[n:]
	return n, nil
}

// CDATA is element text written as a CDATA section, as the original does for
// realm limits, error messages and a few other values.
type CDATA struct {
	Text string `xml:",cdata"`
}

// Ref is a reference to another object, <image href='…' id='…'></image>.
type Ref struct {
	Href string `xml:"href,attr"`
	ID   string `xml:"id,attr"`
}

// RelRef is a reference with a rel attribute, as in an image's
// <hardware_profile href id rel='hardware_profile'>.
type RelRef struct {
	Href string `xml:"href,attr"`
	ID   string `xml:"id,attr"`
	Rel  string `xml:"rel,attr"`
}

// RefJSON is a reference in the JSON forms: {"id","href","rel"}.
type RefJSON struct {
	ID   string `json:"id"`
	Href string `json:"href"`
	Rel  string `json:"rel"`
}

// Link is an action link, <link href='…' method='post' rel='reboot' />.
// ID is set only where the original names the object on its links (the
// firewall index).
type Link struct {
	Href   string `xml:"href,attr"`
	ID     string `xml:"id,attr,omitempty"`
	Method string `xml:"method,attr,omitempty"`
	Rel    string `xml:"rel,attr"`
}

// LinkJSON is an action link in the JSON forms: {"href","rel","method"}.
type LinkJSON struct {
	Href   string `json:"href"`
	Rel    string `json:"rel"`
	Method string `json:"method"`
}

// Actions is the <actions> element listing an object's action links.
type Actions struct {
	Links []Link `xml:"link"`
}

// Find returns the first link with the given rel, its attributes without
// surrounding whitespace, so a client can follow it.
func (a Actions) Find(rel string) (Link, bool) {
	for _, l := range a.Links {
		if text(l.Rel) == rel {
			return Link{Href: text(l.Href), ID: text(l.ID), Method: text(l.Method), Rel: text(l.Rel)}, true
		}
	}
	return Link{}, false
}

// collectionHref is {B}/<collection>.
func collectionHref(base, collection string) string {
	return strings.TrimRight(base, "/") + "/" + collection
}

// memberHref is {B}/<collection>/<id>, the id escaped as a path segment.
// It is built in one concatenation, as it is called for every reference of
// every document.
func memberHref(base, collection, id string) string {
	return strings.TrimRight(base, "/") + "/" + collection + "/" + url.PathEscape(id)
}

// text is element text as the model wants it: without surrounding
// whitespace, which the original's templates and pretty-printers add freely.
func text(s string) string { return strings.TrimSpace(s) }

// Number is text that JSON shows as a number when it is a whole number and
// as a string otherwise, so nothing a document holds is lost.
type Number string

// MarshalJSON writes the number, or the text as a string.
func (n Number) MarshalJSON() ([]byte, error) {
	s := text(string(n))
	if v, err := strconv.ParseUint(s, 10, 63); err == nil {
		return []byte(strconv.FormatUint(v, 10)), nil
	}
	return json.Marshal(string(n))
}

// NullString is a JSON string member the original writes as null when it
// has no value (a key's username and password, a volume's description,
// device and kind, an image's description: Ruby's nil), rather than leaving
// it out or writing "". Empty is null; null reads as empty.
type NullString string

// MarshalJSON writes null for the empty string, else the string.
func (s NullString) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("null"), nil
	}
	// Not json.Marshal: the handler's encoders leave <, > and & as they
	// are (SetEscapeHTML(false)), and a Marshaler's output is kept as is.
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	if err := e.Encode(string(s)); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// UnmarshalJSON reads a string or null.
func (s *NullString) UnmarshalJSON(b []byte) error {
	var v *string
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*s = ""
	if v != nil {
		*s = NullString(*v)
	}
	return nil
}

// UnmarshalJSON reads a number, a string or null.
func (n *Number) UnmarshalJSON(b []byte) error {
	var v any
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return err
	}
	switch v := v.(type) {
	case nil:
		*n = ""
	case string:
		*n = Number(v)
	case json.Number:
		*n = Number(v.String())
	default:
		return fmt.Errorf("wire: %s is neither a number nor a string", b)
	}
	return nil
}

// sortedKeys returns a map's keys in order, for deterministic documents.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
