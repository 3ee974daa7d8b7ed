// Package azure is the Microsoft Azure (Resource Manager) driver, registered
// as "azure", built on github.com/Azure/azure-sdk-for-go. It serves the core
// collections: realms (the location's availability zones and the location
// itself), hardware profiles (VM sizes), images (marketplace URNs and the
// resource group's own images) and instances (virtual machines); keys (SSH
// public key resources), firewalls (network security groups), addresses
// (public IPs), storage volumes (managed
// disks) and storage
// snapshots (managed disk snapshots); and, when a storage account is
// configured, buckets and blobs (Blob Storage containers and block blobs,
// through azblob).
//
// # Credentials and scope
//
// A provider works in one subscription, one resource group and one location.
// The mapping onto deltacloud.Config, and so onto the REST API's Basic-auth
// pair and provider string, is:
//
//	Credentials.User      "tenant/clientID" of a service principal; the tenant
//	                      is a GUID or a domain ("contoso.onmicrosoft.com"),
//	                      the client id a GUID
//	Credentials.Password  the service principal's client secret
//	Config.Provider       "subscription/resourceGroup/location", or
//	                      "resourceGroup/location", or "location", or empty
//
// Parts the provider string leaves out come from the options
// subscription_id, resource_group and location; the subscription may also
// come from the AZURE_SUBSCRIPTION_ID environment variable. An option that
// contradicts the provider string is an error. With both credentials empty the
// driver uses azidentity's default credential chain (environment variables,
// workload identity, managed identity, Azure CLI, …). [ParseProvider] and
// [ParseCredentials] implement the two formats.
//
// With Config.NoAmbientCredentials and empty credentials the driver never
// uses the host's identity: its token credential contacts nothing and
// refuses every token, so each call that needs Azure fails with
// deltacloud.ErrAuthFailure before a request leaves the host. The operator's
// storage_key is refused likewise (buckets and blobs fail with
// ErrAuthFailure): the account key is the server's identity too, and an
// anonymous request of a REST server must not act with it. With explicit
// credentials the key is used as without the flag. The REST handler sets
// the flag for every request; programs opening their own providers leave
// it unset and keep the default chain.
//
// Over the REST API (package api) a request may only name a plain provider,
// so it selects the location ("westeurope") while the operator sets
// subscription_id and resource_group in the handler's DriverOptions; a full
// provider string must be the server's default or in its AllowedProviders.
//
// Config.HTTPClient, when set, carries every request, to Resource Manager
// and to the identity platform alike.
//
// # Options (Config.Options)
//
//	subscription_id, resource_group, location   the scope (see above)
//	cloud          AzurePublic (default), AzureChina or AzureGovernment
//	owner          the value of the ownership tag "deltacloud-owner" (default
//	               "deltacloud"): instances are the resource group's VMs
//	               carrying it, and every resource the driver creates gets it
//	images         comma-separated marketplace URNs
//	               publisher:offer:sku:version listed as images (default: a
//	               curated list of current Linux and Windows Server images)
//	vm_size        the size used when no hardware profile is chosen
//	               (default Standard_B2s)
//	subnet_id      resource id of the subnet new network interfaces join;
//	               default: subnet "default" of the virtual network
//	               "deltacloud-vnet" in the resource group, created on first use
//	public_ip      "true" (default) or "false": give new instances a public IP
//	stop           "deallocate" (default; compute billing stops) or
//	               "power_off" (the VM keeps its hardware and is still billed)
//	admin_user     the administrator account name (default "azureuser")
//	max_retries    how many times the SDK retries a request (default 3; 0
//	               for none)
//	poll_interval  delay between polls of a long-running operation (Go
//	               duration, default 5s; the SDK's minimum is 1s outside tests)
//	storage_account   the Blob Storage account that serves buckets; without
//	               it the provider has no buckets collection
//	storage_key    the account's access key (base64), for Shared Key
//	               authentication; without it the driver's Azure AD credential
//	               is used, which needs a data role such as Storage Blob Data
//	               Contributor on the account
//	storage_endpoint  the blob service URL; default
//	               https://<storage_account>.blob.core.windows.net/ (or the
//	               China / Government suffix of the cloud option); Azurite's is
//	               http://127.0.0.1:10000/devstoreaccount1
//	blob_block_size   MiB per block of an upload (default 4, 1-4000)
//	blob_concurrency  blocks one upload sends at once (default 2, 1-64);
//	               an upload holds at most blob_concurrency × blob_block_size
//	               of content in memory
//
// InstanceSpec.Options accepts public_ip, subnet_id and admin_user for one
// create.
//
// # Instances
//
// An instance's id is its VM's resource name, which the driver derives from
// the requested name (feature user_name) plus a random suffix, so names may
// repeat; the requested name is kept in the tag "deltacloud-name". Create
// builds a public IP (unless disabled), a network interface and the VM, with
// an SSH key (keyname: the name of an SSH public key resource in the
// resource group, or an OpenSSH public key itself) or a password, and user
// data as the VM's custom data (what cloud-init reads). If any step fails, or
// the context ends, everything the create made is deleted again; after a
// cancellation that clean-up runs in the background and Close waits for it.
// Destroy deletes the VM, then its network interface, public IP and OS disk,
// waiting for each; they are also created with Azure's delete option so the
// platform removes them with the VM should the destroy be interrupted.
//
// A create with a client token (InstanceSpec.ClientToken) names the VM
// "dct-" plus a hash of the owner tag and the token instead of the random
// name, and tags it with TagSpec, a digest of the spec keyed by the token:
// a retry finds the VM and answers it when the digest matches, and is
// ErrConflict when it does not. Within one process, a retry waits for the
// background clean-up of its failed predecessor before creating. DryRun
// resolves a create (image, key, subnet, a VM of the token) without
// creating anything, not even the default network.
//
// # Keys, storage volumes and snapshots
//
// Keys are the resource group's SSH public key resources, all of them (any
// may be an instance's keyname), with the key's name as id and its OpenSSH
// SHA-256 fingerprint. CreateKey without a public key has Azure generate an
// RSA pair and returns the PEM private key once; with one (import_key) it
// stores it (Azure takes ssh-rsa and ssh-ed25519).
//
// Storage volumes are the managed data disks tagged with the owner (OS
// disks are not volumes): id and name are the disk's name (volume_name; a
// generated "vol-…" without one), the description (volume_description) is
// a tag, the realm is the disk's zone, Kind its SKU (new disks are
// StandardSSD_LRS, 32 GB unless a capacity or a snapshot says otherwise).
// Attach adds the disk to the VM's data disks at a LUN, named as device
// "lun<N>" (empty: the lowest free LUN; a LUN in use is ErrConflict), and
// detach removes it; both update the VM and wait for it. Azure refuses to
// delete an attached disk (OperationNotAllowed, ErrInvalidState) and to
// attach a zonal disk to a VM of another zone (ErrInvalidArgument).
// Destroying an instance detaches its data disks and keeps them.
//
// Firewalls are the network security groups tagged with the owner: id and
// name are the group's name (a taken name is ErrConflict), the description
// a tag, the owner the subscription. Rules are the group's own inbound and
// outbound allow rules (Azure's default rules are not listed) whose
// protocol is tcp, udp or icmp and whose sources include address prefixes;
// a rule's id is the security rule's name. AddFirewallRule adds an inbound
// allow rule at the lowest free priority from 1000 with the sources as
// source address prefixes ("*" reads back as 0.0.0.0/0). Group sources are
// ErrNotSupported (a security rule's other sources are application security
// groups, which this model does not have), and so is an icmp rule with a
// type or code other than -1, since Azure cannot match them. Azure refuses
// to delete a group an interface or subnet uses (ErrInvalidState). The
// driver does not attach groups to instances (no firewalls feature).
//
// Addresses are static Standard public IPs the driver made with
// CreateAddress (tagged with the owner and "deltacloud-address"; an
// instance's own public IP is not one), with the resource name as id.
// Associate puts the address on the primary IP configuration of the
// instance's primary network interface, replacing the public IP there as an
// EC2 Elastic IP does: the instance's own IP is deleted, another address
// becomes free. Disassociate leaves the instance without a public IP.
// Destroying an instance frees its address and keeps it; Azure refuses to
// delete an associated address (ErrInvalidState).
//
// Storage snapshots are incremental managed disk snapshots tagged with the
// owner, named "<volume>-snap-<random>"; the requested name and description
// are tags. A volume created with a snapshot id is a copy of it.
//
// # Buckets and blobs
//
// A bucket is a container of the storage account (private, no anonymous
// access), a blob a block blob. Container names follow Blob Storage's rule
// (3-63 lower-case letters, digits and single dashes); bucket_location is
// not advertised, since a container lives where its account does, and a
// bucket's Location is empty. Content streams both ways: BlobContent hands
// out the Get Blob body as it arrives, and PutBlob reads the content into at
// most blob_concurrency blocks at a time, whatever its length, staging
// blocks (Put Block) and committing them (Put Block List) only once the
// content has reached its end, so a failed or cancelled upload commits
// nothing: a new blob does not appear and a replaced one keeps its content.
//
// Blob Storage wants metadata names that are C# identifiers and compares
// them without regard to case; the driver does not rewrite names, it
// refuses with ErrInvalidArgument a name that is not an ASCII identifier
// (letters, digits, underscores, not starting with a digit: "owner_id", not
// "owner-id"), two names differing only in case, and values outside
// printable ASCII ([CheckMetadata]). Names come back in HTTP's canonical
// case ("owner_id" as "Owner_id").
//
// Provider.As hands out the SDK: targets **armcompute.ClientFactory,
// **armnetwork.ClientFactory, **armcompute.VirtualMachinesClient,
// *azcore.TokenCredential, *Scope and, with a storage account,
// **service.Client (azblob's service client).
package azure

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/arm"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/cloud"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/network/armnetwork/v7"
	"github.com/Azure/azure-sdk-for-go/sdk/storage/azblob/service"

	"github.com/deltacloud-go/deltacloud"
)

// The tags the driver reads and writes.
const (
	// TagOwner marks the resources a provider manages; its value is the
	// owner option.
	TagOwner = "deltacloud-owner"
	// TagName keeps the instance name the user asked for.
	TagName = "deltacloud-name"
	// TagKeyName keeps the keyname an instance was created with.
	TagKeyName = "deltacloud-keyname"
)

// Defaults of the options.
const (
	DefaultOwner        = "deltacloud"
	DefaultVMSize       = "Standard_B2s"
	DefaultAdminUser    = "azureuser"
	DefaultPollInterval = 5 * time.Second
	// DefaultVNet and DefaultSubnet name the network created when no
	// subnet_id is given.
	DefaultVNet   = "deltacloud-vnet"
	DefaultSubnet = "default"
)

// DefaultImages are the marketplace images listed when the images option is
// not set.
var DefaultImages = []string{
	"Canonical:ubuntu-24_04-lts:server:latest",
	"Canonical:ubuntu-24_04-lts:server-arm64:latest",
	"Canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:latest",
	"Debian:debian-12:12-gen2:latest",
	"RedHat:RHEL:9-lvm-gen2:latest",
	"SUSE:sles-15-sp6:gen2:latest",
	"MicrosoftWindowsServer:WindowsServer:2022-datacenter-azure-edition:latest",
}

func init() { deltacloud.Register("azure", driver{}) }

type driver struct{}

func (driver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "Azure"}
}

// options are the parsed Config.Options.
type options struct {
	subscription, group, location string
	cloud                         cloud.Configuration
	owner                         string
	images                        []URN
	vmSize                        string
	subnetID                      string
	publicIP                      bool
	powerOff                      bool
	adminUser                     string
	maxRetries                    int32 // -1: SDK default
	pollInterval                  time.Duration
	storage                       storageOptions
}

var knownOptions = "subscription_id, resource_group, location, cloud, owner, images, vm_size, subnet_id, public_ip, stop, admin_user, max_retries, poll_interval, storage_account, storage_key, storage_endpoint, blob_block_size, blob_concurrency"

func parseOptions(m map[string]string) (options, error) {
	o := options{
		cloud: cloud.AzurePublic, owner: DefaultOwner, vmSize: DefaultVMSize, publicIP: true,
		adminUser: DefaultAdminUser, maxRetries: -1, pollInterval: DefaultPollInterval,
		storage: storageOptions{blockMiB: DefaultBlobBlockMiB, concurrency: DefaultBlobConcurrency},
	}
	images := DefaultImages
	for k, v := range m {
		v = strings.TrimSpace(v)
		switch k {
		case "subscription_id":
			o.subscription = v
		case "resource_group":
			o.group = v
		case "location":
			o.location = v
		case "cloud":
			switch strings.ToLower(v) {
			case "azurepublic", "public", "":
				o.cloud = cloud.AzurePublic
			case "azurechina", "china":
				o.cloud = cloud.AzureChina
			case "azuregovernment", "government", "usgovernment":
				o.cloud = cloud.AzureGovernment
			default:
				return o, invalid("option cloud=%q: want AzurePublic, AzureChina or AzureGovernment", v)
			}
		case "owner":
			if v == "" || len(v) > 256 {
				return o, invalid("option owner=%q: want 1-256 characters", v)
			}
			o.owner = v
		case "images":
			images = nil
			for _, s := range strings.Split(v, ",") {
				if s = strings.TrimSpace(s); s != "" {
					images = append(images, s)
				}
			}
		case "vm_size":
			if v == "" {
				return o, invalid("option vm_size is empty")
			}
			o.vmSize = v
		case "subnet_id":
			if _, err := parseSubnetID(v); err != nil {
				return o, err
			}
			o.subnetID = v
		case "public_ip":
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, invalid("option public_ip=%q: want true or false", v)
			}
			o.publicIP = b
		case "stop":
			switch v {
			case "deallocate":
				o.powerOff = false
			case "power_off":
				o.powerOff = true
			default:
				return o, invalid("option stop=%q: want deallocate or power_off", v)
			}
		case "admin_user":
			if err := checkAdminUser(v); err != nil {
				return o, err
			}
			o.adminUser = v
		case "max_retries":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 || n > 100 {
				return o, invalid("option max_retries=%q: want an integer from 0 to 100", v)
			}
			o.maxRetries = int32(n)
		case "poll_interval":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return o, invalid("option poll_interval=%q: want a positive Go duration such as 5s", v)
			}
			o.pollInterval = d
		default:
			if ok, err := parseStorageOption(&o.storage, k, v); err != nil {
				return o, err
			} else if !ok {
				return o, invalid("unknown option %q (known: %s)", k, knownOptions)
			}
		}
	}
	for _, s := range images {
		u, err := ParseURN(s)
		if err != nil {
			return o, err
		}
		o.images = append(o.images, u)
	}
	return o, nil
}

// Open builds the SDK clients; it does not call Azure.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	scope, err := resolveScope(cfg.Provider, o)
	if err != nil {
		return nil, err
	}
	sp, explicit, err := ParseCredentials(cfg.Credentials)
	if err != nil {
		return nil, err
	}
	co := azcore.ClientOptions{Cloud: o.cloud}
	if cfg.HTTPClient != nil {
		co.Transport = cfg.HTTPClient
	}
	var cred azcore.TokenCredential
	noAmbient := cfg.NoAmbientCredentials && !explicit
	if noAmbient {
		cred = refusingCredential{}
	} else if explicit {
		cred, err = azidentity.NewClientSecretCredential(sp.TenantID, sp.ClientID, sp.Secret,
			&azidentity.ClientSecretCredentialOptions{ClientOptions: co})
	} else {
		cred, err = azidentity.NewDefaultAzureCredential(&azidentity.DefaultAzureCredentialOptions{ClientOptions: co})
	}
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.AuthFailure, Message: "azure: cannot build the credential", Err: err}
	}
	armOpts := &arm.ClientOptions{ClientOptions: co}
	if o.maxRetries >= 0 {
		armOpts.Retry = policy.RetryOptions{MaxRetries: o.maxRetries}
		if o.maxRetries == 0 {
			armOpts.Retry.MaxRetries = -1 // the SDK's "no retries"
		}
	}
	compute, err := armcompute.NewClientFactory(scope.SubscriptionID, cred, armOpts)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "azure: cannot build the compute clients", Err: err}
	}
	network, err := armnetwork.NewClientFactory(scope.SubscriptionID, cred, armOpts)
	if err != nil {
		return nil, &deltacloud.Error{Code: deltacloud.InvalidArgument, Message: "azure: cannot build the network clients", Err: err}
	}
	blobs, err := newBlobService(o, cred, co, noAmbient)
	if err != nil {
		return nil, err
	}
	return &conn{
		scope: scope, opts: o, cred: cred, blobs: blobs,
		compute: compute, network: network,
		vms:       compute.NewVirtualMachinesClient(),
		skus:      compute.NewResourceSKUsClient(),
		vmImgs:    compute.NewVirtualMachineImagesClient(),
		images:    compute.NewImagesClient(),
		disks:     compute.NewDisksClient(),
		sshKeys:   compute.NewSSHPublicKeysClient(),
		snapshots: compute.NewSnapshotsClient(),
		nics:      network.NewInterfacesClient(),
		ips:       network.NewPublicIPAddressesClient(),
		vnets:     network.NewVirtualNetworksClient(),
		subnets:   network.NewSubnetsClient(),
		nsgs:      network.NewSecurityGroupsClient(),
		rules:     network.NewSecurityRulesClient(),
	}, nil
}

// conn is one opened provider.
type conn struct {
	scope   Scope
	opts    options
	cred    azcore.TokenCredential
	compute *armcompute.ClientFactory
	network *armnetwork.ClientFactory

	vms       *armcompute.VirtualMachinesClient
	skus      *armcompute.ResourceSKUsClient
	vmImgs    *armcompute.VirtualMachineImagesClient
	images    *armcompute.ImagesClient
	disks     *armcompute.DisksClient
	sshKeys   *armcompute.SSHPublicKeysClient
	snapshots *armcompute.SnapshotsClient
	nics      *armnetwork.InterfacesClient
	ips       *armnetwork.PublicIPAddressesClient
	vnets     *armnetwork.VirtualNetworksClient
	subnets   *armnetwork.SubnetsClient
	nsgs      *armnetwork.SecurityGroupsClient
	rules     *armnetwork.SecurityRulesClient
	blobs     *service.Client // nil without a storage account

	subnetMu sync.Mutex
	subnetID string // the default subnet, once ensured

	cleanupMu sync.Mutex
	cleanups  map[chan struct{}]bool // running clean-ups of failed creates
}

// startCleanup registers a clean-up; the caller closes the channel when it
// is done.
func (c *conn) startCleanup() chan struct{} {
	ch := make(chan struct{})
	c.cleanupMu.Lock()
	defer c.cleanupMu.Unlock()
	if c.cleanups == nil {
		c.cleanups = map[chan struct{}]bool{}
	}
	c.cleanups[ch] = true
	go func() {
		<-ch
		c.cleanupMu.Lock()
		delete(c.cleanups, ch)
		c.cleanupMu.Unlock()
	}()
	return ch
}

// features are what the driver honours.
var features = deltacloud.MustFeatures(
	deltacloud.FeatureRealmFilter,
	deltacloud.FeatureUserName,
	deltacloud.FeatureUserData,
	deltacloud.FeatureAuthenticationKey,
	deltacloud.FeatureAuthenticationPassword,
	deltacloud.FeatureImportKey,
	deltacloud.FeatureVolumeName,
	deltacloud.FeatureVolumeDescription,
).WithConstraint(deltacloud.FeatureUserName, "max_length", strconv.Itoa(maxNameLen))

func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

func (c *conn) Features() deltacloud.Features { return features.Clone() }

// As hands out the SDK: targets **armcompute.ClientFactory,
// **armnetwork.ClientFactory, **armcompute.VirtualMachinesClient,
// *azcore.TokenCredential, *Scope and, with a storage account,
// **service.Client.
func (c *conn) As(target any) bool {
	switch p := target.(type) {
	case **armcompute.ClientFactory:
		*p = c.compute
	case **armnetwork.ClientFactory:
		*p = c.network
	case **armcompute.VirtualMachinesClient:
		*p = c.vms
	case *azcore.TokenCredential:
		*p = c.cred
	case *Scope:
		*p = c.scope
	case **service.Client:
		if c.blobs == nil {
			return false
		}
		*p = c.blobs
	default:
		return false
	}
	return true
}

// Close waits for the clean-ups of failed creates still running (those of
// cancelled creates run in the background).
func (c *conn) Close() error {
	c.cleanupMu.Lock()
	running := make([]chan struct{}, 0, len(c.cleanups))
	for ch := range c.cleanups {
		running = append(running, ch)
	}
	c.cleanupMu.Unlock()
	for _, ch := range running {
		<-ch
	}
	return nil
}

// str dereferences an optional SDK string.
func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// boolv dereferences an optional SDK bool.
func boolv(p *bool) bool { return p != nil && *p }

// i32 dereferences an optional SDK int32.
func i32(p *int32) int32 {
	if p == nil {
		return 0
	}
	return *p
}
