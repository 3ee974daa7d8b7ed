package mock_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// TestInstanceTags: the mock keeps the tags an instance was created with,
// shows them, lists by one, and still has them after a restart on the
// same storage directory.
func TestInstanceTags(t *testing.T) {
	dir := t.TempDir()
	opts := map[string]string{"storage": dir}
	p := openMock(t, opts)
	ctx := t.Context()
	tags := map[string]string{"tenant": "acme", "job": "42", "empty": ""}
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Tags: tags})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tags, in.Tags); diff != "" {
		t.Errorf("created instance's tags (-want +got):\n%s", diff)
	}
	other, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Tags: map[string]string{"tenant": "globex"}})
	if err != nil {
		t.Fatal(err)
	}
	tags["tenant"] = "changed by the caller" // the mock kept its own copy
	p.Close()

	q := openMock(t, opts)
	got, err := q.Instance(ctx, in.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"tenant": "acme", "job": "42", "empty": ""}
	if diff := cmp.Diff(want, got.Tags); diff != "" {
		t.Errorf("tags after a restart (-want +got):\n%s", diff)
	}
	for _, c := range []struct {
		key, value string
		want       []string
	}{
		{"tenant", "acme", []string{in.ID}},
		{"tenant", "globex", []string{other.ID}},
		{"empty", "", []string{in.ID}},
		{"tenant", "", nil},
		{"nope", "acme", nil},
	} {
		ins, err := q.Instances(ctx, deltacloud.InstanceFilter{TagKey: c.key, TagValue: c.value})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, i := range ins {
			ids = append(ids, i.ID)
		}
		if diff := cmp.Diff(c.want, ids); diff != "" {
			t.Errorf("instances tagged %s=%q (-want +got):\n%s", c.key, c.value, diff)
		}
	}
	// Untagged fixtures have none.
	fixture, err := q.Instance(ctx, "inst0")
	if err != nil {
		t.Fatal(err)
	}
	if fixture.Tags != nil {
		t.Errorf("inst0 tags %v, want none", fixture.Tags)
	}
}
