package testbed_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

func TestHgServesRepositoriesToRealHg(t *testing.T) {
	testbed.RequireHg(t)
	b := testbed.New(t)
	repo, err := b.AddHgRepo("org/bar", map[string]string{"bar.go": "package bar // v1\n"}, testbed.WithTag("v1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	v1, err := repo.Rev("v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	v2, err := repo.Commit(map[string]string{"bar.go": "package bar // v2\n"}, "second")
	if err != nil {
		t.Fatal(err)
	}
	if v1 == v2 {
		t.Fatalf("the second commit has the first one's hash %s", v1)
	}
	untrusting := filepath.Join(t.TempDir(), "hgrc")
	if err := os.WriteFile(untrusting, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     []string // added to the bed's environment
		args    []string // DIR is a fresh directory
		wantOut string   // substring of the output
		wantErr bool
		wantIn  map[string]string
		wantRev string // hg identify --id --debug in DIR
	}{
		{
			name:    "a clone over https has the latest commit and the tag",
			args:    []string{"clone", "-q", repo.URL, "DIR"},
			wantIn:  map[string]string{"bar.go": "package bar // v2\n"},
			wantRev: v2,
		},
		{
			name:    "a clone updated to the tag has the tagged files",
			args:    []string{"clone", "-q", "--updaterev", "v1.0.0", repo.URL, "DIR"},
			wantIn:  map[string]string{"bar.go": "package bar // v1\n"},
			wantRev: v1,
		},
		{
			name:    "identify names the remote tip",
			args:    []string{"identify", "--id", "--debug", "--rev", "tip", repo.URL},
			wantOut: v2,
		},
		{
			name:    "hg without the CA refuses the server",
			env:     []string{"HGRCPATH=" + untrusting},
			args:    []string{"identify", repo.URL},
			wantOut: "certificate",
			wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "clone")
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "DIR", dir)
			}
			env := append(toolEnv(t, b), tt.env...)
			out, err := runTool(b.Dir, env, "hg", args...)
			if (err != nil) != tt.wantErr || !strings.Contains(out, tt.wantOut) {
				t.Fatalf("hg %s: err %v, want error %v, output containing %q:\n%s", strings.Join(args, " "), err, tt.wantErr, tt.wantOut, out)
			}
			for name, want := range tt.wantIn {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || string(got) != want {
					t.Errorf("%s = %q (%v), want %q", name, got, err, want)
				}
			}
			if tt.wantRev != "" {
				rev, err := runTool(dir, env, "hg", "identify", "--id", "--debug")
				if err != nil || strings.TrimSuffix(rev, "+") != tt.wantRev {
					t.Errorf("working copy at %s (%v), want %s", rev, err, tt.wantRev)
				}
			}
		})
	}
	// hg serve was running before this repository existed.
	late, err := b.AddHgRepo("late", map[string]string{"x": "x\n"})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := runTool(b.Dir, toolEnv(t, b), "hg", "identify", late.URL); err != nil {
		t.Errorf("a repository added after hg serve started is not served: %v\n%s", err, out)
	}
	if !strings.Contains(strings.Join(b.Requests(), "\n"), "/org/bar?cmd=capabilities") {
		t.Errorf("no hg capabilities request logged:\n%s", strings.Join(b.Requests(), "\n"))
	}
}

func TestHgCommitsAreDeterministic(t *testing.T) {
	testbed.RequireHg(t)
	// A repository's name and place play no part in its hashes, so one bed
	// can hold both.
	b := testbed.New(t)
	build := func(name string) []string {
		r, err := b.AddHgRepo(name, map[string]string{"f": "one\n"}, testbed.WithTag("v1"))
		if err != nil {
			t.Fatal(err)
		}
		second, err := r.Commit(map[string]string{"f": "two\n"}, "second")
		if err != nil {
			t.Fatal(err)
		}
		first, err := r.Rev("v1")
		if err != nil {
			t.Fatal(err)
		}
		return []string{first, second}
	}
	if a, b := build("det1"), build("det2"); strings.Join(a, " ") != strings.Join(b, " ") {
		t.Errorf("two repositories made different changesets from the same calls: %q and %q", a, b)
	}
}

func TestAddHgRepoRefusesGitOnlyOptions(t *testing.T) {
	testbed.RequireHg(t)
	b := testbed.New(t)
	tests := []struct {
		name string
		opt  testbed.RepoOption
	}{
		{"a default branch name is refused", testbed.WithHead("trunk")},
		{"an extra branch is refused", testbed.WithBranch("b")},
		{"a login is refused", testbed.WithUser("u", "p")},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := "r" + string(rune('a'+i))
			_, err := b.AddHgRepo(name, map[string]string{"f": "x"}, tt.opt)
			if err == nil || !strings.Contains(err.Error(), "only WithTag applies") {
				t.Errorf("AddHgRepo: %v, want a refusal naming the options that apply", err)
			}
		})
	}
}
