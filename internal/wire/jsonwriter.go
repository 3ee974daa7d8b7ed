package wire

import (
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"
)

// jsonWriter is a small JSON writer that produces, byte for byte, what an
// encoding/json Encoder with SetEscapeHTML(false) writes for the JSON forms
// of this package (without the Encoder's trailing newline), without
// reflection. The forms' writeJSON methods (jsonencode.go) drive it field by
// field:
//
//	w.open()                 // {
//	w.stringField("id", id)  // "id":"…"
//	w.key("limit")           // ,"limit":
//	w.limit(l)               // "unlimited", 5 or "…"
//	w.close()                // }
//
// key writes the comma between members itself, so a field that omitempty
// leaves out simply writes nothing.
type jsonWriter struct {
	buf []byte
}

// reset empties the writer for a new value, keeping its buffer.
func (w *jsonWriter) reset() { w.buf = w.buf[:0] }

// open begins an object.
func (w *jsonWriter) open() { w.buf = append(w.buf, '{') }

// close ends an object.
func (w *jsonWriter) close() { w.buf = append(w.buf, '}') }

// key writes the name of the object's next member, preceded by a comma
// unless it is the first. name must need no escaping, as struct tag names
// and the fixed keys of this package do not.
func (w *jsonWriter) key(name string) {
	if w.buf[len(w.buf)-1] != '{' {
		w.buf = append(w.buf, ',')
	}
	w.buf = append(w.buf, '"')
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '"', ':')
}

// stringKey writes the member name s, escaped as encoding/json escapes map
// keys, preceded by a comma unless it is the first member.
func (w *jsonWriter) stringKey(s string) {
	if w.buf[len(w.buf)-1] != '{' {
		w.buf = append(w.buf, ',')
	}
	w.string(s)
	w.buf = append(w.buf, ':')
}

// stringField writes a string member, as a string field `json:"name"`.
func (w *jsonWriter) stringField(name, s string) {
	w.key(name)
	w.string(s)
}

// nullStringField writes a NullString member as its MarshalJSON does: null
// when empty.
func (w *jsonWriter) nullStringField(name string, s NullString) {
	w.key(name)
	if s == "" {
		w.null()
		return
	}
	w.string(string(s))
}

// stringFieldOmitEmpty writes a string member unless s is empty, as a
// string field `json:"name,omitempty"`.
func (w *jsonWriter) stringFieldOmitEmpty(name, s string) {
	if s != "" {
		w.stringField(name, s)
	}
}

// null writes null, as encoding/json writes a nil slice, map or pointer.
func (w *jsonWriter) null() { w.buf = append(w.buf, "null"...) }

// int writes an integer, as encoding/json writes an int.
func (w *jsonWriter) int(v int) { w.buf = strconv.AppendInt(w.buf, int64(v), 10) }

// string writes s as a JSON string, escaped as encoding/json escapes it
// with SetEscapeHTML(false).
func (w *jsonWriter) string(s string) { w.buf = appendJSONString(w.buf, s, &jsonSafe) }

// htmlString writes s as json.Marshal does, which escapes <, > and & too:
// the MarshalJSON methods of Number and PropertyValues use json.Marshal, and
// the Encoder copies their output as it is.
func (w *jsonWriter) htmlString(s string) { w.buf = appendJSONString(w.buf, s, &jsonHTMLSafe) }

// number writes n as Number.MarshalJSON does: a whole number (its text
// without surrounding whitespace, decimal digits only, below 2⁶³) as a JSON
// number without leading zeros, anything else as the whole text in a
// string.
func (w *jsonWriter) number(n Number) {
	if v, ok := wholeNumber(text(string(n))); ok {
		w.buf = strconv.AppendUint(w.buf, v, 10)
		return
	}
	w.htmlString(string(n))
}

// decimal writes d as Decimal.MarshalJSON does: a JSON number literal as
// it is, anything else as a string.
func (w *jsonWriter) decimal(d Decimal) {
	if s := text(string(d)); numberLiteral(s) {
		w.buf = append(w.buf, s...)
		return
	}
	w.htmlString(string(d))
}

// wholeNumber is strconv.ParseUint(s, 10, 63) without allocating an error
// for the texts that are not numbers.
func wholeNumber(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	v, err := strconv.ParseUint(s, 10, 63) // only overflow is left to fail
	return v, err == nil
}

// limit writes l as Limit.MarshalJSON does: "unlimited" for an empty (or
// blank) limit, else as a Number.
func (w *jsonWriter) limit(l Limit) {
	if text(string(l)) == "" {
		w.buf = append(w.buf, `"unlimited"`...)
		return
	}
	w.number(Number(l))
}

// properties writes pv as PropertyValues.MarshalJSON does: an object in
// the slice's order, {} for a nil or empty one, names and values escaped as
// json.Marshal escapes them.
func (w *jsonWriter) properties(pv PropertyValues) {
	w.open()
	for i := range pv {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.htmlString(pv[i].Name)
		w.buf = append(w.buf, ':')
		w.htmlString(pv[i].Value)
	}
	w.close()
}

// stringArray writes a []string: null when nil.
func (w *jsonWriter) stringArray(s []string) {
	if s == nil {
		w.null()
		return
	}
	w.buf = append(w.buf, '[')
	for i, v := range s {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		w.string(v)
	}
	w.buf = append(w.buf, ']')
}

// jsonElement is a pointer to an element of a JSON array this package
// writes by hand.
type jsonElement[T any] interface {
	*T
	// write writes the element.
	write(w *jsonWriter)
}

// writeArray writes the slice s as encoding/json does: null when nil, else
// its elements in order.
func writeArray[T any, P jsonElement[T]](w *jsonWriter, s []T) {
	if s == nil {
		w.null()
		return
	}
	w.buf = append(w.buf, '[')
	for i := range s {
		if i > 0 {
			w.buf = append(w.buf, ',')
		}
		P(&s[i]).write(w)
	}
	w.buf = append(w.buf, ']')
}

// writeMap writes the map m as encoding/json does: null when nil, else its
// members sorted by key (bytewise, as strings.Compare sorts), each value
// written by write.
func writeMap[V any](w *jsonWriter, m map[string]V, write func(w *jsonWriter, v V)) {
	if m == nil {
		w.null()
		return
	}
	w.open()
	// The keys of this package's maps are a handful: sorting them in
	// place beats encoding/json's reflection by far.
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.stringKey(k)
		write(w, m[k])
	}
	w.close()
}

// The ASCII bytes encoding/json copies into a string as they are: with
// SetEscapeHTML(false) (jsonSafe) everything but the control characters,
// '"' and '\\'; with HTML escaping (jsonHTMLSafe, json.Marshal) not '<', '>'
// and '&' either. DEL is copied in both. Bytes from 0x80 up are never safe:
// appendJSONString checks the UTF-8 sequence they begin.
var jsonSafe, jsonHTMLSafe = func() (safe, htmlSafe [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		safe[b] = b != '"' && b != '\\'
		htmlSafe[b] = safe[b] && b != '<' && b != '>' && b != '&'
	}
	return safe, htmlSafe
}()

// jsonHex is encoding/json's lower-case hexadecimal digits.
const jsonHex = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaped as encoding/json's
// appendString escapes it: \" and \\; \b, \f, \n, \r and \t; other control
// characters as \u00XX; <, > and & as \u003c, \u003e and \u0026 unless safe
// lets them through; U+2028 and U+2029 as \u2028 and \u2029; each byte of
// invalid UTF-8 as \ufffd. Everything else is copied.
func appendJSONString(dst []byte, s string, safe *[256]bool) []byte {
	dst = append(dst, '"')
	last := 0
	for i := 0; i < len(s); {
		b := s[i]
		if safe[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[last:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default: // other control characters, and <, >, & for json.Marshal
				dst = append(dst, '\\', 'u', '0', '0', jsonHex[b>>4], jsonHex[b&0xF])
			}
			i++
			last = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[last:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[last:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', jsonHex[r&0xF])
		default: // a valid character: kept as is
			i += size
			continue
		}
		i += size
		last = i
	}
	dst = append(dst, s[last:]...)
	return append(dst, '"')
}

// jsonForm is a JSON form with a hand-written encoding; EncodeJSON uses it
// instead of encoding/json.
type jsonForm interface {
	// writeJSON writes the form into the writer.
	writeJSON(w *jsonWriter)
}

// EncodeJSON writes the JSON form v to w as an encoding/json Encoder with
// SetEscapeHTML(false) writes it, without the Encoder's trailing newline:
// the body of the REST handler's JSON responses.
//
// The JSON forms of this package (RealmJSON, InstancesJSON, ErrorJSON, the
// []StateJSON of States.JSON, …, and non-nil pointers to them) are written by
// hand (jsonencode.go) to the same bytes, several times faster; any other
// value goes through encoding/json. Nothing is written if v cannot be
// encoded.
func EncodeJSON(w io.Writer, v any) error {
	if f, ok := jsonFormOf(v); ok {
		jw := getJSONWriter()
		defer putJSONWriter(jw)
		f.writeJSON(jw)
		_, err := w.Write(jw.buf)
		return err
	}
	data, err := marshalJSONReflect(v)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// jsonFormOf returns v's hand-written encoding, if it has one.
func jsonFormOf(v any) (jsonForm, bool) {
	switch v := v.(type) {
	case []StateJSON:
		return stateListJSON(v), true
	case *[]StateJSON:
		if v != nil {
			return stateListJSON(*v), true
		}
		return nil, false
	case jsonForm:
		// A nil pointer to a form has the form's methods, but encoding/json
		// writes null for it; leave it to the fallback.
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
			return nil, false
		}
		return v, true
	}
	return nil, false
}

// marshalJSONReflect is EncodeJSON through encoding/json's reflection: the
// fallback for values without a hand-written encoding, and the reference
// the hand-written ones are tested against. Its error is the Encoder's, as
// it is.
func marshalJSONReflect(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// jsonWriterPool recycles JSON writers and their buffers between values.
var jsonWriterPool = sync.Pool{New: func() any { return &jsonWriter{buf: make([]byte, 0, 4096)} }}

// getJSONWriter returns an empty writer from the pool.
func getJSONWriter() *jsonWriter {
	w := jsonWriterPool.Get().(*jsonWriter)
	w.reset()
	return w
}

// putJSONWriter returns w to the pool; its bytes must no longer be used.
// A writer grown beyond maxPooledBuffer is left to the collector.
func putJSONWriter(w *jsonWriter) {
	if cap(w.buf) <= maxPooledBuffer {
		jsonWriterPool.Put(w)
	}
}
