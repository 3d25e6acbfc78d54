package fetch

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/download"
	"github.com/gofetch/fetch/metaparse"
)

// This file holds two ways a download's input is read beyond go-getter's
// grammar: a pasted web page of an import path (WebPageError) and a
// single file written at -o FILE itself (fileMode).

// ErrWebPage is matched (with errors.Is) by the error for an http(s) URL
// that answered with the HTML page of a Go import path: a *WebPageError.
var ErrWebPage = errors.New("the web page of an import path")

// WebPageError is the error for a URL such as https://example.org/pkg
// that is the web page of the import path example.org/pkg: its answer is
// text/html and carries a go-import tag (read as the Go command reads it)
// whose prefix matches the import path the URL spells. Such a URL is what
// a person copies from a browser's address bar; saving the page as a file
// would put HTML where the repository belongs, and the right command,
// fetch example.org/pkg, would then find its destination taken. Fetching
// the import path instead would silently turn a download into a checkout,
// so fetch says what to run and writes nothing.
//
// The same holds without a tag for a repository's own page on a hosting
// site whose import paths the Go command knows without asking
// (https://github.com/o/r, https://bitbucket.org/o/r): the URL is then
// exactly the repository root; a deeper page (.../blob/main/x.go) is not
// an import path of anything and downloads as before.
//
// The check is skipped, and the page downloaded as asked, when the user
// said it is a download: a forced getter (http::https://example.org/pkg),
// a //subdir, or a checksum, archive or filename option. A page that is
// not text/html, or that carries no matching tag, downloads as before.
type WebPageError struct {
	// URL is the source, credentials redacted.
	URL string
	// ImportPath is the import path whose page URL is.
	ImportPath string

	// secret reports that URL had credentials, so that it is not
	// suggested with REDACTED in it.
	secret bool
}

// Error says what the URL is and what to run.
func (e *WebPageError) Error() string {
	msg := fmt.Sprintf("this is the web page of import path %s; run: fetch %s", e.ImportPath, e.ImportPath)
	if !e.secret {
		msg += fmt.Sprintf(" (to save the page itself: fetch http::%s)", e.URL)
	}
	return msg
}

// Is reports whether target is ErrWebPage.
func (e *WebPageError) Is(target error) bool { return target == ErrWebPage }

// answerType keeps the Content-Type of the last GET response a download
// received: after redirects, the answer whose body was saved.
type answerType struct {
	mu sync.Mutex
	ct string
}

func (a *answerType) get() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ct
}

// recording returns next, noting the Content-Type of every GET answer.
func (a *answerType) recording(next http.RoundTripper) http.RoundTripper {
	return answerTripper(func(req *http.Request) (*http.Response, error) {
		res, err := next.RoundTrip(req)
		if err == nil && req.Method == http.MethodGet {
			a.mu.Lock()
			a.ct = res.Header.Get("Content-Type")
			a.mu.Unlock()
		}
		return res, err
	})
}

type answerTripper func(*http.Request) (*http.Response, error)

func (f answerTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// maxPageRead bounds what checkWebPage reads of a downloaded page, as
// discovery does (the Go command's reader stops at <body> anyway).
const maxPageRead = 10 << 20

// checkWebPage returns a *WebPageError when the file just downloaded into
// dir is the web page of the import path src's URL spells (see
// WebPageError for when it is asked).
func checkWebPage(src *detect.Source, contentType string, out *download.Result, dir string) error {
	forced, _ := detect.ForcedGetter(src.URL)
	switch {
	case forced != "", src.Getter != "http" && src.Getter != "https",
		src.Subdir != "", out.File == "", out.Archive != "",
		src.Options.Has("checksum"), src.Options.Has("archive"), src.Options.Has("filename"):
		return nil
	}
	if mt, _, err := mime.ParseMediaType(contentType); err != nil || mt != "text/html" {
		return nil
	}
	u, err := url.Parse(src.URL)
	if err != nil {
		return nil
	}
	importPath := strings.ToLower(u.Host) + strings.TrimSuffix(u.Path, "/")
	if detect.CheckImportPath(importPath) != nil {
		return nil // a port, say: no import path to suggest
	}
	shown := detect.Redact(src.URL)
	page := &WebPageError{URL: shown, ImportPath: importPath, secret: shown != src.URL}
	if rr, err := detect.Static(importPath); err == nil && !rr.NeedsScheme && rr.Root == importPath {
		// A repository's own page on a hosting site the Go command
		// knows (https://github.com/o/r): no tag there, and none needed.
		return page
	}
	f, err := os.Open(filepath.Join(dir, out.File))
	if err != nil {
		return nil
	}
	defer f.Close()
	tags := metaparse.Parse(io.LimitReader(f, maxPageRead), metaparse.PreferMod)
	_, err = metaparse.Match(tags.Imports, importPath)
	var multi *metaparse.MultipleMatchError
	if err != nil && !errors.As(err, &multi) {
		return nil
	}
	return page
}

// fileMode reports whether a download is written at the -o destination
// itself rather than into a directory of that name (go-getter's file
// mode, curl's -o FILE): when -o was given without a trailing separator,
// the download is one file placed as it is (not an archive, which is
// extracted into a directory, nor a //subdir of one), and no ?filename=
// names the file inside a directory. "-o DIR/" keeps the directory.
func fileMode(dest string, src *detect.Source, out *download.Result) bool {
	return dest != "" && !dirAsked(dest) &&
		out.File != "" && out.Archive == "" && out.Subdir == "" && !src.Options.Has("filename")
}

// dirAsked reports whether -o dest ends in a separator, which asks for a
// directory whatever is downloaded.
func dirAsked(dest string) bool {
	return strings.HasSuffix(dest, "/") || strings.HasSuffix(dest, string(filepath.Separator))
}

// fileInPlaceOfDir turns the staging directory tmp, which holds only the
// downloaded file name, into that file: Stage then renames the file into
// place as it would the directory, never over anything. The move goes
// through a name beside tmp, inside Stage's private temporary, which is
// removed whatever happens.
func fileInPlaceOfDir(tmp, name string) error {
	aside := tmp + ".file"
	if err := os.Rename(filepath.Join(tmp, name), aside); err != nil {
		return fmt.Errorf("placing the downloaded file: %w", err)
	}
	if err := os.Remove(tmp); err != nil {
		return fmt.Errorf("placing the downloaded file: %w", err)
	}
	if err := os.Rename(aside, tmp); err != nil {
		return fmt.Errorf("placing the downloaded file: %w", err)
	}
	return nil
}

// plainGetter drops a forced getter that names what the URL's scheme
// selects anyway (file::file:///x, https::https://h/x, http::https://h/x),
// so that one download written two ways (file::./dir and ./dir) is
// recognized as the same by its record.
func plainGetter(u string) string {
	forced, rest := detect.ForcedGetter(u)
	scheme, _, ok := strings.Cut(rest, "://")
	if forced == "" || !ok {
		return u
	}
	if forced == scheme || (forced == "http" && scheme == "https") {
		return rest
	}
	return u
}
