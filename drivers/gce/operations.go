package gce

import (
	"context"

	"google.golang.org/api/compute/v1"

	"github.com/deltacloud-go/deltacloud"
)

// maxWaits bounds the operations.wait calls of one operation: each answers
// within about two minutes, so an operation that runs longer than an hour
// is given up (the caller's context usually ends first).
const maxWaits = 30

// wait blocks until a long-running operation is done (operations.wait of
// its zone, region or the project) and returns its error, classified. The
// context ends the wait, not the operation.
func (c *conn) wait(ctx context.Context, op *compute.Operation, err error) error {
	if err != nil {
		return wrap(err)
	}
	for range maxWaits {
		if op.Status == "DONE" {
			return operationError(op)
		}
		switch {
		case op.Zone != "":
			op, err = c.compute.ZoneOperations.Wait(c.scope.Project, last(op.Zone), op.Name).Context(ctx).Do()
		case op.Region != "":
			op, err = c.compute.RegionOperations.Wait(c.scope.Project, last(op.Region), op.Name).Context(ctx).Do()
		default:
			op, err = c.compute.GlobalOperations.Wait(c.scope.Project, op.Name).Context(ctx).Do()
		}
		if err != nil {
			return wrap(err)
		}
	}
	return &deltacloud.Error{Code: deltacloud.Timeout, Message: "gce: operation " + op.Name + " is still running"}
}
