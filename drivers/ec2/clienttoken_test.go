package ec2_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestCallerClientToken loses a create's answer where the SDK does not
// retry: the caller's own retry with its token launches nothing more and
// answers the first launch; the token reused for another launch is
// ErrConflict (EC2's IdempotentParameterMismatch).
func TestCallerClientToken(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s, "max_attempts", "1")
	if !p.SupportsClientToken() {
		t.Fatal("SupportsClientToken = false")
	}
	spec := deltacloud.InstanceSpec{ImageID: "ami-00000001", ProfileID: "m5.large", Count: 2, ClientToken: "order-42"}
	s.Drop("RunInstances", 1)
	if _, err := p.CreateInstances(t.Context(), spec); !errors.Is(err, deltacloud.ErrUnavailable) {
		t.Fatalf("create whose answer was lost = %v, want ErrUnavailable", err)
	}
	launched := s.Instances()
	if len(launched) != 2 {
		t.Fatalf("the lost create launched %d instances, want 2", len(launched))
	}
	ins, err := p.CreateInstances(t.Context(), spec)
	if err != nil {
		t.Fatalf("retry with the token: %v", err)
	}
	got := []string{ins[0].ID, ins[1].ID}
	want := []string{launched[0].ID, launched[1].ID}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("retry answered (-launched +answered):\n%s", d)
	}
	other := spec
	other.ProfileID = "c5.xlarge"
	if _, err := p.CreateInstances(t.Context(), other); !errors.Is(err, deltacloud.ErrConflict) {
		t.Errorf("the token reused for another instance type = %v, want ErrConflict", err)
	}
	if n := len(s.Instances()); n != 2 {
		t.Errorf("%d instances after the retries, want 2", n)
	}
}

func TestDryRun(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	spec := deltacloud.InstanceSpec{ImageID: "ami-00000001", ProfileID: "m5.large", RealmID: "us-east-1b", Metrics: true,
		UserData: []byte("#!/bin/sh\necho secret"), ClientToken: "plan-1"}
	plan, err := p.DryRun(t.Context(), spec)
	if err != nil {
		t.Fatalf("DryRun: %v", err)
	}
	want := &deltacloud.DriverPlan{Verified: true, Request: map[string]string{
		"ImageId": "ami-00000001", "InstanceType": "m5.large", "MinCount": "1", "MaxCount": "1",
		"Placement.AvailabilityZone": "us-east-1b", "UserData": "(hidden)", "ClientToken": "plan-1",
		"Monitoring.Enabled": "true",
	}}
	if d := cmp.Diff(want, plan.Driver); d != "" {
		t.Errorf("driver plan (-want +got):\n%s", d)
	}
	if plan.Image == nil || plan.Profile == nil || plan.Realm == nil {
		t.Errorf("plan lacks the image, profile or realm: %+v", plan)
	}
	if n := len(s.Instances()); n != 0 || s.Calls("RunInstances") != 1 {
		t.Errorf("DryRun launched %d instances in %d RunInstances calls; want 0 in 1", n, s.Calls("RunInstances"))
	}
	// The token was only checked: a create with it launches.
	if _, err := p.CreateInstance(t.Context(), spec); err != nil || len(s.Instances()) != 1 {
		t.Errorf("create after the dry run = %v with %d instances, want one", err, len(s.Instances()))
	}

	cases := []struct {
		name string
		prep func()
		spec deltacloud.InstanceSpec
		want error
	}{
		{"not permitted", func() { s.Fail("RunInstances", "UnauthorizedOperation", 403, 1) },
			deltacloud.InstanceSpec{ImageID: "ami-00000001"}, deltacloud.ErrForbidden},
		{"unlisted image the cloud lacks", nil, deltacloud.InstanceSpec{ImageID: "ami-0000000f"}, deltacloud.ErrNotFound},
		{"unknown group", nil, deltacloud.InstanceSpec{ImageID: "ami-00000001", Firewalls: []string{"sg-00000000000000fff"}}, deltacloud.ErrNotFound},
		{"token reused", nil, deltacloud.InstanceSpec{ImageID: "ami-00000002", ClientToken: "plan-1"}, deltacloud.ErrConflict},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.prep != nil {
				c.prep()
			}
			if _, err := p.DryRun(t.Context(), c.spec); !errors.Is(err, c.want) {
				t.Errorf("DryRun = %v, want %v", err, c.want)
			}
		})
	}
	if n := len(s.Instances()); n != 1 {
		t.Errorf("%d instances after the refused dry runs, want 1", n)
	}
}
