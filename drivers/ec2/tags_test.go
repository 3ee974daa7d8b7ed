package ec2_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/ec2/ec2test"
)

// fakeTags are the tags the fake holds for an instance.
func fakeTags(t *testing.T, s *ec2test.Server, id string) map[string]string {
	t.Helper()
	for _, in := range s.Instances() {
		if in.ID == id {
			return in.Tags
		}
	}
	t.Fatalf("the fake has no instance %s", id)
	return nil
}

// TestInstanceTags: InstanceSpec.Tags become EC2 tags at launch, are shown
// on Instance.Tags, and a listing by one is answered.
func TestInstanceTags(t *testing.T) {
	s := ec2test.NewServer(t)
	p := open(t, s)
	ctx := t.Context()
	tags := map[string]string{"tenant": "acme", "job": "42", "empty": ""}
	created, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tags, created.Tags); diff != "" {
		t.Errorf("created instance's tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(tags, fakeTags(t, s, created.ID)); diff != "" {
		t.Errorf("EC2 tags (-want +got):\n%s", diff)
	}
	if created.Name != created.ImageID {
		t.Errorf("name %q without a Name tag, want the image id", created.Name)
	}
	other := running(t, p, deltacloud.InstanceSpec{Tags: map[string]string{"tenant": "globex"}})
	got, err := p.Instance(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tags, got.Tags); diff != "" {
		t.Errorf("described tags (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		key, value string
		want       []string
	}{
		{"tenant", "acme", []string{created.ID}},
		{"tenant", "globex", []string{other.ID}},
		{"empty", "", []string{created.ID}},
		{"tenant", "initech", nil},
	} {
		ins, err := p.Instances(ctx, deltacloud.InstanceFilter{TagKey: c.key, TagValue: c.value})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, in := range ins {
			ids = append(ids, in.ID)
		}
		if diff := cmp.Diff(c.want, ids); diff != "" {
			t.Errorf("instances tagged %s=%q (-want +got):\n%s", c.key, c.value, diff)
		}
	}
}

// TestNameTag: without name_tag the driver names nothing (no user_name,
// no Name key in Tags); with it a create's name is the Name tag.
func TestNameTag(t *testing.T) {
	s := ec2test.NewServer(t)
	plain := open(t, s)
	ctx := t.Context()
	if plain.Features().Has(deltacloud.FeatureUserName) {
		t.Error("user_name advertised without name_tag")
	}
	_, err := plain.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", Name: "web"})
	if !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("a name without name_tag: %v, want NotSupported", err)
	}
	_, err = plain.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", Tags: map[string]string{"Name": "web"}})
	if !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("a Name tag without name_tag: %v, want InvalidArgument", err)
	}
	if n := s.Calls("RunInstances"); n != 0 {
		t.Errorf("%d RunInstances for refused creates", n)
	}

	named := open(t, s, "name_tag", "true")
	f, ok := named.Features().Lookup(deltacloud.FeatureUserName)
	if !ok || f.Constraints["max_length"] != "256" {
		t.Errorf("user_name with name_tag = %+v, %v; want it with max_length 256", f, ok)
	}
	for _, c := range []struct {
		name     string
		spec     deltacloud.InstanceSpec
		wantName string
		wantTags map[string]string
	}{
		{"name", deltacloud.InstanceSpec{Name: "web"}, "web", map[string]string{"Name": "web"}},
		{"name and tags", deltacloud.InstanceSpec{Name: "db", Tags: map[string]string{"tenant": "acme"}}, "db",
			map[string]string{"Name": "db", "tenant": "acme"}},
		{"Name tag", deltacloud.InstanceSpec{Tags: map[string]string{"Name": "cache"}}, "cache", map[string]string{"Name": "cache"}},
		{"both agree", deltacloud.InstanceSpec{Name: "q", Tags: map[string]string{"Name": "q"}}, "q", map[string]string{"Name": "q"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := running(t, named, c.spec)
			if in.Name != c.wantName {
				t.Errorf("name %q, want %q", in.Name, c.wantName)
			}
			if diff := cmp.Diff(c.wantTags, fakeTags(t, s, in.ID)); diff != "" {
				t.Errorf("EC2 tags (-want +got):\n%s", diff)
			}
		})
	}
	_, err = named.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "ami-00000001", Name: "a", Tags: map[string]string{"Name": "b"}})
	if !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("name and Name tag disagreeing: %v, want InvalidArgument", err)
	}
	if _, err := openFake(ctx, s, goodCreds, "name_tag", "yes please"); !errors.Is(err, deltacloud.ErrInvalidArgument) {
		t.Errorf("name_tag=yes please: %v, want InvalidArgument", err)
	}
}
