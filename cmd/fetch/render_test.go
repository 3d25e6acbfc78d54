package main

import (
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/trace"
)

func TestShellJoin(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"plain words stay as they are", []string{"git", "clone", "--", "https://h/r.git", "/tmp/x"}, "git clone -- https://h/r.git /tmp/x"},
		{"a space is quoted", []string{"hg", "log", "-r", "head() and branch(.)"}, "hg log -r 'head() and branch(.)'"},
		{"a newline is quoted", []string{"hg", "log", "-T", "{node}\n"}, "hg log -T '{node}\n'"},
		{"a single quote is escaped", []string{"echo", "it's"}, `echo 'it'\''s'`},
		{"an empty argument is visible", []string{"git", ""}, "git ''"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shellJoin(tt.args); got != tt.want {
				t.Errorf("shellJoin(%q) = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

func TestFlagsFirst(t *testing.T) {
	flags := sourceFlags(true)
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"flags after sources move in front", []string{"a", "--json", "b"}, []string{"--json", "a", "b"}},
		{"a flag's value moves with it", []string{"a", "--root", "/r", "b"}, []string{"--root", "/r", "a", "b"}},
		{"a value given with = stays one argument", []string{"a", "--root=/r"}, []string{"--root=/r", "a"}},
		{"-- keeps what follows as sources", []string{"--json", "--", "-weird"}, []string{"--json", "--", "-weird"}},
		{"a bool flag takes no value", []string{"-v", "a"}, []string{"-v", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := flagsFirst(tt.in, flags)
			if len(got) != len(tt.want) {
				t.Fatalf("flagsFirst(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("flagsFirst(%q) = %q, want %q", tt.in, got, tt.want)
				}
			}
		})
	}
}

func TestSummary(t *testing.T) {
	// The words are the JSON statuses, in a fixed order; one the summary
	// does not know comes last under its own name.
	rs := []fetch.Result{{Status: "error"}, {Status: "fetched"}, {Status: "exists"}, {Status: "fetched"},
		{Status: "interrupted"}, {Status: "zzz"}}
	if got, want := summary(rs), "6 sources: 2 fetched, 1 exists, 1 error, 1 interrupted, 1 zzz"; got != want {
		t.Errorf("summary = %q, want %q", got, want)
	}
}

func TestShortCommit(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e", "0f9e8d7c6b5a"},
		{"42", "42"},
		{"testbed@example.org-20261206021230-4mvu1xw5b2r8wpkq", "4mvu1xw5b2r8"},
		{"testbed@example.org-20261206021231-x1", "x1"},
		{"", ""},
	} {
		if got := shortCommit(tt.in); got != tt.want {
			t.Errorf("shortCommit(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestTerminalLinesEscapeServerControls: an error line and a -v trace
// line quote servers (a proxy's message, a status text, a redirect's
// Location); an ESC sequence, a C1 CSI or a bidirectional override in
// them is shown escaped, never written to the terminal as it is.
func TestTerminalLinesEscapeServerControls(t *testing.T) {
	const hostile = "boom\x1b[2J\u009b31m\u202eexe.txt"
	const shown = `boom\x1b[2J\x9b31m\u202eexe.txt`
	if got := oneLine("first line\r\nsecond: " + hostile); got != "first line second: "+shown {
		t.Errorf("oneLine = %q, want %q", got, "first line second: "+shown)
	}
	var buf strings.Builder
	p := newTracePrinter(&buf, true, false, true)
	p.event(trace.Event{Kind: trace.Response, Source: "example.com/m", URL: "https://proxy.example/x", Status: 200, StatusText: "200 " + hostile})
	p.event(trace.Event{Kind: trace.Note, Source: "example.com/m", Message: hostile})
	if out := buf.String(); strings.ContainsAny(out, "\x1b\u009b\u202e") || strings.Count(out, shown) != 2 {
		t.Errorf("trace output %q holds raw controls, or not the escaped text twice", out)
	}
}
