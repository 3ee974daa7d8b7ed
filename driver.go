package deltacloud

import "context"

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
	Name        string
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

// ErrorCoder is implemented by drivers whose native errors the Provider
// cannot classify by itself; errors already of type *Error need no coder.
type ErrorCoder interface {
	ErrorCode(err error) Code
}
