package wire_test

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The hand-written encodings (xmlencode.go) must write exactly what
// encoding/xml writes for the same document. These tests encode every
// document the other tests build, the goldens as decoded and as re-rendered,
// and documents with every field set to hostile text, both ways, and compare
// the bytes.

// documentTypes has one value of each document type; every one must have a
// hand-written encoding.
var documentTypes = []wire.Document{
	wire.API{}, wire.Drivers{}, wire.Driver{}, wire.ErrorDoc{},
	wire.HardwareProfiles{}, wire.HardwareProfile{}, wire.Images{}, wire.Image{},
	wire.Instances{}, wire.Instance{}, wire.Realms{}, wire.Realm{}, wire.States{},
	wire.Keys{}, wire.Key{}, wire.FirewallList{}, wire.Firewall{}, wire.IPAddresses{}, wire.IPAddress{},
	wire.StorageVolumeList{}, wire.StorageVolume{}, wire.StorageSnapshots{}, wire.StorageSnapshot{},
	wire.Buckets{}, wire.Bucket{}, wire.Blob{}, wire.Metrics{}, wire.Metric{},
}

// hostileStrings are texts that exercise escaping and CDATA sections:
// markup, quotes, whitespace encoding/xml escapes, control characters,
// invalid UTF-8, surrogates, non-characters, and "]]>" in every position.
var hostileStrings = []string{
	"",
	" ",
	"plain",
	`<>&'"`,
	`a "quoted" 'value' & <tag attr="x">`,
	"tab\there\nnewline\r\ncrlf",
	"\x00\x01\x08\x0b\x0c\x1b\x1f\x7f",
	"invalid \xff\xfe\xc0\x80 utf-8",
	"truncated \xe2\x82",
	"surrogate \xed\xa0\x80",
	"\uFFFD real replacement \uFFFE\uFFFF non-characters",
	"é ü 日本 😀 \U0010FFFF",
	"]]>",
	"]]>]]>",
	"a]]>b]]]>>c]]",
	"]]",
	"]",
	"<![CDATA[x]]>",
	"&amp; &#34; &lt;",
	"\t\n\r",
	"trailing ]",
}

// sameEncoding fails unless doc's hand-written encoding exists and equals
// encoding/xml's, and Marshal and Encode write it.
func sameEncoding(t *testing.T, name string, doc wire.Document) {
	t.Helper()
	fast, ok := wire.MarshalFast(doc)
	if !ok {
		t.Fatalf("%s: %T has no hand-written encoding", name, doc)
	}
	ref, err := wire.MarshalReflect(doc)
	if err != nil {
		t.Fatalf("%s: encoding/xml: %v", name, err)
	}
	if !bytes.Equal(fast, ref) {
		t.Fatalf("%s: %T: hand-written encoding differs from encoding/xml\n%s", name, doc, firstDifference(ref, fast))
	}
	if got := must(wire.Marshal(doc))(t); !bytes.Equal(got, ref) {
		t.Fatalf("%s: Marshal differs from encoding/xml\n%s", name, firstDifference(ref, got))
	}
	var buf bytes.Buffer
	buf.WriteString("prefix")
	if err := wire.Encode(&buf, doc); err != nil {
		t.Fatalf("%s: Encode: %v", name, err)
	}
	if got := buf.Bytes()[len("prefix"):]; !bytes.Equal(got, ref) {
		t.Fatalf("%s: Encode differs from encoding/xml\n%s", name, firstDifference(ref, got))
	}
}

// firstDifference shows where got departs from want.
func firstDifference(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(i-60, 0)
	return fmt.Sprintf("at byte %d:\nencoding/xml: %q\nhand-written: %q", i,
		want[from:min(i+60, len(want))], got[from:min(i+60, len(got))])
}

// filler sets every field of a document: strings from strs in turn, ints
// from a list of awkward values, pointers to filled values and slices of n
// filled elements.
type filler struct {
	strs []string
	n    int
	next int
}

var fillInts = []int64{404, 0, -7, math.MaxInt64, math.MinInt64}

// fill sets v, which must be settable.
func (f *filler) fill(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.strs[f.next%len(f.strs)])
		f.next++
	case reflect.Int:
		v.SetInt(fillInts[f.next%len(fillInts)])
		f.next++
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		f.fill(t, p.Elem())
		v.Set(p)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), f.n, f.n)
		for i := range f.n {
			f.fill(t, s.Index(i))
		}
		v.Set(s)
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

// filled returns a document of doc's type with every field set by f.
func filled(t *testing.T, doc wire.Document, f *filler) wire.Document {
	v := reflect.New(reflect.TypeOf(doc)).Elem()
	f.fill(t, v)
	return v.Interface().(wire.Document)
}

// TestFastEncodeEveryField fills every field of every document type, so a
// field the hand-written encoding forgets shows up here: with empty
// strings and empty slices (every optional element present but empty),
// with each hostile string everywhere, and with the hostile strings mixed.
func TestFastEncodeEveryField(t *testing.T) {
	for _, doc := range documentTypes {
		name := fmt.Sprintf("%T", doc)
		sameEncoding(t, name+" zero", doc)
		sameEncoding(t, name+" zero pointer", reflect.New(reflect.TypeOf(doc)).Interface().(wire.Document))
		sameEncoding(t, name+" empty", filled(t, doc, &filler{strs: []string{""}, n: 0}))
		sameEncoding(t, name+" empty elements", filled(t, doc, &filler{strs: []string{""}, n: 1}))
		for _, s := range hostileStrings {
			for _, n := range []int{1, 2} {
				sameEncoding(t, fmt.Sprintf("%s %q ×%d", name, s, n), filled(t, doc, &filler{strs: []string{s}, n: n}))
			}
		}
		for _, n := range []int{1, 3} {
			sameEncoding(t, fmt.Sprintf("%s mixed ×%d", name, n), filled(t, doc, &filler{strs: hostileStrings, n: n}))
		}
	}
}

// mockDocuments builds every document the golden and round-trip tests
// render from the mock driver, and a few more.
func mockDocuments(t *testing.T) map[string]wire.Document {
	ctx := context.Background()
	p := openMock(t)
	docs := map[string]wire.Document{}

	rs := must(p.Realms(ctx))(t)
	rs = append(rs, deltacloud.Realm{ID: "limited", Name: "Limited", State: deltacloud.RealmUnavailable, Limit: 5},
		deltacloud.Realm{ID: "a b/c", Name: "spaces & <markup>"})
	docs["realms"] = wire.NewRealms(base, rs)
	for _, r := range rs {
		docs["realm "+r.ID] = wire.NewRealm(base, r)
	}

	hs := must(p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{}))(t)
	docs["hardware_profiles"] = wire.NewHardwareProfiles(base, hs)
	for _, h := range hs {
		docs["hardware_profile "+h.ID] = wire.NewHardwareProfile(base, h)
	}

	imgs := must(p.Images(ctx, deltacloud.ImageFilter{}))(t)
	imgs = append(imgs, deltacloud.Image{ID: "x/y", Name: "odd <image>", State: "AVAILABLE",
		HardwareProfiles: []string{}, CreationTime: time.Date(2013, time.March, 1, 9, 0, 0, 250e6, time.UTC)})
	docs["images"] = wire.NewImages(base, imgs, imageOpts)
	docs["images without actions"] = wire.NewImages(base, imgs, wire.ImageOptions{})
	for _, img := range imgs {
		docs["image "+img.ID] = wire.NewImage(base, img, imageOpts)
	}

	ins := must(p.Instances(ctx, deltacloud.InstanceFilter{}))(t)
	keyed := fullInstance()
	keyed.ID, keyed.Authentication, keyed.Firewalls, keyed.CanCreateImage = "i-2", &deltacloud.Authentication{Method: "key", KeyName: "mykey"}, []string{}, false
	failed := fullInstance()
	failed.ID, failed.Authentication = "i-4", &deltacloud.Authentication{Method: "password"}
	ins = append(ins, fullInstance(), keyed, failed,
		deltacloud.Instance{ID: "i-3", State: deltacloud.StatePending, Actions: []deltacloud.Action{}},
		deltacloud.Instance{ID: "a/b c;d", State: deltacloud.StateRunning, Actions: []deltacloud.Action{deltacloud.ActionReboot}})
	unnamed := fullInstance()
	unnamed.ID, unnamed.Name = "unnamed", ""
	ins = append(ins, unnamed)
	docs["instances"] = wire.NewInstances(base, ins, instanceOpts)
	docs["instances without options"] = wire.NewInstances(base, ins, wire.InstanceOptions{})
	docs["instances empty"] = wire.NewInstances(base, nil, instanceOpts)
	for _, in := range ins {
		docs["instance "+in.ID] = wire.NewInstance(base, in, instanceOpts)
	}
	withErr := wire.NewInstance(base, failed, instanceOpts)
	withErr.Authentication.Error = "the cloud did not say <why> & how"
	docs["instance with authentication error"] = withErr

	_, created := createInstance(t, deltacloud.InstanceSpec{Name: "i-1795735179"})
	docs["created instance"] = wire.NewInstance(base, *created, instanceOpts)
	p3, created3 := createInstance(t, deltacloud.InstanceSpec{Name: "golden1", ProfileID: "m1-large"})
	docs["stopped instance"] = wire.NewInstance(base, *must(p3.Stop(ctx, created3.ID))(t), instanceOpts)

	docs["states"] = wire.NewStates(p.Lifecycle())
	docs["states empty"] = wire.NewStates(nil)

	docs["api original"] = wire.NewAPI(base, originalMockAPI)
	docs["api with provider"] = wire.NewAPI(base, wire.APIInfo{
		Driver: "gogrid", Provider: "https://api.example.com/v1?a=1&b=2", Version: wire.APIVersion,
		Collections: []deltacloud.Collection{deltacloud.CollectionDrivers, deltacloud.CollectionImages, deltacloud.CollectionInstances},
		Features: deltacloud.MustFeatures(deltacloud.FeatureOwnerID, deltacloud.FeatureUserName).
			WithConstraint(deltacloud.FeatureUserName, "max_length", "20"),
	})

	infos := append(deltacloud.Drivers(), deltacloud.DriverInfo{Name: "ec2", Description: "EC2", Providers: []deltacloud.ProviderInfo{
		{ID: "us-west-1", Entrypoints: map[string]string{"ec2": "ec2.us-west-1.amazonaws.com", "s3": "https://x/?a]]>b&c"}},
		{ID: "eu-west-1"},
	}})
	docs["drivers"] = wire.NewDrivers(base, infos)
	for _, info := range infos {
		docs["driver "+info.Name] = wire.NewDriver(base, info)
	}

	_, err := p.Instance(ctx, "nope")
	docs["error 404"] = errorInfo(err, "/api/instances/nope",
		wire.RequestParam{Name: "format", Value: "xml"}, wire.RequestParam{Name: "id", Value: "nope"})
	docs["error 405"] = wire.NewErrorDoc(wire.ErrorInfo{
		Status: 405, URL: "/api/instances/inst0", Driver: "mock",
		Message:   "instance is RUNNING, which allows [reboot stop], not destroy ]]> <x>",
		Backtrace: "api/instances.go:12\napi/handler.go:40",
		Params: []wire.RequestParam{
			{Name: "id", Value: "inst0"},
			{Name: "password", Value: "hunter2"},
			{Name: "name", Value: "a \"quoted\" #{name}\n]]>\x00\xff"},
		},
	})
	docs["error without params"] = wire.NewErrorDoc(wire.ErrorInfo{Status: 500})
	badAuth, err := deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: deltacloud.Credentials{User: mock.User, Password: "wrong"}})
	if err != nil {
		t.Fatal(err)
	}
	defer badAuth.Close()
	_, err = badAuth.Instances(ctx, deltacloud.InstanceFilter{})
	docs["error 401"] = errorInfo(err, "/api/instances", wire.RequestParam{Name: "format", Value: "xml"})
	for name, doc := range collectionDocuments() {
		docs[name] = doc
	}
	return docs
}

// TestFastEncodeMock compares the encodings of the mock's documents.
func TestFastEncodeMock(t *testing.T) {
	for name, doc := range mockDocuments(t) {
		sameEncoding(t, name, doc)
	}
}

// asDocument adapts a decoder to return a Document.
func asDocument[D any](decode func([]byte) (*D, error)) func([]byte) (wire.Document, error) {
	return func(data []byte) (wire.Document, error) {
		d, err := decode(data)
		if err != nil {
			return nil, err
		}
		return any(d).(wire.Document), nil
	}
}

// TestFastEncodeGoldens compares the encodings of each XML golden as
// decoded (with the original's whitespace and CDATA as text) and as
// re-rendered from the model.
func TestFastEncodeGoldens(t *testing.T) {
	decoders := map[string]func([]byte) (wire.Document, error){
		"realms_xml":                     asDocument(wire.DecodeRealms),
		"hardware_profiles_xml":          asDocument(wire.DecodeHardwareProfiles),
		"hardware_profile_m1_large_xml":  asDocument(wire.DecodeHardwareProfile),
		"images_xml":                     asDocument(wire.DecodeImages),
		"instances_xml":                  asDocument(wire.DecodeInstances),
		"instance_inst0_xml":             asDocument(wire.DecodeInstance),
		"create_instance_xml":            asDocument(wire.DecodeInstance),
		"create_instance_xml_show":       asDocument(wire.DecodeInstance),
		"stop_instance_xml":              asDocument(wire.DecodeInstance),
		"instance_states_xml":            asDocument(wire.DecodeStates),
		"api_root_accept_xml":            asDocument(wire.DecodeAPI),
		"drivers_xml":                    asDocument(wire.DecodeDrivers),
		"instance_nope_404_xml":          asDocument(wire.DecodeError),
		"destroy_instance_again_404_xml": asDocument(wire.DecodeError),
		"instances_badauth_401":          asDocument(wire.DecodeError),
		"instances_noauth_401":           asDocument(wire.DecodeError),
	}
	for golden, decode := range decoders {
		data := goldenFile(t, golden)
		doc := must(decode(data))(t)
		sameEncoding(t, golden+" decoded", doc)
		// The decoded document re-rendered from its model.
		var again wire.Document
		switch d := doc.(type) {
		case *wire.Realms:
			again = wire.NewRealms(base, must(d.Model())(t))
		case *wire.HardwareProfiles:
			again = wire.NewHardwareProfiles(base, must(d.Model())(t))
		case *wire.HardwareProfile:
			again = wire.NewHardwareProfile(base, must(d.Model())(t))
		case *wire.Images:
			again = wire.NewImages(base, must(d.Model())(t), imageOpts)
		case *wire.Instances:
			again = wire.NewInstances(base, must(d.Model())(t), instanceOpts)
		case *wire.Instance:
			again = wire.NewInstance(base, must(d.Model())(t), instanceOpts)
		case *wire.States:
			again = wire.NewStates(must(d.Model())(t))
		case *wire.API:
			again = wire.NewAPI(base, d.Model())
		case *wire.Drivers:
			again = wire.NewDrivers(base, d.Model())
		case *wire.ErrorDoc:
			m := d.Model()
			again = wire.NewErrorDoc(wire.ErrorInfo{Status: d.StatusCode(), URL: d.URL, Message: m.Message})
		default:
			t.Fatalf("%s: no model for %T", golden, doc)
		}
		sameEncoding(t, golden+" re-rendered", again)
	}
}

// TestFastEncodeNil checks that a nil document is an error, as it is for
// encoding/xml, and that nothing is written.
func TestFastEncodeNil(t *testing.T) {
	for _, doc := range []wire.Document{nil, (*wire.Realm)(nil), (*wire.Instances)(nil), (*wire.ErrorDoc)(nil)} {
		var buf bytes.Buffer
		if err := wire.Encode(&buf, doc); err == nil || buf.Len() != 0 {
			t.Errorf("Encode(%#v) = %v, wrote %q", doc, err, buf.Bytes())
		}
	}
}

// TestFastEncodeConcurrent encodes from many goroutines at once, so the
// race detector sees the pooled writers shared between them.
func TestFastEncodeConcurrent(t *testing.T) {
	docs := mockDocuments(t)
	want := map[string][]byte{}
	for name, doc := range docs {
		want[name] = must(wire.MarshalReflect(doc))(t)
	}
	encodeConcurrently(t, want, func(name string, buf *bytes.Buffer) error { return wire.Encode(buf, docs[name]) })
}

// FuzzFastEncode puts arbitrary strings into instance, realm, image and
// error documents, both through the model (New*) and straight into every
// field, and compares the two encoders.
func FuzzFastEncode(f *testing.F) {
	f.Add("inst0", "name", "secret", 5)
	f.Add(`<>&'"`, "]]>", "\x00\xff\t\n\r", -1)
	f.Add("a]]>b", "\xed\xa0\x80\uFFFE", "é😀", 0)
	f.Add("", "", "", 70000)
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
		sameEncoding(t, "instance", wire.NewInstance(base, in, instanceOpts))
		sameEncoding(t, "instances", wire.NewInstances(base, []deltacloud.Instance{in, {ID: b, State: deltacloud.State(c)}}, instanceOpts))

		r := deltacloud.Realm{ID: a, Name: b, State: deltacloud.RealmState(c), Limit: n}
		sameEncoding(t, "realm", wire.NewRealm(base, r))
		sameEncoding(t, "realms", wire.NewRealms(base, []deltacloud.Realm{r, {ID: c}}))

		img := deltacloud.Image{ID: a, Name: b, Description: c, Owner: a, Architecture: b, State: c, RootType: a,
			HardwareProfiles: []string{b, c}}
		sameEncoding(t, "image", wire.NewImage(base, img, imageOpts))
		sameEncoding(t, "images", wire.NewImages(base, []deltacloud.Image{img, {ID: c}}, wire.ImageOptions{}))

		sameEncoding(t, "error", wire.NewErrorDoc(wire.ErrorInfo{Status: n, URL: a, Driver: b, Provider: c,
			Message: b, Backtrace: c, Params: []wire.RequestParam{{Name: a, Value: b}, {Name: "password", Value: c}}}))
		e := wire.ErrorDoc{Status: n, URL: a, Code: -n, Message: wire.CDATA{Text: b}, Backtrace: wire.Section{Text: c},
			Request: wire.ErrRequest{Params: []wire.ErrParam{{Name: c, Value: a}}}}
		sameEncoding(t, "error document", e)

		strs := []string{a, b, c}
		for _, doc := range documentTypes {
			sameEncoding(t, fmt.Sprintf("%T", doc), filled(t, doc, &filler{strs: strs, n: 1 + strings.Count(a, "x")%2}))
		}
	})
}
