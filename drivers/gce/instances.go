package gce

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"sync"
	"time"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// ownerFilter is the list filter that selects what the provider owns.
func (c *conn) ownerFilter() string {
	return fmt.Sprintf("labels.%s = %q", LabelOwner, c.opts.owner)
}

// Instances lists the owned instances of the region's zones (one paged
// list per zone, run at once), or of one zone with a realm filter.
func (c *conn) Instances(ctx context.Context, f deltacloud.InstanceFilter) ([]deltacloud.Instance, error) {
	if f.ID != "" {
		in, zone, err := c.instance(ctx, f.ID)
		if isNotFoundErr(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []deltacloud.Instance{c.instanceOf(in, zone)}, nil
	}
	zones, err := c.zoneNames(ctx)
	if err != nil {
		return nil, err
	}
	if f.Realm != "" {
		zones = filterZones(zones, f.Realm)
	}
	lists := make([][]*compute.Instance, len(zones))
	errs := make([]error, len(zones))
	var wg sync.WaitGroup
	for i, z := range zones {
		wg.Go(func() {
			errs[i] = c.compute.Instances.List(c.scope.Project, z).Filter(c.ownerFilter()).Context(ctx).
				Pages(ctx, func(l *compute.InstanceList) error {
					lists[i] = append(lists[i], l.Items...)
					return nil
				})
		})
	}
	wg.Wait()
	n := 0
	for i := range zones {
		if errs[i] != nil {
			return nil, wrap(errs[i])
		}
		n += len(lists[i])
	}
	out := make([]deltacloud.Instance, 0, n)
	c.mu.Lock()
	for i, z := range zones {
		for _, in := range lists[i] {
			c.zoneOf[in.Name] = z
		}
	}
	c.mu.Unlock()
	for i, z := range zones {
		for _, in := range lists[i] {
			out = append(out, c.instanceOf(in, z))
		}
	}
	return out, nil
}

func filterZones(zones []string, want string) []string {
	for _, z := range zones {
		if z == want {
			return []string{z}
		}
	}
	return nil
}

// Instance gets one owned instance.
func (c *conn) Instance(ctx context.Context, id string) (*deltacloud.Instance, error) {
	in, zone, err := c.instance(ctx, id)
	if err != nil {
		return nil, err
	}
	out := c.instanceOf(in, zone)
	return &out, nil
}

// instance finds an owned instance by name: in the zone it was last seen
// in, else in each zone of the region. Another owner's instance is
// ErrNotFound.
func (c *conn) instance(ctx context.Context, id string) (*compute.Instance, string, error) {
	if !nameRE.MatchString(id) {
		return nil, "", notFound("instance", id)
	}
	c.mu.Lock()
	cached := c.zoneOf[id]
	c.mu.Unlock()
	zones, err := c.zoneNames(ctx)
	if err != nil {
		return nil, "", err
	}
	if cached != "" {
		zones = append([]string{cached}, zones...)
	}
	tried := map[string]bool{}
	for _, z := range zones {
		if tried[z] {
			continue
		}
		tried[z] = true
		in, err := c.compute.Instances.Get(c.scope.Project, z, id).Context(ctx).Do()
		if isNotFound(err) {
			continue
		}
		if err != nil {
			return nil, "", wrap(err)
		}
		if in.Labels[LabelOwner] != c.opts.owner {
			continue
		}
		c.mu.Lock()
		c.zoneOf[id] = z
		c.mu.Unlock()
		return in, z, nil
	}
	c.mu.Lock()
	delete(c.zoneOf, id)
	c.mu.Unlock()
	return nil, "", notFound("instance", id)
}

// customTypeRE reads a custom machine type's vCPUs and MiB.
var customTypeRE = regexp.MustCompile(`^custom-([0-9]+)-([0-9]+)$`)

// instanceOf maps a Compute instance onto an instance.
func (c *conn) instanceOf(in *compute.Instance, zone string) deltacloud.Instance {
	meta := metadataOf(in)
	out := deltacloud.Instance{
		ID: in.Name, Name: in.Name, Owner: c.scope.Project, ImageID: meta[MetaImage], RealmID: zone,
		State: MapState(in.Status),
	}
	if n := meta[MetaName]; n != "" {
		out.Name = n
	}
	mt := last(in.MachineType)
	out.Profile.ID = mt
	if m := customTypeRE.FindStringSubmatch(mt); m != nil {
		out.Profile = deltacloud.InstanceProfile{ID: CustomProfileID,
			Overrides: map[string]string{deltacloud.PropertyCPU: m[1], deltacloud.PropertyMemory: m[2]}}
	}
	for _, ni := range in.NetworkInterfaces {
		if ni.NetworkIP != "" {
			out.PrivateAddresses = append(out.PrivateAddresses, deltacloud.Address{Value: ni.NetworkIP, Type: deltacloud.AddressIPv4})
		}
		for _, ac := range ni.AccessConfigs {
			if ac.NatIP != "" {
				out.PublicAddresses = append(out.PublicAddresses, deltacloud.Address{Value: ac.NatIP, Type: deltacloud.AddressIPv4})
			}
		}
	}
	if t, err := time.Parse(time.RFC3339, in.CreationTimestamp); err == nil {
		out.LaunchTime = t
	}
	if meta[MetaKey] != "" {
		out.Authentication = &deltacloud.Authentication{Method: "key", Username: c.opts.sshUser}
	}
	if in.Tags != nil && len(in.Tags.Items) > 0 {
		out.Firewalls = append([]string(nil), in.Tags.Items...)
	}
	for _, d := range in.Disks {
		if !d.Boot {
			out.StorageVolumes = append(out.StorageVolumes, deltacloud.VolumeAttachment{VolumeID: last(d.Source), Device: d.DeviceName})
		}
	}
	out.CanCreateImage = out.State == deltacloud.StateRunning || out.State == deltacloud.StateStopped
	if t := meta[MetaTags]; t != "" {
		var tags map[string]string
		if json.Unmarshal([]byte(t), &tags) == nil && len(tags) > 0 {
			out.Tags = tags
		}
	}
	out.Extra = map[string]string{"machine_type": mt, "status": in.Status}
	return out
}

// metadataOf is an instance's metadata items as a map.
func metadataOf(in *compute.Instance) map[string]string {
	out := map[string]string{}
	if in.Metadata == nil {
		return out
	}
	for _, it := range in.Metadata.Items {
		if it != nil && it.Value != nil {
			out[it.Key] = *it.Value
		}
	}
	return out
}

// Act performs an action and waits for its operation; destroy returns once
// the instance is deleted, the others with the instance read again.
func (c *conn) Act(ctx context.Context, id string, a deltacloud.Action) (*deltacloud.Instance, error) {
	_, zone, err := c.instance(ctx, id)
	if err != nil {
		return nil, err
	}
	p, is := c.scope.Project, c.compute.Instances
	var op *compute.Operation
	switch actionMethods[a] {
	case "start":
		op, err = is.Start(p, zone, id).Context(ctx).Do()
	case "stop":
		op, err = is.Stop(p, zone, id).Context(ctx).Do()
	case "reset":
		op, err = is.Reset(p, zone, id).Context(ctx).Do()
	case "suspend":
		op, err = is.Suspend(p, zone, id).Context(ctx).Do()
	case "resume":
		op, err = is.Resume(p, zone, id).Context(ctx).Do()
	default:
		if a != deltacloud.ActionDestroy {
			return nil, &deltacloud.Error{Code: deltacloud.NotSupported, Message: "gce: no action " + strconv.Quote(string(a))}
		}
		op, err = is.Delete(p, zone, id).Context(ctx).Do()
		if err := c.wait(ctx, op, err); err != nil {
			return nil, err
		}
		c.mu.Lock()
		delete(c.zoneOf, id)
		c.mu.Unlock()
		return nil, nil
	}
	if err := c.wait(ctx, op, err); err != nil {
		return nil, err
	}
	return c.Instance(ctx, id)
}

// sortedKeys is a map's keys in order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
