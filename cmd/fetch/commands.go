package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/gofetch/fetch/fetch"
	"github.com/urfave/cli/v2"
)

// The flags several commands share, defined once so that they read the
// same everywhere (and may stand before the command word).

func rootFlag() cli.Flag {
	return &cli.StringFlag{Name: "root", Usage: "the tree's root (default $FETCH_ROOT, else the first $GOPATH entry, else $HOME/go) (`DIR`)", TakesFile: true}
}

func jsonFlag(usage string) cli.Flag { return &cli.BoolFlag{Name: "json", Usage: usage} }

func verboseFlag() cli.Flag {
	return &cli.BoolFlag{Name: "v", Usage: "verbose: print the discovery trace (every request, answer and go-import tag) on stderr"}
}

func commandsFlag() cli.Flag {
	return &cli.BoolFlag{Name: "x", Usage: "print every version control command run, on stderr"}
}

func insecureFlag(usage string) cli.Flag { return &cli.BoolFlag{Name: "insecure", Usage: usage} }

func cacertFlag() cli.Flag {
	return &cli.StringFlag{Name: "cacert", Usage: "trust the CA certificates in `FILE` too (also SSL_CERT_FILE)", TakesFile: true}
}

func connectToFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "connect-to", Usage: "connect to TOHOST:TOPORT when asked for HOST:PORT, still verifying TLS for HOST; repeatable (`HOST:PORT:TOHOST:TOPORT`)"}
}

// sourceFlags are the flags of get and resolve (interface.md). getOnly
// false hides those that only change what get does: resolve still accepts
// them, since the interface names them as flags of both, but does not
// offer them.
func sourceFlags(getOnly bool) []cli.Flag {
	hide := !getOnly
	return []cli.Flag{
		rootFlag(),
		&cli.StringFlag{Name: "dest", Aliases: []string{"o"}, Usage: "exact destination `DIR` (a single source only)", TakesFile: true},
		&cli.BoolFlag{Name: "update", Aliases: []string{"u"}, Usage: "update existing checkouts (fast-forward only)", Hidden: hide},
		&cli.StringFlag{Name: "ref", Usage: "use `REF` (branch, tag or commit) for every source"},
		&cli.IntFlag{Name: "depth", Usage: "shallow clone with `N` commits", Hidden: hide},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: 8, Usage: "work on `N` sources at once"},
		&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "read sources from `FILE`, one per line, # comments; - for stdin", TakesFile: true},
		insecureFlag("allow plain http and insecure VCS schemes (see also GOINSECURE)"),
		cacertFlag(),
		connectToFlag(),
		&cli.BoolFlag{Name: "proxy", EnvVars: []string{"FETCH_PROXY"}, Usage: "fetch import paths as module zips through GOPROXY, checked against GOSUMDB, as the go command fetches modules (also FETCH_PROXY=1)"},
		&cli.BoolFlag{Name: "refresh", Usage: "ask vanity servers again instead of using the discovery answers cached on disk (the new answers are cached)"},
		&cli.BoolFlag{Name: "no-cache", Usage: "neither use nor store discovery answers and repositories in the per-user cache (also FETCH_CACHE=off; see fetch cache --help)"},
		verboseFlag(),
		commandsFlag(),
		jsonFlag("print one JSON object per source on stdout"),
		&cli.DurationFlag{Name: "timeout", Value: defaultTimeout, Usage: "give up on a source after `DURATION` of work, resolving and fetching together (0 for no limit)"},
		&cli.StringFlag{Name: "max-download", Value: "1GiB", Usage: "refuse a download (file or archive) larger than `SIZE`", Hidden: hide},
		&cli.StringFlag{Name: "max-files", Value: "100000", Usage: "refuse an archive or local directory of more than `N` entries", Hidden: hide},
		&cli.StringFlag{Name: "max-extract", Value: "4GiB", Usage: "refuse an archive or local directory that expands to more than `SIZE`", Hidden: hide},
		&cli.IntFlag{Name: "max-ratio", Value: 200, Usage: "refuse an archive or compressed file that expands more than `N` times its size once 8 MiB are out, as a decompression bomb does (0 for no limit)", Hidden: hide},
	}
}

// defaultTimeout bounds each source unless --timeout says otherwise: long
// enough for a large clone, short enough that a server that never answers
// cannot hold a CI job for ever.
const defaultTimeout = time.Hour

// limits reads --max-download, --max-files, --max-extract and --max-ratio.
func limits(cc *cli.Context) (fetch.Limits, error) {
	var l fetch.Limits
	var err error
	if l.MaxDownloadBytes, err = positiveSize(cc, "max-download"); err != nil {
		return l, err
	}
	if l.MaxExtractedBytes, err = positiveSize(cc, "max-extract"); err != nil {
		return l, err
	}
	n, err := positiveSize(cc, "max-files")
	if err != nil {
		return l, err
	}
	if n > math.MaxInt32 {
		return l, usagef("--max-files %s: at most %d entries", cc.String("max-files"), math.MaxInt32)
	}
	l.MaxFiles = int(n)
	if l.MaxExpansionRatio = cc.Int("max-ratio"); l.MaxExpansionRatio <= 0 {
		l.MaxExpansionRatio = -1 // no limit
	}
	return l, nil
}

func positiveSize(cc *cli.Context, flag string) (int64, error) {
	n, err := parseSize(cc.String(flag))
	if err != nil {
		return 0, usagef("--%s: %v", flag, err)
	}
	if n <= 0 {
		return 0, usagef("--%s must be more than 0, not %s", flag, cc.String(flag))
	}
	return n, nil
}

// readSources returns the sources named on the command line and in -f,
// and where each came from: "FILE:LINE" for a line of -f FILE ("stdin:LINE"
// for -f -), "" for the command line. A command-line word that is a
// command's name, or looks like a mistyped one, is refused before
// anything is fetched.
func (c *cliEnv) readSources(cc *cli.Context) (srcs, origins []string, err error) {
	args := cc.Args().Slice()
	if len(args) > 0 && args[0] == "--" {
		args = args[1:]
	}
	for _, a := range args {
		if err := notACommand(cc.App, a); err != nil {
			return nil, nil, usagef("%v", err)
		}
	}
	srcs = append(srcs, args...)
	origins = make([]string, len(srcs))
	if name := cc.String("file"); name != "" {
		var r io.Reader
		where := name
		if name == "-" {
			r, where = c.stdin, "stdin"
		} else {
			f, err := os.Open(name)
			if err != nil {
				return nil, nil, usagef("reading sources: %v", err)
			}
			defer f.Close()
			r = f
		}
		fsrcs, forigins, err := parseSourceList(r, where)
		if err != nil {
			return nil, nil, usagef("reading sources from %s: %v", where, err)
		}
		srcs, origins = append(srcs, fsrcs...), append(origins, forigins...)
	}
	if len(srcs) == 0 {
		return nil, nil, usagef("no sources given: name at least one SOURCE or use -f FILE")
	}
	if cc.String("dest") != "" && len(srcs) != 1 {
		return nil, nil, usagef("-o/--dest sets the destination of a single source, but %d sources were given", len(srcs))
	}
	if cc.Int("depth") < 0 {
		return nil, nil, usagef("--depth must be a positive number of commits, not %d", cc.Int("depth"))
	}
	if cc.Duration("timeout") < 0 {
		return nil, nil, usagef("--timeout must be 0 (no limit) or more, not %v", cc.Duration("timeout"))
	}
	if cc.Int("jobs") < 1 {
		return nil, nil, usagef("-j/--jobs must be at least 1, not %d", cc.Int("jobs"))
	}
	return srcs, origins, nil
}

// parseSourceList reads a source list: one source per line; blank lines,
// lines starting with # and a # after white space (a trailing comment)
// are ignored. A # right after other characters is part of the source (a
// URL fragment). Each source comes with its origin, where:LINE.
func parseSourceList(r io.Reader, where string) (srcs, origins []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := stripComment(sc.Text())
		if line == "" {
			continue
		}
		srcs = append(srcs, line)
		origins = append(origins, fmt.Sprintf("%s:%d", where, n))
	}
	return srcs, origins, sc.Err()
}

// stripComment removes a comment from a source-list line: the line from a
// # at its start or after white space, and the white space around.
func stripComment(line string) string {
	line = strings.TrimSpace(line)
	for i := 0; i < len(line); i++ {
		if line[i] == '#' && (i == 0 || line[i-1] == ' ' || line[i-1] == '\t') {
			return strings.TrimSpace(line[:i])
		}
	}
	return line
}

func (c *cliEnv) rootCommand() *cli.Command {
	return &cli.Command{
		Name:      "root",
		Usage:     "print ROOT, where sources land (ROOT/src/<path>)",
		UsageText: "fetch root [--root DIR]",
		Flags:     []cli.Flag{rootFlag()},
		Action: func(cc *cli.Context) error {
			if err := noArgs(cc); err != nil {
				return err
			}
			root, err := c.root(cc)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, root)
			return nil
		},
	}
}

// noArgs refuses arguments to a command that takes none.
func noArgs(cc *cli.Context) error {
	if cc.NArg() > 0 {
		return usagef("%s takes no arguments, but was given %q", cc.Command.Name, cc.Args().First())
	}
	return nil
}

// where returns "FILE:LINE: " when the source of the result being printed
// was read from -f, and counts the result: results arrive in input order.
func (p *printer) where() string {
	i := p.printed
	p.printed++
	if i < len(p.origins) && p.origins[i] != "" {
		return p.origins[i] + ": "
	}
	return ""
}
