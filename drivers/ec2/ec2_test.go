package ec2_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awsec2 "github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/drivertest"
	"github.com/deltacloud-go/deltacloud/drivers/ec2"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

func open(t *testing.T, s *ec2test.Server, opts ...string) *deltacloud.Provider {
	t.Helper()
	p, err := openFake(t.Context(), s, goodCreds, opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestMapState(t *testing.T) {
	for in, want := range map[types.InstanceStateName]deltacloud.State{
		"pending":       deltacloud.StatePending,
		"running":       deltacloud.StateRunning,
		"stopping":      deltacloud.StateStopping,
		"stopped":       deltacloud.StateStopped,
		"shutting-down": deltacloud.StateShuttingDown,
		"terminated":    deltacloud.StateFinish,
		"rebooting":     deltacloud.StateUnknown,
	} {
		if got := ec2.MapState(in); got != want {
			t.Errorf("MapState(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestActions(t *testing.T) {
	A := func(as ...deltacloud.Action) []deltacloud.Action { return as }
	cases := []struct {
		state deltacloud.State
		root  types.DeviceType
		want  []deltacloud.Action
	}{
		{deltacloud.StateRunning, types.DeviceTypeEbs, A(deltacloud.ActionReboot, deltacloud.ActionStop, deltacloud.ActionDestroy)},
		{deltacloud.StateStopped, types.DeviceTypeEbs, A(deltacloud.ActionStart, deltacloud.ActionDestroy)},
		{deltacloud.StatePending, types.DeviceTypeEbs, A(deltacloud.ActionDestroy)},
		{deltacloud.StateStopping, types.DeviceTypeEbs, A(deltacloud.ActionDestroy)},
		{deltacloud.StateShuttingDown, types.DeviceTypeEbs, A()},
		{deltacloud.StateFinish, types.DeviceTypeEbs, A()},
		{deltacloud.StateRunning, types.DeviceTypeInstanceStore, A(deltacloud.ActionReboot, deltacloud.ActionDestroy)},
		{deltacloud.StateStopped, types.DeviceTypeInstanceStore, A(deltacloud.ActionDestroy)},
		{deltacloud.StatePending, types.DeviceTypeInstanceStore, A(deltacloud.ActionDestroy)},
	}
	for _, c := range cases {
		got := ec2.Actions(c.state, c.root)
		if got == nil || !slices.Equal(got, c.want) {
			t.Errorf("Actions(%s, %s) = %#v, want %v", c.state, c.root, got, c.want)
		}
	}
}

func TestCodeFor(t *testing.T) {
	for code, want := range map[string]deltacloud.Code{
		"InvalidInstanceID.NotFound":   deltacloud.NotFound,
		"InvalidInstanceID.Malformed":  deltacloud.NotFound,
		"InvalidAMIID.NotFound":        deltacloud.NotFound,
		"InvalidGroup.NotFound":        deltacloud.NotFound,
		"AuthFailure":                  deltacloud.AuthFailure,
		"UnauthorizedOperation":        deltacloud.Forbidden,
		"RequestLimitExceeded":         deltacloud.RateLimited,
		"Throttling":                   deltacloud.RateLimited,
		"IncorrectInstanceState":       deltacloud.InvalidState,
		"InsufficientInstanceCapacity": deltacloud.Unavailable,
		"InvalidParameterValue":        deltacloud.InvalidArgument,
		"InvalidAMIID.Malformed":       deltacloud.InvalidArgument,
		"InvalidKeyPair.Format":        deltacloud.InvalidArgument,
		"SomethingNew":                 deltacloud.CodeUnknown,
		// CloudWatch: query-compatible codes and exception names.
		"InvalidParameterCombination":       deltacloud.InvalidArgument,
		"InvalidParameterValueException":    deltacloud.InvalidArgument,
		"MissingParameter":                  deltacloud.InvalidArgument,
		"MissingRequiredParameterException": deltacloud.InvalidArgument,
		"InvalidNextToken":                  deltacloud.InvalidArgument,
		"InternalServiceError":              deltacloud.Backend,
		"InternalServiceFault":              deltacloud.Backend,
		"InvalidClientTokenId":              deltacloud.AuthFailure,
		"UnrecognizedClientException":       deltacloud.AuthFailure,
		"AccessDeniedException":             deltacloud.Forbidden,
		"ThrottlingException":               deltacloud.RateLimited,
		"ResourceNotFound":                  deltacloud.NotFound,
		"LimitExceededException":            deltacloud.Forbidden,
	} {
		if got := ec2.CodeFor(code); got != want {
			t.Errorf("CodeFor(%q) = %s, want %s", code, got, want)
		}
	}
}

// TestErrorMapping injects EC2 error documents and checks the Provider's
// code, and that the SDK's smithy.APIError stays reachable.
func TestErrorMapping(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s, "max_attempts", "1")
	ctx := t.Context()
	cases := []struct {
		action, code string
		status       int
		call         func() error
		want         error
	}{
		{"DescribeInstances", "AuthFailure", 401, func() error { _, err := p.Instances(ctx, deltacloud.InstanceFilter{}); return err }, deltacloud.ErrAuthFailure},
		{"DescribeImages", "UnauthorizedOperation", 403, func() error { _, err := p.Images(ctx, deltacloud.ImageFilter{}); return err }, deltacloud.ErrForbidden},
		{"DescribeAvailabilityZones", "RequestLimitExceeded", 503, func() error { _, err := p.Realms(ctx); return err }, deltacloud.ErrRateLimited},
		{"RunInstances", "InsufficientInstanceCapacity", 503, func() error {
			_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001"})
			return err
		}, deltacloud.ErrUnavailable},
		{"RunInstances", "InvalidParameterValue", 400, func() error {
			_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001"})
			return err
		}, deltacloud.ErrInvalidArgument},
		{"DescribeInstanceTypes", "InternalError", 500, func() error {
			_, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
			return err
		}, deltacloud.ErrBackend},
	}
	for _, c := range cases {
		s.Fail(c.action, c.code, c.status, 1)
		err := c.call()
		if !errors.Is(err, c.want) {
			t.Errorf("%s failing with %s = %v, want %v", c.action, c.code, err, c.want)
		}
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != c.code {
			t.Errorf("%s failing with %s: errors.As(smithy.APIError) = %v", c.action, c.code, api)
		}
	}
	// A real EC2 answer, not an injected one: creating from an unknown AMI.
	_, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-deadbeef"})
	if !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("create from an unknown AMI = %v, want ErrNotFound", err)
	}
	// IncorrectInstanceState from EC2 (the Provider's own check passed).
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning); err != nil {
		t.Fatal(err)
	}
	s.Fail("RebootInstances", "IncorrectInstanceState", 400, 1)
	if _, err := p.Reboot(ctx, in.ID); !errors.Is(err, deltacloud.ErrInvalidState) {
		t.Errorf("Reboot refused by EC2 = %v, want ErrInvalidState", err)
	}
	if _, err := p.Instance(ctx, "i-0123456789abcdef0"); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("Instance(unknown) = %v, want ErrNotFound", err)
	}
}

// TestDestroyRunning: EC2 terminates a running instance directly, so a
// teardown is one destroy; the instance shows SHUTTING_DOWN, from which
// nothing but the automatic finish is offered, until it is terminated.
func TestDestroyRunning(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPendingReads(1)
	p := open(t, s)
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning, deltacloud.WaitOptions{PollInterval: time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	plan, err := p.Lifecycle().Plan(deltacloud.StateRunning, deltacloud.StateFinish)
	if err != nil || !slices.Equal(plan, []deltacloud.Action{deltacloud.ActionDestroy}) {
		t.Errorf("plan RUNNING → FINISH = %v, %v; want [destroy]", plan, err)
	}
	got, err := p.Do(ctx, in.ID, deltacloud.ActionDestroy)
	if err != nil {
		t.Fatalf("destroying a running instance: %v", err)
	}
	if got.State != deltacloud.StateShuttingDown || len(got.Actions) != 0 {
		t.Errorf("after destroy: %s with actions %v, want SHUTTING_DOWN with none", got.State, got.Actions)
	}
	if n := s.Calls("StopInstances"); n != 0 {
		t.Errorf("StopInstances called %d times for a teardown", n)
	}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateFinish, deltacloud.WaitOptions{PollInterval: time.Millisecond}); err != nil {
		t.Errorf("waiting for the terminated instance: %v", err)
	}
}

func TestThrottlingRetried(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s, "max_attempts", "3")
	s.Throttle(1)
	if _, err := p.Realms(t.Context()); err != nil {
		t.Fatalf("Realms after one throttle = %v, want the SDK to retry", err)
	}
	if n := s.Calls("DescribeAvailabilityZones"); n != 2 {
		t.Errorf("DescribeAvailabilityZones called %d times, want 2", n)
	}
	p1 := open(t, s, "max_attempts", "1")
	s.Throttle(1)
	_, err := p1.Realms(t.Context())
	if !errors.Is(err, deltacloud.ErrRateLimited) || !deltacloud.CodeOf(err).Temporary() {
		t.Errorf("Realms throttled = %v, want ErrRateLimited", err)
	}
}

// TestClientTokenIdempotency loses the first RunInstances response: the SDK
// retries with the same client token and EC2 launches only once.
func TestClientTokenIdempotency(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	s.Drop("RunInstances", 1)
	ins, err := p.CreateInstances(t.Context(), deltacloud.InstanceSpec{ImageID: "ami-00000001", Count: 2})
	if err != nil {
		t.Fatalf("CreateInstances: %v", err)
	}
	if n := s.Calls("RunInstances"); n != 2 {
		t.Errorf("RunInstances called %d times, want 2 (one dropped, one retried)", n)
	}
	if got := s.Instances(); len(got) != 2 || len(ins) != 2 {
		t.Fatalf("launched %d instances, returned %d; want 2 and 2", len(got), len(ins))
	}
	// Two calls are two launches: each has its own token.
	if _, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "ami-00000001"}); err != nil {
		t.Fatal(err)
	}
	if got := s.Instances(); len(got) != 3 {
		t.Errorf("after a second create, %d instances; want 3", len(got))
	}
}

func TestCreateParameters(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	var fws []*deltacloud.Firewall
	for _, name := range []string{"web", "ssh"} {
		fw, err := p.CreateFirewall(t.Context(), deltacloud.FirewallSpec{Name: name, Description: name + " servers"})
		if err != nil {
			t.Fatal(err)
		}
		fws = append(fws, fw)
	}
	// Firewalls are named by id (the firewalls collection's) or by name.
	ins, err := p.CreateInstances(t.Context(), deltacloud.InstanceSpec{
		ImageID: "ami-00000001", RealmID: "us-east-1b", ProfileID: "m5.large",
		KeyName: "mykey", UserData: []byte("#!/bin/sh\necho hi\n"), Firewalls: []string{fws[0].ID, "ssh"},
		Count: 2, Metrics: true, Snapshot: &deltacloud.SnapshotAttachment{SnapshotID: "snap-1", Device: "/dev/sdb"},
	})
	if err != nil {
		t.Fatalf("CreateInstances: %v", err)
	}
	if len(ins) != 2 {
		t.Fatalf("%d instances, want 2", len(ins))
	}
	for _, got := range s.Instances() {
		if got.Zone != "us-east-1b" || got.Type != "m5.large" || got.KeyName != "mykey" ||
			string(got.UserData) != "#!/bin/sh\necho hi\n" || !slices.Equal(got.Groups, []string{"ssh", "web"}) ||
			!got.Monitoring || got.Snapshots["/dev/sdb"] != "snap-1" {
			t.Errorf("launched %+v", got)
		}
	}
	in := ins[0]
	if in.State != deltacloud.StatePending || in.Owner != ec2test.Account || in.RealmID != "us-east-1b" ||
		in.Profile.ID != "m5.large" || in.Authentication == nil || in.Authentication.KeyName != "mykey" ||
		!slices.Equal(in.Firewalls, []string{fws[1].ID, fws[0].ID}) || in.Extra["root_device_type"] != "ebs" || in.LaunchTime.IsZero() {
		t.Errorf("created %+v", in)
	}
	run, err := p.WaitFor(t.Context(), in.ID, deltacloud.StateRunning)
	if err != nil {
		t.Fatal(err)
	}
	if len(run.PublicAddresses) != 2 || run.PublicAddresses[0].Type != deltacloud.AddressIPv4 ||
		run.PublicAddresses[1].Type != deltacloud.AddressHostname || len(run.PrivateAddresses) != 2 {
		t.Errorf("addresses %+v %+v", run.PublicAddresses, run.PrivateAddresses)
	}
	if _, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "ami-00000001",
		Options: map[string]string{"nope": "1"}}); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("unknown create option = %v, want ErrInvalidArgument", err)
	}
}

// TestNameTagAndAs launches through the native client (Provider.As) with a
// Name tag and reads the name back through the portable API.
func TestNameTagAndAs(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	var c *awsec2.Client
	if !p.As(&c) || c == nil {
		t.Fatal("As(**ec2.Client) failed")
	}
	out, err := c.RunInstances(t.Context(), &awsec2.RunInstancesInput{ImageId: aws.String("ami-00000002"),
		MinCount: aws.Int32(1), MaxCount: aws.Int32(1),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeInstance,
			Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("web-1")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	in, err := p.Instance(t.Context(), aws.ToString(out.Instances[0].InstanceId))
	if err != nil {
		t.Fatal(err)
	}
	if in.Name != "web-1" || in.Extra["root_device_type"] != "instance-store" {
		t.Errorf("instance %+v", in)
	}
	var wrong *int
	if p.As(&wrong) {
		t.Error("As(**int) succeeded")
	}
}

func TestFilters(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	ids := func(imgs []deltacloud.Image) []string {
		var out []string
		for _, i := range imgs {
			out = append(out, i.ID)
		}
		return out
	}
	for _, c := range []struct {
		f    deltacloud.ImageFilter
		want []string
	}{
		{deltacloud.ImageFilter{}, []string{"ami-00000001", "ami-00000002", "ami-00000003", "ami-00000004"}},
		{deltacloud.ImageFilter{Owner: "self"}, []string{"ami-00000001", "ami-00000004"}},
		{deltacloud.ImageFilter{Owner: "amazon"}, []string{"ami-00000002", "ami-00000003"}},
		{deltacloud.ImageFilter{Owner: "999999999999"}, []string{"ami-00000009"}},
		{deltacloud.ImageFilter{Architecture: "arm64"}, []string{"ami-00000003"}},
		{deltacloud.ImageFilter{Architecture: "i386"}, []string{"ami-00000004"}},
		{deltacloud.ImageFilter{ID: "ami-00000002"}, []string{"ami-00000002"}},
		{deltacloud.ImageFilter{ID: "ami-ffffffff"}, nil},
	} {
		imgs, err := p.Images(ctx, c.f)
		if err != nil || !slices.Equal(ids(imgs), c.want) {
			t.Errorf("Images(%+v) = %v, %v; want %v", c.f, ids(imgs), err, c.want)
		}
	}
	a, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", RealmID: "us-east-1a"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", RealmID: "us-east-1b"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, a.ID, deltacloud.StateRunning); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Stop(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, a.ID, deltacloud.StateStopped); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, b.ID, deltacloud.StateRunning); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    deltacloud.InstanceFilter
		want []string
	}{
		{deltacloud.InstanceFilter{Realm: "us-east-1b"}, []string{b.ID}},
		{deltacloud.InstanceFilter{State: deltacloud.StateStopped}, []string{a.ID}},
		{deltacloud.InstanceFilter{State: deltacloud.StateRunning, Realm: "us-east-1a"}, nil},
		{deltacloud.InstanceFilter{ID: a.ID}, []string{a.ID}},
		{deltacloud.InstanceFilter{}, []string{a.ID, b.ID}},
	} {
		ins, err := p.Instances(ctx, c.f)
		var got []string
		for _, in := range ins {
			got = append(got, in.ID)
		}
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("Instances(%+v) = %v, %v; want %v", c.f, got, err, c.want)
		}
	}
	rs, err := p.Realms(ctx)
	if err != nil || len(rs) != 3 || rs[0].State != deltacloud.RealmAvailable || rs[2].State != deltacloud.RealmUnavailable {
		t.Errorf("Realms = %+v, %v", rs, err)
	}
}

func TestPagination(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetPageSize(1)
	p := open(t, s)
	ctx := t.Context()
	hs, err := p.HardwareProfiles(ctx, deltacloud.HardwareProfileFilter{})
	if err != nil || len(hs) != len(ec2test.InstanceTypes) {
		t.Fatalf("HardwareProfiles = %d, %v; want %d", len(hs), err, len(ec2test.InstanceTypes))
	}
	if n := s.Calls("DescribeInstanceTypes"); n != len(ec2test.InstanceTypes) {
		t.Errorf("DescribeInstanceTypes called %d times, want one per page (%d)", n, len(ec2test.InstanceTypes))
	}
	m5d, err := p.HardwareProfile(ctx, "m5d.large")
	if err != nil || m5d.Value(deltacloud.PropertyStorage) != "75" || m5d.Value(deltacloud.PropertyMemory) != "8192" ||
		m5d.Value(deltacloud.PropertyCPU) != "2" || m5d.Value(deltacloud.PropertyArchitecture) != "x86_64" {
		t.Errorf("m5d.large = %+v, %v", m5d, err)
	}
	if t2, err := p.HardwareProfile(ctx, "t2.micro"); err != nil || t2.Value(deltacloud.PropertyArchitecture) != "x86_64" {
		t.Errorf("t2.micro = %+v, %v", t2, err)
	} else if _, ok := t2.Property(deltacloud.PropertyStorage); ok {
		t.Errorf("t2.micro has storage; EBS-only types should omit it")
	}
	imgs, err := p.Images(ctx, deltacloud.ImageFilter{})
	if err != nil || len(imgs) != 4 {
		t.Errorf("Images = %d, %v; want 4 over 4 pages", len(imgs), err)
	}
	if _, err := p.CreateInstances(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", Count: 5}); err != nil {
		t.Fatal(err)
	}
	before := s.Calls("DescribeInstances")
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(ins) != 5 {
		t.Fatalf("Instances = %d, %v; want 5", len(ins), err)
	}
	if n := s.Calls("DescribeInstances") - before; n != 5 {
		t.Errorf("DescribeInstances called %d times, want 5 pages", n)
	}
}

func TestTerminatedListedForAWhile(t *testing.T) {
	s := ec2test.NewServer(t)
	s.SetTerminatedTTL(200 * time.Millisecond)
	p := open(t, s)
	ctx := t.Context()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000002"})
	if err != nil {
		t.Fatal(err)
	}
	run, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning)
	if err != nil {
		t.Fatal(err)
	}
	if !run.Can(deltacloud.ActionDestroy) || run.Can(deltacloud.ActionStop) {
		t.Errorf("instance-store instance allows %v; want destroy instead of stop", run.Actions)
	}
	if err := p.Destroy(ctx, in.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateFinish); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if _, err := p.Instance(ctx, in.ID); !errors.Is(err, deltacloud.ErrNotFound) {
		t.Errorf("long-terminated instance = %v, want ErrNotFound", err)
	}
}

type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

func TestOpen(t *testing.T) {
	s := ec2test.NewServer(t)
	ct := &countingTransport{}
	p, err := deltacloud.Open(t.Context(), "ec2", deltacloud.Config{Credentials: goodCreds,
		HTTPClient: &http.Client{Transport: ct}, Options: map[string]string{"endpoint": s.URL}})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if ct.n.Load() != 0 {
		t.Errorf("Open made %d requests, want none", ct.n.Load())
	}
	if _, err := p.Realms(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ct.n.Load() == 0 {
		t.Error("Config.HTTPClient was not used")
	}
	if p.Name() != "" {
		t.Errorf("Name = %q", p.Name())
	}
	_, err = deltacloud.Open(t.Context(), "ec2", deltacloud.Config{Options: map[string]string{"nope": "1"}})
	if !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("Open with an unknown option = %v, want ErrInvalidArgument", err)
	}
	for _, info := range deltacloud.Drivers() {
		if info.Name == "ec2" && len(info.Providers) == 0 {
			t.Error("ec2 lists no providers")
		}
	}
	want := []string{"owner_id", "image_name", "image_description", "bucket_location", "metrics", "realm_filter", "user_data",
		"firewalls", "authentication_key", "instance_count", "attach_snapshot", "import_key", "volume_name"}
	var got []string
	for _, f := range p.Features() {
		got = append(got, string(f.Name))
	}
	if !slices.Equal(got, want) {
		t.Errorf("Features = %v, want %v", got, want)
	}
}

// TestLive runs the conformance suite against real AWS, optional
// collections included (key pairs, security groups, Elastic IPs, EBS
// volumes and snapshots, AMIs, S3 buckets and blobs, CloudWatch metrics);
// it launches and terminates instances and creates and deletes those, so
// it needs
// DELTACLOUD_EC2_LIVE=1 and credentials (AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY or the SDK chain), and DELTACLOUD_EC2_IMAGE plus
// optionally DELTACLOUD_EC2_PROFILE and AWS_REGION. It skips, saying why,
// when any of these is missing.
func TestLive(t *testing.T) {
	if os.Getenv("DELTACLOUD_EC2_LIVE") != "1" {
		t.Skip("set DELTACLOUD_EC2_LIVE=1 (with AWS credentials) to run against AWS")
	}
	region := os.Getenv("AWS_REGION")
	cfg, err := config.LoadDefaultConfig(t.Context())
	if err == nil {
		_, err = cfg.Credentials.Retrieve(t.Context())
	}
	if err != nil {
		t.Skipf("DELTACLOUD_EC2_LIVE=1, but the AWS SDK finds no credentials (set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or a profile): %v", err)
	}
	if os.Getenv("DELTACLOUD_EC2_IMAGE") == "" {
		t.Skip("DELTACLOUD_EC2_LIVE=1 also needs DELTACLOUD_EC2_IMAGE, an AMI of the region to launch")
	}
	drivertest.RunConformance(t, drivertest.Harness{
		Open: func(ctx context.Context, t *testing.T) (*deltacloud.Provider, error) {
			return deltacloud.Open(ctx, "ec2", deltacloud.Config{Provider: region, PollInterval: 5 * time.Second})
		},
		Spec: deltacloud.InstanceSpec{ImageID: os.Getenv("DELTACLOUD_EC2_IMAGE"),
			ProfileID: cmpOr(os.Getenv("DELTACLOUD_EC2_PROFILE"), "t3.micro")},
		WaitTimeout: 10 * time.Minute,
	})
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
