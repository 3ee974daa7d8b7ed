package deltacloud_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// statesConn is the core-only driver (no client tokens, no dry run, no
// get-by-id) with every realm and image in the states its options name.
type statesConn struct {
	coreConn
	realmState deltacloud.RealmState
	imageState string
}

func (c statesConn) Realms(ctx context.Context) ([]deltacloud.Realm, error) {
	rs, err := c.coreConn.Realms(ctx)
	for i := range rs {
		rs[i].State = c.realmState
	}
	return rs, err
}

func (c statesConn) Images(ctx context.Context, f deltacloud.ImageFilter) ([]deltacloud.Image, error) {
	imgs, err := c.coreConn.Images(ctx, f)
	for i := range imgs {
		imgs[i].State = c.imageState
	}
	return imgs, err
}

type statesDriver struct{}

func (statesDriver) Info() deltacloud.DriverInfo { return deltacloud.DriverInfo{Description: "states"} }
func (statesDriver) Open(ctx context.Context, cfg deltacloud.Config) (deltacloud.Conn, error) {
	c := statesConn{realmState: deltacloud.RealmState(cfg.Options["realm_state"]), imageState: cfg.Options["image_state"]}
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: cfg.Credentials})
	if err != nil {
		return nil, err
	}
	c.coreConn = coreConn{p}
	return c, nil
}

func init() { deltacloud.Register("test-states", statesDriver{}) }

func openStates(t *testing.T, realmState, imageState string) *deltacloud.Provider {
	t.Helper()
	p, err := deltacloud.Open(t.Context(), "test-states", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password},
		Options:     map[string]string{"realm_state": realmState, "image_state": imageState},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

func TestDryRunPlan(t *testing.T) {
	p, _ := open(t, nil)
	ctx := t.Context()
	before, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	spec := deltacloud.InstanceSpec{ImageID: "img1", RealmID: "eu", ProfileID: "m1-large",
		Properties: map[string]string{"memory": "10240.0"}, Name: "planned"}
	plan, err := p.DryRun(ctx, spec)
	if err != nil {
		t.Fatalf("DryRun: %v", err)
	}
	img, _ := p.Image(ctx, "img1")
	realm, _ := p.Realm(ctx, "eu")
	h, _ := p.HardwareProfile(ctx, "m1-large")
	want := &deltacloud.CreatePlan{
		Spec: deltacloud.InstanceSpec{ImageID: "img1", RealmID: "eu", ProfileID: "m1-large", Count: 1,
			Properties: map[string]string{"memory": "10240"}, Name: "planned"},
		Image: img, Realm: realm, Profile: h, Name: "planned",
		Properties: map[string]string{"architecture": "x86_64", "cpu": "1", "memory": "10240", "storage": "850"},
		Driver: &deltacloud.DriverPlan{Verified: true, Request: map[string]string{"image_id": "img1", "realm_id": "eu",
			"hwp_id": "m1-large", "hwp_memory": "10240", "name": "planned", "initial_state": "RUNNING", "instance_count": "1"}},
	}
	if d := cmp.Diff(want, plan); d != "" {
		t.Errorf("plan (-want +got):\n%s", d)
	}
	after, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil || len(after) != len(before) {
		t.Errorf("DryRun changed the instances: %d before, %d after (%v)", len(before), len(after), err)
	}
	// The plan's spec creates what it describes.
	in, err := p.CreateInstance(ctx, plan.Spec)
	if err != nil || in.RealmID != "eu" || in.Profile.Overrides["memory"] != "10240" {
		t.Errorf("create from the plan = %+v, %v", in, err)
	}
}

func TestDryRunRefuses(t *testing.T) {
	p, _ := open(t, nil)
	cases := []struct {
		name string
		p    *deltacloud.Provider
		spec deltacloud.InstanceSpec
		want deltacloud.Code
		msg  string
	}{
		{"no image", p, deltacloud.InstanceSpec{}, deltacloud.InvalidArgument, "image id is required"},
		{"unknown profile", p, deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m9"}, deltacloud.InvalidArgument, "does not exist"},
		{"value out of range", p, deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large", Properties: map[string]string{"memory": "1"}},
			deltacloud.InvalidArgument, "memory"},
		{"unadvertised feature", p, deltacloud.InstanceSpec{ImageID: "img1", Count: 2}, deltacloud.NotSupported, "instance_count"},
		{"architecture", p, deltacloud.InstanceSpec{ImageID: "img3", ProfileID: "m1-large"}, deltacloud.InvalidArgument, "i386"},
		{"unknown realm", p, deltacloud.InstanceSpec{ImageID: "img1", RealmID: "mars"}, deltacloud.InvalidArgument, `realm "mars" does not exist`},
		{"driver's option check", p, deltacloud.InstanceSpec{ImageID: "img1", Options: map[string]string{"initial_state": "gone"}},
			deltacloud.InvalidArgument, "initial_state"},
		{"token too long", p, deltacloud.InstanceSpec{ImageID: "img1", ClientToken: strings.Repeat("t", deltacloud.MaxClientTokenLen+1)},
			deltacloud.InvalidArgument, "client token"},
		// Without a driver dry run, the Provider's checks are all there is.
		{"image not shown", openStates(t, "AVAILABLE", "AVAILABLE"), deltacloud.InstanceSpec{ImageID: "nope"},
			deltacloud.InvalidArgument, `image "nope" does not exist`},
		{"realm unavailable", openStates(t, "UNAVAILABLE", "AVAILABLE"), deltacloud.InstanceSpec{ImageID: "img1", RealmID: "us"},
			deltacloud.InvalidState, "realm us is unavailable"},
		{"image pending", openStates(t, "AVAILABLE", "PENDING"), deltacloud.InstanceSpec{ImageID: "img1"},
			deltacloud.InvalidState, "image img1 is PENDING"},
		{"token not honoured", openStates(t, "AVAILABLE", "AVAILABLE"), deltacloud.InstanceSpec{ImageID: "img1", ClientToken: "t"},
			deltacloud.NotSupported, "client tokens"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.p.DryRun(t.Context(), c.spec)
			var e *deltacloud.Error
			if !errors.As(err, &e) || e.Code != c.want || e.Op != "DryRun" || !strings.Contains(e.Message, c.msg) {
				t.Fatalf("DryRun = %v, want %v from DryRun saying %q", err, c.want, c.msg)
			}
		})
	}
}

func TestDryRunWithoutDriverPlan(t *testing.T) {
	p := openStates(t, "AVAILABLE", "SCHEDULEDFORDEPRECATION")
	plan, err := p.DryRun(t.Context(), deltacloud.InstanceSpec{ImageID: "img1", RealmID: "us"})
	if err != nil {
		t.Fatalf("DryRun: %v", err)
	}
	if plan.Driver != nil || plan.Image == nil || plan.Realm == nil || plan.Profile != nil {
		t.Errorf("plan = %+v; want image and realm, no profile, no driver plan", plan)
	}
}
