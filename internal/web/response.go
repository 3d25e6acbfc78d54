package web

import (
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Response is the answer to Get. A status other than 200 is not an error:
// servers put go-import tags in 404 pages, so the body is always there.
type Response struct {
	// URL is the URL requested, with the scheme that answered
	// (https://host/path?go-get=1), redacted: the URL the Go command
	// names in its messages.
	URL string
	// FinalURL is the URL that produced the response after redirects,
	// redacted.
	FinalURL string
	// Status is the status line text ("404 Not Found"); StatusCode its code.
	Status     string
	StatusCode int
	Header     http.Header
	// Body is bounded by Options.MaxPageBytes and by the body timeout.
	// The caller closes it.
	Body io.ReadCloser
	// Redirects lists the redirect hops that led to the response, in order.
	Redirects []Hop
	// Requests counts the HTTP requests Get sent, including redirect hops,
	// the credential retry and a failed https attempt before http.
	Requests int

	bounded *boundedBody
	detail  *detailBuffer // non-nil when the error detail is collected
}

// Hop is one redirect: URL answered Status and sent the client to Location.
// All strings are redacted.
type Hop struct {
	URL        string
	StatusCode int
	Status     string
	Location   string
}

// Truncated reports whether the body was cut at Options.MaxPageBytes. It
// is known once the body has been read to its end.
func (r *Response) Truncated() bool {
	return r.bounded != nil && r.bounded.truncated
}

// Err returns nil for a 200 response and an *HTTPError otherwise. For a
// text/plain error page it reads the rest of Body to quote the server's
// message, so call it after the body has been parsed, as the Go command
// does.
func (r *Response) Err() error {
	if r.StatusCode == http.StatusOK || r.StatusCode == 0 {
		return nil
	}
	e := &HTTPError{URL: r.URL, Status: r.Status, StatusCode: r.StatusCode}
	if r.detail != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		e.Detail = formatDetail(r.detail.String())
	}
	return e
}

// HTTPError is a non-200 response as an error.
type HTTPError struct {
	URL        string // redacted
	Status     string
	StatusCode int
	// Detail is the start of a text/plain error page: at most
	// maxDetailLines lines and about maxDetailBytes bytes, lines joined by
	// "\n\t".
	Detail string
}

const (
	maxDetailLines = 8
	maxDetailBytes = maxDetailLines * 81
)

// Error returns the Go command's text: "reading URL: 404 Not Found", then
// the server's message on the same line when it is one line and below it,
// tab-indented, when it is several.
func (e *HTTPError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("reading %s: %s", e.URL, e.Status)
	}
	sep := " "
	if strings.Contains(e.Detail, "\n") {
		sep = "\n\t"
	}
	return fmt.Sprintf("reading %s: %s\n\tserver response:%s%s", e.URL, e.Status, sep, e.Detail)
}

// Is makes a 404 or 410 match fs.ErrNotExist.
func (e *HTTPError) Is(target error) bool {
	return target == fs.ErrNotExist && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone)
}

// collectsDetail reports whether the Go command would quote an error page
// with this Content-Type: plain text in UTF-8 or a subset of it.
func collectsDetail(status int, contentType string) bool {
	if status == http.StatusOK {
		return false
	}
	mediaType, charset := parseContentType(contentType)
	if mediaType != "text/plain" {
		return false
	}
	switch charset {
	case "us-ascii", "utf-8", "":
		return true
	}
	return false
}

// formatDetail turns the start of an error page into the indented summary
// the Go command prints: up to the first blank line, at most
// maxDetailLines lines and maxDetailBytes bytes, with a marker where it
// cut. A page that is not valid UTF-8 or holds control characters is not
// quoted, so a server cannot play tricks on the user's terminal.
func formatDetail(s string) string {
	if !utf8.ValidString(s) {
		return ""
	}
	for _, r := range s {
		if !unicode.IsGraphic(r) && !unicode.IsSpace(r) {
			return ""
		}
	}
	var b strings.Builder
	for i, line := range strings.Split(s, "\n") {
		if strings.TrimSpace(line) == "" {
			break
		}
		if i > 0 {
			b.WriteString("\n\t")
		}
		if i >= maxDetailLines {
			b.WriteString("[Truncated: too many lines.]")
			break
		}
		if b.Len()+len(line) > maxDetailBytes {
			b.WriteString("[Truncated: too long.]")
			break
		}
		b.WriteString(line)
	}
	return b.String()
}
