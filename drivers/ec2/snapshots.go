package ec2

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/deltacloud-go/deltacloud"
)

// StorageSnapshots lists the account's own EBS snapshots (owner "self"),
// not the public ones; a snapshot's name is its Name tag.
func (c *conn) StorageSnapshots(ctx context.Context) ([]deltacloud.StorageSnapshot, error) {
	var ss []deltacloud.StorageSnapshot
	pg := ec2.NewDescribeSnapshotsPaginator(c.client, &ec2.DescribeSnapshotsInput{OwnerIds: []string{"self"}})
	for pg.HasMorePages() {
		page, err := pg.NextPage(ctx)
		if err != nil {
			return nil, c.wrap(err)
		}
		for _, s := range page.Snapshots {
			ss = append(ss, snapshotOf(s))
		}
	}
	return ss, nil
}

// StorageSnapshot describes one snapshot with DescribeSnapshots'
// SnapshotIds, whoever owns it; an unknown id is ErrNotFound
// (InvalidSnapshot.NotFound).
func (c *conn) StorageSnapshot(ctx context.Context, id string) (*deltacloud.StorageSnapshot, error) {
	if !strings.HasPrefix(id, "snap-") || len(id) > maxID {
		return nil, notFound("snapshot", id)
	}
	out, err := c.client.DescribeSnapshots(ctx, &ec2.DescribeSnapshotsInput{SnapshotIds: []string{id}})
	if err != nil {
		return nil, c.wrapGet(err, "snapshot", id)
	}
	for _, s := range out.Snapshots {
		if aws.ToString(s.SnapshotId) == id {
			snap := snapshotOf(s)
			return &snap, nil
		}
	}
	return nil, notFound("snapshot", id)
}

// maxID bounds the resource ids sent to EC2 in a lookup; EC2's are at most
// 21 characters (vol-, snap-, sg- and 17 hex digits).
const maxID = 64

// SnapshotStateOf maps an EBS snapshot state onto the model's; recovery
// states count as pending.
func SnapshotStateOf(s types.SnapshotState) deltacloud.SnapshotState {
	switch s {
	case types.SnapshotStatePending, types.SnapshotStateRecoverable, types.SnapshotStateRecovering:
		return deltacloud.SnapshotPending
	case types.SnapshotStateCompleted:
		return deltacloud.SnapshotCompleted
	case types.SnapshotStateError:
		return deltacloud.SnapshotError
	}
	return deltacloud.SnapshotState(strings.ToUpper(string(s)))
}

func snapshotOf(s types.Snapshot) deltacloud.StorageSnapshot {
	out := deltacloud.StorageSnapshot{
		ID:          aws.ToString(s.SnapshotId),
		Name:        nameTag(s.Tags),
		Description: aws.ToString(s.Description),
		VolumeID:    aws.ToString(s.VolumeId),
		State:       SnapshotStateOf(s.State),
	}
	if s.StartTime != nil {
		out.Created = *s.StartTime
	}
	return out
}

// CreateStorageSnapshot snapshots a volume, with the name as a Name tag and
// the description as EC2's own.
func (c *conn) CreateStorageSnapshot(ctx context.Context, spec deltacloud.StorageSnapshotSpec) (*deltacloud.StorageSnapshot, error) {
	if !strings.HasPrefix(spec.VolumeID, "vol-") {
		return nil, notFound("volume", spec.VolumeID)
	}
	in := &ec2.CreateSnapshotInput{VolumeId: aws.String(spec.VolumeID)}
	if spec.Description != "" {
		in.Description = aws.String(spec.Description)
	}
	if spec.Name != "" {
		in.TagSpecifications = []types.TagSpecification{{ResourceType: types.ResourceTypeSnapshot,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(spec.Name)}}}}
	}
	out, err := c.client.CreateSnapshot(ctx, in)
	if err != nil {
		return nil, c.wrap(err)
	}
	s := snapshotOf(types.Snapshot{SnapshotId: out.SnapshotId, Description: out.Description, VolumeId: out.VolumeId,
		State: out.State, StartTime: out.StartTime, Tags: out.Tags})
	if s.Name == "" {
		s.Name = spec.Name
	}
	return &s, nil
}

// DestroyStorageSnapshot deletes a snapshot; one an image is registered
// from is ErrInvalidState (InvalidSnapshot.InUse).
func (c *conn) DestroyStorageSnapshot(ctx context.Context, id string) error {
	if !strings.HasPrefix(id, "snap-") {
		return notFound("snapshot", id)
	}
	_, err := c.client.DeleteSnapshot(ctx, &ec2.DeleteSnapshotInput{SnapshotId: aws.String(id)})
	return c.wrap(err)
}
