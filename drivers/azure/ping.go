package azure

import "context"

// Ping reads the first page of the resource group's SSH public keys: one
// small authenticated Resource Manager request, which needs a token for
// the credentials and read access to the resource group the provider
// works in (a bad tenant, client or secret fails when getting the token).
func (c *conn) Ping(ctx context.Context) error {
	pg := c.sshKeys.NewListByResourceGroupPager(c.scope.ResourceGroup, nil)
	if _, err := pg.NextPage(ctx); err != nil {
		return wrap(err)
	}
	return nil
}
