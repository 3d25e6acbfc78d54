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

// sourceFlags are the flags shared by get and resolve (interface.md).
func sourceFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "root", Usage: "tree root (default $FETCH_ROOT, else first $GOPATH entry, else $HOME/go)", TakesFile: true},
		&cli.StringFlag{Name: "dest", Aliases: []string{"o"}, Usage: "exact destination `DIR` (a single source only)", TakesFile: true},
		&cli.BoolFlag{Name: "update", Aliases: []string{"u"}, Usage: "update existing checkouts (fast-forward only)"},
		&cli.StringFlag{Name: "ref", Usage: "check out `REF` (branch, tag or commit) for every source"},
		&cli.IntFlag{Name: "depth", Usage: "shallow clone with `N` commits"},
		&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: 8, Usage: "work on `N` sources at once"},
		&cli.StringFlag{Name: "file", Aliases: []string{"f"}, Usage: "read sources from `FILE`, one per line, # comments; - for stdin", TakesFile: true},
		&cli.BoolFlag{Name: "insecure", Usage: "allow plain http and insecure VCS schemes (see also GOINSECURE)"},
		&cli.StringFlag{Name: "cacert", Usage: "trust the CA certificates in `FILE` (also SSL_CERT_FILE)", TakesFile: true},
		&cli.StringSliceFlag{Name: "connect-to", Usage: "connect to TOHOST:TOPORT when asked for HOST:PORT, still verifying TLS for HOST (`HOST:PORT:TOHOST:TOPORT`, repeatable)"},
		&cli.BoolFlag{Name: "refresh", Usage: "ask vanity servers again instead of using the discovery answers cached on disk (the new answers are cached)"},
		&cli.BoolFlag{Name: "no-cache", Usage: "neither use nor store discovery answers on disk (also FETCH_CACHE=off)"},
		&cli.BoolFlag{Name: "v", Usage: "print the discovery trace on stderr"},
		&cli.BoolFlag{Name: "x", Usage: "print every version control command run"},
		&cli.BoolFlag{Name: "json", Usage: "print one JSON object per source on stdout"},
		&cli.DurationFlag{Name: "timeout", Value: defaultTimeout, Usage: "give up on a source after `DURATION` of work, resolving and fetching together (0 for no limit)"},
		&cli.StringFlag{Name: "max-download", Value: "1GiB", Usage: "refuse a download (file or archive) larger than `SIZE`"},
		&cli.StringFlag{Name: "max-files", Value: "100000", Usage: "refuse an archive or local directory of more than `N` entries"},
		&cli.StringFlag{Name: "max-extract", Value: "4GiB", Usage: "refuse an archive or local directory that expands to more than `SIZE`"},
	}
}

// defaultTimeout bounds each source unless --timeout says otherwise: long
// enough for a large clone, short enough that a server that never answers
// cannot hold a CI job for ever.
const defaultTimeout = time.Hour

// limits reads --max-download, --max-files and --max-extract.
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
	return l, nil
}

func positiveSize(cc *cli.Context, flag string) (int64, error) {
	n, err := fetch.ParseSize(cc.String(flag))
	if err != nil {
		return 0, usagef("--%s: %v", flag, err)
	}
	if n <= 0 {
		return 0, usagef("--%s must be more than 0, not %s", flag, cc.String(flag))
	}
	return n, nil
}

// readSources returns the sources named on the command line and in -f.
func (c *cliEnv) readSources(cc *cli.Context) ([]string, error) {
	srcs := append([]string(nil), cc.Args().Slice()...)
	if len(srcs) > 0 && srcs[0] == "--" {
		srcs = srcs[1:]
	}
	if name := cc.String("file"); name != "" {
		var r io.Reader
		if name == "-" {
			r = c.stdin
		} else {
			f, err := os.Open(name)
			if err != nil {
				return nil, usagef("reading sources: %v", err)
			}
			defer f.Close()
			r = f
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			srcs = append(srcs, line)
		}
		if err := sc.Err(); err != nil {
			return nil, usagef("reading sources from %s: %v", name, err)
		}
	}
	if len(srcs) == 0 {
		return nil, usagef("no sources given: name at least one SOURCE or use -f FILE")
	}
	if cc.String("dest") != "" && len(srcs) != 1 {
		return nil, usagef("-o/--dest sets the destination of a single source, but %d sources were given", len(srcs))
	}
	if cc.Int("depth") < 0 {
		return nil, usagef("--depth must be a positive number of commits, not %d", cc.Int("depth"))
	}
	if cc.Duration("timeout") < 0 {
		return nil, usagef("--timeout must be 0 (no limit) or more, not %v", cc.Duration("timeout"))
	}
	if cc.Int("jobs") < 1 {
		return nil, usagef("-j/--jobs must be at least 1, not %d", cc.Int("jobs"))
	}
	return srcs, nil
}

func (c *cliEnv) rootCommand() *cli.Command {
	return &cli.Command{
		Name:      "root",
		Usage:     "print ROOT, where sources land (ROOT/src/<path>)",
		UsageText: "fetch root [--root DIR]",
		Flags:     []cli.Flag{&cli.StringFlag{Name: "root", Usage: "tree root"}},
		Action: func(cc *cli.Context) error {
			root, err := c.root(cc)
			if err != nil {
				return err
			}
			fmt.Fprintln(c.stdout, root)
			return nil
		},
	}
}
