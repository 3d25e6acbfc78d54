package web

import (
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/trace"
)

// getter is the state of one Get: it counts requests and records the
// redirect hops of the current attempt.
type getter struct {
	c        *Client
	security SecurityMode
	start    time.Time
	requests int
	hops     []Hop
}

func (g *getter) get(ctx context.Context, u *url.URL) (*Response, error) {
	if u == nil {
		return nil, fmt.Errorf("no URL to fetch")
	}
	switch u.Scheme {
	case "", "https":
		secure := *u
		secure.Scheme = "https"
		resp, err := g.attempt(ctx, &secure)
		if err == nil {
			return resp, nil
		}
		// Only a missing answer justifies plain http: an https response
		// of any status is the server's answer.
		if g.security != Insecure || u.Scheme == "https" || ctx.Err() != nil {
			return nil, err
		}
	case "http":
		if g.security != Insecure {
			return nil, g.fail(u, fmt.Errorf("insecure URL: %s", redact.URL(u)))
		}
	default:
		return nil, g.fail(u, fmt.Errorf("unsupported scheme: %s", redact.URL(u)))
	}
	plain := *u
	plain.Scheme = "http"
	// The Go command lets Insecure mode send URL credentials over http;
	// fetch never does, so the refusal applies in both modes.
	if plain.User != nil {
		return nil, g.fail(&plain, fmt.Errorf("refusing to pass credentials to insecure URL: %s", redact.URL(&plain)))
	}
	return g.attempt(ctx, &plain)
}

// fail reports a failed attempt at u and returns err.
func (g *getter) fail(u *url.URL, err error) error {
	g.c.trace.Emit(trace.Event{Kind: trace.Failure, URL: redact.URL(u), Err: err.Error()})
	return err
}

// attempt fetches u over its scheme. Like the Go command since 1.24, a 4xx
// answer to https is asked once more, with credentials, because the first
// answer may have been the server asking for them.
func (g *getter) attempt(ctx context.Context, u *url.URL) (*Response, error) {
	g.hops = nil
	res, body, err := g.do(ctx, u)
	if err == nil && u.Scheme == "https" && res.StatusCode >= 400 && res.StatusCode < 500 {
		msg := "retrying once after " + res.Status + ", as the Go command does" + g.c.reauthorize(ctx, u, res)
		g.c.trace.Emit(trace.Event{
			Kind: trace.Note, URL: redact.URL(u), Status: res.StatusCode, StatusText: res.Status, Message: msg,
		})
		body.Close()
		g.hops = nil
		res, body, err = g.do(ctx, u)
	}
	if err != nil {
		return nil, g.fail(u, err)
	}
	g.c.trace.Emit(trace.Event{
		Kind: trace.Response, URL: redact.URL(u), Status: res.StatusCode, StatusText: res.Status,
		Duration: time.Since(g.start),
	})
	r := &Response{
		URL:        redact.URL(u),
		FinalURL:   redact.URL(res.Request.URL),
		Status:     res.Status,
		StatusCode: res.StatusCode,
		Header:     res.Header,
		Body:       body,
		Redirects:  g.hops,
		Requests:   g.requests,
		bounded:    body,
		detail:     body.detail,
	}
	return r, nil
}

// do sends one request for u (following redirects) and wraps the body.
func (g *getter) do(ctx context.Context, u *url.URL) (*http.Response, *boundedBody, error) {
	reqCtx, cancel := context.WithCancelCause(withTrace(ctx, g.c.trace))
	req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, u.String(), nil)
	if err != nil {
		cancel(nil)
		return nil, nil, redact.Error(err)
	}
	req.Header.Set("User-Agent", g.c.userAgent)
	// As in the Go command, only https in Insecure mode skips
	// verification: an http page redirected to https is still verified.
	rt := g.c.secure
	if g.security == Insecure && u.Scheme == "https" {
		rt = g.c.insecure
	}
	client := &http.Client{
		Transport:     countingTransport{next: authorizing{next: rt, c: g.c}, g: g},
		CheckRedirect: g.checkRedirect,
	}
	res, err := client.Do(req)
	if err != nil {
		cancel(nil)
		return nil, nil, redact.Error(err)
	}
	stop := func() { cancel(nil) }
	if g.c.bodyTimeout > 0 {
		timer := time.AfterFunc(g.c.bodyTimeout, func() { cancel(ErrBodyTimeout) })
		stop = func() { timer.Stop(); cancel(nil) }
	}
	body := &boundedBody{
		rc:        res.Body,
		limited:   g.c.maxPageBytes > 0,
		remaining: g.c.maxPageBytes,
		ctx:       reqCtx,
		url:       redact.URL(u),
		timeout:   g.c.bodyTimeout,
		stop:      stop,
	}
	if collectsDetail(res.StatusCode, res.Header.Get("Content-Type")) {
		body.detail = &detailBuffer{}
	}
	return res, body, nil
}

// checkRedirect records and reports each hop, then applies the Go
// command's policy: a request that started over https never continues
// over anything else unless Insecure, and at most 10 redirects.
func (g *getter) checkRedirect(req *http.Request, via []*http.Request) error {
	hop := Hop{URL: redact.URL(via[len(via)-1].URL), Location: redact.URL(req.URL)}
	if req.Response != nil {
		hop.StatusCode, hop.Status = req.Response.StatusCode, req.Response.Status
	}
	g.hops = append(g.hops, hop)
	g.c.trace.Emit(trace.Event{
		Kind: trace.Redirect, URL: hop.URL, Status: hop.StatusCode, StatusText: hop.Status, Location: hop.Location,
	})
	if g.security != Insecure && via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return &InsecureRedirectError{From: hop.URL, To: hop.Location}
	}
	if len(via) >= 10 {
		return fmt.Errorf("stopped after 10 redirects")
	}
	return nil
}

// countingTransport reports and counts every request actually sent,
// including redirect hops.
type countingTransport struct {
	next http.RoundTripper
	g    *getter
}

func (t countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.g.requests++
	t.g.c.trace.Emit(trace.Event{Kind: trace.Request, URL: redact.URL(req.URL)})
	return t.next.RoundTrip(req)
}

// parseContentType returns the media type and lower-case charset of a
// Content-Type header.
func parseContentType(ct string) (mediaType, charset string) {
	mediaType, params, _ := mime.ParseMediaType(ct)
	return mediaType, strings.ToLower(params["charset"])
}
