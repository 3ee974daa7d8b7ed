// Package hetzner is the Hetzner Cloud driver, registered as "hetzner",
// built on github.com/hetznercloud/hcloud-go/v2. It serves the core
// collections — realms (locations), hardware profiles (server types),
// images (system images and snapshots) and instances (servers) — and the
// optional ones the cloud has: keys (SSH keys), firewalls, addresses
// (floating IPs), storage volumes (volumes), metrics (server metrics) and
// images made from instances (snapshots).
//
// # Credentials and provider
//
//	Credentials.Password  the project's API token (read & write)
//	Credentials.User      ignored (any value; the REST API's Basic user)
//	Config.Provider       a location name ("fsn1", "nbg1", "hel1", "ash",
//	                      "hil", "sin", …) used when a create names no
//	                      realm; empty means DefaultLocation
//
// With an empty token the driver reads HCLOUD_TOKEN from the environment,
// as the hcloud CLI does — unless Config.NoAmbientCredentials is set (the
// REST handler sets it for every request): then every call that needs the
// API fails with deltacloud.ErrAuthFailure before a request is sent.
// Config.HTTPClient carries every request when set.
//
// # Options (Config.Options)
//
//	endpoint       the API endpoint URL (default https://api.hetzner.cloud/v1),
//	               for tests and proxies. It is an operator's setting: the
//	               REST handler takes options only from its own
//	               DriverOptions, so a request cannot send the token elsewhere
//	owner          the value of the ownership label "deltacloud-owner"
//	               (default "deltacloud")
//	stop           "shutdown" (default: an ACPI shutdown, then a power-off if
//	               the server is still running after stop_timeout) or
//	               "poweroff" (cut the power at once)
//	stop_timeout   how long stop waits for an ACPI shutdown (Go duration,
//	               default 2m)
//	poll_interval  delay between polls of a running action (default 500ms)
//	max_retries    how many times hcloud-go retries a request the API
//	               answered rate_limit_exceeded, conflict, bad_gateway or
//	               timeout (default 5, with exponential backoff from 1s;
//	               0 for none)
//	server_types_ttl  how long the provider keeps the server types (Go
//	               duration, default 1h; 0 reads them on every use)
//
// # Mapping
//
// Realms are the locations, by name, all AVAILABLE. (Datacenters were
// deprecated by Hetzner and are no longer served after 2026-10-01; servers
// are placed by location.)
//
// Hardware profiles are the server types, by name ("cx23", "cax11", …),
// with fixed cpu (cores), memory (the API's GB are GiB, given in MiB),
// storage (the local disk in the API's GB) and architecture ("x86_64" for
// x86, "arm64" for arm). Deprecated types are left out, and so are types
// offered in no location. A create checks that its type is offered in its
// location (ErrInvalidArgument naming where it is) and that the image's
// architecture matches; without a profile the smallest type of the image's
// architecture offered in the location is taken.
//
// Images are the system images and the project's snapshots, by numeric id,
// named by their name ("ubuntu-24.04"; a snapshot by its deltacloud name
// label, or its description), with the architecture in the profiles'
// words, owner "hetzner" for system images and the ownership label's value
// for snapshots, RootType persistent, and the ids of the profiles of that
// architecture. CreateImage makes a snapshot of a server (image_name as a
// label, image_description as the snapshot's description) and waits until
// it is available; DestroyImage deletes only snapshots carrying the
// ownership label (others are ErrNotFound).
//
// Instances are the servers carrying the ownership label, by numeric id;
// every other server is invisible (ErrNotFound). The server name is the
// requested name (user_name, a host name label of at most 56 characters)
// plus a random suffix, "deltacloud-<random>" without one, since server
// names are unique in a project; the requested name is kept in the label
// "deltacloud-name" and shown as Instance.Name. Create sends the image,
// server type, location, SSH key (keyname: the name of any SSH key of the
// project), user data (cloud-init, at most 32 KiB), firewalls (ids of the
// provider's firewalls) and the labels — the ownership label, the driver's
// own, and InstanceSpec.Tags, which must be valid Hetzner labels (keys of
// at most 63 characters after an optional DNS prefix, values of at most
// 63, of letters, digits, '-', '_' and '.'; keys starting "deltacloud-"
// are the driver's own) — and waits for the create action. A server
// created without a key gets a root password, which the created instance's
// Authentication carries once. If anything fails or the context ends, the
// server is deleted again, so a failed create leaves nothing: at once after
// a failure; after a cancellation in the background (Close waits for it),
// and when the create request itself was cut off, by looking its unique
// name up a few times (at poll_interval, doubling), since the API may still
// make the server. Tags show on Instance.Tags (the labels that are not the
// driver's), and InstanceFilter.TagKey is sent as a label selector. DryRun
// resolves a create (image, type, location, key, firewalls) and shows the
// request without sending it. Public addresses are
// the server's primary IPv4 and the first address of its IPv6 /64 (…::1);
// private ones its private network addresses; StorageVolumes its volumes
// at their /dev/disk/by-id device. Actions are awaited: each returns when
// the API's action has succeeded (a failed action is its error), polled
// every poll_interval, and a cancelled context stops the wait.
//
// Keys are the SSH keys carrying the ownership label, by name (a taken
// name or an already uploaded key is ErrConflict). CreateKey without a
// public key generates an ed25519 pair on the caller's side, uploads the
// public half and returns the OpenSSH private key once.
//
// Firewalls are the firewalls carrying the ownership label, by numeric id;
// the description is kept in labels (see textLabels). Rules are the
// firewall's inbound rules of tcp, udp or icmp; a rule's id is a digest of
// what it allows. AddFirewallRule and DeleteFirewallRule set the whole
// rule list (set_rules) and wait for it. ICMP types and codes and group
// sources are ErrNotSupported; a firewall applied to servers cannot be
// deleted (ErrInvalidState).
//
// Addresses are floating IPv4 addresses carrying the ownership label, by
// numeric id, created in the provider's location; associate assigns one to
// a server (in the same network zone) and disassociate unassigns it. They
// are Hetzner's floating IPs rather than its primary IPs: a floating IP is
// assigned and unassigned while the server runs and adds an address, as
// the model's addresses do, where a primary IP can only move to a server
// that is off and has none of its kind.
//
// Storage volumes are the volumes carrying the ownership label, by numeric
// id: name (volume_name; "vol-<random>" without one), description
// (volume_description, in labels), capacity in GB (Hetzner's are GiB; at
// least 10), the location as realm, Kind "volume". Attach ignores the
// device asked for: Hetzner names it, /dev/disk/by-id/scsi-0HC_Volume_<id>.
// A volume and its server must be in one location.
//
// Metrics are those of the instances: cpu (percent), disk (iops and
// bandwidth, read and write) and network (packets and bandwidth, in and
// out), the last hour in one-minute samples, each sample one value (its
// average, minimum and maximum alike).
//
// Every create leaves nothing when it fails or its context ends: a volume
// or snapshot whose action fails is deleted, and the object of a create
// request cut off by the context (a volume, key, firewall or floating IP
// by its unique name, a snapshot by its "deltacloud-create" label) is
// looked up and deleted in the background, once its action has ended.
//
// Not served: storage snapshots (Hetzner's snapshots are images of whole
// servers, served as images; volumes cannot be snapshotted), buckets
// (Hetzner's object storage is an S3 service outside this API), client
// tokens and instance counts.
//
// # Errors
//
// The API's error codes map onto deltacloud codes ([CodeFor]); the
// hcloud.Error (or, for a failed action, hcloud.ActionError) stays
// reachable with errors.As:
//
//	not_found, firewall_resource_not_found                   NotFound
//	unauthorized, no token                                   AuthFailure
//	forbidden, protected, resource_limit_exceeded,
//	  resource_locked                                        Forbidden
//	invalid_input, json_error, invalid_server_type,
//	  unsupported_error, networks_overlap                    InvalidArgument
//	locked, server_not_stopped, volume_already_attached,
//	  server_already_attached, resource_in_use,
//	  firewall_already_applied, primary_ip_assigned          InvalidState
//	uniqueness_error, conflict                               Conflict
//	rate_limit_exceeded                                      RateLimited
//	resource_unavailable, no_space_left_in_location,
//	  placement_error, maintenance, robot_unavailable,
//	  bad_gateway                                            Unavailable
//	timeout                                                  Timeout
//	deprecated_api_endpoint                                  NotSupported
//	service_error, server_error, unknown_error,
//	  a failed action's other codes                          Backend
//
// Another code is classified by its HTTP status (see CodeFor). A
// RateLimited error carries RetryAfter from the RateLimit-Limit and
// RateLimit-Reset headers ([RetryAfter]); hcloud-go has already retried it
// max_retries times.
//
// Provider.As hands out the **hcloud.Client.
package hetzner

import (
	"context"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// The labels the driver reads and writes.
const (
	// LabelOwner marks what a provider manages; its value is the owner
	// option.
	LabelOwner = "deltacloud-owner"
	// LabelName keeps the instance or image name the user asked for.
	LabelName = "deltacloud-name"
	// LabelKeyName keeps the keyname an instance was created with.
	LabelKeyName = "deltacloud-keyname"
	// LabelDescription keeps a firewall's or volume's description.
	LabelDescription = "deltacloud-description"
	// LabelCreate marks a snapshot with a random value of the create that
	// made it, so that a create cut off mid-request finds what the API
	// may have made anyway.
	LabelCreate = "deltacloud-create"
)

// Defaults of the options.
const (
	DefaultOwner          = "deltacloud"
	DefaultLocation       = "fsn1"
	DefaultStopTimeout    = 2 * time.Minute
	DefaultPollInterval   = 500 * time.Millisecond
	DefaultMaxRetries     = 5
	DefaultServerTypesTTL = time.Hour
)

// maxNameLen is the longest instance name: a server name is a host name
// label of at most 63 characters, and the driver adds "-" and 6 characters.
const maxNameLen = 56

func init() { deltacloud.Register("hetzner", driver{}) }

type driver struct{}

// locations are the providers listed by Info (the driver list must not
// call the API); others are accepted too.
var locations = []string{"fsn1", "nbg1", "hel1", "ash", "hil", "sin"}

func (driver) Info() deltacloud.DriverInfo {
	ps := make([]deltacloud.ProviderInfo, len(locations))
	for i, l := range locations {
		ps[i] = deltacloud.ProviderInfo{ID: l, Entrypoints: map[string]string{"compute": hcloud.Endpoint}}
	}
	return deltacloud.DriverInfo{Description: "Hetzner", Providers: ps}
}

// options are the parsed Config.Options.
type options struct {
	endpoint     string
	owner        string
	powerOff     bool
	stopTimeout  time.Duration
	pollInterval time.Duration
	maxRetries   int
	typesTTL     time.Duration
}

const knownOptions = "endpoint, owner, stop, stop_timeout, poll_interval, max_retries, server_types_ttl"

func parseOptions(m map[string]string) (options, error) {
	o := options{owner: DefaultOwner, stopTimeout: DefaultStopTimeout, pollInterval: DefaultPollInterval,
		maxRetries: DefaultMaxRetries, typesTTL: DefaultServerTypesTTL}
	duration := func(k, v string, zero bool) (time.Duration, error) {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 || (d == 0 && !zero) || d > 24*time.Hour {
			return 0, invalid("option %s=%q: want a positive Go duration such as 30s", k, v)
		}
		return d, nil
	}
	var err error
	for k, v := range m {
		v = strings.TrimSpace(v)
		switch k {
		case "endpoint":
			if !strings.HasPrefix(v, "http://") && !strings.HasPrefix(v, "https://") {
				return o, invalid("option endpoint=%q: want an http(s) URL", v)
			}
			o.endpoint = strings.TrimRight(v, "/")
		case "owner":
			if !labelText(v) {
				return o, invalid("option owner=%q: want 1-63 letters, digits, '-', '_' or '.', alphanumeric at both ends", v)
			}
			o.owner = v
		case "stop":
			switch v {
			case "shutdown":
				o.powerOff = false
			case "poweroff":
				o.powerOff = true
			default:
				return o, invalid("option stop=%q: want shutdown or poweroff", v)
			}
		case "stop_timeout":
			if o.stopTimeout, err = duration(k, v, false); err != nil {
				return o, err
			}
		case "poll_interval":
			if o.pollInterval, err = duration(k, v, false); err != nil {
				return o, err
			}
		case "server_types_ttl":
			if o.typesTTL, err = duration(k, v, true); err != nil {
				return o, err
			}
		case "max_retries":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100 {
				return o, invalid("option max_retries=%q: want an integer from 0 to 100", v)
			}
			o.maxRetries = n
		default:
			return o, invalid("unknown option %q (known: %s)", k, knownOptions)
		}
	}
	return o, nil
}

// Open builds the client; it does not call the API.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	loc := strings.TrimSpace(cfg.Provider)
	if loc == "" {
		loc = DefaultLocation
	}
	if !labelText(loc) || strings.ContainsAny(loc, "_.") {
		return nil, invalid("provider %q: want a location name such as fsn1", cfg.Provider)
	}
	token := cfg.Credentials.Password
	if token == "" && !cfg.NoAmbientCredentials {
		token = os.Getenv("HCLOUD_TOKEN")
	}
	copts := []hcloud.ClientOption{
		hcloud.WithToken(token),
		hcloud.WithApplication("deltacloud-go", ""),
		hcloud.WithPollOpts(hcloud.PollOpts{BackoffFunc: hcloud.ConstantBackoff(o.pollInterval)}),
		hcloud.WithRetryOpts(hcloud.RetryOpts{MaxRetries: o.maxRetries}),
	}
	if o.endpoint != "" {
		copts = append(copts, hcloud.WithEndpoint(o.endpoint))
	}
	if cfg.HTTPClient != nil {
		copts = append(copts, hcloud.WithHTTPClient(cfg.HTTPClient))
	}
	return &conn{client: hcloud.NewClient(copts...), opts: o, location: loc, hasToken: token != ""}, nil
}

// conn is one opened provider.
type conn struct {
	client   *hcloud.Client
	opts     options
	location string
	hasToken bool

	typesMu sync.Mutex
	types   []*hcloud.ServerType
	typesAt time.Time

	cleanups sync.WaitGroup
}

// authorized fails before any request when the provider has no token.
func (c *conn) authorized() error {
	if !c.hasToken {
		return &deltacloud.Error{Code: deltacloud.AuthFailure, Err: errNoToken}
	}
	return nil
}

// features are what the driver honours.
var features = deltacloud.MustFeatures(
	deltacloud.FeatureUserName,
	deltacloud.FeatureUserData,
	deltacloud.FeatureAuthenticationKey,
	deltacloud.FeatureFirewalls,
	deltacloud.FeatureImportKey,
	deltacloud.FeatureVolumeName,
	deltacloud.FeatureVolumeDescription,
	deltacloud.FeatureImageName,
	deltacloud.FeatureImageDescription,
).WithConstraint(deltacloud.FeatureUserName, "max_length", strconv.Itoa(maxNameLen))

func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

func (c *conn) Features() deltacloud.Features { return features.Clone() }

// TagsInstances reports that InstanceSpec.Tags are written, as labels.
func (c *conn) TagsInstances() bool { return true }

// As hands out the client: target **hcloud.Client.
func (c *conn) As(target any) bool {
	if p, ok := target.(**hcloud.Client); ok {
		*p = c.client
		return true
	}
	return false
}

// Close waits for the clean-ups of cancelled creates still running.
func (c *conn) Close() error {
	c.cleanups.Wait()
	return nil
}

// Ping lists one location: the smallest authenticated request.
func (c *conn) Ping(ctx context.Context) error {
	if err := c.authorized(); err != nil {
		return err
	}
	_, _, err := c.client.Location.List(ctx, hcloud.LocationListOpts{ListOpts: hcloud.ListOpts{PerPage: 1}})
	return wrap(err)
}

// ownerSelector is the label selector of what the provider manages.
func (c *conn) ownerSelector() string { return LabelOwner + "=" + c.opts.owner }

// owned reports whether labels carry the provider's ownership label.
func (c *conn) owned(labels map[string]string) bool { return labels[LabelOwner] == c.opts.owner }

// parseID reads a numeric id. Anything else is an id the cloud cannot
// know, ErrNotFound — once the API has answered a request, so that bad
// credentials, an unreachable API and a cancelled context are told as
// they are for every other id.
func (c *conn) parseID(ctx context.Context, kind, id string) (int64, error) {
	if err := c.authorized(); err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		if err := c.Ping(ctx); err != nil {
			return 0, err
		}
		return 0, notFound(kind, id)
	}
	return n, nil
}

// wait waits for actions to succeed; a failed action is its error.
func (c *conn) wait(ctx context.Context, actions ...*hcloud.Action) error {
	return wrap(c.client.Action.WaitFor(ctx, actions...))
}
