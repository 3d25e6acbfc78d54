package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gofetch/fetch/fetch"
	"github.com/gofetch/fetch/lockfile"
	"github.com/urfave/cli/v2"
)

// runGet is get: a plain run, a run that writes a lock (--lock FILE), or
// a replay of one (--locked FILE, or --locked FILE --relock to fetch its
// sources afresh and write it again).
func (c *cliEnv) runGet(cc *cli.Context) error {
	lock, locked := cc.String("lock"), cc.String("locked")
	switch {
	case locked != "" && lock != "":
		return usagef("--lock and --locked name one lock file each: use --locked FILE --relock to write the lock file a replay read")
	case cc.Bool("relock") && locked == "":
		return usagef("--relock goes with --locked FILE: it fetches that lock's sources afresh and writes it again")
	case (lock != "" || locked != "") && cc.Bool("dry-run"):
		return usagef("--dry-run writes nothing, so it cannot go with --lock or --locked")
	case locked != "":
		return c.runLocked(cc, locked)
	case lock != "":
		return c.withLock(cc, lock, func(op sourcesOp) error { return c.runSources(cc, op) })
	}
	return c.runSources(cc, (*fetch.Client).Get)
}

// sourcesOp is what runSources runs over the sources.
type sourcesOp = func(*fetch.Client, context.Context, []string, fetch.SourceOptions) []fetch.Result

// withLock runs get through run and then writes the lock file: only when
// every source succeeded, so that a lock never leaves out a source the
// user asked for; a failed run leaves the file as it was, and says so.
func (c *cliEnv) withLock(cc *cli.Context, file string, run func(sourcesOp) error) error {
	var lockErr error
	wrote := false
	err := run(func(client *fetch.Client, ctx context.Context, srcs []string, so fetch.SourceOptions) []fetch.Result {
		results := client.Get(ctx, srcs, so)
		for _, r := range results {
			if r.Status != fetch.StatusFetched && r.Status != fetch.StatusUpdated && r.Status != fetch.StatusExists {
				return results
			}
		}
		entries, err := client.Lock(ctx, results)
		if err == nil {
			err = writeLockFile(file, entries)
		}
		lockErr, wrote = err, err == nil
		return results
	})
	switch {
	case lockErr != nil:
		fmt.Fprintf(c.stderr, "fetch: the lock file %s was not written: %s\n", file, oneLine(lockErr.Error()))
		if err == nil {
			return &exitError{code: 1}
		}
	case !wrote && errors.As(err, new(*exitError)):
		fmt.Fprintf(c.stderr, "fetch: the lock file %s was not written, since not every source succeeded; it is as it was\n", file)
	}
	return err
}

// runLocked is get --locked FILE: the lock's sources, replayed (or, with
// --relock, fetched afresh and locked again).
func (c *cliEnv) runLocked(cc *cli.Context, file string) error {
	switch {
	case cc.NArg() > 0:
		return usagef("--locked %s fetches the sources of the lock file, but %q was given too: name no SOURCE", file, cc.Args().First())
	case cc.String("file") != "":
		return usagef("--locked %s fetches the sources of the lock file; it cannot go with -f", file)
	case cc.String("ref") != "":
		return usagef("--locked %s fetches each source at its locked commit; it cannot go with --ref (use --relock to fetch the sources afresh)", file)
	case cc.String("dest") != "":
		return usagef("--locked %s places each source where the lock says; it cannot go with -o", file)
	}
	lf, err := readLockFile(file)
	if err != nil {
		return err
	}
	if len(lf.Entries) == 0 {
		return usagef("the lock file %s holds no source", file)
	}
	srcs := make([]string, len(lf.Entries))
	for i, e := range lf.Entries {
		srcs[i] = e.Source
	}
	if cc.Bool("relock") {
		return c.withLock(cc, file, func(op sourcesOp) error { return c.runSourceList(cc, srcs, nil, op) })
	}
	return c.runSourceList(cc, srcs, nil, func(client *fetch.Client, ctx context.Context, _ []string, so fetch.SourceOptions) []fetch.Result {
		results, _ := client.Replay(ctx, lf.Entries, so)
		return results
	})
}

// readLockFile reads and parses a lock file; a file that cannot be read
// or parsed is a usage error naming it.
func readLockFile(file string) (*lockfile.File, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, usagef("reading the lock file: %v", err)
	}
	lf, err := lockfile.Parse(data)
	if err != nil {
		return nil, usagef("%s: %v", file, err)
	}
	return lf, nil
}

// writeLockFile writes entries to file atomically: a temporary file in
// the same directory, synced, then renamed over it, so a reader (or a
// crash) sees the old lock or the new one, never half of one. A file that
// already holds exactly these bytes is left untouched.
func writeLockFile(file string, entries []lockfile.Entry) error {
	data, err := (&lockfile.File{Entries: entries}).Bytes()
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(file); err == nil && bytes.Equal(old, data) {
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, nothing to remove
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), file)
}

// lockOnlyClient is a client for the commands that only read the tree
// (verify, list --lock): no network options.
func (c *cliEnv) lockOnlyClient(cc *cli.Context) (*fetch.Client, error) {
	root, err := c.root(cc)
	if err != nil {
		return nil, err
	}
	jobs := 8
	if cc.IsSet("jobs") {
		jobs = cc.Int("jobs")
	}
	client, err := fetch.New(fetch.Options{Root: root, Getenv: c.getenv, Jobs: jobs})
	if err != nil {
		return nil, usagef("%v", err)
	}
	return client, nil
}

func (c *cliEnv) verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "check the tree against a lock file, without the network",
		UsageText: "fetch verify --locked FILE",
		Description: "For each source of the lock file, checks that its destination holds the\n" +
			"locked commit (or version, or download checksum) and files whose content hash\n" +
			"is the locked one, naming the files version control reports changed.\n" +
			"Exit status 1 on any difference. Nothing is fetched or changed.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "locked", Usage: "check the tree against the lock file `FILE`", TakesFile: true},
			rootFlag(),
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: 8, Usage: "check `N` sources at once"},
			jsonFlag("print one JSON object per source on stdout"),
		},
		Action: func(cc *cli.Context) error {
			if err := noArgs(cc); err != nil {
				return err
			}
			file := cc.String("locked")
			if file == "" {
				return usagef("verify needs the lock file to check against: fetch verify --locked FILE")
			}
			if cc.Int("jobs") < 1 {
				return usagef("-j/--jobs must be at least 1, not %d", cc.Int("jobs"))
			}
			lf, err := readLockFile(file)
			if err != nil {
				return err
			}
			client, err := c.lockOnlyClient(cc)
			if err != nil {
				return err
			}
			p := c.newPrinter(cc.Bool("json"), c.stdout, c.stderr)
			results, _ := client.Verify(cc.Context, lf.Entries)
			for _, r := range results {
				p.print(r)
			}
			return p.finish(results)
		},
	}
}

// listLock is list --lock FILE: the checkouts the listing shows, locked.
// Nothing is written unless every checkout could be read.
func (c *cliEnv) listLock(cc *cli.Context, file, pattern string) error {
	client, err := c.lockOnlyClient(cc)
	if err != nil {
		return err
	}
	entries, err := client.LockTree(cc.Context, pattern)
	if err != nil {
		for _, e := range unjoin(err) {
			fmt.Fprintf(c.stderr, "fetch: %s\n", oneLine(e.Error()))
		}
		fmt.Fprintf(c.stderr, "fetch: the lock file %s was not written, since not every checkout could be read; it is as it was\n", file)
		return &exitError{code: 1}
	}
	if err := writeLockFile(file, entries); err != nil {
		fmt.Fprintf(c.stderr, "fetch: the lock file %s was not written: %s\n", file, oneLine(err.Error()))
		return &exitError{code: 1}
	}
	return nil
}

// unjoin splits an errors.Join error into its errors.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}
