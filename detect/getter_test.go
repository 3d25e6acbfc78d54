package detect

import (
	"strings"
	"testing"
)

func TestForcedGetter(t *testing.T) {
	tests := []struct {
		name, src, getter, rest string
	}{
		{"a git prefix is split off", "git::https://h/r", "git", "https://h/r"},
		{"only one level is removed", "git::git::x", "git", "git::x"},
		{"the name keeps its case", "GIT::x", "GIT", "x"},
		{"digits are allowed in the name", "s3::https://h/b/k", "s3", "https://h/b/k"},
		{"a dash in the name means no forced getter", "my-getter::x", "", "my-getter::x"},
		{"a dot in the name means no forced getter", "a.b::x", "", "a.b::x"},
		{"an empty name means no forced getter", "::x", "", "::x"},
		{"an empty remainder means no forced getter", "git::", "", "git::"},
		{"a newline in the remainder means no forced getter", "git::a\nb", "", "git::a\nb"},
		{"a URL scheme is not a forced getter", "https://h/r", "", "https://h/r"},
		{"a single colon is not a forced getter", "git:x", "", "git:x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, r := ForcedGetter(tt.src)
			if g != tt.getter || r != tt.rest {
				t.Errorf("ForcedGetter(%q) = %q, %q; want %q, %q", tt.src, g, r, tt.getter, tt.rest)
			}
		})
	}
}

func TestSourceDirSubdir(t *testing.T) {
	tests := []struct {
		name, src, dir, sub string
	}{
		{"a host alone has no subdir", "hashicorp.com", "hashicorp.com", ""},
		{"a double slash starts the subdir", "hashicorp.com//foo", "hashicorp.com", "foo"},
		{"a query after the subdir moves back to the source", "hashicorp.com//foo?bar=baz", "hashicorp.com?bar=baz", "foo"},
		{"a glob subdir is kept as written", "https://hashicorp.com/path//*?archive=foo", "https://hashicorp.com/path?archive=foo", "*"},
		{"a URL inside the query is not a subdir", "https://hashicorp.com/path?checksum=file:http://url.com/....iso.sha256",
			"https://hashicorp.com/path?checksum=file:http://url.com/....iso.sha256", ""},
		{"a subdir comes before a query holding a URL", "https://hashicorp.com/path//*?checksum=file:http://url.com/....iso.sha256",
			"https://hashicorp.com/path?checksum=file:http://url.com/....iso.sha256", "*"},
		{"the scheme's slashes are not a subdir", "file://foo//bar", "file://foo", "bar"},
		{"a file URL's third slash is not a subdir", "file:///tmp//sub", "file:///tmp", "sub"},
		{"everything after the first double slash is the subdir", "https://h/a//b//c", "https://h/a", "b//c"},
		{"a forced getter stays on the source", "git::https://host/a//b?ref=x", "git::https://host/a?ref=x", "b"},
		{"a leading double slash leaves an empty source", "//foo", "", "foo"},
		{"an empty subdir loses its separator", "https://host//?q=1", "https://host?q=1", ""},
		{"a double slash inside the query is ignored", "h.com/a?x=//y", "h.com/a?x=//y", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, s := SourceDirSubdir(tt.src)
			if d != tt.dir || s != tt.sub {
				t.Errorf("SourceDirSubdir(%q) = %q, %q; want %q, %q", tt.src, d, s, tt.dir, tt.sub)
			}
		})
	}
}

func TestGetterDetect(t *testing.T) {
	tests := []struct {
		name, src, pwd, want, wantErr string
	}{
		// go-getter's TestDetect ground.
		{name: "a relative path joins the working directory", src: "./foo", pwd: "/foo", want: "file:///foo/foo"},
		{name: "a forced git getter keeps a relative path local", src: "git::./foo", pwd: "/foo", want: "git::file:///foo/foo"},
		{name: "a forced github shorthand becomes an https git URL", src: "git::github.com/hashicorp/foo", want: "git::https://github.com/hashicorp/foo.git"},
		{name: "a relative path keeps its subdir", src: "./foo//bar", pwd: "/foo", want: "file:///foo/foo//bar"},
		{name: "a forced github shorthand keeps its subdir", src: "git::github.com/hashicorp/foo//bar", want: "git::https://github.com/hashicorp/foo.git//bar"},
		{name: "a forced URL passes through", src: "git::https://github.com/hashicorp/consul.git", want: "git::https://github.com/hashicorp/consul.git"},
		{name: "a forced URL with a user passes through", src: "git::https://person@someothergit.com/foo/bar", want: "git::https://person@someothergit.com/foo/bar"},
		{name: "a forced URL passes through whatever the working directory", src: "git::https://person@someothergit.com/foo/bar", pwd: "/bar", want: "git::https://person@someothergit.com/foo/bar"},
		{name: "a glob subdir of a local path stays unescaped", src: "./foo/archive//*", pwd: "/bar", want: "file:///bar/foo/archive//*"},
		{name: "an ssh URL passes through", src: "git::ssh://git@my.custom.git/dir1/dir2", want: "git::ssh://git@my.custom.git/dir1/dir2"},
		{name: "a forced scp source becomes an ssh URL", src: "git::git@my.custom.git:dir1/dir2", pwd: "/foo", want: "git::ssh://git@my.custom.git/dir1/dir2"},
		{name: "a forced scp source needs no working directory", src: "git::git@my.custom.git:dir1/dir2", want: "git::ssh://git@my.custom.git/dir1/dir2"},
		// go-getter's TestGitDetector ground, through the whole chain.
		{name: "scp-style git becomes an ssh URL", src: "git@github.com:hashicorp/foo.git", want: "git::ssh://git@github.com/hashicorp/foo.git"},
		{name: "scp-style git keeps its ref", src: "git@github.com:org/project.git?ref=test-branch", want: "git::ssh://git@github.com/org/project.git?ref=test-branch"},
		{name: "scp-style git keeps its subdir", src: "git@github.com:hashicorp/foo.git//bar", want: "git::ssh://git@github.com/hashicorp/foo.git//bar"},
		{name: "scp-style git keeps another option", src: "git@github.com:hashicorp/foo.git?foo=bar", want: "git::ssh://git@github.com/hashicorp/foo.git?foo=bar"},
		{name: "scp-style git works for any host", src: "git@github.xyz.com:org/project.git", want: "git::ssh://git@github.xyz.com/org/project.git"},
		{name: "scp-style git on any host keeps its ref", src: "git@github.xyz.com:org/project.git?ref=test-branch", want: "git::ssh://git@github.xyz.com/org/project.git?ref=test-branch"},
		{name: "scp-style git keeps a nested subdir", src: "git@github.xyz.com:org/project.git//module/a", want: "git::ssh://git@github.xyz.com/org/project.git//module/a"},
		{name: "scp-style git keeps a subdir and a ref", src: "git@github.xyz.com:org/project.git//module/a?ref=test-branch", want: "git::ssh://git@github.xyz.com/org/project.git//module/a?ref=test-branch"},
		{name: "an ssh URL with a port passes through", src: "git::ssh://git@git.example.com:2222/hashicorp/foo.git", want: "git::ssh://git@git.example.com:2222/hashicorp/foo.git"},
		// Quirks go-getter has and GetterDetect keeps.
		{name: "scp-style git re-encodes its query", src: "git@h.com:r.git?b=2&a=x%2Fy", want: "git::ssh://git@h.com/r.git?a=x%2Fy&b=2"},
		{name: "a slash in a github shorthand's ref is split as a path", src: "git::github.com/o/r//dir?ref=feat/x", want: "git::https://github.com/o/r.git//x/dir?ref=feat"},
		{name: "a glob in a github shorthand's path is double-escaped", src: "git::github.com/o/r/modules/*", want: "git::https://github.com/o/r.git//modules/%252A"},
		{name: "a gitlab subgroup becomes a subdir", src: "gitlab.com/g/sub/proj", want: "git::https://gitlab.com/g/sub.git//proj"},
		{name: "scp-style with another user is a local file", src: "bob@h:r", pwd: "/pwd", want: "file:///pwd/bob@h:r"},
		{name: "a bare host path is a local file", src: "example.org/repo", pwd: "/pwd", want: "file:///pwd/example.org/repo"},
		{name: "host:path without a user counts as a URL scheme", src: "example.com:repo", want: "example.com:repo"},
		{name: "a user's forced getter wins over a detector's", src: "git::bucket.s3.amazonaws.com/k", want: "git::https://s3.amazonaws.com/bucket/k"},
		{name: "a detector subdir and a user subdir are joined", src: "github.com/o/r/a//b", want: "git::https://github.com/o/r.git//a/b"},
		// Our one deliberate difference: bitbucket.org needs no API call.
		{name: "a bitbucket shorthand becomes a git URL without an API call", src: "bitbucket.org/hashicorp/tf-test-git", want: "git::https://bitbucket.org/hashicorp/tf-test-git.git"},
		{name: "a bitbucket shorthand with .git keeps one suffix", src: "bitbucket.org/hashicorp/tf-test-git.git", want: "git::https://bitbucket.org/hashicorp/tf-test-git.git"},
		{name: "a bitbucket shorthand's extra path is a subdir", src: "bitbucket.org/o/r/sub", want: "git::https://bitbucket.org/o/r.git//sub"},
		// Errors.
		{name: "a relative path without a working directory fails", src: "./foo", wantErr: "relative paths require a module with a pwd"},
		{name: "a github shorthand without a repo fails", src: "github.com/hashicorp", wantErr: "GitHub URLs should be github.com/username/repo"},
		{name: "a gitlab shorthand without a repo fails", src: "gitlab.com/hashicorp", wantErr: "GitLab URLs should be gitlab.com/username/repo"},
		{name: "an S3 host of the wrong shape fails", src: "a.b.c.d.e.f.amazonaws.com/k", wantErr: "URL is not a valid S3 URL"},
		{name: "a short GCS path fails", src: "www.googleapis.com/storage/v1", wantErr: "URL is not a valid GCS URL"},
		{name: "a malformed scp query fails whoever the user is", src: "bob@h:r?a=%zz", wantErr: "error parsing GitHub SSH URL"},
		{name: "nothing at all matches no detector", src: "", wantErr: "invalid source string: "},
		{name: "a malformed forced scp source without a pwd fails in the file detector", src: "git::ssh://git@host:org/repo", wantErr: "relative paths require a module with a pwd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := GetterDetect(tt.src, tt.pwd)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("GetterDetect(%q, %q) = %q, %v; want error containing %q", tt.src, tt.pwd, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("GetterDetect(%q, %q) = %q, %v; want %q", tt.src, tt.pwd, got, err, tt.want)
			}
		})
	}
}
