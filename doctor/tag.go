package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/pathprefix"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/metaparse"
	"golang.org/x/mod/module"
)

// checkTag chooses the tag for the page's path as discovery does and
// checks its fields. It returns the tag, whether one matched, and whether
// its repository can be checked (known vcs, usable URL).
func (d *doctor) checkTag(ctx context.Context, pg *discovery.Page) (im metaparse.Import, matched, usable bool) {
	im, err := discovery.Match(pg, pg.ImportPath())
	var multi *metaparse.MultipleMatchError
	var mm *metaparse.ImportMismatchError
	switch {
	case errors.As(err, &multi):
		seen, fix := multipleMatch(multi)
		d.add(StageTag, "meta.multiple-match", Fail, fmt.Sprintf("%s: %v: %s", pg.URL(), err, seen), fix)
		return im, false, false
	case errors.As(err, &mm):
		d.add(StageTag, mismatchID(mm.Prefixes), Fail, fmt.Sprintf("%s: %v", pg.URL(), err), mm.Hint())
		return im, false, false
	case err != nil:
		d.add(StageTag, "meta.match", Fail, fmt.Sprintf("%s: %v", pg.URL(), err), "serve one go-import tag whose prefix is the repository root")
		return im, false, false
	}
	d.pass(StageTag, "meta.match", "%q matches %s: the repository root is %s", discovery.TagContent(im), pg.ImportPath(), im.Prefix)
	d.checkPrefix(im)
	usable = d.checkVCS(im)
	usable = d.checkRepoURL(im) && usable
	usable = d.checkSubDir(im) && usable
	d.checkModEntries(ctx, pg)
	return im, true, usable
}

// multipleMatch says which tags match, each once (a page that repeats a
// tag lists it once, with a count), and what to do: keep one tag, or one
// of the prefixes.
func multipleMatch(multi *metaparse.MultipleMatchError) (seen, fix string) {
	var tags, prefixes []string
	count := map[string]int{}
	for _, m := range multi.Matches {
		t := discovery.TagContent(m)
		if count[t]++; count[t] == 1 {
			tags = append(tags, t)
		}
		if !slices.Contains(prefixes, m.Prefix) {
			prefixes = append(prefixes, m.Prefix)
		}
	}
	shown := make([]string, len(tags))
	for i, t := range tags {
		shown[i] = t
		if n := count[t]; n > 1 {
			shown[i] = fmt.Sprintf("%s (%d times)", t, n)
		}
	}
	switch {
	case len(tags) == 1:
		fix = fmt.Sprintf("the page repeats the tag %q: serve it once", tags[0])
	case len(prefixes) == 1:
		fix = fmt.Sprintf("serve exactly one go-import tag for %s: these tags name the same prefix with different repositories; keep the one for the repository you mean", prefixes[0])
	default:
		fix = fmt.Sprintf("serve exactly one go-import tag whose prefix covers %s; these all do: %s", multi.ImportPath, strings.Join(prefixes, ", "))
	}
	return strings.Join(shown, "; "), fix
}

// mismatchID names the first recognizable mistake among the prefixes of
// tags that did not match: a scheme, a trailing slash, or just another
// path.
func mismatchID(prefixes []string) string {
	for _, p := range prefixes {
		switch {
		case strings.Contains(p, "://"):
			return "meta.prefix-scheme"
		case strings.HasSuffix(p, "/"):
			return "meta.prefix-trailing-slash"
		}
	}
	return "meta.prefix-mismatch"
}

// checkPrefix checks that a matching prefix is itself an import path: a
// prefix ending in a slash matches every path below it, but names no
// directory a checkout could go to.
func (d *doctor) checkPrefix(im metaparse.Import) {
	err := detect.CheckImportPath(im.Prefix)
	switch {
	case err == nil:
	case strings.HasSuffix(im.Prefix, "/"):
		d.add(StageTag, "meta.prefix-trailing-slash", Fail,
			fmt.Sprintf("prefix %q ends in a slash: it matches by string, and the repository root it names is not an import path", im.Prefix),
			fmt.Sprintf("write the prefix as %s, without the trailing slash", strings.TrimRight(im.Prefix, "/")),
			reports(causePrefix))
	default:
		d.add(StageTag, "meta.prefix-invalid", Fail, fmt.Sprintf("prefix %q is not a valid import path: %v", im.Prefix, err),
			"the prefix must be the import path of the repository root", reports(causePrefix))
	}
}

// checkVCS checks the tag's version control system, GOVCS included.
func (d *doctor) checkVCS(im metaparse.Import) bool {
	if !discovery.KnownVCS(im.VCS) {
		d.add(StageTag, "meta.vcs", Fail, fmt.Sprintf("unknown vcs %q", im.VCS),
			"the second field is one of git, hg, svn, bzr, fossil or mod")
		return false
	}
	if im.VCS != "mod" {
		if err := d.env.CheckVCS(im.Prefix, im.VCS); err != nil {
			d.add(StageTag, "env.govcs", Fail, err.Error(),
				fmt.Sprintf("GOVCS decides which version control systems may be used: allow this one with GOVCS=%s:%s (the default allows only git and hg for public paths), or serve a git repository", im.Prefix, im.VCS))
			return false
		}
	}
	d.pass(StageTag, "meta.vcs", "vcs %s is known and allowed for %s", im.VCS, im.Prefix)
	return true
}

// checkRepoURL checks the third field: a URL with a scheme other than
// file (the Go command's rule), a remote the version control tool may be
// given, over a secure scheme unless insecure access is allowed.
func (d *doctor) checkRepoURL(im metaparse.Import) bool {
	if err := discovery.ValidateRepoRoot(im.RepoRoot); err != nil {
		d.add(StageTag, "meta.repo-url", Fail, fmt.Sprintf("invalid repo root %q: %v", im.RepoRoot, err),
			"the third field must be the repository's URL with a scheme other than file, such as https://code.example/repo.git")
		return false
	}
	if c := vcs.ByName(im.VCS); c != nil {
		if err := c.CheckRemote(im.RepoRoot, true); err != nil {
			d.add(StageTag, "meta.repo-url", Fail, err.Error(),
				fmt.Sprintf("give a plain %s URL (https:// or ssh://) as the third field", im.VCS))
			return false
		}
	}
	if im.VCS != "mod" && !d.env.SecureRepo(im.VCS, im.RepoRoot) {
		if !d.insecure {
			d.add(StageTag, "meta.repo-url", Fail,
				fmt.Sprintf("%s uses an insecure scheme: the Go command and fetch refuse it unless GOINSECURE covers %s", im.RepoRoot, im.Prefix),
				"serve the repository over https or ssh and name that URL in the tag")
			return false
		}
		d.add(StageTag, "meta.repo-url", Warn,
			fmt.Sprintf("%s uses an insecure scheme, accepted only because GOINSECURE or --insecure covers %s", im.RepoRoot, im.Prefix),
			d.insecureFix("the repository is reached over "+insecureScheme(im.RepoRoot)))
		return true
	}
	d.pass(StageTag, "meta.repo-url", "repository URL %s is valid", im.RepoRoot)
	return true
}

// insecureScheme names the scheme of an insecure repository URL, as
// "plain http" for http.
func insecureScheme(repo string) string {
	scheme, _, _ := strings.Cut(repo, "://")
	if scheme == "http" {
		return "plain http"
	}
	return scheme + "://"
}

// checkSubDir checks the optional fourth field, the module's directory
// inside the repository.
func (d *doctor) checkSubDir(im metaparse.Import) bool {
	if im.SubDir == "" {
		return true
	}
	if err := discovery.ValidateRepoSubDir(im.SubDir); err != nil {
		d.add(StageTag, "meta.subdir", Fail, fmt.Sprintf("invalid subdirectory %q: %v", im.SubDir, err),
			"the fourth field names a directory inside the repository, relative to its root, such as go or sdk/go")
		return false
	}
	d.pass(StageTag, "meta.subdir", "the module lives in subdirectory %s of the repository (tools that predate the fourth field reject the tag)", im.SubDir)
	return true
}

// checkModEntries asks each mod entry serving the path for its list of
// versions: in module mode the Go command prefers a mod entry to the
// version control one, so a dead proxy breaks it even when the
// repository is fine.
func (d *doctor) checkModEntries(ctx context.Context, pg *discovery.Page) {
	for _, m := range pg.Mods {
		if !pathprefix.Has(pg.ImportPath(), m.Prefix) {
			continue
		}
		if err := discovery.ValidateRepoRoot(m.RepoRoot); err != nil {
			continue // checkRepoURL reports it when the entry is chosen
		}
		esc, err := module.EscapePath(m.Prefix)
		if err != nil {
			d.add(StageTag, "meta.mod-entry", Fail, fmt.Sprintf("mod entry prefix %q is not a module path: %v", m.Prefix, err),
				"the prefix of a mod entry is the module path")
			continue
		}
		u, err := url.Parse(strings.TrimSuffix(m.RepoRoot, "/") + "/" + esc + "/@v/list")
		if err != nil {
			continue
		}
		fix := fmt.Sprintf("serve the module proxy protocol at %s (%s/@v/list, .info, .mod, .zip), or remove the mod entry: in module mode the Go command uses it before any version control entry", m.RepoRoot, esc)
		resp, err := d.web.Get(ctx, u, d.security())
		if err != nil {
			d.add(StageTag, "meta.mod-entry", Fail, fmt.Sprintf("asking %s: %v", u.Redacted(), err), fix)
			continue
		}
		body := readSmall(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			d.add(StageTag, "meta.mod-entry", Fail, fmt.Sprintf("%s answers %s", resp.URL, resp.Status), fix)
			continue
		}
		d.pass(StageTag, "meta.mod-entry", "the module proxy answers %s with %d version(s)", resp.URL, len(strings.Fields(body)))
	}
}
