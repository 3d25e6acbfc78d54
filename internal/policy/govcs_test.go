package policy

import (
	"errors"
	"strings"
	"testing"
)

func TestGOVCSAllow(t *testing.T) {
	// Rows follow the Go command's TestGOVCS: the rules are the user's
	// alone (no defaults), and a root is private when it starts with
	// "is-private".
	tests := []struct {
		name  string
		govcs string
		root  string
		vcs   string
		ok    bool
	}{
		{"private rule does not cover a public root", "private:all", "is-public.com/foo", "zzz", false},
		{"private rule covers a private root", "private:all", "is-private.com/foo", "zzz", true},
		{"public rule covers a public root", "public:all", "is-public.com/foo", "zzz", true},
		{"public rule does not cover a private root", "public:all", "is-private.com/foo", "zzz", false},
		{"public all with private none allows public", "public:all,private:none", "is-public.com/foo", "zzz", true},
		{"public all with private none denies private", "public:all,private:none", "is-private.com/foo", "zzz", false},
		{"star matches every root", "*:all", "is-public.com/foo", "zzz", true},
		{"a host rule for git denies another vcs", "golang.org:git", "golang.org/x/text", "zzz", false},
		{"a host rule for git allows git", "golang.org:git", "golang.org/x/text", "git", true},
		{"a host rule allows an unknown name it lists", "golang.org:zzz", "golang.org/x/text", "zzz", true},
		{"a host rule denies git when it lists only another name", "golang.org:zzz", "golang.org/x/text", "git", false},
		{"a list allows its second entry", "golang.org:git|hg", "golang.org/x/text", "hg", true},
		{"a list allows its first entry", "golang.org:git|hg", "golang.org/x/text", "git", true},
		{"a list denies what it does not name", "golang.org:git|hg", "golang.org/x/text", "zzz", false},
		{"all allows hg", "golang.org:all", "golang.org/x/text", "hg", true},
		{"all allows an unknown name", "golang.org:all", "golang.org/x/text", "zzz", true},
		{"none denies git under its pattern", "other.xyz/p:none,golang.org/x:git", "other.xyz/p/x", "git", false},
		{"no matching rule denies", "other.xyz/p:none,golang.org/x:git", "unexpected.com", "git", false},
		{"second rule denies what it does not list", "other.xyz/p:none,golang.org/x:git", "golang.org/x/text", "zzz", false},
		{"second rule allows what it lists", "other.xyz/p:none,golang.org/x:git", "golang.org/x/text", "git", true},
		{"second rule with all allows hg", "other.xyz/p:none,golang.org/x:all", "golang.org/x/text", "hg", true},
		{"a two-element pattern does not match a sibling path", "other.xyz/p:none,golang.org/x:all", "golang.org/y/text", "git", false},
		{"a two-element pattern does not match a sibling for hg", "other.xyz/p:none,golang.org/x:git|hg", "golang.org/y/text", "hg", false},
		{"a glob pattern matches its element", "*.corp.example:svn", "code.corp.example/a", "svn", true},
		{"a glob pattern does not match another host", "*.corp.example:svn", "corp.example/a", "svn", false},
		{"mod is allowed even when nothing else is", "*:off", "example.org/x", "mod", true},
		{"empty rules allow nothing", "", "example.org/x", "git", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rules, err := ParseGOVCS(tt.govcs)
			if err != nil {
				t.Fatalf("ParseGOVCS(%q): %v", tt.govcs, err)
			}
			private := strings.HasPrefix(tt.root, "is-private")
			err = rules.Allow(tt.root, tt.vcs, private)
			if (err == nil) != tt.ok {
				t.Errorf("ParseGOVCS(%q).Allow(%q, %q, %v) = %v, want ok=%v", tt.govcs, tt.root, tt.vcs, private, err, tt.ok)
			}
		})
	}
}

func TestParseGOVCSErrors(t *testing.T) {
	tests := []struct {
		name  string
		govcs string
		want  string
	}{
		{"a lone comma is an empty entry", `,`, `empty entry in GOVCS`},
		{"a leading comma is an empty entry", `,x`, `empty entry in GOVCS`},
		{"the first bad entry is reported before a trailing comma", `x,`, `malformed entry in GOVCS (missing colon): "x"`},
		{"a trailing comma is an empty entry", `x:y,`, `empty entry in GOVCS`},
		{"an entry without a colon is malformed", `x`, `malformed entry in GOVCS (missing colon): "x"`},
		{"an entry without a pattern is refused", `:git`, `empty pattern in GOVCS: ":git"`},
		{"an entry without a list is refused", `x:`, `empty VCS list in GOVCS: "x:"`},
		{"a list of only a bar has empty names", `x:|`, `empty VCS name in GOVCS: "x:|"`},
		{"a trailing bar is an empty name", `x:y|`, `empty VCS name in GOVCS: "x:y|"`},
		{"a leading bar is an empty name", `x:|y`, `empty VCS name in GOVCS: "x:|y"`},
		{"a later entry without a list is named", `x:y,z:`, `empty VCS list in GOVCS: "z:"`},
		{"a later entry with empty names is named", `x:y,z:|`, `empty VCS name in GOVCS: "z:|"`},
		{"a double bar is an empty name", `x:y,z:w||v`, `empty VCS name in GOVCS: "z:w||v"`},
		{"a repeated pattern is unreachable", `x:y,x:z`, `unreachable pattern in GOVCS: "x:z" after "x:y"`},
		{"a repeated keyword is unreachable", `public:git,private:all,public:hg`, `unreachable pattern in GOVCS: "public:hg" after "public:git"`},
		{"a dot-slash pattern is relative", `./x:git`, `relative pattern not allowed in GOVCS: "./x"`},
		{"a dot-dot pattern is relative", `..:git`, `relative pattern not allowed in GOVCS: ".."`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseGOVCS(tt.govcs)
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseGOVCS(%q) error = %v, want %q", tt.govcs, err, tt.want)
			}
		})
	}
}

func TestParseGOVCSTrimsSpace(t *testing.T) {
	rules, err := ParseGOVCS("  example.org : git | hg ,private:all ")
	if err != nil {
		t.Fatal(err)
	}
	want := GOVCS{{"example.org", []string{"git", "hg"}}, {"private", []string{"all"}}}
	if len(rules) != len(want) {
		t.Fatalf("got %d rules %q, want %q", len(rules), rules, want)
	}
	for i := range want {
		if rules[i].Pattern != want[i].Pattern || strings.Join(rules[i].Allowed, "|") != strings.Join(want[i].Allowed, "|") {
			t.Errorf("rule %d = %q, want %q", i, rules[i], want[i])
		}
	}
}

func TestDisallowedErrorIsTyped(t *testing.T) {
	err := GOVCS(nil).Allow("example.org/x", "svn", true)
	var de *DisallowedError
	if !errors.As(err, &de) || de.VCS != "svn" || de.Root != "example.org/x" || !de.Private {
		t.Fatalf("Allow error = %#v, want a *DisallowedError for private svn example.org/x", err)
	}
}
