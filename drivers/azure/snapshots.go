package azure

import (
	"context"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore/to"
	"github.com/Azure/azure-sdk-for-go/sdk/resourcemanager/compute/armcompute/v6"

	"github.com/deltacloud-go/deltacloud"
)

// snapshotOf maps a managed disk snapshot; its volume is the source disk's
// name.
func (c *conn) snapshotOf(s *armcompute.Snapshot) deltacloud.StorageSnapshot {
	out := deltacloud.StorageSnapshot{ID: str(s.Name), Name: str(s.Tags[TagName]), Description: str(s.Tags[TagDescription])}
	if out.Name == "" {
		out.Name = out.ID
	}
	p := s.Properties
	if p == nil {
		p = &armcompute.SnapshotProperties{}
	}
	if p.CreationData != nil {
		out.VolumeID = lastSegment(str(p.CreationData.SourceResourceID))
	}
	if p.TimeCreated != nil {
		out.Created = *p.TimeCreated
	}
	switch strings.ToLower(str(p.ProvisioningState)) {
	case "succeeded":
		out.State = deltacloud.SnapshotCompleted
	case "failed":
		out.State = deltacloud.SnapshotError
	default:
		out.State = deltacloud.SnapshotPending
	}
	return out
}

// StorageSnapshots lists the provider's managed disk snapshots (tagged with
// the owner) in the resource group.
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	var out []deltacloud.StorageSnapshot
	pg := c.snapshots.NewListByResourceGroupPager(c.scope.ResourceGroup, nil)
	for pg.More() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, wrap(err)
		}
		for _, s := range page.Value {
			if c.owned(s.Tags) {
				out = append(out, c.snapshotOf(s))
			}
		}
	}
	return out, nil
}

// snapshotRes fetches one of the provider's snapshots; anything else is
// ErrNotFound.
func (c *conn) snapshotRes(ctx context.Context, id string) (*armcompute.Snapshot, error) {
	if !diskNameRE.MatchString(id) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: no storage snapshot %q", id)
	}
	got, err := c.snapshots.Get(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return nil, wrap(err)
	}
	if !c.owned(got.Tags) {
		return nil, deltacloud.Errorf(deltacloud.NotFound, "azure: snapshot %q is not owner %q's", id, c.opts.owner)
	}
	return &got.Snapshot, nil
}

// CreateStorageSnapshot takes an incremental snapshot of a volume (a full
// copy where the disk type has no incremental snapshots is Azure's
// choice), named "<volume>-snap-<random>"; the requested name and
// description are kept in tags.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	d, err := c.disk(ctx, spec.VolumeID)
	if err != nil {
		return nil, err
	}
	suffix, err := randomHex(4)
	if err != nil {
		return nil, err
	}
	base := spec.VolumeID
	if len(base) > 60 {
		base = base[:60]
	}
	name := strings.TrimRight(base, ".-") + "-snap-" + suffix
	s := armcompute.Snapshot{
		Location: to.Ptr(c.scope.Location),
		Tags:     map[string]*string{TagOwner: to.Ptr(c.opts.owner)},
		Properties: &armcompute.SnapshotProperties{
			CreationData: &armcompute.CreationData{CreateOption: to.Ptr(armcompute.DiskCreateOptionCopy), SourceResourceID: d.ID},
			Incremental:  to.Ptr(true),
		},
	}
	if spec.Name != "" {
		s.Tags[TagName] = to.Ptr(spec.Name)
	}
	if spec.Description != "" {
		s.Tags[TagDescription] = to.Ptr(spec.Description)
	}
	poller, err := c.snapshots.BeginCreateOrUpdate(ctx, c.scope.ResourceGroup, name, s, nil)
	if err != nil {
		return nil, wrap(err)
	}
	res, err := poller.PollUntilDone(ctx, c.pollOpts())
	if err != nil {
		c.cleanupAfter(ctx, func(ctx context.Context) error {
			p, err := c.snapshots.BeginDelete(ctx, c.scope.ResourceGroup, name, nil)
			if err == nil {
				_, err = p.PollUntilDone(ctx, c.pollOpts())
			}
			return err
		})
		return nil, wrap(err)
	}
	out := c.snapshotOf(&res.Snapshot)
	return &out, nil
}

// DestroyStorageSnapshot deletes a snapshot.
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	if _, err := c.snapshotRes(ctx, id); err != nil {
		return err
	}
	poller, err := c.snapshots.BeginDelete(ctx, c.scope.ResourceGroup, id, nil)
	if err != nil {
		return wrap(err)
	}
	_, err = poller.PollUntilDone(ctx, c.pollOpts())
	return wrap(err)
}
