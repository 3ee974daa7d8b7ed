package digitalocean_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean"
	"github.com/deltacloud-go/deltacloud/drivers/digitalocean/dotest"
)

// TestFailedCreateLeavesNothing: a create whose answer is lost after the
// droplet was made, or whose context ends, deletes what it made; a create
// the API refuses made nothing to delete.
func TestFailedCreateLeavesNothing(t *testing.T) {
	cases := []struct {
		name   string
		inject func(s *dotest.Server)
		cancel bool
		want   error
	}{
		{"answer lost (500)", func(s *dotest.Server) { s.FailAfter("POST", "/v2/droplets", 1, 500, "server_error") }, false, deltacloud.ErrBackend},
		{"answer lost (503)", func(s *dotest.Server) { s.FailAfter("POST", "/v2/droplets", 1, 503, "service_unavailable") }, false, deltacloud.ErrUnavailable},
		{"refused", func(s *dotest.Server) { s.Fail("POST", "/v2/droplets", 1, 422, "unprocessable_entity") }, false, deltacloud.ErrInvalidArgument},
		{"cancelled", func(s *dotest.Server) { s.SetLatency(time.Hour) }, true, context.Canceled},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := dotest.NewServer(t)
			p, err := open(t.Context(), s)
			if err != nil {
				t.Fatal(err)
			}
			c.inject(s)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if c.cancel {
				// The held create is dropped before the latency is lifted
				// (for the clean-up's requests), so the fake never makes the
				// droplet late; late creates are the lost answers above.
				// It is cancelled once the create has reached the fake,
				// not after a fixed time, which could end an earlier call.
				go func() {
					select {
					case <-s.Reached("POST /v2/droplets", 1):
						cancel()
						s.DropHeld()
						s.SetLatency(0)
					case <-ctx.Done():
					}
				}()
			}
			// The create is the call's first and only request.
			_, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ubuntu-24-04-x64", Name: "web-1"})
			if !errors.Is(err, c.want) {
				t.Errorf("CreateInstance = %v, want %v", err, c.want)
			}
			p.Close() // waits for a background clean-up
			if got := s.Resources(); len(got) != 0 {
				t.Errorf("left behind: %q", got)
			}
		})
	}
}

// TestOwnership: droplets without the owner tag are invisible, and acting
// on them is ErrNotFound.
func TestOwnership(t *testing.T) {
	s := dotest.NewServer(t)
	s.AddDroplets(1) // someone else's
	s.AddDroplets(1, digitalocean.TagOwnerPrefix+"other")
	p := openT(t, s)
	ctx := t.Context()
	mine, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "debian-12-x64"})
	if err != nil {
		t.Fatal(err)
	}
	ins, err := p.Instances(ctx, deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{}
	for _, in := range ins {
		ids = append(ids, in.ID)
	}
	if d := cmp.Diff([]string{mine.ID}, ids); d != "" {
		t.Errorf("Instances (-want +got):\n%s", d)
	}
	n, _ := strconv.Atoi(mine.ID)
	for _, other := range []string{strconv.Itoa(n - 1), strconv.Itoa(n - 2)} {
		if _, err := p.Instance(ctx, other); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Instance(%s) = %v, want ErrNotFound", other, err)
		}
		if err := p.Destroy(ctx, other); !errors.Is(err, deltacloud.ErrNotFound) {
			t.Errorf("Destroy(%s) = %v, want ErrNotFound", other, err)
		}
	}
	if got := s.DropletCount(); got != 3 {
		t.Errorf("%d droplets, want 3", got)
	}
	d, _, _ := s.Droplet(n)
	if !slices.Contains(d.Tags, digitalocean.TagOwnerPrefix+digitalocean.DefaultOwner) || len(d.Tags) != 1 {
		t.Errorf("created droplet has tags %q, want the owner tag alone (the create tag is removed)", d.Tags)
	}
}

// TestStopFallsBackToPowerOff: a shutdown that errors is followed by
// power_off.
func TestStopFallsBackToPowerOff(t *testing.T) {
	for _, fails := range []bool{false, true} {
		s := dotest.NewServer(t)
		p := openT(t, s)
		ctx := t.Context()
		in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "debian-12-x64"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.WaitFor(ctx, in.ID, deltacloud.StateRunning); err != nil {
			t.Fatal(err)
		}
		s.ShutdownFails(fails)
		out, err := p.Stop(ctx, in.ID)
		if err != nil || out.State != deltacloud.StateStopped {
			t.Fatalf("shutdown fails %v: Stop = %+v, %v; want STOPPED", fails, out, err)
		}
		want := 0
		if fails {
			want = 1
		}
		if got := s.Calls("POST /v2/droplets/{id}/actions"); got != 1+want {
			t.Errorf("shutdown fails %v: %d actions, want %d", fails, got, 1+want)
		}
	}
}

// TestCreateRequest checks what a create sends: name, size, region, image,
// key, user data and tags.
func TestCreateRequest(t *testing.T) {
	s := dotest.NewServer(t)
	p := openT(t, s)
	ctx := t.Context()
	k, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		spec    deltacloud.InstanceSpec
		realm   string
		size    string
		imageID string
	}{
		{"defaults", deltacloud.InstanceSpec{ImageID: "ubuntu-24-04-x64"}, "nyc3", digitalocean.DefaultSize, "ubuntu-24-04-x64"},
		{"everything", deltacloud.InstanceSpec{ImageID: "debian-12-x64", Name: "db-1", RealmID: "ams3", ProfileID: "s-2vcpu-4gb",
			KeyName: k.ID, UserData: []byte("#cloud-config\n")}, "ams3", "s-2vcpu-4gb", "debian-12-x64"},
		{"key by fingerprint", deltacloud.InstanceSpec{ImageID: "debian-12-x64", KeyName: k.Fingerprint}, "nyc3", digitalocean.DefaultSize, "debian-12-x64"},
	}
	for _, c := range cases {
		in, err := p.CreateInstance(ctx, c.spec)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		n, _ := strconv.Atoi(in.ID)
		d, userData, _ := s.Droplet(n)
		got := []string{d.Region.Slug, d.SizeSlug, in.ImageID, userData}
		if d := cmp.Diff([]string{c.realm, c.size, c.imageID, string(c.spec.UserData)}, got); d != "" {
			t.Errorf("%s: region, size, image, user data (-want +got):\n%s", c.name, d)
		}
		if c.spec.Name != "" && in.Name != c.spec.Name {
			t.Errorf("%s: name %q, want %q", c.name, in.Name, c.spec.Name)
		}
	}
	bad := []deltacloud.InstanceSpec{
		{ImageID: "ubuntu-24-04-x64", Name: "no spaces allowed"},
		{ImageID: "ubuntu-24-04-x64", UserData: make([]byte, 64<<10+1)},
		{ImageID: "ubuntu-24-04-x64", KeyName: "99999"},
	}
	for _, spec := range bad {
		if _, err := p.CreateInstance(ctx, spec); !errors.Is(err, deltacloud.ErrInvalidArgument) {
			t.Errorf("CreateInstance(name %q, %d bytes of user data, key %q) = %v, want ErrInvalidArgument",
				spec.Name, len(spec.UserData), spec.KeyName, err)
		}
	}
}
