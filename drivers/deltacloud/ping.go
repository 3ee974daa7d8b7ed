package deltacloud

import (
	"context"

	"github.com/deltacloud-go/deltacloud"
)

// Ping reads the realms collection with the credentials: the server's
// entry point answers anyone, but realms are listed only for credentials
// the server's cloud accepts (the original's drivers ask their cloud), so
// a 401 there is ErrAuthFailure.
func (c *conn) Ping(ctx context.Context) error {
	_, err := c.getCollection(ctx, deltacloud.CollectionRealms, nil)
	return err
}
