package wire_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// xmlRoundTrip encodes doc, decodes it into a new D and returns the result.
func xmlRoundTrip[D any](t *testing.T, doc wire.Document, decode func([]byte) (*D, error)) *D {
	t.Helper()
	data := must(wire.Marshal(doc))(t)
	d, err := decode(data)
	if err != nil {
		t.Fatalf("decoding our own document: %v\n%s", err, data)
	}
	return d
}

func TestRoundTripRealms(t *testing.T) {
	rs := must(openMock(t).Realms(context.Background()))(t)
	rs = append(rs,
		deltacloud.Realm{ID: "limited", Name: "Limited", State: deltacloud.RealmUnavailable, Limit: 5},
		deltacloud.Realm{ID: "a b/c", Name: "spaces & <markup>"},
	)
	got := must(xmlRoundTrip(t, wire.NewRealms(base, rs), wire.DecodeRealms).Model())(t)
	if diff := cmp.Diff(rs, got); diff != "" {
		t.Errorf("realms (-want +got):\n%s", diff)
	}
	one := must(xmlRoundTrip(t, wire.NewRealm(base, rs[2]), wire.DecodeRealm).Model())(t)
	if diff := cmp.Diff(rs[2], one); diff != "" {
		t.Errorf("realm (-want +got):\n%s", diff)
	}
}

func TestRoundTripHardwareProfiles(t *testing.T) {
	hs := must(openMock(t).HardwareProfiles(context.Background(), deltacloud.HardwareProfileFilter{}))(t)
	stepped := deltacloud.RangeProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, "512", "4096", "1024")
	stepped.Step = "512"
	hs = append(hs, deltacloud.HardwareProfile{ID: "custom", Name: "Custom profile", Properties: []deltacloud.Property{
		stepped,
		deltacloud.EnumProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64", "i386", "x86_64"),
		deltacloud.FixedProperty("root_type", "", "persistent"),
		deltacloud.EnumProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, "0.5", "0.5", "1.25"),
	}})
	got := must(xmlRoundTrip(t, wire.NewHardwareProfiles(base, hs), wire.DecodeHardwareProfiles).Model())(t)
	if diff := cmp.Diff(hs, got); diff != "" {
		t.Errorf("hardware profiles (-want +got):\n%s", diff)
	}
	for _, h := range hs {
		got := must(xmlRoundTrip(t, wire.NewHardwareProfile(base, h), wire.DecodeHardwareProfile).Model())(t)
		if diff := cmp.Diff(h, got); diff != "" {
			t.Errorf("hardware profile %s (-want +got):\n%s", h.ID, diff)
		}
	}
}

func TestRoundTripImages(t *testing.T) {
	imgs := must(openMock(t).Images(context.Background(), deltacloud.ImageFilter{}))(t)
	imgs = append(imgs,
		// No state, no creation time, profiles unrestricted (nil).
		deltacloud.Image{ID: "bare", Name: "bare", RootType: "persistent"},
		// An empty profile list is kept apart from nil.
		deltacloud.Image{ID: "none", Name: "none", HardwareProfiles: []string{}, RootType: "transient",
			CreationTime: time.Date(2009, time.July, 3, 1, 2, 3, 0, time.UTC)},
		// A zone without an unambiguous abbreviation, and fractions of a second.
		deltacloud.Image{ID: "india", RootType: "transient", CreationTime: time.Date(2013, time.March, 1, 9, 0, 0, 0, time.FixedZone("IST", 19800))},
		deltacloud.Image{ID: "ms", RootType: "transient", CreationTime: time.Date(2013, time.March, 1, 9, 0, 0, 250e6, time.UTC)},
	)
	got := must(xmlRoundTrip(t, wire.NewImages(base, imgs, imageOpts), wire.DecodeImages).Model())(t)
	if diff := cmp.Diff(imgs, got); diff != "" {
		t.Errorf("images (-want +got):\n%s", diff)
	}
	// Without options the actions element is empty, and the model the same.
	got = must(xmlRoundTrip(t, wire.NewImages(base, imgs, wire.ImageOptions{}), wire.DecodeImages).Model())(t)
	if diff := cmp.Diff(imgs, got); diff != "" {
		t.Errorf("images without actions (-want +got):\n%s", diff)
	}
}

// fullInstance uses every field the document carries.
func fullInstance() deltacloud.Instance {
	return deltacloud.Instance{
		ID: "i-1", Name: "web 1", Owner: "alice", ImageID: "ami-1", RealmID: "us-east-1a",
		Profile: deltacloud.InstanceProfile{ID: "m1-xlarge", Overrides: map[string]string{
			"memory": "16384", "storage": "2048", "cpu": "4", "architecture": "x86_64"}},
		State:   deltacloud.StateStopped,
		Actions: []deltacloud.Action{deltacloud.ActionStart, deltacloud.ActionDestroy},
		PublicAddresses: []deltacloud.Address{
			{Value: "203.0.113.7", Type: deltacloud.AddressIPv4},
			{Value: "console.example.com", Type: deltacloud.AddressVNC, Port: 5901},
		},
		PrivateAddresses: []deltacloud.Address{{Value: "fe80::1", Type: deltacloud.AddressIPv6}},
		LaunchTime:       time.Date(2012, time.November, 5, 8, 9, 10, 0, time.FixedZone("CET", 3600)),
		Authentication:   &deltacloud.Authentication{Method: "password", Username: "root", Password: " s3cr]]>et "},
		Firewalls:        []string{"default", "web"},
		StorageVolumes:   []deltacloud.VolumeAttachment{{VolumeID: "vol3", Device: "/dev/sdc"}, {VolumeID: "vol4"}},
		CanCreateImage:   true,
	}
}

func TestRoundTripInstances(t *testing.T) {
	ins := must(openMock(t).Instances(context.Background(), deltacloud.InstanceFilter{}))(t)
	full := fullInstance()
	keyed := fullInstance()
	keyed.ID, keyed.Authentication, keyed.Firewalls, keyed.CanCreateImage = "i-2", &deltacloud.Authentication{Method: "key", KeyName: "mykey"}, []string{}, false
	pending := deltacloud.Instance{ID: "i-3", State: deltacloud.StatePending, Actions: []deltacloud.Action{}}
	ins = append(ins, full, keyed, pending)
	got := must(xmlRoundTrip(t, wire.NewInstances(base, ins, instanceOpts), wire.DecodeInstances).Model())(t)
	if diff := cmp.Diff(ins, got); diff != "" {
		t.Errorf("instances (-want +got):\n%s", diff)
	}
	for _, in := range ins {
		got := must(xmlRoundTrip(t, wire.NewInstance(base, in, instanceOpts), wire.DecodeInstance).Model())(t)
		if diff := cmp.Diff(in, got); diff != "" {
			t.Errorf("instance %s (-want +got):\n%s", in.ID, diff)
		}
	}
}

// TestInstanceLinks checks the hrefs a client follows, and that the run and
// create_image links follow the options.
func TestInstanceLinks(t *testing.T) {
	in := fullInstance()
	tests := []struct {
		name string
		opts wire.InstanceOptions
		can  bool
		want []wire.Link
	}{
		{"no options", wire.InstanceOptions{}, true, []wire.Link{
			{Href: base + "/instances/i-1/start", Method: "post", Rel: "start"},
			{Href: base + "/instances/i-1", Method: "delete", Rel: "destroy"},
		}},
		{"run and create_image", instanceOpts, true, []wire.Link{
			{Href: base + "/instances/i-1/start", Method: "post", Rel: "start"},
			{Href: base + "/instances/i-1", Method: "delete", Rel: "destroy"},
			{Href: base + "/instances/i-1/run;id=i-1", Method: "post", Rel: "run"},
			{Href: base + "/images;instance_id=i-1", Method: "post", Rel: "create_image"},
		}},
		{"instance cannot create images", instanceOpts, false, []wire.Link{
			{Href: base + "/instances/i-1/start", Method: "post", Rel: "start"},
			{Href: base + "/instances/i-1", Method: "delete", Rel: "destroy"},
			{Href: base + "/instances/i-1/run;id=i-1", Method: "post", Rel: "run"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in.CanCreateImage = tt.can
			d := xmlRoundTrip(t, wire.NewInstance(base+"/", in, tt.opts), wire.DecodeInstance)
			if diff := cmp.Diff(tt.want, d.Actions.Links); diff != "" {
				t.Errorf("links (-want +got):\n%s", diff)
			}
			if l, ok := d.Actions.Find("start"); !ok || l.Href != base+"/instances/i-1/start" {
				t.Errorf("Find(start) = %v, %v", l, ok)
			}
			if _, ok := d.Actions.Find("reboot"); ok {
				t.Error("Find(reboot) found a link the document does not have")
			}
		})
	}
	// Ids are escaped in hrefs; the id attribute keeps them as they are.
	odd := deltacloud.Instance{ID: "a/b c;d", State: deltacloud.StateRunning, Actions: []deltacloud.Action{deltacloud.ActionReboot}}
	d := wire.NewInstance(base, odd, wire.InstanceOptions{Run: true})
	if want := base + "/instances/a%2Fb%20c%3Bd"; d.Href != want {
		t.Errorf("href %q, want %q", d.Href, want)
	}
	if want := base + "/instances/a%2Fb%20c%3Bd/run;id=a%2Fb%20c%3Bd"; d.Actions.Links[1].Href != want {
		t.Errorf("run href %q, want %q", d.Actions.Links[1].Href, want)
	}
}

// sameMachine compares state machines by what they say: their states and
// the transitions out of each.
func sameMachine(t *testing.T, want, got *deltacloud.StateMachine) {
	t.Helper()
	if diff := cmp.Diff(want.States(), got.States()); diff != "" {
		t.Errorf("states (-want +got):\n%s", diff)
	}
	for _, s := range want.States() {
		if diff := cmp.Diff(want.TransitionsFrom(s), got.TransitionsFrom(s)); diff != "" {
			t.Errorf("transitions from %s (-want +got):\n%s", s, diff)
		}
	}
}

func TestRoundTripStates(t *testing.T) {
	suspended := deltacloud.State("SUSPENDED")
	tests := []struct {
		name string
		m    *deltacloud.StateMachine
		// exact: the definition is grouped by state in first-reference
		// order, so even the overall transition order survives.
		exact bool
	}{
		{"mock", openMock(t).Lifecycle(), true},
		{"ec2", deltacloud.MustStateMachine(
			deltacloud.Auto(deltacloud.StateStart, deltacloud.StatePending),
			deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
			deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
			deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopping),
			deltacloud.Auto(deltacloud.StateStopping, deltacloud.StateStopped),
			deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
			deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
		), true},
		{"openstack with error and a driver state", deltacloud.MustStateMachine(
			deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StatePending),
			deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
			deltacloud.Auto(deltacloud.StatePending, deltacloud.StateError),
			deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
			deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateShuttingDown),
			deltacloud.Auto(deltacloud.StateShuttingDown, suspended),
			deltacloud.On(suspended, deltacloud.ActionDestroy, deltacloud.StateFinish),
			deltacloud.On(deltacloud.StateError, deltacloud.ActionDestroy, deltacloud.StateFinish),
		), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := must(xmlRoundTrip(t, wire.NewStates(tt.m), wire.DecodeStates).Model())(t)
			sameMachine(t, tt.m, got)
			if tt.exact {
				if diff := cmp.Diff(tt.m.Transitions(), got.Transitions()); diff != "" {
					t.Errorf("transitions (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestRoundTripAPI(t *testing.T) {
	info := wire.APIInfo{
		Driver: "gogrid", Provider: "https://api.example.com/v1", Version: wire.APIVersion,
		Collections: []deltacloud.Collection{deltacloud.CollectionDrivers, deltacloud.CollectionImages, deltacloud.CollectionInstances},
		Features: append(deltacloud.MustFeatures(deltacloud.FeatureOwnerID, deltacloud.FeatureUserName,
			deltacloud.FeatureAttachSnapshot, deltacloud.FeatureAuthenticationPassword).
			WithConstraint(deltacloud.FeatureUserName, "max_length", "20"),
			// A feature this library does not define survives too.
			deltacloud.Feature{Name: "sandboxing_v2", Collection: deltacloud.CollectionInstances, Operation: deltacloud.OpCreate, Params: []string{"sandbox"}}),
	}
	d := xmlRoundTrip(t, wire.NewAPI(base, info), wire.DecodeAPI)
	if diff := cmp.Diff(info, d.Model()); diff != "" {
		t.Errorf("entry point (-want +got):\n%s", diff)
	}
	if href, ok := d.Href(deltacloud.CollectionImages); !ok || href != base+"/images" {
		t.Errorf("Href(images) = %q, %v", href, ok)
	}
	if _, ok := d.Href(deltacloud.CollectionKeys); ok {
		t.Error("Href(keys) found a collection the entry point does not list")
	}
	j := d.JSON()
	if got := j.API.Links[2].Features[0][0]; got.Name != "user_name" || got.Constraints["max_length"] != "20" || got.Params[0] != "name:string:optional" {
		t.Errorf("JSON user_name feature = %+v", got)
	}
	if data := must(json.Marshal(j))(t); !json.Valid(data) {
		t.Errorf("invalid JSON %s", data)
	}
}

func TestRoundTripDrivers(t *testing.T) {
	infos := []deltacloud.DriverInfo{
		{Name: "ec2", Description: "EC2", Providers: []deltacloud.ProviderInfo{
			{ID: "us-west-1", Entrypoints: map[string]string{"ec2": "ec2.us-west-1.amazonaws.com", "s3": "s3-us-west-1.amazonaws.com"}},
			{ID: "eu-west-1", Entrypoints: map[string]string{"ec2": "ec2.eu-west-1.amazonaws.com"}},
		}},
		{Name: "mock", Description: "Mock"},
	}
	for _, info := range infos {
		got := xmlRoundTrip(t, wire.NewDriver(base, info), wire.DecodeDriver).Model()
		if diff := cmp.Diff(info, got); diff != "" {
			t.Errorf("driver %s (-want +got):\n%s", info.Name, diff)
		}
	}
	// The index leaves the entrypoints out.
	got := xmlRoundTrip(t, wire.NewDrivers(base, infos), wire.DecodeDrivers).Model()
	want := []deltacloud.DriverInfo{
		{Name: "ec2", Description: "EC2", Providers: []deltacloud.ProviderInfo{{ID: "us-west-1"}, {ID: "eu-west-1"}}},
		{Name: "mock", Description: "Mock"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("driver index (-want +got):\n%s", diff)
	}
	// The JSON index is the original's configuration map, entrypoints by
	// kind then provider.
	wantJSON := `{"ec2":{"name":"EC2","entrypoints":{"ec2":{"eu-west-1":"ec2.eu-west-1.amazonaws.com","us-west-1":"ec2.us-west-1.amazonaws.com"},"s3":{"us-west-1":"s3-us-west-1.amazonaws.com"}}},"mock":{"name":"Mock"}}`
	if diff := cmp.Diff(jsonValue(t, []byte(wantJSON)), jsonValue(t, must(json.Marshal(wire.NewDriversJSON(base, infos)))(t))); diff != "" {
		t.Errorf("driver index JSON (-want +got):\n%s", diff)
	}
	show := must(json.Marshal(wire.NewDriver(base, infos[1]).ShowJSON()))(t)
	if diff := cmp.Diff(jsonValue(t, []byte(`{"driver":{"name":"Mock","id":"mock"}}`)), jsonValue(t, show)); diff != "" {
		t.Errorf("driver show JSON (-want +got):\n%s", diff)
	}
}

func TestRoundTripError(t *testing.T) {
	doc := wire.NewErrorDoc(wire.ErrorInfo{
		Status: 405, URL: "/api/instances/inst0", Driver: "mock",
		Message:   "instance is RUNNING, which allows [reboot stop], not destroy",
		Backtrace: "api/instances.go:12\napi/handler.go:40",
		Params: []wire.RequestParam{
			{Name: "id", Value: "inst0"},
			{Name: "password", Value: "hunter2"},
			{Name: "user_data", Value: "c2VjcmV0"},
			{Name: "name", Value: "a \"quoted\" #{name}\n"},
		},
	})
	got := xmlRoundTrip(t, doc, wire.DecodeError)
	if diff := cmp.Diff(&doc, got); diff != "" {
		t.Errorf("error document (-want +got):\n%s", diff)
	}
	wantParams := []wire.ErrParam{
		{Name: "id", Value: `"inst0"`},
		{Name: "password", Value: `"[FILTERED]"`},
		{Name: "user_data", Value: `"[FILTERED]"`},
		{Name: "name", Value: `"a \"quoted\" \#{name}\n"`},
	}
	if diff := cmp.Diff(wantParams, got.Request.Params); diff != "" {
		t.Errorf("params (-want +got):\n%s", diff)
	}
	if got.Backend.Provider != "default" {
		t.Errorf("provider %q, want default", got.Backend.Provider)
	}
	e := got.Model()
	if e.Code != deltacloud.InvalidState || e.Message != doc.Message.Text {
		t.Errorf("model = %+v", e)
	}
	j := must(json.Marshal(got.JSON()))(t)
	var back wire.ErrorJSON
	if err := json.Unmarshal(j, &back); err != nil {
		t.Fatal(err)
	}
	if back.Error != "Deltacloud::Exceptions::MethodNotAllowed" || back.Model().Code != deltacloud.InvalidState {
		t.Errorf("JSON = %s", j)
	}
}

// TestCodeForStatus checks that every code survives the trip through its
// HTTP status.
func TestCodeForStatus(t *testing.T) {
	for c := deltacloud.NotFound; c <= deltacloud.Timeout; c++ {
		if got := wire.CodeForStatus(c.HTTPStatus()); got != c {
			t.Errorf("CodeForStatus(%d) = %v, want %v", c.HTTPStatus(), got, c)
		}
	}
	for status, want := range map[int]deltacloud.Code{
		412: deltacloud.NotSupported, 406: deltacloud.InvalidArgument, 500: deltacloud.Backend,
		418: deltacloud.InvalidArgument, 599: deltacloud.Backend, 200: deltacloud.CodeUnknown, 0: deltacloud.CodeUnknown,
	} {
		if got := wire.CodeForStatus(status); got != want {
			t.Errorf("CodeForStatus(%d) = %v, want %v", status, got, want)
		}
	}
}

// TestJSONRoundTrip checks that every JSON form decodes into its own type
// unchanged, including the custom ones (ordered properties, limits, ports,
// constraints).
func TestJSONRoundTrip(t *testing.T) {
	p := openMock(t)
	ctx := context.Background()
	rs := append(must(p.Realms(ctx))(t), deltacloud.Realm{ID: "x", Limit: 7})
	hs := must(p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{}))(t)
	ins := append(must(p.Instances(ctx, deltacloud.InstanceFilter{}))(t), fullInstance())
	values := []any{
		wire.NewRealms(base, rs).JSON(),
		wire.NewRealm(base, rs[0]).ShowJSON(),
		wire.NewHardwareProfiles(base, hs).JSON(),
		wire.NewHardwareProfile(base, hs[1]).ShowJSON(),
		wire.NewImages(base, must(p.Images(ctx, deltacloud.ImageFilter{}))(t), imageOpts).JSON(),
		wire.NewInstances(base, ins, instanceOpts).JSON(),
		wire.NewInstance(base, ins[0], instanceOpts).ShowJSON(),
		wire.NewStates(p.Lifecycle()).JSON(),
		wire.NewAPI(base, originalMockAPI).JSON(),
	}
	for _, v := range values {
		data := must(json.Marshal(v))(t)
		back := newOf(v)
		if err := json.Unmarshal(data, back); err != nil {
			t.Errorf("%T: %v\n%s", v, err, data)
			continue
		}
		if diff := cmp.Diff(v, deref(back)); diff != "" {
			t.Errorf("%T (-want +got):\n%s", v, diff)
		}
	}
	// Limits: 0 is "unlimited", numbers are numbers.
	j := string(must(json.Marshal(wire.NewRealms(base, rs).JSON()))(t))
	for _, want := range []string{`"limit":"unlimited"`, `"limit":7`} {
		if !contains(j, want) {
			t.Errorf("realms JSON %s lacks %s", j, want)
		}
	}
	// Properties keep the document's order.
	if got := string(must(json.Marshal(wire.NewHardwareProfile(base, hs[0]).JSON().Properties))(t)); got != `{"cpu":"1","memory":"1740.8","storage":"160","architecture":"i386"}` {
		t.Errorf("properties JSON %s", got)
	}
}

func TestMarshalNil(t *testing.T) {
	for _, doc := range []wire.Document{nil, (*wire.Realm)(nil), (*wire.Instance)(nil)} {
		if _, err := wire.Marshal(doc); err == nil {
			t.Errorf("Marshal(%#v) gave no error", doc)
		}
	}
}

// TestEmptyInstanceName: an instance without a name is written with an
// empty <name></name> and "name":"" (clients expect every instance to have
// the element), by the fast writer and encoding/xml alike, and reads back
// as the empty name.
func TestEmptyInstanceName(t *testing.T) {
	for _, name := range []string{"", "web 1"} {
		in := fullInstance()
		in.Name = name
		doc := wire.NewInstance(base, in, instanceOpts)
		fast, ok := wire.MarshalFast(doc)
		if !ok {
			t.Fatal("the instance has no fast writer")
		}
		slow, err := xml.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		want := "<name>" + name + "</name>"
		for how, out := range map[string][]byte{"fast": fast, "encoding/xml": slow} {
			if !bytes.Contains(out, []byte(want)) {
				t.Errorf("%s XML of name %q has no %s:\n%s", how, name, want, out)
			}
		}
		back, err := wire.DecodeInstance(fast)
		if err != nil {
			t.Fatal(err)
		}
		m, err := back.Model()
		if err != nil || m.Name != name {
			t.Errorf("name read back %q, %v; want %q", m.Name, err, name)
		}
		js, err := json.Marshal(doc.JSON())
		if err != nil || !bytes.Contains(js, []byte(`"name":"`+name+`"`)) {
			t.Errorf("JSON of name %q: %s, %v", name, js, err)
		}
	}
}
