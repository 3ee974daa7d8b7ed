package api

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// memoInstanceFields are the fields of Instance that instancesEqual
// compares and cloneInstances copies. A new field must be added to both,
// and here.
var memoInstanceFields = []string{"ID", "Name", "Owner", "ImageID", "RealmID", "Profile", "State", "Actions",
	"PublicAddresses", "PrivateAddresses", "LaunchTime", "Authentication", "Firewalls", "StorageVolumes",
	"CanCreateImage", "Extra", "Tags"}

func sampleInstance() deltacloud.Instance {
	return deltacloud.Instance{ID: "i", Name: "n", Owner: "o", ImageID: "img", RealmID: "r",
		Profile: deltacloud.InstanceProfile{ID: "p", Overrides: map[string]string{"memory": "1024"}},
		State:   deltacloud.StateRunning, Actions: []deltacloud.Action{deltacloud.ActionStop},
		PublicAddresses:  []deltacloud.Address{{Value: "192.0.2.1", Type: deltacloud.AddressIPv4}},
		PrivateAddresses: []deltacloud.Address{{Value: "10.0.0.1", Type: deltacloud.AddressIPv4}},
		LaunchTime:       time.Date(2026, 12, 5, 7, 0, 0, 0, time.UTC),
		Authentication:   &deltacloud.Authentication{Method: "key", KeyName: "k"},
		Firewalls:        []string{"default"}, StorageVolumes: []deltacloud.VolumeAttachment{{VolumeID: "v", Device: "/dev/sdf"}},
		CanCreateImage: true, Extra: map[string]string{"a": "b"}, Tags: map[string]string{"team": "web"}}
}

func TestInstancesEqualSeesEveryField(t *testing.T) {
	var fields []string
	for f := range reflect.TypeFor[deltacloud.Instance]().Fields() {
		fields = append(fields, f.Name)
	}
	if d := cmp.Diff(memoInstanceFields, fields); d != "" {
		t.Fatalf("Instance's fields changed: compare and copy the new ones in instancesEqual and cloneInstances (-known +now):\n%s", d)
	}
	changes := map[string]func(*deltacloud.Instance){
		"ID":               func(in *deltacloud.Instance) { in.ID = "j" },
		"Name":             func(in *deltacloud.Instance) { in.Name = "" },
		"Owner":            func(in *deltacloud.Instance) { in.Owner = "x" },
		"ImageID":          func(in *deltacloud.Instance) { in.ImageID = "x" },
		"RealmID":          func(in *deltacloud.Instance) { in.RealmID = "x" },
		"Profile":          func(in *deltacloud.Instance) { in.Profile.Overrides["memory"] = "2048" },
		"State":            func(in *deltacloud.Instance) { in.State = deltacloud.StateStopped },
		"Actions":          func(in *deltacloud.Instance) { in.Actions = append(in.Actions, deltacloud.ActionReboot) },
		"PublicAddresses":  func(in *deltacloud.Instance) { in.PublicAddresses[0].Port = 5900 },
		"PrivateAddresses": func(in *deltacloud.Instance) { in.PrivateAddresses = nil },
		"LaunchTime":       func(in *deltacloud.Instance) { in.LaunchTime = in.LaunchTime.In(time.FixedZone("x", 0)) },
		"Authentication":   func(in *deltacloud.Instance) { in.Authentication.KeyName = "other" },
		"Firewalls":        func(in *deltacloud.Instance) { in.Firewalls[0] = "web" },
		"StorageVolumes":   func(in *deltacloud.Instance) { in.StorageVolumes[0].Device = "/dev/sdg" },
		"CanCreateImage":   func(in *deltacloud.Instance) { in.CanCreateImage = false },
		"Extra":            func(in *deltacloud.Instance) { in.Extra["a"] = "c" },
		"Tags":             func(in *deltacloud.Instance) { in.Tags["team"] = "db" },
	}
	for _, name := range memoInstanceFields {
		change, ok := changes[name]
		if !ok {
			t.Errorf("no change of %s is tried", name)
			continue
		}
		orig := []deltacloud.Instance{sampleInstance()}
		kept := cloneInstances(orig)
		if !instancesEqual(kept, orig) {
			t.Fatalf("a clone differs from its original")
		}
		// The change is made to what the driver returned; the memo's copy
		// must not see it, and must differ from the changed listing.
		change(&orig[0])
		if !cmp.Equal(kept, []deltacloud.Instance{sampleInstance()}) {
			t.Errorf("%s: changing the original changed the clone", name)
		}
		if instancesEqual(kept, orig) {
			t.Errorf("%s: a change is not seen by instancesEqual", name)
		}
	}
	if instancesEqual(nil, []deltacloud.Instance{}) || !instancesEqual(nil, nil) ||
		instancesEqual([]deltacloud.Instance{sampleInstance()}, slices.Repeat([]deltacloud.Instance{sampleInstance()}, 2)) {
		t.Error("instancesEqual on empty or different lengths")
	}
}

func TestRenderMemoIsBounded(t *testing.T) {
	m := newRenderMemo()
	for i := range 3 * maxMemoEntries {
		m.store(memoKey{route: "instances", base: "http://h" + string(rune('a'+i))}, &memoEntry{})
	}
	if len(m.entries) != maxMemoEntries {
		t.Errorf("the memo holds %d entries, want at most %d", len(m.entries), maxMemoEntries)
	}
}
