package gogetter

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	getter "github.com/hashicorp/go-getter"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/fetch"
)

// DefaultTimeout bounds one resolution when fetch.Options.SourceTimeout is
// zero: go-getter gives a Detector no context to end it with.
const DefaultTimeout = 30 * time.Second

// getterFor maps a repository's version control system to the go-getter
// getter that fetches it and the query key that getter reads a ref from.
// A system missing here is an UnsupportedVCSError.
var getterFor = map[string]struct{ name, refKey string }{
	"git": {"git", "ref"},
	"hg":  {"hg", "rev"},
}

// Detector is a go-getter Detector for Go import paths. It is safe for
// concurrent use and remembers discovery answers for its lifetime.
type Detector struct {
	client *fetch.Client

	mu    sync.Mutex
	repos map[string]string // repository URL (no query) -> VCS, for Getter
}

// NewDetector returns a Detector resolving with a fetch.Client made from
// opts: its Transport, CACertFile and ConnectTo reach the servers, Getenv
// supplies GOPRIVATE, GOINSECURE and GOVCS, Trace sees every request, and
// SourceTimeout bounds each resolution (DefaultTimeout when zero). Nothing
// is written under opts.Root; when it is empty the temporary directory
// stands in for it. NewDetector fails on options fetch.New refuses.
func NewDetector(opts fetch.Options) (*Detector, error) {
	if opts.Root == "" {
		opts.Root = os.TempDir()
	}
	if opts.SourceTimeout <= 0 {
		opts.SourceTimeout = DefaultTimeout
	}
	c, err := fetch.New(opts)
	if err != nil {
		return nil, err
	}
	return &Detector{client: c, repos: make(map[string]string)}, nil
}

// Insert returns a copy of ds with d placed just before the first
// *getter.FileDetector (at the end when there is none), so that go-getter's
// own shorthands (github.com, gitlab.com, bitbucket.org, S3, GCS, user@host:path)
// keep their meaning and a string that is neither those nor an import path
// still reaches the FileDetector, which accepts every string.
func (d *Detector) Insert(ds []getter.Detector) []getter.Detector {
	out := make([]getter.Detector, 0, len(ds)+1)
	placed := false
	for _, x := range ds {
		if _, isFile := x.(*getter.FileDetector); isFile && !placed {
			out = append(out, d)
			placed = true
		}
		out = append(out, x)
	}
	if !placed {
		out = append(out, d)
	}
	return out
}

// Detect implements getter.Detector. For a Go import path
// (PATH[@REF][?ref=REF]; go-getter has already cut any //subdir off) it
// returns git::REPO//SUBDIR?ref=REF or hg::REPO//SUBDIR?rev=REF, SUBDIR
// being the go-import subdirectory joined with the part of PATH below the
// repository root; other query options (depth, sshkey, ...) are kept. For
// anything that is not an import path (a local path, a URL, a name whose
// first element has no dot) it returns ("", false, nil), so go-getter's
// other detectors go on. A path that cannot be resolved is an error, as is
// one whose repository go-getter cannot fetch (*UnsupportedVCSError).
func (d *Detector) Detect(src, pwd string) (string, bool, error) {
	s, err := detect.Parse(src, pwd)
	if err != nil {
		if looksLikeImportPath(src) {
			return "", false, err // it names the source
		}
		return "", false, nil
	}
	if s.Kind != detect.KindImport {
		return "", false, nil
	}
	out, err := d.resolve(context.Background(), src, s)
	if err != nil {
		return "", false, err
	}
	return out, true, nil
}

// looksLikeImportPath says that src was meant as an import path although
// it does not parse as one: it has no scheme, forced getter or user@host:,
// is no local path, and its first element has a dot.
func looksLikeImportPath(src string) bool {
	if strings.ContainsAny(src, ":\\") || strings.HasPrefix(src, ".") || strings.HasPrefix(src, "/") || strings.HasPrefix(src, "~") {
		return false
	}
	host, _, _ := strings.Cut(src, "/")
	return strings.Contains(host, ".")
}

// resolve turns the import path source s (read from src) into a go-getter
// URL and remembers which VCS its repository speaks.
func (d *Detector) resolve(ctx context.Context, src string, s *detect.Source) (string, error) {
	if s.LookupPath != s.ImportPath {
		return "", fmt.Errorf("import path %q is a package pattern; name one package or the repository root", s.ImportPath)
	}
	r := d.client.Resolve(ctx, []string{src}, fetch.SourceOptions{})[0]
	if r.Err != nil {
		return "", r.Err
	}
	g, ok := getterFor[r.VCS]
	if !ok {
		return "", &UnsupportedVCSError{ImportPath: r.ImportPath, Root: r.Root, VCS: r.VCS, Repo: r.Repo}
	}
	u, err := url.Parse(r.Repo)
	if err != nil {
		return "", fmt.Errorf("import path %q: repository URL %q: %w", r.ImportPath, r.Repo, err)
	}
	d.remember(u, r.VCS)
	q := url.Values{}
	for k, v := range s.Options {
		if k != "ref" && k != "rev" {
			q[k] = v
		}
	}
	if r.Ref != "" {
		q.Set(g.refKey, r.Ref)
	}
	u.RawQuery = q.Encode()
	rest := strings.TrimPrefix(strings.TrimPrefix(r.ImportPath, strings.TrimSuffix(r.Root, "/")), "/")
	if sub := path.Join(r.RepoSubdir, rest); sub != "" && sub != "." {
		u.Path = strings.TrimSuffix(u.Path, "/") + "//" + sub
		u.RawPath = ""
	}
	return g.name + "::" + u.String(), nil
}

// repoKey is a repository URL without query or fragment, the form in
// which go-getter hands a Getter the URL a Detector returned.
func repoKey(u *url.URL) string {
	return strings.ToLower(u.Scheme) + "://" + strings.ToLower(u.Host) + u.Path
}

func (d *Detector) remember(u *url.URL, vcs string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.repos[repoKey(u)] = vcs
}

func (d *Detector) recall(u *url.URL) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	vcs, ok := d.repos[repoKey(u)]
	return vcs, ok
}

// UnsupportedVCSError reports an import path whose repository go-getter has
// no getter for: svn, bzr or fossil, or "mod" (a go-import entry served only
// by a module proxy).
type UnsupportedVCSError struct {
	// ImportPath is the path asked for and Root its repository root.
	ImportPath, Root string
	// VCS is the version control system (or "mod") the root names.
	VCS string
	// Repo is the repository (or module proxy) URL, credentials redacted.
	Repo string
}

// Error says what was found and what to do instead.
func (e *UnsupportedVCSError) Error() string {
	if e.VCS == "mod" {
		return fmt.Sprintf("import path %s: its root %s is served only by the module proxy %s, and go-getter cannot fetch modules; use the go command (go mod download) or the fetch command", e.ImportPath, e.Root, e.Repo)
	}
	return fmt.Sprintf("import path %s: its root %s is served by %s at %s, and go-getter has no %s getter; use the fetch command (fetch %s)", e.ImportPath, e.Root, e.VCS, e.Repo, e.VCS, e.ImportPath)
}
