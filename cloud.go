// Package deltacloud gives programs one model of infrastructure clouds:
// realms, hardware profiles, images and instances, with an instance lifecycle
// state machine and feature discovery, the same on every cloud.
//
// Programs import a driver for its side effect and open a provider by name,
// as with database/sql:
//
//	import (
//		"github.com/deltacloud-go/deltacloud"
//		_ "github.com/deltacloud-go/deltacloud/drivers/mock"
//	)
//
//	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{
//		Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"},
//	})
//
// The *Provider checks every request before the driver sees it (features,
// hardware profile values, lifecycle state), normalises errors into *Error
// with a Code, and adds waiting and watching on top of any driver.
package deltacloud

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

var (
	registryMu sync.RWMutex
	registry   = map[string]Driver{}
)

// Register makes a driver available under name. Drivers call it from init.
// It panics if d is nil or the name is taken, since either is a programming
// error that should fail at start-up.
func Register(name string, d Driver) {
	if d == nil {
		panic("deltacloud: Register driver is nil")
	}
	if name == "" {
		panic("deltacloud: Register with an empty name")
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	if _, dup := registry[name]; dup {
		panic("deltacloud: Register called twice for driver " + name)
	}
	registry[name] = d
}

// Drivers describes the registered drivers, sorted by name.
func Drivers() []DriverInfo {
	registryMu.RLock()
	defer registryMu.RUnlock()
	infos := make([]DriverInfo, 0, len(registry))
	for _, name := range slices.Sorted(maps.Keys(registry)) {
		info := registry[name].Info()
		info.Name = name
		infos = append(infos, info)
	}
	return infos
}

func lookupDriver(name string) (Driver, error) {
	registryMu.RLock()
	defer registryMu.RUnlock()
	d, ok := registry[name]
	if !ok {
		return nil, &UnknownDriverError{Name: name, Registered: slices.Sorted(maps.Keys(registry))}
	}
	return d, nil
}

// Credentials are Deltacloud's Basic-auth pair; what they mean is up to the
// driver (EC2: access key id and secret key). Empty credentials ask a real
// cloud's driver to use the host's ambient identity (its SDK's default
// chain: environment, config files, instance roles), unless
// Config.NoAmbientCredentials forbids it.
type Credentials struct {
	User     string
	Password string
}

// IsZero reports whether both the user and the password are empty.
func (c Credentials) IsZero() bool { return c.User == "" && c.Password == "" }

// String never prints the password, so credentials are safe to log.
func (c Credentials) String() string {
	if c.Password == "" {
		return c.User
	}
	return c.User + ":***"
}

// Config says how to open a provider.
type Config struct {
	// Provider selects where within the cloud: a region, an endpoint URL, …
	// (driver-defined; empty for the driver's default).
	Provider    string
	Credentials Credentials
	// NoAmbientCredentials restricts the driver to Credentials: it never
	// falls back to an identity of the host it runs on (environment
	// variables, credential files, instance metadata endpoints, managed
	// identities, nor user information embedded in Provider). With it and
	// empty Credentials, every call that needs credentials fails with
	// ErrAuthFailure: a real cloud's driver fails before anything is sent,
	// and serves only data it holds itself (such as a static catalogue); a
	// driver whose endpoint serves some data anonymously (a remote
	// Deltacloud server) sends requests without credentials, and the
	// endpoint's refusal is the ErrAuthFailure. A server acting for
	// others sets it, so that a request acts only with the credentials it
	// carries; a program opening its own providers usually leaves it unset.
	NoAmbientCredentials bool
	// HTTPClient is used by drivers that speak HTTP; nil means the driver's
	// default.
	HTTPClient *http.Client
	// Logger receives one debug record per driver call; nil means
	// slog.Default().
	Logger *slog.Logger
	// Options are driver-specific settings, documented by each driver.
	Options map[string]string
	// PollInterval is the first delay between polls in WaitFor (default 1s);
	// it grows up to MaxPollInterval (default 15s).
	PollInterval    time.Duration
	MaxPollInterval time.Duration
}

// Provider is an opened cloud: the portable API users hold. It is safe for
// concurrent use. Every method checks its arguments and the provider's
// advertised features before calling the driver, and returns errors as
// *Error.
type Provider struct {
	driver    string
	cfg       Config
	conn      Conn
	log       *slog.Logger
	lifecycle *StateMachine
	// collections and features are fixed at Open: what the driver
	// implements, narrowed by what its cloud reports.
	collections []Collection
	features    Features
	closed      atomic.Bool
}

// Open opens a provider of the named driver. The context bounds the opening
// only, not the provider's lifetime.
func Open(ctx context.Context, driver string, cfg Config) (*Provider, error) {
	d, err := lookupDriver(driver)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, &Error{Code: ctxCode(err), Op: "Open", Driver: driver, Provider: RedactProvider(cfg.Provider), Err: err}
	}
	conn, err := d.Open(ctx, cfg)
	if err != nil {
		e := normalize(nil, "Open", "", err).(*Error)
		if cerr := ctx.Err(); cerr != nil && errors.Is(e, cerr) {
			e.Code = ctxCode(cerr)
		}
		e.Driver, e.Provider = driver, RedactProvider(cfg.Provider)
		return nil, e
	}
	lc := conn.Lifecycle()
	if lc == nil {
		conn.Close()
		return nil, &Error{Code: Backend, Op: "Open", Driver: driver, Provider: RedactProvider(cfg.Provider),
			Message: fmt.Sprintf("driver %s has no lifecycle state machine", driver)}
	}
	log := cfg.Logger
	if log == nil {
		log = slog.Default()
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Second
	}
	if cfg.MaxPollInterval < cfg.PollInterval {
		cfg.MaxPollInterval = max(15*time.Second, cfg.PollInterval)
	}
	colls := collectionsOf(conn)
	// A feature of a collection the provider does not serve could never be
	// used; advertising it would mislead clients.
	feats := slices.DeleteFunc(conn.Features().Clone(), func(f Feature) bool {
		return !slices.Contains(colls, f.Collection)
	})
	return &Provider{
		driver:      driver,
		cfg:         cfg,
		conn:        conn,
		log:         log.With("driver", driver),
		lifecycle:   lc,
		collections: colls,
		features:    feats,
	}, nil
}

// Driver returns the name the provider was opened with.
func (p *Provider) Driver() string { return p.driver }

// Name returns the Config.Provider value the provider was opened with.
func (p *Provider) Name() string { return p.cfg.Provider }

// Lifecycle returns the driver's instance state machine.
func (p *Provider) Lifecycle() *StateMachine { return p.lifecycle }

// Features returns what the provider advertises.
func (p *Provider) Features() Features { return p.features.Clone() }

// Collections lists the collections the provider serves, in the order the
// Deltacloud entry point lists them (alphabetical): the core ones, and each
// optional one whose interface the driver implements (KeyConn, …). Drivers
// that know their collections only at run time (CollectionLister) narrow
// them.
func (p *Provider) Collections() []Collection { return slices.Clone(p.collections) }

func collectionsOf(conn Conn) []Collection {
	cs := []Collection{
		CollectionDrivers, CollectionHardwareProfiles, CollectionImages,
		CollectionInstanceStates, CollectionInstances, CollectionRealms,
	}
	for _, o := range optionalCollections {
		if o.has(conn) {
			cs = append(cs, o.c)
		}
	}
	if l, ok := conn.(CollectionLister); ok {
		has := l.Collections()
		cs = slices.DeleteFunc(cs, func(c Collection) bool {
			return c != CollectionDrivers && !slices.Contains(has, c)
		})
	}
	slices.Sort(cs)
	return cs
}

// As hands the driver's native client to target (e.g. **ec2.Client), for
// what the portable model lacks. It reports whether the driver filled it.
func (p *Provider) As(target any) bool {
	a, ok := p.conn.(Aser)
	return ok && a.As(target)
}

// Ping checks that the cloud is reachable and accepts the provider's
// credentials, with one cheap authenticated request (the driver's Pinger,
// or a listing of realms). Open succeeds with bad credentials on most
// drivers, because much of a cloud's model can be served without them; a
// program that wants to fail early, or a health check, calls Ping. Rejected
// credentials are ErrAuthFailure; an unreachable cloud is ErrUnavailable or
// ErrBackend, as for any call.
func (p *Provider) Ping(ctx context.Context) error {
	return p.call(ctx, "Ping", "", func() error {
		if pg, ok := p.conn.(Pinger); ok {
			return pg.Ping(ctx)
		}
		_, err := p.conn.Realms(ctx)
		return err
	})
}

// Close releases the driver's resources. Calls after Close fail with
// ErrInvalidState; a second Close is a no-op.
func (p *Provider) Close() error {
	if p.closed.Swap(true) {
		return nil
	}
	if err := p.conn.Close(); err != nil {
		return p.label(normalize(p.conn, "Close", "", err).(*Error))
	}
	return nil
}

// call runs one driver call: it refuses on a closed provider or a done
// context, normalises the error, labels it with the driver and provider,
// and logs the call.
func (p *Provider) call(ctx context.Context, op, id string, fn func() error) error {
	if p.closed.Load() {
		return p.label(&Error{Code: InvalidState, Op: op, ID: id, Message: "provider is closed"})
	}
	if err := ctx.Err(); err != nil {
		return p.label(&Error{Code: ctxCode(err), Op: op, ID: id, Err: err})
	}
	start := time.Now()
	err := fn()
	if err != nil {
		err = normalize(p.conn, op, id, err)
		if cerr := ctx.Err(); cerr != nil && CodeOf(err) != ctxCode(cerr) {
			// The context ended mid-call: say so, keeping the driver's
			// error. A driver that classified the end of the context as
			// a Timeout is relabelled when the caller cancelled.
			e := err.(*Error)
			if errors.Is(e, cerr) {
				e.Code = ctxCode(cerr)
			} else {
				err = &Error{Code: ctxCode(cerr), Op: op, ID: id, Err: &interrupted{ctx: cerr, err: err}}
			}
		}
		err = p.label(err.(*Error))
	}
	p.log.LogAttrs(ctx, slog.LevelDebug, "deltacloud call",
		slog.String("op", op), slog.String("id", id),
		slog.Duration("took", time.Since(start)), slog.Any("err", err))
	return err
}

// label fills in the driver and the (redacted) provider of an error the
// Provider returns.
func (p *Provider) label(e *Error) *Error {
	e.Driver = p.driver
	e.Provider = RedactProvider(p.cfg.Provider)
	return e
}

// ctxCode is the code of a context's error: Canceled when the caller
// cancelled, Timeout when a deadline passed.
func ctxCode(err error) Code {
	if errors.Is(err, context.Canceled) {
		return Canceled
	}
	return Timeout
}

// interrupted is a driver's error that happened because the context ended:
// both stay reachable with errors.Is and errors.As.
type interrupted struct {
	ctx error
	err error
}

func (e *interrupted) Error() string   { return e.ctx.Error() + ": " + e.err.Error() }
func (e *interrupted) Unwrap() []error { return []error{e.ctx, e.err} }

// normalize turns any error into an *Error with Op (and ID) set, keeping the
// original in the chain. It always returns an *Error.
func normalize(conn Conn, op, id string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		if e.Op != "" && e.Op != op {
			return &Error{Code: e.Code, Op: op, ID: id, State: e.State, RetryAfter: e.RetryAfter, Err: err}
		}
		out := *e
		out.Op = op
		if out.ID == "" {
			out.ID = id
		}
		return &out
	}
	code := CodeOf(err)
	if code == CodeUnknown {
		if c, ok := conn.(ErrorCoder); ok {
			code = c.ErrorCode(err)
		}
	}
	if code == CodeUnknown {
		code = Backend
	}
	return &Error{Code: code, Op: op, ID: id, Err: err}
}

// argErr builds an InvalidArgument error for op.
func argErr(op, format string, args ...any) error {
	return &Error{Code: InvalidArgument, Op: op, Message: fmt.Sprintf(format, args...)}
}

// unsupported builds the NotSupported error for a parameter whose feature the
// provider does not advertise.
func (p *Provider) unsupported(op, param string, feature FeatureName) error {
	return &Error{Code: NotSupported, Op: op,
		Message: fmt.Sprintf("parameter %s needs the %s feature, which driver %s does not advertise", param, feature, p.driver)}
}
