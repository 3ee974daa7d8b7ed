package wire_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The fuzz targets feed every decoder of outside input arbitrary bytes.
// Whatever decodes must re-encode, decode again to the same document, and
// render as JSON; whatever converts into the model must survive the trip
// model → document → XML → document → model unchanged. Nothing may panic.

// fuzzDoc runs the document-level checks and returns the decoded document,
// or nil when the input is not a document of this kind.
func fuzzDoc[D any](t *testing.T, data []byte, decode func([]byte) (*D, error), toJSON func(*D) any) *D {
	t.Helper()
	d1, err := decode(data)
	if err != nil {
		return nil
	}
	doc, ok := any(d1).(wire.Document)
	if !ok {
		t.Fatalf("%T is not a Document", d1)
	}
	out, err := wire.Marshal(doc)
	if err != nil {
		t.Fatalf("re-encoding: %v", err)
	}
	d2, err := decode(out)
	if err != nil {
		t.Fatalf("decoding the re-encoded document: %v\n%s", err, out)
	}
	if diff := cmp.Diff(d1, d2); diff != "" {
		t.Fatalf("re-encoded document differs (-first +second):\n%s\n%s", diff, out)
	}
	if j, err := json.Marshal(toJSON(d1)); err != nil || !json.Valid(j) {
		t.Fatalf("JSON form: %v %s", err, j)
	}
	return d1
}

// sameModel fails unless the model survives a second trip.
func sameModel(t *testing.T, first, second any) {
	t.Helper()
	if diff := cmp.Diff(first, second, prefixEqual); diff != "" {
		t.Fatalf("model changed on a second trip (-first +second):\n%s", diff)
	}
}

func addSeeds(f *testing.F, goldens []string, extra ...string) {
	for _, g := range goldens {
		f.Add(goldenFile(f, g))
	}
	for _, s := range extra {
		f.Add([]byte(s))
	}
}

func FuzzDecodeAPI(f *testing.F) {
	addSeeds(f, []string{"api_root_accept_xml"},
		"<api driver='d' version='1' provider='p'><link href='h' rel='r'><feature name='f' rel='create'><param name='x'/><constraint name='max_length'>20</constraint></feature></link></api>")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeAPI, func(d *wire.API) any { return d.JSON() })
		if d == nil {
			return
		}
		m1 := d.Model()
		m2 := must(wire.DecodeAPI(must(wire.Marshal(wire.NewAPI(base, m1)))(t)))(t).Model()
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeDrivers(f *testing.F) {
	addSeeds(f, []string{"drivers_xml"})
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDoc(t, data, wire.DecodeDrivers, func(d *wire.Drivers) any { return wire.NewDriversJSON(base, d.Model()) })
	})
}

func FuzzDecodeDriver(f *testing.F) {
	addSeeds(f, nil,
		"<driver href='h' id='ec2'><name>EC2</name><provider id='us-west-1'><entrypoint kind='s3'><![CDATA[s3-us-west-1.amazonaws.com]]></entrypoint><entrypoint kind='ec2'>ec2.us-west-1.amazonaws.com</entrypoint></provider><provider id='x'/></driver>")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeDriver, func(d *wire.Driver) any { return d.ShowJSON() })
		if d == nil {
			return
		}
		m1 := d.Model()
		m2 := must(wire.DecodeDriver(must(wire.Marshal(wire.NewDriver(base, m1)))(t)))(t).Model()
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeRealms(f *testing.F) {
	addSeeds(f, []string{"realms_xml"},
		"<realms><realm id='x'><limit><![CDATA[12]]></limit></realm></realms>",
		"<realm href='h' id='us'><name>n</name><state>AVAILABLE</state><limit>unlimited</limit></realm>")
	f.Fuzz(func(t *testing.T, data []byte) {
		if d := fuzzDoc(t, data, wire.DecodeRealms, func(d *wire.Realms) any { return d.JSON() }); d != nil {
			if m1, err := d.Model(); err == nil {
				m2, err := must(wire.DecodeRealms(must(wire.Marshal(wire.NewRealms(base, m1)))(t)))(t).Model()
				if err != nil {
					t.Fatal(err)
				}
				sameModel(t, m1, m2)
			}
		}
		if d := fuzzDoc(t, data, wire.DecodeRealm, func(d *wire.Realm) any { return d.ShowJSON() }); d != nil {
			if m1, err := d.Model(); err == nil {
				m2, err := must(wire.DecodeRealm(must(wire.Marshal(wire.NewRealm(base, m1)))(t)))(t).Model()
				if err != nil {
					t.Fatal(err)
				}
				sameModel(t, m1, m2)
			}
		}
	})
}

func FuzzDecodeHardwareProfiles(f *testing.F) {
	addSeeds(f, []string{"hardware_profiles_xml"})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeHardwareProfiles, func(d *wire.HardwareProfiles) any { return d.JSON() })
		if d == nil {
			return
		}
		m1, err := d.Model()
		if err != nil {
			return
		}
		m2, err := must(wire.DecodeHardwareProfiles(must(wire.Marshal(wire.NewHardwareProfiles(base, m1)))(t)))(t).Model()
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeHardwareProfile(f *testing.F) {
	addSeeds(f, []string{"hardware_profile_m1_large_xml"},
		"<hardware_profile><id>x</id><property kind='range' name='memory' unit='MB' value='512'><range first='512' last='4096' step='512'/></property></hardware_profile>")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeHardwareProfile, func(d *wire.HardwareProfile) any { return d.ShowJSON() })
		if d == nil {
			return
		}
		m1, err := d.Model()
		if err != nil {
			return
		}
		m2, err := must(wire.DecodeHardwareProfile(must(wire.Marshal(wire.NewHardwareProfile(base, m1)))(t)))(t).Model()
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeImages(f *testing.F) {
	addSeeds(f, []string{"images_xml"})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeImages, func(d *wire.Images) any { return d.JSON() })
		if d == nil {
			return
		}
		m1, err := d.Model()
		if err != nil {
			return
		}
		m2, err := must(wire.DecodeImages(must(wire.Marshal(wire.NewImages(base, m1, imageOpts)))(t)))(t).Model()
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeImage(f *testing.F) {
	addSeeds(f, nil,
		"<image href='h' id='img1'><name>img1</name><owner_id>o</owner_id><state>AVAILABLE</state><creation_time>Thu Oct 25 14:27:53 CEST 2012</creation_time><hardware_profiles><hardware_profile href='h' id='m1-small' rel='hardware_profile'/></hardware_profiles><root_type>transient</root_type><actions><link href='h' method='post' rel='create_instance'/></actions></image>",
		"<image id='i'><creation_time>2012-10-25T14:27:53.123+05:30</creation_time><hardware_profiles/></image>")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeImage, func(d *wire.Image) any { return d.ShowJSON() })
		if d == nil {
			return
		}
		m1, err := d.Model()
		if err != nil {
			return
		}
		m2, err := must(wire.DecodeImage(must(wire.Marshal(wire.NewImage(base, m1, imageOpts)))(t)))(t).Model()
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeInstances(f *testing.F) {
	addSeeds(f, []string{"instances_xml"})
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeInstances, func(d *wire.Instances) any { return d.JSON() })
		if d == nil {
			return
		}
		m1, err := d.Model()
		if err != nil {
			return
		}
		m2, err := must(wire.DecodeInstances(must(wire.Marshal(wire.NewInstances(base, m1, instanceOpts)))(t)))(t).Model()
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeInstance(f *testing.F) {
	addSeeds(f, []string{"instance_inst0_xml", "create_instance_xml", "stop_instance_xml"},
		"<instance id='i'><state>stopped</state><launch_time>Tue Oct 02 09:08:07 UTC 2012</launch_time><public_addresses><address port='5900' type='vnc'>h</address></public_addresses><firewalls><firewall id='default' href='h'/></firewalls><storage_volumes><storage_volume id='v' device='/dev/sdc' href='h'/></storage_volumes><authentication type='password'><login><username>root</username><password><![CDATA[ p ]]></password></login></authentication></instance>")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeInstance, func(d *wire.Instance) any { return d.ShowJSON() })
		if d == nil {
			return
		}
		m1, err := d.Model()
		if err != nil {
			return
		}
		m2, err := must(wire.DecodeInstance(must(wire.Marshal(wire.NewInstance(base, m1, instanceOpts)))(t)))(t).Model()
		if err != nil {
			t.Fatal(err)
		}
		sameModel(t, m1, m2)
	})
}

func FuzzDecodeStates(f *testing.F) {
	addSeeds(f, []string{"instance_states_xml"},
		"<states><state name='RUNNING'><transition action='stop' to='shutting-down'/></state><state name='start'><transition auto='TRUE' to='Running'/></state><state name='shutting-down'><transition auto='true' to='finish'/></state></states>")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeStates, func(d *wire.States) any { return d.JSON() })
		if d == nil {
			return
		}
		m1, err := d.Model()
		if err != nil {
			return
		}
		m2, err := must(wire.DecodeStates(must(wire.Marshal(wire.NewStates(m1)))(t)))(t).Model()
		if err != nil {
			t.Fatal(err)
		}
		// A machine says its states and the transitions out of each; the
		// overall transition order is not carried by the document.
		sameModel(t, m1.States(), m2.States())
		for _, s := range m1.States() {
			sameModel(t, m1.TransitionsFrom(s), m2.TransitionsFrom(s))
		}
	})
}

func FuzzDecodeError(f *testing.F) {
	addSeeds(f, []string{"instance_nope_404_xml", "destroy_instance_again_404_xml", "instances_badauth_401"},
		"<error url='/api/x'><code>504</code><message>m</message></error>")
	f.Fuzz(func(t *testing.T, data []byte) {
		d := fuzzDoc(t, data, wire.DecodeError, func(d *wire.ErrorDoc) any { return d.JSON() })
		if d == nil {
			return
		}
		m1 := d.Model()
		again := wire.NewErrorDoc(wire.ErrorInfo{Status: d.StatusCode(), URL: d.URL, Message: m1.Message})
		m2 := must(wire.DecodeError(must(wire.Marshal(again))(t)))(t).Model()
		sameModel(t, m1, m2)
		if m1.Code == deltacloud.CodeUnknown && d.StatusCode() >= 400 && d.StatusCode() < 600 {
			t.Fatalf("status %d has no code", d.StatusCode())
		}
	})
}
