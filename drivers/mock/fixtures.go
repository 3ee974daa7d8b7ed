package mock

import (
	"net/netip"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// The only credentials the mock cloud accepts.
const (
	User     = "mockuser"
	Password = "mockpassword"
)

// lifecycle is the mock's state machine. pending→running happens
// automatically; by default creates skip PENDING, as the original does.
var lifecycle = deltacloud.MustStateMachine(
	deltacloud.On(deltacloud.StateStart, deltacloud.ActionCreate, deltacloud.StatePending),
	deltacloud.Auto(deltacloud.StatePending, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionReboot, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateRunning, deltacloud.ActionStop, deltacloud.StateStopped),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionStart, deltacloud.StateRunning),
	deltacloud.On(deltacloud.StateStopped, deltacloud.ActionDestroy, deltacloud.StateFinish),
)

// features are the original mock's, plus user_data, which it meant to
// declare (a typo hid it) and accepts, and image_name, image_description,
// volume_name and volume_description, which the original accepted on create
// (201) and this mock honours. It does not advertise import_key or
// bucket_location: it would ignore them.
var features = deltacloud.MustFeatures(
	deltacloud.FeatureImageName,
	deltacloud.FeatureImageDescription,
	deltacloud.FeatureVolumeName,
	deltacloud.FeatureVolumeDescription,
	deltacloud.FeatureMetrics,
	deltacloud.FeatureRealmFilter,
	deltacloud.FeatureUserName,
	deltacloud.FeatureUserData,
	deltacloud.FeatureAuthenticationKey,
)

var realms = []deltacloud.Realm{
	{ID: "us", Name: "United States", State: deltacloud.RealmAvailable},
	{ID: "eu", Name: "Europe", State: deltacloud.RealmAvailable},
}

var profiles = []deltacloud.HardwareProfile{
	{ID: "m1-small", Name: "m1-small", Properties: []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "1"),
		deltacloud.FixedProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, "1740.8"),
		deltacloud.FixedProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, "160"),
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "i386"),
	}},
	{ID: "m1-large", Name: "m1-large", Properties: []deltacloud.Property{
		deltacloud.RangeProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "1", "6", "1"),
		deltacloud.RangeProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, "7680", "15360", "10240"),
		deltacloud.EnumProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, "850", "850", "1024"),
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64"),
	}},
	{ID: "m1-xlarge", Name: "m1-xlarge", Properties: []deltacloud.Property{
		deltacloud.FixedProperty(deltacloud.PropertyCPU, deltacloud.UnitCount, "4"),
		deltacloud.RangeProperty(deltacloud.PropertyMemory, deltacloud.UnitMB, "12288", "32768", "12288"),
		deltacloud.EnumProperty(deltacloud.PropertyStorage, deltacloud.UnitGB, "1024", "1024", "2048", "4096"),
		deltacloud.FixedProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64"),
	}},
	{ID: deltacloud.OpaqueProfileID, Name: deltacloud.OpaqueProfileID},
}

var imageCreated = time.Date(2012, time.October, 25, 14, 27, 53, 0, time.FixedZone("CEST", 2*60*60))

// fixtureImageIDs are the images of a fresh cloud.
var fixtureImageIDs = []string{"img1", "img2", "img3"}

func fixtureImages() []*imageRecord {
	return []*imageRecord{
		fixtureImage("img1", "fedoraproject", "x86_64", "Fedora 10"),
		fixtureImage("img2", "fedoraproject", "i386", "Fedora 10"),
		fixtureImage("img3", User, "i386", "JBoss"),
	}
}

// allProfiles are the hardware profiles every mock image lists.
var allProfiles = []string{"m1-small", "m1-large", "m1-xlarge", deltacloud.OpaqueProfileID}

func fixtureImage(id, owner, arch, desc string) *imageRecord {
	return &imageRecord{
		ID: id, Name: id, Description: desc, Owner: owner, Architecture: arch,
		State: "AVAILABLE", CreationTime: imageCreated,
		HardwareProfiles: allProfiles,
		RootType:         "transient",
	}
}

// fixtureInstances are the master branch's inst0–inst3.
func fixtureInstances() []*record {
	return []*record{
		{ID: "inst0", Name: "Mock Instance With Profile Change", Owner: User, ImageID: "img1", RealmID: "us",
			ProfileID: "m1-large", Overrides: map[string]string{deltacloud.PropertyMemory: "12288"},
			State: deltacloud.StateRunning, CreateImage: true, AddressImage: "img1"},
		{ID: "inst1", Name: "MockUserInstance", Owner: User, ImageID: "img3", RealmID: "us",
			ProfileID: "m1-small", State: deltacloud.StateRunning, CreateImage: true, AddressImage: "img1"},
		{ID: "inst2", Name: "AnotherInstance", Owner: User, ImageID: "img1", RealmID: "us",
			ProfileID: "m1-large", State: deltacloud.StateRunning, CreateImage: true, AddressImage: "img1"},
		{ID: "inst3", Name: "", Owner: User, ImageID: "img3", RealmID: "eu",
			ProfileID: "m1-small", State: deltacloud.StateRunning, CreateImage: false, AddressImage: "img3"},
	}
}

// fixtureState is a fresh cloud: the original mock's objects.
func fixtureState() *state {
	return &state{
		instances: fixtureInstances(),
		images:    fixtureImages(),
		keys:      fixtureKeys(),
		firewalls: fixtureFirewalls(),
		addresses: fixtureAddresses(),
		volumes:   fixtureVolumes(),
		snapshots: fixtureSnapshots(),
		buckets:   fixtureBuckets(),
		blobs:     fixtureBlobs(),
	}
}

// The test-key fixture's fingerprint and (fake) private key.
const (
	testKeyFingerprint = "52:81:2c:3d:52:ee:28:1c:15:e8:0d:65:f4:fa:98:03:c5:4b:5f:bb"
	testKeyPEM         = "-----BEGIN RSA PRIVATE KEY-----\n" +
		"MIIEowIBAAKCAQEAtestkeyofthedeltacloudmockdriverxxxxxxxxxxxxxxxxxxxxx\n" +
		"-----END RSA PRIVATE KEY-----\n"
)

func fixtureKeys() []*keyRecord {
	return []*keyRecord{{ID: "test-key", Name: "test-key", Type: deltacloud.KeyTypeKey,
		Fingerprint: testKeyFingerprint, PrivateKey: testKeyPEM}}
}

// fixtureFirewalls is the "default" group, served only with the firewalls
// option.
func fixtureFirewalls() []*fwRecord {
	return []*fwRecord{{Firewall: deltacloud.Firewall{ID: "default", Name: "default", Description: "default group", Owner: User,
		Rules: []deltacloud.FirewallRule{{ID: "rule1", Protocol: "tcp", PortFrom: 22, PortTo: 22,
			Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("0.0.0.0/0")}}}}},
		NextRule: 2}}
}

func fixtureAddresses() []*addressRecord {
	var out []*addressRecord
	for _, ip := range []string{"192.168.0.1", "192.168.0.2", "192.168.0.3", "192.168.0.4"} {
		out = append(out, &addressRecord{ID: ip, IP: ip})
	}
	return out
}

// The fixtures' times are in named zones (a FixedZone named "UTC", not
// time.UTC), so they are written as the original wrote its fixtures' text
// ("Thu Jul 30 14:35:11 UTC 2009"); the objects a cloud makes are stamped in
// time.UTC and written as the original wrote objects it made
// ("2026-12-04 14:08:17 +0000").
var (
	volumeCreated   = time.Date(2009, time.July, 30, 14, 35, 11, 0, time.FixedZone("UTC", 0))
	snapshotCreated = time.Date(2009, time.July, 29, 18, 15, 24, 0, time.FixedZone("UTC", 0))
	blobModified    = time.Date(2010, time.September, 23, 17, 44, 54, 0, time.FixedZone("", 2*60*60))
)

func fixtureVolumes() []*volumeRecord {
	vol := func(id string) *volumeRecord {
		return &volumeRecord{ID: id, Name: id, Capacity: 1, RealmID: "us", State: deltacloud.VolumeAvailable, Created: volumeCreated}
	}
	v3 := vol("vol3")
	v3.State, v3.InstanceID, v3.Device = deltacloud.VolumeInUse, "inst1", "/dev/sda1"
	return []*volumeRecord{vol("vol1"), vol("vol2"), v3}
}

func fixtureSnapshots() []*snapshotRecord {
	snap := func(id, vol string) *snapshotRecord {
		return &snapshotRecord{ID: id, Name: id, VolumeID: vol, State: deltacloud.SnapshotCompleted, Created: snapshotCreated}
	}
	return []*snapshotRecord{snap("snap1", "vol1"), snap("snap2", "vol2"), snap("snap3", "vol2")}
}

func fixtureBuckets() []*bucketRecord {
	return []*bucketRecord{{ID: "bucket1", Name: "bucket1"}, {ID: "bucket2", Name: "bucket2"}}
}

func fixtureBlobs() []*blobRecord {
	blob := func(bucket, id, typ, content string, meta map[string]string) *blobRecord {
		return &blobRecord{Blob: deltacloud.Blob{ID: id, BucketID: bucket, ContentLength: int64(len(content)),
			ContentType: typ, LastModified: blobModified, Metadata: meta}, content: []byte(content)}
	}
	return []*blobRecord{
		blob("bucket1", "blob1", "text/plain", "content of blob 1", map[string]string{"SOMENEWKEY": "NEWVALUE"}),
		blob("bucket1", "blob2", "text/html", "<html><head></head><body>content of blob 2</body></html>", map[string]string{"VERSION": "1.2"}),
		blob("bucket1", "blob3", "text/plain", "content of blob 3", nil),
		blob("bucket2", "blob4", "application/octet-stream", "content of blob 4", map[string]string{"some": "value"}),
		blob("bucket2", "blob5", "application/pdf", "content of blob 5", nil),
	}
}
