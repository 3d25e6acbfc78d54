package vcs

import (
	"context"
	"fmt"
	"slices"
)

// hgCheckHeads runs between hg pull and hg update. With no ref asked for,
// hg update moves only along the current branch; when the pull left that
// branch with several heads (local commits and upstream ones), it would
// quietly stay put, so the update is refused as diverged instead. An
// explicit ref may go anywhere: hg never drops a commit by updating.
func hgCheckHeads(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error {
	if ref != "" {
		return nil
	}
	out, err := r.run(ctx, c, dir, "log", "-r", "head() and branch(.) and not closed()", "-T", "{node|short}\n")
	if err != nil {
		return err
	}
	if heads := lines(string(out)); len(heads) > 1 {
		return fmt.Errorf("cannot update %s: the branch has %w: it has %d heads (%v) after pull; merge them with hg merge, fetch only fast-forwards",
			dir, ErrDiverged, len(heads), heads)
	}
	return nil
}

// hgTags lists tags without "tip", which hg reports as a tag but which
// only names the newest commit.
func hgTags(out string) []string {
	return slices.DeleteFunc(lines(out), func(t string) bool { return t == "tip" })
}
