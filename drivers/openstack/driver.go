// Package openstack is the OpenStack driver, registered as "openstack",
// built on github.com/gophercloud/gophercloud/v2. It serves realms
// (Nova availability zones), hardware profiles (flavors), images (Glance
// images) and instances (Nova servers), with keys (Nova key pairs),
// firewalls (Neutron security groups), addresses (Neutron floating IPs),
// storage volumes (Cinder v3 volumes, attached through Nova's volume
// attachments), storage snapshots (Cinder snapshots), buckets and blobs
// (Swift containers and objects, large ones as static large objects) and
// images from instances (Nova createImage).
//
// # Credentials and provider
//
//	Config.Provider       the Keystone v3 endpoint ("https://keystone.example.com:5000/v3");
//	                      over the REST API only a value of the operator's
//	                      AllowedProviders
//	Credentials.User      the OpenStack user name (or, with auth_type
//	                      application_credential, the credential's id)
//	Credentials.Password  the user's password (or the credential's secret)
//
// The driver authenticates lazily, on the first call that needs the cloud,
// with a Keystone v3 password (or application credential) request scoped
// to the project option; gophercloud renews the token when the cloud
// answers 401 (its reauth), and a 401 after that is
// deltacloud.ErrAuthFailure. Service endpoints (compute, image, network,
// block-storage, object-store) come from the token's catalog for the region and interface options, never
// from a request's input. The driver never reads gophercloud's environment
// (OS_* variables) or clouds.yaml: everything comes from Config, so
// Config.NoAmbientCredentials changes nothing but what empty credentials
// mean — with it (and always, since the driver has no ambient identity)
// empty credentials are deltacloud.ErrAuthFailure before any request.
// Secrets are kept in the gophercloud.AuthOptions only and never printed.
//
// Config.HTTPClient, when set, carries every request.
//
// # Options (Config.Options)
//
//	project, project_id   the project the token is scoped to (name or id)
//	domain                the domain of the user and of the project (default "Default")
//	user_domain, project_domain   each separately
//	region                the catalog region (default: the first one listed)
//	interface             public (default), internal or admin
//	auth_type             password (default) or application_credential
//	network               the network new servers join: a name or id, "none"
//	                      (no network; a cloud that allows it) or "auto"
//	                      (Nova picks the project's network; default)
//	floating_network      the external network floating IPs come from (name
//	                      or id; default the only router:external network)
//	suspend               what ActionSuspend does: "suspend" (default; Nova
//	                      suspend, SUSPENDED) or "pause" (Nova pause, PAUSED)
//	owner                 the value of the metadata "deltacloud-owner" written
//	                      on every server, volume and snapshot the driver
//	                      creates (default "deltacloud"); volumes and
//	                      snapshots without it are not the driver's
//	cinder                on (default) or off: off drops storage volumes and
//	                      snapshots from Collections, for a cloud without
//	                      Cinder (otherwise their calls are ErrNotSupported
//	                      once the catalog shows it lacks block-storage)
//	swift                 on (default) or off: off drops buckets from
//	                      Collections, for a cloud without Swift
//	segment_size          the bytes of one segment of a large blob (default
//	                      256 MiB, from 1 MiB to 5 GiB): blobs announced
//	                      larger, or of unknown size and over 64 KiB, are
//	                      written as static large objects
//	telemetry             off (default) or gnocchi: gnocchi serves metrics
//	                      from the catalog's Gnocchi ("metric") endpoint, where
//	                      Ceilometer keeps the servers' measures
//
// InstanceSpec.Options accepts network for one create.
//
// # Instances and states
//
// Instances are the project's servers; Owner is the project id, the
// profile the flavor, the realm the availability zone, Tags the server's
// metadata other than the driver's own "deltacloud-" keys, Firewalls the
// ids of the security groups on the server's ports (Nova shows only their
// names, and only once the server has ports: one Neutron port request for
// an instance or a listing fills them, made only when Nova shows groups;
// a failing one leaves them empty). Create sends
// one request per instance (so each create's id is known) with flavor,
// image, zone, key pair, security groups (firewalls), user_data, name and
// metadata; if one of several fails, or ctx ends, the servers already made
// are deleted again. Nova's status and task state map onto the states:
//
//	BUILD, REBOOT, HARD_REBOOT, REBUILD, RESIZE, MIGRATING   PENDING
//	ACTIVE                                                   RUNNING
//	ACTIVE with task powering-off                            STOPPING
//	SHUTOFF, SHELVED, SHELVED_OFFLOADED                      STOPPED
//	SUSPENDED (and task suspending)                          SUSPENDED
//	PAUSED (and task pausing)                                PAUSED
//	ERROR                                                    ERROR
//	task deleting                                            SHUTTING_DOWN
//	(gone)                                                   FINISH
//
// Actions: start (os-start; unshelve for a shelved server), stop (os-stop),
// reboot (soft), destroy (delete; also while PENDING, as Nova deletes a
// server still building), suspend (Nova suspend, or pause with the
// suspend option) and resume (Nova resume from SUSPENDED, unpause from
// PAUSED). A server being suspended or paused reads as its target state at
// once; Nova refuses (409) resume and unpause until it is there, so
// resume first waits (within ctx, at most 10 minutes) for Nova to finish;
// Nova refuses other actions until then (409, ErrInvalidState).
//
// # Microversions
//
// The compute client negotiates microversion 2.46 (key pair generation,
// which 2.92 removed; networks "auto"/"none" from 2.37; the flavor id in a
// server's body, which 2.47 replaced by the embedded flavor), checked once
// against the compute endpoint's version document; a cloud older than that
// is ErrNotSupported. Zed-era clouds stop at 2.93. Glance v2 and Neutron
// v2.0 have no microversions the driver needs.
//
// # Keys, firewalls and addresses
//
// Keys are the user's Nova key pairs, by name; CreateKey without a public
// key has Nova generate one and returns its private key once. Firewalls are
// the project's Neutron security groups by id, with their ingress rules
// (tcp, udp, icmp with a remote IP prefix). Addresses are floating IPs by
// id, allocated from the external network and associated through the
// server's first port.
//
// # Storage volumes and snapshots
//
// Storage volumes are the project's Cinder v3 volumes whose metadata
// "deltacloud-owner" is the owner option: the driver writes it on every
// volume and snapshot it creates, lists only those, and answers
// ErrNotFound for others. Capacity is Cinder's size in GB (default 1 GB,
// or the snapshot's), the realm the availability zone, Kind the volume
// type, Created Cinder's created_at in whole seconds (Cinder answers a
// create with microseconds its MySQL database does not keep, so every
// later read has whole seconds; snapshots alike). A create also writes "deltacloud-create", a token by which a create
// whose ctx ends before Cinder answers finds and deletes, in the
// background, what the request made (Close waits for it). Cinder's status
// maps onto the states:
//
//	creating, downloading, restoring-backup          CREATING
//	available                                        AVAILABLE
//	reserved, attaching, in-use, detaching           IN-USE
//	deleting                                         DELETING
//	error, error_deleting, error_* (others)          ERROR
//	extending, retyping, uploading, backing-up, …    CREATING (busy: no
//	                                                 operation until done)
//
// Attach and detach go through Nova's os-volume_attachments on the server
// (POST with the device, or none for Nova to choose; DELETE); the volume's
// InstanceID and Device come from Cinder's attachments once it is in-use.
// Instances list their attached volumes (Nova's volumes_attached) with the
// devices from one extra request only when a server has volumes: Nova's
// attachments for one instance, one Cinder listing for an instance listing
// (a cloud without Cinder, or a failing one, leaves the devices empty).
// Cinder's and Nova's 400 "Invalid volume … status …" (deleting an
// attached volume or one with snapshots, attaching a busy one) and Nova's
// "… is already attached to instances" (an attach that lost a race with
// another) are ErrInvalidState. Snapshots are taken with force (so attached volumes
// can be snapshotted); creating and deleting read PENDING, available
// COMPLETED, error ERROR. A catalog without a block-storage endpoint
// makes volumes and snapshots ErrNotSupported; the rest works.
//
// # Buckets and blobs
//
// Buckets are the project's Swift containers (all of them; Swift has no
// locations), blobs their objects, with user metadata as X-Object-Meta-*
// headers and the content streamed both ways. A blob written without a
// type is stored as application/octet-stream (not as Swift's guess from
// the name). A blob announced at most segment_size bytes long, or of
// unknown size and at most 64 KiB (read ahead), is one streamed PUT, which
// Swift discards when the body is cut off. A larger one is a static large
// object: its segments stream one by one into the container
// "<bucket>_segments" (python-swiftclient's convention; the driver marks
// the container it creates with X-Container-Meta-Deltacloud-Segments-Of
// and deletes it, when empty, with the bucket) under
// "<blob>/slo/<upload>/<n>", each checked against its MD5, and the
// manifest is written last: any failure before deletes the segments (at
// once, or in the background once ctx has ended; Close waits), so nothing
// of a failed upload stays and a blob it would have replaced is intact.
// Replacing or deleting a large blob deletes its segments too
// (multipart-manifest=delete). An upload's body is never sent twice: if
// the token expires mid-upload the upload fails with ErrUnavailable and
// stores nothing, instead of gophercloud resending the rest of the stream.
// Creating a bucket that exists (Swift's 202) is ErrConflict; destroying
// one that holds blobs (409) is ErrInvalidState. A catalog without an
// object-store endpoint makes buckets ErrNotSupported.
//
// # Metrics
//
// With the telemetry option "gnocchi" the driver serves metrics: one per
// server, under its id, with the properties cpuUtilization (percent of
// the flavor's vCPUs, from the growth of Ceilometer's cumulative "cpu"
// nanoseconds between consecutive periods) and memoryUsage (MB,
// "memory.usage"). Metric reads the last hour of the instance resource
// Ceilometer keeps under the server's id, complete periods at the finest
// granularity of each metric's archive policy: the mean as the average,
// and for memory min and max where the policy keeps them (otherwise they
// equal the mean; Ceilometer's own policies keep only means). A server
// Gnocchi does not know yet has properties without samples. The
// collections are fixed when the provider opens, before the catalog is
// read, so the operator says whether the cloud has Gnocchi; without a
// "metric" endpoint the calls are ErrNotSupported.
//
// # Errors
//
// The services' fault bodies ({"itemNotFound": {"code": 404, …}} of Nova
// and Cinder, {"NeutronError": {"type": …}} of Neutron, the plain text of
// Swift) map onto codes: not found →
// ErrNotFound, 409 conflicts → ErrInvalidState (a server's state or task)
// or ErrConflict (a taken name), 413/429 overLimit → ErrRateLimited with
// Retry-After, quota exceeded → ErrForbidden, 401 → ErrAuthFailure.
//
// Provider.As hands out *gophercloud.ProviderClient and the
// **gophercloud.ServiceClient of compute (after authentication).
package openstack

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gophercloud/gophercloud/v2"

	"github.com/deltacloud-go/deltacloud"
)

// MetaOwner is the server, volume and snapshot metadata key that records
// who created it; its value is the owner option.
const MetaOwner = "deltacloud-owner"

// ComputeMicroversion is the compute API microversion the driver speaks.
const ComputeMicroversion = "2.46"

// DefaultOwner is the owner option's default.
const DefaultOwner = "deltacloud"

func init() { deltacloud.Register("openstack", driver{}) }

type driver struct{}

// Info describes the driver.
func (driver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "OpenStack"}
}

// options are the parsed Config.Options.
type options struct {
	project, projectID        string
	userDomain, projectDomain string
	region                    string
	availability              gophercloud.Availability
	appCred                   bool
	network, floatingNetwork  string
	pause                     bool
	owner                     string
	noCinder                  bool
	noSwift                   bool
	segmentSize               int64
	gnocchi                   bool
}

// conn is one opened provider.
type conn struct {
	cfg  deltacloud.Config
	opts options
	life *deltacloud.StateMachine
	http http.Client

	mu   sync.Mutex
	svc  *services // nil until the first successful authentication
	done chan struct{}
	wg   sync.WaitGroup
}

// Open checks the options; the cloud is contacted on first use.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	opts, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	if err := checkProvider(cfg.Provider); err != nil {
		return nil, err
	}
	c := &conn{cfg: cfg, opts: opts, life: lifecycle(opts.pause), done: make(chan struct{})}
	if cfg.HTTPClient != nil {
		c.http = *cfg.HTTPClient
	} else {
		c.http = http.Client{Transport: &http.Transport{
			Proxy: http.ProxyFromEnvironment, ResponseHeaderTimeout: 2 * time.Minute,
			TLSHandshakeTimeout: 30 * time.Second, MaxIdleConnsPerHost: 8, IdleConnTimeout: 90 * time.Second,
		}}
	}
	return c, nil
}

// parseOptions reads and checks Config.Options.
func parseOptions(o map[string]string) (options, error) {
	opts := options{userDomain: "Default", projectDomain: "Default", availability: gophercloud.AvailabilityPublic,
		network: "auto", owner: DefaultOwner, segmentSize: DefaultSegmentSize}
	var err error
	known := map[string]bool{"project": true, "project_id": true, "domain": true, "user_domain": true,
		"project_domain": true, "region": true, "interface": true, "auth_type": true, "network": true,
		"floating_network": true, "suspend": true, "owner": true, "cinder": true,
		"swift": true, "segment_size": true, "telemetry": true}
	for k, v := range o {
		if !known[k] {
			return opts, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: unknown option %q", k)
		}
		if len(v) > 255 {
			return opts, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: option %s is longer than 255 characters", k)
		}
	}
	opts.project, opts.projectID = o["project"], o["project_id"]
	if d := o["domain"]; d != "" {
		opts.userDomain, opts.projectDomain = d, d
	}
	if d := o["user_domain"]; d != "" {
		opts.userDomain = d
	}
	if d := o["project_domain"]; d != "" {
		opts.projectDomain = d
	}
	opts.region = o["region"]
	switch strings.ToLower(o["interface"]) {
	case "", "public":
	case "internal":
		opts.availability = gophercloud.AvailabilityInternal
	case "admin":
		opts.availability = gophercloud.AvailabilityAdmin
	default:
		return opts, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: interface is %q; want public, internal or admin", o["interface"])
	}
	switch o["auth_type"] {
	case "", "password":
	case "application_credential", "v3applicationcredential":
		opts.appCred = true
	default:
		return opts, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: auth_type is %q; want password or application_credential", o["auth_type"])
	}
	if n := o["network"]; n != "" {
		opts.network = n
	}
	opts.floatingNetwork = o["floating_network"]
	if opts.pause, err = choice(o, "suspend", "suspend", "pause"); err != nil {
		return opts, err
	}
	if v := o["owner"]; v != "" {
		opts.owner = v
	}
	if opts.noCinder, err = choice(o, "cinder", "on", "off"); err != nil {
		return opts, err
	}
	if opts.noSwift, err = choice(o, "swift", "on", "off"); err != nil {
		return opts, err
	}
	if opts.gnocchi, err = choice(o, "telemetry", "off", "gnocchi"); err != nil {
		return opts, err
	}
	if v := o["segment_size"]; v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < MinSegmentSize || n > MaxSegmentSize {
			return opts, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: segment_size is %q; want bytes from %d (1 MiB) to %d (5 GiB)", v, MinSegmentSize, int64(MaxSegmentSize))
		}
		opts.segmentSize = n
	}
	return opts, nil
}

// choice reads a two-valued option: true when it is alt, false when it is
// empty or def.
func choice(o map[string]string, key, def, alt string) (bool, error) {
	switch o[key] {
	case "", def:
		return false, nil
	case alt:
		return true, nil
	}
	return false, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: %s is %q; want %s or %s", key, o[key], def, alt)
}

// features are what the driver honours.
var features = deltacloud.MustFeatures(deltacloud.FeatureUserName, deltacloud.FeatureUserData,
	deltacloud.FeatureAuthenticationKey, deltacloud.FeatureFirewalls, deltacloud.FeatureInstanceCount,
	deltacloud.FeatureImportKey, deltacloud.FeatureImageName, deltacloud.FeatureVolumeName,
	deltacloud.FeatureVolumeDescription)

// Features lists what the driver honours.
func (c *conn) Features() deltacloud.Features { return features }

// Lifecycle is the Nova server state machine.
func (c *conn) Lifecycle() *deltacloud.StateMachine { return c.life }

// TagsInstances reports that instance tags are written, as server
// metadata.
func (c *conn) TagsInstances() bool { return true }

// Close waits for background clean-ups of cancelled creates.
func (c *conn) Close() error {
	c.mu.Lock()
	select {
	case <-c.done:
	default:
		close(c.done)
	}
	c.mu.Unlock()
	c.wg.Wait()
	return nil
}

// As hands out gophercloud's clients once the provider has authenticated.
func (c *conn) As(target any) bool {
	c.mu.Lock()
	s := c.svc
	c.mu.Unlock()
	if s == nil {
		return false
	}
	switch t := target.(type) {
	case **gophercloud.ProviderClient:
		*t = s.provider
	case **gophercloud.ServiceClient:
		*t = s.compute
	default:
		return false
	}
	return true
}
