package api

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// jsonObject is a JSON object of the OpenAPI document. encoding/json
// writes its keys sorted, so the document is the same on every run.
type jsonObject = map[string]any

// schemaRefPrefix is where the document keeps the schemas of the wire
// documents.
const schemaRefPrefix = "#/components/schemas/"

// jsonSchemas makes the JSON Schemas (2020-12, as OpenAPI 3.1 has them) of
// the wire package's JSON forms by reflection over their json tags, as
// encoding/json writes them — and so as the handler writes them, since
// wire's hand-written encoders write exactly those bytes (wire's
// jsonencode.go). Named struct types become components, referenced by
// $ref; everything else is inline.
type jsonSchemas struct {
	components jsonObject
}

func newJSONSchemas() *jsonSchemas { return &jsonSchemas{components: jsonObject{}} }

// textTypes are the wire types with a MarshalJSON of their own, by what
// that method writes; reflection over their Go kind would lie.
var textTypes = map[reflect.Type]jsonObject{
	// Number: a whole number, or its text as a string when it is not one.
	reflect.TypeFor[wire.Number](): oneOfTypes("integer", "string"),
	// Decimal: a number literal (0.3), or its text as a string.
	reflect.TypeFor[wire.Decimal](): oneOfTypes("number", "string"),
	// Limit: "unlimited", a whole number, or the text.
	reflect.TypeFor[wire.Limit](): oneOfTypes("integer", "string"),
	// NullString: null for the empty string.
	reflect.TypeFor[wire.NullString](): {"type": []string{"string", "null"}},
	// PropertyValues: an object of names to string values, {} when empty.
	reflect.TypeFor[wire.PropertyValues](): {"type": "object", "additionalProperties": jsonObject{"type": "string"}},
}

// oneOfTypes is the schema of a value of one of two JSON types, spelled
// anyOf rather than as a type array, which client generators (oapi-codegen)
// do not take for two types other than null.
func oneOfTypes(a, b string) jsonObject {
	return jsonObject{"anyOf": []any{jsonObject{"type": a}, jsonObject{"type": b}}}
}

// componentName is the schema name of a wire JSON type: InstanceJSON is
// "Instance".
func componentName(t reflect.Type) string {
	return strings.TrimSuffix(t.Name(), "JSON")
}

// of returns the schema of a top-level document of type t.
func (s *jsonSchemas) of(t reflect.Type) jsonObject {
	return s.schema(t, false)
}

// schema returns the schema of a value of type t. nullable says that
// encoding/json may write the value as null (a nil slice, map or pointer
// without omitempty).
func (s *jsonSchemas) schema(t reflect.Type, nullable bool) jsonObject {
	if known, ok := textTypes[t]; ok {
		return known
	}
	var sch jsonObject
	switch t.Kind() {
	case reflect.String:
		return jsonObject{"type": "string"}
	case reflect.Bool:
		return jsonObject{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return jsonObject{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return jsonObject{"type": "number"}
	case reflect.Pointer:
		return s.schema(t.Elem(), nullable)
	case reflect.Struct:
		ref := s.component(t)
		if nullable {
			return jsonObject{"anyOf": []any{ref, jsonObject{"type": "null"}}}
		}
		return ref
	case reflect.Slice:
		sch = jsonObject{"type": "array", "items": s.schema(t.Elem(), nilable(t.Elem()))}
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			panic(fmt.Sprintf("openapi: map key of %v is not a string", t))
		}
		sch = jsonObject{"type": "object", "additionalProperties": s.schema(t.Elem(), nilable(t.Elem()))}
	default:
		panic(fmt.Sprintf("openapi: no JSON schema for %v", t))
	}
	if nullable {
		sch["type"] = []string{sch["type"].(string), "null"}
	}
	return sch
}

// component adds the schema of struct type t to the components, once, and
// returns a reference to it.
func (s *jsonSchemas) component(t reflect.Type) jsonObject {
	name := componentName(t)
	ref := jsonObject{"$ref": schemaRefPrefix + name}
	if _, done := s.components[name]; done {
		return ref
	}
	s.components[name] = nil // a recursive type refers to itself
	props := jsonObject{}
	var required []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		key, opts, _ := strings.Cut(tag, ",")
		if key == "" {
			key = f.Name
		}
		omitEmpty := strings.Contains(","+opts+",", ",omitempty,")
		// Without omitempty a nil slice, map or pointer is written as null;
		// with it, an empty one is left out and a present one never null.
		props[key] = s.schema(f.Type, !omitEmpty && nilable(f.Type))
		if !omitEmpty {
			required = append(required, key)
		}
	}
	sch := jsonObject{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		sch["required"] = required
	}
	s.components[name] = sch
	return ref
}

// nilable reports whether a value of type t can be nil, and so written as
// null, unless its own MarshalJSON writes something else.
func nilable(t reflect.Type) bool {
	if _, ok := textTypes[t]; ok {
		return false
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Map, reflect.Pointer:
		return true
	}
	return false
}
