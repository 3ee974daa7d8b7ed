package wire_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// TestTolerantDecoding feeds the decoders documents as other servers and
// proxies may write them: either quote, no declaration, a byte-order mark,
// ISO-8859-1, comments, unknown elements and attributes, namespaces, CDATA
// anywhere and whitespace everywhere.
func TestTolerantDecoding(t *testing.T) {
	tests := []struct {
		name  string
		input string
		model func([]byte) (any, error)
		want  any
	}{
		{
			name:  "realm, single quotes, no declaration, unknown elements",
			input: "<realm href='x' id='us' extra='1'><unknown><deep>1</deep></unknown><name>United States</name><state>AVAILABLE</state><limit><![CDATA[ 10 ]]></limit></realm>",
			model: realmModel,
			want:  deltacloud.Realm{ID: "us", Name: "United States", State: deltacloud.RealmAvailable, Limit: 10},
		},
		{
			name: "realm, double quotes, declaration, whitespace and comments everywhere",
			input: "\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- a comment -->\n<realm  href = \"x\"\n id=\"eu\" >\n" +
				"  <name>\n    Europe\n  </name>\n  <!-- another -->\n  <state> AVAILABLE </state>\n  <limit>unlimited</limit>\n</realm>\n\n",
			model: realmModel,
			want:  deltacloud.Realm{ID: "eu", Name: "Europe", State: deltacloud.RealmAvailable},
		},
		{
			name:  "realm in ISO-8859-1 with a namespace",
			input: "<?xml version='1.0' encoding='ISO-8859-1'?><realm xmlns='urn:x' id='fr'><name>R\xe9gion</name><state>AVAILABLE</state></realm>",
			model: realmModel,
			want:  deltacloud.Realm{ID: "fr", Name: "Région", State: deltacloud.RealmAvailable},
		},
		{
			name: "hardware profile, kinds in any case, id from the element",
			input: `<hardware_profile><id> big </id><name>big</name>
				<property kind='RANGE' name='cpu' unit='count' value=' 2 '><range first='1' last='8' /><junk/></property>
				<property kind='enum' name='storage' unit='GB' value='10'><enum><entry value='10'/><entry value=' 20 '/></enum></property>
				<property kind='fixed' name='root_type' value='persistent'/></hardware_profile>`,
			model: hwpModel,
			want: deltacloud.HardwareProfile{ID: "big", Name: "big", Properties: []deltacloud.Property{
				{Name: "cpu", Kind: deltacloud.Range, Unit: "count", Default: "2", First: "1", Last: "8"},
				{Name: "storage", Kind: deltacloud.Enum, Unit: "GB", Default: "10", Values: []string{"10", "20"}},
				{Name: "root_type", Kind: deltacloud.Fixed, Default: "persistent"},
			}},
		},
		{
			name: "image from another server: RFC 3339 time, no root type, no actions",
			input: `<image id='ami-1' href='h'><name>n</name><owner_id> 123 </owner_id>
				<creation_time>2012-10-25T14:27:53.000Z</creation_time><kernel_id>aki-1</kernel_id></image>`,
			model: imageModel,
			want: deltacloud.Image{ID: "ami-1", Name: "n", Owner: "123", RootType: "transient",
				CreationTime: time.Date(2012, time.October, 25, 14, 27, 53, 0, time.UTC)},
		},
		{
			name: "instance, minimal",
			input: `<instance id='x'><state>running</state><actions/></instance>
				trailing text after the root is ignored`,
			model: instanceModel,
			want:  deltacloud.Instance{ID: "x", State: deltacloud.StateRunning, Actions: []deltacloud.Action{}},
		},
		{
			name: "instance, master's extra elements, ports, spaces",
			input: `<?xml version='1.0' encoding='utf-8' ?>
<instance href='h/inst1' id='inst1'>
  <name>  MockUserInstance </name>
  <owner_id>mockuser</owner_id>
  <image href='h/images/img3' id='img3'></image>
  <realm href='h/realms/us' id='us'></realm>
  <state>
    STOPPED
  </state>
  <hardware_profile href='h/hardware_profiles/m1-small' id='m1-small'>
    <property kind='fixed' name='memory' unit='MB' value='2048'></property>
  </hardware_profile>
  <actions>
    <link href='h/instances/inst1/start' method='post' rel='start' />
    <link href='h/instances/inst1' method='delete' rel='destroy' />
    <link href='h/instances/inst1/run;id=inst1' method='post' rel='run' />
  </actions>
  <launch_time>Tue Oct  2 09:08:07 UTC 2012</launch_time>
  <public_addresses><address port='5900' type='vnc'> vnc.example.com </address><address type='hostname' mac='x'>a.example.com</address></public_addresses>
  <private_addresses></private_addresses>
  <storage_volumes><storage_volume href='h/storage_volumes/vol3' id='vol3' device='/dev/sdc'></storage_volume></storage_volumes>
  <authentication type='key'>
    <login><keyname> mykey </keyname></login>
  </authentication>
  <network_interfaces><network_interface href='h/network_interfaces/nic1' id='nic1'></network_interface></network_interfaces>
</instance>`,
			model: instanceModel,
			want: deltacloud.Instance{
				ID: "inst1", Name: "MockUserInstance", Owner: "mockuser", ImageID: "img3", RealmID: "us",
				Profile: deltacloud.InstanceProfile{ID: "m1-small", Overrides: map[string]string{"memory": "2048"}},
				State:   deltacloud.StateStopped, Actions: []deltacloud.Action{deltacloud.ActionStart, deltacloud.ActionDestroy},
				LaunchTime: time.Date(2012, time.October, 2, 9, 8, 7, 0, time.UTC),
				PublicAddresses: []deltacloud.Address{
					{Value: "vnc.example.com", Type: deltacloud.AddressVNC, Port: 5900},
					{Value: "a.example.com", Type: deltacloud.AddressHostname},
				},
				StorageVolumes: []deltacloud.VolumeAttachment{{VolumeID: "vol3", Device: "/dev/sdc"}},
				Authentication: &deltacloud.Authentication{Method: "key", KeyName: "mykey"},
			},
		},
		{
			name: "states, upper case and dashes, auto in any case, out of order",
			input: `<states>
  <state name='RUNNING'><transition action='stop' to='shutting-down'/></state>
  <state name='start'><transition auto='TRUE' to='Running'></transition></state>
  <state name='shutting-down'><transition auto='true' to='finish'/></state>
  <state name='finish'/>
  <state name='lonely'/>
</states>`,
			model: statesModel,
			want: []deltacloud.Transition{
				deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateShuttingDown),
				deltacloud.Auto(deltacloud.StateStart, deltacloud.StateRunning),
				deltacloud.Auto(deltacloud.StateShuttingDown, deltacloud.StateFinish),
			},
		},
		{
			name: "entry point with provider and constraints",
			input: `<api driver='gogrid' version='1.1.3' provider='p'>
  <link href='h/instances' rel='instances'>
    <feature name='user_name' rel='create'><param name='name' /><constraint name='max_length'> 20 </constraint></feature>
  </link>
  <link href='h/drivers' rel='drivers'></link>
</api>`,
			model: func(b []byte) (any, error) {
				d, err := wire.DecodeAPI(b)
				if err != nil {
					return nil, err
				}
				return d.Model(), nil
			},
			want: wire.APIInfo{Driver: "gogrid", Provider: "p", Version: "1.1.3",
				Collections: []deltacloud.Collection{deltacloud.CollectionInstances, deltacloud.CollectionDrivers},
				Features: deltacloud.Features{{Name: "user_name", Collection: deltacloud.CollectionInstances, Operation: deltacloud.OpCreate,
					Params: []string{"name"}, Constraints: map[string]string{"max_length": "20"}}}},
		},
		{
			name:  "error document without status attribute",
			input: "<error url='/api/x'><code> 504 </code><message>\n  <![CDATA[ProviderTimeoutMessage]]>\n</message></error>",
			model: func(b []byte) (any, error) {
				d, err := wire.DecodeError(b)
				if err != nil {
					return nil, err
				}
				return d.Model(), nil
			},
			want: &deltacloud.Error{Code: deltacloud.Timeout, Message: "ProviderTimeoutMessage"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.model([]byte(tt.input))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func realmModel(b []byte) (any, error) {
	d, err := wire.DecodeRealm(b)
	if err != nil {
		return nil, err
	}
	return d.Model()
}

func hwpModel(b []byte) (any, error) {
	d, err := wire.DecodeHardwareProfile(b)
	if err != nil {
		return nil, err
	}
	return d.Model()
}

func imageModel(b []byte) (any, error) {
	d, err := wire.DecodeImage(b)
	if err != nil {
		return nil, err
	}
	return d.Model()
}

func instanceModel(b []byte) (any, error) {
	d, err := wire.DecodeInstance(b)
	if err != nil {
		return nil, err
	}
	return d.Model()
}

// statesModel returns the machine's transitions (a StateMachine has only
// unexported fields).
func statesModel(b []byte) (any, error) {
	d, err := wire.DecodeStates(b)
	if err != nil {
		return nil, err
	}
	m, err := d.Model()
	if err != nil {
		return nil, err
	}
	return m.Transitions(), nil
}

// TestDecodingErrors checks that what cannot be understood is reported, not
// guessed.
func TestDecodingErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
		model             func([]byte) (any, error)
	}{
		{"empty input", "", "EOF", realmModel},
		{"not XML", "{\"realm\":{}}", "EOF", realmModel},
		{"wrong root", "<instance id='x'/>", "expected element type <realm>", realmModel},
		{"unclosed", "<realm id='x'><name>n</realm>", "syntax error", realmModel},
		{"unknown encoding", "<?xml version='1.0' encoding='EBCDIC'?><realm/>", "unsupported encoding", realmModel},
		{"bad limit", "<realm id='x'><limit>lots</limit></realm>", `limit "lots"`, realmModel},
		{"negative limit", "<realm id='x'><limit>-1</limit></realm>", `limit "-1"`, realmModel},
		{"range without bounds", "<hardware_profile id='h'><property kind='range' name='cpu' value='1'/></hardware_profile>", "has no <range>", hwpModel},
		{"enum without values", "<hardware_profile id='h'><property kind='enum' name='cpu' value='1'/></hardware_profile>", "has no <enum>", hwpModel},
		{"bad creation time", "<image id='i'><creation_time>yesterday</creation_time></image>", `unrecognised time "yesterday"`, imageModel},
		{"bad launch time", "<instance id='i'><launch_time>soon</launch_time></instance>", `launch_time`, instanceModel},
		{"bad port", "<instance id='i'><public_addresses><address port='http' type='ipv4'>1.2.3.4</address></public_addresses></instance>", `port "http"`, instanceModel},
		{"port out of range", "<instance id='i'><public_addresses><address port='70000' type='ipv4'>1.2.3.4</address></public_addresses></instance>", `port "70000"`, instanceModel},
		{"auto neither true nor false", "<states><state name='start'><transition auto='maybe' to='finish'/></state></states>", `auto="maybe"`, statesModel},
		{"action and auto", "<states><state name='start'><transition action='create' auto='true' to='finish'/></state></states>", "exactly one of", statesModel},
		{"neither action nor auto", "<states><state name='start'><transition to='finish'/></state></states>", "exactly one of", statesModel},
		{"no way out of start", "<states><state name='running'><transition action='stop' to='finish'/></state></states>", "no transition out of START", statesModel},
		{"no states", "<states></states>", "no transitions", statesModel},
		{"status not a number", "<error status='oops'/>", "invalid syntax", func(b []byte) (any, error) {
			d, err := wire.DecodeError(b)
			if err != nil {
				return nil, err
			}
			return d.Model(), nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.model([]byte(tt.input))
			if err == nil {
				t.Fatalf("no error; decoded %+v", got)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not mention %q", err, tt.want)
			}
		})
	}
}

func TestTimes(t *testing.T) {
	cest := time.FixedZone("CEST", 2*3600)
	tests := []struct {
		in   string
		want time.Time
		// out is FormatTime(want), when it differs from in.
		out string
	}{
		{in: "Thu Oct 25 14:27:53 CEST 2012", want: time.Date(2012, 10, 25, 14, 27, 53, 0, cest)},
		{in: "Tue Oct 02 09:08:07 UTC 2012", want: time.Date(2012, 10, 2, 9, 8, 7, 0, time.UTC)},
		{in: "Tue Oct  2 09:08:07 UTC 2012", want: time.Date(2012, 10, 2, 9, 8, 7, 0, time.UTC), out: "Tue Oct 02 09:08:07 UTC 2012"},
		{in: "Thu Jul 30 14:35:11 UTC 2009", want: time.Date(2009, 7, 30, 14, 35, 11, 0, time.UTC)},
		{in: "Wed Nov 10 01:46:27 +0100 2010", want: time.Date(2010, 11, 10, 1, 46, 27, 0, time.FixedZone("", 3600)), out: "2010-11-10 01:46:27 +0100"},
		{in: "Sat Aug 02 21:46:52 PDT 2008", want: time.Date(2008, 8, 2, 21, 46, 52, 0, time.FixedZone("PDT", -7*3600))},
		{in: "2012-10-25T14:27:53.000Z", want: time.Date(2012, 10, 25, 14, 27, 53, 0, time.UTC), out: "2012-10-25 14:27:53 +0000"},
		{in: "2012-10-25T14:27:53.5+02:00", want: time.Date(2012, 10, 25, 14, 27, 53, 5e8, time.FixedZone("", 7200)), out: "2012-10-25T14:27:53.5+02:00"},
		{in: "2010-11-10 01:46:27 +0100", want: time.Date(2010, 11, 10, 1, 46, 27, 0, time.FixedZone("", 3600))},
		{in: "2010-11-10 01:46:27 UTC", want: time.Date(2010, 11, 10, 1, 46, 27, 0, time.UTC), out: "2010-11-10 01:46:27 +0000"},
		{in: "Wed Nov 10 01:46:27 2010", want: time.Date(2010, 11, 10, 1, 46, 27, 0, time.UTC), out: "2010-11-10 01:46:27 +0000"},
		// An abbreviation nobody can place is read as UTC and written back
		// numerically.
		{in: "Wed Nov 10 01:46:27 XYZ 2010", want: time.Date(2010, 11, 10, 1, 46, 27, 0, time.UTC), out: "2010-11-10 01:46:27 +0000"},
		// What the original wrote for objects it made (Ruby 1.9).
		{in: "2026-12-04 14:08:17 +0000", want: time.Date(2026, 12, 4, 14, 8, 17, 0, time.UTC)},
		{in: "  ", want: time.Time{}, out: ""},
	}
	for _, tt := range tests {
		got, err := wire.ParseTime(tt.in)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", tt.in, err)
			continue
		}
		if !got.Equal(tt.want) {
			t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
		}
		out := tt.out
		if out == "" && strings.TrimSpace(tt.in) != "" {
			out = tt.in
		}
		if f := wire.FormatTime(got); f != out {
			t.Errorf("FormatTime(ParseTime(%q)) = %q, want %q", tt.in, f, out)
		}
	}
	// A zone with an ambiguous abbreviation is written numerically so that
	// it reads back to the same instant.
	ist := time.Date(2013, 3, 1, 9, 0, 0, 0, time.FixedZone("IST", 19800))
	if f := wire.FormatTime(ist); f != "2013-03-01 09:00:00 +0530" {
		t.Errorf("FormatTime(IST) = %q", f)
	}
}

// TestTimeForms checks the two forms the original wrote: its fixtures' text
// (a named zone) and the objects it made (Ruby 1.9's Time#to_s).
func TestTimeForms(t *testing.T) {
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"fixture in a zone named UTC", time.Date(2009, 7, 30, 14, 35, 11, 0, time.FixedZone("UTC", 0)), "Thu Jul 30 14:35:11 UTC 2009"},
		{"fixture in CEST", time.Date(2012, 10, 25, 14, 27, 53, 0, time.FixedZone("CEST", 7200)), "Thu Oct 25 14:27:53 CEST 2012"},
		{"made now, time.UTC", time.Date(2026, 12, 4, 14, 8, 17, 0, time.UTC), "2026-12-04 14:08:17 +0000"},
		{"made now, an offset without a name", time.Date(2026, 12, 4, 14, 8, 17, 0, time.FixedZone("", -5*3600)), "2026-12-04 14:08:17 -0500"},
		{"a fraction of a second is kept", time.Date(2026, 12, 4, 14, 8, 17, 5e8, time.UTC), "2026-12-04T14:08:17.5Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := wire.FormatTime(tt.in); got != tt.want {
				t.Errorf("FormatTime = %q, want %q", got, tt.want)
			}
		})
	}
}
