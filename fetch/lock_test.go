package fetch_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/internal/testbed"
	"github.com/gofetch/fetch/internal/testutil"
)

// Lock, Verify and Replay report differences as *fetch.MismatchError
// values that callers tell apart with errors.As and errors.Is.
func TestLockVerifyReplayMismatchesAreTyped(t *testing.T) {
	testutil.NeedTool(t, "git", "git")
	ctx := context.Background()
	b := testbed.New(t)
	addVanityRepos(t, b, []string{"foo"}, []string{"example.org/foo"})
	c := newGetClient(t, b, 2)
	results := c.Get(ctx, []string{"example.org/foo"}, fetch.SourceOptions{})
	if results[0].Status != fetch.StatusFetched {
		t.Fatalf("Get: %+v", results[0])
	}
	entries, err := c.Lock(ctx, results)
	if err != nil || len(entries) != 1 {
		t.Fatalf("Lock = %+v, %v", entries, err)
	}
	if e := entries[0]; e.Commit != results[0].Commit || !strings.HasPrefix(e.Hash, "h1:") || e.Path != "example.org/foo" {
		t.Fatalf("entry = %+v", e)
	}
	if _, err := c.Verify(ctx, entries); err != nil {
		t.Fatalf("Verify of an untouched tree: %v", err)
	}

	mismatch := func(err error, what string) *fetch.MismatchError {
		t.Helper()
		var m *fetch.MismatchError
		if !errors.As(err, &m) || !errors.Is(err, fetch.ErrMismatch) {
			t.Fatalf("error %v is not a *MismatchError", err)
		}
		if m.What != what {
			t.Fatalf("What = %q, want %q (%v)", m.What, what, err)
		}
		return m
	}

	// Another commit locked than the one checked out.
	other := append(entries[:0:0], entries...)
	other[0].Commit = strings.Repeat("0", 40)
	vr, err := c.Verify(ctx, other)
	m := mismatch(err, fetch.MismatchCommit)
	if m.Found != results[0].Commit || vr[0].Status != fetch.StatusError || !errors.As(vr[0].Err, &m) {
		t.Errorf("commit mismatch %+v, result %+v", m, vr[0])
	}

	// A tracked file changed: named.
	if err := os.WriteFile(filepath.Join(results[0].Dest, "go.mod"), []byte("module evil\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = c.Verify(ctx, entries)
	if m := mismatch(err, fetch.MismatchContent); len(m.Files) != 1 || m.Files[0] != "go.mod" {
		t.Errorf("Files = %q, want [go.mod]", m.Files)
	}

	// The page now names another repository: replay fetches nothing.
	if _, err := b.AddGitRepo("evil", map[string]string{"go.mod": "module example.org/foo\n"}); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteWWW("example.org/foo.html", goImport("example.org/foo git ${TESTBED_GIT}/evil.git")); err != nil {
		t.Fatal(err)
	}
	c2 := newGetClient(t, b, 2)
	rr, err := c2.Replay(ctx, entries, fetch.SourceOptions{})
	m = mismatch(err, fetch.MismatchRepo)
	if !strings.HasSuffix(m.Locked, "/foo.git") || !strings.HasSuffix(m.Found, "/evil.git") {
		t.Errorf("repo mismatch %+v", m)
	}
	if rr[0].Status != fetch.StatusError || rr[0].Error != m.Error() || !errors.Is(rr[0].Err, fetch.ErrMismatch) {
		t.Errorf("Replay result %+v", rr[0])
	}
	if _, err := os.Stat(filepath.Join(c2.Root(), "src", "example.org", "foo")); !os.IsNotExist(err) {
		t.Errorf("replay wrote the destination: %v", err)
	}
}
