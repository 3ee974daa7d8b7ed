// Package gce is the Google Cloud driver, registered as "gce", built on
// google.golang.org/api's REST clients (compute/v1 and storage/v1). It
// serves the core collections: realms (the region's zones), hardware
// profiles (machine types, and custom machine types as a range profile),
// images (curated public image families and the project's own images) and
// instances (VM instances); and the optional ones: firewalls (VPC firewall
// rules grouped by target tag), addresses (static external IPs), storage
// volumes (persistent disks), storage snapshots (disk snapshots), images
// made from instances, and buckets and blobs (Cloud Storage).
//
// # Credentials and scope
//
//	Config.Provider       "project/region" ("my-project/us-central1"), or
//	                      "region" with the project from the option project
//	                      or the key's project_id
//	Credentials.Password  a service-account key: the key file's JSON itself,
//	                      or (library users only) the path of the key file
//	Credentials.User      empty, or the key's client_email (checked)
//
// With both credentials empty the driver uses the Google SDK's default
// chain (GOOGLE_APPLICATION_CREDENTIALS, gcloud's files, the metadata
// server) — unless Config.NoAmbientCredentials is set, as the REST server
// sets it for every request: then every call fails with
// deltacloud.ErrAuthFailure before anything is sent, the password must be
// the key JSON inline (a path is refused, so a REST caller cannot make the
// server read its own files), and the key's token_uri must be Google's
// token endpoint, since the driver would send the signed assertion there.
// [ParseKey] and [ParseProvider] implement the two formats. Errors never
// quote the key. Config.HTTPClient, when set, carries every request,
// to the token endpoint too.
//
// # Options (Config.Options)
//
//	project           the project, when Config.Provider names only a region
//	owner             the value of the ownership label "deltacloud-owner"
//	                  (default "deltacloud"): instances, volumes, snapshots,
//	                  addresses and destroyable images are those carrying
//	                  it, and everything the driver creates gets it;
//	                  acting on anything else is ErrNotFound
//	images            comma-separated public image families "project/family"
//	                  listed as images (default DefaultImages)
//	machine_type      the machine type used without a hardware profile
//	                  (default e2-small)
//	network           the network new instances join (default
//	                  global/networks/default)
//	public_ip         "true" (default) or "false": give new instances an
//	                  ephemeral external IP
//	ssh_user          the user an instance's SSH key is for (default deltacloud)
//	disk_type         the type of new persistent disks (default pd-balanced)
//	blob_chunk_size   MiB per chunk of a resumable upload (default 8, 1-256)
//	buckets           "false" leaves Cloud Storage out (no buckets collection)
//	compute_endpoint, storage_endpoint, token_endpoint
//	                  the API base URLs and the OAuth token endpoint, for
//	                  emulators and tests; set by the operator only
//
// InstanceSpec.Options accepts public_ip and machine_type for one create.
//
// # Collections
//
// Realms are the zones of the region (AVAILABLE when UP). Hardware
// profiles are the machine types of the region's first zone, with fixed
// cpu, memory (MiB) and architecture, and "custom", an N1 custom machine
// type: cpu 1 or an even number up to 96, memory 1024 to 638976 MiB in steps
// of 256, with 0.9 to 6.5 GiB per vCPU (checked at create:
// ErrInvalidArgument).
//
// Images are the curated families, with the family as id
// ("debian-cloud/debian-12": the family's current image), and the
// project's own images, by name. Images made from instances (CreateImage)
// carry the owner label; only those can be destroyed.
//
// Instances are the VM instances of the region's zones carrying the owner
// label. GCE requires a name: an instance is named after the requested
// name (made a valid Compute name) plus a random suffix, or "dc-" and a
// suffix without one, and that name is its id; the requested name is kept
// in the metadata item deltacloud-name. InstanceSpec.Tags are kept as JSON
// in the metadata item deltacloud-tags (Compute labels cannot hold the
// portable tags). User data starting with "#!" becomes the startup-script
// metadata item, other user data the user-data item cloud-init reads;
// keyname is an OpenSSH public key written to the ssh-keys item for
// ssh_user. Firewalls are firewall ids, written as network tags. A create
// that fails or is cancelled after the insert was accepted deletes the
// instance again (in the background after a cancellation; Close waits for
// it). A create with a client token names the instance "dc-" plus a hash
// of the owner and the token and stores a digest of the spec: a retry
// answers the instance, a different spec with the token is ErrConflict.
//
// States: PROVISIONING, STAGING and REPAIRING are PENDING; RUNNING;
// STOPPING and SUSPENDING are STOPPING; TERMINATED is STOPPED; SUSPENDED is
// SUSPENDED, which resume leaves. Actions wait for their operation
// (operations.wait) and honour ctx; stop, suspend and destroy are allowed
// as the state machine (states.go) says.
//
// Storage volumes are persistent disks with the owner label that are not
// boot disks; the id is the disk's name (volume_name: the name asked for,
// which must be a valid Compute name; a generated "vol-…" without one),
// the description is the disk's, Kind its type. Attach uses the device
// name given (default the disk's name); an attached disk cannot be
// destroyed (ErrInvalidState). Storage snapshots are disk snapshots with
// the owner label, named "snap-…".
//
// Firewalls: a firewall is a network tag. CreateFirewall makes an anchor
// firewall rule named after it (disabled, targeting the tag, holding the
// description); each AddFirewallRule makes an ingress allow rule named
// "<firewall>-<hash>" targeting the tag, and that name is the rule id.
// Rule sources are IPv4 prefixes and groups (other firewalls' tags, as
// source tags). Firewall rules cannot carry labels, so ownership is kept
// in the description as "[deltacloud:<owner>]".
//
// Addresses are the region's static external addresses with the owner
// label, by name ("addr-…"). Associate replaces the instance's external
// access config with one holding the address; disassociate removes it,
// leaving the instance without an external IP.
//
// Buckets are the project's Cloud Storage buckets, all of them (a
// project's buckets are its storage, as an Azure account's containers
// are; the ones the driver creates carry the owner label), blobs their
// objects. Bucket names are global: a taken one is ErrConflict. PutBlob streams the content in resumable
// upload chunks of blob_chunk_size, holding one chunk in memory; the object
// exists only once the last chunk is in, so a failed, mis-sized or
// cancelled upload keeps nothing (a replaced blob keeps its old content).
//
// # Errors
//
// Google error documents map onto deltacloud codes by the reason of their
// first error item, then by HTTP status (CodeFor); failed operations by
// their error code (OperationCodeFor):
//
//	reason / status                                   code
//	notFound, 404                                     NotFound
//	authError, 401, token endpoint refusal            AuthFailure
//	forbidden, quotaExceeded, insufficientPermissions,
//	accessNotConfigured, 403                          Forbidden
//	alreadyExists, conflict, 409                      Conflict
//	resourceNotReady, resourceInUseByAnotherResource,
//	resourceIsBeingModified, 412                      InvalidState
//	rateLimitExceeded, userRateLimitExceeded, 429     RateLimited (RetryAfter
//	                                                  from Retry-After)
//	invalid, badRequest, required, parseError, 400    InvalidArgument
//	backendError, internalError, other 5xx            Backend
//	serviceUnavailable, 502, 503, 504                 Unavailable
//	ZONE_RESOURCE_POOL_EXHAUSTED (operation)          Unavailable
//	QUOTA_EXCEEDED (operation)                        Forbidden
//
// The *googleapi.Error stays reachable with errors.As.
//
// Provider.As hands out **compute.Service, **storage.Service and *Scope.
package gce

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/compute/v1"
	"google.golang.org/api/option"
	"google.golang.org/api/storage/v1"

	"github.com/deltacloud-go/deltacloud"
)

// The labels and metadata items the driver reads and writes.
const (
	// LabelOwner marks what a provider manages; its value is the owner
	// option.
	LabelOwner = "deltacloud-owner"
	// LabelRole marks an instance's boot disk ("boot"), which is no volume.
	LabelRole = "deltacloud-role"
	// MetaName keeps the instance name the user asked for.
	MetaName = "deltacloud-name"
	// MetaTags keeps InstanceSpec.Tags as a JSON object.
	MetaTags = "deltacloud-tags"
	// MetaImage keeps the image id the instance was created from.
	MetaImage = "deltacloud-image"
	// MetaSpec keeps the digest of a create with a client token.
	MetaSpec = "deltacloud-spec"
	// MetaKey keeps the SSH key an instance was created with.
	MetaKey = "ssh-keys"
)

// apiTimeout bounds one compute request (operations.wait answers within
// about two minutes).
const apiTimeout = 3 * time.Minute

func init() { deltacloud.Register("gce", driver{}) }

type driver struct{}

// regions are the providers' regions listed by Info; others are accepted.
var regions = []string{
	"us-central1", "us-east1", "us-east4", "us-west1", "us-west2", "europe-west1", "europe-west2",
	"europe-west3", "europe-west4", "asia-east1", "asia-northeast1", "asia-southeast1", "australia-southeast1",
	"southamerica-east1",
}

func (driver) Info() deltacloud.DriverInfo {
	ps := make([]deltacloud.ProviderInfo, len(regions))
	for i, r := range regions {
		ps[i] = deltacloud.ProviderInfo{ID: r, Entrypoints: map[string]string{
			"compute": "compute.googleapis.com", "storage": "storage.googleapis.com"}}
	}
	return deltacloud.DriverInfo{Description: "GCE", Providers: ps}
}

// Open builds the API clients; it does not call Google. Malformed
// credentials are ErrAuthFailure, a malformed provider or option
// ErrInvalidArgument.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	scope, err := ParseProvider(cfg.Provider)
	if err != nil {
		return nil, err
	}
	if scope.Region == "" {
		return nil, invalid("the provider must name a region: project/region")
	}
	ts, keyProject, err := credentials(ctx, cfg.Credentials, cfg.NoAmbientCredentials, o.tokenEndpoint, cfg.HTTPClient)
	if err != nil {
		return nil, err
	}
	switch {
	case scope.Project == "" && o.project != "":
		scope.Project = o.project
	case scope.Project == "" && keyProject != "" && checkProject(keyProject) == nil:
		scope.Project = keyProject
	case scope.Project == "":
		return nil, invalid("no project: give the provider as project/region")
	case o.project != "" && o.project != scope.Project:
		return nil, invalid("option project=%q contradicts the provider's %q", o.project, scope.Project)
	}
	base := http.DefaultTransport
	if cfg.HTTPClient != nil && cfg.HTTPClient.Transport != nil {
		base = cfg.HTTPClient.Transport
	}
	transport := &oauth2.Transport{Source: ts, Base: base}
	opts := []option.ClientOption{option.WithHTTPClient(&http.Client{Transport: transport, Timeout: apiTimeout}),
		option.WithUserAgent("deltacloud-go")}
	if o.computeEndpoint != "" {
		opts = append(opts, option.WithEndpoint(o.computeEndpoint))
	}
	svc, err := compute.NewService(ctx, opts...)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "gce: cannot build the compute client", Err: err}
	}
	c := &conn{scope: scope, opts: o, compute: svc, zoneOf: map[string]string{}}
	if o.buckets {
		sopts := []option.ClientOption{option.WithHTTPClient(&http.Client{Transport: transport}), option.WithUserAgent("deltacloud-go")}
		if o.storageEndpoint != "" {
			sopts = append(sopts, option.WithEndpoint(o.storageEndpoint))
		}
		if c.storage, err = storage.NewService(ctx, sopts...); err != nil {
			return nil, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "gce: cannot build the storage client", Err: err}
		}
	}
	return c, nil
}

// conn is one opened provider.
type conn struct {
	scope   Scope
	opts    options
	compute *compute.Service
	storage *storage.Service // nil without buckets

	mu     sync.Mutex
	zones  []string          // the region's zones, once listed
	zoneOf map[string]string // instance name → zone, as last seen

	cleanups sync.WaitGroup // deletes of failed creates
}

// features are what the driver honours.
var features = deltacloud.MustFeatures(
	deltacloud.FeatureRealmFilter,
	deltacloud.FeatureUserName,
	deltacloud.FeatureUserData,
	deltacloud.FeatureAuthenticationKey,
	deltacloud.FeatureFirewalls,
	deltacloud.FeatureImageName,
	deltacloud.FeatureImageDescription,
	deltacloud.FeatureVolumeName,
	deltacloud.FeatureVolumeDescription,
	deltacloud.FeatureBucketLocation,
).WithConstraint(deltacloud.FeatureUserName, "max_length", strconv.Itoa(maxNameLen))

func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

func (c *conn) Features() deltacloud.Features {
	fs := features.Clone()
	if c.storage == nil {
		out := fs[:0]
		for _, f := range fs {
			if f.Name != deltacloud.FeatureBucketLocation {
				out = append(out, f)
			}
		}
		fs = out
	}
	return fs
}

// TagsInstances reports that the driver writes InstanceSpec.Tags.
func (c *conn) TagsInstances() bool { return true }

// SupportsClientToken reports that creates honour client tokens.
func (c *conn) SupportsClientToken() bool { return true }

// As hands out **compute.Service, **storage.Service (with buckets) and
// *Scope.
func (c *conn) As(target any) bool {
	switch p := target.(type) {
	case **compute.Service:
		*p = c.compute
	case **storage.Service:
		if c.storage == nil {
			return false
		}
		*p = c.storage
	case *Scope:
		*p = c.scope
	default:
		return false
	}
	return true
}

// Close waits for the deletes of failed or cancelled creates.
func (c *conn) Close() error {
	c.cleanups.Wait()
	return nil
}
