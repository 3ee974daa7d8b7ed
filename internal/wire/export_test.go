package wire

// Exports for the tests of package wire_test.

// MarshalReflect is Marshal through encoding/xml, the reference the
// hand-written encodings are compared with.
var MarshalReflect = marshalReflect

// MarshalFast is Marshal through doc's hand-written encoding; ok is false
// when doc has none.
func MarshalFast(doc Document) (data []byte, ok bool) {
	fd, ok := doc.(xmlDocument)
	if !ok || isNil(doc) {
		return nil, false
	}
	w := getWriter()
	defer putWriter(w)
	return append([]byte(nil), writeDocument(w, fd)...), true
}

// MarshalJSONFast is EncodeJSON through v's hand-written encoding; ok is
// false when v has none.
func MarshalJSONFast(v any) (data []byte, ok bool) {
	f, ok := jsonFormOf(v)
	if !ok {
		return nil, false
	}
	w := getJSONWriter()
	defer putJSONWriter(w)
	f.writeJSON(w)
	return append([]byte(nil), w.buf...), true
}
