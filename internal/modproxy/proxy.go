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
// without tags).
func (f *fetcher) latest(ctx context.Context) (*info, error) {
	var list bytes.Buffer
	err := f.get(ctx, "@v/list", &list, maxMeta)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("module %s: %w", f.path, err)
	}
	if v := f.highest(list.String()); v != "" {
		return f.stat(ctx, v)
	}
	inf, err := f.info(ctx, "@latest")
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("module %s: proxy %s lists no versions and has no @latest: %w", f.path, redactText(f.base), err)
	}
	if err != nil {
		return nil, fmt.Errorf("module %s: %w", f.path, err)
	}
	return inf, nil
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
	u := f.url(rel)
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
	line = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '\uFFFD' {
			return -1
		}
		return r
	}, line)
	return redactText(strings.TrimSpace(line))
}
