package fetch

import (
	"testing"
)

// TestHashTreeSeesMetadataBelowTheTop: only the checkout's own metadata
// (at the top of the destination) is left out of a lock's hash. A .git,
// .hg, .svn, .bzr or fossil file planted deeper is not fetch's, and can
// run code: git runs a nested repository's core.fsmonitor for anyone who
// runs git status (or go build, which stamps VCS information) in that
// directory, hg its hooks. Left out of the hash, verify called such a
// tampered tree "verified".
func TestHashTreeSeesMetadataBelowTheTop(t *testing.T) {
	for _, planted := range []string{
		"sub/.git/config", "sub/.git", "sub/.hg/hgrc", "deep/er/.svn/wc.db",
		"sub/.bzr/branch/branch.conf", "sub/_FOSSIL_", "sub/.fslckout", "sub/.fossil",
	} {
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{"a.go": "package a\n", "sub/b.go": "package b\n", "deep/er/c.go": "package c\n"})
		before := mustHash(t, dir)
		writeTree(t, dir, map[string]string{".git/config": "[core]\n"}) // the checkout's own
		if got := mustHash(t, dir); got != before {
			t.Fatalf("the checkout's own .git changed the hash")
		}
		writeTree(t, dir, map[string]string{planted: "[core]\n\tfsmonitor = touch /tmp/pwned\n"})
		if got := mustHash(t, dir); got == before {
			t.Errorf("%s planted below the top left the hash as it was: verify cannot see it", planted)
		}
	}
}

// TestHashTreeOfADownloadSeesAllMetadata: a download or module never
// holds version control metadata, so none is left out of its hash, not
// even at the top (a .git planted there made a tampered download verify).
func TestHashTreeOfADownloadSeesAllMetadata(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"README": "the tool\n"})
	before, err := hashTree(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{".git/config": "[core]\n\tfsmonitor = touch /tmp/pwned\n"})
	after, err := hashTree(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if after == before {
		t.Error("a .git planted at the top of a download left its hash as it was")
	}
}
