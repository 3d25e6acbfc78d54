package discovery

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"path"
	"strings"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/pathprefix"
	"github.com/gofetch/fetch/internal/vcs/vcsinfo"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/metaparse"
	"github.com/gofetch/fetch/trace"
)

// errNoTags marks a discovery failure where the page carried no go-import
// tag at all, the one case in which a shorter prefix is asked next.
var errNoTags = errors.New("no go-import tags")

// noTagsError wraps err so errors.Is(err, errNoTags) holds while its text
// stays the Go command's.
type noTagsError struct{ err error }

func (e *noTagsError) Error() string        { return e.err.Error() }
func (e *noTagsError) Unwrap() []error      { return []error{e.err, errNoTags} }
func noTags(err error) error                { return &noTagsError{err} }
func (e *noTagsError) Is(target error) bool { return target == errNoTags }

// discover resolves importPath through go-import meta tags. When the page
// for the full path carries no tag at all, it asks each shorter prefix,
// longest first, as the Go command does in module mode; any other failure
// (a mismatch, a disagreement, several matches) ends the search, because
// it signals a broken or hostile server.
func (r *Resolver) discover(ctx context.Context, importPath string, sec web.SecurityMode) (*detect.RepoRoot, error) {
	rr, err := r.discoverAt(ctx, importPath, sec)
	if err == nil || !errors.Is(err, errNoTags) {
		return rr, err
	}
	for p := range ShorterPaths(importPath) {
		r.note("no go-import tag for %s; trying the shorter path %s", importPath, p)
		rr2, err2 := r.discoverAt(ctx, p, sec)
		if err2 == nil {
			return rr2, nil
		}
		if !errors.Is(err2, errNoTags) {
			return nil, err2
		}
	}
	return nil, err
}

// ShorterPaths yields the paths discovery asks, longest first, when the
// page of importPath carries no go-import tag at all (the Go command's
// walk in module mode): each leading path of importPath, down to the
// host. Discovery asks the next one only while each page it asked answered
// without any tag (Page.WalksOn); any other answer ends the walk, because
// it signals a broken or hostile server.
func ShorterPaths(importPath string) iter.Seq[string] {
	return func(yield func(string) bool) {
		for p := parentPath(importPath); p != ""; p = parentPath(p) {
			if !yield(p) {
				return
			}
		}
	}
}

// parentPath drops the last element of an import path ("" for a host).
func parentPath(p string) string {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// URLForImportPath is the discovery URL for an import path, without a
// scheme, as the Go command builds it.
func URLForImportPath(importPath string) (*url.URL, error) {
	host, path, _ := strings.Cut(importPath, "/")
	if !strings.Contains(host, ".") {
		return nil, errors.New("import path does not begin with hostname")
	}
	return &url.URL{Host: host, Path: "/" + path, RawQuery: "go-get=1"}, nil
}

// discoverAt is the Go command's repoRootForImportDynamic for one path,
// with fetch's tag preference (a VCS entry over a mod entry) and the Go
// command's error texts.
func (r *Resolver) discoverAt(ctx context.Context, importPath string, sec web.SecurityMode) (*detect.RepoRoot, error) {
	u, err := URLForImportPath(importPath)
	if err != nil {
		return nil, err
	}
	pg := r.Cache.get(ctx, r, u, sec)
	if pg.fetchErr != nil {
		r.hintInsecure(pg.fetchErr, importPath, sec)
		return nil, plainHTTPError(pg.fetchErr, importPath, sec)
	}
	mmi, matchErr := Match(pg, importPath)
	r.tracePage(pg, importPath, mmi, matchErr)
	if pg.tagCount() == 0 && pg.statusErr != nil {
		// The Go command prefers the status to an XML error.
		return nil, noTags(r.loginError(pg, pg.statusErr))
	}
	if err := pg.strict.Err; err != nil {
		err = fmt.Errorf("parsing %s: %v", importPath, err)
		if pg.tagCount() == 0 {
			err = noTags(noTagError(pg, importPath, err))
		}
		return nil, err
	}
	if matchErr != nil {
		var mm *metaparse.ImportMismatchError
		if !errors.As(matchErr, &mm) {
			return nil, fmt.Errorf("parse %s: %v", pg.url, matchErr)
		}
		err = noTagError(pg, importPath, fmt.Errorf("parse %s: no go-import meta tags (%v)", pg.respURL, matchErr))
		if pg.tagCount() == 0 {
			err = noTags(err)
		}
		return nil, err
	}
	if mmi.Prefix != importPath {
		if err := r.verify(ctx, pg, importPath, mmi, sec); err != nil {
			return nil, err
		}
	}
	if err := ValidateRepoSubDir(mmi.SubDir); err != nil {
		r.hint("the 4th field names a directory inside the repository, relative to its root")
		return nil, fmt.Errorf("%s: invalid subdirectory %q: %v", pg.respURL, mmi.SubDir, err)
	}
	if err := ValidateRepoRoot(mmi.RepoRoot); err != nil {
		r.hint("the 3rd field must be the repository's URL with a scheme other than file, such as https://code.example/repo")
		return nil, fmt.Errorf("%s: invalid repo root %q: %v", pg.respURL, detect.Redact(mmi.RepoRoot), err)
	}
	if !KnownVCS(mmi.VCS) {
		return nil, fmt.Errorf("%s: unknown vcs %q", pg.respURL, mmi.VCS)
	}
	if mmi.VCS != "mod" {
		if err := r.Env.CheckVCS(mmi.Prefix, mmi.VCS); err != nil {
			r.hintGOVCS(mmi.Prefix, mmi.VCS)
			return nil, err
		}
	}
	return &detect.RepoRoot{
		VCS:      mmi.VCS,
		Repo:     mmi.RepoRoot,
		Root:     mmi.Prefix,
		SubDir:   mmi.SubDir,
		IsCustom: true,
	}, nil
}

// verify checks a tag whose prefix is shorter than the import path against
// the prefix's own page, so uni.edu/bob/project cannot claim uni.edu.
func (r *Resolver) verify(ctx context.Context, pg *Page, importPath string, mmi metaparse.Import, sec web.SecurityMode) error {
	u2, err := URLForImportPath(mmi.Prefix)
	if err != nil {
		return err
	}
	r.Trace.Emit(trace.Event{Kind: trace.Verify, URL: "https:" + u2.String(),
		Reason: fmt.Sprintf("the tag's prefix %s is not the import path %s", mmi.Prefix, importPath)})
	pg2 := r.Cache.get(ctx, r, u2, sec)
	if pg2.fetchErr != nil {
		r.hintInsecure(pg2.fetchErr, mmi.Prefix, sec)
		inner := errors.Unwrap(pg2.fetchErr)
		if inner == nil {
			inner = pg2.fetchErr
		}
		return plainHTTPError(fmt.Errorf("fetching %s: %w", mmi.Prefix, inner), mmi.Prefix, sec)
	}
	m2, matchErr := Match(pg2, importPath)
	r.tracePage(pg2, importPath, m2, matchErr)
	switch {
	case pg2.tagCount() == 0 && pg2.statusErr != nil:
		return r.loginError(pg2, pg2.statusErr)
	case pg2.strict.Err != nil:
		return fmt.Errorf("parsing %s: %v", pg2.respURL, pg2.strict.Err)
	case pg2.tagCount() == 0:
		r.hint("serve the same go-import tag at %s too: the Go command checks it there before trusting %s", pg2.respURL, pg.respURL)
		return noTagError(pg2, importPath, fmt.Errorf("fetching %s: no go-import meta tag found in %s", mmi.Prefix, pg2.respURL))
	}
	if matchErr != nil || m2 != mmi {
		r.hint("%s and %s must carry the same go-import tag for %s (prefix, vcs, repository and subdirectory alike)", pg.respURL, pg2.respURL, mmi.Prefix)
		return fmt.Errorf("%s and %s disagree about go-import for %s", pg.respURL, pg2.url, mmi.Prefix)
	}
	return nil
}

// hintInsecure explains a request that got no usable answer over https:
// a certificate that did not verify, or (when plain http might be what
// the server speaks) a redirect to http or no answer at all.
func (r *Resolver) hintInsecure(err error, importPath string, sec web.SecurityMode) {
	if sec == web.Insecure {
		return
	}
	if h := CertHint(err); h != "" {
		// The server answered over https; plain http is no cure.
		r.hint("%s", h)
		return
	}
	var redirect *web.InsecureRedirectError
	if errors.As(err, &redirect) {
		r.hint("the server redirects to plain http; if you trust the network, allow it with --insecure or GOINSECURE=%s", importPath)
		return
	}
	r.hint("nothing answered over https; if the server speaks only plain http, allow it with --insecure or GOINSECURE=%s", importPath)
}

// hintGOVCS explains a GOVCS denial.
func (r *Resolver) hintGOVCS(root, vcs string) {
	r.hint("GOVCS decides which version control systems may be used; for example GOVCS=%s:%s allows this one (the default is public:git|hg,private:all)", root, vcs)
}

// hint tells a person what to do about the error that follows.
func (r *Resolver) hint(format string, args ...any) {
	r.note("hint: "+format, args...)
}

// Match chooses the tag for importPath: among the VCS entries by
// the Go command's rules; only when none of them matches, among the mod
// entries (GOPATH-mode placement needs a repository; a module proxy is the
// fallback).
func Match(pg *Page, importPath string) (metaparse.Import, error) {
	m, err := metaparse.Match(pg.VCS, importPath)
	var mm *metaparse.ImportMismatchError
	if err == nil || !errors.As(err, &mm) || len(pg.Mods) == 0 {
		return m, err
	}
	m2, err2 := metaparse.Match(pg.Mods, importPath)
	var mm2 *metaparse.ImportMismatchError
	if errors.As(err2, &mm2) {
		return m2, &metaparse.ImportMismatchError{
			ImportPath: importPath,
			Prefixes:   append(append([]string(nil), mm.Prefixes...), mm2.Prefixes...),
		}
	}
	return m2, err2
}

// tracePage reports how a page was read, every tag on it and what
// became of each.
func (r *Resolver) tracePage(pg *Page, importPath string, chosen metaparse.Import, matchErr error) {
	if !r.Explain {
		return
	}
	if err := pg.strict.Err; err != nil {
		r.note("the Go command cannot read %s: %v", pg.respURL, err)
	}
	emit := func(im metaparse.Import, matched bool, reason string) {
		r.Trace.Emit(trace.Event{Kind: trace.Tag, URL: pg.respURL, Tag: TagContent(im), Matched: matched, Reason: reason})
	}
	var multi *metaparse.MultipleMatchError
	isMulti := errors.As(matchErr, &multi)
	for _, list := range [][]metaparse.Import{pg.VCS, pg.Mods} {
		for _, im := range list {
			switch {
			case !pathprefix.Has(importPath, im.Prefix):
				emit(im, false, fmt.Sprintf("prefix %s does not match import path %s", im.Prefix, importPath))
			case isMulti:
				emit(im, false, fmt.Sprintf("one of several tags matching %s", importPath))
			case matchErr == nil && im == chosen:
				emit(im, true, "")
			case im.VCS == "mod":
				emit(im, false, "mod entry: a version control entry matches and is preferred")
			default:
				emit(im, false, "a mod entry is used instead")
			}
		}
	}
	for _, s := range pg.strict.Skipped {
		if s.Reason == metaparse.SkipModIgnored {
			continue // listed above
		}
		r.Trace.Emit(trace.Event{Kind: trace.Tag, URL: pg.respURL, Tag: detect.Redact(s.Content),
			Reason: fmt.Sprintf("line %d: %s", s.Line, s.Reason)})
	}
	for _, d := range pg.diffs {
		if d.Kind == metaparse.DiffModIgnored || d.Kind == metaparse.DiffFieldCount || d.Kind == metaparse.DiffName {
			continue // the strict reader's own skips, listed above
		}
		// Tags the Go command never read were never checked either:
		// their content may hold anything, credentials included.
		r.Trace.Emit(trace.Event{Kind: trace.Tag, URL: pg.respURL, Tag: detect.Redact(d.Tag.Content),
			Reason: detect.Redact(fmt.Sprintf("line %d: %s; to fix, %s", d.Tag.Line, d.Reason, d.Fix))})
	}
	if pg.tagCount() == 0 && len(pg.diffs) == 0 {
		r.note("no go-import meta tags in %s (status %s)", pg.respURL, pg.status)
	}
	var mm *metaparse.ImportMismatchError
	switch {
	case isMulti:
		r.hint("%s", detect.Redact(multi.Hint()))
	case errors.As(matchErr, &mm) && pg.tagCount() > 0:
		r.hint("%s", detect.Redact(mm.Hint()))
	}
	if pg.truncated {
		r.note("stopped reading %s at the page size limit", pg.respURL)
	}
}

// TagContent is a tag as the trace shows it: its fields, the repository
// redacted.
func TagContent(im metaparse.Import) string {
	s := im.Prefix + " " + im.VCS + " " + detect.Redact(im.RepoRoot)
	if im.SubDir != "" {
		s += " " + im.SubDir
	}
	return s
}

// ValidateRepoSubDir is the Go command's check of a tag's 4th field, plus
// one of fetch's own: the Go command accepts "../x" here and fails only
// later, reading files through git, while fetch computes directories from
// it, which must stay inside the checkout.
func ValidateRepoSubDir(subdir string) error {
	switch {
	case subdir == "":
		return nil
	case subdir[0] == '/':
		return errors.New("leading slash")
	case subdir[0] == '-':
		return errors.New("leading hyphen")
	}
	if c := path.Clean(subdir); c == ".." || strings.HasPrefix(c, "../") {
		return errors.New("leads outside the repository")
	}
	return nil
}

// ValidateRepoRoot is the Go command's check of a tag's repository root
// (CVE-2018-7187): a URL with a scheme other than file.
func ValidateRepoRoot(root string) error {
	u, err := url.Parse(root)
	if err != nil {
		return err
	}
	if u.Scheme == "" {
		return errors.New("no scheme")
	}
	if strings.EqualFold(u.Scheme, "file") {
		return errors.New("file scheme disallowed")
	}
	return nil
}

// KnownVCS reports whether a go-import tag may name vcs: "mod" or one
// of the version control systems the Go command knows.
func KnownVCS(name string) bool {
	if name == "mod" {
		return true
	}
	_, ok := vcsinfo.ByName(name)
	return ok
}
