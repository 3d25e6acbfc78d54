package vcs

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFromDir(t *testing.T) {
	tests := []struct {
		name     string
		dirs     []string // directories to create under the tree's src
		files    []string // files to create
		start    string   // where to start looking
		outside  bool     // start outside src
		wantVCS  string
		wantRoot string
		wantErr  string
	}{
		{name: "a git checkout is found from a subdirectory",
			dirs: []string{"h/r/.git", "h/r/pkg/sub"}, start: "h/r/pkg/sub", wantVCS: "git", wantRoot: "h/r"},
		{name: "git inside git is allowed and the innermost wins",
			dirs: []string{"h/r/.git", "h/r/vendor/x/.git"}, start: "h/r/vendor/x", wantVCS: "git", wantRoot: "h/r/vendor/x"},
		{name: "a .git file, as in a submodule, marks git",
			dirs: []string{"h/r/.git", "h/r/s"}, files: []string{"h/r/s/.git"}, start: "h/r/s", wantVCS: "git", wantRoot: "h/r/s"},
		{name: "hg inside a git checkout is refused (CVE-2025-4674)",
			dirs: []string{"h/r/.git", "h/r/x/.hg"}, start: "h/r/x",
			wantErr: `multiple VCS detected: hg in "SRC/h/r/x", and git in "SRC/h/r"`},
		{name: "git inside an svn checkout is refused (CVE-2017-15041)",
			dirs: []string{"h/r/.svn", "h/r/x/.git"}, start: "h/r/x",
			wantErr: `multiple VCS detected: git in "SRC/h/r/x", and svn in "SRC/h/r"`},
		{name: "two systems in one directory are refused",
			dirs: []string{"h/r/.git", "h/r/.hg"}, start: "h/r",
			wantErr: `multiple VCS detected: git in "SRC/h/r", and hg in "SRC/h/r"`},
		{name: "hg inside hg is refused",
			dirs: []string{"h/r/.hg", "h/r/x/.hg"}, start: "h/r/x", wantErr: "multiple VCS detected"},
		{name: "a fossil checkout is found by its .fslckout file",
			dirs: []string{"h/f/d"}, files: []string{"h/f/.fslckout"}, start: "h/f/d", wantVCS: "fossil", wantRoot: "h/f"},
		{name: "a bzr checkout is found by its .bzr directory",
			dirs: []string{"h/b/.bzr"}, start: "h/b", wantVCS: "bzr", wantRoot: "h/b"},
		{name: "a .hg file does not mark hg",
			dirs: []string{"h/r"}, files: []string{"h/r/.hg"}, start: "h/r", wantErr: "not using a known version control system"},
		{name: "a directory without a checkout is reported as not existing",
			dirs: []string{"h/none"}, start: "h/none", wantErr: "not using a known version control system"},
		{name: "a directory outside the stop directory is refused",
			dirs: []string{"elsewhere/.git"}, start: "elsewhere", outside: true, wantErr: "is not inside"},
		{name: "the stop directory itself is not looked at",
			dirs: []string{".git", "h/r"}, start: "h/r", wantErr: "not using a known version control system"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := t.TempDir()
			src := filepath.Join(base, "src")
			for _, d := range tt.dirs {
				if tt.outside {
					d = filepath.Join("..", d)
				}
				if err := os.MkdirAll(filepath.Join(src, d), 0o777); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range tt.files {
				writeFile(t, src, f, "gitdir: elsewhere\n")
			}
			start := filepath.Join(src, tt.start)
			if tt.outside {
				start = filepath.Join(base, tt.start)
			}
			c, root, err := FromDir(start, src)
			if tt.wantErr != "" {
				checkErr(t, err, strings.ReplaceAll(tt.wantErr, "SRC", src))
				if strings.Contains(tt.wantErr, "not using") && !errors.Is(err, os.ErrNotExist) {
					t.Errorf("error %q does not wrap os.ErrNotExist", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Name != tt.wantVCS || root != filepath.Join(src, tt.wantRoot) {
				t.Errorf("FromDir = %s at %s, want %s at %s", c.Name, root, tt.wantVCS, filepath.Join(src, tt.wantRoot))
			}
		})
	}
}

func TestByNameAndAll(t *testing.T) {
	var names []string
	for _, c := range All() {
		if ByName(c.Name) != c {
			t.Errorf("ByName(%q) does not return the table's value", c.Name)
		}
		names = append(names, c.Name)
	}
	if got := strings.Join(names, " "); got != "git hg svn bzr fossil" {
		t.Errorf("All() = %s, want git hg svn bzr fossil", got)
	}
	if ByName("cvs") != nil {
		t.Error("ByName(cvs) is not nil")
	}
}
