package ec2test

import "encoding/xml"

// The documents of the key pair, security group, address, volume, snapshot
// and image operations, named as the EC2 Query API names them.

type xKeyPair struct {
	ID          string `xml:"keyPairId"`
	Name        string `xml:"keyName"`
	Fingerprint string `xml:"keyFingerprint"`
	Type        string `xml:"keyType,omitempty"`
	PublicKey   string `xml:"publicKey,omitempty"`
	CreateTime  string `xml:"createTime,omitempty"`
}

type describeKeyPairsResponse struct {
	XMLName xml.Name `xml:"DescribeKeyPairsResponse"`
	head
	Keys []xKeyPair `xml:"keySet>item"`
}

type createKeyPairResponse struct {
	XMLName xml.Name
	head
	Name        string `xml:"keyName"`
	Fingerprint string `xml:"keyFingerprint"`
	Material    string `xml:"keyMaterial,omitempty"`
	ID          string `xml:"keyPairId"`
}

type xPair struct {
	UserID    string `xml:"userId"`
	GroupID   string `xml:"groupId"`
	GroupName string `xml:"groupName,omitempty"`
}

type xRange struct {
	CIDR string `xml:"cidrIp"`
}

type xRange6 struct {
	CIDR string `xml:"cidrIpv6"`
}

type xPermission struct {
	Protocol string    `xml:"ipProtocol"`
	From     *int      `xml:"fromPort,omitempty"`
	To       *int      `xml:"toPort,omitempty"`
	Groups   []xPair   `xml:"groups>item"`
	Ranges   []xRange  `xml:"ipRanges>item"`
	Ranges6  []xRange6 `xml:"ipv6Ranges>item"`
}

type xSecurityGroup struct {
	OwnerID     string        `xml:"ownerId"`
	ID          string        `xml:"groupId"`
	Name        string        `xml:"groupName"`
	Description string        `xml:"groupDescription"`
	VPCID       string        `xml:"vpcId"`
	Ingress     []xPermission `xml:"ipPermissions>item"`
	Egress      []xPermission `xml:"ipPermissionsEgress>item"`
}

type describeGroupsResponse struct {
	XMLName xml.Name `xml:"DescribeSecurityGroupsResponse"`
	head
	Groups    []xSecurityGroup `xml:"securityGroupInfo>item"`
	NextToken string           `xml:"nextToken,omitempty"`
}

type createGroupResponse struct {
	XMLName xml.Name `xml:"CreateSecurityGroupResponse"`
	head
	Return bool   `xml:"return"`
	ID     string `xml:"groupId"`
}

type xAddress struct {
	PublicIP      string `xml:"publicIp"`
	AllocationID  string `xml:"allocationId"`
	Domain        string `xml:"domain"`
	InstanceID    string `xml:"instanceId,omitempty"`
	AssociationID string `xml:"associationId,omitempty"`
}

type describeAddressesResponse struct {
	XMLName xml.Name `xml:"DescribeAddressesResponse"`
	head
	Addresses []xAddress `xml:"addressesSet>item"`
}

type allocateAddressResponse struct {
	XMLName xml.Name `xml:"AllocateAddressResponse"`
	head
	xAddress
}

type associateAddressResponse struct {
	XMLName xml.Name `xml:"AssociateAddressResponse"`
	head
	Return        bool   `xml:"return"`
	AssociationID string `xml:"associationId"`
}

type xAttachment struct {
	VolumeID   string `xml:"volumeId"`
	InstanceID string `xml:"instanceId"`
	Device     string `xml:"device"`
	Status     string `xml:"status"`
	AttachTime string `xml:"attachTime"`
	Delete     bool   `xml:"deleteOnTermination"`
}

type xVolume struct {
	ID          string        `xml:"volumeId"`
	Size        int           `xml:"size"`
	SnapshotID  string        `xml:"snapshotId"`
	Zone        string        `xml:"availabilityZone"`
	Status      string        `xml:"status"`
	CreateTime  string        `xml:"createTime"`
	Attachments []xAttachment `xml:"attachmentSet>item"`
	Tags        []xTag        `xml:"tagSet>item"`
	VolumeType  string        `xml:"volumeType"`
	Encrypted   bool          `xml:"encrypted"`
	MultiAttach bool          `xml:"multiAttachEnabled"`
}

type describeVolumesResponse struct {
	XMLName xml.Name `xml:"DescribeVolumesResponse"`
	head
	Volumes   []xVolume `xml:"volumeSet>item"`
	NextToken string    `xml:"nextToken,omitempty"`
}

type volumeResponse struct {
	XMLName xml.Name `xml:"CreateVolumeResponse"`
	head
	xVolume
}

type attachmentResponse struct {
	XMLName xml.Name
	head
	xAttachment
}

type xSnapshot struct {
	ID          string `xml:"snapshotId"`
	VolumeID    string `xml:"volumeId"`
	Status      string `xml:"status"`
	StartTime   string `xml:"startTime"`
	Progress    string `xml:"progress"`
	OwnerID     string `xml:"ownerId"`
	VolumeSize  int    `xml:"volumeSize"`
	Description string `xml:"description"`
	Tags        []xTag `xml:"tagSet>item"`
}

type describeSnapshotsResponse struct {
	XMLName xml.Name `xml:"DescribeSnapshotsResponse"`
	head
	Snapshots []xSnapshot `xml:"snapshotSet>item"`
	NextToken string      `xml:"nextToken,omitempty"`
}

type snapshotResponse struct {
	XMLName xml.Name `xml:"CreateSnapshotResponse"`
	head
	xSnapshot
}

type createImageResponse struct {
	XMLName xml.Name `xml:"CreateImageResponse"`
	head
	ID string `xml:"imageId"`
}

// timeFormat is how EC2 writes timestamps.
const timeFormat = "2006-01-02T15:04:05.000Z"

func xmlName(local string) xml.Name { return xml.Name{Local: local} }
