package testbed_test

import (
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

func TestBzrServesBranchesToRealBrz(t *testing.T) {
	testutil.NeedTool(t, "brz", "brz")
	b := testbed.New(t)
	repo, err := b.AddBzrRepo("org/proj", map[string]string{"a.txt": "one\n", "gone.txt": "x\n"}, testbed.WithTag("v1"))
	if err != nil {
		t.Fatal(err)
	}
	v1, err := repo.Rev("tag:v1")
	if err != nil {
		t.Fatal(err)
	}
	tip, err := repo.Commit(map[string]string{"a.txt": "two\n", "sub/b.txt": "b\n"}, "second")
	if err != nil {
		t.Fatal(err)
	}
	if v1 == tip || v1 == "" {
		t.Fatalf("the tag names %q and the second commit %q: want two distinct revisions", v1, tip)
	}
	trusting, err := b.BzrEnv()
	if err != nil {
		t.Fatal(err)
	}
	env := append(toolEnv(t, b), trusting...)
	rev := []string{"brz", "version-info", "--custom", "--template={revision_id}"}
	runToolCases(t, b.Dir, env, "brz", rev, []toolCase{
		{
			name:    "a branch over https has the newest commit, without the removed file",
			args:    []string{"branch", "--", repo.URL, "DIR"},
			wantIn:  map[string]string{"a.txt": "two\n", "sub/b.txt": "b\n"},
			missing: []string{"gone.txt"},
			wantRev: tip,
		},
		{
			name:    "a branch at the tag has the first snapshot",
			args:    []string{"branch", "--revision=tag:v1", "--", repo.URL, "DIR"},
			wantIn:  map[string]string{"a.txt": "one\n", "gone.txt": "x\n"},
			wantRev: v1,
		},
		{
			name:    "the tags of the branch are listed",
			args:    []string{"tags", "--directory=" + repo.URL},
			wantOut: "v1",
		},
	})
	// Without BzrEnv, brz trusts only the system's CA bundle.
	out, err := runTool(b.Dir, toolEnv(t, b), "brz", "info", "--", repo.URL)
	if err == nil || !strings.Contains(out, "CERTIFICATE_VERIFY_FAILED") {
		t.Errorf("brz without BzrEnv: err %v, want a certificate failure:\n%s", err, out)
	}
	if log := strings.Join(b.Requests(), "\n"); !strings.Contains(log, "/bzr/org/proj/.bzr/branch-format") {
		t.Errorf("no request for the branch's files logged:\n%s", log)
	}
}

func TestAddBzrRepoRefusesGitOnlyOptionsAndTakenNames(t *testing.T) {
	testutil.NeedTool(t, "brz", "brz")
	b := testbed.New(t)
	if _, err := b.AddBzrRepo("taken", map[string]string{"f": "x"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		repo    string
		opt     testbed.RepoOption
		wantErr string
	}{
		{"a default branch name is refused", "ra", testbed.WithHead("trunk"), "only WithTag applies"},
		{"an extra branch is refused", "rb", testbed.WithBranch("b"), "only WithTag applies"},
		{"a login is refused", "rc", testbed.WithUser("u", "p"), "only WithTag applies"},
		{"a name already in use is refused", "taken", testbed.WithTag(), "file exists"},
		{"a name that could be an option is refused", "-x", testbed.WithTag(), "must be letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.AddBzrRepo(tt.repo, map[string]string{"f": "x"}, tt.opt)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("AddBzrRepo(%q): %v, want an error containing %q", tt.repo, err, tt.wantErr)
			}
		})
	}
}
