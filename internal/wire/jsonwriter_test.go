package wire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	recorded "github.com/deltacloud-go/deltacloud/internal/golden"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The hand-written JSON encodings (jsonencode.go) must write exactly what an
// encoding/json Encoder with SetEscapeHTML(false) writes for the same value,
// less its trailing newline, as the REST handler's JSON bodies always were.
// These tests encode the JSON forms of every document the other tests
// build, the JSON goldens, and forms with every field filled by reflection
// (hostile text, awkward numbers, nil, empty and full slices, maps and
// pointers), both ways, and compare the bytes.

// jsonFormTypes has one value of each JSON form with a hand-written
// encoding: everything a JSON or ShowJSON method, or NewDriversJSON,
// returns.
var jsonFormTypes = []any{
	wire.APIJSON{}, wire.DriverJSON{}, wire.DriverShowJSON{}, wire.DriversJSON{}, wire.ErrorJSON{},
	wire.HardwareProfileJSON{}, wire.HardwareProfileShowJSON{}, wire.HardwareProfilesJSON{},
	wire.ImageJSON{}, wire.ImageShowJSON{}, wire.ImagesJSON{},
	wire.InstanceJSON{}, wire.InstanceShowJSON{}, wire.InstancesJSON{},
	wire.RealmJSON{}, wire.RealmShowJSON{}, wire.RealmsJSON{}, []wire.StateJSON{},
	wire.KeyJSON{}, wire.KeyShowJSON{}, wire.KeysJSON{},
	wire.FirewallJSON{}, wire.FirewallShowJSON{}, wire.FirewallsJSON{},
	wire.IPAddressJSON{}, wire.IPAddressShowJSON{}, wire.IPAddressesJSON{},
	wire.StorageVolumeJSON{}, wire.StorageVolumeShowJSON{}, wire.StorageVolumesJSON{},
	wire.StorageSnapshotJSON{}, wire.StorageSnapshotShowJSON{}, wire.StorageSnapshotsJSON{},
	wire.BucketJSON{}, wire.BucketShowJSON{}, wire.BucketsJSON{}, wire.BlobJSON{}, wire.BlobShowJSON{},
	wire.MetricJSON{}, wire.MetricShowJSON{}, wire.MetricsJSON{},
}

// jsonHostileStrings adds to hostileStrings what JSON escapes differently:
// the short escapes, DEL, U+2028 and U+2029, markup (escaped by the
// MarshalJSON methods' json.Marshal, not by the Encoder), JSON-looking text,
// and the texts a Number or Limit may hold: whole numbers with and without
// surrounding space and leading zeros, the largest and the first too large
// for 63 bits, signs, fractions, exponents, non-ASCII digits, "unlimited".
var jsonHostileStrings = append(slices.Clone(hostileStrings),
	"\b\f\v\a\x7f",
	"\u2028\u2029 a\u2028b\u2029c",
	"<script>alert(1)</script> & &amp;",
	`{"a":[1,"\u0000"]} \/ \\ \"`,
	"0", "007", " 42 ", "\t5\n", "9223372036854775807", "9223372036854775808",
	"18446744073709551616", "-1", "+1", "1.5", "1e3", "0x10", "1_000", "١٢", "unlimited", " UNLIMITED ",
	allBytes(),
)

// allBytes is every byte value once, in order.
func allBytes() string {
	b := make([]byte, 256)
	for i := range b {
		b[i] = byte(i)
	}
	return string(b)
}

// encodingJSON is the reference: what the handler wrote before, an
// encoding/json Encoder with SetEscapeHTML(false), its newline cut.
func encodingJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		tb.Fatalf("encoding/json: %v", err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// sameJSON fails unless v's hand-written encoding exists and equals
// encoding/json's, and EncodeJSON writes it.
func sameJSON(t testing.TB, name string, v any) {
	t.Helper()
	fast, ok := wire.MarshalJSONFast(v)
	if !ok {
		t.Fatalf("%s: %T has no hand-written JSON encoding", name, v)
	}
	ref := encodingJSON(t, v)
	if !bytes.Equal(fast, ref) {
		t.Fatalf("%s: %T: hand-written JSON differs from encoding/json\n%s", name, v, firstJSONDifference(ref, fast))
	}
	var buf bytes.Buffer
	buf.WriteString("prefix")
	if err := wire.EncodeJSON(&buf, v); err != nil {
		t.Fatalf("%s: EncodeJSON: %v", name, err)
	}
	if got := buf.Bytes()[len("prefix"):]; !bytes.Equal(got, ref) {
		t.Fatalf("%s: EncodeJSON differs from encoding/json\n%s", name, firstJSONDifference(ref, got))
	}
}

// firstJSONDifference shows where got departs from want.
func firstJSONDifference(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(i-60, 0)
	return fmt.Sprintf("at byte %d:\nencoding/json: %q\nhand-written:  %q", i,
		want[from:min(i+60, len(want))], got[from:min(i+60, len(got))])
}

// shape is how jsonFiller sets a slice, map or pointer.
type shape int

const (
	shapeNil   shape = iota // nil
	shapeEmpty              // empty slice or map, pointer to a zero value
	shapeFull               // n filled elements or entries, pointer to a filled value
)

func (s shape) String() string { return [...]string{"nil", "empty", "full"}[s] }

// jsonFiller sets every field of a JSON form: strings from strs in turn
// (map keys too), ints from fillInts, bools alternating, and slices, maps
// and pointers in the shapes of shapes in turn, full ones with n elements.
// Cycling shapes with different offsets gives each field each shape, next
// to neighbours in other shapes.
type jsonFiller struct {
	strs   []string
	shapes []shape
	n      int
	next   int // the next string, int or bool
	nextSh int // the next shape
}

// shape returns the next shape.
func (f *jsonFiller) shape() shape {
	s := f.shapes[f.nextSh%len(f.shapes)]
	f.nextSh++
	return s
}

// fill sets v, which must be settable.
func (f *jsonFiller) fill(t testing.TB, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.strs[f.next%len(f.strs)])
		f.next++
	case reflect.Int:
		v.SetInt(fillInts[f.next%len(fillInts)])
		f.next++
	case reflect.Bool:
		v.SetBool(f.next%2 == 0)
		f.next++
	case reflect.Pointer:
		switch f.shape() {
		case shapeNil:
			v.SetZero()
		case shapeEmpty:
			v.Set(reflect.New(v.Type().Elem()))
		case shapeFull:
			p := reflect.New(v.Type().Elem())
			f.fill(t, p.Elem())
			v.Set(p)
		}
	case reflect.Slice:
		switch f.shape() {
		case shapeNil:
			v.SetZero()
		case shapeEmpty:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		case shapeFull:
			s := reflect.MakeSlice(v.Type(), f.n, f.n)
			for i := range f.n {
				f.fill(t, s.Index(i))
			}
			v.Set(s)
		}
	case reflect.Map:
		switch f.shape() {
		case shapeNil:
			v.SetZero()
		case shapeEmpty:
			v.Set(reflect.MakeMap(v.Type()))
		case shapeFull:
			m := reflect.MakeMap(v.Type())
			for range f.n {
				k := reflect.New(v.Type().Key()).Elem()
				f.fill(t, k)
				e := reflect.New(v.Type().Elem()).Elem()
				f.fill(t, e)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				f.fill(t, v.Field(i))
			}
		}
	default:
		// A new kind of field needs a case here, and in the encodings.
		t.Fatalf("fill: unsupported kind %s (%s)", v.Kind(), v.Type())
	}
}

// filledJSON returns a value of form's type with every field set by f.
func filledJSON(t testing.TB, form any, f *jsonFiller) any {
	v := reflect.New(reflect.TypeOf(form)).Elem()
	f.fill(t, v)
	return v.Interface()
}

// TestFastJSONEveryField fills every field of every JSON form, so a field
// the hand-written encoding forgets, or an omitempty it gets wrong, shows up
// here: zero values; all slices, maps and pointers nil, empty or full; each
// hostile string everywhere; and the shapes and strings mixed.
func TestFastJSONEveryField(t *testing.T) {
	all := []shape{shapeNil, shapeEmpty, shapeFull}
	for _, form := range jsonFormTypes {
		name := fmt.Sprintf("%T", form)
		sameJSON(t, name+" zero", form)
		sameJSON(t, name+" zero pointer", reflect.New(reflect.TypeOf(form)).Interface())
		for _, sh := range all {
			for _, s := range []string{"", "x"} {
				sameJSON(t, fmt.Sprintf("%s %v %q", name, sh, s), filledJSON(t, form, &jsonFiller{strs: []string{s}, shapes: []shape{sh}, n: 1}))
			}
		}
		for _, s := range jsonHostileStrings {
			for _, n := range []int{1, 2} {
				sameJSON(t, fmt.Sprintf("%s %q ×%d", name, s, n), filledJSON(t, form, &jsonFiller{strs: []string{s}, shapes: []shape{shapeFull}, n: n}))
			}
		}
		for offset := range all {
			for _, n := range []int{1, 3} {
				for _, strs := range [][]string{jsonHostileStrings, {"", "a", "", "0"}} {
					f := &jsonFiller{strs: strs, shapes: all, n: n, nextSh: offset, next: offset}
					sameJSON(t, fmt.Sprintf("%s mixed ×%d from %d", name, n, offset), filledJSON(t, form, f))
				}
			}
		}
	}
}

// TestFastJSONNumbers checks the texts a Number or Limit may hold, where
// encoding/json defers to their MarshalJSON methods, in every place one
// appears.
func TestFastJSONNumbers(t *testing.T) {
	for _, s := range jsonHostileStrings {
		sameJSON(t, fmt.Sprintf("limit %q", s), wire.RealmJSON{Limit: wire.Limit(s)})
		sameJSON(t, fmt.Sprintf("port %q", s), wire.InstanceJSON{PublicAddresses: []wire.AddressJSON{{Port: wire.Number(s)}}})
		sameJSON(t, fmt.Sprintf("constraint %q", s), wire.APIJSON{API: wire.APIBodyJSON{Links: []wire.APILinkJSON{{
			Features: [][]wire.APIFeatureJSON{{{Constraints: map[string]wire.Number{s: wire.Number(s), "max": "20"}}}}}}}})
		sameJSON(t, fmt.Sprintf("property %q", s), wire.HardwareProfileJSON{Properties: wire.PropertyValues{{Name: s, Value: s}, {Name: "cpu", Value: "1"}}})
	}
}

// TestFastJSONMapOrder checks that map members come sorted as encoding/json
// sorts them, bytewise, whatever the map's order; including keys that are
// escaped alike (two invalid bytes both become \ufffd).
func TestFastJSONMapOrder(t *testing.T) {
	keys := []string{"b", "a", "B", "", "a\x00", "é", "\xff", "\xfe", "z", "10", "9", "<", "\u2028"}
	m := map[string]string{}
	c := map[string]wire.Number{}
	for i, k := range keys {
		m[k] = fmt.Sprint(i)
		c[k] = wire.Number(fmt.Sprint(i))
	}
	for range 20 { // map iteration order varies from run to run
		sameJSON(t, "drivers", wire.DriversJSON{"b": {Name: "B"}, "a": {Name: "A", Entrypoints: map[string]map[string]string{"s3": m, "ec2": m, "": nil}}})
		sameJSON(t, "constraints", wire.APIJSON{API: wire.APIBodyJSON{Links: []wire.APILinkJSON{{Features: [][]wire.APIFeatureJSON{{{Constraints: c}}, nil, {}}}}}})
	}
}

// jsonFormsOf returns the JSON forms the handler renders for doc.
func jsonFormsOf(t testing.TB, doc wire.Document) map[string]any {
	switch d := doc.(type) {
	case wire.API:
		return map[string]any{"": d.JSON()}
	case wire.Driver:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Drivers:
		return map[string]any{"index": wire.NewDriversJSON(base, d.Model())}
	case wire.ErrorDoc:
		return map[string]any{"": d.JSON()}
	case wire.HardwareProfile:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.HardwareProfiles:
		return map[string]any{"": d.JSON()}
	case wire.Image:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Images:
		return map[string]any{"": d.JSON()}
	case wire.Instance:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Instances:
		return map[string]any{"": d.JSON()}
	case wire.Realm:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Realms:
		return map[string]any{"": d.JSON()}
	case wire.States:
		return map[string]any{"": d.JSON()}
	}
	if forms := collectionJSONForms(doc); forms != nil {
		return forms
	}
	t.Fatalf("no JSON forms for %T", doc)
	return nil
}

// TestFastJSONMock compares the JSON encodings of the mock's documents.
func TestFastJSONMock(t *testing.T) {
	for name, doc := range mockDocuments(t) {
		for kind, form := range jsonFormsOf(t, doc) {
			sameJSON(t, name+" "+kind, form)
		}
	}
}

// jsonGoldenTypes is the JSON form each JSON golden holds.
var jsonGoldenTypes = map[string]any{
	"api_root_accept_json":           wire.APIJSON{},
	"api_root_json_format":           wire.APIJSON{},
	"create_instance_json":           wire.InstanceShowJSON{},
	"hardware_profile_m1_large_json": wire.HardwareProfileShowJSON{},
	"hardware_profiles_json":         wire.HardwareProfilesJSON{},
	"images_json":                    wire.ImagesJSON{},
	"instance_inst0_json":            wire.InstanceShowJSON{},
	"instance_nope_404_json":         wire.ErrorJSON{},
	"instance_states_json":           []wire.StateJSON{},
	"instances_json":                 wire.InstancesJSON{},
	"realms_json":                    wire.RealmsJSON{},
	"stop_instance_json":             wire.InstanceJSON{},
}

// nonDocumentGoldens are JSON requests whose recorded answers hold no JSON
// document: an empty 204 and a plain-text 412.
var nonDocumentGoldens = map[string]bool{"destroy_instance_json": true, "firewalls_412_json": true}

// TestFastJSONGoldens decodes each JSON golden into its form and compares
// the encodings of the result; then the same for the JSON forms of the XML
// goldens, as decoded and as re-rendered from the model.
func TestFastJSONGoldens(t *testing.T) {
	for _, golden := range recorded.OriginalNames() {
		if !strings.Contains(golden, "json") || nonDocumentGoldens[golden] {
			continue
		}
		form, ok := jsonGoldenTypes[golden]
		if !ok {
			t.Fatalf("%s: no JSON form known for this golden", golden)
		}
		p := newOf(form)
		if err := json.Unmarshal(goldenFile(t, golden), p); err != nil {
			t.Fatalf("%s: %v", golden, err)
		}
		sameJSON(t, golden+" decoded", deref(p))
		sameJSON(t, golden+" decoded, as a pointer", p)
	}

	for _, golden := range []string{
		"realms_xml", "hardware_profiles_xml", "hardware_profile_m1_large_xml", "images_xml",
		"instances_xml", "instance_inst0_xml", "create_instance_xml", "create_instance_xml_show",
		"stop_instance_xml", "instance_states_xml", "api_root_accept_xml", "drivers_xml",
		"instance_nope_404_xml", "destroy_instance_again_404_xml", "instances_badauth_401", "instances_noauth_401",
	} {
		data := goldenFile(t, golden)
		var doc, again wire.Document
		switch {
		case strings.HasPrefix(golden, "realms"):
			d := must(wire.DecodeRealms(data))(t)
			doc, again = *d, wire.NewRealms(base, must(d.Model())(t))
		case strings.HasPrefix(golden, "hardware_profiles"):
			d := must(wire.DecodeHardwareProfiles(data))(t)
			doc, again = *d, wire.NewHardwareProfiles(base, must(d.Model())(t))
		case strings.HasPrefix(golden, "hardware_profile_"):
			d := must(wire.DecodeHardwareProfile(data))(t)
			doc, again = *d, wire.NewHardwareProfile(base, must(d.Model())(t))
		case strings.HasPrefix(golden, "images"):
			d := must(wire.DecodeImages(data))(t)
			doc, again = *d, wire.NewImages(base, must(d.Model())(t), imageOpts)
		case golden == "instances_xml":
			d := must(wire.DecodeInstances(data))(t)
			doc, again = *d, wire.NewInstances(base, must(d.Model())(t), instanceOpts)
		case strings.Contains(golden, "instance_xml") || strings.HasPrefix(golden, "instance_inst0"):
			d := must(wire.DecodeInstance(data))(t)
			doc, again = *d, wire.NewInstance(base, must(d.Model())(t), instanceOpts)
		case strings.HasPrefix(golden, "instance_states"):
			d := must(wire.DecodeStates(data))(t)
			doc, again = *d, wire.NewStates(must(d.Model())(t))
		case strings.HasPrefix(golden, "api_root"):
			d := must(wire.DecodeAPI(data))(t)
			doc, again = *d, wire.NewAPI(base, d.Model())
		case strings.HasPrefix(golden, "drivers"):
			d := must(wire.DecodeDrivers(data))(t)
			doc, again = *d, wire.NewDrivers(base, d.Model())
		default:
			d := must(wire.DecodeError(data))(t)
			m := d.Model()
			doc, again = *d, wire.NewErrorDoc(wire.ErrorInfo{Status: d.StatusCode(), URL: d.URL, Message: m.Message})
		}
		for kind, form := range jsonFormsOf(t, doc) {
			sameJSON(t, golden+" decoded "+kind, form)
		}
		for kind, form := range jsonFormsOf(t, again) {
			sameJSON(t, golden+" re-rendered "+kind, form)
		}
	}
}

// TestEncodeJSONFallback checks the values without a hand-written encoding:
// EncodeJSON writes what encoding/json writes (no HTML escaping, no
// newline), writes null for a nil pointer to a form, and writes nothing when
// encoding/json fails.
func TestEncodeJSONFallback(t *testing.T) {
	for _, v := range []any{
		nil, 42, "<a&b>\u2028", map[string]any{"<k>": []int{1}, "a": nil},
		wire.RefJSON{ID: "<x>"}, wire.StateJSON{Name: "&"},
		(*wire.InstancesJSON)(nil), (*wire.RealmJSON)(nil), (*wire.DriversJSON)(nil), wire.DriversJSON(nil), (*[]wire.StateJSON)(nil),
		wire.Limit("<5>"), wire.PropertyValues{{Name: "<", Value: "&"}},
	} {
		want := encodingJSON(t, v)
		if _, ok := wire.MarshalJSONFast(v); ok && reflect.ValueOf(v).Kind() == reflect.Pointer {
			t.Errorf("%#v: a nil pointer has a hand-written encoding", v)
		}
		var buf bytes.Buffer
		if err := wire.EncodeJSON(&buf, v); err != nil || !bytes.Equal(buf.Bytes(), want) {
			t.Errorf("EncodeJSON(%#v) = %q, %v; want %q", v, buf.Bytes(), err, want)
		}
	}
	for _, v := range []any{make(chan int), map[string]any{"f": func() {}}} {
		var buf bytes.Buffer
		if err := wire.EncodeJSON(&buf, v); err == nil || buf.Len() != 0 {
			t.Errorf("EncodeJSON(%T) = %v, wrote %q", v, err, buf.Bytes())
		}
	}
}

// TestFastJSONConcurrent encodes from many goroutines at once, so the race
// detector sees the pooled writers shared between them.
func TestFastJSONConcurrent(t *testing.T) {
	forms := map[string]any{}
	for name, doc := range mockDocuments(t) {
		for kind, form := range jsonFormsOf(t, doc) {
			forms[name+" "+kind] = form
		}
	}
	want := map[string][]byte{}
	for name, form := range forms {
		want[name] = encodingJSON(t, form)
	}
	encodeConcurrently(t, want, func(name string, buf *bytes.Buffer) error { return wire.EncodeJSON(buf, forms[name]) })
}

// FuzzFastJSON puts arbitrary strings into instance, realm, image, profile,
// entry point, driver and error forms, both through the model (New* and
// JSON) and straight into every field, and compares the two encoders.
func FuzzFastJSON(f *testing.F) {
	f.Add("inst0", "name", "secret", 5)
	f.Add(`<>&'"\`, "\u2028\u2029", "\x00\xff\t\n\r\b\f", -1)
	f.Add(" 007 ", "9223372036854775808", "unlimited", 0)
	f.Add("", "", "", 70000)
	f.Add(allBytes(), "\xed\xa0\x80\uFFFE", "é😀", 1)
	f.Fuzz(func(t *testing.T, a, b, c string, n int) {
		in := fullInstance()
		in.ID, in.Name, in.Owner, in.ImageID, in.RealmID = a, b, c, b, c
		in.Profile.ID = c
		in.Profile.Overrides = map[string]string{a: b, "cpu": c}
		in.Actions = []deltacloud.Action{deltacloud.Action(a), deltacloud.ActionStop}
		in.PublicAddresses = []deltacloud.Address{{Value: a, Type: deltacloud.AddressType(b), Port: n & 0xffff}}
		in.PrivateAddresses = []deltacloud.Address{{Value: c}}
		in.Firewalls = []string{a, b}
		in.StorageVolumes = []deltacloud.VolumeAttachment{{VolumeID: b, Device: c}}
		in.Authentication = &deltacloud.Authentication{Method: a, KeyName: b, Username: c, Password: a + c}
		in.LaunchTime = time.Unix(int64(n), 0).UTC()
		doc := wire.NewInstance(base, in, instanceOpts)
		sameJSON(t, "instance", doc.JSON())
		sameJSON(t, "instance show", doc.ShowJSON())
		sameJSON(t, "instances", wire.NewInstances(base, []deltacloud.Instance{in, {ID: b, State: deltacloud.State(c)}}, instanceOpts).JSON())
		doc.Authentication.Error = a
		doc.PublicAddresses.Addresses[0].Port = b // any text, as a decoded document may hold
		sameJSON(t, "instance with odd port", doc.JSON())

		r := deltacloud.Realm{ID: a, Name: b, State: deltacloud.RealmState(c), Limit: n}
		sameJSON(t, "realm", wire.NewRealm(base, r).ShowJSON())
		sameJSON(t, "realms", wire.NewRealms(base, []deltacloud.Realm{r, {ID: c}}).JSON())
		sameJSON(t, "realm limit", wire.RealmJSON{Limit: wire.Limit(a)})

		img := deltacloud.Image{ID: a, Name: b, Description: c, Owner: a, Architecture: b, State: c, RootType: a,
			HardwareProfiles: []string{b, c}}
		sameJSON(t, "image", wire.NewImage(base, img, imageOpts).ShowJSON())
		sameJSON(t, "images", wire.NewImages(base, []deltacloud.Image{img, {ID: c}}, wire.ImageOptions{}).JSON())

		sameJSON(t, "hardware profile", wire.HardwareProfileJSON{ID: a, Properties: wire.PropertyValues{{Name: b, Value: c}}})
		sameJSON(t, "api", wire.APIJSON{API: wire.APIBodyJSON{Driver: a, Links: []wire.APILinkJSON{{Rel: b,
			Features: [][]wire.APIFeatureJSON{{{Name: c, Params: []string{a}, Constraints: map[string]wire.Number{a: wire.Number(b), c: wire.Number(a)}}}}}}}})
		sameJSON(t, "drivers", wire.DriversJSON{a: {Name: b, Entrypoints: map[string]map[string]string{c: {a: b, b: c}}}, b: {ID: c}})

		sameJSON(t, "error", wire.NewErrorDoc(wire.ErrorInfo{Status: n, URL: a, Message: b}).JSON())
		sameJSON(t, "error form", wire.ErrorJSON{Code: n, Message: a, Error: b})

		strs := []string{a, b, c}
		shapes := []shape{shape(n & 3 % 3), shapeFull, shape((n >> 2) & 3 % 3)}
		for _, form := range jsonFormTypes {
			sameJSON(t, fmt.Sprintf("%T", form), filledJSON(t, form, &jsonFiller{strs: strs, shapes: shapes, n: 1 + strings.Count(a, "x")%2}))
		}
	})
}

// TestFastJSONGoldenFilesListed makes sure TestFastJSONGoldens knows every
// JSON golden and every golden it knows exists.
func TestFastJSONGoldenFilesListed(t *testing.T) {
	for golden := range jsonGoldenTypes {
		if _, err := recorded.Original(golden); err != nil {
			t.Errorf("%s: %v", golden, err)
		}
	}
}

// TestFastJSONBenchmarkInput checks that the benchmark's input, the mock's
// instance index, is encoded the same both ways (the benchmark checks it
// too, but only when run).
func TestFastJSONBenchmarkInput(t *testing.T) {
	ins := must(openMock(t).Instances(context.Background(), deltacloud.InstanceFilter{}))(t)
	sameJSON(t, "instances", wire.NewInstances(base, ins, instanceOpts).JSON())
}
