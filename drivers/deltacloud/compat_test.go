package deltacloud

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
)

// attachedVolumes is the original server's storage_volumes element of an
// instance with two volumes attached (its instance.xml.haml writes one
// storage_volume per attachment, with the device as an attribute).
const attachedVolumes = `<storage_volumes>
      <storage_volume href='http://127.0.0.1:3001/api/storage_volumes/vol1' id='vol1' device='/dev/sda2'></storage_volume>
      <storage_volume href='http://127.0.0.1:3001/api/storage_volumes/vol2' id='vol2' device='/dev/sdb'/>
    </storage_volumes>`

// errorBacktrace500 is the original's error document for a backend
// failure, with the empty CDATA section of a backtrace it does not show,
// written on one line.
const errorBacktrace500 = `<?xml version='1.0' encoding='utf-8' ?>
<error status='500' url='/api/instances/inst1'>
  <kind>backend_error</kind>
  <backend driver='mock' provider='default'></backend>
  <code>500</code>
  <message><![CDATA[Something broke]]></message>
  <backtrace><![CDATA[]]></backtrace>
  <request></request>
</error>`

// TestOriginalAttachedVolumesAndBacktrace: over HTTP, the original's
// listing of instances with attached volumes fills Instance.StorageVolumes
// (volume id and device), and an error document whose backtrace is an
// empty CDATA section is read for its message.
func TestOriginalAttachedVolumesAndBacktrace(t *testing.T) {
	fake := &fake113{tb: t}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method + " " + r.URL.Path {
		case "GET /api/instances":
			rec := httptest.NewRecorder()
			fake.ServeHTTP(rec, r)
			body := bytes.Replace(rec.Body.Bytes(), []byte("<storage_volumes></storage_volumes>"), []byte(attachedVolumes), 1)
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.WriteHeader(rec.Code)
			w.Write(body)
		case "GET /api/instances/inst1":
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(errorBacktrace500))
		default:
			fake.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	p := open113(t, srv.URL+"/api", mockCreds)

	ins, err := p.Instances(t.Context(), deltacloud.InstanceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]deltacloud.VolumeAttachment{}
	for _, in := range ins {
		got[in.ID] = in.StorageVolumes
	}
	want := map[string][]deltacloud.VolumeAttachment{
		"inst0": {{VolumeID: "vol1", Device: "/dev/sda2"}, {VolumeID: "vol2", Device: "/dev/sdb"}},
		"inst1": nil,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("attached volumes by instance (-want +got):\n%s", diff)
	}

	_, err = p.Instance(t.Context(), "inst1")
	var e *deltacloud.Error
	if !errors.As(err, &e) || e.Code != deltacloud.Backend || !strings.Contains(e.Message, "Something broke") {
		t.Errorf("Instance(inst1) = %v, want a Backend error with the server's message", err)
	}
}
