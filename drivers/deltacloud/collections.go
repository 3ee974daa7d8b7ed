package deltacloud

import (
	"context"
	"net/http"
	"strconv"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/internal/wire"
)

// The optional collections but buckets and blobs (blobs.go), each over the
// original server's routes: keys, firewalls, addresses, storage volumes and
// snapshots, metrics, and images.

var (
	_ deltacloud.KeyConn        = (*conn)(nil)
	_ deltacloud.FirewallConn   = (*conn)(nil)
	_ deltacloud.AddressConn    = (*conn)(nil)
	_ deltacloud.VolumeConn     = (*conn)(nil)
	_ deltacloud.SnapshotConn   = (*conn)(nil)
	_ deltacloud.BucketConn     = (*conn)(nil)
	_ deltacloud.MetricConn     = (*conn)(nil)
	_ deltacloud.ImageCreator   = (*conn)(nil)
	_ deltacloud.ImageDestroyer = (*conn)(nil)
)

// Keys lists GET {B}/keys.
func (c *conn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	return list(ctx, c, deltacloud.CollectionKeys, wire.DecodeKeys, noErr((*wire.Keys).Model))
}

// CreateKey posts name (and public_key to import one). The original server
// answers a taken name with 403, which is Conflict here as everywhere.
func (c *conn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	k, err := create(ctx, c, deltacloud.CollectionKeys, formOf("name", spec.Name, "public_key", spec.PublicKey),
		wire.DecodeKey, noErr((*wire.Key).Model))
	if e, ok := err.(*deltacloud.Error); ok && e.Code == deltacloud.Forbidden {
		e.Code, e.ID = deltacloud.Conflict, spec.Name
	}
	return k, err
}

// DestroyKey deletes {B}/keys/:id.
func (c *conn) DestroyKey(ctx context.Context, id string) error {
	return c.destroyMember(ctx, deltacloud.CollectionKeys, id)
}

// Firewalls lists GET {B}/firewalls.
func (c *conn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	return list(ctx, c, deltacloud.CollectionFirewalls, wire.DecodeFirewalls, (*wire.FirewallList).Model)
}

// CreateFirewall posts name and description.
func (c *conn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	return create(ctx, c, deltacloud.CollectionFirewalls, formOf("name", spec.Name, "description", spec.Description),
		wire.DecodeFirewall, (*wire.Firewall).Model)
}

// DestroyFirewall deletes {B}/firewalls/:id.
func (c *conn) DestroyFirewall(ctx context.Context, id string) error {
	return c.destroyMember(ctx, deltacloud.CollectionFirewalls, id)
}

// AddFirewallRule posts the rule to {B}/firewalls/:id/rules, which answers
// with the firewall.
func (c *conn) AddFirewallRule(ctx context.Context, id string, rule deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	href, err := c.subHref(deltacloud.CollectionFirewalls, id, wire.RulesAction)
	if err != nil {
		return nil, err
	}
	body, err := c.post(ctx, href, wire.FirewallRuleParams(rule), http.StatusCreated, http.StatusOK, http.StatusAccepted)
	if err != nil {
		return nil, err
	}
	f, err := decodeDoc("firewall", body, wire.DecodeFirewall, (*wire.Firewall).Model)
	if err != nil {
		return nil, err
	}
	return &f, nil
}

// DeleteFirewallRule deletes {B}/firewalls/:id/:rule_id.
func (c *conn) DeleteFirewallRule(ctx context.Context, id, ruleID string) error {
	href, err := c.subHref(deltacloud.CollectionFirewalls, id, ruleID)
	if err != nil {
		return err
	}
	return c.destroy(ctx, href)
}

// Addresses lists GET {B}/addresses.
func (c *conn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	return list(ctx, c, deltacloud.CollectionAddresses, wire.DecodeIPAddresses, noErr((*wire.IPAddresses).Model))
}

// CreateAddress posts to {B}/addresses, which takes no parameters.
func (c *conn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	return create(ctx, c, deltacloud.CollectionAddresses, nil, wire.DecodeIPAddress, noErr((*wire.IPAddress).Model))
}

// DestroyAddress deletes {B}/addresses/:id; the 403 of an address in use
// is InvalidState.
func (c *conn) DestroyAddress(ctx context.Context, id string) error {
	return stateConflict(c.destroyMember(ctx, deltacloud.CollectionAddresses, id), id)
}

// AssociateAddress posts instance_id to {B}/addresses/:id/associate, which
// answers 202 without a body; the 403 of an address in use is
// InvalidState.
func (c *conn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	return c.addressAction(ctx, id, wire.RelAssociate, formOf("instance_id", instanceID))
}

// DisassociateAddress posts to {B}/addresses/:id/disassociate; the 403 of a
// free address is InvalidState.
func (c *conn) DisassociateAddress(ctx context.Context, id string) error {
	return c.addressAction(ctx, id, wire.RelDisassociate, nil)
}

func (c *conn) addressAction(ctx context.Context, id, action string, form map[string][]string) error {
	href, err := c.subHref(deltacloud.CollectionAddresses, id, action)
	if err != nil {
		return err
	}
	if form == nil {
		form = map[string][]string{}
	}
	resp, err := c.do(ctx, http.MethodPost, href, form)
	if err != nil {
		return err
	}
	if err := resp.expect(http.StatusAccepted, http.StatusOK, http.StatusNoContent); err != nil {
		return stateConflict(err, id)
	}
	return nil
}

// StorageVolumes lists GET {B}/storage_volumes.
func (c *conn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	return list(ctx, c, deltacloud.CollectionStorageVolumes, wire.DecodeStorageVolumes, (*wire.StorageVolumeList).Model)
}

// CreateStorageVolume posts snapshot_id, capacity, realm_id, name and
// description, each where set.
func (c *conn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	form := formOf("snapshot_id", spec.SnapshotID, "realm_id", spec.RealmID, "name", spec.Name, "description", spec.Description)
	if spec.Capacity > 0 {
		form.Set("capacity", strconv.Itoa(spec.Capacity))
	}
	return create(ctx, c, deltacloud.CollectionStorageVolumes, form, wire.DecodeStorageVolume, (*wire.StorageVolume).Model)
}

// DestroyStorageVolume deletes {B}/storage_volumes/:id; a refusal because
// the volume is in use is InvalidState.
func (c *conn) DestroyStorageVolume(ctx context.Context, id string) error {
	return stateConflict(c.destroyMember(ctx, deltacloud.CollectionStorageVolumes, id), id)
}

// AttachStorageVolume posts instance_id and device (which the API requires
// even when empty) to {B}/storage_volumes/:id/attach.
func (c *conn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	return c.volumeAction(ctx, id, wire.RelAttach, map[string][]string{"instance_id": {instanceID}, "device": {device}})
}

// DetachStorageVolume posts to {B}/storage_volumes/:id/detach.
func (c *conn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	return c.volumeAction(ctx, id, wire.RelDetach, nil)
}

// volumeAction posts an attach or detach, which answers 202 with the
// volume (or, from a lenient server, nothing: the volume is read then).
func (c *conn) volumeAction(ctx context.Context, id, action string, form map[string][]string) (*deltacloud.StorageVolume, error) {
	href, err := c.subHref(deltacloud.CollectionStorageVolumes, id, action)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = map[string][]string{}
	}
	resp, err := c.do(ctx, http.MethodPost, href, form)
	if err != nil {
		return nil, err
	}
	if err := resp.expect(http.StatusAccepted, http.StatusOK, http.StatusNoContent); err != nil {
		return nil, stateConflict(err, id)
	}
	if resp.status == http.StatusNoContent || len(resp.body) == 0 {
		return member(ctx, c, deltacloud.CollectionStorageVolumes, id, wire.DecodeStorageVolume, (*wire.StorageVolume).Model)
	}
	v, err := decodeDoc("storage_volume", resp.body, wire.DecodeStorageVolume, (*wire.StorageVolume).Model)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// StorageSnapshots lists GET {B}/storage_snapshots.
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	return list(ctx, c, deltacloud.CollectionStorageSnapshots, wire.DecodeStorageSnapshots, (*wire.StorageSnapshots).Model)
}

// CreateStorageSnapshot posts volume_id, name and description.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	form := formOf("volume_id", spec.VolumeID, "name", spec.Name, "description", spec.Description)
	return create(ctx, c, deltacloud.CollectionStorageSnapshots, form, wire.DecodeStorageSnapshot, (*wire.StorageSnapshot).Model)
}

// DestroyStorageSnapshot deletes {B}/storage_snapshots/:id.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	return c.destroyMember(ctx, deltacloud.CollectionStorageSnapshots, id)
}

// Metrics lists GET {B}/metrics, without samples.
func (c *conn) Metrics(ctx context.Context) ([]deltacloud.Metric, error) {
	return list(ctx, c, deltacloud.CollectionMetrics, wire.DecodeMetrics, (*wire.Metrics).Model)
}

// Metric reads GET {B}/metrics/:id with its samples.
func (c *conn) Metric(ctx context.Context, id string) (*deltacloud.Metric, error) {
	return member(ctx, c, deltacloud.CollectionMetrics, id, wire.DecodeMetric, (*wire.Metric).Model)
}

// CreateImage posts instance_id, name and description to {B}/images.
func (c *conn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	form := formOf("instance_id", spec.InstanceID, "name", spec.Name, "description", spec.Description)
	return create(ctx, c, deltacloud.CollectionImages, form, wire.DecodeImage, (*wire.Image).Model)
}

// DestroyImage deletes {B}/images/:id.
func (c *conn) DestroyImage(ctx context.Context, id string) error {
	return c.destroyMember(ctx, deltacloud.CollectionImages, id)
}
