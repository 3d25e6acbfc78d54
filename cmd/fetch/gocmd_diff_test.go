package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

// goScenario is one vanity setup that the Go command and fetch are both
// asked to resolve. Every scenario uses hosts of its own, so scenarios can
// share one bed and run at the same time.
type goScenario struct {
	name string
	// path is the import path asked for.
	path string
	// pages are written under the bed's www tree (see package testbed).
	pages map[string]string
	// env is added to the environment of both commands.
	env []string
	// walk asks the Go command with "go get", which tries every prefix of
	// path as a module path; otherwise "go list -m" asks for path alone.
	// Use it where fetch walks to shorter prefixes (the page has no tag).
	walk bool
	// goPrefersMod marks fetch's one deliberate difference in choosing a
	// tag: the Go command in module mode takes a mod entry over a VCS
	// entry for the same prefix, fetch (placing checkouts, as GOPATH-mode
	// go get did) the VCS entry.
	goPrefersMod bool
}

// goOutcome is what a command resolved, or the error it gave.
type goOutcome struct {
	Root, VCS, Repo, SubDir string
	Err                     string
}

func tag(prefix, rest string) string {
	return `<html><head><meta name="go-import" content="` + prefix + " " + rest + `"></head></html>`
}

func goScenarios() []goScenario {
	const git = "${TESTBED_GIT}"
	return []goScenario{
		{name: "a tag at the exact root", path: "exact.test/foo",
			pages: map[string]string{"exact.test/foo.html": tag("exact.test/foo", "git "+git+"/exact.git")}},
		{name: "a tag for a shorter prefix, verified at the prefix", path: "verify.test/foo/sub/pkg",
			pages: map[string]string{
				"verify.test/foo/sub/pkg.html": tag("verify.test/foo", "git "+git+"/verify.git"),
				"verify.test/foo.html":         tag("verify.test/foo", "git "+git+"/verify.git"),
			}},
		{name: "a prefix page that disagrees", path: "disagree.test/foo/sub",
			pages: map[string]string{
				"disagree.test/foo/sub.html": tag("disagree.test/foo", "git "+git+"/one.git"),
				"disagree.test/foo.html":     tag("disagree.test/foo", "git "+git+"/two.git"),
			}},
		{name: "a prefix page without tags", path: "unverified.test/foo/sub",
			pages: map[string]string{
				"unverified.test/foo/sub.html": tag("unverified.test/foo", "git "+git+"/one.git"),
				"unverified.test/foo.html":     "<html><head></head></html>",
			}},
		{name: "a tag inside body", path: "body.test/foo", walk: true,
			pages: map[string]string{"body.test/foo.html": "<html><head><title>x</title><body>\n" +
				`<meta name="go-import" content="body.test/foo git ` + git + `/body.git"></body></html>`}},
		{name: "two tags that match", path: "multi.test/foo/bar",
			pages: map[string]string{"multi.test/foo/bar.html": "<html><head>" +
				`<meta name="go-import" content="multi.test/foo git ` + git + `/a.git">` +
				`<meta name="go-import" content="multi.test/foo/bar git ` + git + `/b.git"></head></html>`}},
		{name: "tags for other prefixes", path: "mismatch.test/foo",
			pages: map[string]string{"mismatch.test/foo.html": "<html><head>" +
				`<meta name="go-import" content="mismatch.test/bar git ` + git + `/a.git">` +
				`<meta name="go-import" content="mismatch.test/foobar git ` + git + `/b.git"></head></html>`}},
		{name: "a 404 page that carries the tag", path: "notfound.test/foo",
			pages: map[string]string{
				"notfound.test/foo.html":   tag("notfound.test/foo", "git "+git+"/nf.git"),
				"notfound.test/foo.status": "404",
			}},
		{name: "a 404 without tags under a prefix that has one", path: "walk.test/a/b/c", walk: true,
			pages: map[string]string{"walk.test/a.html": tag("walk.test/a", "git "+git+"/walk.git")}},
		{name: "no page at any prefix, with a plain-text 404", path: "nothing.test/x/y", walk: true,
			pages: map[string]string{
				"nothing.test/x/y.html":    "no such package\n",
				"nothing.test/x/y.status":  "404",
				"nothing.test/x/y.headers": "Content-Type: text/plain; charset=utf-8",
			}},
		{name: "a redirect to another host", path: "redirect.test/foo",
			pages: map[string]string{
				"redirect.test/foo.location":      "https://redirect-target.test/foo?go-get=1",
				"redirect-target.test/foo.html":   tag("redirect.test/foo", "git "+git+"/redirect.git"),
				"redirect-target.test/other.html": tag("redirect-target.test/other", "git "+git+"/other.git"),
			}},
		{name: "a redirect from https to http", path: "tohttp.test/foo",
			pages: map[string]string{
				"tohttp.test/foo.location":   "http://tohttp.test/plain/foo?go-get=1",
				"tohttp.test/plain/foo.html": tag("tohttp.test/foo", "git "+git+"/plain.git"),
			}},
		{name: "a redirect from https to http allowed by GOINSECURE", path: "tohttp-ok.test/foo",
			env: []string{"GOINSECURE=tohttp-ok.test"},
			pages: map[string]string{
				"tohttp-ok.test/foo.location":   "http://tohttp-ok.test/plain/foo?go-get=1",
				"tohttp-ok.test/plain/foo.html": tag("tohttp-ok.test/foo", "git "+git+"/plain.git"),
			}},
		{name: "a repository root without a scheme", path: "noscheme.test/foo",
			pages: map[string]string{"noscheme.test/foo.html": tag("noscheme.test/foo", "git code.example.net/foo.git")}},
		{name: "a file repository root", path: "fileroot.test/foo",
			pages: map[string]string{"fileroot.test/foo.html": tag("fileroot.test/foo", "git FILE:///srv/foo.git")}},
		{name: "a repository root that looks like an option", path: "dashroot.test/foo",
			pages: map[string]string{"dashroot.test/foo.html": tag("dashroot.test/foo", "git --upload-pack=touch://x")}},
		{name: "an unknown version control system", path: "cvs.test/foo",
			pages: map[string]string{"cvs.test/foo.html": tag("cvs.test/foo", "cvs https://cvs.example.net/foo")}},
		{name: "only a mod entry", path: "modonly.test/foo",
			pages: map[string]string{"modonly.test/foo.html": tag("modonly.test/foo", "mod https://modproxy.test/mod")}},
		{name: "a mod entry and a git entry", path: "modboth.test/foo", goPrefersMod: true,
			pages: map[string]string{"modboth.test/foo.html": "<html><head>" +
				`<meta name="go-import" content="modboth.test/foo git ` + git + `/both.git">` +
				`<meta name="go-import" content="modboth.test/foo mod https://modproxy.test/mod"></head></html>`}},
		{name: "a subdirectory field", path: "subdir.test/foo",
			pages: map[string]string{"subdir.test/foo.html": tag("subdir.test/foo", "git "+git+"/mono.git go/foo")}},
		{name: "a subdirectory with a leading slash", path: "subslash.test/foo",
			pages: map[string]string{"subslash.test/foo.html": tag("subslash.test/foo", "git "+git+"/mono.git /go")}},
		{name: "a subdirectory with a leading hyphen", path: "subdash.test/foo",
			pages: map[string]string{"subdash.test/foo.html": tag("subdash.test/foo", "git "+git+"/mono.git -go")}},
		{name: "a page in a charset the Go command cannot read", path: "charset.test/foo", walk: true,
			pages: map[string]string{"charset.test/foo.html": `<?xml version="1.0" encoding="ISO-8859-1"?>` + "\n" +
				tag("charset.test/foo", "git "+git+"/latin1.git")}},
		{name: "a tag after a raw < in a script", path: "script.test/foo", walk: true,
			pages: map[string]string{"script.test/foo.html": "<html><head><script>if (a < b) {}</script>\n" +
				`<meta name="go-import" content="script.test/foo git ` + git + `/script.git"></head></html>`}},
		{name: "tags before an XML error", path: "lateerror.test/foo",
			pages: map[string]string{"lateerror.test/foo.html": "<html><head>" +
				`<meta name="go-import" content="lateerror.test/foo git ` + git + `/late.git">` +
				"<script>if (a < b) {}</script></head></html>"}},
		{name: "an unquoted name and an entity", path: "unquoted.test/foo",
			pages: map[string]string{"unquoted.test/foo.html": "<html><head>" +
				`<meta name=go-import content="unquoted.test/foo git ` + git + `/q.git?a=1&amp;b=2"></head></html>`}},
		{name: "a name in the wrong case", path: "case.test/foo", walk: true,
			pages: map[string]string{"case.test/foo.html": "<html><head>" +
				`<meta name="Go-Import" content="case.test/foo git ` + git + `/case.git"></head></html>`}},
		{name: "a host-only import path", path: "hostonly.test",
			pages: map[string]string{"hostonly.test/index.html": tag("hostonly.test", "git "+git+"/host.git")}},
		{name: "a tag for the host alone, verified at the host's root", path: "hostprefix.test/foo/bar",
			pages: map[string]string{
				"hostprefix.test/foo/bar.html": tag("hostprefix.test", "git "+git+"/host.git"),
				"hostprefix.test/index.html":   tag("hostprefix.test", "git "+git+"/host.git"),
			}},
		{name: "a prefix page that is a plain-text 404", path: "prefix404.test/foo/sub",
			pages: map[string]string{
				"prefix404.test/foo/sub.html": tag("prefix404.test/foo", "git "+git+"/p.git"),
				"prefix404.test/foo.html":     "gone\n",
				"prefix404.test/foo.status":   "404",
				"prefix404.test/foo.headers":  "Content-Type: text/plain",
			}},
		{name: "a server error with a long plain-text message", path: "error500.test/foo", walk: true,
			pages: map[string]string{
				"error500.test/foo.html":    "line one\nline two\nline three\n\nafter the blank line\n",
				"error500.test/foo.status":  "500",
				"error500.test/foo.headers": "Content-Type: text/plain; charset=us-ascii",
			}},
		{name: "a prefix ending in a slash", path: "trailing.test/foo/bar",
			pages: map[string]string{
				"trailing.test/foo/bar.html":   tag("trailing.test/foo/", "git "+git+"/trailing.git"),
				"trailing.test/foo/index.html": tag("trailing.test/foo/", "git "+git+"/trailing.git"),
			}},
		{name: "a redirect loop", path: "loop.test/foo",
			pages: map[string]string{"loop.test/foo.location": "https://loop.test/foo?go-get=1"}},
		{name: "a known hosting site", path: "github.com/gopher/proj"},
		{name: "a .git-qualified path", path: "qualified.test/qual.git"},
		{name: "a .git-qualified path with no repository behind it", path: "qualified-missing.test/absent.git",
			env: []string{"GIT_SSH_COMMAND=false"}},
		{name: "an svn tag under the default GOVCS", path: "govcs.test/foo",
			pages: map[string]string{"govcs.test/foo.html": tag("govcs.test/foo", "svn https://svn.example.net/foo")}},
		{name: "an svn tag allowed by GOVCS", path: "govcs-ok.test/foo", env: []string{"GOVCS=govcs-ok.test:svn"},
			pages: map[string]string{"govcs-ok.test/foo.html": tag("govcs-ok.test/foo", "svn https://svn.example.net/foo")}},
		{name: "a private svn tag refused by GOVCS", path: "govcs-private.test/foo",
			env:   []string{"GOPRIVATE=govcs-private.test", "GOVCS=private:git"},
			pages: map[string]string{"govcs-private.test/foo.html": tag("govcs-private.test/foo", "svn https://svn.example.net/foo")}},
		{name: "an .svn-qualified path under the default GOVCS", path: "govcs-qualified.test/repo.svn"},
	}
}

// TestGoCommandAgrees resolves each scenario with the real Go command
// (module mode, GOPROXY=direct) and with fetch, against the same loopback
// servers, and requires the same answer (root, vcs, repository,
// subdirectory) or the same error text, and the same discovery requests.
// Plain-http-only servers are covered by testscripts only: the bed's proxy,
// which is how the Go command reaches made-up hosts, always answers https.
func TestGoCommandAgrees(t *testing.T) {
	t.Parallel()
	goBin := testutil.NeedTool(t, "go", "golang-go")
	testutil.NeedTool(t, "git", "git")
	fetchBin, err := exec.LookPath("fetch")
	if err != nil {
		t.Fatalf("the fetch binary testscript.Main installs is not in PATH: %v", err)
	}
	b := testbed.New(t)
	for _, name := range []string{"qual", "gopher/proj"} {
		if _, err := b.AddGitRepo(name, map[string]string{"README": "no go.mod: any module path will do\n"}); err != nil {
			t.Fatal(err)
		}
	}
	shared := t.TempDir()
	base := append(b.Env(),
		"PATH="+os.Getenv("PATH"),
		"HOME="+filepath.Join(shared, "home"),
		"GOPATH="+filepath.Join(shared, "gopath"),
		"GOMODCACHE="+filepath.Join(shared, "modcache"),
		"GOCACHE="+filepath.Join(shared, "gocache"),
		"GOENV=off", "GOTOOLCHAIN=local", "GOPROXY=direct", "GOSUMDB=off", "GOFLAGS=-mod=mod",
		"HTTPS_PROXY=http://"+b.ProxyAddr, "HTTP_PROXY=http://"+b.ProxyAddr,
	)
	scenarios := goScenarios()
	owner := map[string]string{}
	for _, sc := range scenarios {
		for h := range scenarioHosts(sc) {
			if other, ok := owner[h]; ok {
				t.Fatalf("scenarios %q and %q share host %s: their requests would mix", other, sc.name, h)
			}
			owner[h] = sc.name
		}
	}
	// The commands run concurrently here rather than in parallel
	// subtests: they mostly wait on each other and the servers, and
	// -test.parallel (GOMAXPROCS by default) would queue them.
	runs := make([]goRun, len(scenarios))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, sc := range scenarios {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			runs[i] = runScenario(t.Context(), b, goBin, fetchBin, base, sc)
		})
	}
	wg.Wait()
	for i, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) { runs[i].check(t, sc) })
	}
}

// goRun is what the two commands did for one scenario.
type goRun struct {
	err               error // the scenario could not be run
	fetchOut, goOut   goOutcome
	fetchReqs, goReqs []string
	fetchLog, goLog   string
}

func runScenario(ctx context.Context, b *testbed.Bed, goBin, fetchBin string, base []string, sc goScenario) goRun {
	for name, content := range sc.pages {
		if err := b.WriteWWW(name, content); err != nil {
			return goRun{err: err}
		}
	}
	dir, err := os.MkdirTemp(b.Dir, "scenario-")
	if err != nil {
		return goRun{err: err}
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module m\n\ngo 1.21\n"), 0o666); err != nil {
		return goRun{err: err}
	}
	env := append(append(slices.Clip(base), "FETCH_ROOT="+filepath.Join(dir, "root")), sc.env...)
	hosts := scenarioHosts(sc)

	// fetch first: it waits for every request it makes, so the requests
	// logged after it ends are the Go command's.
	var r goRun
	if r.fetchOut, r.fetchLog, r.err = runFetch(ctx, fetchBin, dir, env, sc.path); r.err != nil {
		return r
	}
	r.fetchReqs = discoveryRequests(b.Requests(), hosts)
	if r.goOut, r.goLog, r.err = runGo(ctx, goBin, dir, env, sc); r.err != nil {
		return r
	}
	r.goReqs = discoveryRequests(b.Requests(), hosts)[len(r.fetchReqs):]
	slices.Sort(r.fetchReqs)
	slices.Sort(r.goReqs)
	return r
}

func (r goRun) check(t *testing.T, sc goScenario) {
	if r.err != nil {
		t.Fatalf("%v\nfetch's output:\n%s\ngo's output:\n%s", r.err, r.fetchLog, r.goLog)
	}
	t.Logf("go:    %+v\nfetch: %+v\nrequests: go %q, fetch %q", r.goOut, r.fetchOut, r.goReqs, r.fetchReqs)
	if r.goOut.Err == "" && r.goOut.Root == "" {
		r.fetchOut.Root = "" // the Go command did not say
	}
	if sc.goPrefersMod {
		if r.goOut.VCS != "mod" || r.fetchOut.VCS == "mod" || r.fetchOut.VCS == "" {
			t.Errorf("want the Go command to choose the mod entry and fetch the VCS entry;\ngo:    %+v\nfetch: %+v\ngo's output:\n%s", r.goOut, r.fetchOut, r.goLog)
		}
	} else if r.goOut != r.fetchOut {
		t.Errorf("fetch and the Go command differ:\ngo:    %+v\nfetch: %+v\ngo's output:\n%s", r.goOut, r.fetchOut, r.goLog)
	}
	if sc.walk {
		// The Go command asks every prefix at once; fetch asks them
		// longest first and stops at the first answer.
		if !isSubMultiset(r.fetchReqs, r.goReqs) {
			t.Errorf("fetch asked for pages the Go command did not:\nfetch: %q\ngo:    %q", r.fetchReqs, r.goReqs)
		}
	} else if !slices.Equal(r.fetchReqs, r.goReqs) {
		t.Errorf("fetch and the Go command asked for different pages:\nfetch: %q\ngo:    %q\ngo's output:\n%s", r.fetchReqs, r.goReqs, r.goLog)
	}
}

// scenarioHosts are the hosts a scenario's path and pages name.
func scenarioHosts(sc goScenario) map[string]bool {
	hosts := map[string]bool{}
	host, _, _ := strings.Cut(sc.path, "/")
	hosts[host] = true
	for name := range sc.pages {
		h, _, _ := strings.Cut(name, "/")
		hosts[h] = true
	}
	return hosts
}

// discoveryRequests picks the ?go-get=1 requests for hosts from the bed's
// log, as "scheme://host/path" strings.
func discoveryRequests(log []string, hosts map[string]bool) []string {
	var out []string
	for _, line := range log {
		method, target, _ := strings.Cut(line, " ")
		u, err := url.Parse(target)
		if method != "GET" || err != nil || !hosts[u.Hostname()] || u.RawQuery != "go-get=1" {
			continue
		}
		out = append(out, u.Scheme+"://"+u.Host+u.Path)
	}
	return out
}

func isSubMultiset(small, big []string) bool {
	count := map[string]int{}
	for _, s := range big {
		count[s]++
	}
	for _, s := range small {
		if count[s] == 0 {
			return false
		}
		count[s]--
	}
	return true
}

func runFetch(ctx context.Context, bin, dir string, env []string, path string) (goOutcome, string, error) {
	cmd := exec.CommandContext(ctx, bin, "resolve", "--json", "-v", path)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run() // the exit status says no more than the result does
	var r fetch.Result
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return goOutcome{}, stderr.String(), fmt.Errorf("fetch resolve --json %s printed no result (%v): %s", path, err, stdout.String())
	}
	if r.Status == fetch.StatusError {
		return goOutcome{Err: r.Error}, stderr.String(), nil
	}
	return goOutcome{Root: r.Root, VCS: r.VCS, Repo: r.Repo, SubDir: r.RepoSubdir}, stderr.String(), nil
}

// foundTag is the line "go -v" logs when discovery chose a tag.
var foundTag = regexp.MustCompile(`(?m)^get ("(?:[^"\\]|\\.)*"): found meta tag vcs\.metaImport\{Prefix:("(?:[^"\\]|\\.)*"), VCS:("(?:[^"\\]|\\.)*"), RepoRoot:("(?:[^"\\]|\\.)*"), SubDir:("(?:[^"\\]|\\.)*")\}`)

// runGo asks the Go command to resolve sc.path and reads its answer from
// what it logs: the tag it found (-v), the repository it cloned (for
// qualified paths, which need no tag), or the error for the path.
func runGo(ctx context.Context, bin, dir string, env []string, sc goScenario) (goOutcome, string, error) {
	args := []string{"list", "-m", "-json", "-v", "-x", sc.path + "@latest"}
	if sc.walk {
		args = []string{"get", "-v", "-x", sc.path + "@latest"}
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir, cmd.Env = dir, env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	_ = cmd.Run() // most scenarios end in an error after discovery
	log := stderr.String()

	errText := goError(log, sc.path)
	if strings.HasPrefix(errText, `unrecognized import path "`+sc.path+`"`) {
		return goOutcome{Err: errText}, log, nil
	}
	var found goOutcome
	longest := ""
	for _, m := range foundTag.FindAllStringSubmatch(log, -1) {
		f := make([]string, len(m))
		for i := 1; i < len(m); i++ {
			var err error
			if f[i], err = strconv.Unquote(m[i]); err != nil {
				return goOutcome{}, log, fmt.Errorf("cannot read %s in %q: %v", m[i], m[0], err)
			}
		}
		// With go get, each prefix found is a candidate; the longest
		// wins, as in fetch's walk.
		if len(f[1]) > len(longest) {
			longest = f[1]
			found = goOutcome{Root: f[2], VCS: f[3], Repo: f[4], SubDir: f[5]}
		}
	}
	if longest != "" {
		return found, log, nil
	}
	var mod struct{ Origin struct{ VCS, URL string } }
	if json.Unmarshal(stdout.Bytes(), &mod) == nil && mod.Origin.URL != "" {
		// A qualified path: the Go command logs no root for it.
		return goOutcome{VCS: mod.Origin.VCS, Repo: mod.Origin.URL}, log, nil
	}
	if errText == "" {
		return goOutcome{}, log, fmt.Errorf("cannot tell what the Go command resolved for %s", sc.path)
	}
	return goOutcome{Err: errText}, log, nil
}

// goError returns the error the Go command printed for path@latest, with
// its tab-indented continuation lines.
func goError(log, path string) string {
	prefix := "go: " + path + "@latest: "
	lines := strings.Split(log, "\n")
	for i, l := range lines {
		if !strings.HasPrefix(l, prefix) {
			continue
		}
		msg := strings.TrimPrefix(l, prefix)
		for _, more := range lines[i+1:] {
			if !strings.HasPrefix(more, "\t") {
				break
			}
			msg += "\n" + more
		}
		return msg
	}
	return ""
}
