// Package ec2test is a fake EC2 Query-API endpoint for tests: it answers
// the operations the ec2 driver uses with AWS-shaped XML and AWS's error
// documents:
//
//   - DescribeAvailabilityZones, DescribeInstanceTypes, DescribeImages,
//     DescribeInstances, RunInstances, Start/Stop/Reboot/TerminateInstances;
//   - DescribeKeyPairs, CreateKeyPair (RSA, private key returned once),
//     ImportKeyPair (OpenSSH public keys), DeleteKeyPair;
//   - Describe/Create/DeleteSecurityGroup and
//     Authorize/RevokeSecurityGroupIngress (CIDR and group sources);
//   - Describe/Allocate/ReleaseAddress, Associate/DisassociateAddress;
//   - Describe/Create/Delete/Attach/DetachVolume;
//   - Describe/Create/DeleteSnapshot; CreateImage, DeregisterImage.
//
// Describe requests honour the id lists EC2 takes (InstanceTypes, ImageIds,
// InstanceIds, KeyNames, GroupIds, PublicIps, VolumeIds, SnapshotIds),
// failing with EC2's error code for an id that does not exist, and Calls
// counts the requests of each action, so a test can prove a lookup cost one
// request.
//
// It paginates with nextToken where EC2 does (instances, images, instance
// types, security groups, volumes, snapshots; not key pairs or addresses),
// honours ClientToken idempotency (a repeated token answers its first
// reservation; with other parameters it is IdempotentParameterMismatch)
// and RunInstances' DryRun (DryRunOperation, HTTP 412, after the
// parameters are checked), moves instances, volumes, attachments,
// snapshots and new images through their states as they are read, and
// injects throttling, errors, dropped responses and latency on request.
// Every account starts with a "default" security group, which instances
// launched without groups join. A buckets fake lives beside it (S3Server),
// and a CloudWatch fake serving the instances' metrics (CloudWatchServer).
//
// Signatures are not checked, but every request must carry an
// Authorization header, and the access key "bad" is refused with
// AuthFailure.
//
// StartInstances moves a stopped instance to pending, as real EC2 does; it
// runs after the configured number of reads.
package ec2test

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Account is the account id of the fake's caller.
const Account = "123456789012"

// BadAccessKey is the access key the fake refuses with AuthFailure.
const BadAccessKey = "bad"

// Instance is what the fake knows of one instance, for test assertions.
type Instance struct {
	ID             string
	ReservationID  string
	ImageID        string
	Type           string
	Zone           string
	KeyName        string
	State          string
	RootDeviceType string
	UserData       []byte
	Groups         []string
	Monitoring     bool
	Tags           map[string]string
	// Snapshots maps device names to the snapshots attached at launch.
	Snapshots  map[string]string
	LaunchTime time.Time

	// TerminatedAt is when the instance was terminated (zero while it
	// lives); its metrics end there.
	TerminatedAt time.Time

	reads int
}

// Image is one AMI of the fake.
type Image struct {
	ID, Name, OwnerID, OwnerAlias, Architecture, RootDeviceType string
}

// InstanceType is one instance type of the fake.
type InstanceType struct {
	Name      string
	VCPUs     int
	MiB       int
	StorageGB int // 0: EBS only
	Archs     []string
}

// Zones are the fake's availability zones and their states.
var Zones = [][2]string{{"us-east-1a", "available"}, {"us-east-1b", "available"}, {"us-east-1c", "impaired"}}

// Images are the fake's AMIs; the first is EBS-backed and owned by
// Account, ami-other is another account's and not listed by default.
var Images = []Image{
	{ID: "ami-00000001", Name: "fedora-ebs", OwnerID: Account, Architecture: "x86_64", RootDeviceType: "ebs"},
	{ID: "ami-00000002", Name: "amzn-store", OwnerID: "137112412989", OwnerAlias: "amazon", Architecture: "x86_64", RootDeviceType: "instance-store"},
	{ID: "ami-00000003", Name: "amzn-arm", OwnerID: "137112412989", OwnerAlias: "amazon", Architecture: "arm64", RootDeviceType: "ebs"},
	{ID: "ami-00000004", Name: "mine-i386", OwnerID: Account, Architecture: "i386", RootDeviceType: "ebs"},
	{ID: "ami-00000009", Name: "someone-else", OwnerID: "999999999999", Architecture: "x86_64", RootDeviceType: "ebs"},
}

// InstanceTypes are the fake's instance types, with EC2's figures: vCPUs,
// memory in MiB (SizeInMiB), instance store in decimal GB (TotalSizeInGB)
// and supported architectures. t2.micro and t2.small run both i386 and
// x86_64, as on EC2.
var InstanceTypes = []InstanceType{
	{Name: "t2.micro", VCPUs: 1, MiB: 1024, Archs: []string{"i386", "x86_64"}},
	{Name: "t2.small", VCPUs: 1, MiB: 2048, Archs: []string{"i386", "x86_64"}},
	{Name: "m5.large", VCPUs: 2, MiB: 8192, Archs: []string{"x86_64"}},
	{Name: "m5d.large", VCPUs: 2, MiB: 8192, StorageGB: 75, Archs: []string{"x86_64"}},
	{Name: "t4g.small", VCPUs: 2, MiB: 2048, Archs: []string{"arm64"}},
	{Name: "c5.xlarge", VCPUs: 4, MiB: 8192, Archs: []string{"x86_64"}},
}

type fault struct {
	code   string
	status int
	n      int
}

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	// URL is the endpoint to give the driver (option "endpoint").
	URL string

	mu           sync.Mutex
	pageSize     int
	pendingReads int
	stopReads    int
	terminateTTL time.Duration
	latency      time.Duration
	faults       map[string]*fault // by action, "" for all
	drops        map[string]int    // actions whose next responses are dropped
	calls        map[string]int
	instances    map[string]*Instance
	order        []string
	tokens       map[string]launch // by client token
	seq          int

	keys      []*KeyPair
	groups    []*SecurityGroup
	addrs     []*Address
	addrLimit int
	addrSeq   int
	volumes   []*Volume
	snapshots []*Snapshot
	images    []*image

	cleanup interface{ Cleanup(func()) }
	s3Once  sync.Once
	s3      *S3Server
	cwOnce  sync.Once
	cw      *CloudWatchServer
}

// S3 returns the fake S3 endpoint that goes with this fake, starting it on
// first use.
func (s *Server) S3() *S3Server {
	s.s3Once.Do(func() { s.s3 = NewS3Server(s.cleanup) })
	return s.s3
}

// NewServer starts a fake on 127.0.0.1; it is closed when the test ends.
func NewServer(t interface{ Cleanup(func()) }) *Server {
	s := &Server{
		pageSize: 2, pendingReads: 1, stopReads: 1,
		faults: map[string]*fault{}, drops: map[string]int{}, calls: map[string]int{},
		instances: map[string]*Instance{}, tokens: map[string]launch{}, addrLimit: 5, cleanup: t,
	}
	for _, img := range Images {
		s.images = append(s.images, &image{Image: img, State: "available",
			Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)})
	}
	def := s.newGroup("default", "default VPC security group")
	def.Ingress = []Permission{{Protocol: "-1", From: -1, To: -1, Groups: []GroupPair{{UserID: Account, GroupID: def.ID}}}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// SetPageSize sets how many items a Describe page holds (default 2).
func (s *Server) SetPageSize(n int) { s.mu.Lock(); s.pageSize = max(n, 1); s.mu.Unlock() }

// SetPendingReads sets how many reads an instance stays pending, stopping
// or shutting-down for (default 1).
func (s *Server) SetPendingReads(n int) {
	s.mu.Lock()
	s.pendingReads, s.stopReads = max(n, 0), max(n, 0)
	s.mu.Unlock()
}

// SetTerminatedTTL sets how long terminated instances stay listed; zero
// (the default) keeps them.
func (s *Server) SetTerminatedTTL(d time.Duration) { s.mu.Lock(); s.terminateTTL = d; s.mu.Unlock() }

// SetLatency delays every later response by d (until the request's context
// ends).
func (s *Server) SetLatency(d time.Duration) { s.mu.Lock(); s.latency = d; s.mu.Unlock() }

// Fail makes the next n requests of action ("" for any) fail with the
// given EC2 error code and HTTP status.
func (s *Server) Fail(action, code string, status, n int) {
	s.mu.Lock()
	s.faults[action] = &fault{code: code, status: status, n: n}
	s.mu.Unlock()
}

// Throttle makes the next n requests fail with RequestLimitExceeded (503).
func (s *Server) Throttle(n int) {
	s.Fail("", "RequestLimitExceeded", http.StatusServiceUnavailable, n)
}

// Drop makes the next n requests of action be carried out but answered
// with a bare 503, as if the response had been lost.
func (s *Server) Drop(action string, n int) { s.mu.Lock(); s.drops[action] = n; s.mu.Unlock() }

// Calls reports how many requests of action the fake has received.
func (s *Server) Calls(action string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.calls[action] }

// Instances returns copies of every instance launched, in launch order.
func (s *Server) Instances() []Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Instance, 0, len(s.order))
	for _, id := range s.order {
		if in := s.instances[id]; in != nil {
			out = append(out, *in)
		}
	}
	return out
}

type apiError struct {
	code, msg string
	status    int
}

func errf(status int, code, format string, args ...any) *apiError {
	return &apiError{code: code, msg: fmt.Sprintf(format, args...), status: status}
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeError(w, errf(400, "MalformedQueryString", "%v", err))
		return
	}
	action := r.Form.Get("Action")
	auth := r.Header.Get("Authorization")
	s.mu.Lock()
	s.calls[action]++
	latency := s.latency
	s.mu.Unlock()
	if latency > 0 {
		select {
		case <-r.Context().Done():
			return
		case <-time.After(latency):
		}
	}
	if auth == "" {
		writeError(w, errf(401, "AuthFailure", "AWS was not able to validate the provided access credentials"))
		return
	}
	if strings.Contains(auth, "Credential="+BadAccessKey+"/") {
		writeError(w, errf(401, "AuthFailure", "AWS was not able to validate the provided access credentials"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, key := range []string{action, ""} {
		if f := s.faults[key]; f != nil && f.n > 0 {
			f.n--
			writeError(w, errf(f.status, f.code, "injected %s", f.code))
			return
		}
	}
	var resp any
	var aerr *apiError
	switch action {
	case "DescribeAvailabilityZones":
		resp = s.describeZones()
	case "DescribeInstanceTypes":
		resp, aerr = s.describeTypes(r)
	case "DescribeImages":
		resp, aerr = s.describeImages(r)
	case "DescribeInstances":
		resp, aerr = s.describeInstances(r)
	case "RunInstances":
		resp, aerr = s.runInstances(r)
	case "StartInstances", "StopInstances", "TerminateInstances":
		resp, aerr = s.changeState(r, action)
	case "RebootInstances":
		resp, aerr = s.reboot(r)
	case "DescribeKeyPairs":
		resp, aerr = s.describeKeyPairs(r)
	case "CreateKeyPair":
		resp, aerr = s.createKeyPair(r)
	case "ImportKeyPair":
		resp, aerr = s.importKeyPair(r)
	case "DeleteKeyPair":
		resp, aerr = s.deleteKeyPair(r)
	case "DescribeSecurityGroups":
		resp, aerr = s.describeGroups(r)
	case "CreateSecurityGroup":
		resp, aerr = s.createGroup(r)
	case "DeleteSecurityGroup":
		resp, aerr = s.deleteGroup(r)
	case "AuthorizeSecurityGroupIngress", "RevokeSecurityGroupIngress":
		resp, aerr = s.ingress(r, action)
	case "DescribeAddresses":
		resp, aerr = s.describeAddresses(r)
	case "AllocateAddress":
		resp, aerr = s.allocateAddress(r)
	case "ReleaseAddress":
		resp, aerr = s.releaseAddress(r)
	case "AssociateAddress":
		resp, aerr = s.associateAddress(r)
	case "DisassociateAddress":
		resp, aerr = s.disassociateAddress(r)
	case "DescribeVolumes":
		resp, aerr = s.describeVolumes(r)
	case "CreateVolume":
		resp, aerr = s.createVolume(r)
	case "DeleteVolume":
		resp, aerr = s.deleteVolume(r)
	case "AttachVolume":
		resp, aerr = s.attachVolume(r)
	case "DetachVolume":
		resp, aerr = s.detachVolume(r)
	case "DescribeSnapshots":
		resp, aerr = s.describeSnapshots(r)
	case "CreateSnapshot":
		resp, aerr = s.createSnapshot(r)
	case "DeleteSnapshot":
		resp, aerr = s.deleteSnapshot(r)
	case "CreateImage":
		resp, aerr = s.createImage(r)
	case "DeregisterImage":
		resp, aerr = s.deregisterImage(r)
	default:
		aerr = errf(400, "InvalidAction", "The action %s is not valid for this web service.", action)
	}
	if aerr != nil {
		writeError(w, aerr)
		return
	}
	if s.drops[action] > 0 {
		s.drops[action]--
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	writeXML(w, http.StatusOK, resp)
}

func writeXML(w http.ResponseWriter, status int, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.WriteHeader(status)
	w.Write([]byte(xml.Header))
	w.Write(b)
}

func writeError(w http.ResponseWriter, e *apiError) {
	writeXML(w, e.status, errorResponse{Code: e.code, Message: e.msg, RequestID: "req-err"})
}

func newHead() head { return head{Xmlns: Namespace, RequestID: "req-0001"} }

// list collects prefix.1, prefix.2, … from the form.
func list(r *http.Request, prefix string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := r.Form[prefix+"."+strconv.Itoa(i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// filters collects Filter.N.Name / Filter.N.Value.M.
func filters(r *http.Request) map[string][]string {
	out := map[string][]string{}
	for i := 1; ; i++ {
		p := "Filter." + strconv.Itoa(i)
		name := r.Form.Get(p + ".Name")
		if name == "" {
			return out
		}
		out[name] = append(out[name], list(r, p+".Value")...)
	}
}

// match reports whether v passes the named filter (absent filters pass).
func match(fs map[string][]string, name, v string) bool {
	vs, ok := fs[name]
	return !ok || slices.Contains(vs, v)
}

// page cuts n items at the NextToken offset and returns the next token.
func (s *Server) page(r *http.Request, n int) (from, to int, next string, err *apiError) {
	size := s.pageSize
	if m, e := strconv.Atoi(r.Form.Get("MaxResults")); e == nil && m > 0 {
		size = min(size, m)
	}
	if t := r.Form.Get("NextToken"); t != "" {
		from, e := strconv.Atoi(strings.TrimPrefix(t, "tok-"))
		if e != nil || from < 0 || from > n {
			return 0, 0, "", errf(400, "InvalidNextToken", "The token %q is invalid", t)
		}
		to = min(from+size, n)
		if to < n {
			next = "tok-" + strconv.Itoa(to)
		}
		return from, to, next, nil
	}
	to = min(size, n)
	if to < n {
		next = "tok-" + strconv.Itoa(to)
	}
	return 0, to, next, nil
}

func (s *Server) describeZones() any {
	resp := describeZonesResponse{head: newHead()}
	for _, z := range Zones {
		resp.Zones = append(resp.Zones, xZone{Name: z[0], State: z[1], Region: "us-east-1"})
	}
	return resp
}

// describeTypes lists the instance types, or those InstanceType.N names;
// a name the fake does not offer fails the request with InvalidInstanceType,
// as EC2 answers it.
func (s *Server) describeTypes(r *http.Request) (any, *apiError) {
	sel := InstanceTypes
	if names := list(r, "InstanceType"); len(names) > 0 {
		sel = nil
		var unknown []string
		for _, n := range names {
			i := slices.IndexFunc(InstanceTypes, func(t InstanceType) bool { return t.Name == n })
			if i < 0 {
				unknown = append(unknown, n)
				continue
			}
			sel = append(sel, InstanceTypes[i])
		}
		if len(unknown) > 0 {
			return nil, errf(400, "InvalidInstanceType", "The following supplied instance types do not exist: [%s]", strings.Join(unknown, ", "))
		}
	}
	fs := filters(r)
	sel = slices.DeleteFunc(slices.Clone(sel), func(t InstanceType) bool { return !match(fs, "instance-type", t.Name) })
	from, to, next, err := s.page(r, len(sel))
	if err != nil {
		return nil, err
	}
	resp := describeTypesResponse{head: newHead(), NextToken: next}
	for _, t := range sel[from:to] {
		x := xInstanceType{Type: t.Name, VCPUs: t.VCPUs, MiB: t.MiB, Archs: t.Archs}
		if t.StorageGB > 0 {
			x.Storage = &xStore{TotalGB: t.StorageGB}
		}
		resp.Types = append(resp.Types, x)
	}
	return resp, nil
}

func (s *Server) describeImages(r *http.Request) (any, *apiError) {
	owners := list(r, "Owner")
	ids := list(r, "ImageId")
	fs := filters(r)
	for _, id := range ids {
		if s.image(id) == nil {
			return nil, errf(400, "InvalidAMIID.NotFound", "The image id '[%s]' does not exist", id)
		}
	}
	var sel []*image
	for _, img := range s.images {
		ownerOK := len(owners) == 0
		for _, o := range owners {
			if o == img.OwnerID || (o == "self" && img.OwnerID == Account) || (o != "" && o == img.OwnerAlias) {
				ownerOK = true
			}
		}
		if ownerOK && (len(ids) == 0 || slices.Contains(ids, img.ID)) &&
			match(fs, "image-id", img.ID) && match(fs, "architecture", img.Architecture) {
			s.advanceImage(img)
			sel = append(sel, img)
		}
	}
	from, to, next, err := s.page(r, len(sel))
	if err != nil {
		return nil, err
	}
	resp := describeImagesResponse{head: newHead(), NextToken: next}
	for _, img := range sel[from:to] {
		resp.Images = append(resp.Images, xImage{ID: img.ID, Name: img.Name, Description: img.Description,
			OwnerID: img.OwnerID, OwnerAlias: img.OwnerAlias, Architecture: img.Architecture, State: img.State,
			CreationDate: img.Created.UTC().Format(timeFormat), RootDeviceType: img.RootDeviceType})
	}
	return resp, nil
}

var stateCodes = map[string]int{"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48, "stopping": 64, "stopped": 80}

// advance moves an instance on after one more read.
func (s *Server) advance(in *Instance) {
	in.reads++
	switch in.State {
	case "pending":
		if in.reads > s.pendingReads {
			in.State, in.reads = "running", 0
		}
	case "stopping":
		if in.reads > s.stopReads {
			in.State, in.reads = "stopped", 0
		}
	case "shutting-down":
		if in.reads > s.stopReads {
			in.State, in.reads, in.TerminatedAt = "terminated", 0, time.Now()
		}
	}
}

// live returns the listed instances, dropping terminated ones past the TTL.
func (s *Server) live() []*Instance {
	var out []*Instance
	for _, id := range s.order {
		in := s.instances[id]
		if in.State == "terminated" && s.terminateTTL > 0 && time.Since(in.TerminatedAt) > s.terminateTTL {
			continue
		}
		out = append(out, in)
	}
	return out
}

func (s *Server) describeInstances(r *http.Request) (any, *apiError) {
	ids := list(r, "InstanceId")
	fs := filters(r)
	for _, id := range ids {
		if e := s.lookup(id); e != nil {
			return nil, e
		}
	}
	var sel []*Instance
	for _, in := range s.live() {
		if (len(ids) > 0 && !slices.Contains(ids, in.ID)) || !match(fs, "instance-id", in.ID) {
			continue
		}
		s.advance(in)
		if match(fs, "instance-state-name", in.State) && match(fs, "availability-zone", in.Zone) && match(fs, "owner-id", Account) {
			sel = append(sel, in)
		}
	}
	from, to, next, err := s.page(r, len(sel))
	if err != nil {
		return nil, err
	}
	resp := describeInstancesResponse{head: newHead(), NextToken: next}
	// Consecutive instances of one reservation share an item, as in EC2.
	for _, in := range sel[from:to] {
		n := len(resp.Reservations)
		if n == 0 || resp.Reservations[n-1].ID != in.ReservationID {
			resp.Reservations = append(resp.Reservations, xReservation{ID: in.ReservationID, OwnerID: Account})
			n++
		}
		resp.Reservations[n-1].Instances = append(resp.Reservations[n-1].Instances, s.render(in))
	}
	return resp, nil
}

func (s *Server) render(in *Instance) xInstance {
	x := xInstance{
		ID: in.ID, ImageID: in.ImageID, State: xState{Code: stateCodes[in.State], Name: in.State},
		KeyName: in.KeyName, InstanceType: in.Type, LaunchTime: in.LaunchTime.UTC().Format("2006-01-02T15:04:05.000Z"),
		Placement: xPlacement{AZ: in.Zone}, Monitoring: xMonitoring{State: "disabled"}, RootDeviceType: in.RootDeviceType,
	}
	if in.Monitoring {
		x.Monitoring.State = "enabled"
	}
	n := strings.TrimPrefix(in.ID, "i-")
	if in.State != "terminated" {
		x.PrivateIP = "10.0.0." + strconv.Itoa(len(n)%200+1)
		x.PrivateDNS = "ip-10-0-0-1." + n + ".ec2.internal"
	}
	if in.State == "running" {
		x.IP = "203.0.113.1"
		x.DNS = "ec2-203-0-113-1." + n + ".compute-1.amazonaws.com"
	}
	if a := s.addressOf(in.ID); a != nil {
		x.IP = a.PublicIP
		x.DNS = "ec2-" + strings.ReplaceAll(a.PublicIP, ".", "-") + ".compute-1.amazonaws.com"
	}
	for _, g := range in.Groups {
		xg := xGroup{Name: g}
		if sg := s.groupBy("", g); sg != nil {
			xg.ID = sg.ID
		}
		x.Groups = append(x.Groups, xg)
	}
	// Volumes made at launch go with the instance; volumes attached later
	// stay behind when it terminates.
	launched := in.LaunchTime.UTC().Format(timeFormat)
	if in.RootDeviceType == "ebs" && in.State != "terminated" {
		x.BDM = append(x.BDM, xBDM{Device: "/dev/sda1", Ebs: xEbs{VolumeID: "vol-" + n, Status: "attached",
			AttachTime: launched, DeleteOnTermination: true}})
	}
	for _, dev := range sortedKeys(in.Snapshots) {
		x.BDM = append(x.BDM, xBDM{Device: dev, Ebs: xEbs{VolumeID: "vol-" + in.Snapshots[dev], Status: "attached",
			AttachTime: launched, DeleteOnTermination: true}})
	}
	for _, v := range s.volumes {
		if a := v.Attachment; a != nil && a.InstanceID == in.ID {
			x.BDM = append(x.BDM, xBDM{Device: a.Device, Ebs: xEbs{VolumeID: v.ID, Status: a.State,
				AttachTime: a.Time.UTC().Format(timeFormat)}})
		}
	}
	for _, k := range sortedKeys(in.Tags) {
		x.Tags = append(x.Tags, xTag{Key: k, Value: in.Tags[k]})
	}
	return x
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (s *Server) runInstances(r *http.Request) (any, *apiError) {
	token := r.Form.Get("ClientToken")
	if len(token) > 64 {
		return nil, errf(400, "InvalidParameterValue", "Value (%s) for parameter clientToken is invalid. Length exceeds maximum of 64", token)
	}
	if l, ok := s.tokens[token]; ok && token != "" {
		if l.params != launchParams(r) {
			return nil, errf(400, "IdempotentParameterMismatch",
				"Arguments on this idempotent request are inconsistent with arguments used in previous request(s).")
		}
		if dryRun(r) {
			return nil, errDryRun()
		}
		return s.reservation(l.reservation), nil
	}
	imageID := r.Form.Get("ImageId")
	if !strings.HasPrefix(imageID, "ami-") {
		return nil, errf(400, "InvalidAMIID.Malformed", "Invalid id: %q", imageID)
	}
	img := s.image(imageID)
	if img == nil {
		return nil, errf(400, "InvalidAMIID.NotFound", "The image id '[%s]' does not exist", imageID)
	}
	typ := r.Form.Get("InstanceType")
	if typ == "" {
		typ = InstanceTypes[0].Name
	}
	if !slices.ContainsFunc(InstanceTypes, func(t InstanceType) bool { return t.Name == typ }) {
		return nil, errf(400, "InvalidParameterValue", "Invalid value '%s' for InstanceType.", typ)
	}
	zone := r.Form.Get("Placement.AvailabilityZone")
	if zone == "" {
		zone = Zones[0][0]
	}
	if !slices.ContainsFunc(Zones, func(z [2]string) bool { return z[0] == zone }) {
		return nil, errf(400, "InvalidParameterValue", "Invalid availability zone: [%s]", zone)
	}
	minC, e1 := strconv.Atoi(r.Form.Get("MinCount"))
	maxC, e2 := strconv.Atoi(r.Form.Get("MaxCount"))
	if e1 != nil || e2 != nil || minC < 1 || maxC < minC {
		return nil, errf(400, "InvalidParameterValue", "bad MinCount/MaxCount")
	}
	groups, gerr := s.instanceGroups(r)
	if gerr != nil {
		return nil, gerr
	}
	var userData []byte
	if u := r.Form.Get("UserData"); u != "" {
		b, err := base64.StdEncoding.DecodeString(u)
		if err != nil {
			return nil, errf(400, "InvalidParameterValue", "Invalid BASE64 encoding of user data.")
		}
		userData = b
	}
	tags := map[string]string{}
	for i := 1; ; i++ {
		p := "TagSpecification." + strconv.Itoa(i)
		if r.Form.Get(p+".ResourceType") == "" {
			break
		}
		for j := 1; ; j++ {
			k := r.Form.Get(p + ".Tag." + strconv.Itoa(j) + ".Key")
			if k == "" {
				break
			}
			tags[k] = r.Form.Get(p + ".Tag." + strconv.Itoa(j) + ".Value")
		}
	}
	snaps := map[string]string{}
	for i := 1; ; i++ {
		p := "BlockDeviceMapping." + strconv.Itoa(i)
		dev := r.Form.Get(p + ".DeviceName")
		if dev == "" {
			break
		}
		snaps[dev] = r.Form.Get(p + ".Ebs.SnapshotId")
	}
	if dryRun(r) {
		return nil, errDryRun()
	}
	s.seq++
	rid := fmt.Sprintf("r-%017x", s.seq)
	for range maxC {
		s.seq++
		in := &Instance{
			ID: fmt.Sprintf("i-%017x", s.seq), ReservationID: rid, ImageID: img.ID, Type: typ, Zone: zone,
			KeyName: r.Form.Get("KeyName"), State: "pending", RootDeviceType: img.RootDeviceType,
			UserData: userData, Groups: groups, Monitoring: r.Form.Get("Monitoring.Enabled") == "true",
			Tags: tags, Snapshots: snaps, LaunchTime: time.Now().Truncate(time.Millisecond),
		}
		s.instances[in.ID] = in
		s.order = append(s.order, in.ID)
	}
	if token != "" {
		s.tokens[token] = launch{reservation: rid, params: launchParams(r)}
	}
	return s.reservation(rid), nil
}

// reservation renders a reservation's instances as RunInstances answers.
func (s *Server) reservation(rid string) runInstancesResponse {
	resp := runInstancesResponse{head: newHead(), xReservation: xReservation{ID: rid, OwnerID: Account}}
	for _, id := range s.order {
		if in := s.instances[id]; in.ReservationID == rid {
			resp.Instances = append(resp.Instances, s.render(in))
		}
	}
	return resp
}

// lookup checks an instance id the way EC2 does.
func (s *Server) lookup(id string) *apiError {
	if !strings.HasPrefix(id, "i-") {
		return errf(400, "InvalidInstanceID.Malformed", "Invalid id: %q", id)
	}
	if s.instances[id] == nil {
		return errf(400, "InvalidInstanceID.NotFound", "The instance ID '%s' does not exist", id)
	}
	return nil
}

func (s *Server) changeState(r *http.Request, action string) (any, *apiError) {
	ids := list(r, "InstanceId")
	for _, id := range ids {
		if e := s.lookup(id); e != nil {
			return nil, e
		}
	}
	resp := stateChangeResponse{XMLName: xml.Name{Local: action + "Response"}, head: newHead()}
	for _, id := range ids {
		in := s.instances[id]
		prev := in.State
		bad := func() *apiError {
			return errf(400, "IncorrectInstanceState", "The instance '%s' is not in a state from which it can be %s.", id, action)
		}
		switch action {
		case "StartInstances":
			switch in.State {
			case "stopped":
				in.State = "pending"
			case "pending", "running":
			default:
				return nil, bad()
			}
		case "StopInstances":
			if in.RootDeviceType != "ebs" {
				return nil, errf(400, "UnsupportedOperation", "The instance '%s' does not have an 'ebs' root device type and cannot be stopped.", id)
			}
			switch in.State {
			case "pending", "running":
				in.State = "stopping"
			case "stopping", "stopped":
			default:
				return nil, bad()
			}
		case "TerminateInstances":
			if in.State != "terminated" && in.State != "shutting-down" {
				in.State = "shutting-down"
			}
			s.releaseInstance(id)
		}
		in.reads = 0
		resp.Changes = append(resp.Changes, xStateChange{ID: id,
			Current: xState{Code: stateCodes[in.State], Name: in.State}, Previous: xState{Code: stateCodes[prev], Name: prev}})
	}
	return resp, nil
}

func (s *Server) reboot(r *http.Request) (any, *apiError) {
	ids := list(r, "InstanceId")
	for _, id := range ids {
		if e := s.lookup(id); e != nil {
			return nil, e
		}
		if s.instances[id].State != "running" {
			return nil, errf(400, "IncorrectInstanceState", "The instance '%s' is not running.", id)
		}
	}
	return returnResponse{XMLName: xml.Name{Local: "RebootInstancesResponse"}, head: newHead(), Return: true}, nil
}
