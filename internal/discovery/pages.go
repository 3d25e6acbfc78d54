package discovery

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gofetch/fetch/internal/metacache"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/metaparse"
)

// Page is one ?go-get=1 page as discovery uses it: fetched once per
// Cache, read with the Go command's rules, and (when explaining) also read
// leniently so the trace can say what a browser would have found. VCS and
// Mods are what Match chooses among; the methods give the rest of the
// exchange to a caller that examines the page itself (ReadPage).
type Page struct {
	// importPath is the path the page was asked for.
	importPath string
	// url is the URL as the Go command prints it in some messages,
	// without a scheme (//host/path?go-get=1); respURL is the URL that
	// answered, with its scheme.
	url, respURL string
	status       string
	code         int
	header       http.Header
	redirects    []web.Hop
	truncated    bool
	// finalURL is the URL that produced the answer, after redirects.
	finalURL string

	// fetchErr is a transport failure (no response at all).
	fetchErr error
	// statusErr is the non-200 status as the Go command reports it.
	statusErr error

	strict *metaparse.Page
	// VCS are the non-mod entries in document order; Mods the mod entries.
	VCS, Mods []metaparse.Import
	// diffs are the tags a browser-like reader finds that the Go
	// command's reader does not use (only when tracing).
	diffs []metaparse.Difference
	// body is what was read of the page, when kept (ReadPage); read is
	// how many bytes that was.
	body []byte
	read int64
}

// ImportPath is the import path the page was asked for.
func (p *Page) ImportPath() string { return p.importPath }

// URL is the URL that answered, with its scheme, or the one asked for
// when nothing answered.
func (p *Page) URL() string { return p.displayURL() }

// Err is the failure that kept the page from being fetched at all (no
// response), or nil.
func (p *Page) Err() error { return p.fetchErr }

// Status is the final response's status line, such as "200 OK".
func (p *Page) Status() string { return p.status }

// StatusCode is the final response's status code.
func (p *Page) StatusCode() int { return p.code }

// Header is the final response's header.
func (p *Page) Header() http.Header { return p.header }

// Redirects are the redirects that led to the final response, in order.
func (p *Page) Redirects() []web.Hop { return p.redirects }

// Body is what was read of the page: kept only by ReadPage.
func (p *Page) Body() []byte { return p.body }

// Strict is the page as the Go command reads it: its tags, the tags it
// skips and why, its go-source tags.
func (p *Page) Strict() *metaparse.Page { return p.strict }

// Diffs are the go-import tags a browser's reading finds that the Go
// command's does not use, with why and how to fix each.
func (p *Page) Diffs() []metaparse.Difference { return p.diffs }

// WalksOn reports whether discovery, having asked for p in its walk up
// the shorter paths (ShorterPaths), asks the next one: p answered and
// carries no go-import tag the Go command reads.
func (p *Page) WalksOn() bool { return p.fetchErr == nil && p.tagCount() == 0 }

// TagCount is how many go-import tags of any kind the Go command reads
// from the page.
func (p *Page) TagCount() int { return p.tagCount() }

// displayURL is the URL that answered, or the one asked for when nothing
// answered.
func (p *Page) displayURL() string {
	switch {
	case p.respURL != "":
		return p.respURL
	case p.url == "":
		return ""
	}
	return "https:" + p.url
}

// tagCount is how many go-import tags of any kind the page carried.
func (p *Page) tagCount() int { return len(p.VCS) + len(p.Mods) }

// Cache folds concurrent requests for the same page into one and
// remembers answers for its lifetime; across runs, the on-disk cache does.
// The zero value remembers nothing across runs.
type Cache struct {
	mu    sync.Mutex
	calls map[string]*pageCall

	onDisk *metacache.Cache
}

// NewCache returns a Cache that also keeps pages, while their headers
// allow, in dir ("" for none).
func NewCache(dir string) *Cache {
	c := &Cache{}
	if dir != "" {
		c.onDisk = metacache.New(dir)
	}
	return c
}

type pageCall struct {
	done chan struct{}
	p    *Page
}

// get returns the page for u, fetching it through r unless another
// resolver sharing the cache already did or is doing so.
func (pc *Cache) get(ctx context.Context, r *Resolver, u *url.URL, sec web.SecurityMode) *Page {
	key := u.String()
	if sec == web.Insecure {
		key = "insecure " + key
	}
	pc.mu.Lock()
	if pc.calls == nil {
		pc.calls = map[string]*pageCall{}
	}
	if call, ok := pc.calls[key]; ok {
		pc.mu.Unlock()
		select {
		case <-call.done:
		case <-ctx.Done():
			return &Page{importPath: importPathOf(u), url: u.String(), fetchErr: ctx.Err()}
		}
		r.note("reusing the answer for %s fetched earlier in this run", call.p.displayURL())
		return call.p
	}
	call := &pageCall{done: make(chan struct{})}
	pc.calls[key] = call
	pc.mu.Unlock()

	call.p = r.fetchPage(ctx, u, sec)
	if errors.Is(call.p.fetchErr, context.Canceled) || errors.Is(call.p.fetchErr, context.DeadlineExceeded) {
		// A cancelled request says nothing about the server: forget it.
		pc.mu.Lock()
		delete(pc.calls, key)
		pc.mu.Unlock()
	}
	close(call.done)
	return call.p
}

// lenientWindow is how far past the Go command's stopping point the trace
// reads a page, looking for tags a browser would find there (in <body>,
// say). It is small so a multi-megabyte page costs what the Go command
// pays, plus this much.
const lenientWindow = 64 << 10

// fetchPage requests and reads one page, or takes it from the on-disk
// cache while the server's Cache-Control says it is fresh. Like the Go
// command, it reads no further than the end of <head> (plus the XML
// reader's buffer); when tracing or caching, at most lenientWindow bytes
// more, so that a cached page serves a traced run as well.
func (r *Resolver) fetchPage(ctx context.Context, u *url.URL, sec web.SecurityMode) *Page {
	traced := r.Explain
	disk := r.Cache.onDisk
	// Answers are keyed by the trust they were got under (see
	// metacache.Key): --connect-to rules and extra CAs change it.
	key := metacache.Key(u.String(), metacache.Trust{Insecure: sec == web.Insecure, Extra: r.Web.TrustKey()})
	if disk != nil && !r.Refresh {
		if e, fresh, ok := disk.Load(key); ok {
			r.note("cached answer for %s (fresh for %ds)", e.URL, int(fresh.Round(time.Second)/time.Second))
			return pageFromEntry(u, e, traced)
		}
	}
	window := int64(0)
	if traced || disk != nil {
		window = lenientWindow
	}
	p := readPage(ctx, r.Web, u, sec, window, traced)
	if p.fetchErr != nil {
		return p
	}
	if traced {
		r.note("read %d bytes of %s; the Go command stops reading at %s (line %d), the trace reads at most %d KiB further",
			p.read, p.respURL, p.strict.Stop, p.strict.Line, lenientWindow>>10)
	}
	if disk != nil {
		r.keep(disk, key, p, p.code, p.body)
	}
	p.body = nil // kept for the disk only
	return p
}

// ReadPage asks w for the ?go-get=1 page of importPath, in security mode
// sec, and reads it as discovery does: with the Go command's rules, and as
// a browser would, up to window bytes past where the Go command stops
// (Diffs). It keeps what it read (Body). It uses no cache: it is for a
// caller that examines the page beyond what resolution needs (doctor).
func ReadPage(ctx context.Context, w *web.Client, importPath string, sec web.SecurityMode, window int64) *Page {
	u, err := URLForImportPath(importPath)
	if err != nil {
		return &Page{importPath: importPath, fetchErr: err}
	}
	return readPage(ctx, w, u, sec, window, true)
}

// readPage is the one reader of a page: the request, the exchange, and
// the body read by parse. With a window, the bytes read are kept in
// p.body.
func readPage(ctx context.Context, w *web.Client, u *url.URL, sec web.SecurityMode, window int64, explain bool) *Page {
	p := &Page{importPath: importPathOf(u), url: u.String()}
	resp, err := w.Get(ctx, u, sec)
	if err != nil {
		p.fetchErr = err
		return p
	}
	defer resp.Body.Close()
	p.respURL, p.status, p.code, p.header, p.redirects = resp.URL, resp.Status, resp.StatusCode, resp.Header, resp.Redirects
	p.finalURL = resp.FinalURL

	body := &countingReader{r: resp.Body}
	var seen *bytes.Buffer
	if window > 0 {
		seen = new(bytes.Buffer)
	}
	p.parse(body, seen, window, explain)
	p.read = body.n
	if seen != nil {
		p.body = seen.Bytes()
	}
	p.statusErr = resp.Err()
	p.truncated = resp.Truncated()
	return p
}

// importPathOf is the import path a discovery URL was built for.
func importPathOf(u *url.URL) string {
	if p := strings.TrimPrefix(u.Path, "/"); p != "" {
		return u.Host + "/" + p
	}
	return u.Host
}

// parse reads the page from body with the Go command's rules. When seen
// is set, it keeps the bytes read, plus window more; when explain is set,
// it also reads those leniently, as a browser would.
func (p *Page) parse(body io.Reader, seen *bytes.Buffer, window int64, explain bool) {
	src := body
	if seen != nil {
		src = io.TeeReader(body, seen)
	}
	p.strict = metaparse.Parse(src, metaparse.IgnoreMod)
	p.VCS = p.strict.Imports
	for _, s := range p.strict.Skipped {
		if s.Reason == metaparse.SkipModIgnored {
			p.Mods = append(p.Mods, s.Import)
		}
	}
	if seen == nil {
		return
	}
	// Both readers must see the same bytes from the start for Explain to
	// pair their tags; the lenient one just sees more.
	_, _ = io.CopyN(seen, body, window)
	if explain {
		if lenient, err := metaparse.ParseLenient(bytes.NewReader(seen.Bytes())); err == nil {
			p.diffs = metaparse.Explain(p.strict, lenient)
		}
	}
}

// keep stores the page on disk when its headers allow, and says so.
func (r *Resolver) keep(disk *metacache.Cache, key string, p *Page, code int, body []byte) {
	e := metacache.Entry{
		URL: p.respURL, Status: p.status, StatusCode: code, Header: p.header,
		Body: body, Truncated: p.truncated,
	}
	for _, h := range p.redirects {
		e.Redirects = append(e.Redirects, metacache.Hop(h))
	}
	var he *web.HTTPError
	if errors.As(p.statusErr, &he) {
		e.Detail = he.Detail
	}
	fresh, why, err := disk.Store(key, e)
	switch {
	case err != nil:
		r.note("not caching %s: %v", p.respURL, err)
	case fresh <= 0:
		r.note("not caching %s: %s", p.respURL, why)
	default:
		r.note("cached %s in %s for %ds, as its Cache-Control or Expires allows", p.respURL, disk.Dir(), int(fresh.Round(time.Second)/time.Second))
	}
}

// pageFromEntry rebuilds the page a stored answer came from: the same
// bytes read by the same rules give the same tags and errors.
func pageFromEntry(u *url.URL, e *metacache.Entry, traced bool) *Page {
	p := &Page{importPath: importPathOf(u), url: u.String(), respURL: e.URL, status: e.Status, code: e.StatusCode, header: e.Header, truncated: e.Truncated}
	for _, h := range e.Redirects {
		p.redirects = append(p.redirects, web.Hop(h))
	}
	var seen *bytes.Buffer
	if traced {
		seen = new(bytes.Buffer)
	}
	p.parse(bytes.NewReader(e.Body), seen, lenientWindow, traced)
	if e.StatusCode != http.StatusOK {
		p.statusErr = &web.HTTPError{URL: e.URL, Status: e.Status, StatusCode: e.StatusCode, Detail: e.Detail}
	}
	return p
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}
