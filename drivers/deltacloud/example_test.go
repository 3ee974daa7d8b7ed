package deltacloud_test

import (
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/api"
	_ "github.com/deltacloud-go/deltacloud/drivers/deltacloud"
)

// Example opens a Deltacloud REST server as a provider. The server here is
// this module's api handler over the mock driver; any Deltacloud server
// (the original Apache Deltacloud 1.1.x included) works the same way.
func Example() {
	dir, err := os.MkdirTemp("", "deltacloud-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	h := api.NewHandler(api.Options{DriverOptions: map[string]map[string]string{"mock": {"storage": dir}}})
	defer h.Close()
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "deltacloud", deltacloud.Config{
		Provider:    srv.URL + "/api",
		Credentials: deltacloud.Credentials{User: "mockuser", Password: "mockpassword"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	realms, err := p.Realms(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range realms {
		fmt.Println(r.ID, r.Name)
	}
	in, err := p.Stop(ctx, "inst0")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.ID, in.State, in.Actions)
	fmt.Println(p.Features().Has(deltacloud.FeatureUserName))
	// Output:
	// us United States
	// eu Europe
	// inst0 STOPPED [start destroy]
	// true
}
