package fleet_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
	"github.com/deltacloud-go/deltacloud/fleet"
)

// A broker lists realms across two clouds at once; a cloud that fails is
// named in the error while the others' realms still come back.
func Example() {
	ctx := context.Background()
	f := fleet.New(fleet.Options{Parallelism: 8, Timeout: 10 * time.Second})
	defer f.Close()
	creds := deltacloud.Credentials{User: "mockuser", Password: "mockpassword"}
	for _, name := range []string{"west", "east"} {
		if err := f.Open(ctx, name, "mock", deltacloud.Config{Credentials: creds}); err != nil {
			log.Fatal(err)
		}
	}
	realms, err := f.Realms(ctx)
	if err != nil {
		fmt.Println("failed:", fleet.Failed(err))
	}
	for _, r := range realms {
		fmt.Println(r.Provider, r.Value.ID, r.Value.State)
	}
	// Output:
	// east us AVAILABLE
	// east eu AVAILABLE
	// west us AVAILABLE
	// west eu AVAILABLE
}
