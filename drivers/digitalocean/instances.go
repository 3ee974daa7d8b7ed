package digitalocean

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// Instances lists the droplets carrying the owner tag (one paged listing by
// tag); with an id filter, that droplet alone.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if f.ID != "" {
		in, err := c.Instance(ctx, f.ID)
		if errors.Is(err, deltacloud.ErrNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Instance{*in}, nil
	}
	ds, err := c.dropletsByTag(ctx, c.ownerTag)
	if err != nil {
		return nil, err
	}
	devices, err := c.volumeDevices(ctx, ds)
	if err != nil {
		return nil, err
	}
	out := make([]deltacloud.Instance, 0, len(ds))
	for i := range ds {
		out = append(out, c.instanceOf(&ds[i], devices))
	}
	return out, nil
}

func (c *conn) dropletsByTag(ctx context.Context, tag string) ([]godo.Droplet, error) {
	return listAll(ctx, c, func(ctx context.Context, opt *godo.ListOptions) ([]godo.Droplet, *godo.Response, error) {
		return c.client.Droplets.ListByTag(ctx, tag, opt)
	})
}

// Instance reads one droplet; one without the owner tag is ErrNotFound.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	d, err := c.droplet(ctx, id)
	if err != nil {
		return nil, err
	}
	devices, err := c.volumeDevices(ctx, []godo.Droplet{*d})
	if err != nil {
		return nil, err
	}
	in := c.instanceOf(d, devices)
	return &in, nil
}

// droplet reads a droplet the provider owns.
func (c *conn) droplet(ctx context.Context, id string) (*godo.Droplet, error) {
	if id == "" || len(id) > maxIDLen {
		return nil, notFound("droplet", id)
	}
	var d *godo.Droplet
	var err error
	if n, perr := strconv.Atoi(id); perr == nil && n > 0 {
		d, _, err = c.client.Droplets.Get(ctx, n)
	} else {
		// Not a droplet number: DigitalOcean answers 404, and asking it
		// keeps the call's cost and cancellation those of any other id.
		d, err = c.getDroplet(ctx, id)
	}
	if err != nil {
		if classify(err) == deltacloud.NotFound {
			return nil, notFound("droplet", id)
		}
		return nil, c.wrap(err)
	}
	if !c.owns(d.Tags) {
		return nil, notFound("droplet", id)
	}
	return d, nil
}

// instanceOf maps a droplet; devices names its volumes' devices (nil when
// it has none).
func (c *conn) instanceOf(d *godo.Droplet, devices map[string]string) deltacloud.Instance {
	state := MapState(d.Status)
	in := deltacloud.Instance{ID: strconv.Itoa(d.ID), Name: d.Name, Owner: c.opts.owner,
		Profile: deltacloud.InstanceProfile{ID: d.SizeSlug}, State: state, Actions: lifecycle.Actions(state),
		CanCreateImage: state == deltacloud.StateRunning || state == deltacloud.StateStopped}
	if d.Image != nil {
		in.ImageID = imageID(*d.Image)
	}
	if d.Region != nil {
		in.RealmID = d.Region.Slug
	}
	if d.Networks != nil {
		for _, n := range d.Networks.V4 {
			a := deltacloud.Address{Value: n.IPAddress, Type: deltacloud.AddressIPv4}
			if n.Type == "public" {
				in.PublicAddresses = append(in.PublicAddresses, a)
			} else {
				in.PrivateAddresses = append(in.PrivateAddresses, a)
			}
		}
		for _, n := range d.Networks.V6 {
			if n.Type == "public" {
				in.PublicAddresses = append(in.PublicAddresses, deltacloud.Address{Value: n.IPAddress, Type: deltacloud.AddressIPv6})
			}
		}
	}
	if t, err := time.Parse(time.RFC3339, d.Created); err == nil {
		in.LaunchTime = t
	}
	for _, v := range d.VolumeIDs {
		in.StorageVolumes = append(in.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: v, Device: devices[v]})
	}
	return in
}

// Act runs a droplet action and waits for it: start is power_on, reboot
// reboot, stop shutdown with a power_off fallback, destroy a delete.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	d, err := c.droplet(ctx, id)
	if err != nil {
		return nil, err
	}
	switch a {
	case deltacloud.ActionStart:
		err = c.dropletAction(ctx, d, "power_on", c.client.DropletActions.PowerOn)
	case deltacloud.ActionReboot:
		err = c.dropletAction(ctx, d, "reboot", c.client.DropletActions.Reboot)
	case deltacloud.ActionStop:
		err = c.stop(ctx, d)
	case deltacloud.ActionDestroy:
		if _, err := c.client.Droplets.Delete(ctx, d.ID); err != nil {
			return nil, c.wrap(err)
		}
		in := c.instanceOf(d, nil)
		in.State, in.Actions = deltacloud.StateShuttingDown, lifecycle.Actions(deltacloud.StateShuttingDown)
		return &in, nil
	default:
		return nil, deltacloud.Errorf(deltacloud.NotSupported, "digitalocean: action %q is not supported", a)
	}
	if err != nil {
		return nil, err
	}
	return c.Instance(ctx, id)
}

// stop shuts the droplet down gracefully and powers it off when the
// shutdown errors or outlasts stop_timeout.
func (c *conn) stop(ctx context.Context, d *godo.Droplet) error {
	sctx, cancel := context.WithTimeout(ctx, c.opts.stopTimeout)
	err := c.dropletAction(sctx, d, "shutdown", c.client.DropletActions.Shutdown)
	cancel()
	if err == nil || ctx.Err() != nil {
		return err
	}
	var e *deltacloud.Error
	if errors.As(err, &e) && (e.Code == deltacloud.InvalidState || e.Code == deltacloud.NotFound) {
		return err
	}
	return c.dropletAction(ctx, d, "power_off", c.client.DropletActions.PowerOff)
}

// dropletAction starts an action and waits for it. A refusal (422: the
// droplet is busy or already in that power state) is ErrInvalidState.
func (c *conn) dropletAction(ctx context.Context, d *godo.Droplet, kind string, start func(context.Context, int) (*godo.Action, *godo.Response, error)) error {
	act, _, err := start(ctx, d.ID)
	if err != nil {
		return c.actionErr(d, kind, err)
	}
	return c.await(ctx, act, func(ctx context.Context, id int) (*godo.Action, *godo.Response, error) {
		return c.client.Actions.Get(ctx, id)
	})
}

// actionErr maps the error of starting a droplet action: a refusal (422:
// the droplet is busy or already in that state) is ErrInvalidState.
func (c *conn) actionErr(d *godo.Droplet, kind string, err error) error {
	var er *godo.ErrorResponse
	if errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == 422 {
		return &deltacloud.Error{Code: deltacloud.InvalidState, ID: strconv.Itoa(d.ID), State: MapState(d.Status),
			Message: "digitalocean: " + kind + " refused: " + truncate(er.Message, 200), Err: opaque{er}}
	}
	return c.wrap(err)
}

// await polls an action every poll_interval until it is completed; an
// errored action is ErrBackend.
func (c *conn) await(ctx context.Context, act *godo.Action, get func(context.Context, int) (*godo.Action, *godo.Response, error)) error {
	if act == nil {
		return deltacloud.Errorf(deltacloud.Backend, "digitalocean: the API answered no action")
	}
	for {
		switch act.Status {
		case godo.ActionCompleted:
			return nil
		case "errored":
			return deltacloud.Errorf(deltacloud.Backend, "digitalocean: action %s %d errored", act.Type, act.ID)
		}
		t := time.NewTimer(c.opts.pollInterval)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		next, _, err := get(ctx, act.ID)
		if err != nil {
			return c.wrap(err)
		}
		act = next
	}
}

// maxIDLen bounds the ids sent to the API.
const maxIDLen = 64

// getDroplet reads a droplet by an id godo's typed call cannot take.
func (c *conn) getDroplet(ctx context.Context, id string) (*godo.Droplet, error) {
	req, err := c.client.NewRequest(ctx, http.MethodGet, "v2/droplets/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	var root struct {
		Droplet *godo.Droplet `json:"droplet"`
	}
	if _, err := c.client.Do(ctx, req, &root); err != nil {
		return nil, err
	}
	if root.Droplet == nil {
		return nil, notFound("droplet", id)
	}
	return root.Droplet, nil
}
