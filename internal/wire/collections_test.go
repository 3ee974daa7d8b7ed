package wire_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The documents of the optional collections (keys, firewalls, addresses,
// storage volumes and snapshots, buckets and blobs, metrics): shapes from
// the spec, round trips through XML and JSON, and the
// parameter codecs the handler and the remote driver share.

// prefixEqual compares address blocks, whose fields are unexported.
var prefixEqual = cmp.Comparer(func(a, b netip.Prefix) bool { return a == b })

// The model values the tests render: the spec's mock fixtures and
// awkward cases.
func sampleKeys() []deltacloud.Key {
	return []deltacloud.Key{
		{ID: "test-key", Name: "test-key", Type: deltacloud.KeyTypeKey, Fingerprint: "5e:ce:ab:12",
			PrivateKey: "-----BEGIN RSA PRIVATE KEY-----\nMIIE]]>x\n-----END RSA PRIVATE KEY-----", State: "AVAILABLE"},
		{ID: "root-pw", Name: "root login", Type: deltacloud.KeyTypePassword, Username: "root", Password: " s3cr<et> "},
		{ID: "bare", Name: "bare", Type: deltacloud.KeyTypeKey},
	}
}

func sampleFirewalls() []deltacloud.Firewall {
	return []deltacloud.Firewall{
		{ID: "default", Name: "default", Description: "default group ]]> & <all>", Owner: "293787749884", Rules: []deltacloud.FirewallRule{
			{ID: "r1", Protocol: "tcp", PortFrom: 22, PortTo: 22, Sources: []deltacloud.RuleSource{
				{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("10.0.0.0/8")},
				{Type: deltacloud.SourceGroup, Group: "web", Owner: "123"},
				{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("2001:db8::/32")},
			}},
			{ID: "icmp all", Protocol: "icmp", PortFrom: -1, PortTo: -1, Direction: "ingress", Sources: []deltacloud.RuleSource{
				{Type: deltacloud.SourceGroup, Group: "g"},
			}},
		}},
		{ID: "empty", Name: "empty", Description: "no rules"},
	}
}

func sampleAddresses() []deltacloud.IPAddress {
	return []deltacloud.IPAddress{
		{ID: "192.168.0.1", IP: "192.168.0.1"},
		{ID: "192.168.0.2", IP: "192.168.0.2", InstanceID: "inst1"},
		{ID: "eipalloc-1", IP: "203.0.113.9"},
	}
}

// The fixtures' times are in a zone named UTC, written by name.
var volCreated = time.Date(2009, time.July, 30, 14, 35, 11, 0, time.FixedZone("UTC", 0))

func sampleVolumes() []deltacloud.StorageVolume {
	return []deltacloud.StorageVolume{
		{ID: "vol1", Name: "vol1", Capacity: 1, RealmID: "us", State: deltacloud.VolumeAvailable, Created: volCreated},
		{ID: "vol3", Name: "vol3", Capacity: 1, RealmID: "us", State: deltacloud.VolumeInUse, Created: volCreated,
			InstanceID: "inst1", Device: "/dev/sda1"},
		{ID: "volume_1700000000", Name: "data <disk>", Capacity: 250, State: deltacloud.VolumeCreating, Kind: "gp3"},
		{ID: "broken", Name: "broken", State: deltacloud.VolumeError, Created: time.Date(2013, 1, 2, 3, 4, 5, 6e6, time.UTC)},
	}
}

var snapCreated = time.Date(2009, time.July, 29, 18, 15, 24, 0, time.FixedZone("UTC", 0))

func sampleSnapshots() []deltacloud.StorageSnapshot {
	return []deltacloud.StorageSnapshot{
		{ID: "snap1", VolumeID: "vol1", State: deltacloud.SnapshotCompleted, Created: snapCreated},
		{ID: "snap3", VolumeID: "vol2", State: deltacloud.SnapshotCompleted, Created: snapCreated},
		{ID: "store_snapshot_1", State: deltacloud.SnapshotPending},
	}
}

func sampleBuckets() []deltacloud.Bucket {
	return []deltacloud.Bucket{
		{ID: "bucket1", Name: "bucket1", Size: 3, BlobIDs: []string{"blob1", "blob2", "blob3"}},
		{ID: "bucket2", Name: "bucket2", Size: 2, BlobIDs: []string{"blob4", "blob 5/x"}},
		{ID: "listed", Name: "listed", Size: -1},
		{ID: "empty", Name: "empty", Size: 0},
	}
}

var blobModified = time.Date(2010, time.September, 23, 17, 44, 54, 0, time.FixedZone("", 2*3600))

func sampleBlobs() []deltacloud.Blob {
	return []deltacloud.Blob{
		{ID: "blob1", BucketID: "bucket1", ContentLength: 17, ContentType: "text/plain", LastModified: blobModified,
			Metadata: map[string]string{"SOMENEWKEY": "NEWVALUE"}},
		{ID: "blob2", BucketID: "bucket1", ContentLength: 56, ContentType: "text/html", LastModified: blobModified,
			Metadata: map[string]string{"VERSION": "1.2", "A]]>B": " <x> & y "}},
		{ID: "big one", BucketID: "b/2", ContentLength: 1 << 40, ContentType: "application/octet-stream",
			LastModified: time.Date(2024, 2, 3, 4, 5, 6, 789e6, time.UTC)},
	}
}

func sampleMetrics() []deltacloud.Metric {
	ts := time.Date(2013, 3, 1, 9, 0, 0, 0, time.UTC)
	return []deltacloud.Metric{
		{ID: "inst1", Entity: "MockUserInstance", Properties: []deltacloud.MetricProperty{
			{Name: "cpuUtilization", Samples: []deltacloud.MetricSample{
				{Timestamp: ts, Average: 0.3, Minimum: 0.1, Maximum: 0.9, Unit: "Percent"},
				{Timestamp: ts.Add(time.Minute), Average: 12, Minimum: 0, Maximum: 1e6, Unit: "Percent"},
			}},
			{Name: "nicInputByte", Samples: []deltacloud.MetricSample{{Timestamp: ts, Average: 1024.5, Unit: "Bytes"}}},
		}},
		{ID: "inst0", Entity: "Mock Instance", Properties: []deltacloud.MetricProperty{{Name: "cpuUtilization"}, {Name: "diskReadSector"}}},
	}
}

// collectionDocuments builds every document of the optional collections,
// index and show, for the encoder comparisons.
func collectionDocuments() map[string]wire.Document {
	docs := map[string]wire.Document{
		"keys":              wire.NewKeys(base, sampleKeys()),
		"keys empty":        wire.NewKeys(base, nil),
		"firewalls":         wire.NewFirewalls(base, sampleFirewalls()),
		"addresses":         wire.NewIPAddresses(base, sampleAddresses()),
		"storage_volumes":   wire.NewStorageVolumes(base, sampleVolumes()),
		"storage_snapshots": wire.NewStorageSnapshots(base, sampleSnapshots()),
		"buckets":           wire.NewBuckets(base, sampleBuckets()),
		"metrics":           wire.NewMetrics(base, sampleMetrics()),
	}
	for _, k := range sampleKeys() {
		docs["key "+k.ID] = wire.NewKey(base, k)
	}
	for _, f := range sampleFirewalls() {
		docs["firewall "+f.ID] = wire.NewFirewall(base, f)
	}
	for _, a := range sampleAddresses() {
		docs["address "+a.ID] = wire.NewIPAddress(base, a)
	}
	for _, v := range sampleVolumes() {
		docs["storage_volume "+v.ID] = wire.NewStorageVolume(base, v)
	}
	for _, s := range sampleSnapshots() {
		docs["storage_snapshot "+s.ID] = wire.NewStorageSnapshot(base, s)
	}
	for _, b := range sampleBuckets() {
		docs["bucket "+b.ID] = wire.NewBucket(base, b)
	}
	for _, b := range sampleBlobs() {
		docs["blob "+b.ID] = wire.NewBlob(base, b)
	}
	for _, m := range sampleMetrics() {
		docs["metric "+m.ID] = wire.NewMetric(base, m)
	}
	docs["metric odd names"] = wire.NewMetric(base, deltacloud.Metric{ID: "x", Properties: []deltacloud.MetricProperty{
		{Name: "1st"}, {Name: "a b<c>"}, {Name: ""}, {Name: "é"}}})
	return docs
}

// collectionJSONForms returns the JSON forms the handler renders for a
// document of the optional collections, nil for other documents.
func collectionJSONForms(doc wire.Document) map[string]any {
	switch d := doc.(type) {
	case wire.Key:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Keys:
		return map[string]any{"": d.JSON()}
	case wire.Firewall:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.FirewallList:
		return map[string]any{"": d.JSON()}
	case wire.IPAddress:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.IPAddresses:
		return map[string]any{"": d.JSON()}
	case wire.StorageVolume:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.StorageVolumeList:
		return map[string]any{"": d.JSON()}
	case wire.StorageSnapshot:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.StorageSnapshots:
		return map[string]any{"": d.JSON()}
	case wire.Bucket:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Buckets:
		return map[string]any{"": d.JSON()}
	case wire.Blob:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Metric:
		return map[string]any{"": d.JSON(), "show": d.ShowJSON()}
	case wire.Metrics:
		return map[string]any{"": d.JSON()}
	}
	return nil
}

// TestCollectionShapes checks the element and attribute structure of one
// document of each collection against the spec's examples.
func TestCollectionShapes(t *testing.T) {
	tests := []struct {
		name string
		doc  wire.Document
		want string
	}{
		{"key", wire.NewKey(base, sampleKeys()[0]), `<key href='` + base + `/keys/test-key' id='test-key' type='key'>
			<name>test-key</name><actions><link href='` + base + `/keys/test-key' method='delete' rel='destroy' /></actions>
			<fingerprint>5e:ce:ab:12</fingerprint><pem><![CDATA[-----BEGIN RSA PRIVATE KEY-----
MIIE]]]]><![CDATA[>x
-----END RSA PRIVATE KEY-----]]></pem><state>AVAILABLE</state></key>`},
		{"password key", wire.NewKey(base, sampleKeys()[1]), `<key href='` + base + `/keys/root-pw' id='root-pw' type='password'>
			<name>root login</name><actions><link href='` + base + `/keys/root-pw' method='delete' rel='destroy' /></actions>
			<username><![CDATA[root]]></username><password><![CDATA[ s3cr<et> ]]></password><state></state></key>`},
		{"firewall", wire.NewFirewall(base, deltacloud.Firewall{ID: "fw", Name: "fw", Description: "d", Owner: "o",
			Rules: sampleFirewalls()[0].Rules[:1]}), `<firewall href='` + base + `/firewalls/fw' id='fw'>
			<actions><link href='` + base + `/firewalls/fw' method='delete' rel='destroy' /><link href='` + base + `/firewalls/fw/rules' method='post' rel='update' /></actions>
			<name><![CDATA[fw]]></name><description><![CDATA[d]]></description><owner_id>o</owner_id>
			<rules><rule href='` + base + `/firewalls/fw/r1' id='r1'>
			  <actions><link href='` + base + `/firewalls/fw/r1' method='delete' rel='destroy' /></actions>
			  <allow_protocol>tcp</allow_protocol><port_from>22</port_from><port_to>22</port_to><direction/><rule_action/><log_rule/>
			  <sources><source address='10.0.0.0' family='ipv4' prefix='8' type='address' /><source name='web' owner='123' type='group' />
			    <source address='2001:db8::' family='ipv6' prefix='32' type='address' /></sources>
			</rule></rules></firewall>`},
		{"firewall index", wire.NewFirewalls(base, []deltacloud.Firewall{{ID: "fw", Name: "fw", Description: "d"}}), `<firewalls>
			<firewall href='` + base + `/firewalls/fw' id='fw'>
			<actions><link href='` + base + `/firewalls/fw' id='fw' method='delete' rel='destroy' /><link href='` + base + `/firewalls/fw/rules' id='fw' method='post' rel='add_rule' /></actions>
			<name><![CDATA[fw]]></name><description><![CDATA[d]]></description><owner_id/><rules/></firewall></firewalls>`},
		{"address", wire.NewIPAddress(base, sampleAddresses()[0]), `<address href='` + base + `/addresses/192.168.0.1' id='192.168.0.1'><ip>192.168.0.1</ip>
			<actions><link href='` + base + `/addresses/192.168.0.1' method='delete' rel='destroy' />
			<link href='` + base + `/addresses/192.168.0.1/associate' method='post' rel='associate' /></actions></address>`},
		{"associated address", wire.NewIPAddress(base, sampleAddresses()[1]), `<address href='` + base + `/addresses/192.168.0.2' id='192.168.0.2'><ip>192.168.0.2</ip>
			<actions><link href='` + base + `/addresses/192.168.0.2' method='delete' rel='destroy' />
			<link href='` + base + `/addresses/192.168.0.2/disassociate' method='post' rel='disassociate' /></actions>
			<instance href='` + base + `/instances/inst1' id='inst1'></instance></address>`},
		{"volume", wire.NewStorageVolume(base, sampleVolumes()[1]), `<storage_volume href='` + base + `/storage_volumes/vol3' id='vol3'>
			<created>Thu Jul 30 14:35:11 UTC 2009</created><capacity unit='GB'>1</capacity><name>vol3</name><device>/dev/sda1</device>
			<realm href='` + base + `/realms/us' id='us'></realm><realm_id>us</realm_id><state>IN-USE</state>
			<mount><instance href='` + base + `/instances/inst1' id='inst1'></instance><device name='/dev/sda1'></device></mount>
			<actions><link href='` + base + `/storage_volumes/vol3/detach' method='post' rel='detach' /></actions></storage_volume>`},
		{"snapshot", wire.NewStorageSnapshot(base, sampleSnapshots()[0]), `<storage_snapshot href='` + base + `/storage_snapshots/snap1' id='snap1'>
			<name>snap1</name><created>Wed Jul 29 18:15:24 UTC 2009</created>
			<storage_volume href='` + base + `/storage_volumes/vol1' id='vol1'></storage_volume></storage_snapshot>`},
		{"bucket", wire.NewBucket(base, sampleBuckets()[0]), `<bucket href='` + base + `/buckets/bucket1' id='bucket1'><name>bucket1</name><size>3</size>
			<blob href='` + base + `/buckets/bucket1/blob1' id='blob1'></blob><blob href='` + base + `/buckets/bucket1/blob2' id='blob2'></blob>
			<blob href='` + base + `/buckets/bucket1/blob3' id='blob3'></blob></bucket>`},
		{"blob", wire.NewBlob(base, sampleBlobs()[0]), `<blob href='` + base + `/buckets/bucket1/blob1' id='blob1'>
			<bucket>bucket1</bucket><content_length>17</content_length><content_type>text/plain</content_type>
			<last_modified>2010-09-23 17:44:54 +0200</last_modified>
			<user_metadata><entry key='SOMENEWKEY'><![CDATA[NEWVALUE]]></entry></user_metadata>
			<content href='` + base + `/buckets/bucket1/blob1/content' rel='blob_content'></content></blob>`},
		{"metric", wire.NewMetric(base, deltacloud.Metric{ID: "inst1", Entity: "MockUserInstance",
			Properties: sampleMetrics()[0].Properties[1:]}), `<metric href='` + base + `/metrics/inst1' id='inst1'><entity>MockUserInstance</entity>
			<properties><nicInputByte><sample><property name='average' value='1024.5'/><property name='maximum' value='0'/>
			<property name='minimum' value='0'/><property name='timestamp' value='1362128400'/>
			<property name='unit' value='Bytes'/></sample></nicInputByte></properties></metric>`},
		{"metric index", wire.NewMetrics(base, sampleMetrics()[1:]), `<metrics><metric href='` + base + `/metrics/inst0' id='inst0'>
			<entity>Mock Instance</entity><properties><cpuUtilization/><diskReadSector/></properties></metric></metrics>`},
	}
	for _, tt := range tests {
		got := xmlTree(t, must(wire.Marshal(tt.doc))(t))
		want := xmlTree(t, []byte(tt.want))
		if diff := cmp.Diff(want, got, prefixEqual); diff != "" {
			t.Errorf("%s (-spec +ours):\n%s", tt.name, diff)
		}
		if !tt.doc.Declared() {
			t.Errorf("%s: no XML declaration", tt.name)
		}
	}
}

// TestCollectionJSONShapes checks the JSON forms' members against the
// spec's lists.
func TestCollectionJSONShapes(t *testing.T) {
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"key", wire.NewKey(base, sampleKeys()[0]).ShowJSON(), `{"key":{"id":"test-key","href":"` + base + `/keys/test-key",
			"credential_type":"key","username":null,"password":null,"state":"AVAILABLE",
			"pem_rsa_key":"-----BEGIN RSA PRIVATE KEY-----\nMIIE]]>x\n-----END RSA PRIVATE KEY-----","fingerprint":"5e:ce:ab:12"}}`},
		{"address", wire.NewIPAddresses(base, sampleAddresses()[:2]).JSON(), `{"addresses":[
			{"id":"192.168.0.1","href":"` + base + `/addresses/192.168.0.1","associated":false},
			{"id":"192.168.0.2","href":"` + base + `/addresses/192.168.0.2","associated":true,"instance_id":"inst1"}]}`},
		{"firewall", wire.NewFirewall(base, deltacloud.Firewall{ID: "fw", Name: "fw", Description: "d", Owner: "o",
			Rules: sampleFirewalls()[0].Rules[:1]}).ShowJSON(), `{"firewall":{"id":"fw","href":"` + base + `/firewalls/fw",
			"name":"fw","description":"d","owner_id":"o","rules":[{"id":"r1","allow_protocol":"tcp","port_from":"22","port_to":"22",
			"sources":[{"type":"address","family":"ipv4","address":"10.0.0.0","prefix":"8"},{"type":"group","name":"web","owner":"123"},
			{"type":"address","family":"ipv6","address":"2001:db8::","prefix":"32"}]}]}}`},
		{"volume", wire.NewStorageVolume(base, sampleVolumes()[1]).ShowJSON(), `{"storage_volume":{"id":"vol3",
			"href":"` + base + `/storage_volumes/vol3","name":"vol3","description":null,"state":"IN-USE",
			"created":"Thu Jul 30 14:35:11 UTC 2009","realm":{"id":"us","href":"` + base + `/realms/us","rel":"realm"},
			"device":"/dev/sda1","kind":null,"capacity":1,"actions":[{"href":"` + base + `/storage_volumes/vol3/detach","rel":"detach"}],
			"instance":{"id":"inst1","href":"` + base + `/instances/inst1","rel":"instance"}}}`},
		{"free volume", wire.NewStorageVolume(base, sampleVolumes()[2]).JSON(), `{"id":"volume_1700000000",
			"href":"` + base + `/storage_volumes/volume_1700000000","name":"data <disk>","description":null,"state":"CREATING",
			"created":"","realm":{},"device":null,"kind":"gp3","capacity":250,"actions":[],"instance":{}}`},
		{"snapshot", wire.NewStorageSnapshot(base, sampleSnapshots()[0]).ShowJSON(), `{"storage_snapshot":{"id":"snap1",
			"href":"` + base + `/storage_snapshots/snap1","state":"COMPLETED",
			"storage_volume":{"id":"vol1","href":"` + base + `/storage_volumes/vol1","rel":"storage_volume"},
			"created":"Wed Jul 29 18:15:24 UTC 2009"}}`},
		{"bucket", wire.NewBucket(base, sampleBuckets()[1]).ShowJSON(), `{"bucket":{"id":"bucket2","href":"` + base + `/buckets/bucket2",
			"name":"bucket2","size":2,"blob_list":[{"id":"blob4","href":"` + base + `/buckets/bucket2/blob4","rel":"blob"},
			{"id":"blob 5/x","href":"` + base + `/buckets/bucket2/blob%205%2Fx","rel":"blob"}]}}`},
		{"blob", wire.NewBlob(base, sampleBlobs()[0]).ShowJSON(), `{"blob":{"id":"blob1","href":"` + base + `/buckets/bucket1/blob1",
			"bucket":{"id":"bucket1","href":"` + base + `/buckets/bucket1","rel":"bucket"},"content_length":17,"content_type":"text/plain",
			"last_modified":"2010-09-23 17:44:54 +0200","content":"` + base + `/buckets/bucket1/blob1/content",
			"user_metadata":{"SOMENEWKEY":"NEWVALUE"}}}`},
		{"metric", wire.NewMetric(base, deltacloud.Metric{ID: "inst1", Entity: "MockUserInstance",
			Properties: sampleMetrics()[0].Properties[1:]}).ShowJSON(), `{"metric":{"id":"inst1","href":"` + base + `/metrics/inst1",
			"entity":"MockUserInstance","properties":[{"name":"nicInputByte","values":[{"minimum":0,"maximum":0,"average":1024.5,
			"timestamp":1362128400,"unit":"Bytes"}]}]}}`},
		{"metrics", wire.NewMetrics(base, sampleMetrics()[1:]).JSON(), `{"metrics":[{"id":"inst0","href":"` + base + `/metrics/inst0",
			"entity":"Mock Instance","properties":[{"name":"cpuUtilization","values":null},{"name":"diskReadSector","values":null}]}]}`},
	}
	for _, tt := range tests {
		got := jsonValue(t, must(json.Marshal(tt.v))(t))
		want := jsonValue(t, []byte(strings.NewReplacer("\n", "", "\t", "").Replace(tt.want)))
		if diff := cmp.Diff(want, got, prefixEqual); diff != "" {
			t.Errorf("%s (-spec +ours):\n%s", tt.name, diff)
		}
	}
}

// TestRoundTripCollections converts every sample to its document, through
// XML and back into the model. What the XML does not carry is cleared
// from the expectation first: a key's public key, a volume's description,
// a snapshot's name, description and state.
func TestRoundTripCollections(t *testing.T) {
	for _, k := range sampleKeys() {
		got := xmlRoundTrip(t, wire.NewKey(base, k), wire.DecodeKey).Model()
		if diff := cmp.Diff(k, got, prefixEqual); diff != "" {
			t.Errorf("key %s (-want +got):\n%s", k.ID, diff)
		}
	}
	if diff := cmp.Diff(sampleKeys(), xmlRoundTrip(t, wire.NewKeys(base, sampleKeys()), wire.DecodeKeys).Model(), prefixEqual); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}

	fws := sampleFirewalls()
	if diff := cmp.Diff(fws, must(xmlRoundTrip(t, wire.NewFirewalls(base, fws), wire.DecodeFirewalls).Model())(t), prefixEqual); diff != "" {
		t.Errorf("firewalls (-want +got):\n%s", diff)
	}
	for _, f := range fws {
		if diff := cmp.Diff(f, must(xmlRoundTrip(t, wire.NewFirewall(base, f), wire.DecodeFirewall).Model())(t), prefixEqual); diff != "" {
			t.Errorf("firewall %s (-want +got):\n%s", f.ID, diff)
		}
	}

	as := sampleAddresses()
	if diff := cmp.Diff(as, xmlRoundTrip(t, wire.NewIPAddresses(base, as), wire.DecodeIPAddresses).Model(), prefixEqual); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	for _, a := range as {
		if diff := cmp.Diff(a, xmlRoundTrip(t, wire.NewIPAddress(base, a), wire.DecodeIPAddress).Model(), prefixEqual); diff != "" {
			t.Errorf("address %s (-want +got):\n%s", a.ID, diff)
		}
	}

	vs := sampleVolumes()
	if diff := cmp.Diff(vs, must(xmlRoundTrip(t, wire.NewStorageVolumes(base, vs), wire.DecodeStorageVolumes).Model())(t), prefixEqual); diff != "" {
		t.Errorf("volumes (-want +got):\n%s", diff)
	}
	described := vs[0]
	described.Description = "lost in XML"
	got := must(xmlRoundTrip(t, wire.NewStorageVolume(base, described), wire.DecodeStorageVolume).Model())(t)
	if diff := cmp.Diff(vs[0], got, prefixEqual); diff != "" {
		t.Errorf("volume (-want +got):\n%s", diff)
	}

	ss := sampleSnapshots()
	wantSS := make([]deltacloud.StorageSnapshot, len(ss))
	for i, s := range ss {
		s.State = ""
		wantSS[i] = s
	}
	if diff := cmp.Diff(wantSS, must(xmlRoundTrip(t, wire.NewStorageSnapshots(base, ss), wire.DecodeStorageSnapshots).Model())(t), prefixEqual); diff != "" {
		t.Errorf("snapshots (-want +got):\n%s", diff)
	}

	bs := sampleBuckets()
	if diff := cmp.Diff(bs, must(xmlRoundTrip(t, wire.NewBuckets(base, bs), wire.DecodeBuckets).Model())(t), prefixEqual); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	for _, b := range sampleBlobs() {
		got := must(xmlRoundTrip(t, wire.NewBlob(base, b), wire.DecodeBlob).Model())(t)
		// The blob document writes the default content type; the sample's
		// types are all explicit.
		if diff := cmp.Diff(b, got, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }), prefixEqual); diff != "" {
			t.Errorf("blob %s (-want +got):\n%s", b.ID, diff)
		}
	}

	ms := sampleMetrics()
	if diff := cmp.Diff(ms, must(xmlRoundTrip(t, wire.NewMetrics(base, ms), wire.DecodeMetrics).Model())(t), prefixEqual); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	for _, m := range ms {
		if diff := cmp.Diff(m, must(xmlRoundTrip(t, wire.NewMetric(base, m), wire.DecodeMetric).Model())(t), prefixEqual); diff != "" {
			t.Errorf("metric %s (-want +got):\n%s", m.ID, diff)
		}
	}
}

// TestCollectionJSONRoundTrip decodes every JSON form of the collections
// into its own type unchanged.
func TestCollectionJSONRoundTrip(t *testing.T) {
	for name, doc := range collectionDocuments() {
		for kind, v := range collectionJSONForms(doc) {
			data := must(json.Marshal(v))(t)
			back := newOf(v)
			if err := json.Unmarshal(data, back); err != nil {
				t.Errorf("%s %s: %v\n%s", name, kind, err, data)
				continue
			}
			if diff := cmp.Diff(v, deref(back), prefixEqual); diff != "" {
				t.Errorf("%s %s (-want +got):\n%s", name, kind, diff)
			}
		}
	}
}

// TestCollectionDecodingErrors checks that malformed values are reported
// by Model, not turned into zeros.
func TestCollectionDecodingErrors(t *testing.T) {
	bad := map[string]func() error{
		"port": func() error {
			_, err := must(wire.DecodeFirewall([]byte(`<firewall id='f'><rules><rule id='r'><port_from>x</port_from></rule></rules></firewall>`)))(t).Model()
			return err
		},
		"source address": func() error {
			_, err := must(wire.DecodeFirewall([]byte(`<firewall id='f'><rules><rule id='r'><sources><source type='address' address='nope'/></sources></rule></rules></firewall>`)))(t).Model()
			return err
		},
		"source prefix": func() error {
			_, err := must(wire.DecodeFirewall([]byte(`<firewall id='f'><rules><rule id='r'><sources><source type='address' address='10.0.0.0' prefix='33'/></sources></rule></rules></firewall>`)))(t).Model()
			return err
		},
		"capacity": func() error {
			_, err := must(wire.DecodeStorageVolume([]byte(`<storage_volume id='v'><capacity unit='GB'>1.5</capacity></storage_volume>`)))(t).Model()
			return err
		},
		"created": func() error {
			_, err := must(wire.DecodeStorageSnapshot([]byte(`<storage_snapshot id='s'><created>yesterday</created></storage_snapshot>`)))(t).Model()
			return err
		},
		"size": func() error {
			_, err := must(wire.DecodeBucket([]byte(`<bucket id='b'><size>-2</size></bucket>`)))(t).Model()
			return err
		},
		"content_length": func() error {
			_, err := must(wire.DecodeBlob([]byte(`<blob id='b'><content_length>lots</content_length></blob>`)))(t).Model()
			return err
		},
		"sample": func() error {
			_, err := must(wire.DecodeMetric([]byte(`<metric id='m'><properties><cpu><sample><property name='average' value='high'/></sample></cpu></properties></metric>`)))(t).Model()
			return err
		},
	}
	for name, f := range bad {
		if f() == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Tolerated: quotes, whitespace, unknown elements, Unix timestamps.
	m := must(must(wire.DecodeMetric([]byte(`<?xml version="1.0"?><metric id=" m "><extra/><properties>
		<cpu><sample><property name="timestamp" value="1362128400"/><property name="average" value=" 2.5 "/></sample></cpu>
		</properties></metric>`)))(t).Model())(t)
	want := deltacloud.Metric{ID: "m", Properties: []deltacloud.MetricProperty{{Name: "cpu", Samples: []deltacloud.MetricSample{
		{Timestamp: time.Unix(1362128400, 0).UTC(), Average: 2.5}}}}}
	if diff := cmp.Diff(want, m, prefixEqual); diff != "" {
		t.Errorf("tolerant metric (-want +got):\n%s", diff)
	}
}

// TestBlobMetadataCodecs checks the headers and form parameters of blob
// metadata both ways.
func TestBlobMetadataCodecs(t *testing.T) {
	h := http.Header{}
	h.Set("X-Deltacloud-Blobmeta-Version", "1.2")
	h.Add("x-deltacloud-blobmeta-Some_key", "a")
	h["x-deltacloud-blobmeta-some_KEY"] = []string{"b"} // the same name, another spelling
	h.Set("X-Deltacloud-Blobmeta-", "no name")
	h.Set("X-Other", "x")
	got := wire.BlobMetadataFromHeader(h)
	if got["version"] != "1.2" || len(got) != 2 || (got["some_key"] != "a, b" && got["some_key"] != "b, a") {
		t.Errorf("BlobMetadataFromHeader = %q", got)
	}
	if m := wire.BlobMetadataFromHeader(http.Header{"Content-Type": {"x"}}); m != nil {
		t.Errorf("no metadata headers gave %q", m)
	}
	out := http.Header{}
	wire.SetBlobMetadataHeader(out, map[string]string{"VERSION": "1.2", "lower": "x"})
	if out["X-Deltacloud-Blobmeta-VERSION"][0] != "1.2" || out["X-Deltacloud-Blobmeta-lower"][0] != "x" {
		t.Errorf("SetBlobMetadataHeader wrote %q", out)
	}

	meta := map[string]string{"a": "1", "B": "two words", "c": ""}
	back, err := wire.BlobMetadataFromParams(wire.BlobMetadataParams(meta))
	if err != nil || !cmp.Equal(meta, back) {
		t.Errorf("params round trip = %q, %v", back, err)
	}
	v := url.Values{"meta_name2": {"x"}, "meta_value2": {"y"}, "meta_name10": {"z"}, "meta_name": {"ignored"}, "meta_name01": {"ignored"}}
	if got, err := wire.BlobMetadataFromParams(v); err != nil || !cmp.Equal(got, map[string]string{"x": "y", "z": ""}) {
		t.Errorf("without meta_params = %q, %v", got, err)
	}
	v.Set("meta_params", "1")
	if got, err := wire.BlobMetadataFromParams(v); err != nil || got != nil {
		t.Errorf("meta_params=1 with only meta_name2 = %q, %v", got, err)
	}
	for _, n := range []string{"-1", "x", "1001", "99999999999999999999"} {
		if _, err := wire.BlobMetadataFromParams(url.Values{"meta_params": {n}}); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("meta_params=%s: %v", n, err)
		}
	}
}

// TestFirewallRuleCodecs checks the rule parameters both ways.
func TestFirewallRuleCodecs(t *testing.T) {
	spec := deltacloud.FirewallRuleSpec{Protocol: "tcp", PortFrom: 22, PortTo: 80, Sources: sampleFirewalls()[0].Rules[0].Sources}
	back, err := wire.FirewallRuleFromParams(wire.FirewallRuleParams(spec))
	if err != nil {
		t.Fatal(err)
	}
	// Addresses come before groups, each kind in order.
	want := spec
	want.Sources = []deltacloud.RuleSource{spec.Sources[0], spec.Sources[2], spec.Sources[1]}
	if diff := cmp.Diff(want, back, prefixEqual); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
	v := url.Values{"protocol": {"udp"}, "ip_address10": {"10.1.0.0/16"}, "ip_address2": {"192.168.1.1"},
		"ip_address": {"::1", " "}, "group1": {"g1"}, "group1owner": {"o1"}, "group": {"not numbered"}}
	got, err := wire.FirewallRuleFromParams(v)
	if err != nil {
		t.Fatal(err)
	}
	wantSrc := []deltacloud.RuleSource{
		{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("::1/128")},
		{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("192.168.1.1/32")},
		{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("10.1.0.0/16")},
		{Type: deltacloud.SourceGroup, Group: "g1", Owner: "o1"},
	}
	if diff := cmp.Diff(wantSrc, got.Sources, prefixEqual); diff != "" || got.Protocol != "udp" || got.PortFrom != 0 {
		t.Errorf("sources (-want +got):\n%s%+v", diff, got)
	}
	for name, v := range map[string]url.Values{
		"no sources":   {"protocol": {"tcp"}},
		"bad address":  {"ip_address1": {"10.0.0.0/33"}},
		"bad port":     {"ip_address1": {"10.0.0.0/8"}, "port_from": {"http"}},
		"port too big": {"ip_address1": {"10.0.0.0/8"}, "port_to": {"65536"}},
	} {
		if _, err := wire.FirewallRuleFromParams(v); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := wire.FirewallRuleFromParams(url.Values{}); err == nil || !strings.Contains(err.Error(), "No sources. Specify at least one source ip address or group.") {
		t.Errorf("no sources: %v", err)
	}
}

// fuzzCollection runs the document checks and a model round trip for one
// decoder.
func fuzzCollection[D any, M any](t *testing.T, data []byte, decode func([]byte) (*D, error), toJSON func(*D) any,
	model func(*D) (M, error), render func(M) wire.Document) {
	d := fuzzDoc(t, data, decode, toJSON)
	if d == nil {
		return
	}
	m1, err := model(d)
	if err != nil {
		return
	}
	d2, err := decode(must(wire.Marshal(render(m1)))(t))
	if err != nil {
		t.Fatalf("decoding our rendering: %v", err)
	}
	m2, err := model(d2)
	if err != nil {
		t.Fatalf("model of our rendering: %v", err)
	}
	sameModel(t, m1, m2)
}

// noErr adapts a Model method without an error.
func noErr[D, M any](f func(*D) M) func(*D) (M, error) {
	return func(d *D) (M, error) { return f(d), nil }
}

// FuzzDecodeCollections feeds every decoder of the optional collections
// arbitrary bytes.
func FuzzDecodeCollections(f *testing.F) {
	for _, doc := range collectionDocuments() {
		f.Add(must(wire.Marshal(doc))(f))
	}
	f.Add([]byte(`<metric id='m'><properties><x:cpu xmlns:x='urn:x'><sample><property name='timestamp' value='5'/></sample></x:cpu></properties></metric>`))
	f.Add([]byte(`<firewall id='f'><rules><rule><sources><source type='address' address='::ffff:1.2.3.4' prefix='128'/></sources></rule></rules></firewall>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzCollection(t, data, wire.DecodeKey, func(d *wire.Key) any { return d.ShowJSON() },
			noErr((*wire.Key).Model), func(m deltacloud.Key) wire.Document { return wire.NewKey(base, m) })
		fuzzCollection(t, data, wire.DecodeKeys, func(d *wire.Keys) any { return d.JSON() },
			noErr((*wire.Keys).Model), func(m []deltacloud.Key) wire.Document { return wire.NewKeys(base, m) })
		fuzzCollection(t, data, wire.DecodeFirewall, func(d *wire.Firewall) any { return d.ShowJSON() },
			(*wire.Firewall).Model, func(m deltacloud.Firewall) wire.Document { return wire.NewFirewall(base, m) })
		fuzzCollection(t, data, wire.DecodeFirewalls, func(d *wire.FirewallList) any { return d.JSON() },
			(*wire.FirewallList).Model, func(m []deltacloud.Firewall) wire.Document { return wire.NewFirewalls(base, m) })
		fuzzCollection(t, data, wire.DecodeIPAddress, func(d *wire.IPAddress) any { return d.ShowJSON() },
			noErr((*wire.IPAddress).Model), func(m deltacloud.IPAddress) wire.Document { return wire.NewIPAddress(base, m) })
		fuzzCollection(t, data, wire.DecodeIPAddresses, func(d *wire.IPAddresses) any { return d.JSON() },
			noErr((*wire.IPAddresses).Model), func(m []deltacloud.IPAddress) wire.Document { return wire.NewIPAddresses(base, m) })
		fuzzCollection(t, data, wire.DecodeStorageVolume, func(d *wire.StorageVolume) any { return d.ShowJSON() },
			(*wire.StorageVolume).Model, func(m deltacloud.StorageVolume) wire.Document { return wire.NewStorageVolume(base, m) })
		fuzzCollection(t, data, wire.DecodeStorageVolumes, func(d *wire.StorageVolumeList) any { return d.JSON() },
			(*wire.StorageVolumeList).Model, func(m []deltacloud.StorageVolume) wire.Document { return wire.NewStorageVolumes(base, m) })
		fuzzCollection(t, data, wire.DecodeStorageSnapshot, func(d *wire.StorageSnapshot) any { return d.ShowJSON() },
			(*wire.StorageSnapshot).Model, func(m deltacloud.StorageSnapshot) wire.Document { return wire.NewStorageSnapshot(base, m) })
		fuzzCollection(t, data, wire.DecodeStorageSnapshots, func(d *wire.StorageSnapshots) any { return d.JSON() },
			(*wire.StorageSnapshots).Model, func(m []deltacloud.StorageSnapshot) wire.Document { return wire.NewStorageSnapshots(base, m) })
		fuzzCollection(t, data, wire.DecodeBucket, func(d *wire.Bucket) any { return d.ShowJSON() },
			(*wire.Bucket).Model, func(m deltacloud.Bucket) wire.Document { return wire.NewBucket(base, m) })
		fuzzCollection(t, data, wire.DecodeBuckets, func(d *wire.Buckets) any { return d.JSON() },
			(*wire.Buckets).Model, func(m []deltacloud.Bucket) wire.Document { return wire.NewBuckets(base, m) })
		fuzzCollection(t, data, wire.DecodeBlob, func(d *wire.Blob) any { return d.ShowJSON() },
			(*wire.Blob).Model, func(m deltacloud.Blob) wire.Document { return wire.NewBlob(base, m) })
		fuzzCollection(t, data, wire.DecodeMetric, func(d *wire.Metric) any { return d.ShowJSON() },
			(*wire.Metric).Model, func(m deltacloud.Metric) wire.Document { return wire.NewMetric(base, m) })
		fuzzCollection(t, data, wire.DecodeMetrics, func(d *wire.Metrics) any { return d.JSON() },
			(*wire.Metrics).Model, func(m []deltacloud.Metric) wire.Document { return wire.NewMetrics(base, m) })
	})
}

// FuzzFastEncodeCollections puts arbitrary strings into every field of the
// collections' documents and JSON forms and compares the encoders.
func FuzzFastEncodeCollections(f *testing.F) {
	f.Add("fw", "]]>", "\x00\xff\t", 5)
	f.Add(`<>&'"`, "\u2028", "é😀", -1)
	f.Add("", "", "", 0)
	f.Fuzz(func(t *testing.T, a, b, c string, n int) {
		sameEncoding(t, "key", wire.NewKey(base, deltacloud.Key{ID: a, Name: b, Type: deltacloud.KeyType(c), PrivateKey: b, Password: c}))
		sameEncoding(t, "blob", wire.NewBlob(base, deltacloud.Blob{ID: a, BucketID: b, ContentType: c, ContentLength: int64(n),
			Metadata: map[string]string{a: b, c: a}}))
		sameEncoding(t, "metric", wire.NewMetric(base, deltacloud.Metric{ID: a, Entity: b,
			Properties: []deltacloud.MetricProperty{{Name: c, Samples: []deltacloud.MetricSample{{Unit: a, Average: float64(n) / 3}}}}}))
		sameJSON(t, "blob json", wire.NewBlob(base, deltacloud.Blob{ID: a, Metadata: map[string]string{b: c}}).ShowJSON())
		sameJSON(t, "volume json", wire.NewStorageVolume(base, deltacloud.StorageVolume{ID: a, Name: b, Kind: c, Capacity: n}).ShowJSON())
		strs := []string{a, b, c}
		for _, doc := range documentTypes[13:] {
			sameEncoding(t, "filled", filled(t, doc, &filler{strs: strs, n: 1 + n&1}))
		}
		for _, form := range jsonFormTypes[18:] {
			sameJSON(t, "filled json", filledJSON(t, form, &jsonFiller{strs: strs, shapes: []shape{shape(n & 3 % 3), shapeFull}, n: 1 + n&1}))
		}
	})
}

// FuzzBlobMetadataParams feeds the metadata parsers arbitrary input: they
// never panic, honour their bounds, and what they accept survives the
// round trip through the writers.
func FuzzBlobMetadataParams(f *testing.F) {
	f.Add("meta_params=2&meta_name1=a&meta_value1=b&meta_name2=c&meta_value2=d", "Version", "1.2")
	f.Add("meta_name7=x&meta_params=99999", "", "")
	f.Add("meta_params=-1", "a\x00b", "\r\n")
	f.Fuzz(func(t *testing.T, query, name, value string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		meta, err := wire.BlobMetadataFromParams(v)
		if err != nil {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Fatalf("error %v is not InvalidArgument", err)
			}
			return
		}
		if len(meta) > wire.MaxBlobMetadata {
			t.Fatalf("%d entries", len(meta))
		}
		back, err := wire.BlobMetadataFromParams(wire.BlobMetadataParams(meta))
		if err != nil || len(meta)+len(back) > 0 && !cmp.Equal(meta, back) {
			t.Fatalf("round trip %q → %q, %v", meta, back, err)
		}
		h := http.Header{}
		h[wire.BlobMetaHeaderPrefix+name] = []string{value}
		got := wire.BlobMetadataFromHeader(h)
		if name == "" && got != nil && len(got) != 0 {
			t.Fatalf("empty name gave %q", got)
		}
		for k := range got {
			if k != strings.ToLower(k) {
				t.Fatalf("name %q is not lower case", k)
			}
		}
	})
}

// FuzzFirewallRuleParams feeds the rule parser arbitrary parameters: it
// never panics, fails only with InvalidArgument, and a rule it accepts
// survives the round trip through FirewallRuleParams.
func FuzzFirewallRuleParams(f *testing.F) {
	f.Add("protocol=tcp&port_from=22&port_to=22&ip_address1=10.0.0.0/8&group1=g&group1owner=o")
	f.Add("ip_address=::1&ip_address2=1.2.3.4/33")
	f.Add("group10=a&group2=b&group2owner=&port_from=-1")
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		r, err := wire.FirewallRuleFromParams(v)
		if err != nil {
			if !errors.Is(err, deltacloud.ErrInvalidArgument) {
				t.Fatalf("error %v is not InvalidArgument", err)
			}
			return
		}
		if len(r.Sources) == 0 {
			t.Fatal("accepted a rule without sources")
		}
		back, err := wire.FirewallRuleFromParams(wire.FirewallRuleParams(r))
		if err != nil {
			t.Fatalf("re-reading %v: %v", r, err)
		}
		if diff := cmp.Diff(r, back, prefixEqual); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
