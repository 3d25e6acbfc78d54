package detect

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

var testOpts = ParseOptions{Pwd: "/pwd", Home: "/home/u"}

func TestParseGetterSources(t *testing.T) {
	tests := []struct {
		name, src                      string
		getter, url, subdir, ref, tree string
	}{
		// Forced getters.
		{name: "a forced github shorthand is git over https", src: "git::github.com/x/y",
			getter: "git", url: "git::https://github.com/x/y.git", tree: "github.com/x/y"},
		{name: "a forced github shorthand keeps a slash in its ref", src: "git::github.com/o/r//dir?ref=feat/x",
			getter: "git", url: "git::https://github.com/o/r.git//dir?ref=feat/x", subdir: "dir", ref: "feat/x", tree: "github.com/o/r"},
		{name: "a forced github shorthand keeps a glob unescaped", src: "git::github.com/o/r/modules/*",
			getter: "git", url: "git::https://github.com/o/r.git//modules/*", subdir: "modules/*", tree: "github.com/o/r"},
		{name: "a forced github shorthand joins its path and subdir", src: "git::github.com/o/r/a//b",
			getter: "git", url: "git::https://github.com/o/r.git//a/b", subdir: "a/b", tree: "github.com/o/r"},
		{name: "a forced bitbucket shorthand needs no API call", src: "git::bitbucket.org/o/r",
			getter: "git", url: "git::https://bitbucket.org/o/r.git", tree: "bitbucket.org/o/r"},
		{name: "a forced getter keeps a URL as written", src: "git::https://example.org/r.git?ref=v1.2.0",
			getter: "git", url: "git::https://example.org/r.git?ref=v1.2.0", ref: "v1.2.0", tree: "example.org/r"},
		{name: "a forced getter keeps a local path local", src: "git::./foo",
			getter: "git", url: "git::file:///pwd/foo", tree: "local/foo"},
		{name: "a forced scp source becomes ssh", src: "git::git@my.custom.git:dir1/dir2",
			getter: "git", url: "git::ssh://git@my.custom.git/dir1/dir2", tree: "my.custom.git/dir1/dir2"},
		{name: "a forced hg getter takes its ref from rev", src: "hg::https://h/r?rev=tip&ref=ignored",
			getter: "hg", url: "hg::https://h/r?rev=tip&ref=ignored", ref: "tip", tree: "h/r"},
		{name: "the user's forced getter wins over the S3 detector's", src: "git::bucket.s3.amazonaws.com/k",
			getter: "git", url: "git::https://s3.amazonaws.com/bucket/k", tree: "s3.amazonaws.com/bucket/k"},
		// URLs with a scheme.
		{name: "an https URL is an http download as written", src: "https://files.example/tool-1.2.tar.gz?checksum=sha256:ab",
			getter: "https", url: "https://files.example/tool-1.2.tar.gz?checksum=sha256:ab", tree: "files.example/tool-1.2"},
		{name: "an https URL to github stays an http download", src: "https://github.com/o/r",
			getter: "https", url: "https://github.com/o/r", tree: "github.com/o/r"},
		{name: "an https URL keeps its subdir", src: "https://h/a.zip//dir/*?archive=zip",
			getter: "https", url: "https://h/a.zip//dir/*?archive=zip", subdir: "dir/*", tree: "h/a"},
		{name: "a git URL uses the git getter", src: "git://h/r.git?ref=main",
			getter: "git", url: "git://h/r.git?ref=main", ref: "main", tree: "h/r"},
		{name: "an ssh URL is git over ssh", src: "ssh://git@h:2222/r.git//sub?ref=v1",
			getter: "git", url: "git::ssh://git@h:2222/r.git//sub?ref=v1", subdir: "sub", ref: "v1", tree: "h:2222/r"},
		{name: "a file URL keeps its three slashes", src: "file:///tmp//sub",
			getter: "file", url: "file:///tmp//sub", subdir: "sub", tree: "local/tmp"},
		{name: "an s3 bucket URL becomes the path-style https URL", src: "s3://b/k/x.zip",
			getter: "s3", url: "s3::https://s3.amazonaws.com/b/k/x.zip", tree: "s3.amazonaws.com/b/k/x"},
		{name: "an s3 bucket URL's region picks the endpoint", src: "s3://b/k?region=eu-west-1",
			getter: "s3", url: "s3::https://s3-eu-west-1.amazonaws.com/b/k?region=eu-west-1", tree: "s3-eu-west-1.amazonaws.com/b/k"},
		{name: "a whole s3 bucket keeps a trailing slash", src: "s3://b",
			getter: "s3", url: "s3::https://s3.amazonaws.com/b/", tree: "s3.amazonaws.com/b"},
		{name: "a gs URL becomes the storage API URL", src: "gs://b/o.tgz#123",
			getter: "gcs", url: "gcs::https://www.googleapis.com/storage/v1/b/o.tgz#123", tree: "www.googleapis.com/storage/v1/b/o"},
		// Local paths.
		{name: "a dot path joins the working directory", src: "./foo",
			getter: "file", url: "file:///pwd/foo", tree: "local/foo"},
		{name: "a parent path is cleaned", src: "../up/x",
			getter: "file", url: "file:///up/x", tree: "local/x"},
		{name: "a local path keeps its subdir and query", src: "./foo//bar?x=1",
			getter: "file", url: "file:///pwd/foo//bar?x=1", subdir: "bar", tree: "local/foo"},
		{name: "an absolute path ignores the working directory", src: "/abs/p.tar.gz",
			getter: "file", url: "file:///abs/p.tar.gz", tree: "local/p"},
		{name: "a tilde path uses the home directory", src: "~/x",
			getter: "file", url: "file:///home/u/x", tree: "local/x"},
		{name: "the working directory itself is a source", src: ".",
			getter: "file", url: "file:///pwd", tree: "local/pwd"},
		// scp-style.
		{name: "scp-style git is git over ssh", src: "git@github.com:o/r.git//mod?ref=x",
			getter: "git", url: "git::ssh://git@github.com/o/r.git//mod?ref=x", subdir: "mod", ref: "x", tree: "github.com/o/r"},
		{name: "scp-style works for any user", src: "bob@host.example:repo",
			getter: "git", url: "git::ssh://bob@host.example/repo", tree: "host.example/repo"},
		{name: "scp-style keeps its query as written", src: "git@h.com:r.git?b=2&a=x%2Fy",
			getter: "git", url: "git::ssh://git@h.com/r.git?b=2&a=x%2Fy", tree: "h.com/r"},
		{name: "scp-style drops one slash after the colon", src: "git@h:/abs/p",
			getter: "git", url: "git::ssh://git@h/abs/p", tree: "h/abs/p"},
		// Cloud hosts.
		{name: "an S3 virtual host is an S3 source", src: "bucket.s3.amazonaws.com/key//sub?version=3",
			getter: "s3", url: "s3::https://s3.amazonaws.com/bucket/key//sub?version=3", subdir: "sub", tree: "s3.amazonaws.com/bucket/key"},
		{name: "a GCS host is a GCS source", src: "www.googleapis.com/storage/v1/bucket/foo",
			getter: "gcs", url: "gcs::https://www.googleapis.com/storage/v1/bucket/foo", tree: "www.googleapis.com/storage/v1/bucket/foo"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseWith(tt.src, testOpts)
			if err != nil {
				t.Fatalf("ParseWith(%q): %v", tt.src, err)
			}
			if s.Kind != KindGetter || s.Input != tt.src || s.Getter != tt.getter || s.URL != tt.url ||
				s.Subdir != tt.subdir || s.Ref != tt.ref || s.TreePath() != tt.tree {
				t.Fatalf("ParseWith(%q) = kind %s getter %q url %q subdir %q ref %q tree %q\nwant getter %q url %q subdir %q ref %q tree %q",
					tt.src, s.Kind, s.Getter, s.URL, s.Subdir, s.Ref, s.TreePath(), tt.getter, tt.url, tt.subdir, tt.ref, tt.tree)
			}
		})
	}
}

func TestParseImportPaths(t *testing.T) {
	tests := []struct {
		name, src                  string
		importPath, lookup, ref    string
		subdir, root, repo, vcs    string
		needsScheme, wantDiscovery bool
	}{
		{name: "a github path is an import path with a static root", src: "github.com/o/r/sub",
			importPath: "github.com/o/r/sub", lookup: "github.com/o/r/sub", root: "github.com/o/r", repo: "https://github.com/o/r", vcs: "git"},
		{name: "a bitbucket path is an import path with a static root", src: "bitbucket.org/o/r",
			importPath: "bitbucket.org/o/r", lookup: "bitbucket.org/o/r", root: "bitbucket.org/o/r", repo: "https://bitbucket.org/o/r", vcs: "git"},
		{name: "a gitlab path needs discovery", src: "gitlab.com/o/r",
			importPath: "gitlab.com/o/r", lookup: "gitlab.com/o/r", wantDiscovery: true},
		{name: "a vanity path with a version needs discovery", src: "example.org/pkg@v1.2.0",
			importPath: "example.org/pkg", lookup: "example.org/pkg", ref: "v1.2.0", wantDiscovery: true},
		{name: "a ref option works for an import path", src: "github.com/o/r?ref=main",
			importPath: "github.com/o/r", lookup: "github.com/o/r", ref: "main", root: "github.com/o/r", repo: "https://github.com/o/r", vcs: "git"},
		{name: "equal refs from @ and ref= agree", src: "example.org/x@v1?ref=v1",
			importPath: "example.org/x", lookup: "example.org/x", ref: "v1", wantDiscovery: true},
		{name: "an import path keeps its subdir", src: "github.com/o/r@v2//cmd/tool?depth=1",
			importPath: "github.com/o/r", lookup: "github.com/o/r", ref: "v2", subdir: "cmd/tool", root: "github.com/o/r", repo: "https://github.com/o/r", vcs: "git"},
		{name: "a qualified path needs a scheme probe", src: "example.org/repo.git/sub",
			importPath: "example.org/repo.git/sub", lookup: "example.org/repo.git/sub", root: "example.org/repo.git", repo: "example.org/repo", vcs: "git", needsScheme: true},
		{name: "a wildcard is cut before its element", src: "rsc.io/pdf/...",
			importPath: "rsc.io/pdf/...", lookup: "rsc.io/pdf", wantDiscovery: true},
		{name: "a wildcard in a github path keeps the repository", src: "github.com/o/r/x.../y",
			importPath: "github.com/o/r/x.../y", lookup: "github.com/o/r", root: "github.com/o/r", repo: "https://github.com/o/r", vcs: "git"},
		{name: "a colon in a ref is not scp-style", src: "example.org/x@v1:y",
			importPath: "example.org/x", lookup: "example.org/x", ref: "v1:y", wantDiscovery: true},
		{name: "an upper-case host needs discovery", src: "Example.org/x",
			importPath: "Example.org/x", lookup: "Example.org/x", wantDiscovery: true},
		{name: "launchpad waits for discovery", src: "launchpad.net/gocheck",
			importPath: "launchpad.net/gocheck", lookup: "launchpad.net/gocheck", wantDiscovery: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseWith(tt.src, testOpts)
			if err != nil {
				t.Fatalf("ParseWith(%q): %v", tt.src, err)
			}
			if s.Kind != KindImport || s.ImportPath != tt.importPath || s.LookupPath != tt.lookup ||
				s.Ref != tt.ref || s.Subdir != tt.subdir || s.Getter != "" || s.URL != "" {
				t.Fatalf("ParseWith(%q) = %+v", tt.src, *s)
			}
			if tt.wantDiscovery {
				if s.Static != nil || s.TreePath() != "" {
					t.Fatalf("ParseWith(%q).Static = %+v, tree %q; want nil, \"\"", tt.src, s.Static, s.TreePath())
				}
				return
			}
			st := s.Static
			if st == nil || st.Root != tt.root || st.Repo != tt.repo || st.VCS != tt.vcs ||
				st.NeedsScheme != tt.needsScheme || s.TreePath() != tt.root {
				t.Fatalf("ParseWith(%q).Static = %+v, tree %q; want root %q repo %q vcs %q",
					tt.src, st, s.TreePath(), tt.root, tt.repo, tt.vcs)
			}
		})
	}
}

func TestParseRefusals(t *testing.T) {
	tests := []struct {
		name, src, wantErr string
		opts               *ParseOptions
	}{
		{name: "an empty source is refused", src: "", wantErr: "empty source"},
		{name: "a leading dash is refused", src: "-oProxyCommand=x", wantErr: `must not start with "-"`},
		{name: "surrounding white space is refused", src: " ./x", wantErr: "white space"},
		{name: "a control character is refused", src: "./x\ny", wantErr: "control character"},
		{name: "invalid UTF-8 is refused", src: "./\xff", wantErr: "UTF-8"},
		{name: "a bare forced getter is refused", src: "git::", wantErr: "nothing follows the forced getter"},
		{name: "an unknown forced getter is refused", src: "svn::https://h/r", wantErr: `unknown getter "svn"`},
		{name: "an upper-case forced getter is refused", src: "GIT::https://h/r", wantErr: `unknown getter "GIT"`},
		{name: "a forced getter before a bare host path is refused", src: "git::example.org/x", wantErr: "not a URL, a local path written as one"},
		{name: "a forced getter before an opaque URL is refused", src: "git::example.com:repo", wantErr: `"example.com:" is not followed by "//"`},
		{name: "an unknown scheme is refused", src: "ftp://x/y", wantErr: `no getter for scheme "ftp"`},
		{name: "host:path without a user is refused", src: "example.com:repo", wantErr: `"example.com:" is not followed by "//"`},
		{name: "an scp password is refused", src: "user:pass@host:path", wantErr: "ssh takes no password"},
		{name: "an ssh URL with a colon path explains the port", src: "git::ssh://git@host:org/repo", wantErr: "a colon after the host starts a port"},
		{name: "a URL without a host is refused", src: "https:///x", wantErr: "URL has no host"},
		{name: "a host starting with a dash is refused", src: "ssh://-oProxyCommand=x/r", wantErr: `host "-oProxyCommand=x" must not start with "-"`},
		{name: "a user starting with a dash is refused", src: "ssh://-x@h/r", wantErr: "user name must not start"},
		{name: "a first element without a dot is refused", src: "foo/bar", wantErr: "whose first element has a dot"},
		{name: "a subdir alone is refused", src: "//sub", wantErr: "nothing before the //subdir"},
		{name: "a relative path without a working directory is refused", src: "./x", opts: &ParseOptions{}, wantErr: "needs an absolute working directory"},
		{name: "a relative working directory is refused", src: "./x", opts: &ParseOptions{Pwd: "rel"}, wantErr: "needs an absolute working directory"},
		{name: "a tilde without a home is refused", src: "~/x", opts: &ParseOptions{Pwd: "/pwd"}, wantErr: `cannot expand "~"`},
		{name: "a hash in a local path is refused", src: "./a#b", wantErr: "URL fragment"},
		{name: "a bare S3 host is refused", src: "bucket.s3.amazonaws.com", wantErr: "needs a bucket and key"},
		{name: "a malformed S3 host is refused", src: "a.b.c.d.e.f.amazonaws.com/k", wantErr: "URL is not a valid S3 URL"},
		{name: "an s3 URL with a user is refused", src: "s3://k@b/x", wantErr: "carries no user"},
		{name: "an s3 URL without a bucket is refused", src: "s3:///x", wantErr: "has no bucket"},
		{name: "an odd s3 region is refused", src: "s3://b/k?region=../x", wantErr: "not a region name"},
		{name: "a ref starting with a dash is refused", src: "https://h/r.git?ref=--upload-pack=x", wantErr: `ref "--upload-pack=x" must not start with "-"`},
		{name: "a rev starting with a dash is refused", src: "hg::https://h/r?rev=-x", wantErr: `rev "-x" must not start with "-"`},
		{name: "an @ref starting with a dash is refused", src: "example.org/x@--pathspec-from-file=/etc/passwd", wantErr: "must not start with"},
		{name: "an empty @ref is refused", src: "example.org/x@", wantErr: `empty ref after "@"`},
		{name: "conflicting refs are refused", src: "github.com/o/r?ref=a&rev=b", wantErr: `conflicting refs "a" and "b"`},
		{name: "a repeated ref is refused", src: "git::https://h/r?ref=a&ref=b", wantErr: "option ref is given 2 times"},
		{name: "a subdir starting with a dash is refused", src: "https://h/r//-x", wantErr: `subdir "-x" must not start with "-"`},
		{name: "a dot-dot subdir is refused", src: "https://x//../y", wantErr: `subdir "../y" must not contain a ".." element`},
		{name: "a dot-dot subdir with backslashes is refused", src: `https://x//a\..\..\y`, wantErr: `must not contain a ".." element`},
		{name: "a dot-dot subdir in a shorthand path is refused", src: "git::github.com/o/r/../../x", wantErr: `must not contain a ".." element`},
		{name: "a dot-dot subdir of an import path is refused", src: "github.com/o/r//../x", wantErr: `must not contain a ".." element`},
		{name: "a dot-dot filename is refused", src: "https://h/f?filename=../../.bashrc", wantErr: `filename "../../.bashrc" must not contain`},
		{name: "a negative depth is refused", src: "git::https://h/r?depth=-1", wantErr: `depth "-1" is not a non-negative integer`},
		{name: "a word for a depth is refused", src: "git::https://h/r?depth=all", wantErr: `depth "all"`},
		{name: "archive=true is refused", src: "https://x/a?archive=true", wantErr: `archive "true" is not an archive type`},
		{name: "an unknown archive type is refused", src: "https://x/a?archive=rar", wantErr: `archive "rar"`},
		{name: "a malformed query is refused", src: "https://x/a?a=%zz", wantErr: "malformed query"},
		{name: "a leading-dot element is refused like GOPATH go get", src: "example.org/.git/x", wantErr: `malformed import path "example.org/.git/x": leading dot in path element`},
		{name: "a Windows short name is refused", src: "example.org/longna~1/x", wantErr: "trailing tilde and digits in path element"},
		{name: "a brace in an import path is refused", src: "example.org/{x}", wantErr: "invalid char '{'"},
		{name: "a github .git path is refused as the Go command refuses it", src: "github.com/o/r.git", wantErr: "invalid version control suffix in github.com/ path"},
		{name: "a short github path is refused", src: "github.com/user", wantErr: `invalid github.com import path "github.com/user"`},
		{name: "a wildcard with nothing before it is refused", src: "example...", wantErr: `cannot expand ... in "example..."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := testOpts
			if tt.opts != nil {
				opts = *tt.opts
			}
			s, err := ParseWith(tt.src, opts)
			var perr *Error
			if !errors.As(err, &perr) || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseWith(%q) = %+v, %v; want *Error containing %q", tt.src, s, err, tt.wantErr)
			}
		})
	}
}

func TestParseOptionsAreKept(t *testing.T) {
	s, err := Parse("git::https://h/r?ref=v1&depth=2&sshkey=a2V5&x=1", "/pwd")
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"ref": "v1", "depth": "2", "sshkey": "a2V5", "x": "1"} {
		if got := s.Options.Get(k); got != want {
			t.Errorf("Options[%q] = %q; want %q", k, got, want)
		}
	}
}

func TestParseFollowsSymlinkedPwd(t *testing.T) {
	root := linkedPwd(t, func(string) string { return "real" })
	s, err := Parse("../modules/foo", filepath.Join(root, "link"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "file://" + filepath.Join(root, "modules/foo"); s.URL != want {
		t.Errorf("URL = %q; want %q", s.URL, want)
	}
}
