package metaparse

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestMatch(t *testing.T) {
	var (
		foo       = Import{Prefix: "example.com/user/foo", VCS: "git", RepoRoot: "https://example.com/repo/target"}
		fooa      = Import{Prefix: "example.com/user/fooa", VCS: "git", RepoRoot: "https://example.com/repo/target"}
		fooBar    = Import{Prefix: "example.com/user/foo/bar", VCS: "git", RepoRoot: "https://example.com/repo/target"}
		fooSub    = Import{Prefix: "example.com/user/foo", VCS: "git", RepoRoot: "https://example.com/repo/target", SubDir: "subdir"}
		fooSubSub = Import{Prefix: "example.com/user/foo", VCS: "git", RepoRoot: "https://example.com/repo/target", SubDir: "foo/subdir"}
		fooMod    = Import{Prefix: "example.com/user/foo", VCS: "mod", RepoRoot: "https://proxy.example/"}
		fooMod2   = Import{Prefix: "example.com/user/foo", VCS: "mod", RepoRoot: "https://proxy2.example/"}
		blahMod   = Import{Prefix: "myitcv.io/blah2", VCS: "mod", RepoRoot: "https://raw.githubusercontent.com/myitcv/pubx/master"}
		itcvGit   = Import{Prefix: "myitcv.io", VCS: "git", RepoRoot: "https://github.com/myitcv/x"}
		slashed   = Import{Prefix: "example.com/user/", VCS: "git", RepoRoot: "https://example.com/all"}
	)
	tests := []struct {
		name    string
		imports []Import
		path    string
		want    Import
		err     string
	}{
		{"an equal prefix matches", []Import{foo}, "example.com/user/foo", foo, ""},
		{"an import path with a trailing slash matches its prefix", []Import{foo}, "example.com/user/foo/", foo, ""},
		{"a prefix that is a longer word does not match", []Import{foo, fooa}, "example.com/user/foo", foo, ""},
		{"the longer word matches its own path", []Import{foo, fooa}, "example.com/user/fooa", fooa, ""},
		{"nested prefixes both matching are an error", []Import{foo, fooBar}, "example.com/user/foo/bar", Import{},
			`multiple meta tags match import path "example.com/user/foo/bar"`},
		{"nested prefixes matching a deeper path are an error", []Import{foo, fooBar}, "example.com/user/foo/bar/baz", Import{},
			`multiple meta tags match import path "example.com/user/foo/bar/baz"`},
		{"nested prefixes matching a much deeper path are an error", []Import{foo, fooBar}, "example.com/user/foo/bar/baz/qux", Import{},
			`multiple meta tags match import path "example.com/user/foo/bar/baz/qux"`},
		{"nested prefixes matching a path with a trailing slash are an error", []Import{foo, fooBar}, "example.com/user/foo/bar/baz/", Import{},
			`multiple meta tags match import path "example.com/user/foo/bar/baz/"`},
		{"a path shorter than every prefix is a mismatch", []Import{foo, fooBar}, "example.com", Import{},
			"meta tag example.com/user/foo did not match import path example.com, meta tag example.com/user/foo/bar did not match import path example.com"},
		{"another host is a mismatch", []Import{foo}, "different.example.com/user/foo", Import{},
			"meta tag example.com/user/foo did not match import path different.example.com/user/foo"},
		{"a mod entry listed first wins over a matching git entry", []Import{blahMod, itcvGit}, "myitcv.io/blah2/foo", blahMod, ""},
		{"a git entry matches where the mod entry does not", []Import{blahMod, itcvGit}, "myitcv.io/other", itcvGit, ""},
		{"a subdirectory is returned with its tag", []Import{fooSub}, "example.com/user/foo", fooSub, ""},
		{"a nested subdirectory is returned with its tag", []Import{fooSubSub}, "example.com/user/foo", fooSubSub, ""},
		{"two tags for one prefix differing only in subdir are an error", []Import{fooSub, foo}, "example.com/user/foo", Import{},
			`multiple meta tags match import path "example.com/user/foo"`},
		{"two identical tags are an error", []Import{foo, foo}, "example.com/user/foo", Import{},
			`multiple meta tags match import path "example.com/user/foo"`},
		{"two matching mod entries are an error", []Import{fooMod, fooMod2}, "example.com/user/foo", Import{},
			`multiple meta tags match import path "example.com/user/foo"`},
		{"a git entry before a mod entry is an error", []Import{foo, fooMod}, "example.com/user/foo", Import{},
			`multiple meta tags match import path "example.com/user/foo"`},
		{"a prefix ending in a slash matches as a plain string prefix", []Import{slashed}, "example.com/user/foo", slashed, ""},
		{"a prefix ending in a slash does not match the path without it", []Import{slashed}, "example.com/user", Import{},
			"meta tag example.com/user/ did not match import path example.com/user"},
		{"matching is case-sensitive", []Import{foo}, "example.com/User/foo", Import{},
			"meta tag example.com/user/foo did not match import path example.com/User/foo"},
		{"an empty prefix matches every path", []Import{{VCS: "git", RepoRoot: "https://x"}}, "a/b", Import{VCS: "git", RepoRoot: "https://x"}, ""},
		{"no tags at all is a mismatch with empty text", nil, "example.com/user/foo", Import{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Match(tt.imports, tt.path)
			if got != tt.want {
				t.Errorf("Match = %+v, want %+v", got, tt.want)
			}
			wantErr := tt.err != "" || tt.want == (Import{})
			if (err != nil) != wantErr || errText(err) != tt.err {
				t.Errorf("err = %v, want %q", err, tt.err)
			}
		})
	}
}

func TestMatchErrorTypes(t *testing.T) {
	foo := Import{Prefix: "example.org/foo", VCS: "git", RepoRoot: "https://code.example/foo"}
	fooSub := Import{Prefix: "example.org/foo/sub", VCS: "git", RepoRoot: "https://code.example/sub"}
	t.Run("several matches are a *MultipleMatchError listing all matches", func(t *testing.T) {
		other := Import{Prefix: "example.org", VCS: "hg", RepoRoot: "https://code.example/all"}
		_, err := Match([]Import{foo, fooSub, other}, "example.org/foo/sub/x")
		var me *MultipleMatchError
		if !errors.As(err, &me) {
			t.Fatalf("err = %#v, want *MultipleMatchError", err)
		}
		if want := []Import{foo, fooSub, other}; !reflect.DeepEqual(me.Matches, want) {
			t.Errorf("Matches = %+v, want %+v", me.Matches, want)
		}
		if h := me.Hint(); !strings.Contains(h, "example.org/foo, example.org/foo/sub, example.org") {
			t.Errorf("Hint() = %q, want it to list the matching prefixes", h)
		}
	})
	t.Run("no match is an *ImportMismatchError listing the prefixes", func(t *testing.T) {
		_, err := Match([]Import{foo, fooSub}, "example.org/bar")
		var me *ImportMismatchError
		if !errors.As(err, &me) {
			t.Fatalf("err = %#v, want *ImportMismatchError", err)
		}
		if want := []string{"example.org/foo", "example.org/foo/sub"}; !reflect.DeepEqual(me.Prefixes, want) || me.ImportPath != "example.org/bar" {
			t.Errorf("error = %+v, want prefixes %q for example.org/bar", me, want)
		}
	})
}

// TestMultipleMatchHintNamesEachOnce checks that the hint lists each
// distinct prefix or tag once, however often the page repeats it.
func TestMultipleMatchHintNamesEachOnce(t *testing.T) {
	a := Import{Prefix: "example.org/a", VCS: "git", RepoRoot: "https://code.example/a.git"}
	a2 := Import{Prefix: "example.org/a", VCS: "git", RepoRoot: "https://code.example/other.git"}
	ab := Import{Prefix: "example.org/a/b", VCS: "git", RepoRoot: "https://code.example/b.git"}
	tests := []struct {
		name    string
		matches []Import
		want    string
	}{
		{"one tag repeated", []Import{a, a},
			`the page repeats the go-import tag "example.org/a git https://code.example/a.git" 2 times: serve it once`},
		{"one prefix, two repositories", []Import{a, a2, a},
			"serve exactly one go-import tag for example.org/a; these name it with different repositories: " +
				"example.org/a git https://code.example/a.git (2 times); example.org/a git https://code.example/other.git"},
		{"two prefixes, one repeated", []Import{a, ab, a},
			"serve exactly one go-import tag whose prefix covers example.org/a/b/c; these all do: example.org/a, example.org/a/b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Match(tt.matches, "example.org/a/b/c")
			var me *MultipleMatchError
			if !errors.As(err, &me) {
				t.Fatalf("Match: %v, want a *MultipleMatchError", err)
			}
			if got := me.Hint(); got != tt.want {
				t.Errorf("Hint() = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

func TestImportMismatchHint(t *testing.T) {
	tests := []struct {
		name     string
		prefixes []string
		path     string
		want     string
	}{
		{"no tags asks for a tag", nil, "example.org/foo", "no go-import meta tag"},
		{"a scheme in the prefix is named", []string{"https://example.org/foo"}, "example.org/foo", "contains a URL scheme"},
		{"a case difference is named", []string{"example.org/Foo"}, "example.org/foo/bar", "only in letter case"},
		{"a trailing slash on the whole path is named", []string{"example.org/foo/"}, "example.org/foo", "ends in a slash"},
		{"a prefix deeper than the path is named", []string{"example.org/foo/sub"}, "example.org/foo", "longer than the import path"},
		{"an unrelated prefix restates the rule", []string{"other.example/foo"}, "example.org/foo", "must be example.org/foo or a leading path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &ImportMismatchError{ImportPath: tt.path, Prefixes: tt.prefixes}
			if h := e.Hint(); !strings.Contains(h, tt.want) {
				t.Errorf("Hint() = %q, want it to contain %q", h, tt.want)
			}
		})
	}
}
