package deltacloud_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	dc "github.com/deltacloud-go/deltacloud"
)

func featureNames(fs dc.Features) []dc.FeatureName {
	names := make([]dc.FeatureName, len(fs))
	for i, f := range fs {
		names[i] = f.Name
	}
	return names
}

// permutations returns every ordering of s.
func permutations(s []dc.FeatureName) [][]dc.FeatureName {
	if len(s) <= 1 {
		return [][]dc.FeatureName{slices.Clone(s)}
	}
	var out [][]dc.FeatureName
	for i := range s {
		rest := slices.Concat(s[:i:i], s[i+1:])
		for _, p := range permutations(rest) {
			out = append(out, append([]dc.FeatureName{s[i]}, p...))
		}
	}
	return out
}

func TestNewFeaturesCanonicalOrder(t *testing.T) {
	mock := []dc.FeatureName{dc.FeatureMetrics, dc.FeatureRealmFilter, dc.FeatureUserName, dc.FeatureAuthenticationKey}
	perms := permutations(mock)
	if len(perms) != 24 {
		t.Fatalf("permutations(%d names) = %d, want 24", len(mock), len(perms))
	}
	for _, p := range perms {
		fs, err := dc.NewFeatures(p...)
		if err != nil {
			t.Fatalf("NewFeatures(%v) error = %v", p, err)
		}
		if diff := cmp.Diff(mock, featureNames(fs)); diff != "" {
			t.Errorf("NewFeatures(%v) order (-want +got):\n%s", p, diff)
		}
	}

	tests := []struct {
		name  string
		names []dc.FeatureName
		want  []dc.FeatureName
	}{
		{"none", nil, nil},
		{"duplicates collapse", []dc.FeatureName{dc.FeatureUserName, dc.FeatureUserName}, []dc.FeatureName{dc.FeatureUserName}},
		{
			"ec2, reversed",
			[]dc.FeatureName{
				dc.FeatureBucketLocation, dc.FeatureImageDescription, dc.FeatureImageName, dc.FeatureOwnerID,
				dc.FeatureAttachSnapshot, dc.FeatureInstanceCount, dc.FeatureAuthenticationKey,
				dc.FeatureFirewalls, dc.FeatureUserData, dc.FeatureMetrics,
			},
			[]dc.FeatureName{
				dc.FeatureOwnerID, dc.FeatureImageName, dc.FeatureImageDescription, dc.FeatureBucketLocation,
				dc.FeatureMetrics, dc.FeatureUserData, dc.FeatureFirewalls, dc.FeatureAuthenticationKey,
				dc.FeatureInstanceCount, dc.FeatureAttachSnapshot,
			},
		},
		{
			"openstack",
			[]dc.FeatureName{
				dc.FeatureVolumeDescription, dc.FeatureImportKey, dc.FeatureAuthenticationPassword, dc.FeatureUserName,
				dc.FeatureVolumeName, dc.FeatureUserFiles, dc.FeatureUserData, dc.FeatureAuthenticationKey,
			},
			[]dc.FeatureName{
				dc.FeatureUserName, dc.FeatureUserData, dc.FeatureUserFiles, dc.FeatureAuthenticationKey,
				dc.FeatureAuthenticationPassword, dc.FeatureImportKey, dc.FeatureVolumeName, dc.FeatureVolumeDescription,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := dc.NewFeatures(tt.names...)
			if err != nil {
				t.Fatalf("NewFeatures(%v) error = %v", tt.names, err)
			}
			if diff := cmp.Diff(tt.want, featureNames(fs), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("NewFeatures(%v) (-want +got):\n%s", tt.names, diff)
			}
		})
	}
}

func TestNewFeaturesUnknown(t *testing.T) {
	tests := []struct {
		name    string
		names   []dc.FeatureName
		unknown string
	}{
		{"alone", []dc.FeatureName{"hardware_profiles"}, "hardware_profiles"},
		{"mock's typo among known", []dc.FeatureName{dc.FeatureUserName, "user_Data", dc.FeatureMetrics}, "user_Data"},
		{"empty name", []dc.FeatureName{""}, `""`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, err := dc.NewFeatures(tt.names...)
			if err == nil {
				t.Fatalf("NewFeatures(%v) = %v, nil; want an error", tt.names, featureNames(fs))
			}
			if fs != nil {
				t.Errorf("NewFeatures(%v) returned %v with the error", tt.names, featureNames(fs))
			}
			if !strings.Contains(err.Error(), tt.unknown) {
				t.Errorf("error %q does not name %s", err, tt.unknown)
			}
		})
	}
}

func TestMustFeatures(t *testing.T) {
	tests := []struct {
		names     []dc.FeatureName
		wantPanic bool
	}{
		{[]dc.FeatureName{dc.FeatureUserName, dc.FeatureMetrics}, false},
		{[]dc.FeatureName{dc.FeatureUserName, "first_boot_dev"}, true},
	}
	for _, tt := range tests {
		func() {
			defer func() {
				if r := recover(); (r != nil) != tt.wantPanic {
					t.Errorf("MustFeatures(%v) panic = %v, want panic %t", tt.names, r, tt.wantPanic)
				}
			}()
			fs := dc.MustFeatures(tt.names...)
			if diff := cmp.Diff([]dc.FeatureName{dc.FeatureMetrics, dc.FeatureUserName}, featureNames(fs)); diff != "" {
				t.Errorf("MustFeatures(%v) (-want +got):\n%s", tt.names, diff)
			}
		}()
	}
}

// TestStandardFeatures checks the definitions against the original server's table of features.
func TestStandardFeatures(t *testing.T) {
	type def struct {
		Name       dc.FeatureName
		Collection dc.Collection
		Operation  dc.Operation
		Params     []string
	}
	want := []def{
		{"owner_id", dc.CollectionImages, dc.OpIndex, []string{"owner_id"}},
		{"image_name", dc.CollectionImages, dc.OpCreate, []string{"name"}},
		{"image_description", dc.CollectionImages, dc.OpCreate, []string{"description"}},
		{"bucket_location", dc.CollectionBuckets, dc.OpCreate, []string{"location"}},
		{"metrics", dc.CollectionInstances, dc.OpCreate, []string{"metrics"}},
		{"realm_filter", dc.CollectionInstances, dc.OpIndex, []string{"realm_id"}},
		{"user_name", dc.CollectionInstances, dc.OpCreate, []string{"name"}},
		{"user_data", dc.CollectionInstances, dc.OpCreate, []string{"user_data"}},
		{"user_files", dc.CollectionInstances, dc.OpCreate, []string{"user_files"}},
		{"user_iso", dc.CollectionInstances, dc.OpCreate, []string{"user_iso"}},
		{"firewalls", dc.CollectionInstances, dc.OpCreate, []string{"firewalls"}},
		{"authentication_key", dc.CollectionInstances, dc.OpCreate, []string{"keyname"}},
		{"authentication_password", dc.CollectionInstances, dc.OpCreate, []string{"password"}},
		{"register_to_load_balancer", dc.CollectionInstances, dc.OpCreate, []string{"load_balancer_id"}},
		{"instance_count", dc.CollectionInstances, dc.OpCreate, []string{"instance_count"}},
		{"attach_snapshot", dc.CollectionInstances, dc.OpCreate, []string{"snapshot_id", "device_name"}},
		{"sandboxing", dc.CollectionInstances, dc.OpCreate, []string{"sandbox"}},
		{"import_key", dc.CollectionKeys, dc.OpCreate, []string{"public_key"}},
		{"volume_name", dc.CollectionStorageVolumes, dc.OpCreate, []string{"name"}},
		{"volume_description", dc.CollectionStorageVolumes, dc.OpCreate, []string{"description"}},
	}
	var got []def
	for _, f := range dc.StandardFeatures() {
		if f.Constraints != nil {
			t.Errorf("standard feature %s has constraints %v", f.Name, f.Constraints)
		}
		got = append(got, def{f.Name, f.Collection, f.Operation, f.Params})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("StandardFeatures() (-want +got):\n%s", diff)
	}
	for _, w := range want {
		f, ok := dc.StandardFeature(w.Name)
		if !ok || f.Name != w.Name {
			t.Errorf("StandardFeature(%q) = %v, %t", w.Name, f.Name, ok)
		}
	}
	if f, ok := dc.StandardFeature("hardware_profiles"); ok {
		t.Errorf("StandardFeature(hardware_profiles) = %v, true; want false", f)
	}
}

func TestStandardFeatureIsACopy(t *testing.T) {
	f, ok := dc.StandardFeature(dc.FeatureAttachSnapshot)
	if !ok {
		t.Fatal("StandardFeature(attach_snapshot) not found")
	}
	f.Params[0] = "mutated"
	f.Params = append(f.Params, "extra")
	f.Constraints = map[string]string{"max_length": "1"}

	all := dc.StandardFeatures()
	all[0].Params[0] = "mutated"

	fs := dc.MustFeatures(dc.FeatureUserName)
	fs[0].Params[0] = "mutated"

	want := dc.Feature{Name: dc.FeatureAttachSnapshot, Collection: dc.CollectionInstances, Operation: dc.OpCreate, Params: []string{"snapshot_id", "device_name"}}
	again, _ := dc.StandardFeature(dc.FeatureAttachSnapshot)
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("StandardFeature after mutating an earlier result (-want +got):\n%s", diff)
	}
	if got, _ := dc.StandardFeature(dc.FeatureOwnerID); got.Params[0] != "owner_id" {
		t.Errorf("owner_id params after mutating StandardFeatures() = %v", got.Params)
	}
	if got := dc.MustFeatures(dc.FeatureUserName)[0].Params[0]; got != "name" {
		t.Errorf("user_name params after mutating MustFeatures() = %q, want name", got)
	}
}

// ec2Features is what the original server's EC2 driver advertises.
var ec2Features = dc.MustFeatures(
	dc.FeatureMetrics, dc.FeatureUserData, dc.FeatureFirewalls, dc.FeatureAuthenticationKey,
	dc.FeatureInstanceCount, dc.FeatureAttachSnapshot,
	dc.FeatureOwnerID, dc.FeatureImageName, dc.FeatureImageDescription,
	dc.FeatureBucketLocation,
)

func TestFeaturesFor(t *testing.T) {
	mock := dc.MustFeatures(dc.FeatureMetrics, dc.FeatureRealmFilter, dc.FeatureUserName, dc.FeatureAuthenticationKey)
	tests := []struct {
		name string
		fs   dc.Features
		c    dc.Collection
		op   dc.Operation
		want []dc.FeatureName
	}{
		{"ec2 instances/create", ec2Features, dc.CollectionInstances, dc.OpCreate, []dc.FeatureName{"metrics", "user_data", "firewalls", "authentication_key", "instance_count", "attach_snapshot"}},
		{"ec2 instances/index", ec2Features, dc.CollectionInstances, dc.OpIndex, nil},
		{"ec2 images, any op", ec2Features, dc.CollectionImages, "", []dc.FeatureName{"owner_id", "image_name", "image_description"}},
		{"ec2 images/index", ec2Features, dc.CollectionImages, dc.OpIndex, []dc.FeatureName{"owner_id"}},
		{"ec2 buckets/create", ec2Features, dc.CollectionBuckets, dc.OpCreate, []dc.FeatureName{"bucket_location"}},
		{"ec2 keys", ec2Features, dc.CollectionKeys, "", nil},
		{"mock instances/index", mock, dc.CollectionInstances, dc.OpIndex, []dc.FeatureName{"realm_filter"}},
		{"mock instances, any op", mock, dc.CollectionInstances, "", []dc.FeatureName{"metrics", "realm_filter", "user_name", "authentication_key"}},
		{"none advertised", nil, dc.CollectionInstances, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := featureNames(tt.fs.For(tt.c, tt.op))
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("For(%s, %q) (-want +got):\n%s", tt.c, tt.op, diff)
			}
		})
	}
}

func TestFeaturesLookup(t *testing.T) {
	tests := []struct {
		name   string
		lookup dc.FeatureName
		want   dc.Feature
		wantOK bool
	}{
		{"advertised", dc.FeatureAttachSnapshot, dc.Feature{Name: "attach_snapshot", Collection: dc.CollectionInstances, Operation: dc.OpCreate, Params: []string{"snapshot_id", "device_name"}}, true},
		{"advertised index", dc.FeatureOwnerID, dc.Feature{Name: "owner_id", Collection: dc.CollectionImages, Operation: dc.OpIndex, Params: []string{"owner_id"}}, true},
		{"standard but not advertised", dc.FeatureUserName, dc.Feature{}, false},
		{"unknown", "first_boot_dev", dc.Feature{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ec2Features.Lookup(tt.lookup)
			if ok != tt.wantOK {
				t.Fatalf("Lookup(%q) ok = %t, want %t", tt.lookup, ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Lookup(%q) (-want +got):\n%s", tt.lookup, diff)
			}
			if has := ec2Features.Has(tt.lookup); has != tt.wantOK {
				t.Errorf("Has(%q) = %t, want %t", tt.lookup, has, tt.wantOK)
			}
		})
	}
}

func TestWithConstraint(t *testing.T) {
	gogrid := dc.MustFeatures(dc.FeatureUserName, dc.FeatureAuthenticationPassword, dc.FeatureSandboxing)
	before := dc.MustFeatures(dc.FeatureUserName, dc.FeatureAuthenticationPassword, dc.FeatureSandboxing)

	limited := gogrid.WithConstraint(dc.FeatureUserName, "max_length", "20")
	if diff := cmp.Diff(before, gogrid); diff != "" {
		t.Errorf("WithConstraint mutated the original (-before +after):\n%s", diff)
	}
	wantLimited := dc.Features{
		{Name: "user_name", Collection: dc.CollectionInstances, Operation: dc.OpCreate, Params: []string{"name"}, Constraints: map[string]string{"max_length": "20"}},
		{Name: "authentication_password", Collection: dc.CollectionInstances, Operation: dc.OpCreate, Params: []string{"password"}},
		{Name: "sandboxing", Collection: dc.CollectionInstances, Operation: dc.OpCreate, Params: []string{"sandbox"}},
	}
	if diff := cmp.Diff(wantLimited, limited); diff != "" {
		t.Errorf("WithConstraint (-want +got):\n%s", diff)
	}

	// Constraining the copy again leaves the first copy alone.
	relimited := limited.WithConstraint(dc.FeatureUserName, "max_length", "50").
		WithConstraint(dc.FeatureUserName, "pattern", "[a-z]+")
	if got := limited[0].Constraints; !cmp.Equal(got, map[string]string{"max_length": "20"}) {
		t.Errorf("first copy's constraints after constraining the second = %v", got)
	}
	if got := relimited[0].Constraints; !cmp.Equal(got, map[string]string{"max_length": "50", "pattern": "[a-z]+"}) {
		t.Errorf("second copy's constraints = %v", got)
	}

	// The copy's slices are its own.
	limited[0].Params[0] = "mutated"
	if gogrid[0].Params[0] != "name" {
		t.Errorf("mutating the copy's params changed the original: %v", gogrid[0].Params)
	}

	// A feature that is not advertised is not added.
	if diff := cmp.Diff(before, gogrid.WithConstraint(dc.FeatureUserData, "max_length", "1")); diff != "" {
		t.Errorf("WithConstraint on an absent feature changed the list (-want +got):\n%s", diff)
	}
}
