package detect

import (
	"errors"
	"testing"

	"github.com/gofetch/fetch/internal/pathprefix"
)

// unknownSite marks rows where the static stage gives up and the Go
// command would go on to meta discovery.
const unknownSite = "<unknown site>"

type staticRow struct {
	name, path string
	want       *RepoRoot
	wantErr    string
}

func checkStatic(t *testing.T, fn func(string) (*RepoRoot, error), rows []staticRow) {
	t.Helper()
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			got, err := fn(tt.path)
			switch {
			case tt.wantErr == unknownSite:
				if !errors.Is(err, ErrUnknownSite) {
					t.Fatalf("(%q) = %+v, %v; want ErrUnknownSite", tt.path, got, err)
				}
			case tt.wantErr != "":
				if err == nil || err.Error() != tt.wantErr || errors.Is(err, ErrUnknownSite) {
					t.Fatalf("(%q) = %+v, %v; want error %q", tt.path, got, err, tt.wantErr)
				}
			case err != nil:
				t.Fatalf("(%q) error %v; want %+v", tt.path, err, tt.want)
			default:
				if got.VCS != tt.want.VCS || got.Repo != tt.want.Repo || got.Root != tt.want.Root ||
					got.NeedsScheme != tt.want.NeedsScheme || got.CheckURL != tt.want.CheckURL ||
					(got.Fallback == nil) != (tt.want.Fallback == nil) ||
					got.Fallback != nil && *got.Fallback != *tt.want.Fallback {
					t.Fatalf("(%q) = %+v (fallback %+v); want %+v (fallback %+v)", tt.path, got, got.Fallback, tt.want, tt.want.Fallback)
				}
			}
		})
	}
}

func git(root string) *RepoRoot { return &RepoRoot{VCS: "git", Repo: "https://" + root, Root: root} }

// TestStaticMatchesGoCommand carries every row of the Go command's
// TestRepoRootForImportPath (go1.26.8). Where the Go command expects an
// error, the row says which: a static-stage error, or unknownSite when the
// static stage hands over to discovery, which then fails.
func TestStaticMatchesGoCommand(t *testing.T) {
	checkStatic(t, Static, []staticRow{
		{name: "a github repository is git over https", path: "github.com/golang/groupcache", want: git("github.com/golang/groupcache")},
		{name: "unicode letters in a github path are invalid", path: "github.com/user/unicode/испытание", wantErr: `invalid github.com import path "github.com/user/unicode/испытание"`},
		{name: "a jazz hub repository is git", path: "hub.jazz.net/git/user1/pkgname", want: git("hub.jazz.net/git/user1/pkgname")},
		{name: "a jazz hub subpackage has the repository's root", path: "hub.jazz.net/git/user1/pkgname/submodule/submodule/submodule", want: git("hub.jazz.net/git/user1/pkgname")},
		{name: "the jazz hub host alone needs discovery", path: "hub.jazz.net", wantErr: unknownSite},
		{name: "a jazz hub look-alike needs discovery", path: "hubajazz.net", wantErr: unknownSite},
		{name: "another jazz hub host needs discovery", path: "hub2.jazz.net", wantErr: unknownSite},
		{name: "a jazz hub path outside /git needs discovery", path: "hub.jazz.net/someotherprefix", wantErr: unknownSite},
		{name: "a deeper jazz hub path outside /git needs discovery", path: "hub.jazz.net/someotherprefix/user1/pkgname", wantErr: unknownSite},
		{name: "a space in a jazz hub user is invalid", path: "hub.jazz.net/git/User 1/pkgname", wantErr: `invalid hub.jazz.net/git import path "hub.jazz.net/git/User 1/pkgname"`},
		{name: "a space in a jazz hub package is invalid", path: "hub.jazz.net/git/user1/pkg name", wantErr: `invalid hub.jazz.net/git import path "hub.jazz.net/git/user1/pkg name"`},
		{name: "a dot in a jazz hub user is invalid", path: "hub.jazz.net/git/user.1/pkgname", wantErr: `invalid hub.jazz.net/git import path "hub.jazz.net/git/user.1/pkgname"`},
		{name: "a dot in a jazz hub package is valid", path: "hub.jazz.net/git/user/pkg.name", want: git("hub.jazz.net/git/user/pkg.name")},
		{name: "an upper-case jazz hub user is invalid", path: "hub.jazz.net/git/USER/pkgname", wantErr: `invalid hub.jazz.net/git import path "hub.jazz.net/git/USER/pkgname"`},
		{name: "an openstack repository is git", path: "git.openstack.org/openstack/swift", want: git("git.openstack.org/openstack/swift")},
		{name: "an openstack .git suffix is part of the root", path: "git.openstack.org/openstack/swift.git", want: git("git.openstack.org/openstack/swift.git")},
		{name: "an openstack subpackage has the repository's root", path: "git.openstack.org/openstack/swift/go/hummingbird", want: git("git.openstack.org/openstack/swift")},
		{name: "the openstack host alone is invalid", path: "git.openstack.org", wantErr: `invalid git.openstack.org import path "git.openstack.org"`},
		{name: "an openstack project alone is invalid", path: "git.openstack.org/openstack", wantErr: `invalid git.openstack.org import path "git.openstack.org/openstack"`},
		{name: "a space in an apache package is invalid", path: "git.apache.org/package name/path/to/lib", wantErr: `invalid git.apache.org import path "git.apache.org/package name/path/to/lib"`},
		{name: "an apache repository without .git is invalid", path: "git.apache.org/package-name/path/to/lib", wantErr: `invalid git.apache.org import path "git.apache.org/package-name/path/to/lib"`},
		{name: "an apache look-alike needs discovery", path: "gitbapache.org", wantErr: unknownSite},
		{name: "an apache repository keeps .git in its root", path: "git.apache.org/package-name.git", want: git("git.apache.org/package-name.git")},
		{name: "an apache subpackage has the repository's root", path: "git.apache.org/package-name_2.x.git/path/to/lib", want: git("git.apache.org/package-name_2.x.git")},
		{name: "a chiselapp repository is fossil", path: "chiselapp.com/user/kyle/repository/fossilgg",
			want: &RepoRoot{VCS: "fossil", Repo: "https://chiselapp.com/user/kyle/repository/fossilgg", Root: "chiselapp.com/user/kyle/repository/fossilgg"}},
		{name: "a chiselapp path without user is invalid", path: "chiselapp.com/kyle/repository/fossilgg", wantErr: `invalid chiselapp.com import path "chiselapp.com/kyle/repository/fossilgg"`},
		{name: "a chiselapp path without repository is invalid", path: "chiselapp.com/user/kyle/fossilgg", wantErr: `invalid chiselapp.com import path "chiselapp.com/user/kyle/fossilgg"`},
		{name: "a bitbucket repository is git without an API call", path: "bitbucket.org/workspace/pkgname", want: git("bitbucket.org/workspace/pkgname")},
	})
}

func TestStaticRules(t *testing.T) {
	qualified := func(vcs, repo, root string) *RepoRoot {
		return &RepoRoot{VCS: vcs, Repo: repo, Root: root, NeedsScheme: true}
	}
	checkStatic(t, Static, []staticRow{
		{name: "a github subpackage has the repository's root", path: "github.com/o/r/sub/pkg", want: git("github.com/o/r")},
		{name: "the github host alone is invalid", path: "github.com", wantErr: `invalid github.com import path "github.com"`},
		{name: "a github owner alone is invalid", path: "github.com/user", wantErr: `invalid github.com import path "github.com/user"`},
		{name: "a github repository named .git is refused", path: "github.com/o/r.git", wantErr: "invalid version control suffix in github.com/ path"},
		{name: "a bitbucket repository named .hg is refused", path: "bitbucket.org/o/r.hg/x", wantErr: "invalid version control suffix in bitbucket.org/ path"},
		{name: "a github look-alike host is not github", path: "github.company/o/r", wantErr: unknownSite},
		{name: "a gitlab path needs discovery", path: "gitlab.com/o/r", wantErr: unknownSite},
		{name: "an https prefix is refused", path: "https:/example.org/x", wantErr: `"https://" not allowed in import path`},
		{name: "an http prefix is refused", path: "http:/example.org/x", wantErr: `"http://" not allowed in import path`},
		{name: "a .git qualifier ends the root and needs a scheme", path: "example.org/repo.git/sub", want: qualified("git", "example.org/repo", "example.org/repo.git")},
		{name: "the leftmost qualifier wins", path: "example.org/a/b.git/c.hg/d", want: qualified("hg", "example.org/a/b.git/c", "example.org/a/b.git/c.hg")},
		{name: "the last suffix of one element wins", path: "example.org/x.git.hg", want: qualified("hg", "example.org/x.git", "example.org/x.git.hg")},
		{name: "a port and a tilde element are allowed", path: "example.org:8080/~u/r.svn/x", want: qualified("svn", "example.org:8080/~u/r", "example.org:8080/~u/r.svn")},
		{name: "every VCS qualifier is known", path: "example.org/r.fossil", want: qualified("fossil", "example.org/r", "example.org/r.fossil")},
		{name: "an upper-case host matches from its first lower-case letter", path: "Example.org/repo.git", want: qualified("git", "xample.org/repo", "xample.org/repo.git")},
		{name: "an upper-case qualifier needs discovery", path: "example.org/repo.GIT", wantErr: unknownSite},
		{name: "a host without a dot needs discovery", path: "localhost/repo.git", wantErr: unknownSite},
		{name: "a bare qualifier element needs discovery", path: "example.org/.git", wantErr: unknownSite},
		{name: "a wildcard inside a github root cannot be expanded", path: "github.com/x/...", wantErr: `cannot expand ... in "github.com/x/..."`},
		{name: "a wildcard below a github root is fine", path: "github.com/x/y/...", want: git("github.com/x/y")},
		{name: "a wildcard inside a qualified root cannot be expanded", path: "example.org/.../r.git", wantErr: `cannot expand ... in "example.org/.../r.git"`},
		{name: "the test-only example.net shortcut is not copied", path: "example.net/x", wantErr: unknownSite},
		{name: "launchpad needs discovery first", path: "launchpad.net/gocheck", wantErr: unknownSite},
	})
}

func TestLaunchpad(t *testing.T) {
	bzr := func(root string) *RepoRoot { return &RepoRoot{VCS: "bzr", Repo: "https://" + root, Root: root} }
	series := func(project, series string) *RepoRoot {
		rr := bzr("launchpad.net/" + project + "/" + series)
		rr.CheckURL = "https://code.launchpad.net/" + project + "/" + series + "/.bzr/branch-format"
		rr.Fallback = bzr("launchpad.net/" + project)
		return rr
	}
	checkStatic(t, Launchpad, []staticRow{
		{name: "a project is a bzr branch", path: "launchpad.net/gocheck", want: bzr("launchpad.net/gocheck")},
		{name: "a project and series needs a check with a fallback", path: "launchpad.net/juju/v2", want: series("juju", "v2")},
		{name: "a deeper path keeps the series check", path: "launchpad.net/juju/v2/cmd/x", want: series("juju", "v2")},
		{name: "a user's junk branch needs no check", path: "launchpad.net/~user/+junk/branch", want: bzr("launchpad.net/~user/+junk/branch")},
		{name: "a user's project branch keeps subdirectories out of the root", path: "launchpad.net/~user/proj/branch/sub", want: bzr("launchpad.net/~user/proj/branch")},
		{name: "the launchpad host alone is invalid", path: "launchpad.net", wantErr: `invalid launchpad.net import path "launchpad.net"`},
		{name: "a user without a branch is invalid", path: "launchpad.net/~user", wantErr: `invalid launchpad.net import path "launchpad.net/~user"`},
		{name: "another host is not launchpad", path: "example.org/x", wantErr: unknownSite},
		{name: "a wildcard project cannot be expanded", path: "launchpad.net/...", wantErr: `cannot expand ... in "launchpad.net/..."`},
	})
}

func TestExpandIsSinglePass(t *testing.T) {
	tests := []struct {
		name, tmpl, want string
		match            map[string]string
	}{
		{"a placeholder is replaced", "https://{root}", "https://h/r", map[string]string{"root": "h/r"}},
		{"replaced text is not expanded again", "{a}{b}", "{b}x", map[string]string{"a": "{b}", "b": "x"}},
		{"an unknown placeholder is kept", "{nope}/{a}", "{nope}/1", map[string]string{"a": "1"}},
		{"an unclosed brace is kept", "x{a", "x{a", map[string]string{"a": "1"}},
		{"a brace inside a name falls back to the inner name", "{a{b}", "{a2", map[string]string{"b": "2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := expand(tt.match, tt.tmpl); got != tt.want {
				t.Errorf("expand(%q) = %q; want %q", tt.tmpl, got, tt.want)
			}
		})
	}
}

func TestHasPathPrefix(t *testing.T) {
	tests := []struct {
		name, s, prefix string
		want            bool
	}{
		{"an equal path is a prefix", "github.com", "github.com", true},
		{"a whole first element is a prefix", "github.com/x", "github.com", true},
		{"part of an element is not a prefix", "github.company/x", "github.com", false},
		{"the empty prefix matches everything", "x", "", true},
		{"a prefix ending in a slash matches by text", "a/bc", "a/", true},
		{"a longer prefix does not match", "a", "a/b", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := pathprefix.Has(tt.s, tt.prefix); got != tt.want {
				t.Errorf("hasPathPrefix(%q, %q) = %v; want %v", tt.s, tt.prefix, got, tt.want)
			}
		})
	}
}
