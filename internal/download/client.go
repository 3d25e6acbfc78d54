package download

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	getter "github.com/hashicorp/go-getter/v2"

	"github.com/gofetch/fetch/internal/redact"
)

// headTimeout bounds go-getter's HEAD probe before a download; when it
// runs out, go-getter goes on with the GET.
const headTimeout = 30 * time.Second

// xtgLimit bounds a chain of X-Terraform-Get redirections.
const xtgLimit = 5

// fetched is what the client asked of the getter: go-getter decides
// between a file and a directory inside Client.Get, and the rest of the
// pipeline needs to know which it was and where the file went.
type fetched struct {
	file string // the path GetFile wrote; empty when Get fetched a directory
}

// fetch runs a fresh go-getter client for src into dst. The client has
// the one getter src names, so go-getter never falls through to another
// getter after a failure.
func (s *session) fetch(ctx context.Context, src *source, dst string, mode getter.Mode, got *fetched, tr *tracker, lim Limits) error {
	g := s.getter(ctx, src.getter, got, tr, lim)
	c := &getter.Client{
		// Extraction happens outside the client, after verification. An
		// empty map, unlike nil (go-getter's unlimited globals), keeps the
		// client from extracting anything.
		Decompressors:   map[string]getter.Decompressor{},
		Getters:         []getter.Getter{g},
		DisableSymlinks: true,
	}
	req := &getter.Request{
		Src:              src.String(),
		Dst:              dst,
		Pwd:              s.req.Pwd,
		GetMode:          mode,
		Umask:            umask,
		Copy:             true,
		ProgressListener: tr,
		DisableSymlinks:  true,
	}
	if _, err := c.Get(ctx, req); err != nil {
		var ce *CloudGetterError
		if errors.As(err, &ce) || errors.Is(err, ErrCloudGetterMissing) || isLimit(err) {
			return err
		}
		err = redact.Error(err)
		// go-getter names the URL itself when getters fail.
		if strings.HasPrefix(err.Error(), "error downloading '") {
			return err
		}
		return fmt.Errorf("downloading %s: %w", redact.String(src.String()), err)
	}
	return nil
}

// getter returns a fresh getter for one client: getters keep state (the
// HTTP getter its client), so clients must not share them.
func (s *session) getter(ctx context.Context, name string, got *fetched, tr *tracker, lim Limits) getter.Getter {
	switch name {
	case "s3", "gcs":
		return &wired{Getter: &cloudGetter{name: name, tr: tr, lim: lim}, got: got}
	case "file":
		return &wired{Getter: &localGetter{lim: lim, umask: umask}, got: got, tr: tr}
	}
	w := &wired{Getter: s.httpGetter(lim), got: got, tr: tr}
	if s.req.AllowXTerraformGet {
		w.xtg = s.xtgClient(ctx, tr, lim)
	}
	return w
}

// httpGetter returns a hardened HttpGetter. MaxBytes only bounds the page
// read for X-Terraform-Get: with a progress tracker set, go-getter hands
// the tracker the unlimited body, so the tracker enforces the limit. The
// HEAD request go-getter sends first only serves to resume a partial file,
// and a download always starts from an empty one; go-getter v2 also takes
// a HEAD's Content-Length: 0 for a complete file and skips the GET.
func (s *session) httpGetter(lim Limits) *getter.HttpGetter {
	return &getter.HttpGetter{
		Client:                s.client,
		XTerraformGetDisabled: !s.req.AllowXTerraformGet,
		XTerraformGetLimit:    xtgLimit,
		DoNotCheckHeadFirst:   true,
		HeadFirstTimeout:      headTimeout,
		ReadTimeout:           s.timeout,
		MaxBytes:              lim.MaxBytes,
	}
}

// wired passes calls through to a getter. It records GetFile's path,
// gives a request without one the size-limiting tracker (go-getter's
// X-Terraform-Get requests carry none), and hands the HTTP getter the
// client X-Terraform-Get must use.
type wired struct {
	getter.Getter
	got *fetched       // nil: nothing recorded
	tr  *tracker       // nil: the request's own listener
	xtg *getter.Client // nil: X-Terraform-Get is not followed
}

// GetFile records dst and fetches the file.
func (w *wired) GetFile(ctx context.Context, req *getter.Request) error {
	if w.got != nil {
		w.got.file = req.Dst
	}
	if req.ProgressListener == nil && w.tr != nil {
		req.ProgressListener = w.tr
	}
	req.Copy, req.DisableSymlinks = true, true
	return w.Getter.GetFile(ctx, req)
}

// Get fetches a directory. go-getter's HTTP getter follows X-Terraform-Get
// with the client it finds in the context, so the context gets w.xtg.
func (w *wired) Get(ctx context.Context, req *getter.Request) error {
	if w.xtg != nil {
		ctx = getter.NewContextWithClient(ctx, w.xtg)
	}
	req.Copy, req.DisableSymlinks = true, true
	return w.Getter.Get(ctx, req)
}

// xtgClient is the client the HTTP getter follows X-Terraform-Get with:
// go-getter v2 takes it from the context and checks the new source against
// its getters. It has an HTTP getter only, so a header cannot turn the
// download into a copy of local files or a checkout; it extracts what it
// fetches through the scanned decompressors, and its requests get the
// size-limiting tracker (go-getter builds them without one).
func (s *session) xtgClient(ctx context.Context, tr *tracker, lim Limits) *getter.Client {
	h := &wired{Getter: s.httpGetter(lim), tr: tr}
	c := &getter.Client{
		Getters:         []getter.Getter{h},
		Decompressors:   safeDecompressors(ctx, lim, s.note),
		DisableSymlinks: true,
	}
	h.xtg = c
	return c
}
