package drivertest_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/deltacloud-go/deltacloud"
)

// fakeOptional is the fake's state of the optional collections, guarded by
// the fakeConn's mutex.
type fakeOptional struct {
	next      int // the counter behind every generated id
	keys      map[string]*deltacloud.Key
	firewalls map[string]*deltacloud.Firewall
	addresses map[string]*deltacloud.IPAddress
	volumes   map[string]*deltacloud.StorageVolume
	snapshots map[string]*deltacloud.StorageSnapshot
	buckets   map[string]map[string]*fakeBlob // bucket → blob id → blob
}

type fakeBlob struct {
	deltacloud.Blob
	data []byte
}

func newFakeOptional() *fakeOptional {
	return &fakeOptional{
		keys: map[string]*deltacloud.Key{"seed-key": {ID: "seed-key", Name: "seed-key", Type: deltacloud.KeyTypeKey, Fingerprint: "00:11"}},
		firewalls: map[string]*deltacloud.Firewall{"sg-seed": {ID: "sg-seed", Name: "seed", Description: "seed", Owner: fakeUser,
			Rules: []deltacloud.FirewallRule{{ID: "rule-seed", Protocol: "tcp", PortFrom: 80, PortTo: 80,
				Sources: []deltacloud.RuleSource{{Type: deltacloud.SourceAddress, Prefix: netip.MustParsePrefix("0.0.0.0/0")}}}}}},
		addresses: map[string]*deltacloud.IPAddress{"10.9.0.1": {ID: "10.9.0.1", IP: "10.9.0.1"}},
		volumes:   map[string]*deltacloud.StorageVolume{},
		snapshots: map[string]*deltacloud.StorageSnapshot{},
		buckets:   map[string]map[string]*fakeBlob{},
	}
}

// newID returns a fresh id with the prefix. The caller holds c.mu.
func (c *fakeConn) newID(prefix string) string {
	c.optional.next++
	return fmt.Sprintf("%s%d", prefix, c.optional.next)
}

func notFoundErr(what, id string) error {
	return &deltacloud.Error{Code: deltacloud.NotFound, ID: id, Message: "fake: no such " + what}
}

// values returns the map's values in key order, copied by cp.
func values[T any](m map[string]*T, cp func(T) T) []T {
	out := make([]T, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, cp(*m[k]))
	}
	return out
}

func same[T any](v T) T { return v }

// lockRead begins a call and takes the lock; the caller unlocks.
func (c *fakeConn) lockRead(ctx context.Context) error {
	if err := c.begin(ctx, opRead); err != nil {
		return err
	}
	c.mu.Lock()
	return nil
}

// Keys.

func (c *fakeConn) Keys(ctx context.Context) ([]deltacloud.Key, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return values(c.optional.keys, same), nil
}

func (c *fakeConn) CreateKey(ctx context.Context, spec deltacloud.KeySpec) (*deltacloud.Key, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	if _, ok := c.optional.keys[spec.Name]; ok {
		return nil, &deltacloud.Error{Code: deltacloud.Conflict, ID: spec.Name, Message: "fake: key exists"}
	}
	k := &deltacloud.Key{ID: spec.Name, Name: spec.Name, Type: deltacloud.KeyTypeKey,
		Fingerprint: fmt.Sprintf("fp:%d", len(c.optional.keys)), PublicKey: spec.PublicKey}
	c.optional.keys[k.ID] = k
	out := *k
	if spec.PublicKey == "" {
		out.PrivateKey = "-----BEGIN PRIVATE KEY-----\nfake\n-----END PRIVATE KEY-----\n"
	}
	return &out, nil
}

func (c *fakeConn) DestroyKey(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	if _, ok := c.optional.keys[id]; !ok {
		return notFoundErr("key", id)
	}
	delete(c.optional.keys, id)
	return nil
}

// Firewalls.

func copyFirewall(f deltacloud.Firewall) deltacloud.Firewall {
	f.Rules = slices.Clone(f.Rules)
	for i := range f.Rules {
		f.Rules[i].Sources = slices.Clone(f.Rules[i].Sources)
	}
	return f
}

func (c *fakeConn) Firewalls(ctx context.Context) ([]deltacloud.Firewall, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return values(c.optional.firewalls, copyFirewall), nil
}

func (c *fakeConn) CreateFirewall(ctx context.Context, spec deltacloud.FirewallSpec) (*deltacloud.Firewall, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	f := &deltacloud.Firewall{ID: c.newID("sg-"), Name: spec.Name, Description: spec.Description, Owner: fakeUser}
	c.optional.firewalls[f.ID] = f
	out := copyFirewall(*f)
	return &out, nil
}

func (c *fakeConn) DestroyFirewall(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	if _, ok := c.optional.firewalls[id]; !ok {
		return notFoundErr("firewall", id)
	}
	delete(c.optional.firewalls, id)
	return nil
}

func (c *fakeConn) AddFirewallRule(ctx context.Context, id string, rule deltacloud.FirewallRuleSpec) (*deltacloud.Firewall, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	f, ok := c.optional.firewalls[id]
	if !ok {
		return nil, notFoundErr("firewall", id)
	}
	f.Rules = append(f.Rules, deltacloud.FirewallRule{ID: c.newID("rule-"), Protocol: rule.Protocol,
		PortFrom: rule.PortFrom, PortTo: rule.PortTo, Sources: slices.Clone(rule.Sources)})
	out := copyFirewall(*f)
	return &out, nil
}

func (c *fakeConn) DeleteFirewallRule(ctx context.Context, id, ruleID string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	f, ok := c.optional.firewalls[id]
	if !ok {
		return notFoundErr("firewall", id)
	}
	i := slices.IndexFunc(f.Rules, func(r deltacloud.FirewallRule) bool { return r.ID == ruleID })
	if i < 0 {
		return notFoundErr("rule", ruleID)
	}
	f.Rules = slices.Delete(f.Rules, i, i+1)
	return nil
}

// Addresses.

func (c *fakeConn) Addresses(ctx context.Context) ([]deltacloud.IPAddress, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return values(c.optional.addresses, same), nil
}

func (c *fakeConn) CreateAddress(ctx context.Context) (*deltacloud.IPAddress, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	ip := netip.MustParseAddr("10.9.0.1")
	for c.optional.addresses[ip.String()] != nil {
		ip = ip.Next()
	}
	a := &deltacloud.IPAddress{ID: ip.String(), IP: ip.String()}
	c.optional.addresses[a.ID] = a
	out := *a
	return &out, nil
}

func (c *fakeConn) address(id string) (*deltacloud.IPAddress, error) {
	a, ok := c.optional.addresses[id]
	if !ok {
		return nil, notFoundErr("address", id)
	}
	return a, nil
}

func (c *fakeConn) DestroyAddress(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	if _, err := c.address(id); err != nil {
		return err
	}
	delete(c.optional.addresses, id)
	return nil
}

func (c *fakeConn) AssociateAddress(ctx context.Context, id, instanceID string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	a, err := c.address(id)
	if err != nil {
		return err
	}
	if _, err := c.lookup(instanceID); err != nil {
		return err
	}
	a.InstanceID = instanceID
	return nil
}

func (c *fakeConn) DisassociateAddress(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	a, err := c.address(id)
	if err != nil {
		return err
	}
	a.InstanceID = ""
	return nil
}

// Storage volumes and snapshots.

func (c *fakeConn) StorageVolumes(ctx context.Context) ([]deltacloud.StorageVolume, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return values(c.optional.volumes, same), nil
}

func (c *fakeConn) CreateStorageVolume(ctx context.Context, spec deltacloud.StorageVolumeSpec) (*deltacloud.StorageVolume, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	v := &deltacloud.StorageVolume{ID: c.newID("vol-"), Name: spec.Name, Description: spec.Description,
		Capacity: max(spec.Capacity, 1), RealmID: cmpOr(spec.RealmID, fakeRealms[0].ID),
		State: deltacloud.VolumeAvailable, Created: time.Now().UTC().Truncate(time.Second)}
	if v.Name == "" || c.defect == defectIgnoresVolumeName {
		v.Name = v.ID
	}
	c.optional.volumes[v.ID] = v
	out := *v
	return &out, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (c *fakeConn) volume(id string) (*deltacloud.StorageVolume, error) {
	v, ok := c.optional.volumes[id]
	if !ok {
		return nil, notFoundErr("volume", id)
	}
	return v, nil
}

func (c *fakeConn) DestroyStorageVolume(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	if _, err := c.volume(id); err != nil {
		return err
	}
	delete(c.optional.volumes, id)
	return nil
}

func (c *fakeConn) AttachStorageVolume(ctx context.Context, id, instanceID, device string) (*deltacloud.StorageVolume, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	v, err := c.volume(id)
	if err != nil {
		return nil, err
	}
	if _, err := c.lookup(instanceID); err != nil {
		return nil, err
	}
	v.State, v.InstanceID, v.Device = deltacloud.VolumeInUse, instanceID, device
	out := *v
	return &out, nil
}

func (c *fakeConn) DetachStorageVolume(ctx context.Context, id string) (*deltacloud.StorageVolume, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	v, err := c.volume(id)
	if err != nil {
		return nil, err
	}
	v.State, v.InstanceID, v.Device = deltacloud.VolumeAvailable, "", ""
	out := *v
	return &out, nil
}

func (c *fakeConn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	return values(c.optional.snapshots, same), nil
}

func (c *fakeConn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	if _, err := c.volume(spec.VolumeID); err != nil {
		return nil, err
	}
	sn := &deltacloud.StorageSnapshot{ID: c.newID("snap-"), Name: spec.Name, Description: spec.Description,
		VolumeID: spec.VolumeID, State: deltacloud.SnapshotCompleted, Created: time.Now().UTC().Truncate(time.Second)}
	c.optional.snapshots[sn.ID] = sn
	out := *sn
	return &out, nil
}

func (c *fakeConn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	if _, ok := c.optional.snapshots[id]; !ok {
		return notFoundErr("snapshot", id)
	}
	delete(c.optional.snapshots, id)
	return nil
}

// Buckets and blobs.

func (c *fakeConn) Buckets(ctx context.Context) ([]deltacloud.Bucket, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out []deltacloud.Bucket
	for _, id := range slices.Sorted(maps.Keys(c.optional.buckets)) {
		out = append(out, deltacloud.Bucket{ID: id, Name: id, Size: -1})
	}
	return out, nil
}

func (c *fakeConn) Bucket(ctx context.Context, id string) (*deltacloud.Bucket, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	blobs, ok := c.optional.buckets[id]
	if !ok {
		return nil, notFoundErr("bucket", id)
	}
	ids := slices.Sorted(maps.Keys(blobs))
	return &deltacloud.Bucket{ID: id, Name: id, Size: len(ids), BlobIDs: ids}, nil
}

func (c *fakeConn) CreateBucket(ctx context.Context, spec deltacloud.BucketSpec) (*deltacloud.Bucket, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	if _, ok := c.optional.buckets[spec.Name]; ok {
		return nil, &deltacloud.Error{Code: deltacloud.Conflict, ID: spec.Name, Message: "fake: bucket exists"}
	}
	c.optional.buckets[spec.Name] = map[string]*fakeBlob{}
	return &deltacloud.Bucket{ID: spec.Name, Name: spec.Name, BlobIDs: []string{}}, nil
}

func (c *fakeConn) DestroyBucket(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	blobs, ok := c.optional.buckets[id]
	switch {
	case !ok:
		return notFoundErr("bucket", id)
	case len(blobs) > 0:
		return &deltacloud.Error{Code: deltacloud.InvalidState, ID: id, Message: "fake: bucket is not empty"}
	}
	delete(c.optional.buckets, id)
	return nil
}

// blob finds a blob. The caller holds c.mu.
func (c *fakeConn) blob(bucket, id string) (*fakeBlob, error) {
	blobs, ok := c.optional.buckets[bucket]
	if !ok {
		return nil, notFoundErr("bucket", bucket)
	}
	b, ok := blobs[id]
	if !ok {
		return nil, notFoundErr("blob", id)
	}
	return b, nil
}

func (b *fakeBlob) attrs() *deltacloud.Blob {
	out := b.Blob
	out.Metadata = maps.Clone(b.Metadata)
	return &out
}

func (c *fakeConn) Blob(ctx context.Context, bucket, id string) (*deltacloud.Blob, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	b, err := c.blob(bucket, id)
	if err != nil {
		return nil, err
	}
	return b.attrs(), nil
}

func (c *fakeConn) BlobContent(ctx context.Context, bucket, id string) (*deltacloud.Blob, io.ReadCloser, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, nil, err
	}
	defer c.mu.Unlock()
	b, err := c.blob(bucket, id)
	if err != nil {
		return nil, nil, err
	}
	data := b.data
	if c.defect == defectBlobCorrupt && len(data) > 0 {
		data = slices.Clone(data)
		data[len(data)/2] ^= 1
	}
	return b.attrs(), io.NopCloser(bytes.NewReader(data)), nil
}

// PutBlob reads the whole content before it stores anything, so a failed
// upload keeps nothing (unless the partial-blob defect says otherwise).
func (c *fakeConn) PutBlob(ctx context.Context, bucket string, spec deltacloud.BlobSpec, content io.Reader) (*deltacloud.Blob, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	_, ok := c.optional.buckets[bucket]
	c.mu.Unlock()
	if !ok {
		return nil, notFoundErr("bucket", bucket)
	}
	data, err := io.ReadAll(content)
	if err != nil && c.defect != defectPartialBlob {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	blobs, ok := c.optional.buckets[bucket]
	if !ok {
		return nil, notFoundErr("bucket", bucket)
	}
	b := &fakeBlob{data: data, Blob: deltacloud.Blob{ID: spec.ID, BucketID: bucket, ContentLength: int64(len(data)),
		ContentType: cmpOr(spec.ContentType, "application/octet-stream"), LastModified: time.Now().UTC().Truncate(time.Second),
		Metadata: maps.Clone(spec.Metadata)}}
	blobs[spec.ID] = b
	return b.attrs(), err
}

func (c *fakeConn) DestroyBlob(ctx context.Context, bucket, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	if _, err := c.blob(bucket, id); err != nil {
		return err
	}
	delete(c.optional.buckets[bucket], id)
	return nil
}

func (c *fakeConn) SetBlobMetadata(ctx context.Context, bucket, id string, meta map[string]string) (*deltacloud.Blob, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	b, err := c.blob(bucket, id)
	if err != nil {
		return nil, err
	}
	b.Metadata = maps.Clone(meta)
	return b.attrs(), nil
}

// Metrics: one per instance that is not destroyed.

var fakeMetricNames = []string{"cpuUtilization", "nicInputByte"}

func (c *fakeConn) Metrics(ctx context.Context) ([]deltacloud.Metric, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	var out []deltacloud.Metric
	for _, id := range slices.Sorted(maps.Keys(c.instances)) {
		if in := c.instances[id]; in.State != deltacloud.StateFinish {
			m := deltacloud.Metric{ID: id, Entity: in.Name}
			for _, n := range fakeMetricNames {
				m.Properties = append(m.Properties, deltacloud.MetricProperty{Name: n})
			}
			out = append(out, m)
		}
	}
	return out, nil
}

func (c *fakeConn) Metric(ctx context.Context, id string) (*deltacloud.Metric, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	in, ok := c.instances[id]
	if !ok || in.State == deltacloud.StateFinish {
		return nil, notFoundErr("metric", id)
	}
	m := &deltacloud.Metric{ID: id, Entity: in.Name}
	for i, n := range fakeMetricNames {
		m.Properties = append(m.Properties, deltacloud.MetricProperty{Name: n, Samples: []deltacloud.MetricSample{
			{Timestamp: time.Date(2024, 1, 1, 0, i, 0, 0, time.UTC), Minimum: 1, Average: 2, Maximum: 3, Unit: "Percent"},
		}})
	}
	return m, nil
}

// Images from instances.

func (c *fakeConn) CreateImage(ctx context.Context, spec deltacloud.ImageSpec) (*deltacloud.Image, error) {
	if err := c.lockRead(ctx); err != nil {
		return nil, err
	}
	defer c.mu.Unlock()
	in, err := c.lookup(spec.InstanceID)
	if err != nil {
		return nil, err
	}
	img := deltacloud.Image{ID: c.newID("img-"), Name: spec.Name, Description: spec.Description, Owner: fakeUser,
		Architecture: "x86_64", State: "AVAILABLE"}
	if img.Name == "" {
		img.Name = img.ID
	}
	if img.Description == "" {
		img.Description = "image of " + in.ID
	}
	c.images = append(c.images, img)
	return &img, nil
}

func (c *fakeConn) DestroyImage(ctx context.Context, id string) error {
	if err := c.lockRead(ctx); err != nil {
		return err
	}
	defer c.mu.Unlock()
	i := slices.IndexFunc(c.images, func(img deltacloud.Image) bool { return img.ID == id })
	if i < 0 || !strings.HasPrefix(id, "img-") || slices.ContainsFunc(fakeImages, func(img deltacloud.Image) bool { return img.ID == id }) {
		return notFoundErr("image", id)
	}
	c.images = slices.Delete(c.images, i, i+1)
	return nil
}
