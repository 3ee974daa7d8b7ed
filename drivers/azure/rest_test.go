package azure_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/deltacloud-go/deltacloud/api"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// TestREST drives the azure driver through the REST handler: the service
// principal arrives as the Basic-auth pair, the location as a plain
// provider name, and the operator fixes subscription and resource group in
// the driver options; a full provider string is accepted once the operator
// allows it.
func TestREST(t *testing.T) {
	s := azuretest.New()
	full := azuretest.SubscriptionID + "/" + azuretest.ResourceGroup + "/" + azuretest.Location
	h := api.NewHandler(api.Options{
		Driver:     "azure",
		HTTPClient: s.HTTPClient(),
		DriverOptions: map[string]map[string]string{"azure": {
			"subscription_id": azuretest.SubscriptionID, "resource_group": azuretest.ResourceGroup,
			"poll_interval": "1ms", "max_retries": "0",
		}},
		AllowedProviders: []string{full},
		CacheSize:        -1,
	})
	do := func(method, path, secret string, form url.Values, header ...string) *httptest.ResponseRecorder {
		t.Helper()
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		r := httptest.NewRequest(method, "http://127.0.0.1"+path, body)
		r.SetBasicAuth(azuretest.TenantID+"/"+azuretest.ClientID, secret)
		r.Header.Set("Accept", "application/json")
		if form != nil {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		for i := 0; i+1 < len(header); i += 2 {
			r.Header.Set(header[i], header[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := do("POST", "/api;provider=eastus/instances", azuretest.ClientSecret, url.Values{
		"image_id": {ubuntu}, "realm_id": {"eastus-3"}, "name": {"rest-1"}, "password": {testPassword},
	})
	if w.Code != http.StatusCreated {
		t.Fatalf("create: %d %s", w.Code, w.Body)
	}
	var created struct {
		Instance struct {
			ID, Name, State string
			Realm           struct{ ID string }
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &created); err != nil {
		t.Fatal(err)
	}
	in := created.Instance
	if in.Name != "rest-1" || in.State != "RUNNING" || in.Realm.ID != "eastus-3" {
		t.Errorf("created %+v", in)
	}
	w = do("GET", "/api/instances", azuretest.ClientSecret, nil, "X-Deltacloud-Provider", full)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), in.ID) {
		t.Errorf("list with the full provider string: %d %s", w.Code, w.Body)
	}
	if w = do("GET", "/api;provider=eastus/instances", "wrong-secret", nil); w.Code != http.StatusUnauthorized {
		t.Errorf("wrong client secret: %d %s, want 401", w.Code, w.Body)
	}
	if w = do("GET", "/api/realms", azuretest.ClientSecret, nil, "X-Deltacloud-Provider", "other-rg/eastus"); w.Code != http.StatusForbidden {
		t.Errorf("a provider string the operator did not allow: %d %s, want 403", w.Code, w.Body)
	}
	if w = do("DELETE", "/api;provider=eastus/instances/"+in.ID, azuretest.ClientSecret, nil); w.Code != http.StatusNoContent {
		t.Errorf("destroy: %d %s", w.Code, w.Body)
	}
}
