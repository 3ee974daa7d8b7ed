package openstack

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/gophercloud/gophercloud/v2"
	"github.com/gophercloud/gophercloud/v2/openstack"
	"github.com/gophercloud/gophercloud/v2/openstack/utils"

	"github.com/deltacloud-go/deltacloud"
)

// services are the authenticated clients of one provider, their endpoints
// taken from the token's catalog.
type services struct {
	provider *gophercloud.ProviderClient
	compute  *gophercloud.ServiceClient
	image    *gophercloud.ServiceClient
	network  *gophercloud.ServiceClient
	// volume is Cinder v3, nil when the catalog has none (volumeErr says
	// why): the driver works without it but for volumes and snapshots.
	volume    *gophercloud.ServiceClient
	volumeErr error
	// object is Swift, nil when the catalog has none (objectErr says why):
	// the driver works without it but for buckets and blobs.
	object    *gophercloud.ServiceClient
	objectErr error
	// metric is Gnocchi, set only with the telemetry option and when the
	// catalog has it (metricErr says why not).
	metric    *gophercloud.ServiceClient
	metricErr error
}

// errNoCredentials is the error of a provider without credentials.
var errNoCredentials = &deltacloud.Error{Code: deltacloud.AuthFailure,
	Message: "openstack: no credentials given (the driver has no ambient identity)"}

// checkProvider accepts an http(s) URL with a host and no user
// information, query or fragment: the identity endpoint.
func checkProvider(p string) error {
	if p == "" {
		return deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: the provider must be the Keystone endpoint URL")
	}
	u, err := url.Parse(p)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: the provider %q is not an http(s) URL of a Keystone endpoint", deltacloud.RedactProvider(p))
	}
	return nil
}

// authOptions are Keystone v3 options from Config alone; gophercloud's
// AuthOptionsFromEnv and clouds.yaml are never consulted.
func (c *conn) authOptions() gophercloud.AuthOptions {
	cr := c.cfg.Credentials
	o := gophercloud.AuthOptions{IdentityEndpoint: c.cfg.Provider, AllowReauth: true}
	if c.opts.appCred {
		o.ApplicationCredentialID, o.ApplicationCredentialSecret = cr.User, cr.Password
		return o
	}
	o.Username, o.Password, o.DomainName = cr.User, cr.Password, c.opts.userDomain
	switch {
	case c.opts.projectID != "":
		o.Scope = &gophercloud.AuthScope{ProjectID: c.opts.projectID}
	case c.opts.project != "":
		o.Scope = &gophercloud.AuthScope{ProjectName: c.opts.project, DomainName: c.opts.projectDomain}
	}
	return o
}

// services authenticates on first use and returns the clients. Empty
// credentials fail before any request.
func (c *conn) services(ctx context.Context) (*services, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.svc != nil {
		return c.svc, nil
	}
	if c.cfg.Credentials.User == "" || c.cfg.Credentials.Password == "" {
		return nil, errNoCredentials
	}
	pc, err := openstack.NewClient(c.cfg.Provider)
	if err != nil {
		return nil, deltacloud.Errorf(deltacloud.InvalidArgument, "openstack: provider: %v", err)
	}
	pc.HTTPClient = c.http
	pc.UserAgent.Prepend("deltacloud-go")
	opts := c.authOptions()
	if err := openstack.AuthenticateV3(ctx, pc, &opts, gophercloud.EndpointOpts{}); err != nil {
		return nil, wrap(err)
	}
	eo := gophercloud.EndpointOpts{Region: c.opts.region, Availability: c.opts.availability}
	s := &services{provider: pc}
	if s.compute, err = openstack.NewComputeV2(pc, eo); err != nil {
		return nil, catalogErr("compute", err)
	}
	if s.image, err = openstack.NewImageV2(pc, eo); err != nil {
		return nil, catalogErr("image", err)
	}
	if s.network, err = openstack.NewNetworkV2(pc, eo); err != nil {
		return nil, catalogErr("network", err)
	}
	if s.volume, err = openstack.NewBlockStorageV3(pc, eo); err != nil {
		s.volume, s.volumeErr = nil, catalogErr("block-storage", err)
	}
	if s.object, err = openstack.NewObjectStorageV1(pc, eo); err != nil {
		s.object, s.objectErr = nil, catalogErr("object-store", err)
	}
	s.metricErr = deltacloud.Errorf(deltacloud.NotSupported, "openstack: metrics need the telemetry option")
	if c.opts.gnocchi {
		if s.metric, err = newMetricClient(pc, eo); err != nil {
			s.metric, s.metricErr = nil, catalogErr("metric", err)
		}
	}
	if err := negotiate(ctx, s.compute); err != nil {
		return nil, err
	}
	c.svc = s
	return s, nil
}

// negotiate sets the compute microversion after checking the cloud serves
// it.
func negotiate(ctx context.Context, compute *gophercloud.ServiceClient) error {
	mv, err := utils.GetSupportedMicroversions(ctx, compute)
	if err != nil {
		return wrap(err)
	}
	ok, err := mv.IsSupported(ComputeMicroversion)
	if err != nil || !ok {
		return deltacloud.Errorf(deltacloud.NotSupported, "openstack: the compute API serves microversions %d.%d to %d.%d; the driver needs %s",
			mv.MinMajor, mv.MinMinor, mv.MaxMajor, mv.MaxMinor, ComputeMicroversion)
	}
	compute.Microversion = ComputeMicroversion
	return nil
}

// catalogErr reports a service the catalog lacks.
func catalogErr(service string, err error) error {
	var nf *gophercloud.ErrEndpointNotFound
	if errors.As(err, &nf) || errors.As(err, new(gophercloud.ErrEndpointNotFound)) {
		return &deltacloud.Error{Code: deltacloud.NotSupported, Message: fmt.Sprintf("openstack: the catalog has no %s endpoint for this region and interface", service), Err: err}
	}
	return &deltacloud.Error{Code: deltacloud.Backend, Message: "openstack: " + service + " endpoint", Err: err}
}
