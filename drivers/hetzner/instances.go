package hetzner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"strconv"
	"time"

	"github.com/hetznercloud/hcloud-go/v2/hcloud"

	"github.com/deltacloud-go/deltacloud"
)

// Instances lists the servers carrying the ownership label (of the owner
// filter's value when it names another owner), with the label selector on
// the API's side; an id filter reads just that server.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if f.ID != "" {
		in, err := c.Instance(ctx, f.ID)
		if deltacloud.CodeOf(err) == deltacloud.NotFound {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Instance{*in}, nil
	}
	if err := c.authorized(); err != nil {
		return nil, err
	}
	sel := c.ownerSelector()
	if f.Owner != "" && f.Owner != deltacloud.OwnerSelf {
		if !labelText(f.Owner) {
			return nil, nil
		}
		sel = LabelOwner + "=" + f.Owner
	}
	if f.TagKey != "" && labelKey(f.TagKey) && (f.TagValue == "" || labelText(f.TagValue)) {
		sel += "," + f.TagKey
		if f.TagValue != "" {
			sel += "=" + f.TagValue
		}
	}
	opts := hcloud.ServerListOpts{ListOpts: hcloud.ListOpts{LabelSelector: sel}}
	if f.State != "" {
		opts.Status = statusesOf(f.State)
		if opts.Status == nil {
			return nil, nil
		}
	}
	servers, err := c.client.Server.AllWithOpts(ctx, opts)
	if err != nil {
		return nil, wrap(err)
	}
	out := make([]deltacloud.Instance, len(servers))
	for i, s := range servers {
		c.fill(&out[i], s)
	}
	return out, nil
}

// statusesOf lists the server statuses of a state (nil for none).
func statusesOf(s deltacloud.State) []hcloud.ServerStatus {
	var out []hcloud.ServerStatus
	for _, st := range []hcloud.ServerStatus{hcloud.ServerStatusInitializing, hcloud.ServerStatusStarting,
		hcloud.ServerStatusMigrating, hcloud.ServerStatusRebuilding, hcloud.ServerStatusRunning,
		hcloud.ServerStatusStopping, hcloud.ServerStatusOff, hcloud.ServerStatusDeleting, hcloud.ServerStatusUnknown} {
		if MapState(st) == s {
			out = append(out, st)
		}
	}
	return out
}

// Instance reads one server; a server without the ownership label is not
// found.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	s, err := c.ownedServer(ctx, id)
	if err != nil {
		return nil, err
	}
	var in deltacloud.Instance
	c.fill(&in, s)
	return &in, nil
}

// ownedServer reads a server the provider manages.
func (c *conn) ownedServer(ctx context.Context, id string) (*hcloud.Server, error) {
	n, err := c.parseID(ctx, "instance", id)
	if err != nil {
		return nil, err
	}
	s, _, err := c.client.Server.GetByID(ctx, n)
	if err != nil {
		return nil, wrap(err)
	}
	if s == nil || !c.owned(s.Labels) {
		return nil, notFound("instance", id)
	}
	return s, nil
}

// volumeDevice is the device Hetzner names a volume by on its server.
func volumeDevice(id int64) string {
	return "/dev/disk/by-id/scsi-0HC_Volume_" + strconv.FormatInt(id, 10)
}

// fill writes a server into an instance.
func (c *conn) fill(in *deltacloud.Instance, s *hcloud.Server) {
	*in = deltacloud.Instance{
		ID:         strconv.FormatInt(s.ID, 10),
		Name:       s.Name,
		Owner:      s.Labels[LabelOwner],
		State:      MapState(s.Status),
		LaunchTime: s.Created,
		Tags:       userTags(s.Labels),
	}
	if n := textFromLabels(s.Labels, LabelName); n != "" {
		in.Name = n
	}
	if s.Image != nil {
		in.ImageID = strconv.FormatInt(s.Image.ID, 10)
	}
	if s.Location != nil {
		in.RealmID = s.Location.Name
	}
	if s.ServerType != nil {
		in.Profile.ID = s.ServerType.Name
	}
	pub := s.PublicNet
	if !pub.IPv4.IsUnspecified() {
		in.PublicAddresses = append(in.PublicAddresses, deltacloud.Address{Value: pub.IPv4.IP.String(), Type: deltacloud.AddressIPv4})
	}
	if ip := pub.IPv6.IP; len(ip) == net.IPv6len && !ip.IsUnspecified() {
		host := make(net.IP, net.IPv6len)
		copy(host, ip)
		host[15] |= 1
		in.PublicAddresses = append(in.PublicAddresses, deltacloud.Address{Value: host.String(), Type: deltacloud.AddressIPv6})
	}
	for _, p := range s.PrivateNet {
		if p.IP != nil {
			in.PrivateAddresses = append(in.PrivateAddresses, deltacloud.Address{Value: p.IP.String(), Type: deltacloud.AddressIPv4})
		}
	}
	if k := s.Labels[LabelKeyName]; k != "" {
		in.Authentication = &deltacloud.Authentication{Method: "key", KeyName: textFromLabels(s.Labels, LabelKeyName), Username: "root"}
	}
	for _, fw := range pub.Firewalls {
		if fw != nil {
			in.Firewalls = append(in.Firewalls, strconv.FormatInt(fw.Firewall.ID, 10))
		}
	}
	for _, v := range s.Volumes {
		if v != nil {
			in.StorageVolumes = append(in.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: strconv.FormatInt(v.ID, 10), Device: volumeDevice(v.ID)})
		}
	}
	in.CanCreateImage = in.State == deltacloud.StateRunning || in.State == deltacloud.StateStopped
}

// Act starts, stops, reboots or destroys a server and waits for the
// action: start returns the server running, stop off (after an ACPI
// shutdown, or a power-off when the shutdown did not end it within
// stop_timeout, or at once with stop=poweroff), reboot running, and
// destroy once the server is deleted.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	s, err := c.ownedServer(ctx, id)
	if err != nil {
		return nil, err
	}
	var act *hcloud.Action
	switch a {
	case deltacloud.ActionStart:
		act, _, err = c.client.Server.Poweron(ctx, s)
	case deltacloud.ActionReboot:
		act, _, err = c.client.Server.Reboot(ctx, s)
	case deltacloud.ActionStop:
		if err := c.stop(ctx, s); err != nil {
			return nil, err
		}
		return c.Instance(ctx, id)
	case deltacloud.ActionDestroy:
		var res *hcloud.ServerDeleteResult
		res, _, err = c.client.Server.DeleteWithResult(ctx, s)
		if err == nil {
			err = c.wait(ctx, res.Action)
		}
		if isNotFound(err) {
			err = nil
		}
		return nil, wrap(err)
	default:
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "hetzner: action %q is not served", a)
	}
	if err != nil {
		return nil, wrap(err)
	}
	if err := c.wait(ctx, act); err != nil {
		return nil, err
	}
	return c.Instance(ctx, id)
}

// stop shuts a server down: an ACPI shutdown, then a power-off if the
// server still is not off after stop_timeout; with stop=poweroff a
// power-off at once.
func (c *conn) stop(ctx context.Context, s *hcloud.Server) error {
	if !c.opts.powerOff {
		act, _, err := c.client.Server.Shutdown(ctx, s)
		if err != nil {
			return wrap(err)
		}
		if err := c.wait(ctx, act); err != nil {
			return err
		}
		off, err := c.waitOff(ctx, s.ID, c.opts.stopTimeout)
		if err != nil || off {
			return err
		}
	}
	act, _, err := c.client.Server.Poweroff(ctx, s)
	if err != nil {
		return wrap(err)
	}
	return c.wait(ctx, act)
}

// waitOff polls a server until it is off or the timeout passes.
func (c *conn) waitOff(ctx context.Context, id int64, timeout time.Duration) (bool, error) {
	deadline := time.Now().Add(timeout)
	for {
		s, _, err := c.client.Server.GetByID(ctx, id)
		if err != nil {
			return false, wrap(err)
		}
		if s == nil {
			return false, notFound("instance", strconv.FormatInt(id, 10))
		}
		if s.Status == hcloud.ServerStatusOff {
			return true, nil
		}
		if !time.Now().Before(deadline) {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(min(c.opts.pollInterval, time.Until(deadline))):
		}
	}
}

// undo runs the clean-up of a failed create: at once while ctx lasts, in
// the background (for at most five minutes, Close waiting for it) once
// ctx has ended.
func (c *conn) undo(ctx context.Context, fn func(context.Context)) {
	if ctx.Err() == nil {
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		fn(cctx)
		return
	}
	c.cleanups.Add(1)
	go func() {
		defer c.cleanups.Done()
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Minute)
		defer cancel()
		fn(cctx)
	}()
}

// randomSuffix is n random hex characters.
func randomSuffix(n int) string {
	b := make([]byte, (n+1)/2)
	rand.Read(b)
	return hex.EncodeToString(b)[:n]
}
