package ec2test

import "encoding/xml"

// Namespace is the EC2 API namespace the fake answers in.
const Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

type head struct {
	Xmlns     string `xml:"xmlns,attr"`
	RequestID string `xml:"requestId"`
}

type xState struct {
	Code int    `xml:"code"`
	Name string `xml:"name"`
}

type xGroup struct {
	ID   string `xml:"groupId"`
	Name string `xml:"groupName"`
}

type xTag struct {
	Key   string `xml:"key"`
	Value string `xml:"value"`
}

// xEbs is an EBS volume of an instance's block device mapping, as
// DescribeInstances shows it: the volume, the attachment's status and time,
// and whether terminating the instance deletes the volume.
type xEbs struct {
	VolumeID            string `xml:"volumeId"`
	Status              string `xml:"status"`
	AttachTime          string `xml:"attachTime"`
	DeleteOnTermination bool   `xml:"deleteOnTermination"`
}

type xBDM struct {
	Device string `xml:"deviceName"`
	Ebs    xEbs   `xml:"ebs"`
}

type xPlacement struct {
	AZ string `xml:"availabilityZone"`
}

type xMonitoring struct {
	State string `xml:"state"`
}

type xInstance struct {
	ID             string      `xml:"instanceId"`
	ImageID        string      `xml:"imageId"`
	State          xState      `xml:"instanceState"`
	PrivateDNS     string      `xml:"privateDnsName"`
	DNS            string      `xml:"dnsName"`
	KeyName        string      `xml:"keyName,omitempty"`
	InstanceType   string      `xml:"instanceType"`
	LaunchTime     string      `xml:"launchTime"`
	Placement      xPlacement  `xml:"placement"`
	Monitoring     xMonitoring `xml:"monitoring"`
	PrivateIP      string      `xml:"privateIpAddress,omitempty"`
	IP             string      `xml:"ipAddress,omitempty"`
	Groups         []xGroup    `xml:"groupSet>item"`
	RootDeviceType string      `xml:"rootDeviceType"`
	BDM            []xBDM      `xml:"blockDeviceMapping>item"`
	Tags           []xTag      `xml:"tagSet>item"`
}

type xReservation struct {
	ID        string      `xml:"reservationId"`
	OwnerID   string      `xml:"ownerId"`
	Groups    []xGroup    `xml:"groupSet>item"`
	Instances []xInstance `xml:"instancesSet>item"`
}

type describeInstancesResponse struct {
	XMLName xml.Name `xml:"DescribeInstancesResponse"`
	head
	Reservations []xReservation `xml:"reservationSet>item"`
	NextToken    string         `xml:"nextToken,omitempty"`
}

type runInstancesResponse struct {
	XMLName xml.Name `xml:"RunInstancesResponse"`
	head
	xReservation
}

type xZone struct {
	Name   string `xml:"zoneName"`
	State  string `xml:"zoneState"`
	Region string `xml:"regionName"`
}

type describeZonesResponse struct {
	XMLName xml.Name `xml:"DescribeAvailabilityZonesResponse"`
	head
	Zones []xZone `xml:"availabilityZoneInfo>item"`
}

type xInstanceType struct {
	Type    string   `xml:"instanceType"`
	VCPUs   int      `xml:"vCpuInfo>defaultVCpus"`
	MiB     int      `xml:"memoryInfo>sizeInMiB"`
	Storage *xStore  `xml:"instanceStorageInfo,omitempty"`
	Archs   []string `xml:"processorInfo>supportedArchitectures>item"`
}

type xStore struct {
	TotalGB int `xml:"totalSizeInGB"`
}

type describeTypesResponse struct {
	XMLName xml.Name `xml:"DescribeInstanceTypesResponse"`
	head
	Types     []xInstanceType `xml:"instanceTypeSet>item"`
	NextToken string          `xml:"nextToken,omitempty"`
}

type xImage struct {
	ID             string `xml:"imageId"`
	Name           string `xml:"name"`
	Description    string `xml:"description,omitempty"`
	OwnerID        string `xml:"imageOwnerId"`
	OwnerAlias     string `xml:"imageOwnerAlias,omitempty"`
	Architecture   string `xml:"architecture"`
	State          string `xml:"imageState"`
	CreationDate   string `xml:"creationDate"`
	RootDeviceType string `xml:"rootDeviceType"`
}

type describeImagesResponse struct {
	XMLName xml.Name `xml:"DescribeImagesResponse"`
	head
	Images    []xImage `xml:"imagesSet>item"`
	NextToken string   `xml:"nextToken,omitempty"`
}

type xStateChange struct {
	ID       string `xml:"instanceId"`
	Current  xState `xml:"currentState"`
	Previous xState `xml:"previousState"`
}

type stateChangeResponse struct {
	XMLName xml.Name
	head
	Changes []xStateChange `xml:"instancesSet>item"`
}

type returnResponse struct {
	XMLName xml.Name
	head
	Return bool `xml:"return"`
}

type errorResponse struct {
	XMLName   xml.Name `xml:"Response"`
	Code      string   `xml:"Errors>Error>Code"`
	Message   string   `xml:"Errors>Error>Message"`
	RequestID string   `xml:"RequestID"`
}
