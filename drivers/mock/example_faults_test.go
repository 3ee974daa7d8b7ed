package mock_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/deltacloud-go/deltacloud"
	"github.com/deltacloud-go/deltacloud/drivers/mock"
)

// A test reaches the mock cloud through Provider.As, makes the next call
// of an operation fail, and checks afterwards that the fault was hit. The
// operation is named as the Provider's error names it.
func Example_faultInjection() {
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: mock.User, Password: mock.Password}})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer p.Close()
	var c *mock.Cloud
	p.As(&c)

	c.FailNext(mock.OpCreateInstances, 1, deltacloud.ErrUnavailable)
	_, err = p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	var e *deltacloud.Error
	errors.As(err, &e)
	fmt.Println(e.Op, e.Code.String(), e.Code.Temporary())
	fmt.Println("hits:", c.Hits(mock.OpCreateInstances))

	in, err := p.CreateInstance(ctx, deltacloud.InstanceSpec{ImageID: "img1"})
	fmt.Println(in.ID, err)
	// Output:
	// CreateInstance unavailable true
	// hits: 1
	// inst4 <nil>
}
