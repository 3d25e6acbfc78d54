package vcs

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// commitCount is how one system counts the commits between two commits
// of a checkout: a command, with {from} and {to} replaced by whole commit
// ids, whose output parse turns into the count.
type commitCount struct {
	cmd   []string
	parse func(out string) (int, error)
}

// commitCounts is the table of CountCommits, by system name. Systems
// missing from it (svn, whose working copy keeps no history, bzr and
// fossil) have no count that is cheap and exact.
var commitCounts = map[string]commitCount{
	// The commits reachable from {to} and not from {from}.
	"git": {
		cmd: []string{"rev-list", "--count", "{from}..{to}", "--"},
		parse: func(out string) (int, error) {
			return strconv.Atoi(strings.TrimSpace(out))
		},
	},
	// The changesets from {from} to {to} along the graph, both included:
	// one line each, less {from} itself.
	"hg": {
		cmd: []string{"log", "-r", "{from}::{to}", "-T", "{node}\n"},
		parse: func(out string) (int, error) {
			n := len(lines(out))
			if n == 0 {
				return 0, fmt.Errorf("hg printed no changesets: the previous commit is not an ancestor of the new one")
			}
			return n - 1, nil
		},
	},
}

// CountCommits returns how many commits an update brought into the
// checkout at dir, from the commit from to the commit to (both whole
// commit ids, as Revision reports them), reading only the checkout's own
// repository. ok is false when c has no cheap way to count (svn, bzr,
// fossil). Like every command in a checkout, it runs only after the
// checkout's metadata is vetted, with the runner's environment.
func (c *Cmd) CountCommits(ctx context.Context, r *Runner, dir, from, to string) (n int, ok bool, err error) {
	cc, ok := commitCounts[c.name]
	if !ok {
		return 0, false, nil
	}
	// Only whole ids reach the command: a revset or a rev-list range
	// built from anything else could name other commits or options.
	for _, id := range []string{from, to} {
		if !fullHashRe.MatchString(id) {
			return 0, true, fmt.Errorf("counting commits in %s: %q is not a whole commit id", dir, id)
		}
	}
	dir, err = c.checkRoot(dir)
	if err != nil {
		return 0, true, err
	}
	out, err := r.run(ctx, c, dir, expand(cc.cmd, map[string]string{"from": from, "to": to})...)
	if err != nil {
		return 0, true, err
	}
	n, err = cc.parse(string(out))
	if err != nil {
		return 0, true, fmt.Errorf("counting commits in %s from %s to %s: %w", dir, short(from), short(to), err)
	}
	return n, true, nil
}
