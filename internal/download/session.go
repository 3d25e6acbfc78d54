package download

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gofetch/fetch/internal/redact"

	getter "github.com/hashicorp/go-getter/v2"

	"github.com/gofetch/fetch/trace"
)

// umask applies to everything Get creates: go-getter gives extracted files
// the modes their archive declares (masked to 0o777), and a world-writable
// entry should not stay world-writable in the tree.
const umask fs.FileMode = 0o022

// session is the state of one Get.
type session struct {
	req     Request
	src     *source
	lim     Limits
	timeout time.Duration
	client  *http.Client
	tracker *tracker
}

func newSession(req Request, src *source) *session {
	lim := req.Limits.withDefaults()
	return &session{
		req:     req,
		src:     src,
		lim:     lim,
		timeout: orDefault(req.Timeout, DefaultTimeout),
		client:  tracedClient(req.HTTPClient, req.Trace, src.shown),
		tracker: &tracker{max: lim.MaxBytes, progress: req.Progress},
	}
}

// note emits a trace Note about this source.
func (s *session) note(msg string) {
	s.req.Trace.Emit(trace.Event{Kind: trace.Note, Source: s.src.shown, Message: msg})
}

// fail empties Dst after an error, so the caller never sees a partial
// result.
func (s *session) fail(err error) error {
	if cerr := emptyDir(s.req.Dst); cerr != nil {
		err = errors.Join(err, fmt.Errorf("emptying %s after the failure: %w", s.req.Dst, cerr))
	}
	return err
}

// run downloads into a work directory inside Dst (so that moving the
// result into place is a rename), verifies the download, extracts it,
// applies the subdir and moves the result into Dst.
func (s *session) run(ctx context.Context) (*Result, error) {
	if s.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.timeout)
		defer cancel()
	}
	if err := s.checkDirURL(); err != nil {
		return nil, sourceError(s.src.shown, err)
	}
	work, err := os.MkdirTemp(s.req.Dst, ".fetch-download-")
	if err != nil {
		return nil, err
	}
	defer removeAll(work)

	want, err := s.expected(ctx, work)
	if err != nil {
		return nil, err
	}
	s.tracker.want, s.tracker.label = want, redact.URL(s.src.u)
	var got fetched
	if s.src.cloud() {
		err = s.fetchCloud(ctx, filepath.Join(work, "get"), &got)
	} else {
		err = s.fetch(ctx, s.src, filepath.Join(work, "get"), getter.ModeAny, &got, s.tracker, s.lim)
	}
	if err != nil {
		return nil, err
	}
	res := &Result{Getter: s.src.getter}
	if got.file == "" {
		if err := s.checkDir(); err != nil {
			return nil, sourceError(s.src.shown, err)
		}
		return res, s.placeDir(filepath.Join(work, "get"), res)
	}
	if err := s.verify(got.file, want, res); err != nil {
		return nil, err
	}
	if s.src.archive == "" {
		return res, s.placeFile(got.file, res)
	}
	return res, s.extract(ctx, got.file, filepath.Join(work, "x"), res)
}

// checkDirURL refuses what cannot work with an http(s) URL whose path ends
// in "/", which go-getter fetches as a directory: that needs
// X-Terraform-Get, and a checksum or an archive type needs a file.
func (s *session) checkDirURL() error {
	if (s.src.getter != "http" && s.src.getter != "https") || !strings.HasSuffix(s.src.u.Path, "/") {
		return nil
	}
	const dir = "go-getter fetches a URL path ending in / as a directory"
	switch {
	case s.src.checksum != "":
		return fmt.Errorf("%s, and a checksum can only be checked on a file", dir)
	case s.src.archive != "":
		return fmt.Errorf("%s, and archive=%s needs a file", dir, s.src.archive)
	case !s.req.AllowXTerraformGet:
		// No library field in the words: a person meets this by pasting
		// a URL with a trailing slash.
		return fmt.Errorf("%s, which HTTP serves only through an X-Terraform-Get header, and fetch does not follow one; drop the trailing / to download a file", dir)
	}
	return nil
}

// checkDir refuses the options that need a file, once the getter has
// fetched a directory.
func (s *session) checkDir() error {
	const dir = "the source is a directory"
	switch {
	case s.src.checksum != "":
		return fmt.Errorf("%s, and a checksum can only be checked on a file", dir)
	case s.src.archive != "":
		return fmt.Errorf("%s, and archive=%s needs a file", dir, s.src.archive)
	case s.src.filename != "":
		return fmt.Errorf("%s, and filename=%s names a file", dir, s.src.filename)
	}
	return nil
}

// extract unpacks the verified archive and places the result.
func (s *session) extract(ctx context.Context, file, x string, res *Result) error {
	f := formats[s.src.archive]
	d := safeDecompressors(ctx, s.lim, s.note)[s.src.archive]
	res.Archive = s.src.archive
	s.note("extracting the " + s.src.archive + " archive")
	if f.layout == streamLayout {
		name, err := s.fileName()
		if err != nil {
			return err
		}
		out := filepath.Join(x, name)
		if err := d.Decompress(out, file, false, umask); err != nil {
			return sourceError(s.src.shown, err)
		}
		return s.placeFile(out, res)
	}
	if err := d.Decompress(x, file, true, umask); err != nil {
		return sourceError(s.src.shown, err)
	}
	return s.placeDir(x, res)
}

// fileName is the name the single file gets in Dst.
func (s *session) fileName() (string, error) {
	name := s.src.fileName()
	if name == "" || name == "." || name == "/" || name == ".." {
		return "", sourceError(s.src.shown, errors.New("the URL path names no file to save it as; add ?filename=NAME"))
	}
	if err := checkFileName(name); err != nil {
		return "", sourceError(s.src.shown, err)
	}
	return name, nil
}
