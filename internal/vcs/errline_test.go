package vcs

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// TestErrorLine picks the line of real stderr samples (captured from git
// 2.39, hg 6.3, svn 1.14 and brz 3.3 on Debian) that names the cause.
func TestErrorLine(t *testing.T) {
	const tmp = "/root/src/example.org/.fetch-tmp-proj-0123abcd/proj"
	tests := []struct {
		name, stderr, want string
	}{
		{"git clone on a full disk names the disk, not index-pack",
			"Cloning into '" + tmp + "'...\nremote: Enumerating objects: 3, done.        \nremote: Counting objects:  33% (1/3)        \rremote: Counting objects: 100% (3/3), done.        \nReceiving objects:  33% (1/3)\rReceiving objects:  66% (2/3)\nfatal: write error: No space left on device\nfatal: fetch-pack: invalid index-pack output\n",
			"fatal: write error: No space left on device"},
		{"hg clone on a full disk",
			"abort: No space left on device: '/srv/hbig/.hg/store/data/blob.d'\n",
			"abort: No space left on device: '/srv/hbig/.hg/store/data/blob.d'"},
		{"svn checkout on a full disk names the write, not sqlite",
			"svn: E000028: Can't write to file '" + tmp + "/.svn/tmp/svn-yRZh7S': No space left on device\nsvn: E200042: Additional errors:\nsvn: E200030: sqlite[S13]: database or disk is full\nsvn: E200030: sqlite[S13]: database or disk is full\n",
			"svn: E000028: Can't write to file '/root/src/example.org/proj/.svn/tmp/svn-yRZh7S': No space left on device"},
		{"brz branch on a full disk", "brz: ERROR: [Errno 28] No space left on device\n", "brz: ERROR: [Errno 28] No space left on device"},
		{"a read-only destination", "Cloning into '" + tmp + "'...\nfatal: could not create work tree dir '" + tmp + "': Read-only file system\n",
			"fatal: could not create work tree dir '/root/src/example.org/proj': Read-only file system"},
		{"ssh failing without a word leaves git's generic line, not Cloning into",
			"Cloning into '" + tmp + "'...\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n",
			"fatal: Could not read from remote repository."},
		{"only a progress line: nothing is picked", "Cloning into '" + tmp + "'...\n", ""},
		{"what the server said beats progress",
			"Cloning into 'x'...\nremote: Counting objects: 100% (3/3), done.\nremote: Repository disabled by its owner\n", "remote: Repository disabled by its owner"},
		{"an error line beats what the server said",
			"remote: Please see the documentation\nfatal: unable to access 'https://h/r/': The requested URL returned error: 403\n",
			"fatal: unable to access 'https://h/r/': The requested URL returned error: 403"},
		{"ssh's refusal is a permission error", "git@h: Permission denied (publickey).\nfatal: Could not read from remote repository.\n",
			"git@h: Permission denied (publickey)."},
		{"git's fatal line wins over hints", "Cloning into 'x'...\nfatal: repository 'h' not found\nhint: try again\n", "fatal: repository 'h' not found"},
		{"svn's generic advice is skipped", "svn: E170013: Unable to connect\nsvn: E180001: Unable to open repository\nsvn: E205000: Try 'svn help info' for more information\n", "svn: E180001: Unable to open repository"},
		{"hg's parenthesized hint is skipped", "abort: repository x not found\n(see 'hg help')\n", "abort: repository x not found"},
		{"a failed submodule clone reports why it failed",
			"Cloning into '/co/s'...\nfatal: transport 'file' not allowed\nfatal: clone of 'file:///sub' into submodule path '/co/s' failed\nFailed to clone 's' a second time, aborting\n",
			"fatal: transport 'file' not allowed"},
		{"without an error marker the last line is used", "something\nwent wrong\n\n", "went wrong"},
		{"empty stderr gives nothing", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hideTemp(lastMeaningfulLine(tt.stderr)); got != tt.want {
				t.Errorf("line = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestErrorNamesDestination: an Error never shows fetch's temporary
// directory, in the command or in the line.
func TestErrorNamesDestination(t *testing.T) {
	tmp := "/r/src/h/.fetch-tmp-proj-00ff/proj"
	e := &Error{Args: []string{"git", "clone", "--", "https://h/proj", tmp}, Err: &exec.ExitError{},
		Stderr: "Cloning into '" + tmp + "'...\nfatal: could not create work tree dir '" + tmp + "': Permission denied\n"}
	got := e.Error()
	if strings.Contains(got, ".fetch-tmp") {
		t.Errorf("Error() = %q, shows the temporary directory", got)
	}
	if want := "git clone -- https://h/proj /r/src/h/proj: fatal: could not create work tree dir '/r/src/h/proj': Permission denied"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(e, e.Err) {
		t.Error("Error does not unwrap to its exit status")
	}
}
