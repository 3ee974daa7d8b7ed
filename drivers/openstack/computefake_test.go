package openstack_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// The fake's Nova answers as the live Zed stack did (microversion 2.46).
func TestComputeFakeAnswers(t *testing.T) {
	c := openstacktest.New(t)
	r := newRawCloud(t, c)
	nova, neutron := "/compute/v2.1", "/network/v2.0"
	wantFault := func(what string, code int, body map[string]any, status int, kind, msg string) {
		t.Helper()
		inner, _ := body[kind].(map[string]any)
		if code != status || inner["message"] != msg {
			t.Errorf("%s: %d %v, want %d %s %q", what, code, body, status, kind, msg)
		}
	}
	code, body := r.do(http.MethodGet, nova+"/flavors/1", nil)
	if f, _ := body["flavor"].(map[string]any); code != http.StatusOK || f["extra_specs"] != nil || f["description"] != nil {
		t.Errorf("flavor at 2.1: %d %v (no description or extra_specs before 2.55 and 2.61)", code, body)
	}
	for _, name := range []string{"twin", "twin"} {
		if code, body := r.do(http.MethodPost, neutron+"/security-groups", map[string]any{"security_group": map[string]any{"name": name}}); code != http.StatusCreated {
			t.Fatalf("group: %d %v", code, body)
		}
	}
	server := func(extra map[string]any) (int, map[string]any) {
		s := map[string]any{"name": "s", "imageRef": openstacktest.ImageCirros, "flavorRef": "1"}
		for k, v := range extra {
			s[k] = v
		}
		return r.do(http.MethodPost, nova+"/servers", map[string]any{"server": s})
	}
	code, body = server(map[string]any{"security_groups": []map[string]any{{"name": "twin"}}})
	wantFault("ambiguous group", code, body, http.StatusConflict, "conflictingRequest", "Multiple security_group matches found for name 'twin', use an ID to be more specific.")
	code, body = server(map[string]any{"security_groups": []map[string]any{{"name": "nope"}}})
	wantFault("unknown group", code, body, http.StatusBadRequest, "badRequest", "Unable to find security_group with name or id 'nope'")
	code, body = server(map[string]any{"imageRef": "00000000-0000-0000-0000-000000000000"})
	wantFault("unknown image", code, body, http.StatusBadRequest, "badRequest", "Can not find requested image")
	code, body = server(map[string]any{"user_data": "not base64!"})
	wantFault("user data", code, body, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute user_data. Value: not base64!. 'not base64!' is not a 'base64'")

	c.SetStep(time.Hour) // the server stays in BUILD
	code, body = server(map[string]any{"security_groups": []map[string]any{{"name": "default"}, {"name": "default"}}})
	if code != http.StatusAccepted {
		t.Fatalf("server: %d %v", code, body)
	}
	created := body["server"].(map[string]any)
	if g, _ := created["security_groups"].([]any); len(g) != 2 {
		t.Errorf("create's answer: security_groups %v, want the two requested", created["security_groups"])
	}
	id := created["id"].(string)
	_, body = r.do(http.MethodGet, nova+"/servers/"+id, nil)
	building := body["server"].(map[string]any)
	if _, ok := building["security_groups"]; ok || len(building["addresses"].(map[string]any)) != 0 || building["progress"] != 0.0 {
		t.Errorf("building server: security_groups %v, addresses %v, progress %v; want none, none, 0",
			building["security_groups"], building["addresses"], building["progress"])
	}
	c.SetStep(time.Millisecond)
	if code, _ := r.do(http.MethodDelete, nova+"/servers/"+id, nil); code != http.StatusNoContent {
		t.Fatalf("delete: %d", code)
	}
	code, body = server(map[string]any{"security_groups": []map[string]any{{"name": "default"}}})
	if code != http.StatusAccepted {
		t.Fatalf("server: %d %v", code, body)
	}
	id = body["server"].(map[string]any)["id"].(string)
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		_, body = r.do(http.MethodGet, nova+"/servers/"+id, nil)
		if body["server"].(map[string]any)["status"] == "ACTIVE" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server: %v", body)
		}
	}
	if g, _ := body["server"].(map[string]any)["security_groups"].([]any); len(g) != 1 || g[0].(map[string]any)["name"] != "default" {
		t.Errorf("active server's security_groups: %v, want the one group by name", g)
	}
	if code, body := r.do(http.MethodGet, nova+"/servers", nil); code != http.StatusOK || len(body["servers"].([]any)) != 1 {
		t.Errorf("GET /servers: %d %v", code, body)
	}
	// Stopping is held until the second stop has met it (Settle).
	c.SetStep(time.Hour)
	if code, body := r.do(http.MethodPost, nova+"/servers/"+id+"/action", map[string]any{"os-stop": nil}); code != http.StatusAccepted {
		t.Fatalf("stop: %d %v", code, body)
	}
	code, body = r.do(http.MethodPost, nova+"/servers/"+id+"/action", map[string]any{"os-stop": nil})
	wantFault("stop while stopping", code, body, http.StatusConflict, "conflictingRequest", "Cannot 'stop' instance "+id+" while it is in task_state powering-off")
	c.SetStep(5 * time.Millisecond)
	c.Settle()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		_, body = r.do(http.MethodGet, nova+"/servers/"+id, nil)
		if body["server"].(map[string]any)["status"] == "SHUTOFF" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("server: %v", body)
		}
	}
	if _, ok := body["server"].(map[string]any)["progress"]; ok {
		t.Errorf("SHUTOFF server shows progress")
	}
	code, body = r.do(http.MethodPost, nova+"/servers/"+id+"/action", map[string]any{"reboot": map[string]any{"type": "SOFT"}})
	wantFault("soft reboot of a stopped server", code, body, http.StatusConflict, "conflictingRequest", "Cannot 'reboot' instance "+id+" while it is in vm_state stopped")
	code, body = r.do(http.MethodPost, nova+"/servers/"+id+"/action", map[string]any{"reboot": map[string]any{}})
	wantFault("reboot without type", code, body, http.StatusBadRequest, "badRequest", "Invalid input for field/attribute reboot. Value: {}. 'type' is a required property")
	code, body = r.do(http.MethodPost, nova+"/servers/"+id+"/action", map[string]any{"suspend": nil})
	wantFault("suspend of a stopped server", code, body, http.StatusConflict, "conflictingRequest", "Cannot 'suspend' instance "+id+" while it is in vm_state stopped")
	if code, body := r.do(http.MethodPost, nova+"/servers/"+id+"/action", map[string]any{"reboot": map[string]any{"type": "HARD"}}); code != http.StatusAccepted {
		t.Errorf("hard reboot of a stopped server: %d %v", code, body)
	}
	const unknown = "00000000-0000-0000-0000-000000000000"
	code, body = r.do(http.MethodPost, nova+"/servers/"+unknown+"/action", map[string]any{"os-stop": nil})
	wantFault("action on an unknown server", code, body, http.StatusNotFound, "itemNotFound", "Instance "+unknown+" has no mapping to a cell.")

	if code, body := r.do(http.MethodPost, nova+"/os-keypairs", map[string]any{"keypair": map[string]any{"name": "k1"}}); code != http.StatusOK {
		t.Fatalf("keypair: %d %v", code, body)
	}
	code, body = r.do(http.MethodPost, nova+"/os-keypairs", map[string]any{"keypair": map[string]any{"name": "bad.name"}})
	wantFault("keypair name", code, body, http.StatusBadRequest, "badRequest",
		"An invalid 'name' value was provided. The name must be: Only expected characters: [_- 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ]")
}
