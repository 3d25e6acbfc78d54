package testbed_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/internal/testbed"
)

func TestGitServesRepositoriesToRealGit(t *testing.T) {
	testbed.RequireGit(t)
	b := testbed.New(t)
	repo, err := b.AddGitRepo("org/foo", map[string]string{"foo.go": "package foo // v1\n", "sub/doc.txt": "doc\n"}, testbed.WithTag("v1.0.0"))
	if err != nil {
		t.Fatal(err)
	}
	v1, err := repo.Rev("v1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	v2, err := repo.Commit(map[string]string{"foo.go": "package foo // v2\n"}, "second")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := repo.Tag("v2.0.0"); err != nil {
		t.Fatal(err)
	}
	feature, err := repo.Branch("feature")
	if err != nil {
		t.Fatal(err)
	}
	f2, err := repo.Commit(map[string]string{"foo.go": "package foo // feature\n"}, "on feature")
	if err != nil {
		t.Fatal(err)
	}
	if feature != v2 || f2 == v2 || v1 == v2 {
		t.Fatalf("hashes: v1 %s, v2 %s, feature branch point %s, feature tip %s: want a branch at v2 and distinct commits", v1, v2, feature, f2)
	}

	tests := []struct {
		name string
		args []string // git arguments; DIR is a fresh directory
		// check inspects DIR after the command, or the output
		wantOut []string
		wantIn  map[string]string // file in DIR -> content
		missing []string          // files that must not be in DIR
		wantRev string            // rev-parse HEAD in DIR
	}{
		{
			name:    "ls-remote lists the default branch, the other branch and both tags",
			args:    []string{"ls-remote", repo.URL},
			wantOut: []string{v2 + "\trefs/heads/main", f2 + "\trefs/heads/feature", v1 + "\trefs/tags/v1.0.0", v2 + "\trefs/tags/v2.0.0", v2 + "\tHEAD"},
		},
		{
			name:    "ls-remote works without the .git suffix, as on forges",
			args:    []string{"ls-remote", b.GitBase() + "/org/foo"},
			wantOut: []string{v2 + "\trefs/heads/main"},
		},
		{
			name:    "a clone checks out the default branch; deleted files are gone",
			args:    []string{"clone", "-q", repo.URL, "DIR"},
			wantIn:  map[string]string{"foo.go": "package foo // v2\n"},
			missing: []string{"sub/doc.txt"},
			wantRev: v2,
		},
		{
			name:    "a clone at a tag has the tagged files",
			args:    []string{"clone", "-q", "--branch", "v1.0.0", repo.URL, "DIR"},
			wantIn:  map[string]string{"foo.go": "package foo // v1\n", "sub/doc.txt": "doc\n"},
			wantRev: v1,
		},
		{
			name:    "a shallow clone of a branch works over protocol v2",
			args:    []string{"-c", "protocol.version=2", "clone", "-q", "--depth=1", "--branch", "feature", repo.URL, "DIR"},
			wantIn:  map[string]string{"foo.go": "package foo // feature\n"},
			wantRev: f2,
		},
		{
			name:    "the vanity listener serves the repository on any host name, reached through the proxy",
			args:    []string{"-c", "http.proxy=http://" + b.ProxyAddr, "clone", "-q", "https://vanity.example/org/foo.git", "DIR"},
			wantRev: v2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "clone")
			env := toolEnv(t, b)
			args := make([]string, len(tt.args))
			for i, a := range tt.args {
				args[i] = strings.ReplaceAll(a, "DIR", dir)
			}
			out, err := runTool(b.Dir, env, "git", args...)
			if err != nil {
				t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
			}
			for _, line := range tt.wantOut {
				if !strings.Contains(out+"\n", line+"\n") {
					t.Errorf("output lacks %q:\n%s", line, out)
				}
			}
			for name, want := range tt.wantIn {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || string(got) != want {
					t.Errorf("%s = %q (%v), want %q", name, got, err, want)
				}
			}
			for _, name := range tt.missing {
				if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
					t.Errorf("%s exists, want it deleted", name)
				}
			}
			if tt.wantRev != "" {
				rev, err := runTool(dir, env, "git", "rev-parse", "HEAD")
				if err != nil || rev != tt.wantRev {
					t.Errorf("HEAD = %s (%v), want %s", rev, err, tt.wantRev)
				}
			}
		})
	}
	var gitRequests int
	for _, line := range b.Requests() {
		if strings.Contains(line, "/org/foo") {
			gitRequests++
		}
	}
	if gitRequests < len(tests) {
		t.Errorf("logged %d requests for the repository, want at least %d:\n%s", gitRequests, len(tests), strings.Join(b.Requests(), "\n"))
	}
}

func TestGitBasicAuth(t *testing.T) {
	testbed.RequireGit(t)
	b := testbed.New(t)
	repo, err := b.AddGitRepo("private", map[string]string{"a.txt": "a\n"}, testbed.WithUser("alice", "s3cret"))
	if err != nil {
		t.Fatal(err)
	}
	withLogin := func(user, pass string) string {
		return strings.Replace(repo.URL, "https://", "https://"+user+":"+pass+"@", 1)
	}
	tests := []struct {
		name    string
		url     string
		wantErr string // substring of git's output; empty for success
	}{
		{"git without credentials is refused and cannot prompt", repo.URL, "terminal prompts disabled"},
		{"git with a wrong password is refused", withLogin("alice", "wrong"), "Authentication failed"},
		{"git with an unknown user is refused", withLogin("bob", "s3cret"), "Authentication failed"},
		{"git with the login lists the repository", withLogin("alice", "s3cret"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := runTool(b.Dir, toolEnv(t, b), "git", "ls-remote", tt.url)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("git ls-remote: %v\n%s", err, out)
			case tt.wantErr != "" && (err == nil || !strings.Contains(out, tt.wantErr)):
				t.Errorf("git ls-remote: err %v, output %q; want failure mentioning %q", err, out, tt.wantErr)
			}
		})
	}
	got := fetchURL(t, b.Client(), "GET", repo.URL+"/info/refs?service=git-upload-pack", "", "")
	if got.status != 401 || !strings.HasPrefix(got.header.Get("WWW-Authenticate"), "Basic ") {
		t.Errorf("GET info/refs without login: %d, WWW-Authenticate %q; want 401 with a Basic challenge", got.status, got.header.Get("WWW-Authenticate"))
	}
	for _, line := range b.Requests() {
		if strings.Contains(line, "s3cret") || strings.Contains(line, "wrong") {
			t.Errorf("request log holds a password: %q", line)
		}
	}
}

func TestGitCommitsAreDeterministic(t *testing.T) {
	testbed.RequireGit(t)
	build := func(content string) []string {
		b := testbed.New(t)
		r, err := b.AddGitRepo("det", map[string]string{"f": "one\n"}, testbed.WithTag("v1"))
		if err != nil {
			t.Fatal(err)
		}
		second, err := r.Commit(map[string]string{"f": content}, "second")
		if err != nil {
			t.Fatal(err)
		}
		first, err := r.Rev("v1")
		if err != nil {
			t.Fatal(err)
		}
		return []string{first, second}
	}
	a, b, c := build("two\n"), build("two\n"), build("other\n")
	if a[0] != b[0] || a[1] != b[1] {
		t.Errorf("two beds made different commits from the same calls: %q and %q", a, b)
	}
	if c[0] != a[0] || c[1] == a[1] {
		t.Errorf("different content: got %q, want the same first and a different second commit than %q", c, a)
	}
}

func TestAddGitRepoRefusesBadInput(t *testing.T) {
	testbed.RequireGit(t)
	b := testbed.New(t)
	if _, err := b.AddGitRepo("taken", map[string]string{"f": "x"}); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"f": "x"}
	tests := []struct {
		name    string
		repo    string
		files   map[string]string
		opts    []testbed.RepoOption
		wantErr string
	}{
		{"a name starting with a dash is refused", "-upload-pack=evil", files, nil, `"-upload-pack=evil"`},
		{"a name stepping outside the root is refused", "../escape", files, nil, `"../escape"`},
		{"an empty name element is refused", "org//foo", files, nil, `"org//foo"`},
		{"an existing repository is refused", "taken", files, nil, "taken already exists"},
		{"a file outside the repository is refused", "r1", map[string]string{"../x": "x"}, nil, `"../x"`},
		{"a file inside .git is refused", "r2", map[string]string{"sub/.git/config": "x"}, nil, `"sub/.git/config" must not contain .git`},
		{"a tag starting with a dash is refused", "r3", files, []testbed.RepoOption{testbed.WithTag("-x")}, `"-x"`},
		{"a tag git would not accept is refused", "r4", files, []testbed.RepoOption{testbed.WithTag("bad..tag")}, `"bad..tag" in r4 is not a valid git ref name`},
		{"an invalid default branch is refused", "r5", files, []testbed.RepoOption{testbed.WithHead("a b")}, `"a b"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := b.AddGitRepo(tt.repo, tt.files, tt.opts...)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("AddGitRepo: %v, want an error containing %s", err, tt.wantErr)
			}
			if _, err := os.Stat(filepath.Join(b.Dir, "git", tt.repo+".git")); tt.repo != "taken" && err == nil {
				t.Errorf("a half-made repository %s was left behind", tt.repo)
			}
		})
	}
}
