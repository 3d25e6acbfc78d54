package fetch

import (
	"context"
	"errors"
)

// Get fetches each source into the tree. Results are in input order.
func (c *Client) Get(ctx context.Context, srcs []string, so SourceOptions) []Result {
	results := make([]Result, len(srcs))
	c.each(ctx, len(srcs), func(i int) {
		res, r := c.resolveOne(ctx, srcs[i], so)
		if r.Status == StatusError {
			results[i] = r
			return
		}
		results[i] = c.getResolved(ctx, res, so)
	})
	return results
}

func (c *Client) getResolved(ctx context.Context, res *resolved, so SourceOptions) Result {
	r := res.result
	r.Status = StatusError
	r.Error = errors.New("get: not yet wired to the tree").Error()
	return r
}
