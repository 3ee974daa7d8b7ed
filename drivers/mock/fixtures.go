package mock

import (
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// The only credentials the mock cloud accepts (spec §9).
const (
	User     = "mockuser"
	Password = "mockpassword"
)

// lifecycle is the mock's state machine (spec §8). pending→running happens
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
// declare (a typo hid it) and accepts.
var features = deltacloud.MustFeatures(
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

// images are listed sorted by (owner, description), as the original sorts.
var images = []deltacloud.Image{
	fixtureImage("img1", "fedoraproject", "x86_64", "Fedora 10"),
	fixtureImage("img2", "fedoraproject", "i386", "Fedora 10"),
	fixtureImage("img3", User, "i386", "JBoss"),
}

func fixtureImage(id, owner, arch, desc string) deltacloud.Image {
	return deltacloud.Image{
		ID: id, Name: id, Description: desc, Owner: owner, Architecture: arch,
		State: "AVAILABLE", CreationTime: imageCreated,
		HardwareProfiles: []string{"m1-small", "m1-large", "m1-xlarge", deltacloud.OpaqueProfileID},
		RootType:         "transient",
	}
}

// fixtureInstances are the master branch's inst0–inst3 (spec §9).
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
