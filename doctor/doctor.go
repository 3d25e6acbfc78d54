package doctor

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"unicode"

	"github.com/gofetch/fetch/detect"
	"github.com/gofetch/fetch/internal/buildinfo"
	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/goenv"
	"github.com/gofetch/fetch/internal/netrc"
	"github.com/gofetch/fetch/internal/policy"
	"github.com/gofetch/fetch/internal/redact"
	"github.com/gofetch/fetch/internal/vcs"
	"github.com/gofetch/fetch/internal/web"
	"github.com/gofetch/fetch/metaparse"
	"github.com/gofetch/fetch/trace"
)

// Verdict is what a check concluded.
type Verdict string

// The verdicts. Only Fail makes a Report fail: a Warn names something
// that works with the Go command but breaks other tools, or will break
// later.
const (
	Pass Verdict = "pass"
	Warn Verdict = "warn"
	Fail Verdict = "fail"
)

// The stages of a diagnosis, in the order a client meets them. Each
// Finding names its stage.
const (
	StagePath        = "path"
	StageNetwork     = "network"
	StageHTTP        = "http"
	StagePage        = "page"
	StageTag         = "tag"
	StageConsistency = "consistency"
	StageRepository  = "repository"
	StageExtras      = "extras"
)

var stageOrder = []string{StagePath, StageNetwork, StageHTTP, StagePage, StageTag,
	StageConsistency, StageRepository, StageExtras}

// Finding is the outcome of one check of a vanity import setup. Its JSON
// form is part of the contract (README.md, "doctor"): fields are added,
// never renamed or removed.
type Finding struct {
	// ID names what was found, such as "tls.unknown-authority" or
	// "meta.in-body"; a passing check carries the check's own name, such
	// as "tls.certificate". IDs are stable, so CI jobs can match them.
	ID      string  `json:"id"`
	Stage   string  `json:"stage"`
	Verdict Verdict `json:"verdict"`
	// Seen says what the check saw, in a line or two.
	Seen string `json:"seen"`
	// Fix says what to change, in a sentence or two; empty for a pass.
	Fix string `json:"fix,omitempty"`
}

// Report is a whole diagnosis: the findings grouped by stage, in the order
// the checks ran within each stage.
type Report struct {
	// ImportPath is the path diagnosed, as given, credentials redacted.
	ImportPath string
	Findings   []Finding
}

// Failed reports whether any finding failed.
func (r *Report) Failed() bool { return r.Count(Fail) > 0 }

// Count returns how many findings have verdict v.
func (r *Report) Count(v Verdict) int {
	n := 0
	for _, f := range r.Findings {
		if f.Verdict == v {
			n++
		}
	}
	return n
}

// Find returns the first finding with the given ID.
func (r *Report) Find(id string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

// Options configure a diagnosis: the client whose view of the server is
// checked. The zero value is a client with the system's certificate
// roots, the proxy from the environment, the Go command's variables read
// from the process environment, and the netrc file of $NETRC or ~/.netrc.
type Options struct {
	// Insecure diagnoses as a client allowing plain http, unverified TLS
	// and insecure VCS schemes for every path would (GOINSECURE does the
	// same for the paths it matches).
	Insecure bool
	// CACertFile names a PEM bundle trusted in addition to the system
	// roots (SSL_CERT_FILE is trusted too).
	CACertFile string
	// ConnectTo holds curl-style HOST:PORT:TOHOST:TOPORT rules, so an
	// owner can diagnose a server before DNS points at it.
	ConnectTo []string
	// Netrc names the netrc file; empty means $NETRC, else ~/.netrc. Its
	// logins are sent with page requests over https.
	Netrc string
	// GitCredentialHelper is a git credential.helper value git is given
	// after the user's own helpers when it reaches the repository (the
	// fetch command passes itself, answering from the netrc file).
	GitCredentialHelper string
	// Getenv reads the process environment (GOVCS, GOPRIVATE, GOINSECURE,
	// GONOSUMDB, GOAUTH, NETRC, SSL_CERT_FILE, HOME, ...); nil means
	// os.Getenv. Behind it, as for the Go command, the Go environment
	// file supplies the Go variables it leaves empty.
	Getenv func(string) string
	// Transport, when set, is the base HTTP transport: an
	// *http.Transport's dialer and roots are what the network checks
	// use too; any other RoundTripper is used as is, and the network
	// checks then leave the connection to it.
	Transport http.RoundTripper
	// Trace, when set, receives every request, command and note of the
	// diagnosis (see the trace package), as fetch -v and -x show them,
	// each with Source set to the import path, redacted.
	Trace func(trace.Event)
}

// Check diagnoses the vanity import setup behind importPath, stage by
// stage, as a client meets it: the path's syntax, DNS, TCP and TLS, the
// HTTP exchange, the page read by the Go command's rules and by a
// browser's, the go-import tag, the agreement of the pages, the repository
// (reached with the user's credentials and never a prompt), and caching
// and environment advice. Each problem is one finding: a stage whose
// prerequisite failed is skipped, and a finding that would only restate a
// problem another finding reports is dropped (a missing tag behind a
// login, a refused https connection where only plain http answers).
//
// The error is for malformed options (a bad connect-to rule, an
// unreadable CA file, a malformed GOVCS) and for a cancelled ctx (whose
// half-done findings would blame the server); every problem with the
// setup is a Finding.
func Check(ctx context.Context, importPath string, opts Options) (*Report, error) {
	d, err := newDoctor(importPath, opts)
	if err != nil {
		return nil, err
	}
	d.run(ctx)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// The path as given, with any credentials hidden: a URL typed in
	// place of an import path can carry a password, and the report is
	// printed.
	r := &Report{ImportPath: redact.String(importPath), Findings: d.findings()}
	slices.SortStableFunc(r.Findings, func(a, b Finding) int {
		return slices.Index(stageOrder, a.Stage) - slices.Index(stageOrder, b.Stage)
	})
	return r, nil
}

// newDoctor builds the client a diagnosis looks through, as package fetch
// builds its own from the same options: the Go environment file behind
// Getenv, the GOVCS/GOINSECURE/GOPRIVATE policy, and a web client whose
// every event names the path.
func newDoctor(importPath string, opts Options) (*doctor, error) {
	processEnv := opts.Getenv
	if processEnv == nil {
		processEnv = os.Getenv
	}
	ge := goenv.Load(processEnv)
	d := &doctor{opts: opts, getenv: ge.Getenv, goenv: ge, path: importPath, source: redact.String(importPath)}
	d.env = policy.FromEnviron(d.getenv)
	if _, err := d.env.GOVCSRules(); err != nil {
		return nil, err
	}
	d.trace = func(e trace.Event) {
		if e.Source == "" {
			e.Source = d.source
		}
		if opts.Trace != nil {
			opts.Trace(e)
		}
	}
	w, err := d.newWeb(d.netrcFile(), d.getenv("GOAUTH"))
	if err != nil {
		return nil, err
	}
	d.web = w.WithTrace(d.trace)
	return d, nil
}

// newWeb builds a web client from the options, with the logins of the
// netrc file and the GOAUTH setting given (GOAUTH=off sends none).
func (d *doctor) newWeb(netrcFile, goauth string) (*web.Client, error) {
	sslCertFile := d.getenv("SSL_CERT_FILE")
	if sslCertFile == d.opts.CACertFile {
		sslCertFile = "" // the CLI passes SSL_CERT_FILE as --cacert: parse it once
	}
	return web.New(web.Options{
		CACertFile:  d.opts.CACertFile,
		SSLCertFile: sslCertFile,
		ConnectTo:   d.opts.ConnectTo,
		Netrc:       netrcFile,
		GOAUTH:      goauth,
		Version:     buildinfo.Version(),
		Transport:   d.opts.Transport,
	})
}

// netrcFile is the netrc file the client reads.
func (d *doctor) netrcFile() string { return netrc.File(d.opts.Netrc, d.getenv) }

// runner is the hardened VCS runner that reaches the repository: no
// prompts, the user's credentials and the credential helper, the CA file.
func (d *doctor) runner(insecure bool) *vcs.Runner {
	r := &vcs.Runner{
		Insecure:         insecure,
		CredentialHelper: d.opts.GitCredentialHelper,
		Dir:              os.TempDir(),
		Source:           d.source,
		Trace:            d.trace,
	}
	if f := d.opts.CACertFile; f != "" {
		r.Env = append(r.Env, "GIT_SSL_CAINFO="+f)
	}
	return r
}

// resolver is the resolution package's resolver, wired to this
// diagnosis, for the scheme probe of a .git/.hg/... qualified path.
func (d *doctor) resolver() *discovery.Resolver {
	return &discovery.Resolver{
		Web:     d.web,
		Cache:   discovery.NewCache(""),
		Env:     d.env,
		Trace:   d.trace,
		Explain: d.opts.Trace != nil,
		Netrc:   d.netrcFile(),
		Runner:  d.runner,
	}
}

// One finding per cause. A problem is reported once, by the finding that
// names it most precisely, and every other check keeps quiet about it:
//
//   - A stage whose prerequisite failed is not run (no page without a
//     connection, no tag without a page, no repository without a tag).
//   - Within and across the stages that do run, a finding that reports a
//     problem others can follow from names it as its cause (reports), and
//     a finding that would only restate such a problem from where it shows
//     (a page without a tag because it sits behind a login, a refused
//     connection to port 443 because only plain http answers) names the
//     causes it follows from (follows).
//   - The report then drops every finding that follows from a cause some
//     finding reported (with any verdict but pass), and every second
//     finding reporting a cause already reported. A dropped finding's
//     cause still counts as reported: a consequence of a consequence
//     follows from the first cause too.
//
// A check adds what it saw with add and the links; the rule is applied in
// one place, findings.

// cause names a problem that other findings can follow from.
type cause string

// The causes the checks link their findings to.
const (
	// causeHTTPOnly: only plain http answers (net.http-only).
	causeHTTPOnly cause = "http-only"
	// causeLogin: the path's page sits behind a login (http.login-redirect,
	// http.login-page, http.auth-wall).
	causeLogin cause = "login"
	// causeTagIgnored: a tag that would serve the path is there, but the
	// Go command does not read it (the page findings that fail).
	causeTagIgnored cause = "tag-ignored"
	// causeHostNone: no page tried on the host carries a go-import tag
	// (meta.host-has-none).
	causeHostNone cause = "host-has-none"
	// causeNoTag: no page the Go command reads serves the path (meta.none).
	causeNoTag cause = "no-tag"
	// causePrefix: the matching tag's prefix is no import path
	// (meta.prefix-trailing-slash, meta.prefix-invalid).
	causePrefix cause = "prefix"
	// causeNeedsAuth: the repository wants a login (repo.needs-auth).
	causeNeedsAuth cause = "needs-auth"
)

// causeRootIs is the cause "the repository's root is root, not the tag's
// prefix" (meta.prefix-is-subpackage).
func causeRootIs(root string) cause { return cause("root-is:" + root) }

// link ties a finding to causes: the one it reports, or those it follows
// from.
type link struct {
	reports cause
	follows []cause
}

// reports links a finding to the cause it reports.
func reports(c cause) link { return link{reports: c} }

// follows links a finding to the causes it would only restate.
func follows(cs ...cause) link { return link{follows: cs} }

// entry is a finding with its links, as the checks add it.
type entry struct {
	Finding
	link
}

// findings applies the rule of one finding per cause to what the checks
// added, keeping their order.
func (d *doctor) findings() []Finding {
	reported := map[cause]bool{}
	for _, e := range d.entries {
		if e.reports != "" && e.Verdict != Pass {
			reported[e.reports] = true
		}
	}
	shown := map[cause]bool{}
	out := make([]Finding, 0, len(d.entries))
	for _, e := range d.entries {
		if slices.ContainsFunc(e.follows, func(c cause) bool { return reported[c] }) {
			continue
		}
		if e.reports != "" && e.Verdict != Pass {
			if shown[e.reports] {
				continue
			}
			shown[e.reports] = true
		}
		out = append(out, e.Finding)
	}
	return out
}

// failed reports whether a check has failed so far, consequences
// included.
func (d *doctor) failed() bool {
	for _, e := range d.entries {
		if e.Verdict == Fail {
			return true
		}
	}
	return false
}

// doctor is the state of one diagnosis: what later checks need to know
// about earlier ones.
type doctor struct {
	opts   Options
	getenv func(string) string // the process environment, then the Go environment file
	goenv  *goenv.Env          // where each Go variable came from, for advice
	env    policy.Env
	web    *web.Client
	trace  trace.Func
	// source is the path as events name it, credentials redacted.
	source string

	path    string
	host    string
	entries []entry

	// insecure says plain http and unverified TLS are allowed for the
	// path (--insecure or GOINSECURE), as they would be for get.
	insecure bool
	// httpsBroken says https could not be used (no connection, or a
	// certificate the client rejects).
	httpsBroken bool
	// private lists why the host looks private: private addresses, a
	// login wall, a repository that wants credentials.
	private []string
	// looked says DNS was consulted, so private addresses could be seen.
	looked bool
	// pathOK says the import path is valid; root is the repository root
	// once a tag or a static rule named it.
	pathOK bool
	root   string
}

func (d *doctor) run(ctx context.Context) {
	defer d.checkEnv()
	if !d.checkPath() {
		return
	}
	if rr, static := d.checkStatic(ctx); static {
		if rr != nil {
			d.root = rr.Root
			d.checkRepo(ctx, metaparse.Import{Prefix: rr.Root, VCS: rr.VCS, RepoRoot: rr.Repo})
		}
		return
	}
	if !d.checkNetwork(ctx) {
		return
	}
	pg := d.checkHTTP(ctx)
	if pg == nil {
		return
	}
	d.checkCache(pg)
	tag, matched, usable := d.checkTag(ctx, pg)
	if !matched {
		return
	}
	d.root = tag.Prefix
	d.checkConsistency(ctx, pg, tag)
	d.checkSource(pg, tag)
	if usable && tag.VCS != "mod" {
		d.checkRepo(ctx, tag)
	}
}

// security is the web security mode for the path.
func (d *doctor) security() web.SecurityMode {
	if d.insecure {
		return web.Insecure
	}
	return web.SecureOnly
}

// add records a finding, linked to the causes it reports or follows
// from (see findings). seen and fix are redacted and made safe for a
// terminal: pages and servers choose much of their text. In a fix, what
// the user types must stay typeable: a hidden secret there reads as a
// placeholder (fixText).
func (d *doctor) add(stage, id string, v Verdict, seen, fix string, links ...link) {
	e := entry{Finding: Finding{ID: id, Stage: stage, Verdict: v, Seen: displayText(seen), Fix: fixText(fix)}}
	for _, l := range links {
		if l.reports != "" {
			e.reports = l.reports
		}
		e.follows = append(e.follows, l.follows...)
	}
	d.entries = append(d.entries, e)
}

func (d *doctor) pass(stage, id, format string, args ...any) {
	d.add(stage, id, Pass, fmt.Sprintf(format, args...), "")
}

// displayText redacts s and replaces what a terminal would interpret
// (control characters, escape sequences) so a hostile page cannot rewrite
// the report; line breaks become spaces, since a finding is one line.
func displayText(s string) string {
	s = redact.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\t':
			b.WriteByte(' ')
		case r == unicode.ReplacementChar || !unicode.IsPrint(r) && r != ' ':
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// fixText is displayText for a fix: a fix names what to type (a netrc
// line, a git config command, a URL to put in a tag), and the redaction
// marker there would be typed as is. Each secret the redaction hid reads
// instead as the placeholder a person recognizes and replaces: PASSWORD
// after "user:" or as a password option, TOKEN for a token standing alone as the user of a URL or
// as the value of a secret query option. The secret itself never shows.
func fixText(s string) string {
	s = displayText(s)
	var b strings.Builder
	for {
		i := strings.Index(s, redact.Marker)
		if i < 0 {
			break
		}
		b.WriteString(s[:i])
		before := strings.ToLower(s[:i])
		if strings.HasSuffix(before, ":") || strings.HasSuffix(before, "password=") || strings.HasSuffix(before, "passwd=") {
			b.WriteString("PASSWORD")
		} else {
			b.WriteString("TOKEN")
		}
		s = s[i+len(redact.Marker):]
	}
	b.WriteString(s)
	return b.String()
}

// checkPath applies the Go command's syntax rules to the import path.
func (d *doctor) checkPath() bool {
	p := d.path
	d.host, _, _ = strings.Cut(p, "/")
	var fix string
	switch {
	case strings.Contains(p, "://"):
		fix = "give the import path without a scheme, as in an import statement: " + withoutScheme(p)
	case strings.Contains(d.host, ":"):
		fix = "an import path cannot name a port: the Go command always asks https://HOST/PATH?go-get=1 on port 443, so serve the page there"
	case strings.Contains(p, "@"):
		fix = "drop the @version: doctor checks the path, and every version is served by the same page"
	case !strings.Contains(d.host, "."):
		fix = "the first element of a vanity import path is a host name with a dot, such as example.org/pkg"
	}
	err := detect.CheckImportPath(p)
	if err == nil && !strings.Contains(d.host, ".") {
		err = errors.New("import path does not begin with hostname")
	}
	if err != nil {
		if fix == "" {
			fix = "import paths are slash-separated elements of letters, digits and the characters - . _ ~, with a host name first"
		}
		d.add(StagePath, "path.syntax", Fail, fmt.Sprintf("%q is not a valid import path: %v", p, err), fix)
		return false
	}
	d.pass(StagePath, "path.syntax", "%s is a valid import path", p)
	d.pathOK = true
	d.insecure = d.opts.Insecure || d.env.IsInsecure(p)
	return true
}

// withoutScheme is the import path a URL given for one names: without
// its scheme, its user information (an import path has none, so a
// password there is never shown, not even redacted), its query and its
// fragment.
func withoutScheme(p string) string {
	_, rest, _ := strings.Cut(p, "://")
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	host, path, _ := strings.Cut(rest, "/")
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:]
	}
	return strings.TrimSuffix(strings.Join([]string{host, path}, "/"), "/")
}

// checkStatic says whether the Go command resolves the path without a
// page (a known hosting site, or a .git/.hg/... qualifier). For such a
// path it returns the repository to check, with its scheme, or nil when
// none was found.
func (d *doctor) checkStatic(ctx context.Context) (*detect.RepoRoot, bool) {
	rr, err := detect.Static(d.path)
	switch {
	case errors.Is(err, detect.ErrUnknownSite):
		d.pass(StagePath, "path.static", "no static rule applies to %s: the Go command asks https://%s?go-get=1", d.path, d.path)
		return nil, false
	case err != nil:
		d.add(StagePath, "path.static", Fail, err.Error(),
			"paths on this hosting site have a fixed form; check the import path against the site's repository URL")
		return nil, true
	case !rr.NeedsScheme:
		d.pass(StagePath, "path.static", "%s is on a known hosting site: the Go command asks no go-import page and uses %s %s", d.path, rr.VCS, rr.Repo)
		return rr, true
	}
	d.add(StagePath, "path.vcs-qualifier", Warn,
		fmt.Sprintf("%s names its version control system: the Go command asks no go-import page, clones %s with %s and places it at %s", d.path, rr.Repo, rr.VCS, rr.Root),
		d.unqualifiedFix(ctx, rr))
	if err := d.resolver().ProbeScheme(ctx, rr, d.insecure); err != nil {
		d.add(StageRepository, "repo.unreachable", Fail,
			fmt.Sprintf("no scheme reaches %s: %v", rr.Repo, err),
			"check that the repository exists and answers over https (or ssh) without a prompt")
		return nil, true
	}
	return rr, true
}

// unqualifiedFix looks for a go-import page for the path without its
// .git (.hg, ...) element, which forges such as GitHub Enterprise and
// Gogs serve: importing by that path keeps the qualifier out of import
// paths and of the tree (golang/go#17898).
func (d *doctor) unqualifiedFix(ctx context.Context, rr *detect.RepoRoot) string {
	plain := strings.TrimSuffix(rr.Root, "."+rr.VCS)
	alt := plain + strings.TrimPrefix(d.path, rr.Root)
	pg := d.getPage(ctx, d.web, alt)
	if pg.Err() == nil {
		if m, err := discovery.Match(pg, alt); err == nil {
			return fmt.Sprintf("import it as %s: %s serves the go-import tag %q, and the .%s element then stays out of import paths and the tree", alt, pg.URL(), discovery.TagContent(m), rr.VCS)
		}
	}
	return fmt.Sprintf("serve a go-import page for %s and import the package by that path: the .%s element otherwise appears in every import path and in the tree", plain, rr.VCS)
}
