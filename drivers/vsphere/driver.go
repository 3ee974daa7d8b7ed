// Package vsphere is the VMware vSphere (vCenter) driver, registered as
// "vsphere", built on github.com/vmware/govmomi. It speaks the vSphere Web
// Services API (SOAP, "/sdk") of a vCenter Server, the same wire govc and
// Terraform use, and works in one datacenter.
//
// # Provider, credentials and options
//
//	Config.Provider       the vCenter SDK URL, "https://vcenter.example.com/sdk";
//	                      a bare host name means https://host/sdk
//	Credentials.User      a vCenter user ("administrator@vsphere.local")
//	Credentials.Password  its password
//
// With empty credentials the driver logs in with the user information of
// the provider URL ("https://user:pass@host/sdk"), which only the operator
// can set; with Config.NoAmbientCredentials it never does, and every call
// that needs vCenter fails with deltacloud.ErrAuthFailure without a
// connection being made. The provider is opened without contacting vCenter:
// the first call connects and logs in (a rejected login is ErrAuthFailure),
// and a session vCenter no longer knows (NotAuthenticated) is dropped, so the
// next call logs in again. Config.HTTPClient's transport, when set, carries
// every request, and then decides TLS as well.
//
// Options (Config.Options), all the operator's:
//
//	datacenter        the datacenter (name or inventory path); default: the
//	                  only one
//	resource_pool     the resource pool (inventory path) of a create without
//	                  a realm; default: the first realm by name
//	folder            the VM folder new VMs go to (inventory path); default:
//	                  the datacenter's VM folder
//	datastore         the datastore of new VMs and of the volumes; default:
//	                  the template's for VMs; volumes are then listed on
//	                  every datastore and created on the first by name
//	network           the network (port group) of a new VM's first network
//	                  adapter; default: the template's
//	insecure          "true" skips TLS certificate checks (self-signed vCenter)
//	owner             the value of the custom attribute "deltacloud-owner"
//	                  (default "deltacloud") that marks the VMs a provider
//	                  manages
//	all_vms           "true" lists and manages every VM of the datacenter,
//	                  not only the owner's
//	profiles          fixed hardware profiles, "name=cpu:memoryMiB,…"
//	                  ("small=1:2048,large=4:16384")
//	stop              "guest" (default: shut the guest down, and power off
//	                  after shutdown_timeout) or "power_off"
//	shutdown_timeout  how long a guest shutdown may take (Go duration,
//	                  default 2m)
//	max_user_data     the largest user data in bytes (default 65536)
//
// # Collections
//
// Realms are the datacenter's resource pools (a cluster's root pool, its
// child pools, a standalone host's pool), with the pool's managed object id
// ("resgroup-22") as id and "datacenter/cluster/pool…" as name.
//
// Hardware profiles are "custom", a range profile with cpu from 1 to the
// largest host's logical CPUs and memory from 4 MiB to the largest host's
// memory, in steps of 4 MiB as vSphere requires, and the fixed profiles of
// the profiles option. Images are the datacenter's VM templates, with the
// template's managed object id ("vm-42") as id; content library items are
// not listed (the driver speaks SOAP only).
//
// Instances are the VMs (not templates) carrying the owner's custom
// attribute, with the VM's managed object id as id and the requested name
// (attribute "deltacloud-name") as name; the realm is the VM's resource pool.
// Actions and getters on any other VM answer deltacloud.ErrNotFound, unless
// all_vms is set. States: poweredOn is RUNNING, poweredOff STOPPED,
// suspended SUSPENDED.
//
// Create clones the image's template into the realm's resource pool (and
// the folder and datastore options), as a VM named after the requested
// name plus a random suffix (vSphere names are unique per folder; feature
// user_name keeps the requested one), marks it with the owner and name
// attributes, reconfigures it with the profile's cpu and memory and the
// user data, and powers it on. User data goes to guestinfo.userdata with
// guestinfo.userdata.encoding "base64", which cloud-init's VMware datasource
// reads. Every vSphere task is awaited with the call's context. If a step
// fails, or the context ends, the VM is powered off and destroyed again; a
// clone whose answer was lost is found by its unique name once the
// template's clone tasks are over. After a cancellation that clean-up runs in
// the background and Close waits for it.
//
// Start powers on; stop shuts the guest down through VMware Tools and powers
// off after shutdown_timeout, or at once when the tools are not running (or
// with stop=power_off; a suspended VM is powered off); reboot restarts the
// guest, or resets the VM without tools; suspend suspends a running VM
// (SUSPENDED) and resume powers it on again; destroy powers off and deletes
// the VM with its disks.
//
// CreateImage clones an instance's VM to a template (its name is the
// requested one, feature image_name, and a taken name is ErrConflict),
// marked with the owner attribute; DestroyImage deletes only such
// templates (ErrForbidden for others, unless all_vms is set).
//
// Storage volumes are first class disks (vSphere's named virtual disks
// that outlive VMs) in the owner's folder "deltacloud-volumes/<digest of
// the owner>" of the datastore, with the disk's id as id: thin, 1 GB unless
// a capacity is given, named as asked (volume_name) or "vol-…". Attach adds
// the disk to a VM on a SCSI controller, at device "scsi<bus>:<unit>" (empty:
// the first free unit of the first controller; a unit in use is
// ErrConflict), and detach removes it, keeping the disk; destroying an
// instance detaches its volumes first. Storage snapshots are the disks'
// snapshots, with "<volume id>.<snapshot id>" as id and the requested
// description (or name) as vSphere's one snapshot text; volumes are not
// made from snapshots (ErrNotSupported).
//
// Keys, firewalls, addresses, buckets and metrics are not served: vCenter
// has no such objects for a VM (firewalls and addresses belong to NSX,
// which the simulator does not serve either), and Collections() lists only
// what is.
//
// Provider.As hands out **vim25.Client (connected and logged in).
package vsphere

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/vmware/govmomi/find"
	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/session"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/soap"

	"github.com/deltacloud-go/deltacloud"
)

func init() { deltacloud.Register("vsphere", driver{}) }

type driver struct{}

// Info describes the driver.
func (driver) Info() deltacloud.DriverInfo {
	return deltacloud.DriverInfo{Description: "vSphere"}
}

// Open checks the configuration; it does not contact vCenter.
func (driver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	o, err := parseOptions(cfg.Options)
	if err != nil {
		return nil, err
	}
	u, fromURL, err := ParseProvider(cfg.Provider)
	if err != nil {
		return nil, err
	}
	c := &conn{url: u, login: cfg.Credentials, haveLogin: true, opts: o, httpClient: cfg.HTTPClient, sem: make(chan struct{}, 1)}
	if cfg.Credentials.IsZero() {
		// The URL's user information is the operator's: a provider that
		// may act only with its own credentials never uses it.
		c.login, c.haveLogin = fromURL, fromURL.User != "" && !cfg.NoAmbientCredentials
	}
	return c, nil
}

// conn is one opened provider. The session is made on first use.
type conn struct {
	url        *url.URL
	login      deltacloud.Credentials // its String hides the password
	haveLogin  bool                   // false: no credentials may be used
	opts       options
	httpClient *http.Client

	sem chan struct{} // held while connecting
	mu  sync.Mutex
	s   *state // nil until connected

	cleanups sync.WaitGroup // clean-ups of failed creates still running
}

// state is a logged-in session and what the driver resolved once.
type state struct {
	c       *vim25.Client
	dc      *object.Datacenter
	folders *object.DatacenterFolders
	finder  *find.Finder
	fields  *fieldKeys
}

// session returns the logged-in session, connecting on first use.
func (c *conn) session(ctx context.Context) (*state, error) {
	c.mu.Lock()
	s := c.s
	c.mu.Unlock()
	if s != nil {
		return s, nil
	}
	if !c.haveLogin {
		return nil, deltacloud.Errorf(deltacloud.AuthFailure,
			"vsphere: no credentials (and the provider URL's may not be used)")
	}
	select {
	case c.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-c.sem }()
	c.mu.Lock()
	s = c.s
	c.mu.Unlock()
	if s != nil {
		return s, nil
	}
	s, err := c.connect(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.s = s
	c.mu.Unlock()
	return s, nil
}

// connect logs in and resolves the datacenter and the custom attributes.
func (c *conn) connect(ctx context.Context) (*state, error) {
	sc := soap.NewClient(c.url, c.opts.insecure)
	if c.httpClient != nil && c.httpClient.Transport != nil {
		sc.Client.Transport = c.httpClient.Transport
	}
	vc, err := vim25.NewClient(ctx, sc)
	if err != nil {
		return nil, wrap(err)
	}
	if err := session.NewManager(vc).Login(ctx, url.UserPassword(c.login.User, c.login.Password)); err != nil {
		return nil, wrap(err)
	}
	s := &state{c: vc, finder: find.NewFinder(vc, false)}
	if s.dc, err = s.finder.DatacenterOrDefault(ctx, c.opts.datacenter); err != nil {
		return nil, notFoundAs(err, "datacenter", c.opts.datacenter)
	}
	s.finder.SetDatacenter(s.dc)
	if s.folders, err = s.dc.Folders(ctx); err != nil {
		return nil, wrap(err)
	}
	if s.fields, err = findFields(ctx, vc); err != nil {
		return nil, err
	}
	return s, nil
}

// forget drops a session vCenter no longer accepts, so the next call logs
// in again.
func (c *conn) forget(s *state) {
	c.mu.Lock()
	if c.s == s {
		c.s = nil
	}
	c.mu.Unlock()
}

// Lifecycle is the VM state machine (states.go).
func (c *conn) Lifecycle() *deltacloud.StateMachine { return lifecycle }

// features are what the driver honours.
var features = deltacloud.MustFeatures(
	deltacloud.FeatureUserName,
	deltacloud.FeatureUserData,
	deltacloud.FeatureRealmFilter,
	deltacloud.FeatureImageName,
	deltacloud.FeatureVolumeName,
)

// Features lists user_name, user_data, realm_filter, image_name and
// volume_name.
func (c *conn) Features() deltacloud.Features { return features.Clone() }

// asTimeout bounds the login As may make.
const asTimeout = time.Minute

// As hands out the logged-in *vim25.Client (target **vim25.Client),
// logging in first if no call has yet; it reports false when it cannot.
func (c *conn) As(target any) bool {
	p, ok := target.(**vim25.Client)
	if !ok {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), asTimeout)
	defer cancel()
	s, err := c.session(ctx)
	if err != nil {
		return false
	}
	*p = s.c
	return true
}

// Close waits for the clean-ups of failed creates and logs out.
func (c *conn) Close() error {
	c.cleanups.Wait()
	c.mu.Lock()
	s := c.s
	c.s = nil
	c.mu.Unlock()
	if s != nil {
		ctx, cancel := context.WithTimeout(context.Background(), logoutTimeout)
		defer cancel()
		_ = session.NewManager(s.c).Logout(ctx)
	}
	return nil
}
