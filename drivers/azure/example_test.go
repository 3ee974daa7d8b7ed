package azure_test

import (
	"context"
	"fmt"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/azure"
	"github.com/deltacloud-go/deltacloud/drivers/azure/azuretest"
)

// Example launches a VM in a zone with an SSH key resource and destroys it,
// on the in-memory subscription; against Azure only the Config differs.
func Example() {
	ctx := context.Background()
	s := azuretest.New()
	p, err := deltacloud.Open(ctx, "azure", s.Config())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{
		ImageID: "Canonical:ubuntu-24_04-lts:server:latest",
		RealmID: "eastus-1", ProfileID: "Standard_B1s", Name: "web-1", KeyName: "test-key",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(in.Name, in.State, in.RealmID, in.Profile.ID, in.Authentication.Method)
	plan, _ := p.Lifecycle().Plan(in.State, deltacloud.StateFinish)
	fmt.Println("plan to finish:", plan)
	if err := p.Destroy(ctx, in.ID); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("resources left:", len(s.Resources()), "(fixtures and the shared network)")
	// Output:
	// web-1 RUNNING eastus-1 Standard_B1s key
	// plan to finish: [destroy]
	// resources left: 3 (fixtures and the shared network)
}

// ExampleParseProvider shows the provider string's forms.
func ExampleParseProvider() {
	for _, p := range []string{"0b1f6471-1bf0-4dda-aec3-cb9272f09590/my-rg/westeurope", "my-rg/WestEurope", "westeurope"} {
		s, err := azure.ParseProvider(p)
		fmt.Printf("%q %q %q %v\n", s.SubscriptionID, s.ResourceGroup, s.Location, err)
	}
	// Output:
	// "0b1f6471-1bf0-4dda-aec3-cb9272f09590" "my-rg" "westeurope" <nil>
	// "" "my-rg" "westeurope" <nil>
	// "" "" "westeurope" <nil>
}
