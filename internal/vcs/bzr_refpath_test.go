package vcs

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBzrRefNeverOpensAPathInTheCheckout: brz reads a ref that is not a
// revision number, tag, revision id or date as the location of a branch,
// relative to the checkout, so a repository committing a link named like
// the ref (v9 -> /some/other/branch) made Create, Update and ResolveLocal
// open a branch anywhere on the disk, whose metadata fetch never vetted,
// and ResolveLocal report that branch's revision as the ref's. A ref that
// is also a path in the checkout is refused before brz sees it; a prefixed
// spec (tag:v9) is not.
func TestBzrRefNeverOpensAPathInTheCheckout(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u := newUpstream(t, vcsBzr)
	bin, _ := vcsBzr.binary()
	u.commit(t, "1\n")

	// A branch outside any checkout, which the link leads to.
	other := filepath.Join(t.TempDir(), "other")
	sh(t, u.env, filepath.Dir(other), bin, "init", "-q", other)
	writeFile(t, other, "o.txt", "elsewhere\n")
	sh(t, u.env, other, bin, "add", "-q")
	sh(t, u.env, other, bin, "commit", "-q", "-m", "other")
	otherRev := sh(t, u.env, other, bin, "version-info", "--custom", "--template={revision_id}")

	wc := strings.TrimPrefix(u.url, "file://")
	if err := os.Symlink(other, filepath.Join(wc, "v9")); err != nil {
		t.Fatal(err)
	}
	sh(t, u.env, wc, bin, "add", "-q")
	sh(t, u.env, wc, bin, "commit", "-q", "-m", "a link named like a ref")

	r, rec := newRunner(t, u.env)
	refused := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, ErrRefIsPath) {
			t.Errorf("%s with ref v9: %v, want an error matching ErrRefIsPath", what, err)
		}
		for _, c := range rec.commands() {
			if strings.Contains(c, "--revision=v9") {
				t.Errorf("%s: brz ran with the ref: %s", what, c)
			}
		}
	}

	err := vcsBzr.Create(ctx, r, u.url, filepath.Join(t.TempDir(), "co"), CreateOptions{Ref: "v9"})
	refused("Create", err)

	dir := filepath.Join(t.TempDir(), "co")
	if err := vcsBzr.Create(ctx, r, u.url, dir, CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	l, err := vcsBzr.ResolveLocal(ctx, r, dir, "v9")
	if err == nil && l.Want == otherRev {
		t.Errorf("ResolveLocal: v9 resolved to %s, the revision of the branch the link leads to", otherRev)
	}
	refused("ResolveLocal", err)
	refused("Update", vcsBzr.Update(ctx, r, dir, "v9"))

	// An explicit spec is the user's own words and is not refused.
	if _, err := vcsBzr.ResolveLocal(ctx, r, dir, "tag:v9"); errors.Is(err, ErrRefIsPath) {
		t.Errorf("ResolveLocal with tag:v9: %v", err)
	}
}
