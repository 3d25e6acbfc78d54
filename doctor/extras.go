package doctor

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofetch/fetch/internal/discovery"
	"github.com/gofetch/fetch/internal/pathprefix"

	"github.com/gofetch/fetch/metaparse"
)

// staleAfter is the longest a cache may keep a ?go-get=1 page before a
// warning: beyond it, a fixed tag keeps being served stale for long.
const staleAfter = time.Hour

// checkSource checks the optional go-source tags, which godoc-style sites
// use to link to source files: the Go command ignores them, so mistakes
// there go unnoticed.
func (d *doctor) checkSource(pg *discovery.Page, tag metaparse.Import) {
	var problems []string
	for _, s := range pg.Strict().Skipped {
		if strings.EqualFold(strings.TrimSpace(s.Name), "go-source") {
			problems = append(problems, fmt.Sprintf("line %d: go-source content %q: %s (want prefix home directory file)", s.Line, s.Content, s.Reason))
		}
	}
	served := false
	for _, s := range pg.Strict().Sources {
		if !pathprefix.Has(pg.ImportPath(), s.Prefix) {
			continue
		}
		served = true
		if s.Prefix != tag.Prefix {
			problems = append(problems, fmt.Sprintf("go-source prefix %s differs from the go-import prefix %s", s.Prefix, tag.Prefix))
		}
		for _, f := range []struct{ name, v string }{{"home", s.Home}, {"directory", s.Directory}, {"file", s.File}} {
			if f.v == "_" {
				continue
			}
			if u, err := url.Parse(f.v); err != nil || (u.Scheme != "https" && u.Scheme != "http") {
				problems = append(problems, fmt.Sprintf("go-source %s %q is neither an http(s) URL template nor _", f.name, f.v))
			}
		}
	}
	switch {
	case len(problems) > 0:
		d.add(StageExtras, "source.go-source", Warn, strings.Join(problems, "; "),
			fmt.Sprintf(`write <meta name="go-source" content="%s HOME DIRECTORY-TEMPLATE FILE-TEMPLATE"> with URL templates (or _), or drop it: only documentation sites read it`, tag.Prefix))
	case served:
		d.pass(StageExtras, "source.go-source", "the go-source tag for %s is well formed", tag.Prefix)
	default:
		d.pass(StageExtras, "source.go-source", "no go-source tag (optional: documentation sites use it to link to source files)")
	}
}

// checkCache reads the caching headers of the page: a long lifetime keeps
// a fixed page stale in CDNs and proxies for that long.
func (d *doctor) checkCache(pg *discovery.Page) {
	cc := pg.Header().Get("Cache-Control")
	age := ""
	if a := pg.Header().Get("Age"); a != "" {
		age = fmt.Sprintf(" (this answer came from a cache, Age: %s s)", a)
	}
	life := cacheLifetime(cc, pg.Header(), time.Now())
	if life > staleAfter {
		what := "Cache-Control: " + cc
		if cc == "" {
			what = "Expires: " + pg.Header().Get("Expires")
		}
		d.add(StageExtras, "cache.control", Warn,
			fmt.Sprintf("%s: caches may keep serving this page for %s after it is fixed%s", what, span(life), age),
			"give ?go-get=1 pages a short lifetime (Cache-Control: max-age=300 or less), and purge the CDN after changing a tag")
		return
	}
	if cc == "" {
		d.pass(StageExtras, "cache.control", "no Cache-Control header; no long-lived caching asked for%s", age)
		return
	}
	d.pass(StageExtras, "cache.control", "Cache-Control: %s%s", cc, age)
}

// cacheLifetime is how long shared caches may keep a response:
// s-maxage, else max-age, else Expires; zero when caching is off.
func cacheLifetime(cc string, h http.Header, now time.Time) time.Duration {
	var maxAge, sMaxAge time.Duration = -1, -1
	for _, dir := range strings.Split(cc, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(dir), "=")
		n, err := strconv.ParseInt(strings.Trim(v, `"`), 10, 64)
		switch k = strings.ToLower(k); {
		case k == "no-store" || k == "no-cache" || k == "private":
			return 0
		case k == "max-age" && err == nil:
			maxAge = time.Duration(n) * time.Second
		case k == "s-maxage" && err == nil:
			sMaxAge = time.Duration(n) * time.Second
		}
	}
	switch {
	case sMaxAge >= 0:
		return sMaxAge
	case maxAge >= 0:
		return maxAge
	}
	if t, err := http.ParseTime(h.Get("Expires")); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// checkEnv gives environment advice: a private host needs GOPRIVATE
// (else the Go command asks the public proxy and checksum database, which
// cannot see it), and GOINSECURE is pointless where https works.
func (d *doctor) checkEnv() {
	if !d.pathOK {
		return
	}
	root := d.path
	if d.root != "" {
		root = d.root
	}
	env := d.env
	switch {
	case len(d.private) > 0 && env.IsPrivate(root):
		d.pass(StageExtras, "env.goprivate", "%s looks private (%s), and GOPRIVATE covers %s", d.host, strings.Join(d.private, "; "), root)
	case len(d.private) > 0:
		d.add(StageExtras, "env.goprivate", Warn,
			fmt.Sprintf("%s looks private (%s), but GOPRIVATE does not cover %s: the Go command asks proxy.golang.org and sum.golang.org, which cannot reach it", d.host, strings.Join(d.private, "; "), root),
			fmt.Sprintf("clients set GOPRIVATE=%s (go env -w GOPRIVATE=%s), which also covers GONOPROXY and GONOSUMDB%s", d.host, d.host, d.setIn("GOPRIVATE")))
	case d.looked:
		d.pass(StageExtras, "env.goprivate", "%s looks public: public addresses, no login asked for", d.host)
	default:
		d.pass(StageExtras, "env.goprivate", "no login asked for; %s's addresses were not looked up", d.host)
	}
	if len(d.private) > 0 && env.IsPrivate(root) && !env.IsNoSumDB(root) {
		d.add(StageExtras, "env.gonosumdb", Warn,
			fmt.Sprintf("GONOSUMDB=%s does not cover %s: the Go command asks sum.golang.org about it and fails (410 Gone)", env.GONOSUMDB, root),
			fmt.Sprintf("add %s to GONOSUMDB, or unset GONOSUMDB so that GOPRIVATE applies%s", d.host, d.setIn("GONOSUMDB")))
	}
	if env.IsInsecure(d.path) && !d.httpsBroken && !d.failed() {
		d.add(StageExtras, "env.goinsecure", Warn,
			fmt.Sprintf("GOINSECURE covers %s, but the server answers https with a trusted certificate", d.path),
			"drop the path from GOINSECURE: it only lets an attacker on the network answer instead of the server"+d.setIn("GOINSECURE"))
	}
}

// setIn says, for advice about the Go variable key, where this machine's
// value comes from when it is the Go environment file rather than the
// environment: that is where it must be changed (an export would not
// undo it for the Go command).
func (d *doctor) setIn(key string) string {
	src := d.goenv.Source(key)
	if src == "" || src == "environment" {
		return ""
	}
	return fmt.Sprintf("; here %s=%s is set in the Go environment file %s: change it with go env -w %s=... or remove it with go env -u %s", key, d.goenv.Getenv(key), src, key, key)
}
