package download

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	getter "github.com/hashicorp/go-getter"

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

// fetch runs a fresh go-getter client for src into dst.
func (s *session) fetch(ctx context.Context, src *source, dst string, mode getter.ClientMode, got *fetched, tr *tracker, lim Limits) error {
	c := &getter.Client{
		Ctx:       ctx,
		Src:       src.String(),
		Dst:       dst,
		Pwd:       s.req.Pwd,
		Mode:      mode,
		Umask:     umask,
		Detectors: detectors(),
		// Extraction happens outside the client, after verification. An
		// empty map, unlike nil (go-getter's unlimited globals), keeps the
		// client from extracting anything.
		Decompressors:    map[string]getter.Decompressor{},
		Getters:          s.getters(ctx, got, tr, lim),
		ProgressListener: tr,
		DisableSymlinks:  true,
	}
	if err := c.Get(); err != nil {
		err = redact.Error(err)
		// go-getter names the URL itself in directory downloads.
		if strings.HasPrefix(err.Error(), "error downloading '") {
			return err
		}
		return fmt.Errorf("downloading %s: %w", redact.String(src.String()), err)
	}
	return nil
}

// getters returns fresh getters for one client: go-getter's global map is
// shared, and Client.Configure points every getter in it at the client,
// so concurrent clients would race on it.
func (s *session) getters(ctx context.Context, got *fetched, tr *tracker, lim Limits) map[string]getter.Getter {
	h := &recorder{Getter: s.httpGetter(lim), got: got}
	if s.req.AllowXTerraformGet {
		h.client = s.xtgClient(ctx, tr, lim)
	}
	return map[string]getter.Getter{
		"http":  h,
		"https": h,
		"file":  &recorder{Getter: newLocalGetter(lim, umask), got: got},
		"s3":    &recorder{Getter: &getter.S3Getter{Timeout: s.timeout}, got: got},
		"gcs":   &recorder{Getter: &getter.GCSGetter{Timeout: s.timeout}, got: got},
	}
}

// httpGetter returns a hardened HttpGetter. MaxBytes only bounds the page
// read for X-Terraform-Get: with a progress tracker set, go-getter hands
// the tracker the unlimited body, so the tracker enforces the limit.
func (s *session) httpGetter(lim Limits) *getter.HttpGetter {
	return &getter.HttpGetter{
		Client:                s.client,
		XTerraformGetDisabled: !s.req.AllowXTerraformGet,
		XTerraformGetLimit:    xtgLimit,
		HeadFirstTimeout:      headTimeout,
		ReadTimeout:           s.timeout,
		MaxBytes:              lim.MaxBytes,
	}
}

// recorder passes calls through to a getter and records GetFile's path.
type recorder struct {
	getter.Getter
	got *fetched
	// client, when set, is the client the getter sees instead of the one
	// that calls SetClient (see xtgClient).
	client *getter.Client
}

// GetFile records dst and fetches the file.
func (r *recorder) GetFile(dst string, u *url.URL) error {
	r.got.file = dst
	return r.Getter.GetFile(dst, u)
}

// SetClient hands the getter r.client when set, else c.
func (r *recorder) SetClient(c *getter.Client) {
	if r.client != nil {
		c = r.client
	}
	r.Getter.SetClient(c)
}

// xtgClient is the client the HTTP getter sees when X-Terraform-Get is
// allowed. The getter follows the header through a nested go-getter
// client built from its own client's Options, after checking the new
// source's scheme against its own client's Getters. The client running
// the download has no Options (Configure would apply them to it too), so
// without this the nested client would use go-getter's global getters (git
// included, and shared between goroutines) and its unlimited
// decompressors. Here nested clients get http and https only, so a header
// cannot turn the download into a copy of local files, plus the scanned
// decompressors and the size-limiting tracker.
func (s *session) xtgClient(ctx context.Context, tr *tracker, lim Limits) *getter.Client {
	nested := func() map[string]getter.Getter {
		h := s.httpGetter(lim)
		return map[string]getter.Getter{"http": h, "https": h}
	}
	return &getter.Client{
		Ctx:              ctx,
		Umask:            umask,
		Getters:          nested(),
		Detectors:        detectors(),
		ProgressListener: tr,
		DisableSymlinks:  true,
		Options: []getter.ClientOption{
			getter.WithGetters(nested()),
			getter.WithDecompressors(safeDecompressors(ctx, lim, s.note)),
			getter.WithDetectors(detectors()),
			getter.WithUmask(umask),
			getter.WithProgress(tr),
		},
	}
}
