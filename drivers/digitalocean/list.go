package digitalocean

import (
	"context"

	"github.com/digitalocean/godo"

	"github.com/deltacloud-go/deltacloud"
)

// perPage is the page size of every listing: the API's largest.
const perPage = 200

// maxPages bounds a listing (200,000 objects), so a broken "next" link
// cannot loop forever.
const maxPages = 1000

// listAll follows a listing's pages (links.pages.next) until the last one.
func listAll[T any](ctx context.Context, c *conn, list func(context.Context, *godo.ListOptions) ([]T, *godo.Response, error)) ([]T, error) {
	opt := &godo.ListOptions{Page: 1, PerPage: perPage}
	var out []T
	for range maxPages {
		items, resp, err := list(ctx, opt)
		if err != nil {
			return nil, c.wrap(err)
		}
		out = append(out, items...)
		if resp == nil || resp.Links == nil || resp.Links.IsLastPage() {
			return out, nil
		}
		opt.Page++
	}
	return nil, deltacloud.Errorf(deltacloud.Backend, "digitalocean: a listing has more than %d pages", maxPages)
}
