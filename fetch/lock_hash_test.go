package fetch

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/dirhash"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustHash(t *testing.T, dir string) string {
	t.Helper()
	h, err := hashTree(dir, true)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestHashTreeIsDirhashH1(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a.go": "package a\n", "sub/b.go": "package b\n", "sub/deep/c.txt": "c"})
	want, err := dirhash.HashDir(dir, "", dirhash.Hash1)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustHash(t, dir); got != want {
		t.Errorf("hashTree = %s, dirhash.HashDir = %s", got, want)
	}
}

func TestHashTreeLeavesOutVersionControlMetadata(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a.go": "package a\n"})
	before := mustHash(t, dir)
	writeTree(t, dir, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n", ".hg/store/x": "x", ".svn/wc.db": "x",
		".bzr/branch-format": "x", "_FOSSIL_": "x", ".fslckout": "x", ".fossil": "x",
	})
	if after := mustHash(t, dir); after != before {
		t.Errorf("metadata changed the hash: %s, then %s", before, after)
	}
	writeTree(t, dir, map[string]string{"sub/d.go": "package d\n"})
	if after := mustHash(t, dir); after == before {
		t.Error("a new file did not change the hash")
	}
}

// The tree is a trust boundary: a link is hashed as its target string,
// never as what it points to, so a link out of the tree reads nothing
// outside it.
func TestHashTreeNeverFollowsLinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret")
	if err := os.WriteFile(secret, []byte("one"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"a.go": "package a\n"})
	if err := os.Symlink(secret, filepath.Join(dir, "link")); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "dirlink")); err != nil {
		t.Fatal(err)
	}
	h1 := mustHash(t, dir)

	if err := os.WriteFile(secret, []byte("two"), 0o600); err != nil {
		t.Fatal(err)
	}
	writeTree(t, outside, map[string]string{"more": "x"})
	if h2 := mustHash(t, dir); h2 != h1 {
		t.Errorf("changing what a link points to changed the hash: %s, then %s", h1, h2)
	}

	// A regular file holding the target's text is not the link.
	if err := os.Remove(filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"link": secret})
	if h3 := mustHash(t, dir); h3 == h1 {
		t.Error("a file holding a link's target string hashed like the link")
	}
}
