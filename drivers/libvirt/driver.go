// Package libvirt is the driver for KVM/QEMU hosts managed by libvirt,
// registered as "libvirt", built on github.com/digitalocean/go-libvirt
// (libvirt's RPC protocol in pure Go, no cgo) and libvirt.org/go/libvirtxml.
// It serves realms (the host), hardware profiles (the host's CPU and memory
// as ranges), images (volumes of a storage pool), instances (domains) and
// storage volumes and snapshots (pool volumes).
//
// # Provider and credentials
//
// Config.Provider is a libvirt URI (see [ParseURI]): qemu:///system (the
// default), qemu:///session?socket=/path, test:///default (the daemon's
// test driver, served through the daemon like the others) or
// qemu+tcp://host[:port]/system. The driver dials exactly what the URI
// names: the unix socket (/run/libvirt/libvirt-sock, or the socket
// parameter) or the TCP address, and nothing else. ssh, libssh and tls
// transports are refused with ErrNotSupported: they would use the server
// host's own keys, certificates or ssh program. Over the REST API a URI is
// accepted only from the operator's AllowedProviders (package api).
//
// go-libvirt speaks no SASL, so the daemon's socket is an authority the
// host holds, and the driver guards it with credentials the operator
// configures:
//
//	Credentials.User, .Password   must equal the options user and
//	                              password (compared in constant time)
//
// With Config.NoAmbientCredentials (the REST server) and empty credentials
// every call that needs the daemon fails with ErrAuthFailure without
// connecting; credentials given to a provider without the user and
// password options, or not matching them, are ErrAuthFailure too. A
// program that opens its own provider without credentials and without
// NoAmbientCredentials uses the socket as the host user it runs as. The
// provider keeps only SHA-256 digests of the operator's user and
// password, and neither appears in errors or logs.
//
// Open contacts nothing; the first call connects (within 10s), and a
// dropped connection is made again on the next call. Every call returns
// when its context ends; libvirt's RPC has no cancellation, so a read
// abandoned that way finishes on the connection by itself, while a create
// stops at its next step and removes what it made (see Instances below).
//
// # Options (Config.Options)
//
//	user, password    the credentials requests must present (both or neither)
//	owner             the owner written into the metadata of every domain the
//	                  driver defines (default "deltacloud"); instances are
//	                  the domains of this owner, others are not found
//	image_pool        the storage pool whose volumes are images (default
//	                  "default")
//	volume_pool       the pool of the volumes the driver makes: overlays,
//	                  seeds, storage volumes and snapshots (default: image_pool)
//	network           "user" (default: QEMU user-mode networking), "none", or
//	                  the name of a libvirt network
//	domain_type       the domain type, e.g. kvm or qemu (default: kvm when the
//	                  host offers it for the architecture, else qemu; test on
//	                  test:///default)
//	memory            the memory of an instance without a profile override,
//	                  in MiB (default 512, at most the host's)
//	shutdown_timeout  how long stop waits for an ACPI shutdown before it
//	                  destroys the domain (Go duration, default 60s)
//	iso_tool          the program that writes cloud-init seed images:
//	                  genisoimage, xorriso or mkisofs (default: the first
//	                  found)
//
// # Collections
//
// The realm is the host (its hostname). The one hardware profile, "host",
// has cpu 1 to the host's CPU count (default 1), memory 64 MiB to the
// host's memory (default the memory option) and the host's architecture.
//
// Images are the raw and qcow2 volumes of image_pool, by volume name;
// names starting with "dc-" are the driver's own volumes and never images.
// Copy a base image into the pool's directory and refresh the pool
// (virsh pool-refresh) to offer it.
//
// Instances are domains. Create makes, in the volume pool, a qcow2 overlay
// "dc-<random>-root.qcow2" backed by the image (copy-on-write: the image
// is never written), then, when the spec has user_data or a keyname, a
// cloud-init NoCloud seed "dc-<random>-seed.iso" (an ISO 9660 image with
// label cidata made by iso_tool, bounded by the request's context and a
// timeout: user-data is user_data as given, meta-data holds the instance
// id, the hostname and the keyname, which is an OpenSSH public key line,
// as public-keys), then defines the domain (name: the requested name plus
// a random suffix, so names may repeat; the requested name is kept in the
// metadata) and starts it. The instance id is the domain's UUID. If any
// step fails, what was made is removed again before Create returns. If
// the context ends, Create returns at once; the step under way finishes,
// no further step starts, and what was made is removed in the background
// (Close waits for it): nothing is left behind either way.
//
// States: running and blocked are RUNNING, paused PAUSED, shutdown
// STOPPING, shut off STOPPED, crashed ERROR (destroy only). Suspend pauses
// a running domain's vCPUs (virDomainSuspend; memory is kept) and resume
// lets it run on. Stop sends an ACPI shutdown,
// waits shutdown_timeout, then destroys (powers off) the domain; reboot is
// virDomainReboot; destroy powers the domain off, undefines it (with its
// managed save, snapshot metadata and NVRAM) and deletes its overlay and
// seed volumes. Storage volumes attached to it are kept.
//
// Every domain the driver defines carries a metadata element of namespace
// [MetadataURI] with the owner, the requested name, image, keyname, tags
// (InstanceSpec.Tags), creation time and the volumes the driver made or
// attached; listings read only that element and the domain's info, two
// small calls per domain, for four domains at a time.
//
// Storage volumes are the qcow2 volumes "dc-<owner hash>-vol-<name>" of
// the volume pool (volume_name: the name part; without one a random
// name), Capacity in GiB. Attach adds the volume as a SCSI disk (device
// sdX, "/dev/sdX" accepted; empty: the first free one) on the domain's
// virtio-scsi controller, live and in its configuration, so detaching needs
// no help from the guest. Storage snapshots are full copies of a volume
// (virStorageVolCreateXMLFrom) named "dc-<owner hash>-snap-<random>-<name>";
// a volume created from a snapshot is a copy of it.
package libvirt

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	golibvirt "github.com/digitalocean/go-libvirt"

	"github.com/deltacloud-go/deltacloud"
)

// Defaults of the options.
const (
	DefaultOwner           = "deltacloud"
	DefaultPool            = "default"
	DefaultNetwork         = "user"
	DefaultMemoryMiB       = 512
	DefaultShutdownTimeout = 60 * time.Second
	// ProfileID is the id of the one hardware profile.
	ProfileID = "host"
	// MinMemoryMiB is the smallest memory the profile offers.
	MinMemoryMiB = 64
)

func init() { deltacloud.Register("libvirt", driver{}) }

type driver struct{}

// Info describes the driver.
func (driver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "libvirt"}
}

// options are the parsed Config.Options.
type options struct {
	// user and password are kept as SHA-256 digests only, so the
	// password is in no value the provider holds.
	user, password  [sha256.Size]byte
	hasUser         bool
	owner           string
	imagePool       string
	volumePool      string
	network         string
	domainType      string
	memoryMiB       int
	shutdownTimeout time.Duration
	isoTool         string
}

const knownOptions = "user, password, owner, image_pool, volume_pool, network, domain_type, memory, shutdown_timeout, iso_tool"

// maxOptionLen bounds an option's value.
const maxOptionLen = 256

func parseOptions(m map[string]string) (options, error) {
	o := options{owner: DefaultOwner, imagePool: DefaultPool, network: DefaultNetwork,
		memoryMiB: DefaultMemoryMiB, shutdownTimeout: DefaultShutdownTimeout}
	for k, v := range m {
		if len(v) > maxOptionLen {
			return o, invalid("option %s is %d bytes long; at most %d", k, len(v), maxOptionLen)
		}
		if k != "password" {
			v = strings.TrimSpace(v)
		}
		switch k {
		case "user":
			o.user, o.hasUser = sha256.Sum256([]byte(v)), v != ""
		case "password":
			if v == "" {
				return o, invalid("option password is empty")
			}
			o.password = sha256.Sum256([]byte(v))
		case "owner":
			if v == "" || !printableText(v) {
				return o, invalid("option owner=%q: want printable text", v)
			}
			o.owner = v
		case "image_pool", "volume_pool", "network":
			if !nameRE.MatchString(v) {
				return o, invalid("option %s=%q: want a libvirt name (letters, digits, '.', '_', '-')", k, v)
			}
			switch k {
			case "image_pool":
				o.imagePool = v
			case "volume_pool":
				o.volumePool = v
			default:
				o.network = v
			}
		case "domain_type":
			if !nameRE.MatchString(v) {
				return o, invalid("option domain_type=%q: want kvm, qemu or test", v)
			}
			o.domainType = v
		case "memory":
			n, err := strconv.Atoi(v)
			if err != nil || n < MinMemoryMiB || n > 1<<30 {
				return o, invalid("option memory=%q: want MiB, at least %d", v, MinMemoryMiB)
			}
			o.memoryMiB = n
		case "shutdown_timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 || d > time.Hour {
				return o, invalid("option shutdown_timeout=%q: want a Go duration up to 1h, such as 60s", v)
			}
			o.shutdownTimeout = d
		case "iso_tool":
			if !contains(isoTools, v) {
				return o, invalid("option iso_tool=%q: want one of %s", v, strings.Join(isoTools, ", "))
			}
			o.isoTool = v
		default:
			return o, invalid("unknown option %q (known: %s)", k, knownOptions)
		}
	}
	_, pw := m["password"]
	if o.hasUser != pw {
		return o, invalid("options user and password go together")
	}
	if o.volumePool == "" {
		o.volumePool = o.imagePool
	}
	return o, nil
}

// printableText reports whether s is valid text without control characters.
func printableText(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return false
		}
	}
	return true
}

// Open checks the URI, options and credentials; it contacts nothing.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	ep, err := ParseURI(cfg.Provider)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(o.owner))
	c := &conn{ep: ep, opts: o, ownerHash: hex.EncodeToString(sum[:4]), refused: checkCredentials(cfg, o)}
	return c, nil
}

// conn is one opened provider.
type conn struct {
	ep        Endpoint
	opts      options
	ownerHash string // names the owner's volumes
	// refused is set when the credentials do not allow using the
	// daemon; every call that needs it answers this error.
	refused error

	mu      sync.Mutex
	lv      *golibvirt.Libvirt
	dialing *dialing // the connection attempt under way, if any
	closed  bool
	host    *hostFacts // cached once read

	metas metaCache

	// cleanups counts the creates still running (or cleaning up) after
	// their caller has gone.
	cleanups sync.WaitGroup

	// domainMu serialises the metadata updates of one domain.
	domainMu sync.Map // uuid string → *sync.Mutex

	// Test hooks: wrapConn wraps the connection to the daemon; step is
	// called before each step of a create and fails it by returning an
	// error.
	wrapConn func(net.Conn) net.Conn
	step     func(ctx context.Context, name string) error
}

// features are what the driver honours.
var features = deltacloud.MustFeatures(
	deltacloud.FeatureUserName,
	deltacloud.FeatureUserData,
	deltacloud.FeatureAuthenticationKey,
	deltacloud.FeatureVolumeName,
).WithConstraint(deltacloud.FeatureUserName, "max_length", strconv.Itoa(maxNameLen))

// Lifecycle is the domain state machine.
func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

// Features lists what the driver honours.
func (c *conn) Features() deltacloud.Features { return features.Clone() }

// TagsInstances: InstanceSpec.Tags are kept in the domain's metadata.
func (c *conn) TagsInstances() bool { return true }

// As hands out the go-libvirt client (**golibvirt.Libvirt, connecting
// first) and the endpoint (*Endpoint). A provider whose credentials were
// refused hands out nothing.
func (c *conn) As(target any) bool {
	switch p := target.(type) {
	case **golibvirt.Libvirt:
		lv, err := c.client(context.Background())
		if err != nil {
			return false
		}
		*p = lv
	case *Endpoint:
		*p = c.ep
	default:
		return false
	}
	return true
}

// Ping makes the smallest authenticated call: the daemon's hostname.
func (c *conn) Ping(ctx context.Context) error {
	return c.do(ctx, func(lv *golibvirt.Libvirt) error {
		_, err := lv.ConnectGetHostname()
		return wrap(err)
	})
}

// Close waits (up to cleanupTimeout) for the clean-ups of creates whose
// callers have gone, then disconnects from the daemon.
func (c *conn) Close() error {
	waited := make(chan struct{})
	go func() { c.cleanups.Wait(); close(waited) }()
	select {
	case <-waited:
	case <-time.After(cleanupTimeout):
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	if c.lv != nil && c.lv.IsConnected() {
		err := c.lv.Disconnect()
		c.lv = nil
		return err
	}
	return nil
}

var (
	_ deltacloud.InstanceTagger = (*conn)(nil)
	_ deltacloud.Pinger         = (*conn)(nil)
	_ deltacloud.ErrorCoder     = (*conn)(nil)
)
