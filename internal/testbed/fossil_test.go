package testbed_test

import (
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

func startFossil(t *testing.T, b *testbed.Bed) *testbed.FossilServer {
	t.Helper()
	testutil.NeedTool(t, "fossil", "fossil")
	s, err := b.StartFossil()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("closing fossil server: %v", err)
		}
	})
	return s
}

func TestFossilServesRepositoriesToRealFossil(t *testing.T) {
	b := testbed.New(t)
	s := startFossil(t, b)
	repo, err := s.AddRepo("proj", map[string]string{"a.txt": "one\n", "gone.txt": "x\n"}, "v1")
	if err != nil {
		t.Fatal(err)
	}
	v1, err := repo.Rev("v1")
	if err != nil {
		t.Fatal(err)
	}
	tip, err := repo.Commit(map[string]string{"a.txt": "two\n", "sub/b.txt": "b\n"}, "second")
	if err != nil {
		t.Fatal(err)
	}
	if v1 == tip {
		t.Fatalf("the tag and the second commit are both %s", v1)
	}
	env := append(toolEnv(t, b), "USER=tester")
	// fossil clones into a repository file and opens a checkout from it;
	// DIR is the file here, and the checks below use the repository's
	// own listing of each check-in.
	runToolCases(t, b.Dir, env, "fossil", nil, []toolCase{
		{
			name:    "a clone over https succeeds",
			args:    []string{"clone", "--", repo.URL, "DIR"},
			wantOut: "Clone done",
		},
		{
			name:    "a repository that does not exist is an error",
			args:    []string{"clone", "--", s.Base() + "/none", "DIR"},
			wantErr: true,
		},
	})
	// A checkout of a clone has the right files at each check-in.
	dir := t.TempDir()
	clone := dir + "/c.fossil"
	if out, err := runTool(dir, env, "fossil", "clone", "--", repo.URL, clone); err != nil {
		t.Fatalf("fossil clone: %v\n%s", err, out)
	}
	tests := []struct {
		name    string
		rev     string
		wantIn  map[string]string
		missing []string
	}{
		{"the newest check-in lacks the removed file", tip, map[string]string{"a.txt": "two\n", "sub/b.txt": "b\n"}, []string{"gone.txt"}},
		{"the tag names the first snapshot", "v1", map[string]string{"a.txt": "one\n", "gone.txt": "x\n"}, []string{"sub/b.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for name, want := range tt.wantIn {
				got, err := runTool(dir, env, "fossil", "cat", "-R", clone, "-r", tt.rev, "--", name)
				if err != nil || got+"\n" != want {
					t.Errorf("%s at %s = %q (%v), want %q", name, tt.rev, got, err, want)
				}
			}
			for _, name := range tt.missing {
				if out, err := runTool(dir, env, "fossil", "cat", "-R", clone, "-r", tt.rev, "--", name); err == nil {
					t.Errorf("%s exists at %s: %q", name, tt.rev, out)
				}
			}
		})
	}
	if log := strings.Join(b.Requests(), "\n"); !strings.Contains(log, "POST "+repo.URL) {
		t.Errorf("no fossil sync request for %s logged:\n%s", repo.URL, log)
	}
}

func TestFossilCommitsAreDeterministic(t *testing.T) {
	b := testbed.New(t)
	s := startFossil(t, b)
	build := func(name string) string {
		r, err := s.AddRepo(name, map[string]string{"f": "one\n"})
		if err != nil {
			t.Fatal(err)
		}
		second, err := r.Commit(map[string]string{"f": "two\n"}, "second")
		if err != nil {
			t.Fatal(err)
		}
		return second
	}
	if a, b := build("det1"), build("det2"); a != b {
		t.Errorf("two repositories made different check-ins from the same calls: %s and %s", a, b)
	}
}
