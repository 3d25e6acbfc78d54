package vcs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestVetBzrAndSvn: metadata that would make brz or svn work on another
// branch or working copy is refused before either runs.
func TestVetBzrAndSvn(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rows := []struct {
		c     *Cmd
		name  string
		plant func(t *testing.T, dir string)
		file  string
		key   string
	}{
		{vcsBzr, "bound_location in branch.conf", func(t *testing.T, dir string) {
			p := filepath.Join(dir, ".bzr", "branch", "branch.conf")
			writeFile(t, filepath.Dir(p), "branch.conf", readFile(t, filepath.Dir(p), "branch.conf")+"bound_location = file:///elsewhere/\nbound = True\n")
		}, "branch.conf", "bound_location"},
		{vcsBzr, "a branch reference", func(t *testing.T, dir string) {
			writeFile(t, dir, ".bzr/branch/location", "file:///elsewhere/\n")
		}, "location", ""},
		{vcsBzr, "no repository of its own", func(t *testing.T, dir string) {
			if err := os.RemoveAll(filepath.Join(dir, ".bzr", "repository")); err != nil {
				t.Fatal(err)
			}
		}, ".bzr", ""},
		{vcsSvn, ".svn linked to another working copy", func(t *testing.T, dir string) {
			other := filepath.Join(t.TempDir(), "svn")
			if err := os.Rename(filepath.Join(dir, ".svn"), other); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(other, filepath.Join(dir, ".svn")); err != nil {
				t.Fatal(err)
			}
		}, ".svn", ""},
		{vcsSvn, "a link inside .svn", func(t *testing.T, dir string) {
			if err := os.Symlink(t.TempDir(), filepath.Join(dir, ".svn", "tmp", "planted")); err != nil {
				t.Fatal(err)
			}
		}, "planted", ""},
	}
	for _, row := range rows {
		t.Run(row.c.name+"/"+row.name, func(t *testing.T) {
			t.Parallel()
			u := newUpstream(t, row.c)
			u.commit(t, "1\n")
			r, _ := newRunner(t, u.env)
			dir := filepath.Join(t.TempDir(), "co")
			if err := row.c.Create(ctx, r, u.url, dir, CreateOptions{}); err != nil {
				t.Fatal(err)
			}
			if _, err := row.c.Revision(ctx, r, dir); err != nil {
				t.Fatalf("a checkout fetch made is refused: %v", err)
			}
			row.plant(t, dir)
			for name, run := range map[string]func() error{
				"Revision": func() error { _, err := row.c.Revision(ctx, r, dir); return err },
				"Update":   func() error { return row.c.Update(ctx, r, dir, "") },
			} {
				err := run()
				var ue *UntrustedMetadataError
				if !errors.As(err, &ue) || !errors.Is(err, ErrUntrustedConfig) || filepath.Base(ue.File) != row.file || ue.Key != row.key {
					t.Fatalf("%s: got %v, want an UntrustedMetadataError for %s %s", name, err, row.file, row.key)
				}
			}
		})
	}
}

func TestParseGitConfig(t *testing.T) {
	t.Parallel()
	ok := []struct {
		in   string
		want []string // key=value
	}{
		{"[core]\n\tbare = false\n", []string{"core.bare=false"}},
		{"\xef\xbb\xbf[Core] # c\n  Bare=true ; c\n", []string{"core.bare=true"}},
		{"[remote \"Or\\\"ig\"]\n\turl = \"a b\"  c # x\n", []string{"remote.Or\"ig.url=a b  c"}},
		{"[a]\nk = x\\\n  y\n", []string{"a.k=x  y"}},
		{"[a]\nk = \"#;\" \\t\\n\n", []string{"a.k=#; \t\n"}},
		{"[a]\nflag\n", []string{"a.flag="}},
		{"[a]\r\nk = v\r\n", []string{"a.k=v"}},
	}
	for _, tt := range ok {
		got, err := parseGitConfig([]byte(tt.in))
		if err != nil {
			t.Errorf("%q: %v", tt.in, err)
			continue
		}
		var kv []string
		for _, s := range got {
			kv = append(kv, s.Key()+"="+s.Value)
		}
		if len(kv) != len(tt.want) || (len(kv) > 0 && kv[0] != tt.want[0]) {
			t.Errorf("%q: got %q, want %q", tt.in, kv, tt.want)
		}
	}
	for _, in := range []string{
		"k = v\n",          // before any section
		"[a.b]\nk = v\n",   // the deprecated form
		"[a \"b]\nk = v\n", // unterminated subsection
		"[a]\nk = \"v\n",   // unterminated quote
		"[a]\nk = \\q\n",   // unknown escape
		"[a]\n=v\n",        // no name
		"[a]\nk v\n",       // no =
		"[a]\nk = v\x00\n", // NUL
		"[a] x\n",          // junk after header
		"[a \"b\" ]\n",     // junk inside header
		"[]\n",             // empty section
	} {
		if _, err := parseGitConfig([]byte(in)); err == nil {
			t.Errorf("%q parsed, want an error", in)
		}
	}
}

// TestGitNeverLooksAbove: a git command fetch runs in a directory that is
// not a repository fails instead of working on an enclosing one.
func TestGitNeverLooksAbove(t *testing.T) {
	t.Parallel()
	f := newGitFixture(t)
	inner := filepath.Join(f.dir, "plain")
	if err := os.Mkdir(inner, 0o777); err != nil {
		t.Fatal(err)
	}
	r, _ := newRunner(t, f.env)
	if out, err := r.run(context.Background(), vcsGit, inner, "rev-parse", "--git-dir"); err == nil {
		t.Fatalf("git found a repository above %s: %s", inner, out)
	}
}
