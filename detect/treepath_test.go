package detect

import "testing"

func TestTreePath(t *testing.T) {
	tests := []struct {
		name string
		s    Source
		want string
	}{
		{"a git URL drops .git", Source{Kind: KindGetter, URL: "git::https://example.org/r.git"}, "example.org/r"},
		{"an archive drops its extension", Source{Kind: KindGetter, URL: "https://example.org/dl/tool-1.2.tar.gz"}, "example.org/dl/tool-1.2"},
		{"the longest archive extension is dropped", Source{Kind: KindGetter, URL: "https://h/a.tar.zst"}, "h/a"},
		{"an upper-case extension is kept, as go-getter does not extract it", Source{Kind: KindGetter, URL: "https://h/a.ZIP"}, "h/a.ZIP"},
		{"a name that is only an extension is kept", Source{Kind: KindGetter, URL: "https://h/d/.zip"}, "h/d/.zip"},
		{"the subdir and query are not part of the path", Source{Kind: KindGetter, URL: "git::https://h/r.git//sub?ref=v1"}, "h/r"},
		{"user information never reaches the path", Source{Kind: KindGetter, URL: "https://u:p@h/x"}, "h/x"},
		{"the host is lower-cased", Source{Kind: KindGetter, URL: "https://Example.ORG/R"}, "example.org/R"},
		{"a port is kept", Source{Kind: KindGetter, URL: "git::ssh://git@h:2222/r.git"}, "h:2222/r"},
		{"escapes are decoded", Source{Kind: KindGetter, URL: "https://h/a%20b"}, "h/a b"},
		{"dot-dot elements cannot climb out", Source{Kind: KindGetter, URL: "https://h/../../etc/x"}, "h/etc/x"},
		{"an escaped slash cannot smuggle dot-dot", Source{Kind: KindGetter, URL: "https://h/a%2F..%2F..%2Fb"}, "h/b"},
		{"backslashes count as separators", Source{Kind: KindGetter, URL: `https://h/a\..\..\b`}, "h/a/b"},
		{"a local file URL lands under local by its name", Source{Kind: KindGetter, URL: "file:///home/u/src/x"}, "local/x"},
		{"a local archive drops its extension", Source{Kind: KindGetter, URL: "file:///home/u/tool-1.2.tar.gz"}, "local/tool-1.2"},
		{"a local git repository drops .git", Source{Kind: KindGetter, URL: "git::file:///srv/git/repo.git//sub?ref=v1"}, "local/repo"},
		{"a local Windows path is named by its last element", Source{Kind: KindGetter, URL: "file:///C:/Users/u/x"}, "local/x"},
		{"a backslash separates the last element too", Source{Kind: KindGetter, URL: `file:///a\\b`}, "local/b"},
		{"dot-dot cannot name a local source", Source{Kind: KindGetter, URL: "file:///srv/x/.."}, "local/srv"},
		{"the root directory has no name to land under", Source{Kind: KindGetter, URL: "file:///"}, ""},
		{"a file URL with a host lands under the host", Source{Kind: KindGetter, URL: "file://server/share/x"}, "server/share/x"},
		{"a host without a path is the host", Source{Kind: KindGetter, URL: "https://h"}, "h"},
		{"an unparsable URL has no path", Source{Kind: KindGetter, URL: "https://h/%zz"}, ""},
		{"a URL without a host has no path", Source{Kind: KindGetter, URL: "https:///x"}, ""},
		{"an import path uses its static root", Source{Kind: KindImport, Static: &RepoRoot{Root: "github.com/o/r"}}, "github.com/o/r"},
		{"a qualified root keeps its suffix", Source{Kind: KindImport, Static: &RepoRoot{Root: "example.org/r.git"}}, "example.org/r.git"},
		{"a static root cannot climb out", Source{Kind: KindImport, Static: &RepoRoot{Root: "github.com/../.."}}, "github.com"},
		{"an import path awaiting discovery has no path yet", Source{Kind: KindImport}, ""},
		{"an unknown kind has no path", Source{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.TreePath(); got != tt.want {
				t.Errorf("TreePath() = %q; want %q", got, tt.want)
			}
		})
	}
}

func TestIsLocal(t *testing.T) {
	tests := []struct {
		name string
		s    Source
		want bool
	}{
		{"a file URL without a host is local", Source{Kind: KindGetter, URL: "file:///home/u/x"}, true},
		{"a forced getter on a local path is local", Source{Kind: KindGetter, URL: "git::file:///srv/r.git//sub?ref=v1"}, true},
		{"a file URL with a host is not", Source{Kind: KindGetter, URL: "file://server/share/x"}, false},
		{"an https URL is not", Source{Kind: KindGetter, URL: "https://h/x"}, false},
		{"an import path is not", Source{Kind: KindImport, ImportPath: "example.org/x"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.IsLocal(); got != tt.want {
				t.Errorf("IsLocal() = %v; want %v", got, tt.want)
			}
		})
	}
}
