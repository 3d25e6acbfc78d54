package vcs

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// fossilCheckLeaves runs between fossil pull and fossil update. When the
// checkout is one of several open leaves of its branch (a local commit and
// an upstream one), fossil update quietly stays put, so the update is
// refused as diverged instead.
func fossilCheckLeaves(ctx context.Context, c *Cmd, r *Runner, dir, ref string) error {
	if ref != "" {
		return nil
	}
	rev, err := c.Revision(ctx, r, dir)
	if err != nil {
		return err
	}
	out, err := r.run(ctx, c, dir, "leaves", "--multiple")
	if err != nil {
		return err
	}
	// fossil shows check-ins as [first ten hex digits].
	if strings.Contains(string(out), "["+rev[:min(10, len(rev))]+"]") {
		return fmt.Errorf("cannot update %s: the branch has %w: the checkout %s is one of several leaves after pull; merge them with fossil merge, fetch only fast-forwards",
			dir, ErrDiverged, short(rev))
	}
	return nil
}

// fossilEnv gives fossil a user name when the environment has none:
// fossil refuses to update a checkout without one.
func fossilEnv(r *Runner, env []string) []string {
	for _, k := range []string{"FOSSIL_USER", "USER", "LOGNAME", "USERNAME"} {
		if v, _ := getEnv(env, k); v != "" {
			return env
		}
	}
	return setEnv(env, "FOSSIL_USER", "fetch")
}

// fossilCheckout reads the checked-out commit from "fossil info":
// "checkout:     <hash> <date> UTC".
func fossilCheckout(out string) (string, error) {
	for _, l := range lines(out) {
		if v, ok := strings.CutPrefix(l, "checkout:"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				return f[0], nil
			}
		}
	}
	return "", errors.New("fossil info shows no checkout line")
}

// fossilRemote reads "fossil remote", which prints "off" when there is
// no remote.
func fossilRemote(out string) (string, error) {
	if out == "off" {
		return "", errors.New("the repository has no remote")
	}
	return out, nil
}
