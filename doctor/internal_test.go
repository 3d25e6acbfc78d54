package doctor

import (
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gofetch/fetch/metaparse"
)

func TestIsPrivateAddr(t *testing.T) {
	for _, tc := range []struct {
		name, addr string
		want       bool
	}{
		{"loopback is private", "127.0.0.1", true},
		{"IPv6 loopback is private", "::1", true},
		{"an RFC 1918 address is private", "10.1.2.3", true},
		{"another RFC 1918 range is private", "192.168.0.10", true},
		{"a unique local IPv6 address is private", "fd00::1", true},
		{"a link-local address is private", "169.254.1.1", true},
		{"a carrier-grade NAT address (VPNs) is private", "100.100.1.1", true},
		{"an IPv4-mapped private address is private", "::ffff:10.0.0.1", true},
		{"a public IPv4 address is not", "93.184.215.14", false},
		{"a public IPv6 address is not", "2606:2800:21f:cb07:6820:80da:af6b:8b2c", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isPrivateAddr(netip.MustParseAddr(tc.addr)); got != tc.want {
				t.Errorf("isPrivateAddr(%s) = %v, want %v", tc.addr, got, tc.want)
			}
		})
	}
}

func TestCacheLifetime(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name, cc, expires string
		want              time.Duration
	}{
		{"no header means no lifetime", "", "", 0},
		{"max-age is the lifetime", "public, max-age=86400", "", 24 * time.Hour},
		{"s-maxage wins over max-age for shared caches", "max-age=60, s-maxage=7200", "", 2 * time.Hour},
		{"no-store turns caching off", "no-store, max-age=86400", "", 0},
		{"private keeps shared caches out", "private, max-age=86400", "", 0},
		{"Expires counts when no max-age is given", "", "Fri, 02 Jan 2026 00:00:00 GMT", 24 * time.Hour},
		{"max-age wins over Expires", "max-age=300", "Fri, 02 Jan 2026 00:00:00 GMT", 5 * time.Minute},
		{"an Expires in the past is no lifetime", "", "Wed, 31 Dec 2025 00:00:00 GMT", 0},
		{"a malformed max-age is ignored", "max-age=soon", "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.expires != "" {
				h.Set("Expires", tc.expires)
			}
			if got := cacheLifetime(tc.cc, h, now); got != tc.want {
				t.Errorf("cacheLifetime(%q, Expires %q) = %v, want %v", tc.cc, tc.expires, got, tc.want)
			}
		})
	}
}

func TestIsLoginURL(t *testing.T) {
	for _, tc := range []struct {
		name, url, own string
		want           bool
	}{
		{"GitLab's sign-in page is a login page", "https://git.example/users/sign_in", "/x", true},
		{"Gogs' login page is a login page", "https://git.example/user/login?redirect_to=%2Fx", "/x", true},
		{"an SSO endpoint is a login page", "https://sso.example/saml2/idp?SAMLRequest=abc", "/x", true},
		{"an OAuth authorize endpoint is a login page", "https://auth.example/oauth/authorize?client_id=1", "/x", true},
		{"a page that names where to return after a log-on is a login page", "https://example.org/logon?next=%2Fx", "/x", true},
		{"a path merely containing the word is not", "https://example.org/pkg/authors", "/x", false},
		{"a package named after logins is not", "https://example.org/loginutil", "/x", false},
		{"the package itself, with a slash added, is not, whatever its name", "https://example.org/login/?go-get=1", "/login", false},
		{"a moved package is not a login page", "https://new.example/pkg?go-get=1", "/pkg", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isLoginURL(tc.url, tc.own); got != tc.want {
				t.Errorf("isLoginURL(%q, %q) = %v, want %v", tc.url, tc.own, got, tc.want)
			}
		})
	}
}

func TestMismatchID(t *testing.T) {
	for _, tc := range []struct {
		name     string
		prefixes []string
		want     string
	}{
		{"a prefix with a scheme is named for the scheme", []string{"https://example.org/foo"}, "meta.prefix-scheme"},
		{"a prefix with a trailing slash is named for the slash", []string{"example.org/other", "example.org/foo/"}, "meta.prefix-trailing-slash"},
		{"any other prefix is a plain mismatch", []string{"example.org/fo"}, "meta.prefix-mismatch"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := mismatchID(tc.prefixes); got != tc.want {
				t.Errorf("mismatchID(%q) = %q, want %q", tc.prefixes, got, tc.want)
			}
		})
	}
}

func TestDisplayText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
	}{
		{"plain text is kept", "example.org/foo answers 200 OK", "example.org/foo answers 200 OK"},
		{"a URL password is redacted", "cloning https://bob:hunter2@code.example/x.git", "cloning https://bob:REDACTED@code.example/x.git"},
		{"an escape sequence is shown, not sent", "a\x1b[2Jb", `a\u001b[2Jb`},
		{"line breaks become spaces", "first\nsecond\r\n\tthird", "first second third"},
		{"a bell is shown, not rung", "x\x07", `x\u0007`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := displayText(tc.in); got != tc.want {
				t.Errorf("displayText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestIsMajorSuffix(t *testing.T) {
	for _, tc := range []struct {
		name, prefix, mod string
		want              bool
	}{
		{"v2 below the prefix is a major version", "example.org/lib", "example.org/lib/v2", true},
		{"v10 is a major version", "example.org/lib", "example.org/lib/v10", true},
		{"v1 is never written as a suffix", "example.org/lib", "example.org/lib/v1", false},
		{"v0 is not a major version suffix", "example.org/lib", "example.org/lib/v0", false},
		{"a leading zero is not a version", "example.org/lib", "example.org/lib/v02", false},
		{"a package named v2x is not a version", "example.org/lib", "example.org/lib/v2x", false},
		{"another module is not a version of this one", "example.org/lib", "example.org/other/v2", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := isMajorSuffix(tc.prefix, tc.mod); got != tc.want {
				t.Errorf("isMajorSuffix(%q, %q) = %v, want %v", tc.prefix, tc.mod, got, tc.want)
			}
		})
	}
}

func TestHelperName(t *testing.T) {
	for _, tc := range []struct {
		name, helper, want string
	}{
		{"a named helper is shown by name", "store", "store"},
		{"a helper's arguments are left out", "store --file=/home/u/.secret-creds", "store"},
		{"a shell helper is never shown", "!f() { echo password=hunter2; }; f", "a shell command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := helperName(tc.helper); got != tc.want {
				t.Errorf("helperName(%q) = %q, want %q", tc.helper, got, tc.want)
			}
		})
	}
}

func TestGitHeadBranch(t *testing.T) {
	for _, tc := range []struct {
		name       string
		files      map[string]string
		wantBranch string
		wantOK     bool
	}{
		{"a branch with a loose ref exists", map[string]string{"HEAD": "ref: refs/heads/main\n", "refs/heads/main": "abc\n"}, "main", true},
		{"a branch in packed-refs exists", map[string]string{"HEAD": "ref: refs/heads/trunk\n", "packed-refs": "# pack-refs\nabc refs/heads/trunk\n"}, "trunk", true},
		{"HEAD naming a missing branch is no default branch", map[string]string{"HEAD": "ref: refs/heads/master\n", "packed-refs": "abc refs/heads/main\n"}, "master", false},
		{"a detached HEAD is no default branch", map[string]string{"HEAD": "0123abcd\n"}, "0123abcd", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tc.files {
				p := filepath.Join(dir, ".git", filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o666); err != nil {
					t.Fatal(err)
				}
			}
			branch, ok := gitHeadBranch(dir)
			if branch != tc.wantBranch || ok != tc.wantOK {
				t.Errorf("gitHeadBranch = %q, %v; want %q, %v", branch, ok, tc.wantBranch, tc.wantOK)
			}
		})
	}
}

func TestFixTextWritesPlaceholdersForHiddenSecrets(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, in, want string
	}{
		{"a URL password", "check https://bob:hunter2@code.example/x.git", "check https://bob:PASSWORD@code.example/x.git"},
		{"a token as the user", "clone https://ghp1234@code.example/x.git", "clone https://TOKEN@code.example/x.git"},
		{"a secret query option", "ask https://proxy.example/mod?token=abcd&x=1", "ask https://proxy.example/mod?token=TOKEN&x=1"},
		{"a password query option", "ask https://h/p?password=abcd", "ask https://h/p?password=PASSWORD"},
		{"an scp-style password", "use bob:hunter2@code.example:x.git", "use bob:PASSWORD@code.example:x.git"},
		{"a quoted insteadOf command keeps its account", `git config --global url."ssh://git@example.org/".insteadOf "https://example.org/"`, `git config --global url."ssh://git@example.org/".insteadOf "https://example.org/"`},
		{"a netrc line stays as written", "machine example.org login USER password TOKEN", "machine example.org login USER password TOKEN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := fixText(tc.in)
			if got != tc.want {
				t.Errorf("fixText(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if strings.Contains(got, "hunter2") || strings.Contains(got, "abcd") || strings.Contains(got, "ghp1234") {
				t.Errorf("fixText(%q) = %q shows the secret", tc.in, got)
			}
		})
	}
}

func TestWithoutScheme(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://example.org/foo":                 "example.org/foo",
		"https://alice:s3cret@example.org/foo":    "example.org/foo",
		"https://tok@example.org/foo/?go-get=1#x": "example.org/foo",
		"git+ssh://example.org":                   "example.org",
	} {
		if got := withoutScheme(in); got != want {
			t.Errorf("withoutScheme(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMultipleMatchListsEachTagOnce(t *testing.T) {
	t.Parallel()
	a := metaparse.Import{Prefix: "example.org/a", VCS: "git", RepoRoot: "https://code.example/a.git"}
	b := metaparse.Import{Prefix: "example.org/a/b", VCS: "git", RepoRoot: "https://code.example/b.git"}
	a2 := metaparse.Import{Prefix: "example.org/a", VCS: "git", RepoRoot: "https://code.example/other.git"}
	for _, tc := range []struct {
		name      string
		matches   []metaparse.Import
		seen, fix string
	}{
		{"a repeated tag and another", []metaparse.Import{a, a, b},
			"example.org/a git https://code.example/a.git (2 times); example.org/a/b git https://code.example/b.git",
			"serve exactly one go-import tag whose prefix covers example.org/a/b/c; these all do: example.org/a, example.org/a/b"},
		{"one tag twice", []metaparse.Import{a, a},
			"example.org/a git https://code.example/a.git (2 times)",
			`the page repeats the tag "example.org/a git https://code.example/a.git": serve it once`},
		{"one prefix, two repositories", []metaparse.Import{a, a2},
			"example.org/a git https://code.example/a.git; example.org/a git https://code.example/other.git",
			"serve exactly one go-import tag for example.org/a: these tags name the same prefix with different repositories; keep the one for the repository you mean"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			seen, fix := multipleMatch(&metaparse.MultipleMatchError{ImportPath: "example.org/a/b/c", Matches: tc.matches})
			if seen != tc.seen || fix != tc.fix {
				t.Errorf("multipleMatch = %q, %q; want %q, %q", seen, fix, tc.seen, tc.fix)
			}
		})
	}
}

// TestFindingsDropConsequencesOfAReportedCause checks the rule of one
// finding per cause on its own: consequences of a reported cause are
// dropped (transitively), a cause is reported once, and a consequence
// whose cause was not reported stays.
func TestFindingsDropConsequencesOfAReportedCause(t *testing.T) {
	t.Parallel()
	d := &doctor{}
	d.add(StageNetwork, "tcp.connect", Fail, "refused", "start it", follows(causeHTTPOnly))
	d.add(StageNetwork, "net.http-only", Fail, "only http", "serve https", reports(causeHTTPOnly))
	d.add(StageHTTP, "http.login-redirect", Fail, "login", "no login", reports(causeLogin))
	d.add(StageHTTP, "http.auth-wall", Fail, "401", "no login", reports(causeLogin))
	d.add(StageHTTP, "http.status", Fail, "404", "serve it", follows(causeNoTag))
	d.add(StagePage, "meta.none", Fail, "no tag", "add one", reports(causeNoTag), follows(causeLogin))
	d.add(StageTag, "meta.root-missing", Fail, "no root", "serve it", follows(causePrefix))
	d.add(StageExtras, "env.goprivate", Warn, "private", "set GOPRIVATE")
	var got []string
	for _, f := range d.findings() {
		got = append(got, f.ID)
	}
	want := []string{"net.http-only", "http.login-redirect", "meta.root-missing", "env.goprivate"}
	if !slices.Equal(got, want) {
		t.Errorf("findings = %v, want %v", got, want)
	}
	if !d.failed() {
		t.Error("failed() = false with failures added")
	}
}

func TestFindingsKeepConsequencesOfAPassedCause(t *testing.T) {
	t.Parallel()
	d := &doctor{}
	d.add(StagePage, "meta.read", Pass, "read", "", reports(causeTagIgnored))
	d.add(StagePage, "meta.none", Fail, "no tag", "add one", follows(causeTagIgnored))
	if got := d.findings(); len(got) != 2 {
		t.Errorf("findings = %v, want both: a pass reports no problem", got)
	}
}
