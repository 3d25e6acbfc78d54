package fetch

import (
	"errors"
)

// downloadFetcher fetches files and archives (http, https, file, s3, gcs).
func (c *Client) downloadFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	return fetcher{}, errors.New("downloads are not wired yet")
}

// modFetcher fetches a module from the proxy a mod entry names.
func (c *Client) modFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	return fetcher{}, errors.New("mod entries are not wired yet")
}
