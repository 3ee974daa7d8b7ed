package mock_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

func instanceIDs(ins []deltacloud.Instance) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.ID
	}
	return out
}

func TestClientTokenReplaysCreate(t *testing.T) {
	spec := deltacloud.InstanceSpec{ImageID: "img1", Name: "web", ClientToken: "order-17"}
	cases := []struct {
		name  string
		retry func(deltacloud.InstanceSpec) deltacloud.InstanceSpec
		want  error // nil: the first create's instances
	}{
		{"same spec", func(s deltacloud.InstanceSpec) deltacloud.InstanceSpec { return s }, nil},
		{"other name", func(s deltacloud.InstanceSpec) deltacloud.InstanceSpec { s.Name = "db"; return s }, deltacloud.ErrConflict},
		{"other image", func(s deltacloud.InstanceSpec) deltacloud.InstanceSpec { s.ImageID = "img2"; return s }, deltacloud.ErrConflict},
		{"other realm", func(s deltacloud.InstanceSpec) deltacloud.InstanceSpec { s.RealmID = "eu"; return s }, deltacloud.ErrConflict},
	}
	for _, storage := range []bool{false, true} {
		for _, c := range cases {
			t.Run(map[bool]string{false: "memory", true: "storage"}[storage]+"/"+c.name, func(t *testing.T) {
				var opts map[string]string
				if storage {
					opts = map[string]string{"storage": t.TempDir()}
				}
				p := openMock(t, opts)
				first, err := p.CreateInstances(t.Context(), spec)
				if err != nil {
					t.Fatalf("first create: %v", err)
				}
				before := ids(t, p)
				again, err := p.CreateInstances(t.Context(), c.retry(spec))
				if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
					t.Fatalf("retry = %v, want %v", err, c.want)
				}
				if c.want == nil {
					if d := cmp.Diff(instanceIDs(first), instanceIDs(again)); d != "" {
						t.Errorf("retry answered other instances (-first +retry):\n%s", d)
					}
				}
				if d := cmp.Diff(before, ids(t, p)); d != "" {
					t.Errorf("retry changed the instances (-before +after):\n%s", d)
				}
			})
		}
	}
}

func TestClientTokenSurvivesRestartAndDestroy(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"storage": dir}
	spec := deltacloud.InstanceSpec{ImageID: "img2", ClientToken: "retry-me"}
	p := openRaw(t, opts)
	in, err := p.CreateInstance(t.Context(), spec)
	if err != nil {
		t.Fatal(err)
	}
	p.Close()

	// A restart keeps the token.
	p = openRaw(t, opts)
	again, err := p.CreateInstance(t.Context(), spec)
	if err != nil || again.ID != in.ID {
		t.Fatalf("create after restart = %v, %v; want %s", again, err, in.ID)
	}
	// A destroyed instance is answered as finished, not launched again.
	if _, err := p.Drive(t.Context(), in.ID, deltacloud.StateFinish); err != nil {
		t.Fatal(err)
	}
	gone, err := p.CreateInstance(t.Context(), spec)
	if err != nil || gone.ID != in.ID || gone.State != deltacloud.StateFinish || len(gone.Actions) != 0 {
		t.Fatalf("create after destroy = %+v, %v; want %s FINISH without actions", gone, err, in.ID)
	}
	p.Close()

	// The instances carry their token too: a crash after an instance was
	// written but before its token record still remembers the token.
	p = openRaw(t, opts)
	second, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1", ClientToken: "crash"})
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	files, err := filepath.Glob(filepath.Join(dir, "client_tokens", "*crash*"))
	if err != nil || len(files) != 1 {
		t.Fatalf("token files for %q: %v, %v; want one", "crash", files, err)
	}
	if err := os.Remove(files[0]); err != nil {
		t.Fatal(err)
	}
	p = openRaw(t, opts)
	defer p.Close()
	got, err := p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1", ClientToken: "crash"})
	if err != nil || got.ID != second.ID {
		t.Fatalf("create after losing the token record = %v, %v; want %s", got, err, second.ID)
	}
}

func TestDryRunCreatesNothing(t *testing.T) {
	p := openMock(t, nil)
	ctx := t.Context()
	used, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", ClientToken: "used"})
	if err != nil {
		t.Fatal(err)
	}
	before := ids(t, p)
	cases := []struct {
		name    string
		spec    deltacloud.InstanceSpec
		want    error
		request map[string]string
		exist   []string
	}{
		{name: "defaults", spec: deltacloud.InstanceSpec{ImageID: "img1"},
			request: map[string]string{"image_id": "img1", "realm_id": "us", "hwp_id": "m1-small", "initial_state": "RUNNING", "instance_count": "1"}},
		{name: "everything", spec: deltacloud.InstanceSpec{ImageID: "img3", RealmID: "eu", ProfileID: "opaque",
			Properties: map[string]string{"memory": "10240"}, Name: "n", UserData: []byte("secret"), Options: map[string]string{"initial_state": "stopped"}},
			request: map[string]string{"image_id": "img3", "realm_id": "eu", "hwp_id": "opaque", "hwp_memory": "10240", "name": "n",
				"user_data": "(hidden)", "initial_state": "STOPPED", "instance_count": "1"}},
		{name: "used token", spec: deltacloud.InstanceSpec{ImageID: "img1", ClientToken: "used"},
			request: map[string]string{"image_id": "img1", "realm_id": "us", "hwp_id": "m1-small", "initial_state": "RUNNING",
				"instance_count": "1", "client_token": "used"}, exist: []string{used.ID}},
		{name: "token reused", spec: deltacloud.InstanceSpec{ImageID: "img2", ClientToken: "used"}, want: deltacloud.ErrConflict},
		{name: "unknown option", spec: deltacloud.InstanceSpec{ImageID: "img1", Options: map[string]string{"x": "1"}}, want: deltacloud.ErrInvalidArgument},
		{name: "unknown image", spec: deltacloud.InstanceSpec{ImageID: "nope"}, want: deltacloud.ErrInvalidArgument},
		{name: "unknown realm", spec: deltacloud.InstanceSpec{ImageID: "img1", RealmID: "mars"}, want: deltacloud.ErrInvalidArgument},
		{name: "bad memory", spec: deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large", Properties: map[string]string{"memory": "1"}},
			want: deltacloud.ErrInvalidArgument},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plan, err := p.DryRun(ctx, c.spec)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Fatalf("DryRun = %v, want %v", err, c.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("DryRun: %v", err)
			}
			if plan.Driver == nil || !plan.Driver.Verified {
				t.Fatalf("driver plan = %+v, want a verified one", plan.Driver)
			}
			if d := cmp.Diff(c.request, plan.Driver.Request); d != "" {
				t.Errorf("request (-want +got):\n%s", d)
			}
			if d := cmp.Diff(c.exist, plan.Driver.Existing); d != "" {
				t.Errorf("existing (-want +got):\n%s", d)
			}
		})
	}
	if d := cmp.Diff(before, ids(t, p)); d != "" {
		t.Errorf("dry runs changed the instances (-before +after):\n%s", d)
	}
}
