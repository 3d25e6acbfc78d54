package discovery

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gofetch/fetch/internal/metacache"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/metaparse"
)

// Page is one ?go-get=1 page as discovery uses it: fetched once per
// Cache, read with the Go command's rules, and (when explaining) also read
// leniently so the trace can say what a browser would have found. Only
// VCS and Mods are exported: they are what Match chooses among.
type Page struct {
	// url is the URL as the Go command prints it in some messages,
	// without a scheme (//host/path?go-get=1); respURL is the URL that
	// answered, with its scheme.
	url, respURL string
	status       string
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
}

// displayURL is the URL that answered, or the one asked for when nothing
// answered.
func (p *Page) displayURL() string {
	if p.respURL != "" {
		return p.respURL
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
			return &Page{url: u.String(), fetchErr: ctx.Err()}
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
	p := &Page{url: u.String()}
	resp, err := r.Web.Get(ctx, u, sec)
	if err != nil {
		p.fetchErr = err
		return p
	}
	defer resp.Body.Close()
	p.respURL, p.status, p.header, p.redirects = resp.URL, resp.Status, resp.Header, resp.Redirects
	p.finalURL = resp.FinalURL

	body := &countingReader{r: resp.Body}
	var seen *bytes.Buffer
	if traced || disk != nil {
		seen = new(bytes.Buffer)
	}
	p.parse(body, seen, traced)
	if traced {
		r.note("read %d bytes of %s; the Go command stops reading at %s (line %d), the trace reads at most %d KiB further",
			body.n, p.respURL, p.strict.Stop, p.strict.Line, lenientWindow>>10)
	}
	p.statusErr = resp.Err()
	p.truncated = resp.Truncated()
	if disk != nil {
		r.keep(disk, key, p, resp.StatusCode, seen.Bytes())
	}
	return p
}

// parse reads the page from body with the Go command's rules. When seen
// is set, it keeps the bytes read, plus lenientWindow more; when explain
// is set, it also reads those leniently for the trace.
func (p *Page) parse(body io.Reader, seen *bytes.Buffer, explain bool) {
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
	_, _ = io.CopyN(seen, body, lenientWindow)
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
	p := &Page{url: u.String(), respURL: e.URL, status: e.Status, header: e.Header, truncated: e.Truncated}
	for _, h := range e.Redirects {
		p.redirects = append(p.redirects, web.Hop(h))
	}
	var seen *bytes.Buffer
	if traced {
		seen = new(bytes.Buffer)
	}
	p.parse(bytes.NewReader(e.Body), seen, traced)
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
