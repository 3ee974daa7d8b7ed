package deltacloud_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/deltacloud-go/deltacloud"
	_ "github.com/deltacloud-go/deltacloud/drivers/mock"
)

// Open succeeds with wrong credentials, because much of a cloud can be
// described without them; Ping finds out at once. The error names the
// driver that failed.
func ExampleProvider_Ping() {
	ctx := context.Background()
	p, err := deltacloud.Open(ctx, "mock", deltacloud.Config{
		Credentials: deltacloud.Credentials{User: "mockuser", Password: "wrong"},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	err = p.Ping(ctx)
	fmt.Println(errors.Is(err, deltacloud.ErrAuthFailure))
	fmt.Println(err)
	// Output:
	// true
	// deltacloud: mock: Ping: Authentication Failure
}

// Decide whether to retry from the error's code: rate limiting and an
// unavailable cloud are temporary, a cancelled context is not (the caller
// asked to stop), and neither are the caller's own mistakes.
func ExampleCode_Temporary() {
	ctx, cancel := context.WithCancel(context.Background())
	p := openMock(ctx)
	defer p.Close()

	_, err := p.Instance(ctx, "no-such-instance")
	fmt.Println(deltacloud.CodeOf(err).String(), deltacloud.CodeOf(err).Temporary())

	cancel()
	_, err = p.Instances(ctx, deltacloud.InstanceFilter{})
	fmt.Println(deltacloud.CodeOf(err).String(), deltacloud.CodeOf(err).Temporary(), errors.Is(err, context.Canceled))
	fmt.Println(deltacloud.Unavailable.Temporary(), deltacloud.RateLimited.Temporary())
	// Output:
	// not found false
	// canceled false true
	// true true
}
