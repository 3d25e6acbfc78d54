package main

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func testApp() *cli.App {
	return newCLI(strings.NewReader(""), io.Discard, io.Discard, func(string) string { return "" }).app()
}

func TestArrange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []string
		want []string // nil: a usage error
	}{
		{"a source means get", []string{"example.org/x"}, []string{"get", "example.org/x"}},
		{"a flag first means get", []string{"-u", "example.org/x"}, []string{"get", "-u", "example.org/x"}},
		{"a command is kept", []string{"resolve", "example.org/x"}, []string{"resolve", "example.org/x"}},
		{"a bool flag before the command", []string{"--json", "resolve", "x.org/a"}, []string{"resolve", "--json", "x.org/a"}},
		{"-v before the command is verbose", []string{"-v", "resolve", "x.org/a"}, []string{"resolve", "-v", "x.org/a"}},
		{"a valued flag before the command", []string{"--root", "R", "list"}, []string{"list", "--root", "R"}},
		{"a valued flag with =", []string{"--root=R", "list"}, []string{"list", "--root=R"}},
		{"flags after the arguments move", []string{"resolve", "x.org/a", "--json"}, []string{"resolve", "--json", "x.org/a"}},
		{"-- ends the flags", []string{"--json", "--", "-weird"}, []string{"get", "--json", "--", "-weird"}},
		{"--help alone", []string{"--help"}, []string{"help"}},
		{"-h before a command", []string{"-h", "resolve"}, []string{"help", "resolve"}},
		{"--help after the sources", []string{"resolve", "x.org/a", "--help"}, []string{"help", "resolve"}},
		{"--help with a source", []string{"x.org/a", "--help"}, []string{"help", "get"}},
		{"--help after -- is a source", []string{"resolve", "--", "--help"}, []string{"resolve", "--", "--help"}},
		{"--version", []string{"--version"}, []string{"version"}},
		{"flags before help are dropped", []string{"--json", "help", "get"}, []string{"help", "get"}},
		{"a typo is refused", []string{"rsolve", "x.org/a"}, nil},
		{"a typo after flags is refused", []string{"--json", "lsit"}, nil},
		{"another command's flag", []string{"--dry-run", "resolve", "x.org/a"}, nil},
		{"an unknown flag", []string{"resolve", "--bogus", "x.org/a"}, nil},
		{"a flag without its value", []string{"resolve", "x.org/a", "--root"}, nil},
		{"--version with a command", []string{"--version", "resolve"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _, err := arrange(testApp(), append([]string{"fetch"}, tt.in...))
			if tt.want == nil {
				var ue *usageError
				if !errors.As(err, &ue) {
					t.Fatalf("arrange(%q) = %q, %v; want a usage error", tt.in, got, err)
				}
				return
			}
			if err != nil || !slices.Equal(got[1:], tt.want) {
				t.Fatalf("arrange(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNotACommand(t *testing.T) {
	t.Parallel()
	app := testApp()
	tests := []struct {
		word, want string // want: "" for no error, else a part of it
	}{
		{"resolve", `"resolve" is a command`},
		{"credential-netrc", "is a command"},
		{"rsolve", "did you mean resolve?"},
		{"resovle", "did you mean resolve?"},
		{"lsit", "did you mean list?"},
		{"docter", "did you mean doctor?"},
		{"verison", "did you mean version?"},
		{"r", "did you mean resolve or root?"},
		{"Get", "did you mean get?"},
		{"example.org/x", ""},
		{"./list", ""},
		{"git@host:list", ""},
		{"rsolve.example/x", ""},
		{"golang", ""},
		{"go", ""},
		{"-", ""},
	}
	for _, tt := range tests {
		err := notACommand(app, tt.word)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("notACommand(%q) = %v, want nil", tt.word, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("notACommand(%q) = %v, want %q", tt.word, err, tt.want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"resolve", "resolve", 0}, {"rsolve", "resolve", 1}, {"resovle", "resolve", 1},
		{"lsit", "list", 1}, {"docter", "doctor", 1}, {"", "get", 3}, {"abc", "cab", 2},
	} {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestStripComment(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"example.org/x", "example.org/x"},
		{"  example.org/x  ", "example.org/x"},
		{"# a comment", ""},
		{"#", ""},
		{"example.org/x # why", "example.org/x"},
		{"example.org/x\t# why", "example.org/x"},
		{"https://h/a.tar.gz#frag", "https://h/a.tar.gz#frag"},
		{"https://h/a.tar.gz#frag # a comment", "https://h/a.tar.gz#frag"},
	} {
		if got := stripComment(tt.in); got != tt.want {
			t.Errorf("stripComment(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseSourceList(t *testing.T) {
	t.Parallel()
	srcs, origins, err := parseSourceList(strings.NewReader("# head\n\na.example/x # one\n  b.example/y\n"), "deps.txt")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"a.example/x", "b.example/y"}; !slices.Equal(srcs, want) {
		t.Errorf("sources %q, want %q", srcs, want)
	}
	if want := []string{"deps.txt:3", "deps.txt:4"}; !slices.Equal(origins, want) {
		t.Errorf("origins %q, want %q", origins, want)
	}
}

// TestFlagHelp holds every flag of every command to the help's rules: a
// flag that takes a value names it (no "value"), and defaults print as
// typed, without quotes.
func TestFlagHelp(t *testing.T) {
	t.Parallel()
	for _, cmd := range testApp().Commands {
		for _, f := range cmd.Flags {
			syn, use := flagSynopsis(f), flagUsage(f)
			_, isBool := f.(*cli.BoolFlag)
			if !isBool && placeholder(f) == "" {
				t.Errorf("%s %s: a flag that takes a value must name it in backquotes", cmd.Name, syn)
			}
			if strings.Contains(syn+" "+use, "value") || strings.ContainsAny(use, "`\"") {
				t.Errorf("%s %s: %q", cmd.Name, syn, use)
			}
		}
	}
}

func TestCompletions(t *testing.T) {
	t.Parallel()
	app := testApp()
	roots := map[string][]string{"": {"example.org/a", "example.org/b"}, "/other": {"other.example/c"}}
	checkouts := func(root string) []string { return roots[root] }
	tests := []struct {
		words, want []string
	}{
		{[]string{"res"}, []string{"resolve"}},
		{[]string{"r"}, []string{"resolve", "root"}},
		{[]string{"list", ""}, []string{"example.org/a", "example.org/b"}},
		{[]string{"--root", "/other", "list", ""}, []string{"other.example/c"}},
		{[]string{"list", "--root=/other", "o"}, []string{"other.example/c"}},
		{[]string{"list", "x", ""}, nil},
		{[]string{"-u", "example.org/b"}, []string{"example.org/b"}},
		{[]string{"get", "--update", "ex"}, []string{"example.org/a", "example.org/b"}},
		{[]string{"get", ""}, nil},
		{[]string{"resolve", "--dr"}, nil},
		{[]string{"get", "--dr"}, []string{"--dry-run"}},
		{[]string{"list", "-"}, []string{"--root", "--json", "--full-path", "-p", "--lock", "--help"}},
		{[]string{"--root", ""}, nil},
		{[]string{"completion", "z"}, []string{"zsh"}},
		{[]string{"help", "d"}, []string{"doctor"}},
		{[]string{"--", "li"}, nil},
	}
	for _, tt := range tests {
		if got := completions(app, tt.words, checkouts); !slices.Equal(got, tt.want) {
			t.Errorf("completions(%q) = %q, want %q", tt.words, got, tt.want)
		}
	}
}
