package mock_test

import (
	"regexp"
	"testing"

	"github.com/deltacloud-go/deltacloud"
)

// TestCreateInstanceName: a name given is kept, the empty name given
// (NameSet) is kept empty, and no name at all is the default i-<unix time>;
// with storage the empty name survives a restart.
func TestCreateInstanceName(t *testing.T) {
	cases := []struct {
		name string
		spec deltacloud.InstanceSpec
		want *regexp.Regexp
	}{
		{"named", deltacloud.InstanceSpec{Name: "web"}, regexp.MustCompile(`^web$`)},
		{"named and set", deltacloud.InstanceSpec{Name: "web", NameSet: true}, regexp.MustCompile(`^web$`)},
		{"empty name set", deltacloud.InstanceSpec{NameSet: true}, regexp.MustCompile(`^$`)},
		{"no name", deltacloud.InstanceSpec{}, regexp.MustCompile(`^i-[0-9]+$`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := map[string]string{"storage": t.TempDir()}
			p := openRaw(t, opts)
			tc.spec.ImageID = "img1"
			in := must(p.CreateInstance(t.Context(), tc.spec))(t)
			if !tc.want.MatchString(in.Name) {
				t.Errorf("created with name %q, want %v", in.Name, tc.want)
			}
			p.Close()
			p = openRaw(t, opts)
			defer p.Close()
			if back := must(p.Instance(t.Context(), in.ID))(t); back.Name != in.Name {
				t.Errorf("after a restart the name is %q, want %q", back.Name, in.Name)
			}
		})
	}
}
