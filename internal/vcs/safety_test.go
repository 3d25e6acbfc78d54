package vcs

import (
	"slices"
	"strings"
	"testing"
)

func TestCheckRemote(t *testing.T) {
	tests := []struct {
		name     string
		vcs      string
		remote   string
		fromMeta bool
		wantErr  string // "" means accepted
	}{
		{"an https URL is accepted", "git", "https://code.example/r.git", false, ""},
		{"a file URL the user gave is accepted", "git", "file:///srv/r.git", false, ""},
		{"a file URL from a meta tag is refused", "git", "file:///etc", true, "comes from a go-import meta tag"},
		{"an scp-style remote is accepted for git", "git", "git@code.example:org/r.git", false, ""},
		{"an scp-style remote is refused for hg", "hg", "git@code.example:org/r", false, "must be a URL with a scheme"},
		{"an scp-style host starting with a dash is refused", "git", "git@-oProxyCommand=touch:x", false, "must be a URL with a scheme, or user@host:path"},
		{"a host:path without user is refused", "git", "code.example:org/r.git", false, "must be a URL"},
		{"a remote starting with a dash is refused", "git", "--upload-pack=touch /tmp/x", false, `starts with "-"`},
		{"the ext transport is refused", "git", "ext::sh -c touch% /tmp/pwned", false, "<transport>::<address>"},
		{"a transport helper form with a URL inside is refused", "git", "fd::3://x", false, "<transport>::<address>"},
		{"a scheme git does not speak is refused", "git", "gopher://code.example/r", false, `scheme "gopher"`},
		{"svn accepts svn+ssh", "svn", "svn+ssh://code.example/r", false, ""},
		{"hg refuses svn", "hg", "svn://code.example/r", false, `scheme "svn"`},
		{"an ssh host starting with a dash is refused", "git", "ssh://-oProxyCommand=touch/x", false, "user or host starting with"},
		{"an ssh user starting with a dash is refused", "git", "ssh://-oProxyCommand=x@host/x", false, "user or host starting with"},
		{"a newline inside a remote is refused", "git", "https://code.example/r\n--upload-pack=x", false, "newline"},
		{"an empty remote is refused", "hg", "", false, "is empty"},
		{"a plain path is refused", "git", "/srv/r.git", false, "must be a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ByName(tt.vcs).CheckRemote(tt.remote, tt.fromMeta)
			checkErr(t, err, tt.wantErr)
		})
	}
}

func TestCheckRef(t *testing.T) {
	tests := []struct {
		name    string
		vcs     string
		ref     string
		wantErr string
	}{
		{"no ref means the default branch", "git", "", ""},
		{"a git branch with slashes is accepted", "git", "feature/x", ""},
		{"a git ref that is an option is refused (CVE-2026-4660)", "git", "--pathspec-from-file=/etc/passwd", `starts with "-"`},
		{"a git ref with a space is refused", "git", "a b", "is not valid"},
		{"an hg tag is accepted", "hg", "v1.2.0", ""},
		{"an hg revset is refused", "hg", "remote(x)", "is not valid"},
		{"a bzr revision spec is accepted", "bzr", "tag:v1", ""},
		{"a negative bzr revno is refused", "bzr", "-1", `starts with "-"`},
		{"an svn revision number is accepted", "svn", "42", ""},
		{"an svn branch name is refused", "svn", "trunk", "revision number"},
		{"a fossil check-in name is accepted", "fossil", "trunk", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkErr(t, ByName(tt.vcs).checkRef(tt.ref), tt.wantErr)
		})
	}
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name     string
		template []string
		vars     map[string]string
		want     []string
	}{
		{"values fill their placeholders", []string{"clone", "--", "{repo}", "{dir}"},
			map[string]string{"repo": "https://h/r", "dir": "/d"}, []string{"clone", "--", "https://h/r", "/d"}},
		{"an argument with an empty value is left out", []string{"update", "--rev={ref}"},
			map[string]string{"ref": ""}, []string{"update"}},
		{"a value is never expanded again", []string{"{repo}", "{dir}"},
			map[string]string{"repo": "{dir}", "dir": "/d"}, []string{"{dir}", "/d"}},
		{"a value with spaces stays one argument", []string{"--rev={ref}"},
			map[string]string{"ref": "a b"}, []string{"--rev=a b"}},
		{"braces that are not placeholders are kept", []string{"log", "-T", "{node}"},
			map[string]string{"ref": "x"}, []string{"log", "-T", "{node}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := expand(tt.template, tt.vars); !slices.Equal(got, tt.want) {
				t.Errorf("expand(%q) = %q, want %q", tt.template, got, tt.want)
			}
		})
	}
}

func TestLastMeaningfulLine(t *testing.T) {
	tests := []struct {
		name, stderr, want string
	}{
		{"git's fatal line wins over hints", "Cloning into 'x'...\nfatal: repository 'h' not found\nhint: try again\n", "fatal: repository 'h' not found"},
		{"svn's generic advice is skipped", "svn: E170013: Unable to connect\nsvn: E180001: Unable to open repository\nsvn: E205000: Try 'svn help info' for more information\n", "svn: E180001: Unable to open repository"},
		{"hg's parenthesized hint is skipped", "abort: repository x not found\n(see 'hg help')\n", "abort: repository x not found"},
		{"git's generic trailer gives way to the reason before it",
			"fatal: '/srv/x' does not appear to be a git repository\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n",
			"fatal: '/srv/x' does not appear to be a git repository"},
		{"a failed submodule clone reports why it failed",
			"Cloning into '/co/s'...\nfatal: transport 'file' not allowed\nfatal: clone of 'file:///sub' into submodule path '/co/s' failed\nFailed to clone 's' a second time, aborting\n",
			"fatal: transport 'file' not allowed"},
		{"without an error marker the last line is used", "something\nwent wrong\n\n", "went wrong"},
		{"empty stderr gives nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lastMeaningfulLine(tt.stderr); got != tt.want {
				t.Errorf("lastMeaningfulLine = %q, want %q", got, tt.want)
			}
		})
	}
}

// checkErr fails unless err matches want: nil for "", else containing it.
func checkErr(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("unexpected error: %v", err)
	case want != "" && err == nil:
		t.Fatalf("no error, want one containing %q", want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Fatalf("error %q does not contain %q", err, want)
	}
}
