package fetch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/gofetch/fetch/internal/download"
	"github.com/gofetch/fetch/internal/modproxy"
	"github.com/gofetch/fetch/internal/tree"
	"github.com/gofetch/fetch/internal/web"
)

// downloadFetcher fetches files and archives (http, https, file, s3, gcs)
// through go-getter, hardened and checksummed by package download. A
// //subdir's content is placed at the destination itself, as go-getter
// does. An existing destination is left alone: downloads are not updated
// in place (remove the destination to fetch again).
func (c *Client) downloadFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	sec := web.SecureOnly
	if res.insecure {
		sec = web.Insecure
	}
	hc := &http.Client{
		Transport: retrying{next: c.web.Transport(sec), note: res.job.note},
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= 10 {
				return errors.New("stopped after 10 redirects")
			}
			if prev := via[len(via)-1]; sec == web.SecureOnly && prev.URL.Scheme == "https" && req.URL.Scheme != "https" {
				return fmt.Errorf("redirected from secure URL %s to insecure URL %s", prev.URL.Redacted(), req.URL.Redacted())
			}
			return nil
		},
	}
	return fetcher{
		step: "downloading",
		create: func(ctx context.Context, tmp string, r *Result) error {
			req := download.Request{
				URL:        res.src.URL,
				Dst:        tmp,
				Pwd:        c.pwd,
				Limits:     c.opts.Limits.download(),
				HTTPClient: hc,
				Trace:      res.job.trace,
				Progress:   c.opts.progressFor(res.job.source),
			}
			out, err := download.Get(ctx, req)
			ctx = res.job.withUnpackProgress(ctx)
			// A download cut short is fetched again from the start: Get
			// leaves tmp empty when it fails, and a GET is idempotent.
			for attempt := 2; err != nil && attempt <= maxAttempts && cutShort(err) && ctx.Err() == nil; attempt++ {
				res.job.note("downloading again after %v (attempt %d of %d)", err, attempt, maxAttempts)
				out, err = download.Get(ctx, req)
			}
			if err != nil {
				return err
			}
			r.Checksum = out.Checksum
			return nil
		},
		finish: func(ctx context.Context, dest string, r *Result) error {
			r.Dir = dest
			return nil
		},
		inspect: func(ctx context.Context, dest string, r *Result) error {
			r.Dir = dest
			return nil
		},
		existing: func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (string, error) {
			if so.Update {
				res.job.note("%s exists; downloads are not updated in place: remove it to fetch again", dest)
			}
			r.Dir = dest
			return StatusExists, nil
		},
	}, nil
}

// modFetcher fetches a module from the module proxy a go-import "mod"
// entry names (the module proxy protocol), unpacked with x/mod's safe zip
// rules. The Result carries the version and the module's h1: hash in
// Checksum. Like a download, an existing destination is not updated in place.
func (c *Client) modFetcher(res *resolved, so SourceOptions) (fetcher, error) {
	sec := web.SecureOnly
	if res.insecure {
		sec = web.Insecure
	}
	hc := &http.Client{Transport: retrying{next: c.web.Transport(sec), note: res.job.note}}
	report := func(ctx context.Context, dest string, r *Result) error {
		r.Dir = filepath.Join(dest, strings.TrimPrefix(strings.TrimPrefix(res.src.ImportPath, res.rr.Root), "/"))
		return nil
	}
	return fetcher{
		step: "downloading",
		create: func(ctx context.Context, tmp string, r *Result) error {
			m, err := modproxy.Fetch(ctx, hc, res.rr.Repo, res.rr.Root, res.src.Ref, tmp, res.job.trace)
			if err != nil {
				return err
			}
			r.Version, r.Checksum = m.Version, m.Hash
			return nil
		},
		finish:  report,
		inspect: report,
		existing: func(ctx context.Context, dest string, st tree.State, so SourceOptions, r *Result) (string, error) {
			if so.Update {
				res.job.note("%s exists; modules are not updated in place: remove it to fetch again", dest)
			}
			return StatusExists, report(ctx, dest, r)
		},
	}, nil
}
