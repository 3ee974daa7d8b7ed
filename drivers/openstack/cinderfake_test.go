package openstack_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/openstack"
	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// rawCloud speaks HTTP to the fake with a token of the demo user.
type rawCloud struct {
	t     *testing.T
	base  string
	token string
}

func newRawCloud(t *testing.T, c *openstacktest.Cloud) *rawCloud {
	body := `{"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "` + openstacktest.User +
		`", "password": "` + openstacktest.Password + `", "domain": {"name": "Default"}}}}}}`
	resp, err := http.Post(c.URL+"/auth/tokens", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("token: %s", resp.Status)
	}
	return &rawCloud{t: t, base: strings.TrimSuffix(c.URL, "/identity/v3"), token: resp.Header.Get("X-Subject-Token")}
}

// do sends a request and decodes the JSON answer.
func (r *rawCloud) do(method, path string, body any) (int, map[string]any) {
	r.t.Helper()
	var in io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		in = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, r.base+path, in)
	req.Header.Set("X-Auth-Token", r.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json") // as gophercloud does
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			r.t.Fatalf("%s %s: not JSON: %q", method, path, raw)
		}
	}
	return resp.StatusCode, out
}

// waitStatus polls a Cinder object until it has status.
func (r *rawCloud) waitStatus(path, key, status string) map[string]any {
	r.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		code, body := r.do(http.MethodGet, path, nil)
		obj, _ := body[key].(map[string]any)
		if code == http.StatusOK && obj["status"] == status {
			return obj
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("%s: %d %v, want status %s", path, code, body, status)
		}
	}
}

// The fake's Cinder and Nova attachment faults have the services' shapes
// and statuses, and the driver's classification of them.
func TestCinderFakeFaults(t *testing.T) {
	c := openstacktest.New(t)
	r := newRawCloud(t, c)
	cinder := "/volume/v3/" + openstacktest.ProjectID
	code, body := r.do(http.MethodPost, cinder+"/volumes", map[string]any{"volume": map[string]any{"size": 1, "metadata": map[string]string{"k": "v"}}})
	if code != http.StatusAccepted {
		t.Fatalf("create: %d %v", code, body)
	}
	created := body["volume"].(map[string]any)
	if created["status"] != "creating" || created["size"] != 1.0 || created["availability_zone"] != "nova" {
		t.Errorf("created volume: %v", created)
	}
	vol := created["id"].(string)
	stored := r.waitStatus(cinder+"/volumes/"+vol, "volume", "available")
	// As a real Cinder on MySQL: the create's answer has created_at with
	// microseconds, no updated_at and no tenant attribute; what is read
	// back was stored in whole seconds.
	at, _ := created["created_at"].(string)
	if len(at) != len("2006-01-02T15:04:05.000000") || created["updated_at"] != nil || created["os-vol-tenant-attr:tenant_id"] != nil {
		t.Errorf("create's answer: created_at %v, updated_at %v, tenant %v", created["created_at"], created["updated_at"], created["os-vol-tenant-attr:tenant_id"])
	}
	if got := stored["created_at"]; got != at[:len("2006-01-02T15:04:05")]+".000000" {
		t.Errorf("stored created_at %v; created answered %v", got, at)
	}
	if stored["os-vol-tenant-attr:tenant_id"] != openstacktest.ProjectID {
		t.Errorf("stored volume's tenant: %v", stored["os-vol-tenant-attr:tenant_id"])
	}
	_, body = r.do(http.MethodPost, cinder+"/volumes", map[string]any{"volume": map[string]any{"size": 1}})
	other := body["volume"].(map[string]any)["id"].(string)
	r.waitStatus(cinder+"/volumes/"+other, "volume", "available")
	code, body = r.do(http.MethodPost, cinder+"/snapshots", map[string]any{"snapshot": map[string]any{"volume_id": other}})
	snap, _ := body["snapshot"].(map[string]any)
	if at, _ := snap["created_at"].(string); code != http.StatusAccepted || len(at) != len("2006-01-02T15:04:05.000000") ||
		snap["updated_at"] != nil || snap["os-extended-snapshot-attributes:progress"] != nil {
		t.Errorf("snapshot create's answer: %d %v", code, body)
	}
	storedSnap := r.waitStatus(cinder+"/snapshots/"+snap["id"].(string), "snapshot", "available")
	if got, _ := storedSnap["created_at"].(string); !strings.HasSuffix(got, ".000000") || storedSnap["os-extended-snapshot-attributes:progress"] != "100%" {
		t.Errorf("stored snapshot: %v", storedSnap)
	}
	code, body = r.do(http.MethodPost, "/compute/v2.1/servers", map[string]any{"server": map[string]any{
		"name": "s", "imageRef": openstacktest.ImageCirros, "flavorRef": "1", "networks": "none"}})
	if code != http.StatusAccepted {
		t.Fatalf("server: %d %v", code, body)
	}
	srv := body["server"].(map[string]any)["id"].(string)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		_, body := r.do(http.MethodGet, "/compute/v2.1/servers/"+srv, nil)
		if s, _ := body["server"].(map[string]any); s["status"] == "ACTIVE" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server: %v", body)
		}
	}
	attachments := "/compute/v2.1/servers/" + srv + "/os-volume_attachments"
	code, body = r.do(http.MethodPost, attachments, map[string]any{"volumeAttachment": map[string]any{"volumeId": vol}})
	want := map[string]any{"volumeAttachment": map[string]any{"device": "/dev/vdb", "id": vol, "serverId": srv, "volumeId": vol}}
	if d := cmp.Diff(want, body); code != http.StatusOK || d != "" {
		t.Errorf("attach: %d (-want +got):\n%s", code, d)
	}
	attached := r.waitStatus(cinder+"/volumes/"+vol, "volume", "in-use")
	if atts, _ := attached["attachments"].([]any); len(atts) != 1 || atts[0].(map[string]any)["server_id"] != srv ||
		atts[0].(map[string]any)["device"] != "/dev/vdb" {
		t.Errorf("in-use volume's attachments: %v", attached["attachments"])
	}
	_, body = r.do(http.MethodGet, "/compute/v2.1/servers/"+srv, nil)
	wantVols := []any{map[string]any{"id": vol, "delete_on_termination": false}}
	if d := cmp.Diff(wantVols, body["server"].(map[string]any)["os-extended-volumes:volumes_attached"]); d != "" {
		t.Errorf("server's volumes_attached (-want +got):\n%s", d)
	}

	const unknown = "00000000-0000-0000-0000-000000000000"
	cases := []struct {
		name   string
		method string
		path   string
		body   any
		status int
		fault  openstack.Fault
		code   deltacloud.Code
	}{
		{"unknown volume", "GET", cinder + "/volumes/" + unknown, nil, 404,
			openstack.Fault{Kind: "itemNotFound", Message: "Volume " + unknown + " could not be found."}, deltacloud.NotFound},
		{"unknown snapshot", "DELETE", cinder + "/snapshots/" + unknown, nil, 404,
			openstack.Fault{Kind: "itemNotFound", Message: "Snapshot " + unknown + " could not be found."}, deltacloud.NotFound},
		{"no size", "POST", cinder + "/volumes", map[string]any{"volume": map[string]any{"name": "x"}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "The server could not comply with the request since it is either malformed or otherwise incorrect."}, deltacloud.InvalidArgument},
		{"size 0", "POST", cinder + "/volumes", map[string]any{"volume": map[string]any{"size": 0}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute size. Value: 0. 0 is less than the minimum of 1"}, deltacloud.InvalidArgument},
		{"unknown zone", "POST", cinder + "/volumes", map[string]any{"volume": map[string]any{"size": 1, "availability_zone": "mars"}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Availability zone 'mars' is invalid."}, deltacloud.InvalidArgument},
		{"no volume", "POST", cinder + "/volumes", map[string]any{}, 400,
			openstack.Fault{Kind: "badRequest", Message: "'volume' is a required property"}, deltacloud.InvalidArgument},
		{"snapshot id not a uuid", "POST", cinder + "/volumes", map[string]any{"volume": map[string]any{"snapshot_id": "nope"}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute snapshot_id. Value: nope. 'nope' is not valid under any of the given schemas"}, deltacloud.InvalidArgument},
		{"unknown snapshot id", "POST", cinder + "/volumes", map[string]any{"volume": map[string]any{"snapshot_id": unknown}}, 404,
			openstack.Fault{Kind: "itemNotFound", Message: "Snapshot " + unknown + " could not be found."}, deltacloud.NotFound},
		{"empty metadata key", "POST", cinder + "/volumes", map[string]any{"volume": map[string]any{"size": 1, "metadata": map[string]string{"": "v"}}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute metadata. Value: {'': 'v'}. '' does not match any of the regexes: '^[a-zA-Z0-9-_:. /]{1,255}$'"}, deltacloud.InvalidArgument},
		{"snapshot without volume", "POST", cinder + "/snapshots", map[string]any{"snapshot": map[string]any{"name": "x", "force": true}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute snapshot. Value: {'force': True, 'name': 'x'}. 'volume_id' is a required property"}, deltacloud.InvalidArgument},
		{"snapshot volume not a uuid", "POST", cinder + "/snapshots", map[string]any{"snapshot": map[string]any{"volume_id": "nope"}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute volume_id. Value: nope. 'nope' is not valid under any of the given schemas"}, deltacloud.InvalidArgument},
		{"snapshot of unknown volume", "POST", cinder + "/snapshots", map[string]any{"snapshot": map[string]any{"volume_id": unknown}}, 404,
			openstack.Fault{Kind: "itemNotFound", Message: "Volume " + unknown + " could not be found."}, deltacloud.NotFound},
		{"delete in-use", "DELETE", cinder + "/volumes/" + vol, nil, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer."},
			deltacloud.InvalidArgument},
		{"snapshot in-use without force", "POST", cinder + "/snapshots", map[string]any{"snapshot": map[string]any{"volume_id": vol}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid volume: Volume " + vol + " status must be available, but current status is: in-use."}, deltacloud.InvalidArgument},
		{"attach in-use", "POST", attachments, map[string]any{"volumeAttachment": map[string]any{"volumeId": vol}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid volume: volume " + vol + " is already attached to instances: " + srv}, deltacloud.InvalidArgument},
		{"attach unknown volume", "POST", attachments, map[string]any{"volumeAttachment": map[string]any{"volumeId": unknown}}, 404,
			openstack.Fault{Kind: "itemNotFound", Message: "Volume " + unknown + " could not be found."}, deltacloud.NotFound},
		{"attach bad device", "POST", attachments, map[string]any{"volumeAttachment": map[string]any{"volumeId": vol, "device": "sdf"}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute device. Value: sdf. 'sdf' does not match '(^/dev/x{0,1}[a-z]{0,1}d{0,1})([a-z]+)[0-9]*$'"}, deltacloud.InvalidArgument},
		{"attach without volume", "POST", attachments, map[string]any{"volumeAttachment": map[string]any{}}, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid input for field/attribute volumeAttachment. Value: {}. 'volumeId' is a required property"}, deltacloud.InvalidArgument},
		{"detach a volume attached elsewhere", "DELETE", attachments + "/" + other, nil, 404,
			openstack.Fault{Kind: "itemNotFound", Message: "Instance " + srv + " is not attached to volume " + other}, deltacloud.NotFound},
		{"delete a volume with snapshots", "DELETE", cinder + "/volumes/" + other, nil, 400,
			openstack.Fault{Kind: "badRequest", Message: "Invalid volume: Volume status must be available or error or error_restoring or error_extending or error_managing and must not be migrating, attached, belong to a group, have snapshots, awaiting a transfer, or be disassociated from snapshots after volume transfer."},
			deltacloud.InvalidArgument},
		{"detach unknown volume", "DELETE", attachments + "/" + unknown, nil, 404,
			openstack.Fault{Kind: "itemNotFound", Message: "Volume " + unknown + " could not be found."}, deltacloud.NotFound},
		{"other project", "GET", "/volume/v3/" + unknown + "/volumes/detail", nil, 400,
			openstack.Fault{Kind: "badRequest", Message: "Malformed request url"}, deltacloud.InvalidArgument},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := r.do(tc.method, tc.path, tc.body)
			if code != tc.status {
				t.Errorf("status %d, want %d (%v)", code, tc.status, body)
			}
			raw, _ := json.Marshal(body)
			f := openstack.ParseFault(raw)
			if d := cmp.Diff(tc.fault, f); d != "" {
				t.Errorf("fault (-want +got):\n%s", d)
			}
			if inner, _ := body[tc.fault.Kind].(map[string]any); inner["code"] != float64(tc.status) {
				t.Errorf("fault body %v lacks code %d", body, tc.status)
			}
			if got := openstack.CodeFor(code, f, false); got != tc.code {
				t.Errorf("CodeFor = %v, want %v", got, tc.code)
			}
		})
	}

	// Detach moves the volume through detaching to available; deleting
	// the server frees what is still attached. Detaching is held until
	// the test has seen it (Settle), however slow the machine.
	c.SetStep(time.Hour)
	if code, body := r.do(http.MethodDelete, attachments+"/"+vol, nil); code != http.StatusAccepted {
		t.Fatalf("detach: %d %v", code, body)
	}
	if _, body := r.do(http.MethodGet, cinder+"/volumes/"+vol, nil); body["volume"].(map[string]any)["status"] != "detaching" {
		t.Errorf("just detached: %v, want detaching", body["volume"].(map[string]any)["status"])
	}
	c.SetStep(5 * time.Millisecond)
	c.Settle()
	detached := r.waitStatus(cinder+"/volumes/"+vol, "volume", "available")
	if atts, _ := detached["attachments"].([]any); len(atts) != 0 {
		t.Errorf("detached volume's attachments: %v", atts)
	}
	if code, body := r.do(http.MethodPost, attachments, map[string]any{"volumeAttachment": map[string]any{"volumeId": vol, "device": "/dev/vdd"}}); code != http.StatusOK ||
		body["volumeAttachment"].(map[string]any)["device"] != "/dev/vdd" {
		t.Fatalf("attach at /dev/vdd: %d %v", code, body)
	}
	r.waitStatus(cinder+"/volumes/"+vol, "volume", "in-use")
	if code, _ := r.do(http.MethodDelete, "/compute/v2.1/servers/"+srv, nil); code != http.StatusNoContent {
		t.Fatalf("delete server: %d", code)
	}
	r.waitStatus(cinder+"/volumes/"+vol, "volume", "available")
	if code, _ := r.do(http.MethodDelete, cinder+"/volumes/"+vol, nil); code != http.StatusAccepted {
		t.Errorf("delete available volume: %d", code)
	}
}
