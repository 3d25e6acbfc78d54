package doctor

import (
	"context"
	"fmt"
	"net/url"

	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/netrc"
	"github.com/gofetch/fetch/metaparse"
)

// probeElem is the path element doctor appends to probe for subpackage
// pages; no real package is likely to have this name.
const probeElem = "doctor-probe"

// checkConsistency compares the page with the pages around it: the
// prefix's own page, the pages above a prefix that claims to be the root,
// a page one level deeper, and the page an anonymous client gets.
func (d *doctor) checkConsistency(ctx context.Context, pg *discovery.Page, tag metaparse.Import) {
	if tag.Prefix != pg.ImportPath() {
		d.checkRootPage(ctx, pg, tag)
	} else {
		d.checkParentClaims(ctx, pg, tag)
	}
	d.checkSubpackages(ctx, pg, tag)
	d.checkAnonymous(ctx, tag)
}

// checkRootPage is the Go command's verification of a non-authoritative
// tag: the prefix's own page must carry the same tag.
func (d *doctor) checkRootPage(ctx context.Context, pg *discovery.Page, tag metaparse.Import) {
	rp := d.getPage(ctx, d.web, tag.Prefix)
	fix := fmt.Sprintf("serve the same go-import tag at %s: the Go command checks the prefix's own page before trusting %s", rp.URL(), pg.URL())
	switch {
	case rp.Err() != nil:
		d.add(StageConsistency, "meta.root-missing", Fail, fmt.Sprintf("asking %s: %v", rp.URL(), rp.Err()), fix, follows(causePrefix))
		return
	case rp.TagCount() == 0:
		d.add(StageConsistency, "meta.root-missing", Fail, fmt.Sprintf("%s (%s) carries no go-import tag that the Go command reads", rp.URL(), rp.Status()), fix, follows(causePrefix))
		return
	}
	m, err := discovery.Match(rp, pg.ImportPath())
	if err != nil || m != tag {
		other := "no tag for " + pg.ImportPath()
		if err == nil {
			other = fmt.Sprintf("%q", discovery.TagContent(m))
		}
		d.add(StageConsistency, "meta.disagree", Fail,
			fmt.Sprintf("%s and %s disagree about go-import for %s: %q versus %s", pg.URL(), rp.URL(), tag.Prefix, discovery.TagContent(tag), other),
			fmt.Sprintf("serve the very same tag for %s (prefix, vcs, repository and subdirectory) on every page under it", tag.Prefix),
			follows(causePrefix))
		return
	}
	d.pass(StageConsistency, "meta.root-agrees", "%s carries the same tag", rp.URL())
}

// checkParentClaims looks above a prefix that is the page's own path: if
// a shorter path's page names the same repository with a shorter prefix,
// the prefix names a subpackage instead of the repository root, and
// clients clone the whole repository into the subpackage's directory.
func (d *doctor) checkParentClaims(ctx context.Context, pg *discovery.Page, tag metaparse.Import) {
	for p := range discovery.ShorterPaths(tag.Prefix) {
		pp := d.getPage(ctx, d.web, p)
		if pp.Err() != nil || pp.TagCount() == 0 {
			continue
		}
		m, err := discovery.Match(pp, pg.ImportPath())
		if err == nil && m.Prefix != tag.Prefix && m.VCS == tag.VCS && m.RepoRoot == tag.RepoRoot {
			d.add(StageConsistency, "meta.prefix-is-subpackage", Fail,
				fmt.Sprintf("%s says %s is the root of %s, but %s says that repository's root is %s", pg.URL(), tag.Prefix, tag.RepoRoot, pp.URL(), m.Prefix),
				fmt.Sprintf("set the prefix to %s on every page of the repository: with %s as the prefix, clients clone the whole repository into %s's directory", m.Prefix, tag.Prefix, tag.Prefix),
				reports(causeRootIs(m.Prefix)))
			return
		}
		break
	}
	d.pass(StageConsistency, "meta.prefix-root", "no page above %s names the same repository with a shorter prefix", tag.Prefix)
}

// checkSubpackages asks one level below the path: every path under the
// prefix needs the tag, and servers that only know the root path are a
// common mistake.
func (d *doctor) checkSubpackages(ctx context.Context, pg *discovery.Page, tag metaparse.Import) {
	probe := pg.ImportPath() + "/" + probeElem
	sp := d.getPage(ctx, d.web, probe)
	switch {
	case sp.Err() != nil:
		d.add(StageConsistency, "meta.subpackage-404", Warn, fmt.Sprintf("asking %s: %v", sp.URL(), sp.Err()), subpackageFix(tag))
		return
	case sp.TagCount() == 0:
		d.add(StageConsistency, "meta.subpackage-404", Warn,
			fmt.Sprintf("%s (%s) has no go-import tag: packages below %s have no page unless each has its own", sp.URL(), sp.Status(), pg.ImportPath()),
			subpackageFix(tag))
		return
	}
	m, err := discovery.Match(sp, probe)
	if err != nil || m != tag {
		other := fmt.Sprintf("%q", discovery.TagContent(m))
		if err != nil {
			other = err.Error()
		}
		d.add(StageConsistency, "meta.subpackage-disagree", Fail,
			fmt.Sprintf("%s serves %q, but %s serves %s", pg.URL(), discovery.TagContent(tag), sp.URL(), other),
			fmt.Sprintf("serve the very same tag for %s on every page under it", tag.Prefix))
		return
	}
	d.pass(StageConsistency, "meta.subpackages", "%s serves the same tag: paths below %s are served", sp.URL(), pg.ImportPath())
}

func subpackageFix(tag metaparse.Import) string {
	return fmt.Sprintf("serve the go-import tag for every path under %s (one catch-all route): GOPATH-mode go get, pkg.go.dev and other tools ask for the package's own path; the Go command in module mode and fetch fall back to shorter paths", tag.Prefix)
}

// checkAnonymous compares the page a client without a login gets with the
// one the netrc login gets, when there is one: GitLab, for one, answers
// anonymous requests for a subgroup's project with a two-element prefix,
// which points at a repository that does not exist.
func (d *doctor) checkAnonymous(ctx context.Context, tag metaparse.Import) {
	// The credentials are those GOAUTH gives for the page (the netrc
	// file's by default; none with GOAUTH=off).
	u, err := url.Parse("https://" + d.path)
	if err != nil {
		return
	}
	source := d.web.CredentialSource(ctx, u)
	if source == "" {
		return
	}
	login := "the GOAUTH credentials (" + source + ")"
	if source == "netrc" {
		entries, _ := netrc.Read(d.netrcFile())
		e, ok := netrc.Lookup(entries, d.host)
		if !ok {
			return
		}
		login = "the netrc login of " + e.Login
	}
	anon, err := d.newWeb("", "off") // no login from anywhere
	if err != nil {
		return // New accepted the same options
	}
	ap := d.getPage(ctx, anon.WithTrace(d.trace), d.path)
	var other string
	switch m, err := discovery.Match(ap, d.path); {
	case ap.Err() != nil:
		other = "an error: " + ap.Err().Error()
	case err != nil:
		other = fmt.Sprintf("%s and no usable tag", ap.Status())
	case m != tag:
		other = fmt.Sprintf("%q", discovery.TagContent(m))
	default:
		d.pass(StageConsistency, "meta.anonymous-agrees", "clients without a login get the same tag as %s", login)
		return
	}
	d.add(StageConsistency, "meta.anonymous-differs", Warn,
		fmt.Sprintf("with %s the page serves %q; without a login it serves %s", login, discovery.TagContent(tag), other),
		fmt.Sprintf("clients without a login resolve %s differently: give every client a login for %s (a netrc line, or GOAUTH), or serve the same tag to anonymous requests", d.path, d.host))
}
