package fetch

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"sync"

	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/metaparse"
)

// page is one ?go-get=1 page as discovery uses it: fetched once per
// Client, read with the Go command's rules, and (when tracing) also read
// leniently so the trace can say what a browser would have found.
type page struct {
	// url is the URL as the Go command prints it in some messages,
	// without a scheme (//host/path?go-get=1); respURL is the URL that
	// answered, with its scheme.
	url, respURL string
	status       string
	header       http.Header
	redirects    []web.Hop
	truncated    bool

	// fetchErr is a transport failure (no response at all).
	fetchErr error
	// statusErr is the non-200 status as the Go command reports it.
	statusErr error

	strict *metaparse.Page
	// vcs are the non-mod entries in document order; mods the mod entries.
	vcs, mods []metaparse.Import
	// diffs are the tags a browser-like reader finds that the Go
	// command's reader does not use (only when tracing).
	diffs []metaparse.Difference
}

// tagCount is how many go-import tags of any kind the page carried.
func (p *page) tagCount() int { return len(p.vcs) + len(p.mods) }

// pageCache folds concurrent requests for the same page into one and
// remembers answers for the Client's lifetime.
type pageCache struct {
	mu    sync.Mutex
	calls map[string]*pageCall
}

type pageCall struct {
	done chan struct{}
	p    *page
}

// get returns the page for u, fetching it through j unless another job
// already did or is doing so.
func (pc *pageCache) get(ctx context.Context, j *job, u *url.URL, sec web.SecurityMode) *page {
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
			return &page{url: u.String(), fetchErr: ctx.Err()}
		}
		j.note("reusing the answer for https:%s fetched earlier in this run", u.String())
		return call.p
	}
	call := &pageCall{done: make(chan struct{})}
	pc.calls[key] = call
	pc.mu.Unlock()

	call.p = j.fetchPage(ctx, u, sec)
	if errors.Is(call.p.fetchErr, context.Canceled) || errors.Is(call.p.fetchErr, context.DeadlineExceeded) {
		// A cancelled request says nothing about the server: forget it.
		pc.mu.Lock()
		delete(pc.calls, key)
		pc.mu.Unlock()
	}
	close(call.done)
	return call.p
}

// fetchPage requests and reads one page.
func (j *job) fetchPage(ctx context.Context, u *url.URL, sec web.SecurityMode) *page {
	p := &page{url: u.String()}
	resp, err := j.web.Get(ctx, u, sec)
	if err != nil {
		p.fetchErr = err
		return p
	}
	defer resp.Body.Close()
	p.respURL, p.status, p.header, p.redirects = resp.URL, resp.Status, resp.Header, resp.Redirects

	traced := j.c.opts.Trace != nil
	var body io.Reader = resp.Body
	var raw []byte
	if traced {
		// The trace compares the Go command's reading with a browser's,
		// which needs the whole (bounded) page; without a trace, reading
		// stops where the Go command's does.
		raw, _ = io.ReadAll(resp.Body)
		body = bytes.NewReader(raw)
	}
	p.strict = metaparse.Parse(body, metaparse.IgnoreMod)
	p.vcs = p.strict.Imports
	for _, s := range p.strict.Skipped {
		if s.Reason == metaparse.SkipModIgnored {
			p.mods = append(p.mods, s.Import)
		}
	}
	if traced {
		if lenient, err := metaparse.ParseLenient(bytes.NewReader(raw)); err == nil {
			p.diffs = metaparse.Explain(p.strict, lenient)
		}
	}
	p.statusErr = resp.Err()
	p.truncated = resp.Truncated()
	return p
}
