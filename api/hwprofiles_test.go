package api_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHardwareProfilesByArchitecture lists profiles filtered by
// architecture: as the original server does, only profiles that state the
// architecture are listed, so the opaque profile is left out, while an
// unfiltered listing keeps it.
func TestHardwareProfilesByArchitecture(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{"m1-small", "m1-large", "m1-xlarge", "opaque"}},
		{"&architecture=x86_64", []string{"m1-large", "m1-xlarge"}},
		{"&architecture=i386", []string{"m1-small"}},
		{"&architecture=arm64", nil},
		{"&architecture=x86_64&id=opaque", nil},
		{"&architecture=x86_64&id=m1-large", []string{"m1-large"}},
		{"&id=opaque", []string{"opaque"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := s.must2xx(t, tuReq{Path: "/api/hardware_profiles?format=xml" + tt.query})
			var got []string
			for _, n := range tuParseXML(t, r.Body).Children {
				if n.Name == "hardware_profile" {
					got = append(got, n.Attrs["id"])
				}
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("profiles (-want +got):\n%s", d)
			}
		})
	}
}

// TestCreateRefusesImageProfileMismatch posts the pair the launch form does
// not offer (x86_64 img1 on i386 m1-small): the create refuses it with the
// Provider's reason and launches nothing, while a pair that fits launches.
func TestCreateRefusesImageProfileMismatch(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	count := func() int {
		r := s.must2xx(t, tuReq{Path: "/api/instances?format=xml", Creds: tuMockUser})
		return len(tuParseXML(t, r.Body).Children)
	}
	before := count()
	r := s.do(t, tuReq{Method: http.MethodPost, Path: "/api/instances?format=xml", Creds: tuMockUser,
		Form: url.Values{"image_id": {"img1"}, "hwp_id": {"m1-small"}}})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "image img1 is x86_64, but hardware profile m1-small is i386") {
		t.Errorf("create img1 on m1-small: %s", r)
	}
	r = s.do(t, tuReq{Method: http.MethodPost, Path: "/api/instances?format=xml", Creds: tuMockUser,
		Form: url.Values{"image_id": {"img1"}, "hwp_id": {"opaque"}, "hwp_architecture": {"i386"}}})
	if r.Status != http.StatusBadRequest || !strings.Contains(string(r.Body), "the architecture asked for is i386") {
		t.Errorf("create img1 on opaque as i386: %s", r)
	}
	if n := count(); n != before {
		t.Errorf("%d instances after refused creates, want %d", n, before)
	}
	s.must2xx(t, tuReq{Method: http.MethodPost, Path: "/api/instances?format=xml", Creds: tuMockUser,
		Form: url.Values{"image_id": {"img2"}, "hwp_id": {"m1-small"}}})
}
