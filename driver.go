package deltacloud

import (
	"context"
	"io"
)

// Driver is what a cloud package registers: it describes itself and opens
// connections. Implementations must be safe for concurrent use.
type Driver interface {
	// Info describes the driver. Name is filled in by the registry.
	Info() DriverInfo
	// Open connects to one provider of the cloud. It should not fail for
	// bad credentials when the cloud can serve credential-free calls
	// (hardware profiles, lifecycle, features); those calls then answer
	// ErrAuthFailure.
	Open(ctx context.Context, cfg Config) (Conn, error)
}

// DriverInfo describes a registered driver.
type DriverInfo struct {
	// Name is the name the driver is registered and opened by ("ec2").
	Name string
	// Description is the driver's short display name, as the original
	// server's driver list showed it ("EC2", "Azure", "Mock"): clients find a
	// driver by it, lower-cased.
	Description string
	// Providers are the provider values the driver knows in advance (EC2
	// regions, …); a driver may accept others.
	Providers []ProviderInfo
}

// ProviderInfo is one known provider of a driver with its endpoints by kind
// (e.g. "ec2" → "ec2.us-west-1.amazonaws.com").
type ProviderInfo struct {
	ID          string
	Entrypoints map[string]string
}

// Conn is the core every driver implements: the minimum the portable layer
// needs. Everything common (validation, feature and state checks, filtering,
// error normalisation, waiting, watching) happens in Provider, so a Conn
// only maps the cloud's API onto these calls. Implementations must be safe
// for concurrent use and honour ctx.
type Conn interface {
	Realms(ctx context.Context) ([]Realm, error)
	HardwareProfiles(ctx context.Context) ([]HardwareProfile, error)
	// Images may use the filter to narrow the request; the Provider applies
	// it again, so a driver may also ignore it.
	Images(ctx context.Context, f ImageFilter) ([]Image, error)
	// Instances may use the filter like Images.
	Instances(ctx context.Context, f InstanceFilter) ([]Instance, error)
	// CreateInstances receives a spec the Provider has checked: the
	// features exist, the profile exists, Properties are valid canonical
	// overrides and Count ≥ 1.
	CreateInstances(ctx context.Context, spec InstanceSpec) ([]Instance, error)
	// Act performs an action the Provider has checked the instance allows.
	// For ActionDestroy the returned instance may be nil.
	Act(ctx context.Context, id string, a Action) (*Instance, error)
	// Lifecycle is the driver's instance state machine.
	Lifecycle() *StateMachine
	// Features lists what the driver honours.
	Features() Features
	Close() error
}

// RealmGetter is implemented by drivers that fetch one realm directly; the
// Provider otherwise searches the listing.
type RealmGetter interface {
	Realm(ctx context.Context, id string) (*Realm, error)
}

// ImageGetter is implemented by drivers that fetch one image directly.
type ImageGetter interface {
	Image(ctx context.Context, id string) (*Image, error)
}

// InstanceGetter is implemented by drivers that fetch one instance directly.
type InstanceGetter interface {
	Instance(ctx context.Context, id string) (*Instance, error)
}

// HardwareProfileGetter is implemented by drivers that fetch one hardware
// profile directly, so that Provider.HardwareProfile and the profile check of
// a create cost one small request instead of listing a catalogue that can
// run to many pages (EC2 has over a thousand instance types).
type HardwareProfileGetter interface {
	HardwareProfile(ctx context.Context, id string) (*HardwareProfile, error)
}

// The getters of the optional collections: a driver whose cloud can look one
// object up by id implements them beside the collection's interface, and
// Provider.Key, Firewall, Address, StorageVolume and StorageSnapshot use them
// instead of listing the whole collection. Each answers ErrNotFound for an id
// the cloud does not know.
type (
	// KeyGetter fetches one key.
	KeyGetter interface {
		Key(ctx context.Context, id string) (*Key, error)
	}
	// FirewallGetter fetches one firewall.
	FirewallGetter interface {
		Firewall(ctx context.Context, id string) (*Firewall, error)
	}
	// AddressGetter fetches one address.
	AddressGetter interface {
		Address(ctx context.Context, id string) (*IPAddress, error)
	}
	// StorageVolumeGetter fetches one storage volume.
	StorageVolumeGetter interface {
		StorageVolume(ctx context.Context, id string) (*StorageVolume, error)
	}
	// StorageSnapshotGetter fetches one storage snapshot.
	StorageSnapshotGetter interface {
		StorageSnapshot(ctx context.Context, id string) (*StorageSnapshot, error)
	}
)

// CollectionLister is implemented by drivers whose collections depend on
// the cloud, such as a remote Deltacloud server; Provider.Collections then
// lists only what both the cloud and the Provider serve.
type CollectionLister interface {
	Collections() []Collection
}

// Aser is implemented by drivers that hand out their native client through
// Provider.As, following gocloud.dev's escape hatch.
type Aser interface {
	As(target any) bool
}

// Pinger is implemented by drivers that can check cheaply that the cloud is
// reachable and accepts the credentials, with the smallest authenticated
// request the cloud has. Open does not need to check credentials (see
// Driver.Open), so Provider.Ping is how a program finds a bad secret before
// its first real call. Provider.Ping lists realms for drivers without it.
type Pinger interface {
	// Ping returns nil when an authenticated request succeeded; rejected
	// credentials are ErrAuthFailure.
	Ping(ctx context.Context) error
}

// ErrorCoder is implemented by drivers whose native errors the Provider
// cannot classify by itself; errors already of type *Error need no coder.
type ErrorCoder interface {
	ErrorCode(err error) Code
}

// The optional collections: a driver implements the interface of each
// collection its cloud has; Provider.Collections lists exactly those, and the
// Provider answers ErrNotSupported for the others. The Provider checks
// arguments, features and states before calling them.

// KeyConn is implemented by drivers that serve the keys collection.
type KeyConn interface {
	Keys(ctx context.Context) ([]Key, error)
	// CreateKey receives a spec with a non-empty name and a public key only
	// when the driver advertises import_key. A taken name is ErrConflict.
	CreateKey(ctx context.Context, spec KeySpec) (*Key, error)
	DestroyKey(ctx context.Context, id string) error
}

// FirewallConn is implemented by drivers that serve the firewalls
// collection.
type FirewallConn interface {
	Firewalls(ctx context.Context) ([]Firewall, error)
	CreateFirewall(ctx context.Context, spec FirewallSpec) (*Firewall, error)
	DestroyFirewall(ctx context.Context, id string) error
	// AddFirewallRule receives a checked rule (known protocol, valid ports,
	// at least one well-formed source) and returns the updated firewall.
	AddFirewallRule(ctx context.Context, firewallID string, rule FirewallRuleSpec) (*Firewall, error)
	DeleteFirewallRule(ctx context.Context, firewallID, ruleID string) error
}

// AddressConn is implemented by drivers that serve the addresses
// collection. The Provider checks states before the calls that need them:
// destroy and associate only a free address, disassociate only an
// associated one, associate only with an existing instance.
type AddressConn interface {
	Addresses(ctx context.Context) ([]IPAddress, error)
	CreateAddress(ctx context.Context) (*IPAddress, error)
	DestroyAddress(ctx context.Context, id string) error
	AssociateAddress(ctx context.Context, id, instanceID string) error
	DisassociateAddress(ctx context.Context, id string) error
}

// VolumeConn is implemented by drivers that serve the storage_volumes
// collection. The Provider checks states before the calls: attach only an
// available volume to an existing instance, detach only an attached volume,
// destroy only a detached one. A driver that allows attaching only in some
// instance states returns ErrInvalidState itself.
type VolumeConn interface {
	StorageVolumes(ctx context.Context) ([]StorageVolume, error)
	CreateStorageVolume(ctx context.Context, spec StorageVolumeSpec) (*StorageVolume, error)
	DestroyStorageVolume(ctx context.Context, id string) error
	AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*StorageVolume, error)
	DetachStorageVolume(ctx context.Context, id string) (*StorageVolume, error)
}

// SnapshotConn is implemented by drivers that serve the storage_snapshots
// collection.
type SnapshotConn interface {
	StorageSnapshots(ctx context.Context) ([]StorageSnapshot, error)
	// CreateStorageSnapshot receives a spec whose volume exists.
	CreateStorageSnapshot(ctx context.Context, spec StorageSnapshotSpec) (*StorageSnapshot, error)
	DestroyStorageSnapshot(ctx context.Context, id string) error
}

// BucketConn is implemented by drivers that serve the buckets collection
// and its blobs. Blob content is streamed both ways: a driver must never
// need a whole blob in memory, and must not keep a partial blob when the
// content reader fails or the context ends mid-upload.
type BucketConn interface {
	Buckets(ctx context.Context) ([]Bucket, error)
	// Bucket returns one bucket with its blob ids.
	Bucket(ctx context.Context, id string) (*Bucket, error)
	CreateBucket(ctx context.Context, spec BucketSpec) (*Bucket, error)
	// DestroyBucket deletes an empty bucket; a non-empty one is
	// ErrInvalidState.
	DestroyBucket(ctx context.Context, id string) error
	// Blob returns a blob's attributes and metadata.
	Blob(ctx context.Context, bucketID, blobID string) (*Blob, error)
	// BlobContent opens a blob's content; the caller closes it.
	BlobContent(ctx context.Context, bucketID, blobID string) (*Blob, io.ReadCloser, error)
	// PutBlob creates or replaces a blob with the content read until EOF.
	PutBlob(ctx context.Context, bucketID string, spec BlobSpec, content io.Reader) (*Blob, error)
	DestroyBlob(ctx context.Context, bucketID, blobID string) error
	// SetBlobMetadata replaces a blob's user metadata.
	SetBlobMetadata(ctx context.Context, bucketID, blobID string, meta map[string]string) (*Blob, error)
}

// MetricConn is implemented by drivers that serve the metrics collection.
type MetricConn interface {
	// Metrics lists one metric per visible instance, without samples.
	Metrics(ctx context.Context) ([]Metric, error)
	// Metric returns one instance's metric with its samples.
	Metric(ctx context.Context, id string) (*Metric, error)
}

// ImageCreator is implemented by drivers that make images from instances.
type ImageCreator interface {
	// CreateImage receives a spec whose instance exists and allows it.
	CreateImage(ctx context.Context, spec ImageSpec) (*Image, error)
}

// ImageDestroyer is implemented by drivers that delete images.
type ImageDestroyer interface {
	DestroyImage(ctx context.Context, id string) error
}
