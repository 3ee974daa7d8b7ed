package deltacloud_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

func TestCheckTags(t *testing.T) {
	many := map[string]string{}
	for i := range deltacloud.MaxTags + 1 {
		many[strings.Repeat("k", i+1)] = "v"
	}
	full := map[string]string{}
	for k := range many {
		if len(k) <= deltacloud.MaxTags {
			full[k] = "v"
		}
	}
	for _, c := range []struct {
		name string
		tags map[string]string
		bad  string // what the error says; "" for valid tags
	}{
		{"none", nil, ""},
		{"plain", map[string]string{"tenant": "acme", "Name": "web", "empty": ""}, ""},
		{"unicode at the bounds", map[string]string{strings.Repeat("é", deltacloud.MaxTagKeyLen): strings.Repeat("ü", deltacloud.MaxTagValueLen)}, ""},
		{"fifty", full, ""},
		{"fifty-one", many, "51 tags"},
		{"empty key", map[string]string{"": "x"}, "key is empty"},
		{"long key", map[string]string{strings.Repeat("k", deltacloud.MaxTagKeyLen+1): "x"}, "129 characters"},
		{"long value", map[string]string{"k": strings.Repeat("v", deltacloud.MaxTagValueLen+1)}, "257 characters"},
		{"slash", map[string]string{"a/b": "x"}, "holds one of"},
		{"percent", map[string]string{"50%": "x"}, "holds one of"},
		{"aws prefix", map[string]string{"AWS:cloudformation": "x"}, "reserved"},
		{"control", map[string]string{"a\nb": "x"}, "not valid UTF-8 text"},
		{"bad utf-8 value", map[string]string{"k": "\xff"}, "not valid UTF-8 text"},
		{"case twins", map[string]string{"Team": "a", "team": "b"}, "only in case"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := deltacloud.CheckTags(c.tags)
			if c.bad == "" {
				if err != nil {
					t.Fatalf("CheckTags = %v", err)
				}
				return
			}
			if !errors.Is(err, deltacloud.ErrInvalidArgument) || !strings.Contains(err.Error(), c.bad) {
				t.Errorf("CheckTags = %v, want InvalidArgument saying %q", err, c.bad)
			}
		})
	}
}

// TestCreateChecksTags: the Provider refuses tags out of bounds, and tags
// for a driver that does not write them, before the driver is called.
func TestCreateChecksTags(t *testing.T) {
	ctx := t.Context()
	creds := deltacloud.Credentials{User: mock.User, Password: mock.Password}
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	before, _ := p.Instances(ctx, deltacloud.InstanceFilter{})
	_, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Tags: map[string]string{"a?b": "x"}})
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.InvalidArgument || e.Op != "CreateInstance" {
		t.Errorf("bad tag: %v, want InvalidArgument of CreateInstance", err)
	}
	core, err := deltacloud.Open(ctx, "test-core-only", deltacloud.Config{Credentials: creds})
	if err != nil {
		t.Fatal(err)
	}
	defer core.Close()
	if _, err := core.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1", Tags: map[string]string{"a": "b"}}); !errors.Is(err, deltacloud.ErrNotSupported) {
		t.Errorf("tags for a driver without InstanceTagger: %v, want NotSupported", err)
	}
	after, _ := p.Instances(ctx, deltacloud.InstanceFilter{})
	if len(after) != len(before) {
		t.Errorf("%d instances after refused creates, want %d", len(after), len(before))
	}
}
