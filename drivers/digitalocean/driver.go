// Package digitalocean is the DigitalOcean driver, registered as
// "digitalocean", built on github.com/digitalocean/godo. It serves the core
// collections — realms (regions), hardware profiles (droplet sizes), images
// (the public distributions and the account's droplet snapshots, which it
// makes from instances and destroys) and instances (droplets) — and the
// optional ones: keys (SSH keys), firewalls (cloud firewalls), addresses (reserved IPs), storage volumes (block
// storage volumes), storage snapshots (volume snapshots), metrics (the
// Monitoring API's droplet metrics) and, with Spaces
// keys, buckets and blobs (Spaces, through its S3 API and the S3 code
// drivers/ec2 uses, internal/s3store). Tests run against the fake API of
// package dotest.
//
// # Credentials and provider
//
//	Credentials.Password  the API token (a personal access token); over the
//	                      REST API it is the Basic-auth password, and the
//	                      user name is ignored
//	Config.Provider       a region slug ("nyc3", "ams3"; default "nyc3"): the
//	                      default realm of creates and the region of new
//	                      addresses and volumes
//
// Every request carries the token as "Authorization: Bearer …"; the token
// never appears in errors, logs or the provider's String. With an empty
// token and Config.NoAmbientCredentials (as the REST server opens every
// provider) nothing is sent: every call fails with ErrAuthFailure before a
// request leaves the host. Without the flag an empty token is read from the
// DIGITALOCEAN_TOKEN environment variable, for programs that open their own
// providers. Config.HTTPClient, when set, carries every request.
//
// # Options (Config.Options)
//
//	endpoint       the API base URL (default https://api.digitalocean.com/),
//	               for tests and proxies; an operator's setting, never a
//	               request's (the REST server only lets a request name a
//	               plain provider)
//	owner          the owner of what this provider creates (default
//	               "deltacloud"; letters, digits, "-" and "_", at most 64):
//	               DigitalOcean tags are plain names, so ownership is the tag
//	               "deltacloud-owner:<owner>" (TagOwner)
//	size           the size slug of creates without a hardware profile
//	               (default s-1vcpu-1gb)
//	poll_interval  delay between polls of an action (Go duration, default 2s)
//	stop_timeout   how long stop waits for a graceful shutdown before it
//	               powers the droplet off (Go duration, default 1m)
//	spaces_key, spaces_secret
//	               a Spaces access key pair; without them the provider has
//	               no buckets collection. They are the operator's: with
//	               Config.NoAmbientCredentials and no token they are
//	               refused like the token (buckets fail with ErrAuthFailure,
//	               nothing sent); with a token they are used as without the
//	               flag
//	spaces_endpoint  the Spaces URL (default https://<region>.digitaloceanspaces.com,
//	               the provider's region); buckets are addressed in the path
//	spaces_part_size  MiB per multipart upload part (default 8, 5-5120): the
//	               most blob content an upload holds in memory
//
// # Instances
//
// Instances are the droplets carrying the owner tag; any other droplet is
// ErrNotFound to this provider, for reads and actions alike. The id is the
// droplet's number. Creates send the name (user_name; without one,
// "dc-<random>"; a valid host name of at most 63 characters), the image (a
// distribution slug or a snapshot's number), the size, the region (realm, or
// the provider's region), SSH keys (keyname: a key's id or fingerprint) and
// user data (at most 64 KiB), and the owner tag. A create that fails or is
// cancelled after the droplet exists deletes it again before returning
// (with a bounded context of its own, when the caller's has ended).
//
// A create with a client token also tags the droplet "deltacloud-token:"
// plus a hash of the owner and token, and "deltacloud-spec:" plus a digest
// of the spec: a retry answers that droplet, another spec reusing the token
// is ErrConflict. DryRun builds and checks the request and looks the SSH
// key up, creating nothing.
//
// Droplet states map as: new → PENDING, active → RUNNING, off → STOPPED,
// archive → SHUTTING_DOWN (DigitalOcean has no paused or suspended
// droplets). Actions are droplet actions the driver starts and
// waits for, polling the action until it is completed (an "errored" action
// is ErrBackend): start is power_on; reboot is reboot; stop is shutdown,
// falling back to power_off when the shutdown errors or has not finished
// within stop_timeout; destroy deletes the droplet, which then reads as
// FINISH (gone). A droplet with an action in progress refuses another
// (ErrInvalidState).
//
// # Images from instances
//
// Images lists the public distributions, named "<distribution> <name>"
// and owned by OwnerDigitalOcean, and the account's snapshot images under
// their own names, owned by the provider's owner when they carry the owner
// tag (others show no owner).
//
// CreateImage (image_name; DigitalOcean keeps no description of a
// snapshot, so image_description is not advertised) is the droplet
// "snapshot" action on one of the owner's droplets (RUNNING or STOPPED),
// named as asked or "<droplet>-image-<hex>" (at most 255 bytes), awaited;
// the new image — the droplet's snapshot id that was not there before,
// with that name — is then tagged with the owner tag (tagging an "image"
// resource) and returned with the owner as Owner. If the action errors,
// its start is answered with an unknown outcome, the tagging fails or the
// wait is cancelled, the driver waits (with a bounded context of its own,
// in the background after a cancellation; Close waits) until the droplet
// has no snapshot action in progress and deletes the image it made: nothing
// is left behind. DestroyImage deletes an image carrying the owner tag; a
// public distribution or an account image without the tag is
// ErrForbidden, an unknown id ErrNotFound.
//
// # Keys, firewalls, addresses, volumes and snapshots
//
// DigitalOcean can tag droplets, volumes and snapshots but not SSH keys,
// firewalls or reserved IPs, so those three collections show the whole
// account. Keys: id is the key's number; CreateKey stores a public key
// (import_key) or generates an Ed25519 pair and returns the PKCS #8 private
// key once; a taken name is ErrConflict (the driver's rule; DigitalOcean
// allows repeats). Firewalls: id is the firewall's id; the description is
// kept in a tag "deltacloud-desc:<hex>" (TagDescriptionPrefix; at most 100
// bytes), which no droplet carries, since a firewall's tags select the
// droplets it applies to, and which stays behind as an unused tag when the
// firewall is deleted; rules are inbound and outbound rules from address
// sources, with a digest of the rule as id; new rules are inbound, group
// sources and icmp types are ErrNotSupported. Addresses: reserved IPv4s, id
// the address; associate and disassociate are assign and unassign actions,
// awaited; new ones are reserved in the provider's region. Storage volumes:
// the owner-tagged block storage volumes (volume_name: lower-case letters,
// digits and dashes; volume_description), capacity in GB (default 10);
// attach and detach are awaited volume actions; DigitalOcean chooses the
// device, which both the volume and the instance show as
// DevicePrefix + the volume's name. Storage snapshots: the owner-tagged
// volume snapshots (always COMPLETED; DigitalOcean keeps no description).
//
// # Metrics
//
// A metric's id is the droplet's, its entity the droplet's name; Metrics
// lists the owner's droplets (another droplet's Metric is ErrNotFound), each
// with the properties below and no samples. Metric reads the last
// MetricWindow (an hour) from the Monitoring API — GET
// /v2/monitoring/metrics/droplet/{cpu, memory_total, memory_available,
// bandwidth} with host_id, start and end, Prometheus matrices of points
// about a minute apart — and aggregates each property into MetricPeriod
// (5-minute) samples, stamped with the period's start, with the average,
// minimum and maximum of the points in it:
//
//	cpuUtilization     Percent          the busy share of the per-mode CPU
//	                                    seconds between consecutive points
//	                                    (an interval where a counter goes
//	                                    back, a reboot, is left out)
//	memoryUtilization  Percent          (memory_total - memory_available) /
//	                                    memory_total where both have a point
//	networkIn          Megabits/Second  bandwidth, public interface, inbound
//	networkOut         Megabits/Second  bandwidth, public interface, outbound
//
// Points that are NaN or infinite are left out. A droplet without the
// monitoring agent answers empty series: its properties have no samples.
//
// # Buckets and blobs
//
// A bucket is a Space in the provider's region; bucket_location is not
// advertised. Blobs stream both ways as in drivers/ec2 (one part in memory;
// a failed or cancelled multipart upload is aborted, keeping nothing).
// Spaces' S3 error codes map as Amazon S3's (s3store.CodeFor), others by
// HTTP status as below.
//
// # Errors
//
// DigitalOcean answers errors as {"id": "not_found", "message": …} with an
// HTTP status. The mapping (CodeFor):
//
//	401, id unauthorized                   ErrAuthFailure
//	403, id forbidden                      ErrForbidden
//	404, id not_found                      ErrNotFound
//	409, id conflict                       ErrConflict
//	400, 422, id unprocessable_entity      ErrInvalidArgument (an action a
//	                                       droplet's state refuses:
//	                                       ErrInvalidState)
//	429, id too_many_requests              ErrRateLimited, RetryAfter from
//	                                       Retry-After, else RateLimit-Reset
//	                                       when RateLimit-Remaining is 0
//	500, id server_error                   ErrBackend
//	502, 503                               ErrUnavailable
//	504                                    ErrTimeout
//	no answer (refused, reset)             ErrUnavailable
//
// godo's *ErrorResponse stays reachable with errors.As.
//
// Provider.As hands out the godo client: target **godo.Client.
package digitalocean

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/s3store"
)

// Defaults of the options.
const (
	DefaultRegion       = "nyc3"
	DefaultEndpoint     = "https://api.digitalocean.com/"
	DefaultOwner        = "deltacloud"
	DefaultSize         = "s-1vcpu-1gb"
	DefaultPollInterval = 2 * time.Second
	DefaultStopTimeout  = time.Minute
)

// TokenEnv is the environment variable an empty token is read from, unless
// Config.NoAmbientCredentials is set.
const TokenEnv = "DIGITALOCEAN_TOKEN"

func init() { deltacloud.Register("digitalocean", driver{}) }

type driver struct{}

// regions are the providers listed by Info (no call is made for the driver
// list); others are accepted too.
var regions = []string{"nyc1", "nyc3", "sfo2", "sfo3", "ams3", "sgp1", "lon1", "fra1", "tor1", "blr1", "syd1", "atl1"}

func (driver) Info() deltacloud.DriverInfo {
	ps := make([]deltacloud.ProviderInfo, len(regions))
	for i, r := range regions {
		ps[i] = deltacloud.ProviderInfo{ID: r, Entrypoints: map[string]string{
			"compute": "api.digitalocean.com", "storage": spacesHost(r)}}
	}
	return deltacloud.DriverInfo{Description: "DigitalOcean", Providers: ps}
}

// options are the parsed Config.Options.
type options struct {
	endpoint     string
	owner        string
	size         string
	pollInterval time.Duration
	stopTimeout  time.Duration
	spaces       spacesOptions
}

const knownOptions = "endpoint, owner, size, poll_interval, stop_timeout, spaces_key, spaces_secret, spaces_endpoint, spaces_part_size"

func invalid(format string, args ...any) error {
	return deltacloud.Errorf(deltacloud.InvalidArgument, "digitalocean: "+format, args...)
}

func parseOptions(m map[string]string) (options, error) {
	o := options{endpoint: DefaultEndpoint, owner: DefaultOwner, size: DefaultSize,
		pollInterval: DefaultPollInterval, stopTimeout: DefaultStopTimeout,
		spaces: spacesOptions{partSize: s3store.DefaultPartSize}}
	for k, v := range m {
		v = strings.TrimSpace(v)
		switch k {
		case "endpoint":
			u, err := url.Parse(v)
			if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
				return o, invalid("option endpoint: want an http(s) URL without user information")
			}
			if !strings.HasSuffix(v, "/") {
				v += "/"
			}
			o.endpoint = v
		case "owner":
			if !plainName(v, 64) {
				return o, invalid("option owner=%q: want 1-64 letters, digits, - or _", v)
			}
			o.owner = v
		case "size":
			if !plainName(strings.ReplaceAll(v, ".", ""), 64) {
				return o, invalid("option size=%q is not a size slug", v)
			}
			o.size = v
		case "poll_interval", "stop_timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 || d > time.Hour {
				return o, invalid("option %s=%q: want a positive Go duration up to 1h", k, v)
			}
			if k == "poll_interval" {
				o.pollInterval = d
			} else {
				o.stopTimeout = d
			}
		default:
			if ok, err := parseSpacesOption(&o.spaces, k, v); err != nil {
				return o, err
			} else if !ok {
				return o, invalid("unknown option %q (known: %s)", k, knownOptions)
			}
		}
	}
	return o, nil
}

// plainName reports whether s is 1..n letters, digits, dashes and
// underscores: what fits a tag and a slug.
func plainName(s string, n int) bool {
	if s == "" || len(s) > n {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// Open builds the godo client; it does not call DigitalOcean.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	region := cfg.Provider
	if region == "" {
		region = DefaultRegion
	}
	if !plainName(region, 32) {
		return nil, invalid("provider %q is not a region slug such as nyc3", deltacloud.RedactProvider(region))
	}
	token := cfg.Credentials.Password
	if token == "" && !cfg.NoAmbientCredentials {
		token = os.Getenv(TokenEnv)
	}
	base := http.DefaultTransport
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	}
	hc := &http.Client{Transport: &tokenTransport{token: token, next: base}}
	if cfg.HTTPClient != nil {
		hc.Timeout, hc.Jar, hc.CheckRedirect = cfg.HTTPClient.Timeout, cfg.HTTPClient.Jar, cfg.HTTPClient.CheckRedirect
	}
	client, err := godo.New(hc, godo.SetBaseURL(o.endpoint), godo.SetUserAgent("deltacloud-go"))
	if err != nil {
		return nil, invalid("cannot build the client: %v", err)
	}
	c := &conn{client: client, region: region, opts: o, ownerTag: TagOwnerPrefix + o.owner}
	// Spaces requests go without the API token: it is not theirs to see.
	plain := &http.Client{Transport: base, Timeout: hc.Timeout}
	if c.Store, err = c.newSpaces(o.spaces, plain, cfg.NoAmbientCredentials && cfg.Credentials.Password == ""); err != nil {
		return nil, err
	}
	return c, nil
}

// conn is one opened provider.
type conn struct {
	// Store serves buckets and blobs through Spaces' S3 API; nil without
	// spaces_key.
	*s3store.Store
	client   *godo.Client
	region   string
	opts     options
	ownerTag string
	// cleanups are the clean-ups of cancelled creates still running.
	cleanups sync.WaitGroup
}

// features are what the driver honours.
var features = deltacloud.MustFeatures(
	deltacloud.FeatureRealmFilter,
	deltacloud.FeatureUserName,
	deltacloud.FeatureUserData,
	deltacloud.FeatureAuthenticationKey,
	deltacloud.FeatureImportKey,
	deltacloud.FeatureVolumeName,
	deltacloud.FeatureVolumeDescription,
	deltacloud.FeatureImageName,
).WithConstraint(deltacloud.FeatureUserName, "max_length", "63")

func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

func (c *conn) Features() deltacloud.Features { return features.Clone() }

// As hands out the godo client: target **godo.Client.
func (c *conn) As(target any) bool {
	if p, ok := target.(**godo.Client); ok {
		*p = c.client
		return true
	}
	return false
}

// Ping reads the account: the smallest authenticated request.
func (c *conn) Ping(ctx context.Context) error {
	_, _, err := c.client.Account.Get(ctx)
	return c.wrap(err)
}

// Close waits for the clean-ups of cancelled creates.
func (c *conn) Close() error {
	c.cleanups.Wait()
	return nil
}
