package deltacloud_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

func TestClientTokenChecks(t *testing.T) {
	p, c := open(t, nil)
	plain := openStates(t, "AVAILABLE", "AVAILABLE")
	if !p.SupportsClientToken() || plain.SupportsClientToken() {
		t.Fatalf("SupportsClientToken: mock %v, core-only %v; want true, false", p.SupportsClientToken(), plain.SupportsClientToken())
	}
	cases := []struct {
		name  string
		p     *deltacloud.Provider
		token string
		want  error
	}{
		{"longest", p, strings.Repeat("x", deltacloud.MaxClientTokenLen), nil},
		{"printable", p, "a-b_c.d ~!@#$%^&*()", nil},
		{"too long", p, strings.Repeat("x", deltacloud.MaxClientTokenLen+1), deltacloud.ErrInvalidArgument},
		{"control", p, "a\nb", deltacloud.ErrInvalidArgument},
		{"non-ASCII", p, "jeton-é", deltacloud.ErrInvalidArgument},
		{"not honoured", plain, "t-1", deltacloud.ErrNotSupported},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := c.Len()
			_, err := tc.p.CreateInstance(t.Context(), deltacloud.InstanceSpec{ImageID: "img1", ClientToken: tc.token})
			if (tc.want == nil) != (err == nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
				t.Fatalf("CreateInstance = %v, want %v", err, tc.want)
			}
			if tc.want != nil && c.Len() != before {
				t.Errorf("a refused create changed the instance count from %d to %d", before, c.Len())
			}
		})
	}
}

func TestSpecDigest(t *testing.T) {
	base := deltacloud.InstanceSpec{ImageID: "img1", Properties: map[string]string{"cpu": "2", "memory": "512"}, ClientToken: "a"}
	same := base
	same.ClientToken = "b"
	same.Properties = map[string]string{"memory": "512", "cpu": "2"}
	if deltacloud.SpecDigest(base) != deltacloud.SpecDigest(same) {
		t.Error("specs differing only in token (and map order) have different digests")
	}
	for name, change := range map[string]func(*deltacloud.InstanceSpec){
		"name":      func(s *deltacloud.InstanceSpec) { s.Name = "x" },
		"name set":  func(s *deltacloud.InstanceSpec) { s.NameSet = true },
		"user data": func(s *deltacloud.InstanceSpec) { s.UserData = []byte{0} },
		"property":  func(s *deltacloud.InstanceSpec) { s.Properties = map[string]string{"cpu": "2"} },
		"option":    func(s *deltacloud.InstanceSpec) { s.Options = map[string]string{"k": "v"} },
	} {
		other := base
		change(&other)
		if deltacloud.SpecDigest(base) == deltacloud.SpecDigest(other) {
			t.Errorf("changing the %s keeps the digest", name)
		}
	}
}
