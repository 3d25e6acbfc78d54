package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gofetch/fetch/internal/vcscache"
	"github.com/urfave/cli/v2"
)

// repoCacheDescription is what fetch cache --help teaches.
const repoCacheDescription = `fetch keeps every git and hg repository it clones in a per-user cache, so that
the next fetch of the same repository into any root costs a ref check and the
new objects only, and -u of many checkouts of one repository fetches the new
objects once. Checkouts get their own copy of every object (no links into the
cache, no alternates): deleting the cache never breaks a checkout.

Where: $FETCH_CACHE/vcs, else fetch/vcs in the user cache directory (such as
~/.cache/fetch/vcs). FETCH_CACHE=off, or --no-cache on get, turns it off.
Size: least recently used entries are evicted once the cache is over
FETCH_CACHE_MAX (default 10GiB; 0 for no limit).

One entry per repository URL (scheme, host, path; a trailing slash or .git
does not count): what one URL served never answers for another. An entry
left incomplete by a kill or a full disk, or found damaged, is rebuilt, never
used. Shallow clones (--depth) and svn, bzr and fossil do not use the cache.

  fetch cache                          size and entries, most recently used first
  fetch cache clean                    remove every entry
  fetch cache clean --older-than 720h  remove entries unused for 30 days
  fetch cache clean example.org/team   remove entries of repositories below a prefix
                                       (comma-separated globs matched against
                                       host/path, as in GOPRIVATE)`

func (c *cliEnv) cacheCommand() *cli.Command {
	return &cli.Command{
		Name:        "cache",
		Usage:       "show or trim the repository cache",
		UsageText:   "fetch cache [--json]\n   fetch cache clean [--older-than DURATION] [--json] [PATTERN]",
		Description: repoCacheDescription,
		Flags: []cli.Flag{
			jsonFlag("print one JSON object per entry (for clean: per removed entry) on stdout"),
			&cli.DurationFlag{Name: "older-than", Usage: "clean: remove only entries unused for `DURATION` (such as 720h)"},
		},
		Action: func(cc *cli.Context) error {
			args := cc.Args().Slice()
			switch {
			case len(args) > 0 && args[0] == "clean":
				return c.cacheClean(cc, args[1:])
			case len(args) > 0:
				return usagef("cache takes no argument but the word clean, not %q; see fetch cache --help", args[0])
			case cc.IsSet("older-than"):
				return usagef("--older-than goes with fetch cache clean")
			}
			cache, err := c.repoCache()
			if err != nil {
				return err
			}
			ms, err := cache.List()
			if err != nil {
				return err
			}
			if cc.Bool("json") {
				return c.printEntries(ms)
			}
			fmt.Fprintf(c.stdout, "%s: %d entries, %s\n", cache.Dir, len(ms), humanSize(vcscache.Size(ms)))
			tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
			for _, m := range ms {
				state := m.LastUsed.Format(time.DateTime)
				if !m.Complete {
					state = "incomplete (rebuilt on next use)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", m.VCS, humanSize(m.Size), state, entryName(m))
			}
			return tw.Flush()
		},
	}
}

// cacheClean is fetch cache clean [--older-than D] [PATTERN]: it removes
// the entries last used more than D ago (any, without --older-than) whose
// repository matches PATTERN.
func (c *cliEnv) cacheClean(cc *cli.Context, args []string) error {
	if len(args) > 1 {
		return usagef("cache clean takes at most one PATTERN, but was given %d arguments", len(args))
	}
	if cc.Duration("older-than") < 0 {
		return usagef("--older-than must not be negative")
	}
	cache, err := c.repoCache()
	if err != nil {
		return err
	}
	pattern := ""
	if len(args) == 1 {
		pattern = args[0]
	}
	gone, err := cache.Clean(cc.Context, cc.Duration("older-than"), pattern)
	if cc.Bool("json") {
		if perr := c.printEntries(gone); err == nil {
			err = perr
		}
		return err
	}
	for _, m := range gone {
		fmt.Fprintf(c.stdout, "removed %s (%s)\n", entryName(m), humanSize(m.Size))
	}
	fmt.Fprintf(c.stdout, "%d entries removed, %s freed\n", len(gone), humanSize(vcscache.Size(gone)))
	return err
}

// entryJSON is an entry as fetch cache --json prints it.
type entryJSON struct {
	VCS      string `json:"vcs"`
	URL      string `json:"url"`
	Dir      string `json:"dir"`
	Size     int64  `json:"size"`
	LastUsed string `json:"last_used,omitempty"`
	Complete bool   `json:"complete"`
}

func (c *cliEnv) printEntries(ms []vcscache.Meta) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetEscapeHTML(false)
	for _, m := range ms {
		e := entryJSON{VCS: m.VCS, URL: m.URL, Dir: m.Dir, Size: m.Size, Complete: m.Complete}
		if !m.LastUsed.IsZero() {
			e.LastUsed = m.LastUsed.UTC().Format(time.RFC3339)
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

func entryName(m vcscache.Meta) string {
	if m.URL == "" {
		return m.Dir + " (no metadata)"
	}
	return m.URL
}

// repoCache returns the repository cache the environment names, or an
// error when it is turned off.
func (c *cliEnv) repoCache() (*vcscache.Cache, error) {
	dir := vcscache.DefaultDir(c.getenv)
	if dir == "" {
		return nil, fmt.Errorf("the repository cache is off (FETCH_CACHE=off, or no user cache directory); set FETCH_CACHE to a directory to use one")
	}
	max, err := repoCacheMax(c.getenv)
	if err != nil {
		return nil, err
	}
	return &vcscache.Cache{Dir: dir, Max: max}, nil
}

// repoCacheMax reads FETCH_CACHE_MAX: a size, or 0 or off for no limit.
func repoCacheMax(getenv func(string) string) (int64, error) {
	v := strings.TrimSpace(getenv("FETCH_CACHE_MAX"))
	switch v {
	case "":
		return vcscache.DefaultMax, nil
	case "0", "off":
		return 0, nil
	}
	n, err := parseSize(v)
	if err != nil {
		return 0, usagef("FETCH_CACHE_MAX=%s: %v", v, err)
	}
	return n, nil
}

// humanSize prints n bytes in binary units.
func humanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
