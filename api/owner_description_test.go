package api_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestImagesOwnerFilter: owner_id filters the images although the mock
// does not advertise owner_id (the Provider applies it), as the original
// answered 200 with the caller's images; owner_id=self still needs the
// cloud, 501.
func TestImagesOwnerFilter(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	cases := []struct {
		owner  string
		status int
		want   []string
	}{
		{"mockuser", 200, []string{"img3"}},
		{"fedoraproject", 200, []string{"img1", "img2"}},
		{"nobody", 200, []string{}},
		{"self", 501, nil},
	}
	for _, tc := range cases {
		t.Run(tc.owner, func(t *testing.T) {
			r := s.do(t, tuReq{Path: "/api/images?format=json&owner_id=" + tc.owner, Creds: tuMockUser})
			if r.Status != tc.status {
				t.Fatalf("status %d, want %d\n%s", r.Status, tc.status, r)
			}
			if tc.status != 200 {
				return
			}
			var doc struct {
				Images []struct {
					ID    string `json:"id"`
					Owner string `json:"owner"`
				} `json:"images"`
			}
			if err := json.Unmarshal(r.Body, &doc); err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, img := range doc.Images {
				got = append(got, img.ID)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("images (-want +got):\n%s", d)
			}
		})
	}
}

// TestCreateWithDescription: description on POST /api/images and POST
// /api/storage_volumes is 201 (the mock advertises and keeps it), and the
// created object shows it.
func TestCreateWithDescription(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	cases := []struct {
		name, path string
		form       url.Values
		root       string
	}{
		{"image", "/api/images?format=json", url.Values{"instance_id": {"inst1"}, "name": {"described"}, "description": {"my image"}}, "image"},
		{"storage volume", "/api/storage_volumes?format=json", url.Values{"capacity": {"1"}, "description": {"my volume"}}, "storage_volume"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := s.do(t, tuReq{Method: http.MethodPost, Path: tc.path, Creds: tuMockUser, Form: tc.form})
			if r.Status != http.StatusCreated {
				t.Fatalf("status %d, want 201\n%s", r.Status, r)
			}
			var created map[string]map[string]any
			if err := json.Unmarshal(r.Body, &created); err != nil {
				t.Fatal(err)
			}
			if got := created[tc.root]["description"]; got != tc.form.Get("description") {
				t.Errorf("created description %#v, want %q", got, tc.form.Get("description"))
			}
			// And shown when read again.
			loc := r.Header.Get("Location")
			back := s.must2xx(t, tuReq{Path: loc[len(s.URL):] + "?format=json", Creds: tuMockUser})
			var shown map[string]map[string]any
			if err := json.Unmarshal(back.Body, &shown); err != nil {
				t.Fatal(err)
			}
			if got := shown[tc.root]["description"]; got != tc.form.Get("description") {
				t.Errorf("shown description %#v, want %q", got, tc.form.Get("description"))
			}
		})
	}
}
