package openstack_test

import (
	"net/http"
	"testing"

	"github.com/deltacloud-go/deltacloud/drivers/openstack/openstacktest"
)

// The fake's Neutron and Glance answer as the live Zed stack did.
func TestNetworkAndImageFakeAnswers(t *testing.T) {
	c := openstacktest.New(t)
	r := newRawCloud(t, c)
	neutron := "/network/v2.0"
	wantNeutron := func(what string, code int, body map[string]any, status int, typ, msg string) {
		t.Helper()
		e, _ := body["NeutronError"].(map[string]any)
		if code != status || e["type"] != typ || e["message"] != msg {
			t.Errorf("%s: %d %v, want %d %s %q", what, code, body, status, typ, msg)
		}
	}
	_, body := r.do(http.MethodPost, neutron+"/security-groups", map[string]any{"security_group": map[string]any{"name": "web"}})
	g := body["security_group"].(map[string]any)
	if rules := g["security_group_rules"].([]any); len(rules) != 2 || rules[0].(map[string]any)["description"] != nil ||
		rules[0].(map[string]any)["standard_attr_id"] == nil {
		t.Errorf("a new group's rules: %v (want Neutron's two egress rules, description null, standard_attr_id)", rules)
	}
	rule := func(extra map[string]any) (int, map[string]any) {
		m := map[string]any{"security_group_id": g["id"], "direction": "ingress", "protocol": "tcp", "port_range_min": 22, "port_range_max": 22}
		for k, v := range extra {
			m[k] = v
		}
		return r.do(http.MethodPost, neutron+"/security-group-rules", map[string]any{"security_group_rule": m})
	}
	code, body := rule(map[string]any{"remote_ip_prefix": "nope"})
	wantNeutron("bad cidr", code, body, http.StatusBadRequest, "InvalidCIDR", "Invalid CIDR nope given as IP prefix.")
	code, body = rule(map[string]any{"port_range_min": 70000, "port_range_max": 70000})
	wantNeutron("bad port", code, body, http.StatusBadRequest, "SecurityGroupInvalidPortValue", "Invalid value for port 70000")
	code, body = rule(map[string]any{"direction": "sideways"})
	wantNeutron("bad direction", code, body, http.StatusBadRequest, "HTTPBadRequest", "Invalid input for direction. Reason: sideways is not in valid_values.")
	code, body = rule(map[string]any{"protocol": "icmp", "port_range_min": 8, "port_range_max": 0, "remote_ip_prefix": "10.0.0.1/8"})
	created, _ := body["security_group_rule"].(map[string]any)
	if code != http.StatusCreated || created["normalized_cidr"] != "10.0.0.0/8" || created["description"] != "" || created["standard_attr_id"] != nil {
		t.Fatalf("icmp rule: %d %v", code, body)
	}
	if code, body := r.do(http.MethodGet, neutron+"/security-group-rules/"+created["id"].(string), nil); code != http.StatusOK {
		t.Errorf("GET a rule: %d %v", code, body)
	}
	code, body = r.do(http.MethodPost, neutron+"/floatingips", map[string]any{"floatingip": map[string]any{"floating_network_id": openstacktest.NetworkPrivate}})
	wantNeutron("floating IP from a tenant network", code, body, http.StatusBadRequest, "BadRequest",
		"Bad floatingip request: Network "+openstacktest.NetworkPrivate+" is not a valid external network.")
	code, body = r.do(http.MethodGet, neutron+"/subnets", nil)
	if subnets, _ := body["subnets"].([]any); code != http.StatusOK || len(subnets) != 2 {
		t.Errorf("subnets: %d %v", code, body)
	}
	_, body = r.do(http.MethodGet, neutron+"/networks?name=private", nil)
	if nets := body["networks"].([]any); len(nets) != 1 || len(nets[0].(map[string]any)["subnets"].([]any)) != 1 {
		t.Errorf("private network: %v", nets)
	}

	// Glance's errors are webob's JSON for a client accepting JSON.
	req, _ := http.NewRequest(http.MethodGet, r.base+"/image/v2/images/"+openstacktest.ImageCirros+"x", nil)
	req.Header.Set("X-Auth-Token", r.token)
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Content-Type") != "application/json" {
		t.Errorf("unknown image with Accept JSON: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	code, body = r.do(http.MethodDelete, "/image/v2/images/"+openstacktest.ImageCirros, nil)
	if code != http.StatusForbidden || body["message"] != "You do not own this image<br /><br />\n\n\n" || body["title"] != "Forbidden" {
		t.Errorf("deleting a public image: %d %v", code, body)
	}
	code, body = r.do(http.MethodGet, "/image/v2/images?name=demo-golden", nil)
	if imgs, _ := body["images"].([]any); code != http.StatusOK || len(imgs) != 1 || imgs[0].(map[string]any)["checksum"] == nil {
		t.Errorf("images by name: %d %v", code, body)
	}
}
