package modproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"golang.org/x/mod/module"
	"golang.org/x/mod/semver"

	"github.com/gofetch/fetch/internal/termtext"
	"github.com/gofetch/fetch/trace"
)

// info is the JSON of a .info or @latest response.
type info struct {
	Version string
	Time    time.Time
}

// stat asks the proxy for the .info of version, which may be a query such
// as a branch name. As in the Go command, a proxy asked for a canonical
// version must answer with exactly that version.
func (f *fetcher) stat(ctx context.Context, version string) (*info, error) {
	escVer, err := module.EscapeVersion(version)
	if err != nil {
		return nil, fmt.Errorf("module %s: version %q: %w", f.path, version, err)
	}
	inf, err := f.info(ctx, "@v/"+escVer+".info")
	if err != nil {
		return nil, fmt.Errorf("module %s@%s: %w", f.path, version, err)
	}
	if version == semver.Canonical(version) && inf.Version != version {
		return nil, fmt.Errorf("module %s@%s: proxy %s answered with version %q instead", f.path, version, redactText(f.base), inf.Version)
	}
	return inf, nil
}

// latest resolves an empty version as the Go command resolves "latest":
// the highest release in @v/list, else its highest pre-release, else the
// optional @latest endpoint (which reports a pseudo-version for a module
// without tags), and when @latest answers 404 or 410, the newest version
// @v/list gives a time for (a pseudo-version's own, or the time written
// after a version), as the Go command's proxyRepo.Latest does. A @v/list
// that is not found is the module not found (the error keeps the
// server's explanation), as in the Go command, whose query reads the
// list first.
func (f *fetcher) latest(ctx context.Context) (*info, error) {
	var list bytes.Buffer
	if err := f.get(ctx, "@v/list", &list, maxMeta); err != nil {
		return nil, fmt.Errorf("module %s: %w", f.path, err)
	}
	if v := f.highest(list.String()); v != "" {
		return f.stat(ctx, v)
	}
	inf, err := f.info(ctx, "@latest")
	if errors.Is(err, fs.ErrNotExist) {
		if v := newestListed(list.String()); v != "" {
			return f.stat(ctx, v)
		}
		return nil, &NoVersionsError{Path: f.path, Proxy: redactText(f.base), Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("module %s: %w", f.path, err)
	}
	return inf, nil
}

// NoVersionsError is a proxy that has the module but no version of it:
// @v/list names no usable version and @latest is not found. It matches
// fs.ErrNotExist, so a GOPROXY list walks on past it.
type NoVersionsError struct {
	Path  string // module path
	Proxy string // proxy URL, redacted
	Err   error  // the @latest answer
}

// Error names the module and the proxy and what @latest answered.
func (e *NoVersionsError) Error() string {
	return fmt.Sprintf("module %s: proxy %s lists no versions of it, and its @latest is not found: %v", e.Path, e.Proxy, e.Err)
}

// Unwrap returns the @latest answer.
func (e *NoVersionsError) Unwrap() error { return e.Err }

// Is reports the module as not found.
func (e *NoVersionsError) Is(target error) bool { return target == fs.ErrNotExist }

// newestListed picks from @v/list the version with the latest time: the
// time written after it (RFC 3339) or, when there is none, a
// pseudo-version's own; a line with neither is skipped, as the Go command
// skips it (this runs only when the list has no tagged version).
func newestListed(list string) string {
	var best string
	var bestTime time.Time
	for line := range strings.Lines(list) {
		fields := strings.Fields(line)
		if len(fields) == 0 || !semver.IsValid(fields[0]) {
			continue
		}
		var t time.Time
		switch {
		case len(fields) >= 2:
			t, _ = time.Parse(time.RFC3339, fields[1])
		case module.IsPseudoVersion(fields[0]):
			t, _ = module.PseudoVersionTime(fields[0])
		default:
			continue
		}
		if bestTime.Before(t) {
			best, bestTime = fields[0], t
		}
	}
	return best
}

// highest picks from @v/list (one version per line, maybe followed by a
// time) the highest release, or else the highest pre-release, that is
// valid for the module path. Pseudo-versions do not count, as in the Go
// command.
func (f *fetcher) highest(list string) string {
	var release, pre string
	for line := range strings.Lines(list) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		v := fields[0]
		if v != module.CanonicalVersion(v) || module.IsPseudoVersion(v) || module.Check(f.path, v) != nil {
			continue
		}
		// semver.Max is not used: it drops +incompatible.
		best := &release
		if semver.Prerelease(v) != "" {
			best = &pre
		}
		if *best == "" || semver.Compare(v, *best) > 0 {
			*best = v
		}
	}
	if release != "" {
		return release
	}
	return pre
}

// info fetches and checks a .info or @latest document.
func (f *fetcher) info(ctx context.Context, rel string) (*info, error) {
	var buf bytes.Buffer
	if err := f.get(ctx, rel, &buf, maxMeta); err != nil {
		return nil, err
	}
	var inf info
	if err := json.Unmarshal(buf.Bytes(), &inf); err != nil {
		return nil, fmt.Errorf("invalid %s from proxy %s: %w", rel, redactText(f.base), err)
	}
	if err := module.Check(f.path, inf.Version); err != nil {
		return nil, fmt.Errorf("invalid %s from proxy %s: %w", rel, redactText(f.base), err)
	}
	if inf.Version != module.CanonicalVersion(inf.Version) {
		return nil, fmt.Errorf("invalid %s from proxy %s: version %q is not canonical", rel, redactText(f.base), inf.Version)
	}
	return &inf, nil
}

// StatusError is a proxy response other than 200 OK. It matches
// fs.ErrNotExist for 404 and 410, which the protocol uses for "no such
// module or version".
type StatusError struct {
	URL        string // redacted
	Status     string // e.g. "404 Not Found"
	StatusCode int
	Detail     string // start of the response body, one line
}

// Error names the URL and the status, and quotes the server's message.
func (e *StatusError) Error() string {
	msg := "reading " + e.URL + ": " + e.Status
	if e.Detail != "" {
		msg += " (server response: " + e.Detail + ")"
	}
	return msg
}

// Is reports a 404 or 410 as fs.ErrNotExist.
func (e *StatusError) Is(target error) bool {
	return target == fs.ErrNotExist && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone)
}

// url is the proxy URL of rel (such as "@v/list") for the module.
func (f *fetcher) url(rel string) string {
	return f.base + "/" + f.escPath + "/" + rel
}

// get fetches the proxy URL of rel into w, failing past max bytes.
func (f *fetcher) get(ctx context.Context, rel string, w io.Writer, max int64) error {
	return f.getURL(ctx, f.url(rel), w, max)
}

// getURL fetches u into w, failing past max bytes.
func (f *fetcher) getURL(ctx context.Context, u string, w io.Writer, max int64) error {
	shown := redactText(u)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("reading %s: %w", shown, redactErr(err))
	}
	f.trace.Emit(trace.Event{Kind: trace.Request, Source: f.path, URL: shown})
	start := time.Now()
	resp, err := f.client.Do(req)
	if err != nil {
		err = redactErr(err)
		f.trace.Emit(trace.Event{Kind: trace.Failure, Source: f.path, URL: shown, Err: err.Error()})
		return fmt.Errorf("reading %s: %w", shown, err)
	}
	defer resp.Body.Close()
	f.trace.Emit(trace.Event{Kind: trace.Response, Source: f.path, URL: redactText(resp.Request.URL.String()),
		Status: resp.StatusCode, StatusText: resp.Status, Duration: time.Since(start)})
	if resp.StatusCode != http.StatusOK {
		return &StatusError{URL: shown, Status: resp.Status, StatusCode: resp.StatusCode, Detail: detail(resp.Body)}
	}
	n, err := io.Copy(w, io.LimitReader(resp.Body, max+1))
	if err != nil {
		return fmt.Errorf("reading %s: %w", shown, redactErr(err))
	}
	if n > max {
		return fmt.Errorf("reading %s: response larger than %d bytes", shown, max)
	}
	return nil
}

// detail returns the first line of an error body, bounded and printable.
func detail(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, 512))
	line, _, _ := strings.Cut(string(b), "\n")
	// What the server says cannot drive a terminal: controls (C1
	// included) and bidirectional overrides are escaped.
	return termtext.Printable(redactText(strings.TrimSpace(line)))
}
