package testbed

import (
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// serveVanity answers every host name from the WWW tree, as the package
// documentation describes under Pages.
func (b *Bed) serveVanity(w http.ResponseWriter, r *http.Request) {
	stem, err := pageStem(b.WWW, r.Host, r.URL.Path)
	if err != nil {
		http.Error(w, "testbed: "+err.Error(), http.StatusBadRequest)
		return
	}
	p, err := b.loadPage(stem)
	if err != nil {
		http.Error(w, "testbed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if p == nil {
		if repo, _, ok := splitGitPath(r.URL.Path); ok && b.gitRepoExists(repo) {
			b.serveGit(w, r)
			return
		}
		rel, _ := filepath.Rel(b.WWW, stem)
		http.Error(w, fmt.Sprintf("testbed: no page for %s%s (no www/%s.html)", r.Host, r.URL.Path, filepath.ToSlash(rel)), http.StatusNotFound)
		return
	}
	if len(p.logins) > 0 {
		user, pass, ok := r.BasicAuth()
		if want, known := p.logins[user]; !ok || !known || want != pass {
			w.Header().Set("WWW-Authenticate", `Basic realm="testbed"`)
			http.Error(w, "testbed: this page requires a login", http.StatusUnauthorized)
			return
		}
	}
	h := w.Header()
	if p.raw == "" {
		h.Set("Content-Type", "text/html; charset=utf-8")
	}
	for k, vs := range p.header {
		h[k] = vs
	}
	if p.location != "" {
		h.Set("Location", p.location)
	}
	if p.raw == "" {
		w.WriteHeader(p.status)
		w.Write(p.body)
		return
	}
	f, err := os.Open(p.raw)
	if err != nil {
		http.Error(w, "testbed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		http.Error(w, "testbed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if p.status == http.StatusOK {
		http.ServeContent(w, r, p.raw, st.ModTime(), f)
		return
	}
	w.WriteHeader(p.status)
	f.WriteTo(w)
}

// pageStem maps a request's host and path to its stem under www.
func pageStem(www, hostport, urlPath string) (string, error) {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "" || strings.ContainsAny(host, `/\`) || strings.HasPrefix(host, ".") {
		return "", fmt.Errorf("host %q cannot name a directory under www", hostport)
	}
	if !strings.HasPrefix(urlPath, "/") {
		return "", fmt.Errorf("path %q is not absolute", urlPath)
	}
	rel := path.Clean(urlPath)
	if strings.HasSuffix(urlPath, "/") {
		rel = path.Join(rel, "index")
	}
	return filepath.Join(www, host, filepath.FromSlash(rel)), nil
}

// page is one response, as the files next to a stem describe it.
type page struct {
	status   int
	location string
	header   http.Header
	body     []byte
	raw      string // file served as is when there is no .html body
	logins   map[string]string
}

// loadPage reads the files of stem; it returns nil when none exists.
func (b *Bed) loadPage(stem string) (*page, error) {
	p := &page{header: make(http.Header), logins: make(map[string]string)}
	found := false
	body, ok, err := readOptional(stem + ".html")
	if err != nil {
		return nil, err
	}
	if ok {
		found = true
		p.body = []byte(b.expand.Replace(string(body)))
	} else if st, err := os.Stat(stem); err == nil && st.Mode().IsRegular() {
		found = true
		p.raw = stem
	}
	status, ok, err := readOptional(stem + ".status")
	if err != nil {
		return nil, err
	}
	found = found || ok
	if ok {
		s := strings.TrimSpace(string(status))
		code, err := strconv.Atoi(s)
		if err != nil || code < 200 || code > 599 {
			return nil, fmt.Errorf("%s.status: %q is not a final HTTP status code (200-599)", stem, s)
		}
		p.status = code
	}
	loc, ok, err := readOptional(stem + ".location")
	if err != nil {
		return nil, err
	}
	found = found || ok
	if ok {
		p.location = b.expand.Replace(strings.TrimSpace(string(loc)))
		if p.location == "" || strings.ContainsAny(p.location, "\r\n") {
			return nil, fmt.Errorf("%s.location: want one non-empty line, got %q", stem, loc)
		}
		if p.status == 0 {
			p.status = http.StatusFound
		}
	}
	if p.status == 0 {
		p.status = http.StatusOK
	}
	headers, ok, err := readOptional(stem + ".headers")
	if err != nil {
		return nil, err
	}
	found = found || ok
	if ok {
		if err := parseHeaders(p.header, stem+".headers", b.expand.Replace(string(headers))); err != nil {
			return nil, err
		}
	}
	auth, ok, err := readOptional(stem + ".auth")
	if err != nil {
		return nil, err
	}
	found = found || ok
	for _, l := range lines(string(auth)) {
		user, pass, ok := strings.Cut(l.text, ":")
		if !ok || user == "" {
			// The line is not echoed: it may hold a password.
			return nil, fmt.Errorf("%s.auth:%d: line is not user:password", stem, l.n)
		}
		p.logins[user] = pass
	}
	if !found {
		return nil, nil
	}
	return p, nil
}

var headerName = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")

func parseHeaders(h http.Header, file, text string) error {
	for _, l := range lines(text) {
		k, v, ok := strings.Cut(l.text, ":")
		if !ok || !headerName.MatchString(k) {
			return fmt.Errorf("%s:%d: %q is not a \"Key: value\" header line", file, l.n, l.text)
		}
		h.Add(k, strings.TrimSpace(v))
	}
	return nil
}

// numbered is a line of a sidecar file with its line number, for messages.
type numbered struct {
	n    int
	text string
}

// lines returns the lines of text that are neither blank nor "#" comments.
func lines(text string) []numbered {
	var out []numbered
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, numbered{i + 1, line})
		}
	}
	return out
}

// readOptional reads name; a missing file (or a directory) is not an error.
func readOptional(name string) ([]byte, bool, error) {
	data, err := os.ReadFile(name)
	switch {
	case err == nil:
		return data, true, nil
	case errors.Is(err, fs.ErrNotExist), isDir(name):
		return nil, false, nil
	default:
		return nil, false, fmt.Errorf("reading %s: %w", name, err)
	}
}

func isDir(name string) bool {
	st, err := os.Stat(name)
	return err == nil && st.IsDir()
}

// WriteWWW writes content to name, a slash-separated path under WWW such as
// "example.org/pkg/foo.html" or "example.org/pkg/foo.status". The file
// appears whole (write and rename), so a concurrent request never sees half.
func (b *Bed) WriteWWW(name, content string) error {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return fmt.Errorf("testbed: page file %q must be a relative path inside www", name)
	}
	dst := filepath.Join(b.WWW, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o777); err != nil {
		return fmt.Errorf("testbed: writing page file %q: %w", name, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".tmp-*")
	if err != nil {
		return fmt.Errorf("testbed: writing page file %q: %w", name, err)
	}
	_, err = tmp.WriteString(content)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("testbed: writing page file %q: %w", name, err)
	}
	return nil
}
