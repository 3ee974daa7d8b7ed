package api_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestInstanceListsAttachedVolumes attaches vol1 and vol2 to inst0 and
// detaches vol1, reading inst0 after each step: the XML lists
// <storage_volume id href device/> in <storage_volumes>, the JSON
// [{id,href,rel}], as the original's instances show their volumes.
func TestInstanceListsAttachedVolumes(t *testing.T) {
	s := tuStart(t, tuMockOptions(t))
	post := func(path string, form url.Values) tuReq {
		return tuReq{Method: http.MethodPost, Path: path, Creds: tuMockUser, Form: form}
	}
	vol := func(id string) string { return tuGoldenBase + "/api/storage_volumes/" + id }
	steps := []struct {
		name     string
		req      tuReq // none when its Path is empty
		wantXML  []*tuNode
		wantJSON []any
	}{
		{name: "none attached", wantJSON: []any{}},
		{name: "vol1 at /dev/sdc",
			req:      post("/api/storage_volumes/vol1/attach", url.Values{"instance_id": {"inst0"}, "device": {"/dev/sdc"}}),
			wantXML:  []*tuNode{{Name: "storage_volume", Attrs: map[string]string{"id": "vol1", "href": vol("vol1"), "device": "/dev/sdc"}}},
			wantJSON: []any{map[string]any{"id": "vol1", "href": vol("vol1"), "rel": "storage_volume"}}},
		{name: "vol2 at the first free device",
			req: post("/api/storage_volumes/vol2/attach", url.Values{"instance_id": {"inst0"}, "device": {""}}),
			wantXML: []*tuNode{
				{Name: "storage_volume", Attrs: map[string]string{"id": "vol1", "href": vol("vol1"), "device": "/dev/sdc"}},
				{Name: "storage_volume", Attrs: map[string]string{"id": "vol2", "href": vol("vol2"), "device": "/dev/sdf"}}},
			wantJSON: []any{map[string]any{"id": "vol1", "href": vol("vol1"), "rel": "storage_volume"},
				map[string]any{"id": "vol2", "href": vol("vol2"), "rel": "storage_volume"}}},
		{name: "vol1 detached",
			req:      post("/api/storage_volumes/vol1/detach", nil),
			wantXML:  []*tuNode{{Name: "storage_volume", Attrs: map[string]string{"id": "vol2", "href": vol("vol2"), "device": "/dev/sdf"}}},
			wantJSON: []any{map[string]any{"id": "vol2", "href": vol("vol2"), "rel": "storage_volume"}}},
	}
	for _, st := range steps {
		if st.req.Path != "" {
			s.must2xx(t, st.req)
		}
		x := s.normXML(tuParseXML(t, s.must2xx(t, tuReq{Path: "/api/instances/inst0?format=xml", Creds: tuMockUser}).Body))
		vols := x.Child("storage_volumes")
		if vols == nil {
			t.Fatalf("%s: no <storage_volumes>", st.name)
		}
		if d := cmp.Diff(st.wantXML, vols.Children); d != "" {
			t.Errorf("%s: XML storage_volumes (-want +got):\n%s", st.name, d)
		}
		j := s.normJSON(tuParseJSON(t, s.must2xx(t, tuReq{Path: "/api/instances/inst0?format=json", Creds: tuMockUser}).Body))
		got := j.(map[string]any)["instance"].(map[string]any)["storage_volumes"]
		if d := cmp.Diff(st.wantJSON, got); d != "" {
			t.Errorf("%s: JSON storage_volumes (-want +got):\n%s", st.name, d)
		}
		// The listing shows the same.
		l := s.normXML(tuParseXML(t, s.must2xx(t, tuReq{Path: "/api/instances?format=xml&id=inst0", Creds: tuMockUser}).Body))
		if len(l.Children) != 1 || !cmp.Equal(st.wantXML, l.Children[0].Child("storage_volumes").Children) {
			t.Errorf("%s: the listing's inst0 differs:\n%+v", st.name, l.Children)
		}
	}
}
