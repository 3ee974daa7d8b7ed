package deltacloud

import (
	"fmt"
	"slices"
)

// Collection names a kind of resource, as the Deltacloud API's entry point
// lists it ("instances", "realms", …).
type Collection string

// The collections of the Deltacloud API.
const (
	CollectionDrivers          Collection = "drivers"
	CollectionRealms           Collection = "realms"
	CollectionHardwareProfiles Collection = "hardware_profiles"
	CollectionImages           Collection = "images"
	CollectionInstances        Collection = "instances"
	CollectionInstanceStates   Collection = "instance_states"
	CollectionKeys             Collection = "keys"
	CollectionFirewalls        Collection = "firewalls"
	CollectionAddresses        Collection = "addresses"
	CollectionStorageVolumes   Collection = "storage_volumes"
	CollectionStorageSnapshots Collection = "storage_snapshots"
	CollectionBuckets          Collection = "buckets"
	CollectionLoadBalancers    Collection = "load_balancers"
	CollectionMetrics          Collection = "metrics"
)

// Operation names what is done to a collection; features extend operations.
type Operation string

// The operations that features extend.
const (
	OpIndex  Operation = "index"
	OpCreate Operation = "create"
)

// FeatureName names a feature, as the Deltacloud API's entry point lists it
// ("user_name"). It is a type of its own so that Features.Has and friends
// take the Feature* constants, and a collection or parameter name passed by
// mistake does not compile.
type FeatureName string

// String returns the name as the API spells it.
func (n FeatureName) String() string { return string(n) }

// The canonical feature names.
const (
	FeatureOwnerID                FeatureName = "owner_id"
	FeatureImageName                          = "image_name"
	FeatureImageDescription                   = "image_description"
	FeatureBucketLocation                     = "bucket_location"
	FeatureMetrics                            = "metrics"
	FeatureRealmFilter                        = "realm_filter"
	FeatureUserName                           = "user_name"
	FeatureUserData                           = "user_data"
	FeatureUserFiles                          = "user_files"
	FeatureUserISO                            = "user_iso"
	FeatureFirewalls                          = "firewalls"
	FeatureAuthenticationKey                  = "authentication_key"
	FeatureAuthenticationPassword             = "authentication_password"
	FeatureRegisterLoadBalancer               = "register_to_load_balancer"
	FeatureInstanceCount                      = "instance_count"
	FeatureAttachSnapshot                     = "attach_snapshot"
	FeatureSandboxing                         = "sandboxing"
	FeatureImportKey                          = "import_key"
	FeatureVolumeName                         = "volume_name"
	FeatureVolumeDescription                  = "volume_description"
)

// Feature is an optional capability that adds parameters to one operation of
// one collection, e.g. user_name adds "name" to instances/create. Providers
// advertise the features they honour; the portable layer rejects parameters
// of features that are not advertised.
type Feature struct {
	Name       FeatureName
	Collection Collection
	Operation  Operation
	// Params are the request parameters the feature adds, by their REST names.
	Params []string
	// Constraints are driver limits such as {"max_length": "20"}.
	Constraints map[string]string
}

// standardFeatures is the original server's table of features, in the frontend's definition order,
// which is also the order features are advertised in.
var standardFeatures = []Feature{
	{Name: FeatureOwnerID, Collection: CollectionImages, Operation: OpIndex, Params: []string{"owner_id"}},
	{Name: FeatureImageName, Collection: CollectionImages, Operation: OpCreate, Params: []string{"name"}},
	{Name: FeatureImageDescription, Collection: CollectionImages, Operation: OpCreate, Params: []string{"description"}},
	{Name: FeatureBucketLocation, Collection: CollectionBuckets, Operation: OpCreate, Params: []string{"location"}},
	{Name: FeatureMetrics, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"metrics"}},
	{Name: FeatureRealmFilter, Collection: CollectionInstances, Operation: OpIndex, Params: []string{"realm_id"}},
	{Name: FeatureUserName, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"name"}},
	{Name: FeatureUserData, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"user_data"}},
	{Name: FeatureUserFiles, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"user_files"}},
	{Name: FeatureUserISO, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"user_iso"}},
	{Name: FeatureFirewalls, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"firewalls"}},
	{Name: FeatureAuthenticationKey, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"keyname"}},
	{Name: FeatureAuthenticationPassword, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"password"}},
	{Name: FeatureRegisterLoadBalancer, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"load_balancer_id"}},
	{Name: FeatureInstanceCount, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"instance_count"}},
	{Name: FeatureAttachSnapshot, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"snapshot_id", "device_name"}},
	{Name: FeatureSandboxing, Collection: CollectionInstances, Operation: OpCreate, Params: []string{"sandbox"}},
	{Name: FeatureImportKey, Collection: CollectionKeys, Operation: OpCreate, Params: []string{"public_key"}},
	{Name: FeatureVolumeName, Collection: CollectionStorageVolumes, Operation: OpCreate, Params: []string{"name"}},
	{Name: FeatureVolumeDescription, Collection: CollectionStorageVolumes, Operation: OpCreate, Params: []string{"description"}},
}

// StandardFeature returns the definition of a canonical feature.
func StandardFeature(name FeatureName) (Feature, bool) {
	i := slices.IndexFunc(standardFeatures, func(f Feature) bool { return f.Name == name })
	if i < 0 {
		return Feature{}, false
	}
	return standardFeatures[i].clone(), true
}

// StandardFeatures returns every canonical feature in definition order.
func StandardFeatures() Features {
	fs := make(Features, len(standardFeatures))
	for i, f := range standardFeatures {
		fs[i] = f.clone()
	}
	return fs
}

func (f Feature) clone() Feature {
	f.Params = slices.Clone(f.Params)
	if f.Constraints != nil {
		c := make(map[string]string, len(f.Constraints))
		for k, v := range f.Constraints {
			c[k] = v
		}
		f.Constraints = c
	}
	return f
}

// Features is what a provider advertises, in canonical order.
type Features []Feature

// NewFeatures builds a feature list from canonical names, in canonical order.
// An unknown name is an error: a driver must not advertise what no client
// can discover.
func NewFeatures(names ...FeatureName) (Features, error) {
	var fs Features
	for _, def := range standardFeatures {
		if slices.Contains(names, def.Name) {
			fs = append(fs, def.clone())
		}
	}
	for _, n := range names {
		if _, ok := StandardFeature(n); !ok {
			return nil, fmt.Errorf("deltacloud: unknown feature %q", n)
		}
	}
	return fs, nil
}

// MustFeatures is NewFeatures for drivers' package-level declarations; it
// panics on an unknown name.
func MustFeatures(names ...FeatureName) Features {
	fs, err := NewFeatures(names...)
	if err != nil {
		panic(err)
	}
	return fs
}

// WithConstraint returns a copy of fs in which the named feature carries the
// constraint (e.g. user_name, "max_length", "20").
func (fs Features) WithConstraint(feature FeatureName, key, value string) Features {
	out := make(Features, len(fs))
	for i, f := range fs {
		out[i] = f.clone()
		if f.Name == feature {
			if out[i].Constraints == nil {
				out[i].Constraints = map[string]string{}
			}
			out[i].Constraints[key] = value
		}
	}
	return out
}

// Clone returns a deep copy, so callers can change it without affecting the
// provider's own list.
func (fs Features) Clone() Features {
	if fs == nil {
		return nil
	}
	out := make(Features, len(fs))
	for i, f := range fs {
		out[i] = f.clone()
	}
	return out
}

// Has reports whether the named feature is advertised.
func (fs Features) Has(name FeatureName) bool {
	return slices.ContainsFunc(fs, func(f Feature) bool { return f.Name == name })
}

// Lookup returns the named feature.
func (fs Features) Lookup(name FeatureName) (Feature, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f.clone(), true
		}
	}
	return Feature{}, false
}

// For returns the features of one collection, or of one of its operations
// when op is not empty.
func (fs Features) For(c Collection, op Operation) Features {
	var out Features
	for _, f := range fs {
		if f.Collection == c && (op == "" || f.Operation == op) {
			out = append(out, f)
		}
	}
	return out
}
