package api_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
)

// Serve the Deltacloud REST API over the mock cloud and list its instances
// as an API client does: HTTP Basic credentials, JSON asked for with
// Accept. Without credentials the same request is 401.
func ExampleNewHandler() {
	h := api.NewHandler(api.Options{Driver: "mock"})
	defer h.Close() // closes the providers it keeps open between requests
	srv := httptest.NewServer(h)
	defer srv.Close()

	list := func(user, password string) *http.Response {
		req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/instances", nil)
		if err != nil {
			log.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		if user != "" {
			req.SetBasicAuth(user, password)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		return resp
	}

	resp := list("mockuser", "mockpassword")
	defer resp.Body.Close()
	var doc struct {
		Instances []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"instances"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Status, resp.Header.Get("Content-Type"))
	for _, in := range doc.Instances {
		fmt.Println(in.ID, in.State)
	}

	anon := list("", "")
	anon.Body.Close()
	fmt.Println(anon.Status)
	// Output:
	// 200 OK application/json
	// inst0 RUNNING
	// inst1 RUNNING
	// inst2 RUNNING
	// inst3 RUNNING
	// 401 Unauthorized
}
