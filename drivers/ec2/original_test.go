package ec2_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/api"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// TestMultiArchitectureTypes: t2.micro and t2.small run i386 and x86_64 on
// EC2; they get an enum architecture defaulting to x86_64, so listings by
// either architecture include them, and a create may choose i386.
func TestMultiArchitectureTypes(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	t2, err := p.HardwareProfile(ctx, "t2.micro")
	if err != nil {
		t.Fatal(err)
	}
	arch, _ := t2.Property(deltacloud.PropertyArchitecture)
	want := deltacloud.EnumProperty(deltacloud.PropertyArchitecture, deltacloud.UnitLabel, "x86_64", "i386", "x86_64")
	if d := cmp.Diff(want, arch); d != "" {
		t.Errorf("t2.micro architecture (-want +got):\n%s", d)
	}
	ids := func(f deltacloud.HardwareProfileFilter) []string {
		hs, err := p.HardwareProfiles(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, h := range hs {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	for arch, want := range map[string][]string{
		"x86_64": {"c5.xlarge", "m5.large", "m5d.large", "t2.micro", "t2.small"},
		"i386":   {"t2.micro", "t2.small"},
		"arm64":  {"t4g.small"},
	} {
		if d := cmp.Diff(want, ids(deltacloud.HardwareProfileFilter{Architecture: arch})); d != "" {
			t.Errorf("profiles of %s (-want +got):\n%s", arch, d)
		}
	}
	// An i386 image runs on t2.micro, chosen by default or explicitly.
	for _, props := range []map[string]string{nil, {"architecture": "i386"}} {
		if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000004", ProfileID: "t2.micro", Properties: props}); err != nil {
			t.Errorf("create an i386 image on t2.micro with %v: %v", props, err)
		}
	}
	if _, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000004", ProfileID: "m5.large"}); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("create an i386 image on m5.large = %v, want ErrInvalidArgument", err)
	}
}

// TestWhatOriginalClientsExpect: what the original Deltacloud's clients
// read from -i ec2, through the REST handler: every instance has a name
// (the image id without a Name tag; TestNameTagAndAs shows a tagged one), images list the profiles that fit
// their architecture, keys are AVAILABLE, and hardware_profiles filtered by
// architecture include the types that run several.
func TestWhatOriginalClientsExpect(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	unnamed, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001"})
	if err != nil {
		t.Fatal(err)
	}
	if unnamed.Name != "ami-00000001" {
		t.Errorf("created instance is named %q, want its image id", unnamed.Name)
	}
	if got, err := p.Instance(ctx, unnamed.ID); err != nil || got.Name != "ami-00000001" {
		t.Errorf("Instance(%s) = %+v, %v; want the image id as its name", unnamed.ID, got, err)
	}
	if _, err := p.CreateKey(ctx, deltacloud.KeySpec{Name: "k1"}); err != nil {
		t.Fatal(err)
	}

	srv := httptest.NewServer(api.NewHandler(api.Options{Driver: "ec2", Provider: "us-east-1",
		DriverOptions: map[string]map[string]string{"ec2": {"endpoint": s.URL}}}))
	t.Cleanup(srv.Close)
	get := func(path string) string {
		t.Helper()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.SetBasicAuth(goodCreds.User, goodCreds.Password)
		req.Header.Set("Accept", "application/xml")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s %v", path, resp.StatusCode, b, err)
		}
		return string(b)
	}
	cases := []struct {
		path   string
		has    []string
		hasNot []string
	}{
		{path: "/api/instances/" + unnamed.ID, has: []string{"<name>ami-00000001</name>"}},
		{path: "/api/images/ami-00000004", has: []string{"<hardware_profiles>", "id='t2.micro'", "id='t2.small'"},
			hasNot: []string{"id='m5.large'", "id='t4g.small'"}},
		{path: "/api/images/ami-00000003", has: []string{"<hardware_profiles>", "id='t4g.small'"}, hasNot: []string{"id='t2.micro'"}},
		{path: "/api/images", has: []string{"<hardware_profiles>", "id='m5.large'"}},
		{path: "/api/keys/k1", has: []string{"<state>AVAILABLE</state>"}},
		{path: "/api/hardware_profiles?architecture=x86_64", has: []string{"id='t2.micro'", "id='m5.large'"}, hasNot: []string{"id='t4g.small'"}},
		{path: "/api/hardware_profiles?architecture=i386", has: []string{"id='t2.micro'"}, hasNot: []string{"id='m5.large'"}},
	}
	for _, c := range cases {
		body := get(c.path)
		for _, w := range c.has {
			if !strings.Contains(strings.ReplaceAll(body, `"`, "'"), w) {
				t.Errorf("GET %s does not have %s:\n%s", c.path, w, body)
			}
		}
		for _, w := range c.hasNot {
			if strings.Contains(strings.ReplaceAll(body, `"`, "'"), w) {
				t.Errorf("GET %s has %s:\n%s", c.path, w, body)
			}
		}
	}
}
