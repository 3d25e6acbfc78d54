package fetch_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

// newGetClient returns a client that reaches example.org on the bed and
// whose git trusts the bed's CA.
func newGetClient(t testing.TB, b *testbed.Bed, jobs int) *fetch.Client {
	t.Helper()
	c, err := fetch.New(fetch.Options{
		Root:       t.TempDir(),
		Pwd:        t.TempDir(),
		CACertFile: b.CACertFile,
		ConnectTo:  b.ConnectTo("example.org"),
		Jobs:       jobs,
		Getenv:     func(string) string { return "" },
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// addVanityRepos creates git repositories named repos on the bed and, for
// each import path, a page pointing at the repository its second element
// names (example.org/REPO/...).
func addVanityRepos(t testing.TB, b *testbed.Bed, repos []string, paths []string) {
	t.Helper()
	for _, r := range repos {
		if _, err := b.AddGitRepo(r, map[string]string{"go.mod": "module example.org/" + r + "\n"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range paths {
		repo := strings.Split(p, "/")[1]
		page := goImport(fmt.Sprintf("example.org/%s git ${TESTBED_GIT}/%s.git", repo, repo))
		for _, name := range []string{p, "example.org/" + repo} {
			if err := b.WriteWWW(name+".html", page); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// gitFetches counts the clones (ref advertisements) the bed served for
// each repository.
func gitFetches(b *testbed.Bed) map[string]int {
	n := map[string]int{}
	for _, line := range b.Requests() {
		if i := strings.Index(line, ".git/info/refs"); i >= 0 {
			n[line[strings.LastIndex(line[:i], "/")+1:i]]++
		}
	}
	return n
}

// TestGetFetchesEachRepositoryOnce fetches many import paths that live in
// a few repositories and checks that each repository is cloned once, by
// its first import path in the input, and that results stream in input
// order.
func TestGetFetchesEachRepositoryOnce(t *testing.T) {
	testutil.NeedTool(t, "git", "git")
	for _, tt := range []struct {
		name string
		jobs int
	}{
		{"one job at a time clones each repository once", 1},
		{"many jobs at once clone each repository once", 8},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := testbed.New(t)
			repos := []string{"ra", "rb", "rc"}
			var srcs []string
			for k := range 12 {
				srcs = append(srcs, fmt.Sprintf("example.org/%s/p%d", repos[k%len(repos)], k))
			}
			srcs = append(srcs, "example.org/rb")
			addVanityRepos(t, b, repos, srcs)
			c := newGetClient(t, b, tt.jobs)
			var streamed []string
			results := c.Get(t.Context(), srcs, fetch.SourceOptions{
				OnResult: func(r fetch.Result) { streamed = append(streamed, r.Source) },
			})
			first := map[string]bool{}
			for i, r := range results {
				if r.Source != srcs[i] || streamed[i] != srcs[i] {
					t.Fatalf("result %d is for %q (streamed %q), want %q", i, r.Source, streamed[i], srcs[i])
				}
				want := fetch.StatusExists
				if !first[r.Root] {
					first[r.Root] = true
					want = fetch.StatusFetched
				}
				if r.Status != want || r.Commit == "" {
					t.Errorf("%s: status %q commit %q error %q, want %s with a commit", r.Source, r.Status, r.Commit, r.Error, want)
				}
			}
			for _, r := range repos {
				if n := gitFetches(b)[r]; n != 1 {
					t.Errorf("repository %s was fetched %d times, want once", r, n)
				}
			}
		})
	}
}

// TestGetReportsEveryFailure mixes sources that work with sources that
// fail in discovery and in git, and checks that each failure is reported,
// that the others are fetched, and that a broken repository costs one
// attempt however many import paths live in it.
func TestGetReportsEveryFailure(t *testing.T) {
	testutil.NeedTool(t, "git", "git")
	t.Parallel()
	b := testbed.New(t)
	addVanityRepos(t, b, []string{"good"}, []string{"example.org/good/p1", "example.org/good/p2"})
	for _, p := range []string{"example.org/broken", "example.org/broken/p1", "example.org/broken/p2"} {
		if err := b.WriteWWW(p+".html", goImport("example.org/broken git ${TESTBED_GIT}/gone.git")); err != nil {
			t.Fatal(err)
		}
	}
	srcs := []string{"example.org/broken/p1", "example.org/good/p1", "example.org/nopage/x", "example.org/broken/p2", "example.org/good/p2"}
	tests := []struct {
		source  string
		status  fetch.Status
		errText string
	}{
		{"example.org/broken/p1", fetch.StatusError, "gone.git"},
		{"example.org/good/p1", fetch.StatusFetched, ""},
		{"example.org/nopage/x", fetch.StatusError, `unrecognized import path "example.org/nopage/x"`},
		{"example.org/broken/p2", fetch.StatusError, "not tried again: example.org/broken/p1, which asks for the same repository and ref, failed"},
		{"example.org/good/p2", fetch.StatusExists, ""},
	}
	results := newGetClient(t, b, 4).Get(t.Context(), srcs, fetch.SourceOptions{})
	for i, tt := range tests {
		r := results[i]
		if r.Source != tt.source || r.Status != tt.status || !strings.Contains(r.Error, tt.errText) {
			t.Errorf("result %d: %s status %q error %q; want %s status %q error containing %q", i, r.Source, r.Status, r.Error, tt.source, tt.status, tt.errText)
		}
		// Every error carries its type for advice, a repeated one its
		// first failure's.
		if tt.status == fetch.StatusError && (r.Err == nil || r.Err.Error() != r.Error) {
			t.Errorf("result %d: Err = %v, want the error whose text is %q", i, r.Err, r.Error)
		}
	}
	if !errors.Is(results[3].Err, results[0].Err) {
		t.Errorf("the source not tried again has Err %v, which does not wrap the first failure's, %v", results[3].Err, results[0].Err)
	}
	if n := gitFetches(b)["gone"]; n != 1 {
		t.Errorf("the broken repository was asked for %d times, want once", n)
	}
}
