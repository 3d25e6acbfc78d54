package doctor

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"

	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/lazyre"
	"github.com/gofetch/fetch/internal/pathprefix"
	"github.com/gofetch/fetch/internal/web"

	"github.com/gofetch/fetch/internal/netrc"
)

// checkHTTP asks for the path's page and judges the exchange and the
// page. When the page carries no go-import tag it asks each shorter path,
// as discovery does, and returns the first page that carries one, or nil.
func (d *doctor) checkHTTP(ctx context.Context) *discovery.Page {
	pg := d.getPage(ctx, d.web, d.path)
	if pg.Err() != nil {
		d.reportFetchError(pg)
		return nil
	}
	loginHop := d.checkRedirects(pg)
	d.checkPageReading(pg)
	found := pg
	if pg.TagCount() == 0 {
		found = d.walkUp(ctx, pg)
	}
	d.checkStatus(pg, found != nil)
	if !loginHop && pg.StatusCode() == http.StatusOK && pg.TagCount() == 0 && hasPasswordField(pg.Body()) {
		d.private = append(d.private, pg.URL()+" is a login form")
		d.add(StageHTTP, "http.login-page", Fail,
			fmt.Sprintf("%s answers 200 OK with a login form (a password field) and no go-import tag", pg.URL()),
			"let requests with ?go-get=1 through without a login and answer them with the go-import tag; the Go command never logs in through a form",
			reports(causeLogin))
	}
	return found
}

// reportFetchError names what kept the page from being fetched at all.
func (d *doctor) reportFetchError(pg *discovery.Page) {
	err := pg.Err()
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var redirect *web.InsecureRedirectError
	switch {
	case errors.As(err, &redirect):
		d.add(StageHTTP, "http.insecure-redirect", Fail, redirect.Error(),
			"redirect https requests only to https URLs: the Go command refuses to continue over plain http (fetch and the Go command allow it only with GOINSECURE)")
	case errors.As(err, &unknown):
		d.add(StageNetwork, "tls.unknown-authority", Fail, err.Error(),
			"serve a certificate from a publicly trusted CA together with its intermediates, or make clients trust the CA (--cacert or SSL_CERT_FILE)")
	case errors.As(err, &host):
		d.add(StageNetwork, "tls.hostname", Fail, err.Error(), "install a certificate whose names include "+d.host)
	case errors.As(err, &invalid):
		d.add(StageNetwork, "tls.chain", Fail, err.Error(), "renew the certificate and serve its intermediates")
	default:
		d.add(StageHTTP, "http.request", Fail, fmt.Sprintf("asking %s: %v", pg.URL(), err),
			fmt.Sprintf("make https://%s?go-get=1 answer with the page that carries the go-import tag", d.path))
	}
}

// loginPath matches the paths that sign-in pages of forges and single
// sign-on systems live at. Generic words such as "auth" are left out:
// they are also package names.
var loginPath = lazyre.New(`(?i)/(login|log[-_]in|signin|sign[-_]in|sso|saml2?|oauth2?|authorize|users/sign_in|user/login|accounts/login)(/|$|\.|\?)`)

// isLoginURL reports whether u looks like a sign-in page, by its path or
// by a query naming where to go after signing in. A URL at or below
// ownPath, the path asked for, is the package itself (a redirect adding a
// slash, say), whatever its name.
func isLoginURL(u, ownPath string) bool {
	pu, err := url.Parse(u)
	if err != nil {
		return false
	}
	if ownPath != "" && pathprefix.Has(strings.TrimSuffix(pu.Path, "/"), ownPath) {
		return false
	}
	if loginPath.MatchString(pu.Path) {
		return true
	}
	q := pu.Query()
	for _, k := range []string{"return_to", "redirect_to", "redirect_uri", "continue", "next", "returnUrl", "ReturnUrl"} {
		if q.Get(k) != "" && strings.Contains(strings.ToLower(pu.Path), "log") {
			return true
		}
	}
	return false
}

// checkRedirects lists the redirect chain and recognizes a redirect to a
// sign-in page. It reports whether it found one.
func (d *doctor) checkRedirects(pg *discovery.Page) bool {
	if len(pg.Redirects()) == 0 {
		d.pass(StageHTTP, "http.redirects", "%s answers without redirects", pg.URL())
		return false
	}
	chain := hopChain(pg)
	_, own, _ := strings.Cut(pg.ImportPath(), "/")
	for _, h := range pg.Redirects() {
		if isLoginURL(h.Location, "/"+own) {
			d.private = append(d.private, d.host+" redirects to a login page")
			d.add(StageHTTP, "http.login-redirect", Fail,
				fmt.Sprintf("redirected to a login page: %s", chain),
				"answer ?go-get=1 requests with the go-import tag without a login (GitLab, Gitea and Gogs serve it to anonymous requests when the project or a setting allows), or serve the tag from a public page; clients that must log in need a netrc entry for "+d.host,
				reports(causeLogin))
			return true
		}
	}
	d.pass(StageHTTP, "http.redirects", "the Go command follows %d redirect(s) and reads the last page: %s", len(pg.Redirects()), chain)
	return false
}

// hopChain writes a redirect chain as "URL -> 302 -> URL -> 200 OK".
func hopChain(pg *discovery.Page) string {
	var b strings.Builder
	for i, h := range pg.Redirects() {
		if i == 0 {
			b.WriteString(h.URL)
		}
		fmt.Fprintf(&b, " -> %d -> %s", h.StatusCode, h.Location)
	}
	if b.Len() == 0 {
		b.WriteString(pg.URL())
	}
	b.WriteString(" -> " + pg.Status())
	return b.String()
}

// checkStatus judges the status code: 200 passes; an error status with
// tags works with the Go command only; a login wall or an error without
// tags fails (only warns when a shorter path's page served a tag).
func (d *doctor) checkStatus(pg *discovery.Page, served bool) {
	// where says who answered what, through any redirects.
	where := pg.URL() + " answers " + pg.Status()
	if len(pg.Redirects()) > 0 {
		where = hopChain(pg)
	}
	switch {
	case pg.StatusCode() == http.StatusOK:
		d.pass(StageHTTP, "http.status", "%s answers %s", pg.URL(), pg.Status())
	case pg.StatusCode() == http.StatusUnauthorized || pg.StatusCode() == http.StatusForbidden:
		d.private = append(d.private, fmt.Sprintf("%s answers %s", d.host, pg.Status()))
		seen, fix := d.authWall(pg)
		d.add(StageHTTP, "http.auth-wall", Fail, where+seen, fix, reports(causeLogin))
	case pg.TagCount() > 0:
		id := "http.error-with-tag"
		if pg.StatusCode() == http.StatusNotFound {
			id = "http.404-with-tag"
		}
		d.add(StageHTTP, id, Warn,
			fmt.Sprintf("%s but carries go-import tags: the Go command reads them, other tools (dep, ghq, many proxies and caches) discard error pages", where),
			"answer 200 OK for every path the prefix serves")
	default:
		v := Fail
		if served {
			v = Warn
		}
		// The missing tag is the cause, which the page stage names (with
		// this status); an error status is how it shows here.
		d.add(StageHTTP, "http.status", v, where+" without a go-import tag",
			fmt.Sprintf("serve the page for %s with 200 OK and the go-import tag (one route for every path under the prefix)", d.path),
			follows(causeLogin, causeTagIgnored, causeHostNone, causeNoTag))
	}
}

// authWall says what the credentials GOAUTH chooses (the netrc file by
// default) did about a 401 or 403 page, and how to get past it.
func (d *doctor) authWall(pg *discovery.Page) (seen, fix string) {
	host := d.host
	u, err := url.Parse(pg.URL())
	if err == nil {
		host = u.Host
	}
	if auth := pg.Header().Get("WWW-Authenticate"); auth != "" {
		seen = " (WWW-Authenticate: " + auth + ")"
	}
	if s, f, ok := d.goauthWall(u, host); ok {
		return seen + s, f
	}
	file := d.netrcFile()
	entries, _ := netrc.Read(file)
	if e, ok := netrc.Lookup(entries, host); ok {
		return seen + fmt.Sprintf(", although the login of %s from %s was sent", e.Login, file),
			fmt.Sprintf("check the login for %s in %s: the server refused it", host, file)
	}
	fix = fmt.Sprintf("?go-get=1 pages should answer without a login (serve the go-import tag to anonymous requests); otherwise every client needs a netrc line: machine %s login USER password TOKEN", host)
	if file == "" {
		return seen + ", and there is no netrc file", fix
	}
	if netrcMentions(file, host) {
		return seen + fmt.Sprintf(", and the entry for %s in %s lacks a login or a password, so it is ignored", host, file),
			fmt.Sprintf("give the netrc entry for %s both a login and a password: the Go command and fetch ignore entries without them", host)
	}
	return seen + fmt.Sprintf(", and %s has no login for %s", file, host), fix
}

// goauthWall is authWall for a GOAUTH that is not the netrc file alone
// (off, git DIR, a command): ok is false when the netrc file decides, as
// it does when GOAUTH is unset or "netrc". What the Go command sends is
// what GOAUTH gives, so the advice names GOAUTH, not only the netrc file.
func (d *doctor) goauthWall(u *url.URL, host string) (seen, fix string, ok bool) {
	goauth := strings.TrimSpace(d.getenv("GOAUTH"))
	if goauth == "" || goauth == "netrc" {
		return "", "", false
	}
	from := ""
	if src := d.goenv.Source("GOAUTH"); src != "" && src != "environment" {
		from = " (from " + src + ")"
	}
	anon := "?go-get=1 pages should answer without a login (serve the go-import tag to anonymous requests)"
	if goauth == "off" {
		return fmt.Sprintf(", and GOAUTH=off%s sends no login, not even the netrc file's", from),
			anon + "; otherwise set GOAUTH to netrc (or unset it) and add machine " + host + " login USER password TOKEN to the netrc file, or name a command or git DIR in GOAUTH", true
	}
	source := ""
	if u != nil {
		source = d.web.CredentialSource(context.Background(), u)
	}
	// A GOAUTH command's arguments may hold a token: only the kinds of
	// its methods are shown.
	kinds := goauthKinds(goauth)
	if source != "" {
		return fmt.Sprintf(", although credentials for %s from GOAUTH (%s)%s were sent", host, source, from),
			fmt.Sprintf("check the credentials GOAUTH (%s) gives for %s: the server refused them", source, host), true
	}
	return fmt.Sprintf(", and GOAUTH (%s)%s gives no credentials for %s", kinds, from, host),
		anon + fmt.Sprintf("; otherwise make GOAUTH give a login for %s (add netrc to GOAUTH with a netrc line, or answer for it from the GOAUTH command or git's credential helpers)", host), true
}

// goauthKinds names the methods of a GOAUTH value ("git; command")
// without their arguments.
func goauthKinds(goauth string) string {
	var kinds []string
	for m := range strings.SplitSeq(goauth, ";") {
		switch w := strings.Fields(m); {
		case len(w) == 0:
		case w[0] == "netrc", w[0] == "git", w[0] == "off":
			kinds = append(kinds, w[0])
		default:
			kinds = append(kinds, "command")
		}
	}
	return strings.Join(kinds, "; ")
}

// netrcMentions reports whether a netrc file names machine host at all,
// to tell a missing entry from one the parser ignores.
func netrcMentions(file, host string) bool {
	data, err := os.ReadFile(file)
	if err != nil {
		return false
	}
	f := strings.Fields(string(data))
	for i := 0; i+1 < len(f); i++ {
		if f[i] == "machine" && f[i+1] == host {
			return true
		}
	}
	return false
}

// hasPasswordField reports whether a page holds a password input, the
// mark of a login form.
func hasPasswordField(body []byte) bool {
	b := bytes.ToLower(body)
	return bytes.Contains(b, []byte(`type="password"`)) || bytes.Contains(b, []byte(`type='password'`)) ||
		bytes.Contains(b, []byte(`type=password`))
}

// walkUp walks up the shorter paths as discovery does when the path's
// own page carries no go-import tag (discovery.ShorterPaths, going on
// while Page.WalksOn), and returns the first page with a tag, or nil after reporting that none serves the path: the tags a
// browser sees there and the Go command does not read, when one would
// have served the path; else, when no page tried carries any go-import
// tag at all, that the host serves none (meta.host-has-none); else that
// no tag the Go command reads serves the path (meta.none).
func (d *doctor) walkUp(ctx context.Context, pg *discovery.Page) *discovery.Page {
	tried := []*discovery.Page{pg}
	for p := range discovery.ShorterPaths(d.path) {
		pp := d.getPage(ctx, d.web, p)
		tried = append(tried, pp)
		if pp.WalksOn() {
			d.checkIgnoredTags(pp, true)
			continue
		}
		if pp.Err() != nil {
			break // discovery stops here too
		}
		d.add(StagePage, "meta.path-untagged", Warn,
			fmt.Sprintf("%s (%s) has no go-import tag, but %s has one: the Go command in module mode and fetch find it by asking shorter paths; GOPATH-mode go get and other tools stop at %s", pg.URL(), pg.Status(), pp.URL(), d.path),
			fmt.Sprintf("serve the go-import tag on the page of every path under the prefix, %s included", d.path))
		return pp
	}
	var answers, asked []string
	anyTag := false
	for _, p := range tried {
		anyTag = anyTag || p.Err() == nil && seesTags(p)
		answers = append(answers, fmt.Sprintf("%s (%s)", p.ImportPath(), answer(p)))
		if p != pg {
			asked = append(asked, p.ImportPath())
		}
	}
	add := "add <meta name=\"go-import\" content=\"ROOT VCS REPO-URL\"> to the <head> of the page, ROOT being the import path of the repository root (" + d.path + " or a leading path of it)"
	if !anyTag {
		d.add(StagePage, "meta.host-has-none", Fail,
			fmt.Sprintf("%s serves no go-import tag for any path tried: %s", d.host, strings.Join(answers, ", ")),
			fmt.Sprintf("make %s and every path under the repository root answer 200 OK with the go-import tag: %s; if %s runs a vanity server, check that DNS (or --connect-to) reaches it and that its routes cover these paths", pg.URL(), add, d.host),
			reports(causeHostNone), follows(causeLogin))
		return nil
	}
	seen := fmt.Sprintf("no go-import tag that the Go command reads in %s (%s)", pg.URL(), answer(pg))
	if len(asked) > 0 {
		seen += " nor in the pages of " + strings.Join(asked, ", ")
	}
	seen += "; a browser sees go-import tags the Go command ignores (see the page findings)"
	d.add(StagePage, "meta.none", Fail, seen, add,
		reports(causeNoTag), follows(causeLogin, causeTagIgnored))
	return nil
}

// answer says how p answered: the status, through any redirects, or the
// error.
func answer(p *discovery.Page) string {
	switch {
	case p.Err() != nil:
		return shortErr(p.Err())
	}
	var b strings.Builder
	for _, h := range p.Redirects() {
		fmt.Fprintf(&b, "%d -> %s -> ", h.StatusCode, h.Location)
	}
	return b.String() + p.Status()
}
