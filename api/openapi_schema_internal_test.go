package api

import (
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// schemaProbeJSON has a field of every shape the reflection must tell apart.
type schemaProbeJSON struct {
	Plain     string            `json:"plain"`
	Omitted   string            `json:"omitted,omitempty"`
	List      []wire.RefJSON    `json:"list"`
	OmitList  []string          `json:"omit_list,omitempty"`
	Map       map[string]string `json:"map"`
	Ptr       *wire.RefJSON     `json:"ptr"`
	OmitPtr   *wire.RefJSON     `json:"omit_ptr,omitempty"`
	Number    wire.Number       `json:"number"`
	Null      wire.NullString   `json:"null"`
	Props     wire.PropertyValues
	Flag      bool   `json:"flag,omitempty"`
	Skipped   string `json:"-"`
	unexposed string
}

// TestJSONSchemaOfStruct checks the schema reflection makes of each kind of
// field: omitempty is optional and never null, a nil slice, map or pointer
// without it is null, the MarshalJSON types are what their methods write.
func TestJSONSchemaOfStruct(t *testing.T) {
	s := newJSONSchemas()
	ref := s.of(reflect.TypeFor[schemaProbeJSON]())
	refRef := jsonObject{"$ref": schemaRefPrefix + "Ref"}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"reference", ref, jsonObject{"$ref": schemaRefPrefix + "schemaProbe"}},
		{"required", probe(s)["required"],
			[]string{"plain", "list", "map", "ptr", "number", "null", "Props"}},
		{"plain", prop(s, "plain"), jsonObject{"type": "string"}},
		{"omitempty string", prop(s, "omitted"), jsonObject{"type": "string"}},
		{"nil slice", prop(s, "list"), jsonObject{"type": []string{"array", "null"}, "items": refRef}},
		{"omitempty slice", prop(s, "omit_list"), jsonObject{"type": "array", "items": jsonObject{"type": "string"}}},
		{"nil map", prop(s, "map"), jsonObject{"type": []string{"object", "null"}, "additionalProperties": jsonObject{"type": "string"}}},
		{"nil pointer", prop(s, "ptr"), jsonObject{"anyOf": []any{refRef, jsonObject{"type": "null"}}}},
		{"omitempty pointer", prop(s, "omit_ptr"), refRef},
		{"Number", prop(s, "number"), oneOfTypes("integer", "string")},
		{"NullString", prop(s, "null"), jsonObject{"type": []string{"string", "null"}}},
		{"PropertyValues, untagged", prop(s, "Props"),
			jsonObject{"type": "object", "additionalProperties": jsonObject{"type": "string"}}},
		{"bool", prop(s, "flag"), jsonObject{"type": "boolean"}},
		{"left out", len(probe(s)["properties"].(jsonObject)), 11},
		{"top-level list", s.of(reflect.TypeFor[[]wire.StateJSON]()),
			jsonObject{"type": "array", "items": jsonObject{"$ref": schemaRefPrefix + "State"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// probe is the component schema of schemaProbeJSON.
func probe(s *jsonSchemas) jsonObject { return s.components["schemaProbe"].(jsonObject) }

// prop is the schema of one of schemaProbeJSON's properties.
func prop(s *jsonSchemas, name string) any { return probe(s)["properties"].(jsonObject)[name] }
