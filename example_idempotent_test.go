package deltacloud_test

import (
	"context"
	"fmt"
	"log"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// A broker checks a placement with DryRun, then creates with a client
// token, so that retrying a create whose outcome it does not know (a
// timeout, an Unavailable answer, its own crash and restart) never
// launches a second instance.
func Example_idempotentCreate() {
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password}})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()

	spec := deltacloud.InstanceSpec{ImageID: "img1", ProfileID: "m1-large",
		Properties: map[string]string{"memory": "12288"}, ClientToken: "order-1138"}
	plan, err := p.DryRun(ctx, spec) // checks everything, creates nothing
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("plan:", plan.Profile.ID, plan.Properties["memory"], "MiB, tokens honoured:", p.SupportsClientToken())

	// The cloud is unavailable once; the retry is safe because of the token.
	var cloud *mock.Cloud
	p.As(&cloud)
	cloud.FailNext(mock.OpCreateInstances, 1, deltacloud.ErrUnavailable)
	var in *deltacloud.Instance
	for attempt := 1; attempt <= 3; attempt++ {
		if in, err = p.CreateInstance(ctx, plan.Spec); err == nil || !deltacloud.CodeOf(err).Temporary() {
			break
		}
		fmt.Println("attempt", attempt, "failed:", deltacloud.CodeOf(err).String())
	}
	if err != nil {
		log.Fatal(err)
	}
	// Later (say after a restart) the same request answers the same instance.
	again, err := p.CreateInstance(ctx, plan.Spec)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("created:", in.ID, "repeated:", again.ID)

	// The token reused for another request is a conflict, not a launch.
	spec.Properties = map[string]string{"memory": "10240"}
	_, err = p.CreateInstance(ctx, spec)
	fmt.Println("reused token:", deltacloud.CodeOf(err).String())
	// Output:
	// plan: m1-large 12288 MiB, tokens honoured: true
	// attempt 1 failed: unavailable
	// created: inst4 repeated: inst4
	// reused token: conflict
}
